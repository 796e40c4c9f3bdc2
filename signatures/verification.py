"""Verifying what Majlis signed: a PDF anyone uploads, a reference with its verification code,
or a JWS. Each answer is a ``Verification`` whose status says what was found and whose
message says it in the reader's language.

The rules (docs/signatures.md, "Verification"):

- The signer's certificate must be one registered here (``SigningCertificate``, by SHA-256
  fingerprint) and its chain must validate up to that certificate's root at the signing time:
  else ``unknown_certificate``.
- The bytes signed must be unchanged (digest and signature), the signature must cover the whole
  file, or the whole of its revision followed only by validation data and document time stamps
  (pyHanko's difference analysis, ``ModificationLevel.LTA_UPDATES``): else ``altered``.
- The signing time is, in order of trust: the time Majlis recorded when it signed these very
  bytes (the PDF's SHA-256, or the JWS, is in ``SignedDocument``), a trusted RFC 3161 time
  stamp, or the time the signature claims. The certificate must have been valid then: else
  ``expired``.
- A certificate revoked after the signing time leaves the signature valid (the message says
  when it was revoked); revoked at or before it, ``revoked``. When the time is only claimed by
  the signature, any revocation makes it ``revoked``: a claimed time proves nothing once the key
  may be in other hands.
"""

import datetime
import hashlib
import io
import json
import logging
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from accounts.ratelimits import rate_limit_hit
from cms.l10n import format_moment
from signatures import conf, pades
from signatures.certificates import certificate_der, certificates_load, jws_algorithm
from signatures.codes import codes_match, normalize_reference
from signatures.models import SignedDocument, SigningCertificate
from signatures.selectors import documents_by_reference, institution_title

logger = logging.getLogger(__name__)


class Status(models.TextChoices):
    VALID = "valid", gettext_lazy("Valid")
    ALTERED = "altered", gettext_lazy("Altered")
    UNKNOWN_CERTIFICATE = "unknown_certificate", gettext_lazy("Unknown certificate")
    REVOKED = "revoked", gettext_lazy("Revoked certificate")
    EXPIRED = "expired", gettext_lazy("Expired certificate")
    NOT_SIGNED = "not_signed", gettext_lazy("Not signed")
    UNREADABLE = "unreadable", gettext_lazy("Unreadable")
    NOT_FOUND = "not_found", gettext_lazy("Not found")


@dataclass
class Verification:
    status: str
    certificate: SigningCertificate | None = None
    signed_at: datetime.datetime | None = None
    # How the signing time is known: "recorded" (Majlis signed these bytes), "timestamp"
    # (a trusted RFC 3161 time stamp) or "claimed" (the signature says so).
    time_source: str = ""
    document: SignedDocument | None = None
    payload: dict | None = None
    jws: str = ""
    # For the operator and the command line, in English; never shown on the page.
    detail: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.status == Status.VALID

    @property
    def institution(self):
        return self.certificate.institution if self.certificate else None

    def institution_title(self) -> str:
        return institution_title(self.institution) if self.institution else ""

    def _when(self, moment) -> str:
        zone = getattr(self.institution, "time_zone", None) or settings.TIME_ZONE
        return format_moment(moment, zone)

    @property
    def message(self) -> str:
        """What was found, in the active language."""
        status = self.status
        if status == Status.VALID:
            text = _("Valid: signed by %(institution)s on %(date)s, unchanged since.") % {
                "institution": self.institution_title(),
                "date": self._when(self.signed_at),
            }
            revoked_at = self.certificate.revoked_at if self.certificate else None
            if revoked_at is not None:
                text += " " + _("The certificate was revoked on %(date)s, after this signature.") % {
                    "date": self._when(revoked_at)
                }
            return text
        if status == Status.ALTERED:
            return _("Altered: this document was changed after it was signed. Do not rely on its content.")
        if status == Status.UNKNOWN_CERTIFICATE:
            return _("Unknown certificate: this document was not signed with a certificate of an institution registered on this site.")
        if status == Status.REVOKED:
            return _("Revoked certificate: the certificate that signed this document was revoked on %(date)s, before the signature or at a time the signature cannot prove.") % {
                "date": self._when(self.certificate.revoked_at)
            }
        if status == Status.EXPIRED:
            return _("Expired certificate: the certificate that signed this document (valid from %(start)s to %(end)s) was not valid on the date of the signature, %(date)s.") % {
                "start": self._when(self.certificate.not_before),
                "end": self._when(self.certificate.not_after),
                "date": self._when(self.signed_at),
            }
        if status == Status.NOT_SIGNED:
            return _("Not signed: this PDF carries no signature.")
        if status == Status.UNREADABLE:
            return _("Unreadable: this file is not a PDF that can be read.")
        return _("Not found: no signed document matches this reference and verification code.")


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__("rate limited")
        self.retry_after = retry_after
        self.message = _("Too many verifications from your connection. Try again in a few minutes.")


def verification_rate_limit(*, client_ip: str, reference: str = "") -> None:
    """Count one verification for the client (and the reference's code guesses); raises
    ``RateLimited`` past the limits."""
    identities = {"ip": (client_ip, conf.get("SIGNATURES_VERIFY_RATE_PER_IP"))}
    if reference:
        identities["reference"] = (
            normalize_reference(reference)[:64], conf.get("SIGNATURES_VERIFY_RATE_PER_REFERENCE")
        )
    exceeded = rate_limit_hit(action="signature_verify", identities=identities)
    if exceeded:
        raise RateLimited(exceeded.retry_after)


# --- Shared judgement ----------------------------------------------------------------------------


def _judge(result: Verification) -> Verification:
    """Expiry and revocation at the signing time, once the signature is intact and trusted."""
    certificate, signed_at = result.certificate, result.signed_at
    if signed_at is None:
        result.status, result.detail = Status.ALTERED, "no signing time"
        return result
    if not (certificate.not_before <= signed_at <= certificate.not_after):
        result.status = Status.EXPIRED
        result.detail = f"signed at {signed_at.isoformat()} ({result.time_source}), outside the certificate's validity"
        return result
    if certificate.revoked_at is not None and (
        certificate.revoked_at <= signed_at or result.time_source == "claimed"
    ):
        result.status = Status.REVOKED
        result.detail = f"revoked at {certificate.revoked_at.isoformat()}, signed at {signed_at.isoformat()} ({result.time_source})"
        return result
    result.status = Status.VALID
    return result


def _chain(certificate: SigningCertificate) -> list[asn1_x509.Certificate]:
    return [
        asn1_x509.Certificate.load(certificate_der(item))
        for item in certificates_load(certificate.chain_pem.encode())
    ]


def _tsa_roots() -> list[asn1_x509.Certificate]:
    path = conf.get("SIGNATURES_TSA_TRUST_ROOTS")
    if not path:
        return []
    try:
        with open(path, "rb") as handle:
            return [asn1_x509.Certificate.load(certificate_der(c)) for c in certificates_load(handle.read())]
    except (OSError, ValueError):
        logger.warning("Unreadable SIGNATURES_TSA_TRUST_ROOTS file %s", path)
        return []


# --- PDF -----------------------------------------------------------------------------------------


def _unchanged(status) -> bool:
    if not (status.intact and status.valid):
        return False
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level is not None
        and status.modification_level <= ModificationLevel.LTA_UPDATES
        and status.docmdp_ok is not False
    )


def verify_pdf(data: bytes, *, record: SignedDocument | None = None) -> Verification:
    """What the first signature of the PDF ``data`` is worth (module docstring)."""
    if not data or not data.startswith(b"%PDF-"):
        return Verification(Status.UNREADABLE, detail="no %PDF- header")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception as error:  # noqa: BLE001 — any parse failure is an unreadable file
        return Verification(Status.UNREADABLE, detail=f"{error.__class__.__name__}: {error}")
    if not signatures:
        return Verification(Status.NOT_SIGNED)
    signature = signatures[0]
    try:
        signer = signature.signer_cert
        digest = hashlib.sha256(signer.dump()).hexdigest()
    except Exception as error:  # noqa: BLE001 — a damaged signature container
        return Verification(Status.ALTERED, detail=f"signature unreadable: {error.__class__.__name__}")
    certificate = SigningCertificate.objects.select_related("institution").filter(fingerprint=digest).first()
    if certificate is None:
        return Verification(Status.UNKNOWN_CERTIFICATE, detail=f"signer {digest} is not registered")
    result = Verification(Status.ALTERED, certificate=certificate)
    pdf_sha256 = hashlib.sha256(data).hexdigest()
    record = record or SignedDocument.objects.filter(pdf_sha256=pdf_sha256, certificate=certificate).first()
    if record is not None and record.pdf_sha256 == pdf_sha256:
        result.document, result.signed_at, result.time_source = record, record.signed_at, "recorded"
    chain = _chain(certificate)
    moment = result.signed_at or signature.self_reported_timestamp or timezone.now()
    context = ValidationContext(
        trust_roots=chain[-1:], other_certs=chain[:-1], moment=moment,
        allow_fetching=False, revocation_mode="soft-fail",
    )
    ts_context = ValidationContext(
        trust_roots=chain[-1:] + _tsa_roots(), allow_fetching=False, revocation_mode="soft-fail",
    )
    try:
        status = pades.run(
            validate_pdf_signature, signature, signer_validation_context=context,
            ts_validation_context=ts_context,
        )
    except Exception as error:  # noqa: BLE001 — pyHanko raises many kinds on damaged input
        result.detail = f"validation failed: {error.__class__.__name__}: {error}"
        return result
    if not _unchanged(status):
        result.detail = (
            f"intact={status.intact} valid={status.valid} coverage={status.coverage} "
            f"modifications={status.modification_level}"
        )
        return result
    if result.time_source != "recorded":
        stamp = status.timestamp_validity
        if stamp is not None and stamp.intact and stamp.valid and stamp.trusted:
            result.signed_at, result.time_source = stamp.timestamp, "timestamp"
        elif status.signer_reported_dt is not None:
            result.signed_at, result.time_source = status.signer_reported_dt, "claimed"
    if result.signed_at is not None and not (certificate.not_before <= result.signed_at <= certificate.not_after):
        return _judge(result)  # expired: the path cannot validate at that moment either
    if not status.trusted:
        result.status = Status.UNKNOWN_CERTIFICATE
        result.detail = "the chain does not validate up to the registered root at the signing time"
        return result
    return _judge(result)


# --- JWS -----------------------------------------------------------------------------------------


def _public_jwk(certificate: SigningCertificate):
    leaf = certificates_load(certificate.certificate_pem.encode())[0]
    kind = RSAKey if jws_algorithm(leaf) == "RS256" else ECKey
    return kind.import_key(certificate.certificate_pem.encode()), jws_algorithm(leaf)


def verify_jws(token: str, *, record: SignedDocument | None = None) -> Verification:
    """What a JWS (compact serialization) signed by Majlis is worth: its ``kid`` names the
    certificate (SHA-256 fingerprint), its payload's ``signed_at`` the claimed time."""
    token = (token or "").strip()
    try:
        header = jws.extract_compact(token.encode()).protected
        kid = str(header.get("kid", ""))
    except Exception as error:  # noqa: BLE001 — not a JWS at all
        return Verification(Status.UNREADABLE, detail=f"not a JWS: {error.__class__.__name__}")
    certificate = SigningCertificate.objects.select_related("institution").filter(fingerprint=kid.lower()).first()
    if certificate is None:
        return Verification(Status.UNKNOWN_CERTIFICATE, jws=token, detail=f"kid {kid!r} is not registered")
    result = Verification(Status.ALTERED, certificate=certificate, jws=token)
    key, algorithm = _public_jwk(certificate)
    if header.get("alg") != algorithm:
        result.detail = f"alg {header.get('alg')!r} is not the certificate's {algorithm}"
        return result
    try:
        payload = json.loads(jws.deserialize_compact(token, key, algorithms=[algorithm]).payload)
    except (JoseError, ValueError) as error:
        result.detail = f"signature or payload invalid: {error.__class__.__name__}"
        return result
    result.payload = payload
    record = record or SignedDocument.objects.filter(
        reference=str(payload.get("reference", ""))[:64], certificate=certificate, jws=token
    ).first()
    if record is not None and record.jws == token:
        result.document, result.signed_at, result.time_source = record, record.signed_at, "recorded"
    else:
        try:
            claimed = datetime.datetime.fromisoformat(str(payload.get("signed_at")))
        except ValueError:
            claimed = None
        result.signed_at = claimed if claimed is None or timezone.is_aware(claimed) else None
        result.time_source = "claimed"
    return _judge(result)


# --- Reference and code ----------------------------------------------------------------------------


def verify_reference(*, reference: str, code: str) -> Verification:
    """The document ``reference`` and ``code`` name together, checked again from its stored
    bytes: the PDF verifies, its SHA-256 is the one recorded when it was signed, and its JWS
    verifies. ``not_found`` whichever part was wrong."""
    candidates = [
        document for document in documents_by_reference(normalize_reference(reference))
        if codes_match(code, document.verification_code)
    ]
    if not candidates:
        return Verification(Status.NOT_FOUND)
    document = candidates[0]
    try:
        with document.pdf.open("rb") as handle:
            data = handle.read()
    except OSError as error:
        logger.error("Signed PDF of document %s unreadable: %s", document.pk, error)
        return Verification(Status.ALTERED, certificate=document.certificate, document=document,
                            signed_at=document.signed_at, detail="stored PDF missing")
    if hashlib.sha256(data).hexdigest() != document.pdf_sha256:
        return Verification(Status.ALTERED, certificate=document.certificate, document=document,
                            signed_at=document.signed_at, detail="stored PDF differs from its recorded SHA-256")
    result = verify_pdf(data, record=document)
    result.document = document
    if not result.valid:
        return result
    token_result = verify_jws(document.jws, record=document)
    result.jws, result.payload = document.jws, token_result.payload
    if not token_result.valid or token_result.payload != document.payload:
        result.status, result.detail = Status.ALTERED, f"JWS: {token_result.status} {token_result.detail}"
    return result

