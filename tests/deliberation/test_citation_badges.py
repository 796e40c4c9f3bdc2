"""A contribution cited by a published outcome response or decision carries a public badge
("Answered in the outcome", "Used in decision: …") linking there: on the thread page in each
language, and in the live fragments."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from bench.threads import thread_fill
from cms.services import page_translation_ensure
from consultations.models import ConsultationPage
from consultations.outcomes.models import OutcomePage
from deliberation.models import Thread, ThreadEvent
from deliberation.realtime.frames import thread_event_frames
from deliberation.services import thread_for_page

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'<a class="badge badge--cited" href="([^"]*)">([^<]*)</a>')


def _close(consultation) -> ConsultationPage:
    ConsultationPage.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    return ConsultationPage.objects.get(pk=consultation.pk)


def _card(html: str, contribution) -> str:
    """The HTML of one contribution's card (up to the next contribution)."""
    start = html.index(f'id="contribution-{contribution.pk}"')
    end = html.find('class="contribution ', start)
    return html[start : end if end != -1 else len(html)]


@pytest.fixture
def cited(make_consultation, make_outcome, make_decision, trusted_citizen, post):
    """A closed French consultation whose outcome answers one contribution and whose decision
    uses it; another contribution nobody cites."""
    consultation = make_consultation(language="fr", opens_in=-10, closes_in=5)
    thread = thread_for_page(page=consultation)
    answered = post(trusted_citizen, thread, "Plus de fontaines publiques")
    ignored = post(trusted_citizen, thread, "Un avis que personne ne cite")
    consultation = _close(consultation)
    outcome = make_outcome(
        consultation, responses=[{"theme": "Eau potable", "contributions": [answered]}]
    )
    decision = make_decision(
        outcome, title="Arrêté sur les fontaines", contributions=[answered]
    )
    return {
        "consultation": consultation,
        "thread": thread,
        "answered": answered,
        "ignored": ignored,
        "outcome": outcome,
        "decision": decision,
    }


def test_the_french_thread_page_shows_both_badges_linking_to_outcome_and_decision(
    client, cited
):
    html = client.get(cited["consultation"].url).content.decode()
    response = cited["outcome"].responses.get()
    badges = BADGE.findall(_card(html, cited["answered"]))
    assert [href for href, _text in badges] == [
        f"{cited['outcome'].url}#response-{response.pk}",
        cited["decision"].url,
    ]
    assert "Arrêté sur les fontaines" in badges[1][1]
    assert BADGE.findall(_card(html, cited["ignored"])) == []


def test_the_arabic_page_links_to_the_arabic_outcome_and_decision(client, cited):
    arabic = Locale.objects.get(language_code="ar")
    consultation_ar = page_translation_ensure(
        page=cited["consultation"], locale=arabic, title="مشروع المجلة"
    )
    outcome_ar = page_translation_ensure(page=cited["outcome"], locale=arabic, title="ما سمعناه")
    decision_ar = page_translation_ensure(
        page=cited["decision"], locale=arabic, title="قرار بلدي حول النافورات"
    )
    assert consultation_ar.url.startswith("/ar/") and decision_ar.url.startswith("/ar/")

    response = client.get(consultation_ar.url)
    html = response.content.decode()
    assert response.status_code == 200 and 'dir="rtl"' in html
    card = _card(html, cited["answered"])  # the thread is shared by the translations
    hrefs = [href for href, _text in BADGE.findall(card)]
    response_ar = outcome_ar.responses.get()
    assert hrefs == [f"{outcome_ar.url}#response-{response_ar.pk}", decision_ar.url]
    assert "قرار بلدي حول النافورات" in BADGE.findall(card)[1][1]

    # The French page still links to the French pages.
    french = client.get(cited["consultation"].url).content.decode()
    assert cited["decision"].url in [h for h, _t in BADGE.findall(_card(french, cited["answered"]))]


def test_no_badge_for_an_unpublished_outcome_or_decision(client, cited):
    cited["decision"].unpublish()
    html = client.get(cited["consultation"].url).content.decode()
    hrefs = [href for href, _text in BADGE.findall(_card(html, cited["answered"]))]
    assert cited["decision"].url not in " ".join(hrefs)
    assert len(hrefs) == 1  # the outcome's response still answers it

    cited["outcome"].unpublish()
    html = client.get(cited["consultation"].url).content.decode()
    assert BADGE.findall(_card(html, cited["answered"])) == []


def test_a_draft_outcome_gives_no_badge(
    client, make_consultation, make_outcome, trusted_citizen, post
):
    consultation = make_consultation(opens_in=-10, closes_in=5)
    contribution = post(trusted_citizen, thread_for_page(page=consultation), "Un avis.")
    consultation = _close(consultation)
    outcome = make_outcome(
        consultation, responses=[{"contributions": [contribution]}], publish=False
    )
    # Saved as a draft, as the admin's "Save draft" leaves a new page: not live.
    OutcomePage.objects.filter(pk=outcome.pk).update(live=False)
    html = client.get(consultation.url).content.decode()
    assert "Un avis." in html
    assert "badge--cited" not in html


def test_badge_text_is_escaped(client, cited):
    cited["decision"].title = 'Décision <img src=x onerror="alert(1)">'
    cited["decision"].save_revision().publish()
    html = client.get(cited["consultation"].url).content.decode()
    card = _card(html, cited["answered"])
    assert "<img" not in card
    assert "Décision &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in card


def _page_queries(client, url) -> tuple[int, str]:
    client.get(url)  # warm caches that do not depend on the thread
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_thread_page_query_count_is_the_same_for_1_and_10_cited_contributions(
    client, make_consultation, make_outcome, make_decision, user_factory
):
    authors = [user_factory() for _ in range(3)]
    counts = []
    for size in (1, 10):
        consultation = make_consultation(opens_in=-10, closes_in=5)
        thread = thread_for_page(page=consultation)
        contributions = thread_fill(thread, count=size, authors=authors)
        consultation = _close(consultation)
        outcome = make_outcome(
            consultation,
            responses=[
                {"theme": "Premier thème", "contributions": contributions},
                {"theme": "Second thème", "contributions": contributions[::2]},
            ],
        )
        make_decision(outcome, contributions=contributions)
        make_decision(outcome, title="Autre décision", contributions=contributions[1::2])
        n, html = _page_queries(client, consultation.url)
        # Each is answered in the outcome (one badge per outcome, whatever the number of its
        # responses) and used in the first decision; every other one in the second decision.
        assert html.count('class="badge badge--cited"') == size * 2 + size // 2
        counts.append(n)
    assert counts[0] == counts[1], counts


def test_a_live_frame_of_a_cited_contribution_carries_its_badges(cited):
    # Read again, as the publishing process does: the outcome was published since.
    thread = Thread.objects.select_related("page").get(pk=cited["thread"].pk)
    events = list(
        ThreadEvent.objects.filter(
            thread=thread,
            type="contribution.published",
            contribution_id__in=[cited["answered"].pk, cited["ignored"].pk],
        ).order_by("seq")
    )
    assert len(events) == 2
    frames = thread_event_frames(thread, events)
    answered = {name: json.loads(text) for name, text in frames[0].items()}
    response = cited["outcome"].responses.get()
    for name in ("fr:anon", "fr:member", "ar:anon", "en:member"):
        badges = BADGE.findall(answered[name]["html"])
        assert [href for href, _text in badges] == [
            f"{cited['outcome'].url}#response-{response.pk}",
            cited["decision"].url,
        ], name
    assert "badge--cited" not in json.loads(frames[1]["fr:anon"])["html"]


def test_frames_without_any_citation_render_as_before(thread, trusted_citizen, post):
    contribution = post(trusted_citizen, thread, "Un avis tout neuf.")
    event = ThreadEvent.objects.get(thread=thread, contribution_id=contribution.pk)
    frame = json.loads(thread_event_frames(thread, [event])[0]["fr:anon"])
    assert "Un avis tout neuf." in frame["html"] and "badge--cited" not in frame["html"]
