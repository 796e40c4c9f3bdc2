"""The ideas' pages pass axe-core without serious or critical violations in Arabic (RTL),
French and English, on a phone-sized screen: an institution's and a consultation's lists
(with a filter), the form to propose (signed out, signed in, with an error), an answered
idea with its attached file and its discussion (signed out and as a supporter) and a removed idea."""

import uuid

import pytest
from django.utils import timezone

from citizen_ideas.models import Idea, IdeaStatus
from citizen_ideas.services import idea_propose, idea_support
from deliberation.services import contribution_moderate, contribution_post
from tests.a11y.axe_checks import axe_problems, browser_context
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ideas_site(site, make_consultation, settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    institution = site["institution"]["ar"]
    consultation = make_consultation(language="ar", slug="water-plan", title="خطة الماء")
    author, supporter = UserFactory(display_name="أمينة"), UserFactory(display_name="Sami")
    admin = UserFactory(is_superuser=True, is_staff=True)

    def propose(title, body, **kw):
        return idea_propose(
            author=author, institution=institution, title=title, body=body,
            idempotency_key=uuid.uuid4(), language="ar", **kw,
        )

    answered = propose(
        "مقاعد في الحديقة", "نقترح تركيب مقاعد في الحديقة العمومية.",
        files=[("مخطط الحديقة.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    idea_support(user=supporter, idea=answered)
    contribution_post(
        author=supporter, thread=answered.thread, body="Bonne idée, et des arbres aussi.",
        idempotency_key=uuid.uuid4(),
    )
    Idea.objects.filter(pk=answered.pk).update(
        status=IdeaStatus.ACCEPTED, status_reason="ستُركّب المقاعد في الربيع.",
        status_changed_at=timezone.now(),
    )
    propose("Un marché bio", "Le samedi matin.", consultation=consultation)
    removed = propose("إعلان", "إعلان تجاري")
    contribution_moderate(moderator=admin, contribution=removed.opening, action="hide", reason="spam")
    return {"answered": answered, "removed": removed, "supporter": supporter, "consultation": consultation}


def _check(context, url: str, found: dict, *, rtl: bool, submit: bool = False) -> None:
    page = context.new_page()
    try:
        response = page.goto(url)
        assert response.status < 400, (url, response.status)
        if submit:  # send the form empty past the browser's checks: the errors are drawn
            page.locator("form.form-narrow").evaluate("form => form.noValidate = true")
            page.locator("form.form-narrow button[type=submit]").click()
            page.wait_for_load_state()
        assert (page.locator("html").get_attribute("dir") == "rtl") == rtl, url
        problems = axe_problems(page)
        if problems:
            found[url + (" (errors)" if submit else "")] = problems
    finally:
        page.close()


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_ideas_pages_pass_axe(browser, live_server, ideas_site, language):
    base = f"{live_server.url}/{language}"
    answered, removed = ideas_site["answered"], ideas_site["removed"]
    consultation = ideas_site["consultation"]
    translated = consultation.get_translation_or_none(
        consultation.locale.__class__.objects.get(language_code=language)
    )
    consultation_url = f"{base}/el-kef/{(translated or consultation).slug}/"
    rtl = language == "ar"
    found: dict = {}
    signed_out = browser_context(browser, live_server)
    try:
        for path in (
            "/ideas/institutions/el-kef/",
            "/ideas/institutions/el-kef/?sort=newest&status=accepted",
            "/ideas/institutions/el-kef/propose/",
            "/ideas/institutions/el-kef/moderation-log/",
            f"/ideas/{answered.pk}/",
            f"/ideas/{removed.pk}/",
        ):
            _check(signed_out, base + path, found, rtl=rtl)
        if translated is not None:
            _check(signed_out, consultation_url + "ideas/", found, rtl=rtl)
    finally:
        signed_out.close()
    signed_in = browser_context(browser, live_server, ideas_site["supporter"])
    try:
        _check(signed_in, f"{base}/ideas/{answered.pk}/", found, rtl=rtl)
        _check(signed_in, f"{base}/ideas/institutions/el-kef/propose/", found, rtl=rtl)
        _check(signed_in, f"{base}/ideas/institutions/el-kef/propose/", found, rtl=rtl, submit=True)
    finally:
        signed_in.close()
    assert found == {}
