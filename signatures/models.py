"""Institutions' signing certificates and the documents signed with them.

Private keys are never here: a certificate names its key (``key_reference``) and a key provider
finds it outside the database (``signatures.keys``)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signatures.storage import signed_document_storage


class RevocationReason(models.TextChoices):
    # RFC 5280's reasons that make sense for an institution's signing certificate.
    KEY_COMPROMISE = "key_compromise", _("Key compromise")
    AFFILIATION_CHANGED = "affiliation_changed", _("Affiliation changed")
    SUPERSEDED = "superseded", _("Superseded")
    CESSATION_OF_OPERATION = "cessation_of_operation", _("Cessation of operation")
    UNSPECIFIED = "unspecified", _("Unspecified")


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")


class SigningCertificate(models.Model):
    """An institution's X.509 certificate (public), its issuers up to the root, and the name
    under which the key provider finds its private key. At most one is active per
    institution: it signs; the others still verify what they signed."""

    institution = models.ForeignKey(
        "cms.InstitutionPage",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="signing_certificates",
    )
    label = models.CharField(_("label"), max_length=200)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    # The issuers, nearest first, up to the self-signed root (PEM, one after the other).
    chain_pem = models.TextField(_("issuer chain (PEM)"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=500)
    issuer = models.CharField(_("issuer"), max_length=500)
    serial_number = models.CharField(_("serial number"), max_length=100)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    is_demo = models.BooleanField(
        _("demo certificate"),
        default=False,
        help_text=_("Issued by the Majlis demo CA: never valid outside the demo."),
    )
    key_reference = models.CharField(
        _("key reference"),
        max_length=100,
        help_text=_(
            "The name under which the server finds the private key (docs/signatures.md); "
            "the key itself is never stored here."
        ),
    )
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("revocation reason"), max_length=30, choices=RevocationReason.choices, blank=True
    )
    revocation_note = models.TextField(_("revocation note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["institution_id", "-created_at"]
        permissions = [("manage_certificates", _("Can manage signing certificates"))]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"], condition=Q(is_active=True), name="one_active_certificate"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(is_active=False),
                name="revoked_certificate_inactive",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.fingerprint[:16]})"

    def status(self, at=None) -> str:
        at = at or timezone.now()
        if self.revoked_at is not None and self.revoked_at <= at:
            return CertificateStatus.REVOKED
        if at > self.not_after:
            return CertificateStatus.EXPIRED
        if at < self.not_before:
            return CertificateStatus.NOT_YET_VALID
        return CertificateStatus.ACTIVE if self.is_active else CertificateStatus.INACTIVE

    def get_status_display(self) -> str:
        return CertificateStatus(self.status()).label


class DocumentKind(models.TextChoices):
    REQUEST_ANSWER = "request_answer", _("Answer to a request")
    OFFICIAL_REPLY = "official_reply", _("Official reply in a consultation")


def _document_path(instance, filename):
    return f"{instance.signed_at:%Y/%m}/{filename}"


class SignedDocument(models.Model):
    """A document an institution signed: its PDF (PAdES) kept outside the media, the same
    content as JSON signed as a JWS, and the code that finds it with its reference."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    # A request's tracking number, or an official reply's contribution id.
    reference = models.CharField(_("reference"), max_length=64, db_index=True)
    institution = models.ForeignKey(
        "cms.InstitutionPage",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="signed_documents",
    )
    certificate = models.ForeignKey(
        SigningCertificate,
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    # Printed on the PDF and in its QR code; kept as is (docs/signatures.md, "Verification
    # codes": it guards against guessing, not against a reader of this table).
    verification_code = models.CharField(_("verification code"), max_length=20)
    signed_at = models.DateTimeField(_("signed at"))
    pdf = models.FileField(
        _("signed PDF"), storage=signed_document_storage, upload_to=_document_path, max_length=200
    )
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, db_index=True)
    jws = models.TextField(_("JWS (compact)"))
    payload = models.JSONField(_("signed content"))
    language = models.CharField(_("language"), max_length=8)

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        ordering = ["-signed_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"
