"""/api/signatures/: verify an upload, a reference and code, a JWS; list the certificates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.signatures.builders import one_byte_changed, payload_changed

pytestmark = pytest.mark.django_db


def test_an_uploaded_pdf_valid_and_tampered(client, signed, signed_sample):
    valid = client.post("/api/signatures/verify", {"file": SimpleUploadedFile("a.pdf", signed_sample["pdf"])})
    altered = client.post("/api/signatures/verify", {"file": SimpleUploadedFile("a.pdf", one_byte_changed(signed_sample["pdf"]))})

    assert valid.status_code == 200
    body = valid.json()
    assert body["status"] == "valid"
    assert body["institution"] == "بلدية الكاف"  # the API speaks Arabic without a language
    assert body["certificate_sha256"] == signed.certificate.fingerprint
    assert body["reference"] == signed.reference
    assert body["jws"] is None  # only with the code
    assert altered.json()["status"] == "altered"
    assert altered.json()["certificate_sha256"] == signed.certificate.fingerprint


def test_an_upload_too_large_is_a_413(client, site, settings):
    settings.SIGNATURES_MAX_PDF_BYTES = 8
    response = client.post("/api/signatures/verify", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7 0123456789")})

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_reference_and_code_return_the_jws(client, signed):
    right = client.post(
        "/api/signatures/verify/reference",
        {"reference": signed.reference, "code": signed.verification_code},
        content_type="application/json", headers={"Accept-Language": "fr"},
    )
    wrong = client.post(
        "/api/signatures/verify/reference", {"reference": signed.reference, "code": "11111-11111"},
        content_type="application/json",
    )

    assert right.json()["status"] == "valid"
    assert right.json()["jws"] == signed.jws
    assert right.json()["payload"]["text"] == signed.payload["text"]
    assert right.json()["time_source"] == "recorded"
    assert wrong.json()["status"] == "not_found"
    assert wrong.json()["jws"] is None and wrong.json()["institution"] is None


def test_a_jws_valid_and_altered(client, signed):
    valid = client.post("/api/signatures/verify/jws", {"token": signed.jws}, content_type="application/json")
    altered = client.post(
        "/api/signatures/verify/jws", {"token": payload_changed(signed.jws, subject="x")}, content_type="application/json"
    )

    assert valid.json()["status"] == "valid"
    assert valid.json()["payload"]["reference"] == signed.reference
    assert altered.json()["status"] == "altered"


def test_verifications_are_limited_with_retry_after(client, signed, settings):
    settings.SIGNATURES_VERIFY_RATE_PER_IP = ["1/minute"]
    client.post("/api/signatures/verify/jws", {"token": signed.jws}, content_type="application/json")

    response = client.post("/api/signatures/verify/jws", {"token": signed.jws}, content_type="application/json")

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


def test_the_certificates_with_their_pem_and_status(client, signed, institution, register_certificate, signing_pki):
    from django.utils import timezone

    from signatures.services import certificate_revoke

    rotated = register_certificate(institution, "kef-2027", activate=False)
    certificate_revoke(certificate=rotated, revoked_at=timezone.now(), reason="superseded")

    response = client.get("/api/signatures/certificates/")

    assert response.status_code == 200
    listed = {item["fingerprint_sha256"]: item for item in response.json()}
    active = listed[signed.certificate.fingerprint]
    assert active["status"] == "active"
    assert active["is_demo"] is True
    assert active["certificate_pem"].startswith("-----BEGIN CERTIFICATE-----")
    assert active["chain_pem"] == [signing_pki.ca_pem.decode()]
    assert listed[rotated.fingerprint]["status"] == "revoked"
    assert listed[rotated.fingerprint]["revocation_reason"] == "superseded"


def test_the_openapi_document_tells_the_statuses(client):
    document = client.get("/api/openapi.json").json()
    upload = document["paths"]["/api/signatures/verify"]["post"]

    assert set(upload["responses"]) >= {"200", "413", "429"}
    schema = document["components"]["schemas"]["VerificationOut"]
    assert set(schema["properties"]["status"]["enum"]) == {
        "valid", "altered", "unknown_certificate", "revoked", "expired", "not_signed", "unreadable", "not_found",
    }
