"""The demo certificate authority: "Majlis DEMO CA — not valid outside the demo".

It exists so that the demo (``seed_demo``, ``manage.py signing_demo_setup``) and the tests sign
real PAdES documents without a real CA. Everything it issues is marked twice as a demo
certificate (``signatures.certificates.DEMO_POLICY_OID`` in the certificate policies, and the
organisation ``Majlis DEMO``), and production refuses such certificates
(``signatures.checks``).

The CA's key and certificate are kept in the key directory (``majlis-demo-ca.key.pem``,
``majlis-demo-ca.pem``), each issued key beside them (``<key reference>.pem``), and the CA's
certificate revocation list in the CRL directory (``majlis-demo-ca.crl``), which the signer
embeds in each signature.
"""

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from signatures import conf
from signatures.certificates import DEMO_ORGANIZATION, DEMO_POLICY_OID

CA_NAME = "Majlis DEMO CA — not valid outside the demo"
CA_FILE = "majlis-demo-ca.pem"
CA_KEY_FILE = "majlis-demo-ca.key.pem"
CRL_FILE = "majlis-demo-ca.crl"
# Not a real address (.invalid, RFC 2606): the CRL is given to the signer from the CRL dir.
CRL_URL = "http://demo-ca.majlis.invalid/majlis-demo-ca.crl"
DEMO_NOTICE = "Majlis demo certificate: not valid outside the demo."


@dataclass
class DemoCA:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _demo_policy() -> x509.CertificatePolicies:
    return x509.CertificatePolicies(
        [x509.PolicyInformation(x509.ObjectIdentifier(DEMO_POLICY_OID), [DEMO_NOTICE])]
    )


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Readable by this user only, from its creation.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def demo_ca_create(*, name: str = CA_NAME, years: int = 20) -> DemoCA:
    """A new self-signed demo root (not written anywhere)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANIZATION),
        ]
    )
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(_demo_policy(), critical=False)
        .sign(key, hashes.SHA256())
    )
    return DemoCA(certificate=certificate, key=key)


def demo_ca_ensure(*, key_dir: Path | None = None, crl_dir: Path | None = None) -> DemoCA:
    """The demo CA kept in the key directory, made on first use; its CRL is written if
    missing."""
    key_dir = key_dir or conf.key_dir()
    cert_path, key_path = key_dir / CA_FILE, key_dir / CA_KEY_FILE
    if cert_path.is_file() and key_path.is_file():
        ca = DemoCA(
            certificate=x509.load_pem_x509_certificate(cert_path.read_bytes()),
            key=serialization.load_pem_private_key(key_path.read_bytes(), password=None),
        )
    else:
        ca = demo_ca_create()
        _write_private(key_path, _key_pem(ca.key))
        cert_path.write_text(ca.pem)
    crl_path = (crl_dir or conf.crl_dir()) / CRL_FILE
    if not crl_path.is_file():
        demo_crl_write(ca, crl_dir=crl_dir)
    return ca


def demo_certificate_issue(
    ca: DemoCA,
    *,
    common_name: str,
    key_reference: str | None = None,
    key_dir: Path | None = None,
    key_type: str = "ec",
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
) -> tuple[x509.Certificate, object]:
    """A signing certificate from the demo CA, and its key (written to
    ``<key_dir>/<key_reference>.pem`` when a reference is given). ``key_type`` is ``ec``
    (P-256, JWS ES256) or ``rsa`` (2048 bits, RS256)."""
    key = rsa.generate_private_key(65537, 2048) if key_type == "rsa" else ec.generate_private_key(ec.SECP256R1())
    now = _now()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANIZATION),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - datetime.timedelta(days=1))
        .not_valid_after(not_after or now + datetime.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
        .add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]
            ),
            critical=False,
        )
        .add_extension(_demo_policy(), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    if key_reference:
        _write_private((key_dir or conf.key_dir()) / f"{key_reference}.pem", _key_pem(key))
    return certificate, key


def demo_crl_write(
    ca: DemoCA,
    *,
    revoked: list[tuple[int, datetime.datetime]] = (),
    crl_dir: Path | None = None,
) -> Path:
    """The demo CA's CRL listing ``revoked`` (serial number, revocation date), valid a year."""
    now = _now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now - datetime.timedelta(minutes=5))
        .next_update(now + datetime.timedelta(days=365))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    path = (crl_dir or conf.crl_dir()) / CRL_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
    return path
