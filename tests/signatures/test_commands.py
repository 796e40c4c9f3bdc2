"""``verify_signature`` prints the verdict and exits non-zero unless valid;
``signing_demo_setup`` gives institutions demo certificates."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from signatures.models import SigningCertificate
from tests.signatures.builders import one_byte_changed

pytestmark = pytest.mark.django_db


def test_verify_signature_on_a_file(signed, signed_sample, tmp_path):
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(signed_sample["pdf"])
    bad.write_bytes(one_byte_changed(signed_sample["pdf"]))
    out = io.StringIO()

    call_command("verify_signature", str(good), stdout=out)

    assert "status: valid" in out.getvalue()
    assert "Valid: signed by El Kef Municipality on" in out.getvalue()
    with pytest.raises(CommandError) as failure:
        call_command("verify_signature", str(bad), stdout=io.StringIO())
    assert failure.value.returncode == 1
    assert "altered" in str(failure.value)


def test_verify_signature_by_reference(signed):
    out = io.StringIO()
    call_command("verify_signature", reference=signed.reference, code=signed.verification_code, language="fr", stdout=out)
    assert "Valide" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("verify_signature", reference=signed.reference, code="x", stdout=io.StringIO())


def test_signing_demo_setup_gives_each_institution_a_certificate(site, settings, tmp_path):
    settings.SIGNATURES_KEY_DIR = str(tmp_path / "keys")
    settings.SIGNATURES_CRL_DIR = str(tmp_path / "crls")
    out = io.StringIO()

    call_command("signing_demo_setup", stdout=out)

    certificate = SigningCertificate.objects.get()
    assert certificate.institution == site["institution"]["ar"]
    assert certificate.is_active and certificate.is_demo
    assert "1 institution(s) sign with demo certificates" in out.getvalue()
    with pytest.raises(CommandError, match="No institution with the slug"):
        call_command("signing_demo_setup", institution=["nowhere"], stdout=io.StringIO())
