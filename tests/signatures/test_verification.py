"""What a verification says about a signed PDF, a JWS and a reference with its code: valid, or
exactly what failed."""

import datetime

import pytest
from django.utils import timezone, translation

from signatures.services import certificate_activate, certificate_revoke
from signatures.verification import Status, verify_jws, verify_pdf, verify_reference
from tests.signatures.builders import one_byte_changed, payload_changed, sign_raw, text_added

pytestmark = pytest.mark.django_db


def test_a_signed_pdf_verifies_as_signed_by_its_institution(signed, signed_sample):
    result = verify_pdf(signed_sample["pdf"])

    assert result.status == Status.VALID, result.detail
    assert result.time_source == "recorded"  # these very bytes were signed here
    assert result.signed_at == signed.signed_at
    assert result.document == signed
    with translation.override("fr"):
        assert result.message.startswith("Valide : signé par Municipalité du Kef le ")
        assert result.message.endswith(", inchangé depuis.")
    with translation.override("en"):
        assert result.message.startswith("Valid: signed by El Kef Municipality on ")


def test_changing_one_byte_fails_as_altered(signed, signed_sample):
    result = verify_pdf(one_byte_changed(signed_sample["pdf"]))

    assert result.status == Status.ALTERED
    with translation.override("en"):
        assert result.message == (
            "Altered: this document was changed after it was signed. Do not rely on its content."
        )


def test_text_added_by_an_incremental_update_fails_as_altered(signed, signed_sample):
    tampered = text_added(signed_sample["pdf"])
    assert tampered.startswith(signed_sample["pdf"])  # the signed bytes are all still there

    assert verify_pdf(tampered).status == Status.ALTERED


def test_a_certificate_revoked_before_the_signature_fails_as_revoked(signed, signed_sample):
    certificate_revoke(
        certificate=signed.certificate,
        revoked_at=signed.signed_at - datetime.timedelta(hours=1),
        reason="key_compromise",
    )

    result = verify_pdf(signed_sample["pdf"])

    assert result.status == Status.REVOKED
    with translation.override("en"):
        assert result.message.startswith("Revoked certificate: the certificate that signed this document was revoked on ")


def test_a_certificate_revoked_after_the_signature_keeps_it_valid_and_says_so(signed, signed_sample):
    certificate_revoke(
        certificate=signed.certificate,
        revoked_at=signed.signed_at + datetime.timedelta(minutes=1),
        reason="superseded",
    )

    result = verify_pdf(signed_sample["pdf"])

    assert result.status == Status.VALID
    with translation.override("en"):
        assert result.message.endswith("after this signature.")


def test_a_revoked_certificate_and_a_time_only_claimed_fail_as_revoked(
    institution, register_certificate, unsigned_pdf
):
    certificate = register_certificate(institution, "kef-2027")
    pdf = sign_raw(unsigned_pdf, certificate)  # not recorded: its time is only claimed
    certificate_revoke(certificate=certificate, revoked_at=timezone.now() + datetime.timedelta(minutes=1), reason="key_compromise")

    result = verify_pdf(pdf)

    assert result.time_source == "claimed"
    assert result.status == Status.REVOKED


def test_a_certificate_registered_nowhere_fails_as_unknown(signed, unregistered, unsigned_pdf):
    pdf = sign_raw(unsigned_pdf, unregistered("stranger"))

    result = verify_pdf(pdf)

    assert result.status == Status.UNKNOWN_CERTIFICATE
    with translation.override("en"):
        assert result.message.startswith("Unknown certificate:")


def test_a_certificate_expired_when_it_signed_fails_as_expired(institution, register_certificate, unregistered, unsigned_pdf):
    register_certificate(institution, "kef-2026")
    expired = register_certificate(institution, "kef-expired", activate=False)
    pdf = sign_raw(unsigned_pdf, expired)

    result = verify_pdf(pdf)

    assert result.status == Status.EXPIRED
    with translation.override("en"):
        assert result.message.startswith("Expired certificate:")


def test_a_rotation_keeps_what_the_old_certificate_signed_valid(signed, signed_sample, institution, register_certificate, sign):
    new = register_certificate(institution, "kef-2027", activate=False)
    certificate_activate(certificate=new)
    signed.certificate.refresh_from_db()
    assert not signed.certificate.is_active

    assert verify_pdf(signed_sample["pdf"]).status == Status.VALID
    assert verify_reference(reference=signed.reference, code=signed.verification_code).status == Status.VALID
    later = sign(reference="KEF-26-7K4Q-9XC3")
    assert later.certificate == new
    assert verify_reference(reference=later.reference, code=later.verification_code).status == Status.VALID


def test_a_pdf_without_signature_and_a_file_that_is_no_pdf(unsigned_pdf):
    assert verify_pdf(unsigned_pdf).status == Status.NOT_SIGNED
    assert verify_pdf(b"GIF89a not a pdf").status == Status.UNREADABLE
    assert verify_pdf(b"%PDF-1.7 truncated").status == Status.UNREADABLE


def test_the_jws_verifies_and_fails_when_its_payload_is_altered(signed, signed_sample):
    result = verify_jws(signed_sample["jws"])
    assert result.status == Status.VALID, result.detail
    assert result.payload["text"] == signed_sample["payload"]["text"]
    assert result.payload["pdf_sha256"] == signed_sample["pdf_sha256"]

    assert verify_jws(payload_changed(signed_sample["jws"], text="Demande rejetée.")).status == Status.ALTERED
    assert verify_jws("not-a-jws").status == Status.UNREADABLE


def test_a_jws_whose_kid_is_registered_nowhere_is_unknown(signed_sample):
    assert verify_jws(signed_sample["jws"]).status == Status.UNKNOWN_CERTIFICATE


def test_reference_and_code_find_the_document_and_verify_it_again(signed):
    typed_code = signed.verification_code.lower().replace("-", " ")

    result = verify_reference(reference=" " + signed.reference.lower(), code=typed_code)

    assert result.status == Status.VALID, result.detail
    assert result.document == signed
    assert result.jws == signed.jws
    assert result.payload == signed.payload


def test_a_wrong_code_or_reference_is_not_found(signed):
    assert verify_reference(reference=signed.reference, code="00000-00000").status == Status.NOT_FOUND
    assert verify_reference(reference="KEF-26-0000-0000", code=signed.verification_code).status == Status.NOT_FOUND
    with translation.override("en"):
        assert verify_reference(reference="x", code="y").message == (
            "Not found: no signed document matches this reference and verification code."
        )


def test_a_stored_pdf_changed_on_disk_is_altered(signed):
    with open(signed.pdf.path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"#")

    result = verify_reference(reference=signed.reference, code=signed.verification_code)

    assert result.status == Status.ALTERED
    assert "SHA-256" in result.detail
