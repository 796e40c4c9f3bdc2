"""The idea statuses' pages pass axe-core without serious or critical violations in Arabic
(RTL), French and English, on a phone-sized screen: an idea with its dated status history and
"what the institution did with it", and the outcome and decision pages citing it."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import Group

from citizen_ideas.models import IdeaStatus
from citizen_ideas.services import idea_propose, idea_support
from citizen_ideas.statuses import idea_status_change
from cms.services import institution_group_names
from tests.a11y.axe_checks import axe_problems, browser_context
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cited_idea(site, make_consultation, make_outcome, make_decision, settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    institution = site["institution"]["ar"]
    consultation = make_consultation(language="ar", opens_in=-10, closes_in=5, title="خطة الماء")
    idea = idea_propose(
        author=UserFactory(display_name="أمينة"), institution=institution, consultation=consultation,
        title="حنفية قرب السوق", body="نقترح حنفية عمومية قرب السوق الأسبوعي.",
        idempotency_key=uuid.uuid4(), language="ar",
    )
    idea_support(user=UserFactory(), idea=idea)
    editor = UserFactory()
    editor.groups.add(Group.objects.create(name=institution_group_names(institution)[0]))
    idea_status_change(idea=idea, status=IdeaStatus.UNDER_STUDY, reason="قيد الدراسة لدى المصالح الفنية.", by=editor)
    idea_status_change(idea=idea, status=IdeaStatus.ACCEPTED, reason="أُدرجت في برنامج هذه السنة.", by=editor)
    outcome = make_outcome(consultation, responses=[{"theme": "الماء", "contributions": [idea.opening]}])
    decision = make_decision(
        outcome, title="قرار بلدي حول الحنفيات", contributions=[idea.opening],
        milestones=[("adopted", datetime.date(2026, 5, 2))],
    )
    return {"idea": idea, "outcome": outcome, "decision": decision}


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_an_answered_and_cited_idea_passes_axe(browser, live_server, cited_idea, language):
    context = browser_context(browser, live_server)
    urls = [f"{live_server.url}/{language}/ideas/{cited_idea['idea'].pk}/"]
    if language == "ar":  # the outcome and decision exist in Arabic only
        urls += [live_server.url + cited_idea["outcome"].url, live_server.url + cited_idea["decision"].url]
    found = {}
    try:
        for url in urls:
            page = context.new_page()
            try:
                response = page.goto(url)
                assert response.status < 400, (url, response.status)
                assert page.locator(".idea-history, .cited--ideas").count() >= 1, url
                problems = axe_problems(page)
                if problems:
                    found[url] = problems
            finally:
                page.close()
    finally:
        context.close()
    assert found == {}
