"""Reads: an institution's certificates, the public list, signed documents by reference.

An institution is a page translated into several languages (one ``InstitutionPage`` per
language, sharing a ``translation_key``): its certificates are those of any of its
translations."""

from django.db.models import QuerySet
from django.utils import translation

from signatures.models import SignedDocument, SigningCertificate


def institution_certificates(institution) -> QuerySet[SigningCertificate]:
    return SigningCertificate.objects.filter(
        institution__translation_key=institution.translation_key
    ).select_related("institution")


def active_certificate(institution) -> SigningCertificate | None:
    return institution_certificates(institution).filter(is_active=True).first()


def certificates_public() -> QuerySet[SigningCertificate]:
    """Every certificate registered, with its institution, in a stable order."""
    return SigningCertificate.objects.select_related("institution").order_by("institution__title", "-created_at", "pk")


def documents_by_reference(reference: str) -> QuerySet[SignedDocument]:
    return SignedDocument.objects.filter(reference=reference).select_related(
        "institution", "certificate"
    )


def institution_title(institution, language: str | None = None) -> str:
    """The institution's title in ``language`` (the active one by default) where translated."""
    if language:
        with translation.override(language):
            return institution.localized.title
    return institution.localized.title
