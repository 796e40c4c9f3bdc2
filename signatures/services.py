"""Signing: certificates registered, activated (rotation) and revoked; documents signed.

Each function is keyword-only, changes nothing when it refuses, and refuses with a
``SignatureError`` whose message is translated for the person who asked."""

import base64
import datetime
import hashlib
import io
import json
import logging
import re
import secrets
import uuid
from urllib.parse import urlencode

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from accounts.refusals import Invalid, Refusal
from signatures import conf, demo_ca, pades, rendering
from signatures.certificates import (
    CertificateUnreadable,
    certificate_der,
    certificate_pem,
    certificates_load,
    chain_order,
    fingerprint,
    is_demo,
    jws_algorithm,
    subject_text,
)
from signatures.codes import verification_code_new
from signatures.keys import KeyUnavailable, key_problem, key_provider
from signatures.models import (
    CertificateStatus,
    DocumentKind,
    RevocationReason,
    SignedDocument,
    SigningCertificate,
)
from signatures.selectors import active_certificate, institution_certificates, institution_title

logger = logging.getLogger(__name__)

KEY_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


# Refusals: the shared vocabulary (accounts.refusals), and what only signing refuses.
SignatureError = Refusal


class CannotSign(Refusal):
    """The institution cannot sign now: no active certificate, or one that is revoked,
    expired, refused here, or whose key cannot be loaded."""

    code = "cannot_sign"
    status = 409


# --- Certificates ------------------------------------------------------------------------------


def _aware(value):
    return value if timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)


def certificate_add(
    *,
    institution,
    label: str,
    certificate_data: bytes,
    chain_data: bytes = b"",
    key_reference: str,
    activate: bool = False,
) -> SigningCertificate:
    """Register an institution's certificate (PEM or DER; the first certificate of
    ``certificate_data`` is the institution's, any others join ``chain_data``), with the issuers
    up to the root. ``activate``: it signs from now on (``certificate_activate``)."""
    try:
        loaded = certificates_load(certificate_data)
    except CertificateUnreadable:
        raise Invalid(_("This file is not an X.509 certificate (PEM or DER)."), field="certificate")
    leaf, others = loaded[0], loaded[1:]
    if chain_data and chain_data.strip():
        try:
            others += certificates_load(chain_data)
        except CertificateUnreadable:
            raise Invalid(_("The chain file holds no readable certificate (PEM or DER)."), field="chain")
    try:
        chain = chain_order(leaf, others)
    except CertificateUnreadable:
        raise Invalid(
            _("The chain does not lead from this certificate to a root certificate: add the issuers' certificates up to the root."),
            field="chain",
        )
    if jws_algorithm(leaf) is None:
        raise Invalid(
            _("This certificate's key cannot sign here: use an EC P-256 or P-384 key, or an RSA key of at least 2048 bits."),
            field="certificate",
        )
    try:
        # pyHanko compares names as RFC 4518 prepares them, which refuses some mixes of
        # right-to-left and left-to-right text: find out now, not when signing.
        for item in [leaf, *chain]:
            loaded_item = asn1_x509.Certificate.load(certificate_der(item))
            _names = (loaded_item.subject.hashable, loaded_item.issuer.hashable)
    except ValueError:
        raise Invalid(_("This certificate's names cannot be read by the signing library."), field="certificate")
    label = (label or "").strip()
    if not label:
        raise Invalid(_("Give the certificate a label."), field="label")
    key_reference = (key_reference or "").strip()
    if not KEY_REFERENCE.match(key_reference):
        raise Invalid(
            _("A key reference is a plain name: letters, digits, dots, dashes and underscores."),
            field="key_reference",
        )
    demo = is_demo([leaf, *chain])
    if demo and settings.PRODUCTION:
        raise Invalid(_("Demo certificates are refused in production."), field="certificate")
    digest = fingerprint(leaf)
    if SigningCertificate.objects.filter(fingerprint=digest).exists():
        raise Invalid(_("This certificate is already registered."), field="certificate")
    with transaction.atomic():
        certificate = SigningCertificate.objects.create(
            institution=institution,
            label=label[:200],
            certificate_pem=certificate_pem(leaf),
            chain_pem="".join(certificate_pem(item) for item in chain),
            fingerprint=digest,
            subject=subject_text(leaf)[:500],
            issuer=leaf.issuer.rfc4514_string()[:500],
            serial_number=format(leaf.serial_number, "x")[:100],
            not_before=_aware(leaf.not_valid_before_utc),
            not_after=_aware(leaf.not_valid_after_utc),
            is_demo=demo,
            key_reference=key_reference,
        )
        if activate:
            certificate = certificate_activate(certificate=certificate)
    return certificate


def _usable_refusal(certificate: SigningCertificate, now) -> str | None:
    status = certificate.status(now)
    if status == CertificateStatus.REVOKED:
        return _("This certificate is revoked.")
    if status == CertificateStatus.EXPIRED:
        return _("This certificate has expired.")
    if status == CertificateStatus.NOT_YET_VALID:
        return _("This certificate is not valid yet.")
    if certificate.is_demo and settings.PRODUCTION:
        return _("Demo certificates are refused in production.")
    problem = key_problem(certificate)
    if problem:
        logger.warning("Signing key of certificate %s unavailable: %s", certificate.pk, problem)
        return _("The server cannot load this certificate's private key.")
    return None


def certificate_activate(*, certificate: SigningCertificate) -> SigningCertificate:
    """Make ``certificate`` the one its institution signs with (rotation): the one active
    before is deactivated; what it signed still verifies."""
    with transaction.atomic():
        # One rotation at a time per institution, judged on the rows as they are now.
        list(institution_certificates(certificate.institution).select_for_update())
        current = SigningCertificate.objects.select_related("institution").get(pk=certificate.pk)
        refusal = _usable_refusal(current, timezone.now())
        if refusal:
            raise CannotSign(refusal)
        institution_certificates(current.institution).filter(is_active=True).exclude(
            pk=current.pk
        ).update(is_active=False)
        current.is_active = True
        current.activated_at = timezone.now()
        current.save(update_fields=["is_active", "activated_at"])
    return current


def certificate_revoke(
    *, certificate: SigningCertificate, revoked_at, reason: str, note: str = ""
) -> SigningCertificate:
    """Record that the certificate was revoked at ``revoked_at`` (final): it signs no more;
    what it signed before that moment stays valid (docs/signatures.md, "Revocation")."""
    if reason not in RevocationReason.values:
        raise Invalid(_("Choose a reason."), field="reason")
    if revoked_at is None:
        raise Invalid(_("Give the date of the revocation."), field="revoked_at")
    revoked_at = _aware(revoked_at)
    if revoked_at > timezone.now() + datetime.timedelta(minutes=5):
        raise Invalid(_("A revocation cannot be dated in the future."), field="revoked_at")
    with transaction.atomic():
        current = SigningCertificate.objects.select_for_update().get(pk=certificate.pk)
        if current.revoked_at is not None:
            raise Invalid(_("This certificate is already revoked."))
        current.revoked_at = revoked_at
        current.revocation_reason = reason
        current.revocation_note = (note or "").strip()[:2000]
        current.is_active = False
        current.save(update_fields=["revoked_at", "revocation_reason", "revocation_note", "is_active"])
        if current.is_demo and not settings.PRODUCTION:
            transaction.on_commit(_demo_crl_refresh)
    return current


# --- Signing -----------------------------------------------------------------------------------


def verification_url(*, reference: str, code: str, language: str) -> str:
    """The absolute link printed (and in the QR code) on a signed document."""
    with translation.override(language):
        path = reverse("signatures:verify")
    return f"{conf.public_base_url()}{path}?{urlencode({'reference': reference, 'code': code})}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _signing_time(pdf: bytes, fallback):
    try:
        signature = PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures[0]
        return signature.self_reported_timestamp or fallback
    except (IndexError, ValueError):  # pragma: no cover — we just wrote it
        return fallback


def document_sign(
    *,
    institution,
    kind: str,
    reference: str,
    subject: str,
    text: str,
    attachments: list[tuple[str, str]] = (),
    signer_name: str,
    signer_role: str,
    language: str,
    extra: dict | None = None,
) -> SignedDocument:
    """Sign a document as ``institution``: its PDF (PAdES, validation data embedded) and its
    JSON form (JWS), both with the institution's active certificate, kept with a new
    verification code. ``attachments``: (file name, SHA-256 hex) pairs. ``extra``: more JSON
    for the signed payload (under ``extra``)."""
    if kind not in DocumentKind.values:
        raise Invalid(_("Unknown kind of document."), field="kind")
    if language not in dict(settings.LANGUAGES):
        raise Invalid(_("Unknown language."), field="language")
    reference = (reference or "").strip()
    if not reference or len(reference) > 64:
        raise Invalid(_("A signed document needs a reference of at most 64 characters."), field="reference")
    certificate = active_certificate(institution)
    if certificate is None:
        raise CannotSign(_("This institution has no active signing certificate: an administrator must add one before answers can be signed."))
    now = timezone.now()
    refusal = _usable_refusal(certificate, now)
    if refusal:
        raise CannotSign(refusal)
    provider = key_provider()
    try:
        signer = provider.signer_for(certificate)
    except KeyUnavailable as error:
        logger.warning("Signing key of certificate %s unavailable: %s", certificate.pk, error)
        raise CannotSign(_("The server cannot load this certificate's private key."))

    code = verification_code_new()
    url = verification_url(reference=reference, code=code, language=language)
    title = institution_title(institution, language)
    with translation.override(language):
        kind_label = str(DocumentKind(kind).label)
    attachments = [(str(name), str(digest).lower()) for name, digest in attachments]
    unsigned = rendering.answer_pdf(
        language=language,
        institution_title=title,
        time_zone=getattr(institution, "time_zone", None) or settings.TIME_ZONE,
        kind_label=kind_label,
        reference=reference,
        subject=subject,
        text=text,
        attachments=attachments,
        signer_name=signer_name,
        signer_role=signer_role,
        signed_at=now,
        verification_url=url,
        verification_code=code,
    )
    chain = [asn1_x509.Certificate.load(certificate_der(c)) for c in certificates_load(certificate.chain_pem.encode())]
    try:
        pdf = pades.pdf_sign(
            unsigned,
            signer=signer,
            validation_context=pades.signing_validation_context(root=chain[-1], others=chain[:-1]),
            reason=kind_label,
            location=title,
            stamper=pades.timestamper(),
        )
    except TimestampRequestError as error:
        logger.exception("The time-stamp authority failed while signing with certificate %s", certificate.pk)
        raise CannotSign(_("The document could not be signed: the time-stamp authority did not answer. Try again later.")) from error
    except Exception as error:  # pyHanko's and certvalidator's many kinds of refusal
        logger.exception("Signing with certificate %s failed", certificate.pk)
        raise CannotSign(_("The document could not be signed: the certificate was refused when checked before signing.")) from error
    signed_at = _signing_time(pdf, now)
    pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    payload = {
        "type": "majlis.signed_document",
        "version": 1,
        "kind": kind,
        "reference": reference,
        "institution": {"title": title, "translation_key": str(institution.translation_key)},
        "subject": subject,
        "text": text,
        "attachments": [{"name": name, "sha256": digest} for name, digest in attachments],
        "signer": {"name": signer_name, "role": signer_role},
        "language": language,
        "signed_at": signed_at.isoformat(),
        "certificate_sha256": certificate.fingerprint,
        "pdf_sha256": pdf_sha256,
    }
    if extra:
        payload["extra"] = extra
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    header = {
        "alg": jws_algorithm(certificates_load(certificate.certificate_pem.encode())[0]),
        "typ": "JOSE",
        "cty": "application/json",
        "kid": certificate.fingerprint,
        "x5t#S256": _b64url(bytes.fromhex(certificate.fingerprint)),
    }
    try:
        token = provider.jws_serialize(certificate, header=header, payload=body)
    except KeyUnavailable as error:
        logger.warning("Signing key of certificate %s unavailable: %s", certificate.pk, error)
        raise CannotSign(_("The server cannot load this certificate's private key."))
    document = SignedDocument(
        kind=kind,
        reference=reference,
        institution=institution,
        certificate=certificate,
        verification_code=code,
        signed_at=signed_at,
        pdf_sha256=pdf_sha256,
        jws=token,
        payload=payload,
        language=language,
    )
    document.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
    try:
        document.save()
    except Exception:
        document.pdf.delete(save=False)
        raise
    return document


# --- The demo ----------------------------------------------------------------------------------


def _demo_name(institution) -> str:
    slug = institution.slug if institution.slug.isascii() else f"institution-{institution.pk}"
    return f"Majlis DEMO - {slug}"


def demo_certificates_ensure(*, institutions, valid_from=None) -> list[SigningCertificate]:
    """Give each institution an active certificate from the demo CA (made in the key directory
    on first use), unless it has an active one whose key loads (and valid from ``valid_from``,
    when given: the demo signs answers dated in the past). Refused in production."""
    if settings.PRODUCTION:
        raise Invalid(_("Demo certificates are refused in production."))
    ca = demo_ca.demo_ca_ensure()
    certificates = []
    for institution in institutions:
        current = active_certificate(institution)
        if (
            current is not None
            and not key_problem(current)
            and (valid_from is None or current.not_before <= valid_from)
        ):
            certificates.append(current)
            continue
        reference = f"demo-{secrets.token_hex(6)}"
        issued, _key = demo_ca.demo_certificate_issue(
            ca, common_name=_demo_name(institution), key_reference=reference, not_before=valid_from
        )
        certificates.append(
            certificate_add(
                institution=institution,
                label=f"{_demo_name(institution)} ({issued.not_valid_after_utc:%Y-%m-%d})",
                certificate_data=certificate_pem(issued).encode(),
                chain_data=ca.pem.encode(),
                key_reference=reference,
                activate=True,
            )
        )
    return certificates


def _demo_crl_refresh() -> None:
    """After a demo certificate's revocation: the demo CA's CRL lists every revoked demo
    certificate (when the CA's key is on this machine), so new signatures embed it."""
    try:
        ca = demo_ca.demo_ca_ensure()
        revoked = [
            (int(item.serial_number, 16), item.revoked_at)
            for item in SigningCertificate.objects.filter(is_demo=True, revoked_at__isnull=False)
            if item.issuer == ca.certificate.subject.rfc4514_string()
        ]
        demo_ca.demo_crl_write(ca, revoked=revoked)
    except (OSError, ValueError):
        logger.warning("The demo CA's CRL could not be written", exc_info=True)
