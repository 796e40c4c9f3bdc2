"""The pages of proposed forum topics pass axe-core without serious or critical violations in
Arabic (RTL), French and English: proposing one (signed out, signed in, sent with mistakes),
"My proposed topics" with a pending, an approved and a rejected proposal, the institution's
page with its forum; and the moderators' queue in the admin, right-to-left in Arabic."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from wagtail.users.models import UserProfile

from deliberation import services
from tests.a11y.axe_checks import axe_problems, browser_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proposals_site(site, citizen, moderator_of):
    citizen.email_verified = True
    citizen.save(update_fields=["email_verified"])
    institution = site["institution"]["ar"]
    moderator = moderator_of(institution, display_name="الإشراف")
    moderator.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    profile = UserProfile.get_for_user(moderator)
    profile.preferred_language = "ar"
    profile.save()

    def propose(title, language):
        return services.topic_propose(
            proposer=citizen, institution=site["institution"][language], title=title,
            text="نص المقترح.\n\nفقرة ثانية.", topics="الماء, النقل", language=language,
        )
    services.topic_proposal_approve(moderator=moderator, proposal=propose("فضاءات خضراء للأطفال", "ar"))
    services.topic_proposal_reject(
        moderator=moderator, proposal=propose("Un sujet hors compétence", "fr"), reason="off_topic",
        note="Ce sujet relève du ministère.",
    )
    propose("Des bancs dans les jardins", "fr")
    return {"institution": institution, "moderator": moderator}


def _check(context, url: str, found: dict, *, rtl: bool | None = None) -> None:
    page = context.new_page()
    try:
        response = page.goto(url)
        assert response.status < 400, (url, response.status)
        if rtl is not None:
            assert (page.locator("html").get_attribute("dir") == "rtl") == rtl, url
        problems = axe_problems(page)
        if problems:
            found[url] = problems
    finally:
        page.close()


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_proposal_pages_pass_axe(browser, live_server, proposals_site, citizen, language):
    base = f"{live_server.url}/{language}"
    propose = f"{base}/deliberation/forum/{proposals_site['institution'].pk}/propose/"
    found = {}
    anonymous = browser_context(browser, live_server)
    signed_in = browser_context(browser, live_server, citizen)
    try:
        _check(anonymous, propose, found, rtl=language == "ar")
        _check(anonymous, f"{base}/el-kef/", found, rtl=language == "ar")
        _check(signed_in, propose, found, rtl=language == "ar")
        _check(signed_in, f"{base}/deliberation/forum/proposals/", found, rtl=language == "ar")
        page = signed_in.new_page()
        page.goto(propose)
        page.fill("input[name=title]", "ab")
        with page.expect_navigation():
            page.click("form.proposal-form button[type=submit]")
        assert page.locator(".form-errors, .errorlist").count() > 0
        problems = axe_problems(page)
        if problems:
            found["propose (errors)"] = problems
        page.close()
    finally:
        anonymous.close()
        signed_in.close()
    assert found == {}


def test_the_moderators_proposal_queue_is_right_to_left_in_arabic_and_passes_axe(
    browser, live_server, proposals_site
):
    admin = f"{live_server.url}/{settings.WAGTAILADMIN_URL_PREFIX}"
    found = {}
    context = browser_context(browser, live_server, proposals_site["moderator"])
    try:
        _check(context, f"{admin}/moderation/proposals/", found, rtl=True)
        _check(context, f"{admin}/moderation/proposals/?status=rejected", found, rtl=True)
    finally:
        context.close()
    assert found == {}
