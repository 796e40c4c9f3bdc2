"""The signatures API's documented shapes (django-ninja schemas, in /api/openapi.json)."""

import datetime
from typing import Literal

from ninja import Field, Schema

from signatures.models import CertificateStatus, RevocationReason
from signatures.verification import Status

StatusName = Literal[tuple(Status.values)]


class VerificationOut(Schema):
    status: StatusName = Field(
        description="valid; altered (changed after signing: bytes, text or an incremental update "
        "beyond validation data); unknown_certificate (not signed with a certificate registered "
        "here, or its chain does not validate to the registered root); revoked (revoked at or "
        "before the signing time, or revoked and the time is only claimed); expired (the "
        "certificate was not valid at the signing time); not_signed (a PDF without signature); "
        "unreadable (not a PDF, or not a JWS); not_found (no document with this reference and "
        "code)"
    )
    message: str = Field(description="The verdict in words, in the request's language")
    institution: str | None = Field(None, description="The signing institution's name, when the certificate is known")
    signed_at: datetime.datetime | None = Field(None, description="The signing time, when known")
    time_source: Literal["recorded", "timestamp", "claimed"] | None = Field(
        None,
        description="How the signing time is known: recorded by this site when it signed these "
        "bytes, from a trusted RFC 3161 time stamp, or only claimed by the signature",
    )
    certificate_sha256: str | None = Field(None, description="The signer's certificate's SHA-256 fingerprint (hex)")
    certificate_revoked_at: datetime.datetime | None = Field(None, description="When the certificate was revoked, if it was")
    reference: str | None = Field(None, description="The document's reference (tracking number), when it is one this site signed")
    kind: Literal["request_answer", "official_reply"] | None = None
    jws: str | None = Field(
        None, description="The document's JSON form signed as a JWS (compact), given with a reference and code only"
    )
    payload: dict | None = Field(
        None, description="The JWS's verified payload (reference and code, or JWS verification)"
    )


class ReferenceIn(Schema):
    reference: str = Field(min_length=1, max_length=64, description="The tracking number (or a reply's reference) printed on the document")
    code: str = Field(min_length=1, max_length=30, description="The verification code printed on the document")


class JwsIn(Schema):
    token: str = Field(min_length=1, max_length=100_000, description="A JWS in compact serialization")


class BodyErrorOut(Schema):
    """django-ninja's own answer to a body that is not JSON."""

    detail: str = Field(description="`Cannot parse request body`")


class VerifyProblemOut(Schema):
    code: str = Field(description="too_large or rate_limited")
    message: str


class CertificateOut(Schema):
    id: int
    institution: str = Field(description="In the request's language where translated")
    label: str
    fingerprint_sha256: str = Field(description="SHA-256 of the DER certificate, hex (the JWS `kid`)")
    subject: str
    issuer: str
    serial_number: str = Field(description="Hexadecimal")
    not_before: datetime.datetime
    not_after: datetime.datetime
    status: Literal[tuple(CertificateStatus.values)] = Field(
        description="active (signs now), inactive (rotated out: what it signed still verifies), "
        "revoked, expired, not_yet_valid"
    )
    is_demo: bool = Field(description="Issued by the Majlis demo CA: never valid outside the demo")
    revoked_at: datetime.datetime | None
    revocation_reason: Literal[("", *RevocationReason.values)]
    certificate_pem: str = Field(description="The certificate, PEM: `openssl x509 -in cert.pem -pubkey -noout` gives the JWS key")
    chain_pem: list[str] = Field(description="Its issuers, nearest first, up to the root (PEM each)")
