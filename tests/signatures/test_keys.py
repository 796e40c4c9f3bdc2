"""The default key provider: a PEM or PKCS#12 file named in the environment per key
reference, or the key directory; and a provider of one's own named in the settings."""

import pytest
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    load_pem_private_key,
    pkcs12,
)

from signatures.keys import (
    EnvironmentKeyProvider,
    KeyProvider,
    KeyUnavailable,
    env_name,
    key_problem,
)

pytestmark = pytest.mark.django_db


def test_names_in_variables():
    assert env_name("el-kef.2026") == "EL_KEF_2026"


def test_a_pem_file_named_in_the_environment(institution, register_certificate, signing_pki, monkeypatch, settings, tmp_path):
    certificate = register_certificate(institution, "kef-2026")
    settings.SIGNATURES_KEY_DIR = str(tmp_path / "nothing-here")
    assert "SIGNATURES_KEY_KEF_2026" in key_problem(certificate)

    monkeypatch.setenv("SIGNATURES_KEY_KEF_2026", str(signing_pki.key_dir / "kef-2026.pem"))

    assert key_problem(certificate) is None


def test_a_pkcs12_file_with_its_passphrase(institution, register_certificate, signing_pki, monkeypatch, settings, tmp_path):
    certificate = register_certificate(institution, "kef-2026")
    settings.SIGNATURES_KEY_DIR = str(tmp_path / "nothing-here")
    key = signing_pki.keys["kef-2026"]
    p12 = tmp_path / "kef.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"kef", key, None, None, BestAvailableEncryption(b"s3cret")))
    monkeypatch.setenv("SIGNATURES_P12_KEF_2026", str(p12))

    monkeypatch.setenv("SIGNATURES_P12_PASSPHRASE_KEF_2026", "wrong")
    assert "wrong passphrase" in key_problem(certificate)
    monkeypatch.setenv("SIGNATURES_P12_PASSPHRASE_KEF_2026", "s3cret")
    assert key_problem(certificate) is None
    assert EnvironmentKeyProvider().signer_for(certificate) is not None


def test_a_key_that_is_not_the_certificates_is_refused(institution, register_certificate, signing_pki, monkeypatch):
    certificate = register_certificate(institution, "kef-2026")
    monkeypatch.setenv("SIGNATURES_KEY_KEF_2026", str(signing_pki.key_dir / "kef-2027.pem"))

    assert "does not match" in key_problem(certificate)
    with pytest.raises(KeyUnavailable):
        EnvironmentKeyProvider().signer_for(certificate)


class MemoryProvider(KeyProvider):
    """A provider of one's own: only ``private_key`` is written."""

    keys = {}

    def private_key(self, certificate):
        try:
            return load_pem_private_key(self.keys[certificate.key_reference], None)
        except KeyError:
            raise KeyUnavailable("not in memory") from None


def test_another_provider_named_in_the_settings(institution, register_certificate, signing_pki, settings, sign):
    register_certificate(institution, "kef-2026")
    settings.SIGNATURES_KEY_PROVIDER = "tests.signatures.test_keys.MemoryProvider"
    settings.SIGNATURES_KEY_DIR = "/nonexistent"
    MemoryProvider.keys = {"kef-2026": (signing_pki.key_dir / "kef-2026.pem").read_bytes()}

    assert sign().jws
