"""Fixtures for signatures: a demo PKI made once per session (a demo CA, certificates and keys
in a temporary folder), the settings pointing at it, certificates registered through the
service, and one Arabic answer signed once per session and stored again for each test that
asks.

For the step that wires signing into requests and replies: ``signing_settings`` (autouse here;
use it in your own conftest), ``signing_pki`` and ``register_certificate`` give an institution
an active demo certificate whose key the server finds; ``document_sign`` then works as in
production."""

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from wagtail.models import Page

from cms.models import InstitutionPage
from cms.services import locales_ensure
from signatures.certificates import certificate_pem, certificates_load
from signatures.demo_ca import demo_ca_create, demo_ca_ensure, demo_certificate_issue
from signatures.models import SignedDocument, SigningCertificate
from signatures.rendering import answer_pdf
from signatures.services import certificate_add, document_sign

ANSWER_AR = (
    "نشكركم على رسالتكم بخصوص الإنارة العمومية في شارع الحبيب بورقيبة.\n\n"
    "قررت البلدية إصلاح الأعمدة المعطلة خلال أسبوعين، وسيتولى الفريق التقني متابعة الأشغال."
)
SUBJECT_AR = "إصلاح الإنارة العمومية"
ATTACHMENTS = [("محضر-المعاينة.pdf", hashlib.sha256(b"report").hexdigest())]


@dataclass
class PKI:
    key_dir: Path
    crl_dir: Path
    ca_pem: bytes
    # key reference -> certificate PEM (keys are in key_dir/<reference>.pem)
    certificates: dict[str, bytes] = field(default_factory=dict)
    keys: dict[str, object] = field(default_factory=dict)

    def settings(self) -> dict:
        return {"SIGNATURES_KEY_DIR": str(self.key_dir), "SIGNATURES_CRL_DIR": str(self.crl_dir)}


@pytest.fixture(scope="session")
def signing_pki(tmp_path_factory) -> PKI:
    """The demo CA and its certificates, made once: ``kef-2026`` (EC P-256), ``kef-2027`` (its
    successor, for rotations), ``kef-rsa`` (RSA, RS256), ``kef-expired`` (expired yesterday),
    and ``stranger`` from another CA that is registered nowhere."""
    root = tmp_path_factory.mktemp("signing")
    pki = PKI(key_dir=root / "keys", crl_dir=root / "crls", ca_pem=b"")
    ca = demo_ca_ensure(key_dir=pki.key_dir, crl_dir=pki.crl_dir)
    pki.ca_pem = ca.pem.encode()
    now = datetime.datetime.now(datetime.UTC)
    specs = {
        "kef-2026": {},
        "kef-2027": {},
        "kef-rsa": {"key_type": "rsa"},
        "kef-expired": {
            "not_before": now - datetime.timedelta(days=400),
            "not_after": now - datetime.timedelta(days=1),
        },
    }
    for reference, options in specs.items():
        certificate, key = demo_certificate_issue(
            ca, common_name=f"Majlis DEMO - {reference}", key_reference=reference,
            key_dir=pki.key_dir, **options,
        )
        pki.certificates[reference] = certificate_pem(certificate).encode()
        pki.keys[reference] = key
    other = demo_ca_create(name="Some other CA")
    certificate, key = demo_certificate_issue(
        other, common_name="Stranger", key_reference="stranger", key_dir=pki.key_dir
    )
    pki.certificates["stranger"] = certificate_pem(certificate).encode() + other.pem.encode()
    pki.keys["stranger"] = key
    return pki


@pytest.fixture(autouse=True)
def signing_settings(settings, signing_pki, tmp_path):
    """The session's keys and CRL, signed PDFs kept in this test's folder, no limits (the
    limits have tests of their own)."""
    for name, value in signing_pki.settings().items():
        setattr(settings, name, value)
    settings.SIGNATURES_DOCUMENTS_ROOT = str(tmp_path / "signed")
    settings.SIGNATURES_VERIFY_RATE_PER_IP = ["1000/minute"]
    settings.SIGNATURES_VERIFY_RATE_PER_REFERENCE = ["1000/minute"]
    return settings


@pytest.fixture
def register_certificate(signing_pki):
    """register_certificate(institution, reference="kef-2026", activate=True) -> SigningCertificate,
    registered through the service with the demo CA as its chain."""

    def register(institution, reference="kef-2026", *, activate=True, label=None):
        chain = b"" if reference == "stranger" else signing_pki.ca_pem
        return certificate_add(
            institution=institution,
            label=label or f"Certificate {reference}",
            certificate_data=signing_pki.certificates[reference],
            chain_data=chain,
            key_reference=reference,
            activate=activate,
        )

    return register


@pytest.fixture
def institution(site):
    """The test site's institution (El Kef), its Arabic page."""
    return site["institution"]["ar"]


def sign_answer(institution, **fields):
    values = {
        "institution": institution,
        "kind": "request_answer",
        "reference": "KEF-26-7K4Q-9XC2",
        "subject": SUBJECT_AR,
        "text": ANSWER_AR,
        "attachments": ATTACHMENTS,
        "signer_name": "هادي بن علي",
        "signer_role": "رئيس مصلحة العلاقات مع المواطن",
        "language": "ar",
    }
    values.update(fields)
    return document_sign(**values)


@pytest.fixture
def sign(institution):
    """sign(**fields) -> SignedDocument: an Arabic answer of El Kef signed through the service."""
    return lambda **fields: sign_answer(fields.pop("institution", institution), **fields)


@pytest.fixture(scope="session")
def signed_sample(django_db_setup, django_db_blocker, signing_pki, tmp_path_factory):
    """One Arabic answer signed through ``document_sign`` once for the session (rendering and
    signing take a quarter of a second): its PDF, JWS, payload, code and time. The rows it
    wrote are rolled back; ``signed`` stores it again for a test."""
    folder = tmp_path_factory.mktemp("sample")
    documents = override_settings(SIGNATURES_DOCUMENTS_ROOT=str(folder), **signing_pki.settings())
    with documents, django_db_blocker.unblock(), transaction.atomic():
        locales_ensure()
        institution = Page.get_first_root_node().add_child(
            instance=InstitutionPage(title="بلدية الكاف", slug="sample-institution", kind="municipality")
        )
        certificate = certificate_add(
            institution=institution, label="Sample",
            certificate_data=signing_pki.certificates["kef-2026"],
            chain_data=signing_pki.ca_pem, key_reference="kef-2026", activate=True,
        )
        document = sign_answer(institution)
        with document.pdf.open("rb") as handle:
            pdf = handle.read()
        sample = {
            "pdf": pdf,
            "jws": document.jws,
            "payload": document.payload,
            "code": document.verification_code,
            "signed_at": document.signed_at,
            "reference": document.reference,
            "pdf_sha256": document.pdf_sha256,
            "fingerprint": certificate.fingerprint,
        }
        transaction.set_rollback(True)
    return sample


@pytest.fixture
def signed(signed_sample, institution, register_certificate):
    """The session's signed answer, stored for this test as ``document_sign`` stored it, with
    its certificate (kef-2026) registered and active for the test site's institution."""
    certificate = register_certificate(institution, "kef-2026")
    document = SignedDocument(
        kind="request_answer",
        reference=signed_sample["reference"],
        institution=institution,
        certificate=certificate,
        verification_code=signed_sample["code"],
        signed_at=signed_sample["signed_at"],
        pdf_sha256=signed_sample["pdf_sha256"],
        jws=signed_sample["jws"],
        payload=signed_sample["payload"],
        language="ar",
    )
    document.pdf.save("sample.pdf", ContentFile(signed_sample["pdf"]), save=False)
    document.save()
    return document


@pytest.fixture
def private_key_pem(signing_pki):
    """private_key_pem(reference) -> the PEM of a session key (to write a PKCS#12 in a test)."""
    return lambda reference: signing_pki.keys[reference].private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.fixture(scope="session")
def unsigned_pdf() -> bytes:
    """An answer's PDF before signing (for signatures the service would refuse to make)."""
    return answer_pdf(
        language="fr", institution_title="Municipalité du Kef", time_zone="Africa/Tunis",
        kind_label="Réponse", reference="KEF-26-0000-0001", subject="Éclairage",
        text="Réparé.", attachments=[], signer_name="H. Ben Ali", signer_role="Chef de service",
        signed_at=datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC),
        verification_url="http://testserver/fr/verify/?reference=KEF-26-0000-0001&code=X",
        verification_code="X",
    )


@pytest.fixture
def unregistered(signing_pki):
    """unregistered(reference) -> an unsaved SigningCertificate of the session's PKI (to sign
    with it outside the service)."""
    def make(reference):
        certificates = certificates_load(signing_pki.certificates[reference])
        chain = certificates[1:] or certificates_load(signing_pki.ca_pem)
        return SigningCertificate(
            certificate_pem=certificate_pem(certificates[0]),
            chain_pem="".join(certificate_pem(item) for item in chain),
            key_reference=reference,
        )

    return make
