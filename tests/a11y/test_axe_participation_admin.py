"""The staff's new admin pages pass axe-core without serious or critical violations in Arabic
(right to left), French and English, the admin speaking the user's preferred language: the
"Ideas" desk of an institution's editor (the list, filtered, an idea's page, and its status
form sent without a reason, the error shown) and the moderators' "Free-text answers" review
(pending and approved tabs) with answers waiting."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.users.models import UserProfile

from cms.services import institution_group_names
from questionnaires.models import Answer, ReviewStatus
from tests.a11y.axe_checks import axe_problems, browser_context
from tests.citizen_ideas.conftest import institution, propose  # noqa: F401 (fixtures)
from tests.factories import UserFactory
from tests.questionnaires.answers import responses_make
from tests.questionnaires.conftest import make_questionnaire, questionnaire  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("ar", "fr", "en")


@pytest.fixture
def admin_world(site, institution, propose, questionnaire, trusted_citizen, moderator_of):  # noqa: F811
    """Built once for the module's one test: an idea sent to Le Kef, an editor of Le Kef,
    a questionnaire with submitted free-text answers waiting, and Le Kef's moderator."""
    call_command("setup_institutions", stdout=open("/dev/null", "w"))
    idea = propose(trusted_citizen, institution)
    editor = UserFactory(is_staff=True, display_name="المحرر")
    editor.groups.add(Group.objects.get(name=institution_group_names(institution)[0]))
    responses_make(questionnaire, 20, seed=11)
    assert Answer.objects.filter(review_status=ReviewStatus.PENDING, response__is_draft=False).exists()
    Answer.objects.filter(
        pk=Answer.objects.filter(review_status=ReviewStatus.PENDING, response__is_draft=False)
        .order_by("pk").values("pk")[:1]
    ).update(review_status=ReviewStatus.APPROVED)
    return {"idea": idea, "editor": editor, "moderator": moderator_of(site["institution"]["fr"])}


# The admin's messages fade in: axe would read their colours half way (reduced motion, and
# waiting for running animations below, make the check read the final colours).
ADMIN_SCREEN = {"viewport": {"width": 1280, "height": 900}, "reduced_motion": "reduce"}


def _speaks(user, language: str) -> None:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def _check(page, url: str, language: str, found: dict, *, expect: str | None = None) -> None:
    """Open ``url`` (unless None: the page already shows what to check) and run axe on it."""
    if url is not None:
        response = page.goto(url)
        assert response.status < 400, (url, response.status)
    html = page.locator("html")
    assert html.get_attribute("lang").startswith(language), (url, html.get_attribute("lang"))
    assert (html.get_attribute("dir") == "rtl") == (language == "ar"), url
    if expect is not None:
        assert page.locator(expect).count() > 0, (url, expect)
    page.evaluate(
        "() => Promise.all(document.getAnimations()"
        ".filter(a => a.effect && a.effect.getTiming().iterations !== Infinity).map(a => a.finished))"
    )
    problems = axe_problems(page)
    if problems:
        found[f"{language} {url or page.url + ' (errors)'}"] = problems


def test_the_ideas_desk_and_the_answers_review_pass_axe_in_every_language(
    admin_world, browser, live_server
):
    admin = f"{live_server.url}/{settings.WAGTAILADMIN_URL_PREFIX}"
    idea_url = f"{admin}/ideas/{admin_world['idea'].pk}/"
    found: dict = {}
    editor = browser_context(browser, live_server, admin_world["editor"], **ADMIN_SCREEN)
    moderator = browser_context(browser, live_server, admin_world["moderator"], **ADMIN_SCREEN)
    try:
        for language in LANGUAGES:
            _speaks(admin_world["editor"], language)
            page = editor.new_page()
            _check(page, f"{admin}/ideas/", language, found, expect="table.listing")
            _check(page, f"{admin}/ideas/?status=received", language, found, expect="table.listing")
            _check(page, idea_url, language, found, expect="form select[name=status]")
            page.select_option("select[name=status]", "accepted")
            with page.expect_navigation():
                page.click("section[aria-labelledby=idea-status-form] button[type=submit]")
            _check(page, None, language, found, expect=".error-message, .w-field__errors, .messages .error")
            page.close()

            _speaks(admin_world["moderator"], language)
            page = moderator.new_page()
            _check(page, f"{admin}/moderation/answers/", language, found, expect="article.moderation-item")
            _check(
                page, f"{admin}/moderation/answers/?status=approved", language, found,
                expect="article.moderation-item",
            )
            page.close()
    finally:
        editor.close()
        moderator.close()
    assert found == {}, "\n".join(f"{where}: {problems}" for where, problems in found.items())
