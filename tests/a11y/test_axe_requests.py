"""Citizen requests' pages pass axe-core without serious or critical violations in Arabic
(RTL), French and English: filing (signed out and in, with errors, the receipt), following,
a request's page while it waits for the citizen, "My requests", an institution's public
suggestions and notices and one of them with its discussion; and the staff's queue and a
request's admin page, right-to-left for an officer whose admin speaks Arabic."""

import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from citizen_requests import services
from citizen_requests.models import PublicRequestsPage, RequestDesk
from citizen_requests.roles import request_roles_ensure
from cms.services import institution_group_names, page_translation_ensure
from deliberation.services import contribution_post, thread_for_page
from tests.a11y.axe_checks import axe_problems, browser_context
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def requests_site(site, citizen, settings, tmp_path):
    settings.CITIZEN_REQUESTS_ATTACHMENTS_ROOT = str(tmp_path / "requests")
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    institution = site["institution"]["ar"]
    desk = RequestDesk.objects.create(institution=institution, code="KEF")
    officer = UserFactory(display_name="سلمى")
    officer.groups.add(request_roles_ensure(desk=desk))
    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "ar"
    profile.save()
    approver = UserFactory(display_name="الهادي")
    approver.groups.add(Group.objects.get_or_create(name=institution_group_names(institution)[1])[0])
    page = institution.add_child(instance=PublicRequestsPage(title="مقترحات وإشعارات", slug="public-requests"))
    page.save_revision().publish()
    for code, title in (("fr", "Suggestions et signalements"), ("en", "Suggestions and notices")):
        page_translation_ensure(page=page, locale=Locale.objects.get(language_code=code), title=title)

    def file(**fields):
        return services.request_file(
            author=citizen, desk=desk, language="ar", idempotency_key=uuid.uuid4(), **fields
        ).request
    waiting = file(kind="complaint", subject="انقطاع الماء", text="الماء مقطوع منذ ثلاثة أيام.")
    services.request_assign(actor=officer, request=waiting, assignee=officer)
    services.request_ask(actor=officer, request=waiting, question="ما رقم العداد؟")
    suggestion = file(kind="suggestion", subject="مظلات للحافلات", text="نقترح مظلات في المحطات.", public=True)
    services.request_publication_moderate(actor=officer, request=suggestion, publish=True)
    suggestion.refresh_from_db()
    services.request_support(user=UserFactory(), request=suggestion)
    contribution_post(
        author=UserFactory(), thread=thread_for_page(page=page, section_id=suggestion.tracking_number),
        body="فكرة جيدة.", idempotency_key=uuid.uuid4(),
    )
    return {"desk": desk, "officer": officer, "waiting": waiting, "suggestion": suggestion}


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
def test_the_citizens_request_pages_pass_axe(browser, live_server, requests_site, citizen, language):
    base = f"{live_server.url}/{language}"
    number = requests_site["waiting"].tracking_number
    public = requests_site["suggestion"].tracking_number
    found = {}
    anonymous = browser_context(browser, live_server)
    signed_in = browser_context(browser, live_server, citizen)
    try:
        for path in ("requests/", "requests/follow/", "el-kef/public-requests/", f"el-kef/public-requests/{public}/"):
            _check(anonymous, f"{base}/{path}", found, rtl=language == "ar")
        for path in ("requests/", f"requests/{number}/", "requests/mine/"):
            _check(signed_in, f"{base}/{path}", found, rtl=language == "ar")
        # A form sent with mistakes, and the receipt.
        page = signed_in.new_page()
        page.goto(f"{base}/requests/")
        page.check("input[name=kind][value=guidance]")
        with page.expect_navigation():
            page.click("form.request-form button[type=submit]")
        assert page.locator(".form-errors, .errorlist").count() > 0
        problems = axe_problems(page)
        if problems:
            found["requests/ (errors)"] = problems
        page.select_option("select[name=desk]", str(requests_site["desk"].pk))
        page.fill("input[name=subject]", "شهادة ولادة")
        page.fill("textarea[name=text]", "كيف أحصل على مضمون ولادة عن بعد؟")
        with page.expect_navigation():
            page.click("form.request-form button[type=submit]")
        assert page.locator(".receipt__code").count() > 0
        problems = axe_problems(page)
        if problems:
            found["receipt"] = problems
        page.close()
    finally:
        anonymous.close()
        signed_in.close()
    assert found == {}


def test_the_staff_queue_and_request_page_are_right_to_left_in_arabic_and_pass_axe(
    browser, live_server, requests_site
):
    number = requests_site["waiting"].tracking_number
    admin = f"{live_server.url}/{settings.WAGTAILADMIN_URL_PREFIX}"
    found = {}
    context = browser_context(browser, live_server, requests_site["officer"])
    try:
        _check(context, f"{admin}/requests/", found, rtl=True)
        _check(context, f"{admin}/requests/{number}/", found, rtl=True)
    finally:
        context.close()
    assert found == {}
