"""Reading X.509 certificates: PEM or DER, fingerprints, the chain up to its root, and whether
a certificate comes from the demo CA.

A demo certificate is recognised by the certificate policy ``DEMO_POLICY_OID`` (an OID under
``2.25``, the arc of UUIDs, which anyone may use without registering, ITU-T X.667) that the demo
CA writes into its own certificate and every certificate it issues, or by the organisation
``Majlis DEMO`` in a subject of the chain. Both are set by ``signatures.demo_ca``; either one is
enough, so a demo certificate cannot pass for a real one by dropping one of the marks.
"""

import hashlib
import re

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

DEMO_POLICY_OID = "2.25.226719437177013017594123519095414138882"
DEMO_ORGANIZATION = "Majlis DEMO"

_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


class CertificateUnreadable(ValueError):
    pass


def certificates_load(data: bytes) -> list[x509.Certificate]:
    """Every certificate in ``data``: PEM (one or several) or one DER certificate."""
    data = data or b""
    blocks = _PEM.findall(data)
    try:
        if blocks:
            return [x509.load_pem_x509_certificate(block) for block in blocks]
        return [x509.load_der_x509_certificate(data)]
    except ValueError as error:
        raise CertificateUnreadable(str(error)) from error


def certificate_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def certificate_der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, lower-case hex (as ``openssl x509 -fingerprint -sha256``
    prints it, without the colons)."""
    return hashlib.sha256(certificate_der(certificate)).hexdigest()


def issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, Exception):  # noqa: BLE001 — InvalidSignature and friends
        return False
    return True


def is_self_signed(certificate: x509.Certificate) -> bool:
    return certificate.issuer == certificate.subject and issued_by(certificate, certificate)


def chain_order(leaf: x509.Certificate, others: list[x509.Certificate]) -> list[x509.Certificate]:
    """The issuers of ``leaf`` among ``others``, nearest first, up to the self-signed root;
    raises ``CertificateUnreadable`` when the chain does not reach a root."""
    chain: list[x509.Certificate] = []
    current = leaf
    pool = [other for other in others if fingerprint(other) != fingerprint(leaf)]
    while not is_self_signed(current):
        issuer = next((other for other in pool if issued_by(current, other)), None)
        if issuer is None:
            raise CertificateUnreadable("the chain does not reach a self-signed root")
        chain.append(issuer)
        pool.remove(issuer)
        current = issuer
    return chain


def _policies(certificate: x509.Certificate) -> set[str]:
    try:
        extension = certificate.extensions.get_extension_for_oid(ExtensionOID.CERTIFICATE_POLICIES)
    except x509.ExtensionNotFound:
        return set()
    return {policy.policy_identifier.dotted_string for policy in extension.value}


def _organizations(certificate: x509.Certificate) -> set[str]:
    return {
        attribute.value
        for name in (certificate.subject, certificate.issuer)
        for attribute in name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    }


def is_demo(certificates: list[x509.Certificate]) -> bool:
    return any(
        DEMO_POLICY_OID in _policies(certificate) or DEMO_ORGANIZATION in _organizations(certificate)
        for certificate in certificates
    )


def subject_text(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string()


def jws_algorithm(certificate: x509.Certificate) -> str | None:
    """The JWS ``alg`` for the certificate's key: ES256 / ES384 for EC P-256 / P-384, RS256 for
    RSA (2048 bits or more); None for a key Majlis does not sign with."""
    key = certificate.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        return {"secp256r1": "ES256", "secp384r1": "ES384"}.get(key.curve.name)
    if isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048:
        return "RS256"
    return None


def public_key_matches(certificate: x509.Certificate, private_key) -> bool:
    der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    return private_key.public_key().public_bytes(*der) == certificate.public_key().public_bytes(*der)
