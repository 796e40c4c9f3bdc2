"""A complaint's whole life in a real browser (Debian's Chromium through Playwright, pages
served by daphne): a citizen files it in Arabic on a phone-sized window, an officer assigns it
and asks a question in the admin, the citizen's open request page shows the new stage without
being reloaded, the citizen answers, the officer drafts the answer, an approver sends it, and
the citizen's page shows the answer, again without a reload. Then a signed answer, from the
approver's click to the citizen's PDF checked on the verification page.

Like tests/deliberation/test_live_browser.py, daphne reads the test database, so the test
commits (``transaction=True``) and everything goes through daphne.
"""

import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from citizen_requests import services
from citizen_requests.models import CitizenRequest
from citizen_requests.stages import Stage
from signatures.models import SignedDocument
from signatures.services import demo_certificates_ensure
from tests.deliberation.servers import daphne_server
from tests.deliberation.browsing import live_server_env
from tests.signatures.builders import one_byte_changed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEP = 10_000  # ms for a page load or a form
LIVE = 5_000  # ms for a change to reach an open page


def _context(browser, base_url, user, *, phone=False):
    context = browser.new_context(
        viewport={"width": 390, "height": 844} if phone else {"width": 1100, "height": 900},
        locale="ar-TN" if phone else "en-GB",
    )
    context.set_default_timeout(STEP)
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": base_url}])
    return context


def _act(page, action: str, fill: dict[str, str] | None = None, select: dict[str, str] | None = None):
    """Open the admin's folded form for ``action``, fill it, send it, wait for the page back."""
    form = page.locator(f"form[action$='/{action}/']")
    details = page.locator("details.request-admin__action", has=form)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    for name, value in (select or {}).items():
        form.locator(f"select[name={name}]").select_option(value)
    for name, value in (fill or {}).items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    errors = page.locator(".messages .error")
    assert errors.count() == 0, errors.all_inner_texts()


def _watching(page) -> None:
    page.wait_for_selector("[data-live-socket][data-live-state=open]", timeout=STEP)
    page.evaluate("window.__marker = 1")


def _not_reloaded(page) -> bool:
    return page.evaluate("window.__marker === 1")


def test_a_complaint_from_filing_to_answer_with_live_stages(browser, citizen, desk, officer, approver):
    with translation.override("ar"):
        waiting_label = gettext("Waiting for the citizen")
    assert waiting_label != "Waiting for the citizen"  # the catalog is translated
    with live_server_env() as env_extra, daphne_server(env_extra=env_extra) as server:
        base = server.url("")
        contexts = [
            _context(browser, base, citizen, phone=True),
            _context(browser, base, officer),
            _context(browser, base, approver),
        ]
        try:
            phone, office, approval = (context.new_page() for context in contexts)
            problems = []
            phone.on("pageerror", lambda error: problems.append(str(error)))

            # --- The citizen files a complaint, in Arabic, on a phone.
            phone.goto(server.url("/ar/requests/"))
            assert phone.locator("html").get_attribute("dir") == "rtl"
            phone.check("input[name=kind][value=complaint]")
            phone.select_option("select[name=desk]", str(desk.pk))
            phone.fill("input[name=subject]", "انقطاع الماء في حي النور")
            phone.fill("textarea[name=text]", "الماء مقطوع منذ ثلاثة أيام في حي النور دون أي إعلام.")
            with phone.expect_navigation():
                phone.click("form.request-form button[type=submit]")
            request = CitizenRequest.objects.get()
            assert request.tracking_number in phone.locator("main").inner_text()
            phone.screenshot(path="/tmp/request-receipt-ar.png", full_page=True)

            # --- Its page, open on the phone.
            phone.goto(server.url(f"/ar/requests/{request.tracking_number}/"))
            _watching(phone)

            # --- The officer assigns it to themself and asks a question.
            admin_url = server.url(f"/{settings.WAGTAILADMIN_URL_PREFIX}/requests/{request.tracking_number}/")
            office.goto(admin_url)
            _act(office, "assign", select={"assignee": str(officer.pk)})
            question = "ما هو رقم عدّاد الماء الخاص بكم؟"
            _act(office, "ask", fill={"question": question})

            # --- The citizen's page shows the new stage and the question, not reloaded.
            phone.locator(".request-stage--waiting").first.wait_for(timeout=LIVE)
            assert waiting_label in phone.locator(".request-stage--waiting").first.inner_text()
            phone.get_by_text(question).first.wait_for(timeout=LIVE)
            assert _not_reloaded(phone)
            phone.screenshot(path="/tmp/request-waiting-ar.png", full_page=True)

            # --- The citizen answers.
            phone.fill("textarea[name=text]", "رقم العداد 4471")
            with phone.expect_navigation():
                phone.locator("form[action$='/reply/'] button[type=submit]").click()
            request.refresh_from_db()
            assert request.stage == Stage.IN_PROGRESS
            _watching(phone)

            # --- The officer drafts the answer; an approver sends it.
            office.goto(admin_url)
            answer = "تم إصلاح القناة وعودة التزود بالماء يوم الإثنين."
            _act(office, "draft", fill={"answer": answer})
            approval.goto(admin_url)
            _act(approval, "send")

            # --- The citizen's page shows the answer, not reloaded.
            phone.locator(".request-stage--answered").first.wait_for(timeout=LIVE)
            phone.get_by_text(answer).first.wait_for(timeout=LIVE)
            assert _not_reloaded(phone)
            phone.screenshot(path="/tmp/request-answered-ar.png", full_page=True)
            request.refresh_from_db()
            assert (request.stage, request.answer, request.answered_by) == (Stage.ANSWERED, answer, approver)
            assert problems == []
        except Exception:
            print(server.log())
            raise
        finally:
            for context in contexts:
                context.close()


def test_a_signed_answer_is_downloaded_by_the_citizen_and_verified(browser, citizen, desk, officer, approver, tmp_path):
    """The approver sends the answer in the admin; the citizen's page (Arabic, a phone) shows
    it signed, without a reload; the citizen downloads the PDF and uploads it on the
    verification page, which says valid; a copy with one byte changed says altered."""
    certificate = demo_certificates_ensure(institutions=[desk.institution])[0]
    request = file_request_now(citizen, desk)
    services.request_assign(actor=officer, request=request, assignee=officer)
    services.answer_draft(actor=officer, request=request, text="تم إصلاح القناة وعودة التزود بالماء يوم الإثنين.")
    # daphne signs with the keys this session made, and keeps the PDF where this test reads it.
    signing = {
        name: getattr(settings, name)
        for name in ("SIGNATURES_KEY_DIR", "SIGNATURES_CRL_DIR", "SIGNATURES_DOCUMENTS_ROOT")
    }
    with live_server_env() as env_extra, daphne_server(env_extra={**env_extra, **signing}) as server:
        base = server.url("")
        contexts = [_context(browser, base, citizen, phone=True), _context(browser, base, approver)]
        try:
            phone, approval = (context.new_page() for context in contexts)
            problems = []
            phone.on("pageerror", lambda error: problems.append(str(error)))
            phone.goto(server.url(f"/ar/requests/{request.tracking_number}/"))
            _watching(phone)

            # --- The approver sends it: signed by the institution.
            approval.goto(server.url(f"/{settings.WAGTAILADMIN_URL_PREFIX}/requests/{request.tracking_number}/"))
            assert "It is signed electronically in the name of" in approval.inner_text("main")
            _act(approval, "send")
            document = SignedDocument.objects.get()
            assert document.certificate == certificate
            assert document.verification_code in approval.inner_text("main")

            # --- The citizen's page shows the signed answer, not reloaded, and its code.
            download = phone.locator(".request-signed a[download]")
            download.wait_for(timeout=LIVE)
            assert _not_reloaded(phone)
            assert document.verification_code in phone.inner_text(".request-signed")
            phone.screenshot(path="/tmp/request-signed-ar.png", full_page=True)
            with phone.expect_download() as downloading:
                download.click()
            good = tmp_path / "answer.pdf"
            downloading.value.save_as(good)
            assert good.read_bytes().startswith(b"%PDF-")
            bad = tmp_path / "answer-copy.pdf"
            bad.write_bytes(one_byte_changed(good.read_bytes()))

            # --- The verification link checks the reference and code at once.
            phone.locator(".request-signed a[href*='/verify/']").click()
            phone.wait_for_selector("[data-status]")
            assert phone.get_attribute("[data-status]", "data-status") == "valid"

            # --- The downloaded PDF is valid; a copy with one byte changed is altered.
            for path, status in ((good, "valid"), (bad, "altered")):
                phone.set_input_files("input[type=file]", str(path))
                with phone.expect_navigation():
                    phone.locator("section[aria-labelledby=upload-heading] button[type=submit]").click()
                assert phone.get_attribute("[data-status]", "data-status") == status
            phone.screenshot(path="/tmp/verify-altered-ar.png", full_page=True)
            assert problems == []
        except Exception:
            print(server.log())
            raise
        finally:
            for context in contexts:
                context.close()


def file_request_now(citizen, desk) -> CitizenRequest:
    return services.request_file(
        author=citizen, kind="complaint", desk=desk, subject="انقطاع الماء في حي النور",
        text="الماء مقطوع منذ ثلاثة أيام في حي النور دون أي إعلام.", language="ar",
        idempotency_key=uuid.uuid4(),
    ).request
