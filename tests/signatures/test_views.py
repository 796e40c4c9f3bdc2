"""The public verification page: upload a PDF, or type the reference and the code (or follow
the QR code's link)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.signatures.builders import one_byte_changed

pytestmark = pytest.mark.django_db


def _url(language="en"):
    with translation.override(language):
        return reverse("signatures:verify")


def _upload(client, data: bytes, language="en"):
    return client.post(_url(language), {"action": "upload", "file": SimpleUploadedFile("answer.pdf", data, "application/pdf")})


def test_the_page_has_both_forms_in_every_language(client, site):
    for language, direction in (("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")):
        response = client.get(_url(language))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'lang="{language}"' in html and f'dir="{direction}"' in html
        assert 'enctype="multipart/form-data"' in html
        assert 'name="reference"' in html and 'name="code"' in html
        assert 'aria-live="polite"' in html


def test_uploading_the_signed_pdf_says_valid(client, signed, signed_sample):
    response = _upload(client, signed_sample["pdf"])

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="valid"' in html
    assert "Valid: signed by El Kef Municipality on " in html
    assert signed.certificate.fingerprint in html
    assert response["Cache-Control"] == "private, no-store"


def test_uploading_a_tampered_copy_says_altered(client, signed, signed_sample):
    response = _upload(client, one_byte_changed(signed_sample["pdf"]))

    assert 'data-status="altered"' in response.content.decode()
    assert "Altered: this document was changed after it was signed." in response.content.decode()


def test_a_file_that_is_not_a_pdf_is_unreadable_and_a_large_one_refused(client, site, settings):
    assert 'data-status="unreadable"' in _upload(client, b"MZ\x90\x00 an executable").content.decode()
    settings.SIGNATURES_MAX_PDF_BYTES = 10
    response = _upload(client, b"%PDF-1.7 and more than ten bytes")
    assert response.status_code == 400
    assert "This file is larger than" in response.content.decode()
    assert "data-status" not in response.content.decode()


def test_the_reference_and_code_right_and_wrong(client, signed):
    right = client.post(_url(), {"action": "reference", "reference": signed.reference, "code": signed.verification_code})
    wrong = client.post(_url(), {"action": "reference", "reference": signed.reference, "code": "AAAAA-AAAAA"})

    assert 'data-status="valid"' in right.content.decode()
    assert 'data-status="not_found"' in wrong.content.decode()
    assert "Not found: no signed document matches this reference and verification code." in wrong.content.decode()


def test_the_qr_codes_link_checks_at_once_in_arabic(client, signed):
    from signatures.services import verification_url

    link = verification_url(reference=signed.reference, code=signed.verification_code, language="ar")
    assert link.startswith("http://127.0.0.1:8000/ar/verify/?reference=")

    response = client.get(link.removeprefix("http://127.0.0.1:8000"))

    html = response.content.decode()
    assert 'data-status="valid"' in html
    assert "بلدية الكاف" in html


def test_verifications_are_limited_per_client(client, signed, settings):
    settings.SIGNATURES_VERIFY_RATE_PER_IP = ["2/minute"]
    for _attempt in range(2):
        client.post(_url(), {"action": "reference", "reference": "x", "code": "y"})

    response = client.post(_url(), {"action": "reference", "reference": signed.reference, "code": signed.verification_code})

    assert response.status_code == 429
    assert "Too many verifications" in response.content.decode()
    assert "data-status" not in response.content.decode()


def test_guesses_of_one_references_code_are_limited(client, signed, settings):
    settings.SIGNATURES_VERIFY_RATE_PER_REFERENCE = ["3/hour"]
    for _attempt in range(3):
        client.post(_url(), {"action": "reference", "reference": signed.reference, "code": "00000-00000"})

    response = client.post(_url(), {"action": "reference", "reference": signed.reference, "code": signed.verification_code})

    assert response.status_code == 429


def test_the_download_helper_sends_the_pdf_uncached(signed, signed_sample):
    from signatures.views import signed_pdf_response

    response = signed_pdf_response(signed)

    assert b"".join(response.streaming_content) == signed_sample["pdf"]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="kef-26-7k4q-9xc2-signed.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
