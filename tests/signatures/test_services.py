"""Signing through the service: what is signed, and each refusal (nothing is stored then)."""

import datetime
import io

import pytest
from django.utils import timezone, translation
from pyhanko.pdf_utils.reader import PdfFileReader

from signatures.models import SignedDocument, SigningCertificate
from signatures.services import (
    CannotSign,
    Invalid,
    certificate_activate,
    certificate_add,
    certificate_revoke,
    demo_certificates_ensure,
)
from signatures.verification import Status, verify_reference
from tests.signatures.conftest import ANSWER_AR, ATTACHMENTS, SUBJECT_AR

pytestmark = pytest.mark.django_db


def test_signing_stores_a_pades_pdf_and_a_jws_of_the_same_answer(institution, register_certificate, sign):
    certificate = register_certificate(institution, "kef-rsa")

    document = sign(extra={"request_stage": "answered"})

    assert document.certificate == certificate
    with document.pdf.open("rb") as handle:
        pdf = handle.read()
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert signature.self_reported_timestamp == document.signed_at
    assert document.jws.count(".") == 2
    assert document.payload["text"] == ANSWER_AR
    assert document.payload["subject"] == SUBJECT_AR
    assert document.payload["attachments"] == [{"name": n, "sha256": h} for n, h in ATTACHMENTS]
    assert document.payload["extra"] == {"request_stage": "answered"}
    assert document.payload["institution"]["title"] == "بلدية الكاف"
    assert len(document.verification_code) == 11
    assert not document.pdf.path.startswith(str(institution.pk))  # kept in the private folder
    assert verify_reference(reference=document.reference, code=document.verification_code).status == Status.VALID


def test_the_pdf_embeds_the_chain_and_the_ca_crl_for_long_term_validation(signed_sample):
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    store = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(signed_sample["pdf"])))
    assert len(store.crls) == 1
    assert len(store.certs) >= 2  # the signer's and the demo root


def test_an_institution_without_an_active_certificate_cannot_sign(institution, sign):
    with pytest.raises(CannotSign) as refusal, translation.override("en"):
        sign()
    assert "no active signing certificate" in refusal.value.message
    assert not SignedDocument.objects.exists()


def test_a_revoked_certificate_signs_no_more(institution, register_certificate, sign):
    certificate = register_certificate(institution)
    certificate_revoke(certificate=certificate, revoked_at=timezone.now(), reason="key_compromise")

    with pytest.raises(CannotSign):
        sign()
    certificate.refresh_from_db()
    assert not certificate.is_active


def test_an_expired_certificate_cannot_be_activated(institution, register_certificate):
    expired = register_certificate(institution, "kef-expired", activate=False)

    with pytest.raises(CannotSign) as refusal, translation.override("en"):
        certificate_activate(certificate=expired)
    assert refusal.value.message == "This certificate has expired."


def test_a_missing_key_refuses_signing_without_naming_files(institution, register_certificate, sign, settings, tmp_path):
    register_certificate(institution)
    settings.SIGNATURES_KEY_DIR = str(tmp_path / "empty")

    with pytest.raises(CannotSign) as refusal, translation.override("en"):
        sign()
    assert refusal.value.message == "The server cannot load this certificate's private key."
    assert not SignedDocument.objects.exists()


def test_production_refuses_to_register_or_sign_with_a_demo_certificate(institution, register_certificate, sign, settings):
    register_certificate(institution)
    settings.PRODUCTION = True

    with pytest.raises(CannotSign):
        sign()
    with pytest.raises(Invalid) as refusal, translation.override("en"):
        register_certificate(institution, "kef-2027")
    assert refusal.value.message == "Demo certificates are refused in production."


def test_certificates_are_checked_when_added(institution, signing_pki):
    def add(**fields):
        values = {
            "institution": institution, "label": "L",
            "certificate_data": signing_pki.certificates["kef-2026"],
            "chain_data": signing_pki.ca_pem, "key_reference": "kef-2026",
        }
        values.update(fields)
        return certificate_add(**values)

    with translation.override("en"):
        with pytest.raises(Invalid, match="not an X.509 certificate"):
            add(certificate_data=b"hello")
        with pytest.raises(Invalid, match="does not lead from this certificate to a root"):
            add(chain_data=b"")
        with pytest.raises(Invalid, match="plain name"):
            add(key_reference="../etc/passwd")
        certificate = add()
        with pytest.raises(Invalid, match="already registered"):
            add()
    assert certificate.is_demo
    assert certificate.not_after > certificate.not_before
    assert len(certificate.fingerprint) == 64
    assert not certificate.is_active
    assert SigningCertificate.objects.count() == 1


def test_a_rotation_leaves_one_active_certificate_per_institution(institution, site, register_certificate):
    old = register_certificate(institution, "kef-2026")
    french_page = site["institution"]["fr"]  # the same institution, another translation
    new = register_certificate(french_page, "kef-2027", activate=False)

    new = certificate_activate(certificate=new)

    old.refresh_from_db()
    assert not old.is_active
    assert new.is_active
    assert SigningCertificate.objects.filter(is_active=True).count() == 1


def test_a_revocation_is_final_and_cannot_be_dated_in_the_future(institution, register_certificate):
    certificate = register_certificate(institution)
    with pytest.raises(Invalid):
        certificate_revoke(certificate=certificate, revoked_at=timezone.now() + datetime.timedelta(days=2), reason="superseded")
    certificate_revoke(certificate=certificate, revoked_at=timezone.now(), reason="superseded")
    with pytest.raises(Invalid):
        certificate_revoke(certificate=certificate, revoked_at=timezone.now(), reason="superseded")
    with pytest.raises(CannotSign):
        certificate_activate(certificate=certificate)


def test_demo_certificates_are_made_once_per_institution(institution, settings, tmp_path):
    settings.SIGNATURES_KEY_DIR = str(tmp_path / "keys")
    settings.SIGNATURES_CRL_DIR = str(tmp_path / "crls")

    first = demo_certificates_ensure(institutions=[institution])
    again = demo_certificates_ensure(institutions=[institution])

    assert first == again
    assert first[0].is_demo and first[0].is_active
    assert (tmp_path / "keys" / f"{first[0].key_reference}.pem").stat().st_mode & 0o077 == 0
    assert (tmp_path / "crls" / "majlis-demo-ca.crl").is_file()
    settings.PRODUCTION = True
    with pytest.raises(Invalid):
        demo_certificates_ensure(institutions=[institution])
