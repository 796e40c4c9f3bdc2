"""The public outcome and decision pages: what they show in each language, the cited
contributions in context, the frozen participation figures and their charts, and query counts
that do not grow with the number of cited contributions."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text
from wagtail.models import Locale

from accounts.governorates import Governorate
from cms.l10n import format_day
from cms.services import page_translation_ensure
from consultations.models import ConsultationPage
from consultations.outcomes.models import OutcomePage, ParticipationSnapshot
from deliberation.models import Contribution, ModerationActionKind, Reaction, Reason, Status
from deliberation.services import contribution_moderate, contribution_react, thread_for_page

pytestmark = pytest.mark.django_db

TITLES = {
    "consultation": {"ar": "مشروع مجلة المياه", "en": "Draft water code"},
    "outcome": {"ar": "ما سمعناه", "en": "What we heard"},
    "decision": {"ar": "قرار بلدي حول النوافير", "en": "Municipal order on fountains"},
}


def close(consultation):
    now = timezone.now()
    ConsultationPage.objects.filter(translation_key=consultation.translation_key).update(
        closes_at=now - datetime.timedelta(minutes=1)
    )
    return ConsultationPage.objects.get(pk=consultation.pk)


def translate(page, kind):
    return {
        code: page_translation_ensure(
            page=page, locale=Locale.objects.get(language_code=code), title=TITLES[kind][code]
        )
        for code in ("ar", "en")
    } | {"fr": page}


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def outcome_scene(make_consultation, make_outcome, make_decision, trusted_citizen, user_factory, post):
    """A French consultation translated into Arabic and English, closed with an outcome (two
    responses) and a decision, each translated. One cited contribution is hidden by a
    moderator after the outcome was published."""
    consultation = make_consultation(opens_in=-5, closes_in=5)
    first_section, second_section = consultation.sections
    general = thread_for_page(page=consultation)
    on_first = thread_for_page(page=consultation, section_id=first_section.id)
    karim = user_factory(display_name="Karim Ben Salah", governorate="TN-33")
    leila = user_factory(display_name="Leila Trabelsi", governorate="TN-33")
    long_text = "Il faut des fontaines publiques dans chaque quartier. " * 12
    fountains = post(trusted_citizen, general, long_text)
    reply = post(karim, general, "D'accord, surtout près du marché.", parent=fountains)
    quarter = post(karim, on_first, "Le principe 1 oublie les quartiers de l'ouest.")
    later_hidden = post(leila, on_first, "Texte cité puis retiré par la modération.")
    contribution_react(user=leila, contribution=fountains, kind="agree")
    # The first contribution was posted two days earlier: three days in the chart.
    Contribution.objects.filter(pk=fountains.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    consultation = close(consultation)
    consultations = translate(consultation, "consultation")

    outcome = make_outcome(
        consultation,
        responses=[
            {
                "theme": "Fontaines publiques",
                "status": "adopted",
                "contributions": [fountains, later_hidden],
                "section_ids": [first_section.id],
            },
            {
                "theme": "Quartiers de l'ouest",
                "status": "further_study",
                "contributions": [quarter],
                "section_ids": [second_section.id, first_section.id],
            },
        ],
    )
    outcomes = translate(outcome, "outcome")
    fr_responses = list(outcome.responses.order_by("sort_order"))
    decision = make_decision(
        outcome,
        milestones=[
            ("in_force", datetime.date(2026, 7, 1)),
            ("proposed", datetime.date(2026, 5, 2)),
            ("adopted", datetime.date(2026, 6, 10)),
        ],
        contributions=[quarter, later_hidden],
        responses=[fr_responses[0]],
        section_ids=[second_section.id],
        reference_kind="municipal",
        reference_number="2026-412",
        jort_reference="JORT n° 68, p. 2143",
        signed_on=datetime.date(2026, 6, 10),
    )
    decisions = translate(decision, "decision")
    moderator = user_factory(is_staff=True, is_superuser=True)
    contribution_moderate(
        moderator=moderator,
        contribution=later_hidden,
        action=ModerationActionKind.HIDE,
        reason=Reason.OFF_TOPIC,
    )
    return {
        "consultation": consultations,
        "outcome": outcomes,
        "decision": decisions,
        "fountains": fountains,
        "reply": reply,
        "quarter": quarter,
        "later_hidden": later_hidden,
        "authors": (trusted_citizen, karim, leila),
    }


def test_translations_keep_the_responses_and_what_they_cite(outcome_scene):
    source = list(outcome_scene["outcome"]["fr"].responses.order_by("sort_order"))
    for code in ("ar", "en"):
        translated = list(outcome_scene["outcome"][code].responses.order_by("sort_order"))
        assert [r.theme for r in translated] == [r.theme for r in source]
        assert [set(r.contributions.all()) for r in translated] == [
            set(r.contributions.all()) for r in source
        ]


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_outcome_page_shows_responses_and_cited_contributions_in_context(
    client, outcome_scene, language
):
    outcome = outcome_scene["outcome"][language]
    consultation = outcome_scene["consultation"][language]
    html = soup(client.get(outcome.url))
    assert html.html["lang"] == language
    assert html.html["dir"] == ("rtl" if language == "ar" else "ltr")
    assert html.h1.get_text(strip=True) == outcome.title
    assert html.find("a", href=consultation.url, string=consultation.title)

    responses = list(outcome.responses.order_by("sort_order"))
    first = html.find(id=f"response-{responses[0].pk}")
    assert first.h3.get_text(strip=True) == "Fontaines publiques"
    # The draft section it concerns, named as the consultation in this language names it.
    section = consultation.sections[0]
    link = first.find("a", href=f"{consultation.url}#section-{section.id}")
    assert link.get_text(strip=True) == f"{section.number}. {section.heading}"

    # The contribution it answers, in context: author, section, excerpt, link into the thread.
    fountains = outcome_scene["fountains"]
    quotes = first.select(".cited__item")
    assert len(quotes) == 1
    quote = quotes[0]
    assert quote.select_one(".cited__author").get_text() == "Amira"
    excerpt = quote.select_one(".cited__quote").get_text(strip=True)
    assert fountains.body.startswith(excerpt.rstrip("…").strip())
    assert 100 < len(excerpt) <= 280
    assert quote.find("a", href=f"{consultation.url}#contribution-{fountains.pk}")

    # The one hidden after it was cited is counted, never shown.
    assert outcome_scene["later_hidden"].body not in html.decode()
    assert first.select_one(".cited__removed") is not None

    # A contribution on a section links to that section's discussion, in this language.
    quarter = outcome_scene["quarter"]
    second = html.find(id=f"response-{responses[1].pk}")
    path = consultation.reverse_subpage("section", args=[section.id])
    assert second.find("a", href=f"{consultation.url}{path}#contribution-{quarter.pk}")
    assert second.select_one(".cited__section").get_text() == f"{section.number}. {section.heading}"
    assert not second.select(".cited__removed")
    # Sections in draft order, whatever order the editor picked them in.
    assert [a["href"].split("#")[1] for a in second.select(".concerns__list a")] == [
        s.anchor for s in consultation.sections
    ]

    # The decisions, with status and reference.
    decision = outcome_scene["decision"][language]
    item = html.find("a", href=decision.url).find_parent("li")
    assert "2026-412" in item.get_text()
    assert item.select_one(".decision-status--in_force")


def _independent_figures(consultation_key):
    published = [
        c
        for c in Contribution.objects.select_related("thread")
        if c.thread.translation_key == consultation_key and c.status == Status.PUBLISHED
    ]
    reactions = [r for r in Reaction.objects.all() if r.contribution_id in {c.pk for c in published}]
    return published, {
        "participants": len({c.author_id for c in published} | {r.user_id for r in reactions}),
        "contributions": sum(1 for c in published if c.parent_id is None),
        "replies": sum(1 for c in published if c.parent_id is not None),
        "reactions": len(reactions),
    }


def test_outcome_figures_and_chart_tables_equal_independent_counts(
    client, make_consultation, make_outcome, trusted_citizen, user_factory, post, settings
):
    # Every count shown: small ones hidden are test_outcome_suppression.py's.
    settings.MAJLIS_DISCLOSURE_THRESHOLD = 1
    consultation = make_consultation(opens_in=-5, closes_in=5)
    first_section = consultation.sections[0]
    general = thread_for_page(page=consultation)
    on_first = thread_for_page(page=consultation, section_id=first_section.id)
    karim = user_factory(display_name="Karim", governorate="TN-33")
    nour = user_factory(display_name="Nour", governorate="TN-61")
    root = post(trusted_citizen, general, "Un.")
    post(karim, general, "Deux.", parent=root)
    post(karim, on_first, "Trois.")
    post(nour, on_first, "Quatre.")
    spam = post(nour, general, "Achetez.")
    contribution_react(user=karim, contribution=root, kind="agree")
    contribution_moderate(
        moderator=user_factory(is_staff=True, is_superuser=True),
        contribution=spam,
        action=ModerationActionKind.HIDE,
        reason=Reason.SPAM,
    )
    Contribution.objects.filter(pk=root.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    consultation = close(consultation)
    published, figures = _independent_figures(consultation.translation_key)
    outcome = make_outcome(consultation)

    html = soup(client.get(outcome.url))
    for name, value in figures.items():
        assert html.select_one(f'[data-figure="{name}"]').get_text(strip=True) == str(value), name

    # Contributions and replies per section, whole consultation first, as drawn.
    per_section = Counter(c.thread.section_id for c in published)
    rows = html.select("#chart-sections tbody tr")
    assert [int(row.td["data-value"]) for row in rows] == [per_section.get("", 0)] + [
        per_section.get(s.id, 0) for s in consultation.sections
    ]
    assert rows[1].th.get_text() == f"1. {first_section.heading}"
    bars = html.select("#chart-sections rect.chart__bar")
    assert len(bars) == len(rows)

    # Per day, every day from the first to the last, in the institution's time zone.
    zone = ZoneInfo(consultation.institution.time_zone)
    per_day = Counter(c.created_at.astimezone(zone).date() for c in published)
    day, days = min(per_day), []
    while day <= max(per_day):
        days.append((format_day(day, "fr"), per_day.get(day, 0)))
        day += datetime.timedelta(days=1)
    rows = html.select("#chart-days tbody tr")
    assert [(row.th.get_text(), int(row.td["data-value"])) for row in rows] == days
    assert len(html.select("#chart-days rect.chart__bar")) == len(days)
    # The chart is decoration; the table is what screen readers read, named by the caption.
    figure = html.select_one("figure#chart-days")
    assert figure.svg["aria-hidden"] == "true"
    assert figure.table["aria-labelledby"] == figure.figcaption["id"]

    governorates = {
        row.th.get_text(): int(row.td.get_text()) for row in html.select("#table-governorates tbody tr")
    }
    with translation.override("fr"):
        expected = Counter(
            str(Governorate(c.author.governorate).label)
            if c.author.governorate
            else translation.gettext("Not given")
            for c in {c.author_id: c for c in published}.values()
        )
        spam_label = str(Reason.SPAM.label)
    assert governorates == expected
    assert sum(governorates.values()) == len({c.author_id for c in published})
    moderation = html.select("#table-moderation tbody tr")
    assert [(row.th.get_text(), row.select("td")[0].get_text()) for row in moderation] == [
        (spam_label, "1")
    ]


def test_charts_mirror_in_arabic(client, outcome_scene):
    pages = {code: outcome_scene["outcome"][code] for code in ("ar", "fr")}
    for code, page in pages.items():
        html = soup(client.get(page.url))
        svg = html.select_one("#chart-sections svg")
        assert svg["direction"] == ("rtl" if code == "ar" else "ltr")
        width = float(svg["width"])
        bars = [bar for bar in svg.select("rect.chart__bar") if float(bar["width"]) > 0]
        assert bars
        for bar in bars:
            start, length = float(bar["x"]), float(bar["width"])
            if code == "ar":  # grows from the right edge
                assert start + length == pytest.approx(width)
            else:
                assert start == 0
        # The first day stands at the inline start: on the right in Arabic.
        columns = html.select("#chart-days rect.chart__bar")
        xs = [float(c["x"]) for c in columns]
        assert xs == sorted(xs, reverse=(code == "ar"))


def test_figures_use_the_digits_of_the_arabic_locale_where_it_writes_them(
    client, outcome_scene, settings
):
    """The key figures, tables and charts write numbers alike: Latin digits for ar_TN (the
    default), Arabic-Indic ones where the locale chosen for Arabic writes them."""
    settings.MAJLIS_DISCLOSURE_THRESHOLD = 1  # every count shown
    page = outcome_scene["outcome"]["ar"]
    latin = soup(client.get(page.url)).select_one('[data-figure="participants"]').get_text(strip=True)
    assert latin.isascii() and latin.isdigit()
    settings.MAJLIS_FORMAT_LOCALES = {"ar": "ar_EG", "fr": "fr_TN", "en": "en_GB"}
    html = soup(client.get(page.url))
    eastern = html.select_one('[data-figure="participants"]').get_text(strip=True)
    assert eastern == latin.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    cells = html.select("#table-governorates td")
    assert cells
    for cell in cells:
        assert not any(ch in "0123456789" for ch in cell.get_text())


def test_snapshot_figures_stay_frozen_after_a_late_contribution(
    client, outcome_scene, post, user_factory, settings
):
    settings.MAJLIS_DISCLOSURE_THRESHOLD = 1  # every count shown
    outcome = outcome_scene["outcome"]["fr"]
    consultation = outcome_scene["consultation"]["fr"]
    before = soup(client.get(outcome.url))
    shown = {
        name: before.select_one(f'[data-figure="{name}"]').get_text(strip=True)
        for name in ("participants", "contributions", "replies", "reactions")
    }
    snapshot = ParticipationSnapshot.objects.get(consultation_key=consultation.translation_key)
    assert shown["contributions"] == str(snapshot.data["contributions"]) == "3"

    # The consultation is reopened by mistake and someone posts: live counts move...
    key = consultation.translation_key
    published_at = ConsultationPage.objects.get(pk=consultation.pk).outcome_published_at
    ConsultationPage.objects.filter(translation_key=key).update(
        outcome_published_at=None, closes_at=timezone.now() + datetime.timedelta(days=1)
    )
    for name in ("Tard", "Plus tard"):
        post(user_factory(display_name=name), thread_for_page(page=consultation), "En retard.")
    ConsultationPage.objects.filter(translation_key=key).update(
        outcome_published_at=published_at, closes_at=timezone.now()
    )
    _published, live = _independent_figures(key)
    assert str(live["contributions"]) != shown["contributions"]
    assert str(live["participants"]) != shown["participants"]

    # ...the outcome's figures do not.
    after = soup(client.get(outcome.url))
    for name, value in shown.items():
        assert after.select_one(f'[data-figure="{name}"]').get_text(strip=True) == value, name
    assert not after.select(".outcome-statistics__provisional")


def test_preview_of_an_unpublished_outcome_says_figures_are_provisional(
    client, admin_user, make_consultation, make_outcome, trusted_citizen, post
):
    consultation = make_consultation(opens_in=-5, closes_in=5)
    cited = post(trusted_citizen, thread_for_page(page=consultation), "Un avis à citer.")
    outcome = make_outcome(close(consultation), publish=False)
    assert not ParticipationSnapshot.objects.exists()
    client.force_login(admin_user)
    data = nested_form_data(
        {
            "title": outcome.title,
            "slug": outcome.slug,
            "what_we_heard": rich_text("<p>Beaucoup d'avis.</p>"),
            "responses": inline_formset(
                [
                    {
                        "theme": "L'eau",
                        "status": "adopted",
                        "heard": "Plus de fontaines.",
                        "reasoning": rich_text("<p>Dix fontaines.</p>"),
                    }
                ],
                min=1,
            ),
        }
    )
    data["responses-0-section_ids"] = []
    data["responses-0-contributions"] = [cited.pk]
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(outcome.pk,))
    assert client.post(url, data).json()["is_valid"]
    html = soup(client.get(url))
    assert html.select_one(".outcome-statistics__provisional")
    assert html.select_one('[data-figure="contributions"]').get_text(strip=True) == "1"
    assert html.select_one(".cited__author").get_text() == "Amira"
    assert not ParticipationSnapshot.objects.exists()


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_decision_page_shows_reference_history_and_what_it_rests_on(client, outcome_scene, language):
    decision = outcome_scene["decision"][language]
    outcome = outcome_scene["outcome"][language]
    consultation = outcome_scene["consultation"][language]
    html = soup(client.get(decision.url))
    assert html.html["dir"] == ("rtl" if language == "ar" else "ltr")
    assert html.h1.get_text(strip=True) == decision.title
    breadcrumbs = html.select_one(".breadcrumbs")
    assert breadcrumbs.find("a", href=outcome.url)
    assert breadcrumbs.find("a", href=consultation.url)

    reference = html.select_one(".decision-reference").get_text()
    assert "2026-412" in reference and "JORT n° 68, p. 2143" in reference
    signed = html.select_one(".decision-reference time")
    assert signed["datetime"] == "2026-06-10"
    assert signed.get_text() == format_day(datetime.date(2026, 6, 10), language)

    # The history in the order it happened, whatever order it was typed in.
    items = html.select("ol.milestones li")
    assert [li.time["datetime"] for li in items] == ["2026-05-02", "2026-06-10", "2026-07-01"]
    assert [li["class"][1] for li in items] == [
        "milestones__item--proposed",
        "milestones__item--adopted",
        "milestones__item--in_force",
    ]
    assert html.select_one(".page-header .decision-status--in_force")

    # The response it rests on, on the outcome in the same language.
    response = outcome.responses.order_by("sort_order").first()
    link = html.select_one(".decision-responses a")
    assert link["href"] == f"{outcome.url}#response-{response.pk}"
    assert link.get_text(strip=True) == "Fontaines publiques"

    # Contributions in context; the one hidden since is counted, not shown.
    quarter = outcome_scene["quarter"]
    section = consultation.sections[0]
    path = consultation.reverse_subpage("section", args=[section.id])
    quote = html.select_one(".cited__item")
    assert quote.select_one(".cited__author").get_text() == "Karim Ben Salah"
    assert quarter.body in quote.select_one(".cited__quote").get_text()
    assert quote.find("a", href=f"{consultation.url}{path}#contribution-{quarter.pk}")
    assert len(html.select(".cited__item")) == 1
    assert outcome_scene["later_hidden"].body not in html.decode()
    assert html.select_one(".cited__removed") is not None

    # The draft section it concerns, linked on the consultation.
    second = consultation.sections[1]
    assert html.find("a", href=f"{consultation.url}#section-{second.id}")


def _cited_scene(n, *, make_consultation, make_outcome, make_decision, user_factory, post):
    """A closed consultation whose outcome's two responses and one decision cite ``n``
    contributions, spread over the general discussion and both sections, by ``n`` authors."""
    consultation = make_consultation(opens_in=-5, closes_in=5)
    threads = [thread_for_page(page=consultation)] + [
        thread_for_page(page=consultation, section_id=s.id) for s in consultation.sections
    ]
    cited = [
        post(user_factory(), threads[i % len(threads)], f"Contribution numéro {i}.")
        for i in range(n)
    ]
    consultation = close(consultation)
    half = n // 2
    outcome = make_outcome(
        consultation,
        responses=[
            {"theme": "Un", "contributions": cited[:half], "section_ids": [consultation.sections[0].id]},
            {"theme": "Deux", "contributions": cited[half:]},
        ],
    )
    decision = make_decision(
        outcome,
        contributions=cited,
        responses=list(outcome.responses.all()),
        milestones=[("proposed", datetime.date(2026, 5, 1)), ("adopted", datetime.date(2026, 6, 1))],
    )
    return OutcomePage.objects.get(pk=outcome.pk), decision, cited


def _queries(client, url, expected_quotes):
    client.get(url)  # caches warm, as on a live site
    with CaptureQueriesContext(connection) as queries:
        html = soup(client.get(url))
    assert len(html.select(".cited__item")) == expected_quotes
    return len(queries)


def test_query_counts_do_not_grow_with_cited_contributions(
    client, settings, make_consultation, make_outcome, make_decision, user_factory, post
):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    fixtures = dict(
        make_consultation=make_consultation,
        make_outcome=make_outcome,
        make_decision=make_decision,
        user_factory=user_factory,
        post=post,
    )
    small_outcome, small_decision, _ = _cited_scene(2, **fixtures)
    large_outcome, large_decision, _ = _cited_scene(12, **fixtures)
    assert _queries(client, small_outcome.url, 2) == _queries(client, large_outcome.url, 12)
    assert _queries(client, small_decision.url, 2) == _queries(client, large_decision.url, 12)
