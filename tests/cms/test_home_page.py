"""The front door: what a citizen sees on the home page (open consultations first, closing
soonest, with time left and contributions; outcomes and decisions; forum topics; ideas; public
requests; participation figures), its cache, and a query count that does not grow."""

import datetime
import uuid

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.home import home_cache_invalidate, home_cache_version

pytestmark = pytest.mark.django_db


def soup(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def card_titles(page, section_id):
    section = page.find(attrs={"aria-labelledby": section_id})
    return [h.get_text(strip=True) for h in section.select(".card h3")] if section else []


def test_open_consultations_come_first_closing_soonest_with_time_left_and_counts(
    client, site, make_consultation, post, trusted_citizen
):
    later = make_consultation(title="Closes in twenty days", closes_in=20, language="en")
    soon = make_consultation(title="Closes in three days", closes_in=3, language="en")
    make_consultation(title="Already closed", opens_in=-10, closes_in=-1, language="en")
    make_consultation(title="Not open yet", opens_in=5, closes_in=30, language="en")
    make_consultation(title="In Arabic", language="ar")
    restricted = make_consultation(title="Restricted", language="en")
    restricted.view_restrictions.create(restriction_type="login")
    draft = make_consultation(title="Draft", language="en")
    draft.unpublish()
    from deliberation.services import thread_for_page

    for _ in range(2):
        post(trusted_citizen, thread_for_page(page=soon))
    post(trusted_citizen, thread_for_page(page=later))

    page = soup(client, "/en/")
    main = page.find("main")
    # The first thing after the title and the introduction: the open consultations.
    assert main.find("h2")["id"] == "open-consultations-heading"
    assert card_titles(page, "open-consultations-heading") == [
        "Closes in three days", "Closes in twenty days",
    ]
    cards = page.find(attrs={"aria-labelledby": "open-consultations-heading"}).select(".card")
    assert "2 days left" in cards[0].select_one(".timing").get_text()
    assert "19 days left" in cards[1].select_one(".timing").get_text()
    assert "2 contributions" in cards[0].get_text()
    assert "1 contribution" in cards[1].get_text()
    text = main.get_text(" ", strip=True)
    assert "2 consultations are open" in text
    for absent in ("Already closed", "Not open yet", "In Arabic", "Restricted", "Draft"):
        assert absent not in text
    # The index with its filters is one click away.
    assert main.find("a", href="/en/consultations/")


def _idea(author, institution, title):
    from citizen_ideas.services import idea_propose

    return idea_propose(
        author=author, institution=institution, title=title, body="Plus d'arbres dans la ville.",
        idempotency_key=uuid.uuid4(),
    )


def test_outcomes_decisions_forum_ideas_and_figures_are_listed(
    client, site, make_consultation, make_outcome, make_decision, trusted_citizen, post
):
    from deliberation.models import ForumTopicPage
    from deliberation.services import thread_for_page

    consultation = make_consultation(title="Water code", language="en", opens_in=-20, closes_in=-2)
    outcome = make_outcome(consultation, title="What we heard about water")
    make_decision(
        outcome, title="Ten public fountains",
        milestones=[("proposed", datetime.date(2026, 6, 1)), ("adopted", datetime.date(2026, 7, 1))],
    )
    institution = site["institution"]["en"]
    topic = institution.add_child(
        instance=ForumTopicPage(title="Cycling in town", slug="cycling", summary="Bike lanes?")
    )
    topic.save_revision().publish()
    post(trusted_citizen, thread_for_page(page=topic), "Yes please.")
    _idea(trusted_citizen, site["institution"]["ar"], "حدائق أكثر")

    page = soup(client, "/en/")
    decisions = page.find(attrs={"aria-labelledby": "decisions-heading"})
    assert [h.get_text(strip=True) for h in decisions.select(".card h3")] == ["Ten public fountains"]
    assert decisions.select_one(".decision-status--adopted").get_text(strip=True) == "Adopted"
    assert "What we heard about water" in decisions.get_text()
    assert "Water code" in decisions.find("bdi", string="Water code").get_text()
    assert card_titles(page, "forum-heading") == ["Cycling in town"]
    ideas = page.find(attrs={"aria-labelledby": "ideas-heading"})
    assert ideas.find("bdi", string="حدائق أكثر") is not None
    assert "0 supports" in ideas.get_text(" ", strip=True)
    figures = {dd["data-figure"]: dd.get_text(strip=True) for dd in page.select("dd[data-figure]")}
    assert figures["consultations"] == "1" and figures["open"] == "0"
    assert figures["decisions"] == "1" and figures["ideas"] == "1"
    assert figures["contributions"] == "2"  # the topic's and the idea's text
    # One person wrote them: a count of people under the threshold is not published.
    assert figures["participants"] == "fewer than 5"
    assert page.select_one('dd[data-figure="participants"] .count-hidden')


def test_arabic_home_page_uses_arabic_plural_forms_and_reads_right_to_left(
    client, site, make_consultation
):
    make_consultation(title="مشروع", language="ar", closes_in=10)
    response = client.get("/ar/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["dir"] == "rtl" and page.html["lang"] == "ar"
    assert card_titles(page, "open-consultations-heading") == ["مشروع"]
    # "0 contributions" in Arabic takes the zero form the catalog gives ("0 مساهمة"…), never
    # the English words.
    card = page.find(attrs={"aria-labelledby": "open-consultations-heading"}).select_one(".card")
    assert "contribution" not in card.get_text()


def test_publishing_a_consultation_shows_it_at_once_despite_the_cache(
    client, site, make_consultation
):
    make_consultation(title="First", language="en")
    assert card_titles(soup(client, "/en/"), "open-consultations-heading") == ["First"]
    version = home_cache_version()
    make_consultation(title="Second", language="en", closes_in=5)  # published: cache dropped
    assert home_cache_version() > version
    assert card_titles(soup(client, "/en/"), "open-consultations-heading") == ["Second", "First"]


def test_the_cache_is_used_until_a_page_is_published(client, site, make_consultation):
    make_consultation(title="First", language="en")
    soup(client, "/en/")
    with CaptureQueriesContext(connection) as cached:
        soup(client, "/en/")
    home_cache_invalidate()  # as a publication does
    with CaptureQueriesContext(connection) as uncached:
        soup(client, "/en/")
    assert len(cached) < len(uncached) - 8


def _fill(site, make_consultation, make_outcome, make_decision, post, author, n):
    from deliberation.models import ForumTopicPage
    from deliberation.services import thread_for_page

    from tests.factories import UserFactory

    institution = site["institution"]["en"]
    for number in range(n):
        author = UserFactory()  # (one account would meet the posting rate limit)
        consultation = make_consultation(title=f"Open {number}", language="en", closes_in=3 + number)
        post(author, thread_for_page(page=consultation))
        closed = make_consultation(
            title=f"Closed {number}", language="en", opens_in=-30, closes_in=-1 - number
        )
        make_decision(make_outcome(closed), title=f"Decision {number}")
        topic = institution.add_child(
            instance=ForumTopicPage(title=f"Topic {number}", slug=f"topic-{number}-{uuid.uuid4().hex[:4]}", summary="…")
        )
        topic.save_revision().publish()
        _idea(author, site["institution"]["ar"], f"Idea {number}")


def _home_queries(client) -> int:
    soup(client, "/en/")  # Wagtail's own caches (the sites' root paths) warm, as in use
    home_cache_invalidate()  # every part counted again
    with CaptureQueriesContext(connection) as queries:
        soup(client, "/en/")
    return len(queries)


def test_query_count_does_not_grow_with_consultations_decisions_topics_or_ideas(
    client, site, make_consultation, make_outcome, make_decision, post, trusted_citizen
):
    _fill(site, make_consultation, make_outcome, make_decision, post, trusted_citizen, 1)
    small = _home_queries(client)
    _fill(site, make_consultation, make_outcome, make_decision, post, trusted_citizen, 7)
    large = _home_queries(client)
    page = soup(client, "/en/")
    assert len(page.select('[aria-labelledby="open-consultations-heading"] .card')) == 6
    assert small == large


def test_people_reading_now_is_live_not_cached_and_small_numbers_are_hidden(
    client, site, monkeypatch
):
    import deliberation.wagtail_hooks as deliberation_hooks

    monkeypatch.setattr(deliberation_hooks, "watchers_here", lambda: 0)
    assert soup(client, "/en/").select_one('[data-figure="readers-now"]') is None
    monkeypatch.setattr(deliberation_hooks, "watchers_here", lambda: 7)
    line = soup(client, "/en/").select_one('[data-figure="readers-now"]')  # same cache entry
    assert line.get_text(strip=True) == "7 people are reading discussions right now."
    monkeypatch.setattr(deliberation_hooks, "watchers_here", lambda: 2)
    line = soup(client, "/en/").select_one('[data-figure="readers-now"]')
    assert line.get_text(" ", strip=True) == "fewer than 5 people are reading discussions right now."
