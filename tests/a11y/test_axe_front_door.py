"""The front door and an institution's page pass axe-core in ar/fr/en on a phone-sized window,
with every part of them filled: open and past consultations, an outcome and a decision, a
forum topic, a public idea, and the participation figures."""

import datetime
import uuid

import pytest
from django.test.utils import override_settings

from tests.a11y.axe_checks import axe_problems, browser_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def front_door(site, make_consultation, make_outcome, make_decision):
    from citizen_ideas.services import idea_propose
    from deliberation.models import ForumTopicPage
    from deliberation.services import contribution_post, thread_for_page
    from tests.factories import UserFactory

    author = UserFactory(display_name="سلمى")
    with override_settings(DELIBERATION_NEW_ACCOUNT_PREMODERATED=0):
        for language in ("ar", "fr", "en"):
            open_one = make_consultation(language=language, title=f"مشروع قانون {language}")
            contribution_post(
                author=author, thread=thread_for_page(page=open_one), body="رأيي.",
                idempotency_key=uuid.uuid4(),
            )
            closed = make_consultation(language=language, opens_in=-30, closes_in=-2)
            make_decision(
                make_outcome(closed),
                milestones=[("proposed", datetime.date(2026, 6, 1)), ("adopted", datetime.date(2026, 7, 1))],
            )
            institution = site["institution"][language]
            institution.add_child(
                instance=ForumTopicPage(title="منتدى", slug="forum-topic", summary="نقاش")
            ).save_revision().publish()
        idea_propose(
            author=author, institution=site["institution"]["ar"], title="حدائق أكثر",
            body="المزيد من الأشجار.", idempotency_key=uuid.uuid4(),
        )


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_home_and_institution_pages_pass_axe_on_a_phone(browser, live_server, front_door, language):
    context = browser_context(browser, live_server)
    found = {}
    try:
        for path in ("", "el-kef/"):
            tab = context.new_page()
            tab.goto(f"{live_server.url}/{language}/{path}")
            assert tab.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
            if path == "":
                assert tab.locator("#open-consultations-heading").is_visible()
                assert tab.locator(".card--decision").count() == 1
                # The navigation is in view, no script needed, on a phone-sized window.
                assert tab.locator(".site-nav a[href$='/consultations/']").is_visible()
            problems = axe_problems(tab)
            if problems:
                found[path or "home"] = problems
            tab.close()
    finally:
        context.close()
    assert found == {}
