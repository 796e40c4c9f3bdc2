"""The outcome page's counts of people are suppressed as the requests' dashboard's are
(cms/disclosure.py): a governorate with fewer than 5 contributors reads "fewer than 5", and,
since anyone can count a consultation's contributors on its threads, another governorate is
hidden with it so that the total minus the shown counts gives nothing back. Snapshots frozen
before suppression existed are suppressed when shown."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone, translation

from cms.disclosure import SMALL, TOTAL, Count, table_suppress
from consultations.models import ConsultationPage
from consultations.outcomes.models import ParticipationSnapshot
from consultations.outcomes.presentation import governorate_rows
from consultations.outcomes.statistics import NOT_GIVEN, participation_published
from deliberation.services import thread_for_page
from tests.disclosure import feasible_values, linear_disclosures

pytestmark = pytest.mark.django_db


def _closed(consultation):
    ConsultationPage.objects.filter(translation_key=consultation.translation_key).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return ConsultationPage.objects.get(pk=consultation.pk)


def _rows(response) -> dict:
    html = BeautifulSoup(response.content.decode(), "html.parser")
    rows = {}
    for row in html.select("#table-governorates tbody tr"):
        hidden = row.td.select_one("[data-suppressed]")
        rows[row.th.get_text()] = hidden["data-suppressed"] if hidden else int(row.td.get_text())
    participants = html.select_one('[data-figure="participants"]')
    hidden = participants.select_one("[data-suppressed]")
    return {
        "governorates": rows,
        "participants": hidden["data-suppressed"] if hidden else participants.get_text(strip=True),
        "participants_text": participants.get_text(strip=True),
        "html": html,
    }


def test_a_governorate_with_one_contributor_is_hidden_with_another(
    client, make_consultation, make_outcome, user_factory, post, settings
):
    """Six contributors from El Kef, one from Sfax: "Sfax: 1" would name a person in a small
    consultation. Sfax reads "fewer than 5"; and since the page's threads show 7 contributors,
    7 − 6 would give Sfax back: a second governorate is hidden too."""
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    consultation = make_consultation(opens_in=-5, closes_in=5)
    thread = thread_for_page(page=consultation)
    for i in range(6):
        post(user_factory(display_name=f"Kef {i}", governorate="TN-33"), thread, f"Avis {i}.")
    post(user_factory(display_name="Sfax", governorate="TN-61"), thread, "Un avis de Sfax.")
    outcome = make_outcome(_closed(consultation))

    shown = _rows(client.get(outcome.url))
    governorates = shown["governorates"]
    assert governorates["Sfax"] == SMALL
    assert shown["html"].select_one(".disclosure-note")
    hidden = [label for label, value in governorates.items() if isinstance(value, str)]
    assert len(hidden) >= 2
    # The reader's subtraction: contributors (countable on the threads) minus what is shown.
    contributors = 7
    left = contributors - sum(v for v in governorates.values() if isinstance(v, int))
    assert left == 1 and len(hidden) > 1  # one contributor among two or more governorates

    # The same, as the attacker of tests/disclosure.py: nothing follows from the page.
    snapshot = ParticipationSnapshot.objects.get(consultation_key=consultation.translation_key)
    codes = [code for code, _count in participation_published(snapshot.data)["governorates"]]
    assert "TN-61" in codes
    dimensions = [[*(row["code"] for row in snapshot.data["governorates"]), "TN-11", NOT_GIVEN]]
    counts = {(row["code"],): row["contributors"] for row in snapshot.data["governorates"]}
    table = table_suppress(dimensions, counts, threshold=5, known=[(TOTAL,)])
    known = {(TOTAL,): contributors}
    assert linear_disclosures(dimensions, table, known=known) == []
    assert all(len(v) > 1 for v in feasible_values(dimensions, table, threshold=5, known=known).values())


def test_a_snapshot_frozen_before_suppression_is_suppressed_when_shown(
    client, make_consultation, make_outcome, settings
):
    """Snapshots keep the raw counts (they are history); what a page shows of them goes
    through suppression, so the ones taken before it existed are hidden alike."""
    consultation = _closed(make_consultation(opens_in=-5, closes_in=5))
    data = {
        "version": 1,
        "taken_at": timezone.now().isoformat(),
        "participants": 3,
        "contributors": 12,
        "contributions": 14,
        "replies": 2,
        "reactions": 9,
        "sections": [],
        "days": [],
        "governorates": [
            {"code": "TN-11", "contributors": 9},
            {"code": "TN-33", "contributors": 2},
            {"code": "", "contributors": 1},
        ],
        "moderation": {"hidden": {}, "rejected": {}},
    }
    ParticipationSnapshot.objects.create(
        consultation_key=consultation.translation_key, taken_at=timezone.now(), data=data
    )
    outcome = make_outcome(consultation)
    shown = _rows(client.get(outcome.url))
    assert shown["participants"] == SMALL
    assert shown["participants_text"] == "moins de 5"  # the page is French
    governorates = shown["governorates"]
    with translation.override("fr"):
        not_given = translation.gettext("Not given")
    assert governorates["Le Kef"] == SMALL and governorates[not_given] == SMALL
    assert governorates["Tunis"] == 9  # 12 − 9 = 3 lies between two hidden rows
    # Contributions are not people: they are public on the threads, shown as counted.
    assert shown["html"].select_one('[data-figure="contributions"]').get_text(strip=True) == "14"
    # The snapshot itself is never changed.
    assert ParticipationSnapshot.objects.get(pk__isnull=False).data == data

    # The threshold is a setting: at 1 nothing is hidden.
    settings.MAJLIS_DISCLOSURE_THRESHOLD = 1
    shown = _rows(client.get(outcome.url))
    assert shown["governorates"] == {"Tunis": 9, "Le Kef": 2, not_given: 1}
    assert shown["participants"] == "3"


def test_hidden_rows_are_not_listed_in_the_order_of_their_counts():
    """Counts shown are listed the most first; hidden ones follow by name, whatever their
    counts, or their order would tell which is the larger."""
    data = {"participants": 40, "governorates": [
        {"code": "TN-11", "contributors": 30},
        {"code": "TN-61", "contributors": 1},
        {"code": "TN-33", "contributors": 4},
        {"code": "TN-12", "contributors": 5},
    ]}
    with translation.override("fr"):
        rows = governorate_rows(participation_published(data, threshold=5)["governorates"])
    hidden = [label for label, count in rows if not count.shown]
    assert rows[0] == ("Tunis", Count(30))
    assert {"Sfax", "Le Kef"} <= set(hidden) and hidden == sorted(hidden)
