"""Helpers that tamper with signed PDFs and JWSs the ways the tests need."""

import base64
import io
import json

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.stamp import TextStamp, TextStampStyle

from signatures import pades
from signatures.keys import key_provider


def one_byte_changed(pdf: bytes) -> bytes:
    """``pdf`` with one byte of its first content stream (inside the signed bytes) changed;
    same length, so the file still parses."""
    start = pdf.index(b"stream", pdf.index(b"/Length")) + len(b"stream\n") + 10
    data = bytearray(pdf)
    data[start] ^= 0x01
    return bytes(data)


def text_added(pdf: bytes, text: str = "PAID IN FULL") -> bytes:
    """``pdf`` with words drawn on its first page by an incremental update (what a forger
    appends after a signature, leaving the signed bytes untouched)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    TextStamp(writer, style=TextStampStyle(stamp_text=text)).apply(0, 50, 50)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def payload_changed(token: str, **changes) -> str:
    """The JWS with its payload changed (the signature kept)."""
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(changes)
    encoded = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def sign_raw(pdf: bytes, certificate, *, embed_validation_info: bool = False) -> bytes:
    """``pdf`` signed with ``certificate``'s key, bypassing the service's refusals (for a
    certificate it would not sign with: expired, unknown)."""
    return pades.pdf_sign(
        pdf,
        signer=key_provider().signer_for(certificate),
        validation_context=None,
        reason="test",
        embed_validation_info=embed_validation_info,
    )


def dummy_timestamper(ca):
    """A time-stamp authority of its own (pyHanko's test TSA) with a certificate from the demo
    CA ``ca`` (extended key usage timeStamping)."""
    import datetime

    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key = rsa.generate_private_key(65537, 2048)  # pyHanko's test TSA signs with RSA only
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    der = serialization.Encoding.DER
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(der)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        ),
        certs_to_embed=[asn1_x509.Certificate.load(ca.certificate.public_bytes(der))],
    )
