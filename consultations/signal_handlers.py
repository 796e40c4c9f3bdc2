"""Receivers only call services (CONVENTIONS.md §6)."""

from consultations.models import ConsultationPage
from consultations.services import draft_version_record


def record_draft_version(sender, instance, revision=None, **kwargs):
    if isinstance(instance, ConsultationPage):
        draft_version_record(consultation=instance, revision=revision)


def connect():
    from wagtail.signals import page_published

    page_published.connect(
        record_draft_version, sender=ConsultationPage, dispatch_uid="consultations_draft_version"
    )
