"""The appeal form (a citizen's, with the error of an empty text shown) and the moderators'
Appeals and Suspensions pages pass axe-core in Arabic, French and English."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from deliberation import services
from deliberation.models import ModerationActionKind as Kind
from deliberation.models import Reason
from tests.a11y.axe_checks import axe_problems, browser_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_SCREEN = {"viewport": {"width": 1280, "height": 900}, "reduced_motion": "reduce"}


def _check(page, url, language, found, expect):
    if url is not None:
        response = page.goto(url)
        assert response.status < 500, (url, response.status)
    html = page.locator("html")
    assert html.get_attribute("lang").startswith(language), url
    assert (html.get_attribute("dir") == "rtl") == (language == "ar"), url
    assert page.locator(expect).count() > 0, (url, expect)
    page.evaluate(
        "() => Promise.all(document.getAnimations()"
        ".filter(a => a.effect && a.effect.getTiming().iterations !== Infinity).map(a => a.finished))"
    )
    problems = axe_problems(page)
    if problems:
        found[f"{language} {url or page.url}"] = problems


def test_the_appeal_form_and_the_moderators_pages_pass_axe_in_every_language(
    site, thread, post, moderator_of, user_factory, browser, live_server, settings
):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    call_command("setup_institutions", stdout=open("/dev/null", "w"))
    moderator = moderator_of(site["institution"]["fr"], display_name="المشرف")
    colleague = moderator_of(site["institution"]["fr"], display_name="Collègue")
    author = user_factory(display_name="كريم", preferred_language="ar")
    hidden = [
        services.contribution_moderate(
            moderator=moderator, contribution=post(author, thread, f"رأي {n}"),
            action=Kind.HIDE, reason=Reason.ABUSE,
        )
        for n in range(4)
    ]
    services.contribution_appeal(user=author, contribution=hidden[0], text="لم يكن ذلك شتماً.")
    services.user_suspend(moderator=moderator, user=author, days=3, reason=Reason.SPAM, contribution=hidden[1])
    admin = f"{live_server.url}/{settings.WAGTAILADMIN_URL_PREFIX}"
    found: dict = {}
    citizen = browser_context(browser, live_server, author)
    staff = browser_context(browser, live_server, colleague, **ADMIN_SCREEN)
    try:
        for n, language in enumerate(("ar", "fr", "en"), start=1):
            with translation.override(language):
                appeal_url = live_server.url + reverse("deliberation:appeal", args=[hidden[n].pk])
            page = citizen.new_page()
            _check(page, appeal_url, language, found, expect="textarea[name=text]")
            with page.expect_navigation():
                page.click("form:has(textarea[name=text]) button[type=submit]")
            _check(page, None, language, found, expect=".form-errors")
            page.close()

            profile = UserProfile.get_for_user(colleague)
            profile.preferred_language = language
            profile.save()
            page = staff.new_page()
            _check(page, f"{admin}/moderation/appeals/", language, found, expect="article.moderation-item")
            _check(page, f"{admin}/moderation/suspensions/", language, found, expect="article.moderation-item")
            page.close()
    finally:
        citizen.close()
        staff.close()
    assert found == {}, "\n".join(f"{where}: {problems}" for where, problems in found.items())
