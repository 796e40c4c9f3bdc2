"""Signed answers: sending an answer signs it by the institution when it has a signing
certificate (and says so when it has none), a failure to sign sends nothing, the signed PDF
goes only to those who may read the request (staff downloads logged), and the pages, the
e-mail and the API give the verification code and link.

Signing renders and signs a real PDF (a quarter of a second): each test here signs at most
once; the certificates come from the demo CA, as seed_demo's do."""

import hashlib
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from citizen_requests import services
from citizen_requests.models import StaffAccessAction, StaffAccessLog
from citizen_requests.services import Invalid
from citizen_requests.stages import Stage
from signatures.models import SignedDocument
from signatures.services import demo_certificates_ensure
from signatures.verification import verify_pdf, verify_reference
from tests.citizen_requests.conftest import PDF, staff

pytestmark = pytest.mark.django_db

ANSWER = "تم إصلاح القناة وعادت المياه يوم الإثنين."


@pytest.fixture
def documents(settings, tmp_path) -> Path:
    """This test's folder of signed PDFs."""
    settings.SIGNATURES_DOCUMENTS_ROOT = str(tmp_path / "signed")
    return tmp_path / "signed"


@pytest.fixture
def certified(desk, documents):
    """The desk's institution with an active demo certificate whose key the server finds."""
    return demo_certificates_ensure(institutions=[desk.institution])[0]


@pytest.fixture
def drafted(file_request, officer):
    """A complaint with a PDF attachment, assigned, its answer drafted by the officer; its
    secret code in ``secret_code``."""
    filed = file_request(files=[("محضر.pdf", PDF)])
    request = filed.request
    request.secret_code = filed.secret_code
    services.request_assign(actor=officer, request=request, assignee=officer)
    services.answer_draft(actor=officer, request=request, text=ANSWER)
    return request


def said(message_id: str, language: str, **values) -> str:
    with translation.override(language):
        text = gettext(message_id)
    return escape(text % values if values else text)


def page_url(name: str, *args, language: str = "ar") -> str:
    with translation.override(language):
        return reverse(f"citizen_requests:{name}", args=args)


def test_sending_signs_the_answer_and_the_email_gives_the_code_and_link(
    drafted, approver, certified, citizen, django_capture_on_commit_callbacks
):
    citizen.preferred_language = "fr"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        event = services.answer_send(actor=approver, request=drafted)
    document = event.signed_document
    assert document is not None and document.certificate == certified
    payload = document.payload
    assert (payload["kind"], payload["reference"], payload["language"]) == (
        "request_answer", drafted.tracking_number, "ar",
    )
    assert (payload["subject"], payload["text"]) == (drafted.subject, ANSWER)
    assert payload["attachments"] == [{"name": "محضر.pdf", "sha256": hashlib.sha256(PDF).hexdigest()}]
    with translation.override("ar"):
        role = gettext("approver")
    assert payload["signer"] == {"name": "Hedi Approver", "role": role}
    assert verify_reference(reference=drafted.tracking_number, code=document.verification_code).valid
    with document.pdf.open("rb") as handle:
        assert verify_pdf(handle.read()).valid
    drafted.refresh_from_db()
    assert drafted.stage == Stage.ANSWERED and drafted.answer == ANSWER
    assert StaffAccessLog.objects.filter(request=drafted, action=StaffAccessAction.SENT, detail="signed").exists()

    # The citizen's e-mail (in French): the answer, the signed PDF, the code and the link.
    message = mail.outbox[-1].body
    assert ANSWER in message and document.verification_code in message
    with translation.override("fr"):
        assert gettext("Verification code:") in message
        verify = reverse("signatures:verify")
    assert f"{verify}?reference={drafted.tracking_number}&code={document.verification_code}" in message


def test_without_a_certificate_the_answer_is_sent_unsigned_and_the_pages_say_so(
    client, drafted, approver, citizen, documents
):
    event = services.answer_send(actor=approver, request=drafted)
    assert event.signed_document is None and SignedDocument.objects.count() == 0
    drafted.refresh_from_db()
    assert drafted.stage == Stage.ANSWERED
    client.force_login(citizen)
    page = client.get(page_url("detail", drafted.tracking_number)).content.decode()
    assert ANSWER in page
    assert said("This answer is not signed electronically.", "ar") in page
    assert said("Not signed electronically.", "ar") in page
    api = client.get(f"/api/requests/{drafted.tracking_number}/").json()
    assert api["answer"] == ANSWER and api["signed_answer"] is None
    client.force_login(approver)
    admin = client.get(reverse("citizen_requests_admin_detail", args=[drafted.tracking_number]))
    assert "Not signed electronically: the institution had no signing certificate" in admin.content.decode()


def test_a_key_the_server_cannot_load_refuses_the_send_and_changes_nothing(
    drafted, approver, certified, settings, tmp_path, documents
):
    settings.SIGNATURES_KEY_DIR = str(tmp_path / "no-keys")
    events = drafted.events.count()
    with translation.override("en"), pytest.raises(Invalid) as refused:
        services.answer_send(actor=approver, request=drafted)
    assert refused.value.message == (
        "The answer was not sent: it could not be signed. "
        "The server cannot load this certificate's private key."
    )
    drafted.refresh_from_db()
    assert drafted.stage == Stage.ASSIGNED and drafted.answer == "" and drafted.answered_at is None
    assert drafted.events.count() == events and SignedDocument.objects.count() == 0
    assert not StaffAccessLog.objects.filter(action=StaffAccessAction.SENT).exists()


def test_a_failure_after_signing_rolls_back_and_removes_the_pdf(
    drafted, approver, certified, documents, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the staff log is away")

    monkeypatch.setattr("citizen_requests.services.staff.staff_log", broken)
    with pytest.raises(RuntimeError):
        services.answer_send(actor=approver, request=drafted)
    drafted.refresh_from_db()
    assert drafted.stage == Stage.ASSIGNED and SignedDocument.objects.count() == 0
    assert [path for path in documents.rglob("*") if path.is_file()] == []


def _send_signed(request, approver) -> SignedDocument:
    return services.answer_send(actor=approver, request=request).signed_document


def test_the_pages_and_the_api_show_the_signed_answer(client, drafted, approver, certified, citizen):
    document = _send_signed(drafted, approver)
    number, code = drafted.tracking_number, document.verification_code
    download = page_url("signed_answer", number, document.pk)
    with translation.override("ar"):
        verify = f"{reverse('signatures:verify')}?reference={number}&amp;code={code}"
        title = drafted.desk.institution.localized.title

    client.force_login(citizen)
    page = client.get(page_url("detail", number)).content.decode()
    assert download in page and code in page and verify in page
    assert said("Download the signed answer (PDF)", "ar") in page
    assert said("Answer signed by %(institution)s.", "ar", institution=title) in page
    assert said("This answer is not signed electronically.", "ar") not in page

    # The same page opened with the number and the secret code, in another browser.
    stranger = Client()
    stranger.post(page_url("track"), {"number": number, "code": drafted.secret_code})
    assert code in stranger.get(page_url("detail", number)).content.decode()

    api = client.get(f"/api/requests/{number}/", HTTP_ACCEPT_LANGUAGE="fr").json()["signed_answer"]
    assert (api["reference"], api["verification_code"], api["jws"]) == (number, code, document.jws)
    assert api["pdf_url"].endswith(page_url("signed_answer", number, document.pk, language="fr"))
    assert f"/fr/verify/?reference={number}&code={code}" in api["verification_url"]

    client.force_login(approver)
    admin = client.get(reverse("citizen_requests_admin_detail", args=[number])).content.decode()
    assert reverse("citizen_requests_admin_signed", args=[number, document.pk]) in admin and code in admin
    assert f"Answer signed by {drafted.desk.institution.title}." in admin


def test_the_signed_pdf_goes_only_to_those_who_may_read_the_request(
    drafted, approver, officer, certified, citizen, other_desk, user_factory
):
    request = drafted
    document = _send_signed(request, approver)
    number = request.tracking_number
    download = page_url("signed_answer", number, document.pk)
    admin_download = reverse("citizen_requests_admin_signed", args=[number, document.pk])

    def get(user, address=download, client=None):
        client = client or Client()
        if user is not None:
            client.force_login(user)
        return client.get(address)

    # The author, and a browser that opened the request with its number and code.
    mine = get(citizen)
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert mine["Cache-Control"] == "private, no-store" and "attachment" in mine["Content-Disposition"]
    assert b"".join(mine.streaming_content).startswith(b"%PDF-")
    unlocked = Client()
    unlocked.post(page_url("track"), {"number": number, "code": request.secret_code})
    assert get(None, client=unlocked).status_code == 200
    assert not StaffAccessLog.objects.filter(action=StaffAccessAction.VIEWED_SIGNED).exists()

    # Nobody else: not signed in, another citizen, another institution's officer.
    outsider = staff(other_desk, role="officer")
    for user in (None, user_factory(), outsider):
        assert get(user).status_code == 404
        assert get(user, admin_download).status_code in (302, 404)
    # Another request's number with this document: 404.
    other = services.request_file(
        author=citizen, kind="complaint", desk=request.desk, subject="Autre", text="Autre.", language="fr"
    ).request
    assert get(citizen, page_url("signed_answer", other.tracking_number, document.pk)).status_code == 404

    # The institution's staff, on the site and in the admin: each opening is logged.
    assert get(officer).status_code == 200
    assert get(officer, admin_download).status_code == 200
    logged = StaffAccessLog.objects.filter(request=request, action=StaffAccessAction.VIEWED_SIGNED)
    assert logged.count() == 2 and set(logged.values_list("user", flat=True)) == {officer.pk}
    assert set(logged.values_list("detail", flat=True)) == {document.verification_code}
