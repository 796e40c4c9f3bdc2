"""Receivers only call services (CONVENTIONS.md §6)."""

from wagtail.signals import copy_for_translation_done, page_published, page_unpublished

from consultations.models import ConsultationPage
from consultations.outcomes.models import DecisionPage, OutcomePage
from consultations.outcomes.services import (
    decision_publish_record,
    decision_translation_relink,
    outcome_publish_record,
    outcome_unpublish_record,
)
from consultations.services import draft_version_record


def record_draft_version(sender, instance, revision=None, **kwargs):
    if isinstance(instance, ConsultationPage):
        draft_version_record(consultation=instance, revision=revision)


def record_outcome_published(sender, instance, **kwargs):
    outcome_publish_record(outcome=instance)


def record_outcome_unpublished(sender, instance, **kwargs):
    outcome_unpublish_record(outcome=instance)


def record_decision_published(sender, instance, **kwargs):
    decision_publish_record(decision=instance)


def relink_translated_decision(sender, source_obj, target_obj, **kwargs):
    target = target_obj.specific if hasattr(target_obj, "specific") else target_obj
    if isinstance(target, DecisionPage):
        decision_translation_relink(decision=target)


def connect():
    copy_for_translation_done.connect(
        relink_translated_decision, dispatch_uid="consultations_relink_translated_decision"
    )
    page_published.connect(
        record_draft_version, sender=ConsultationPage, dispatch_uid="consultations_draft_version"
    )
    page_published.connect(
        record_outcome_published, sender=OutcomePage, dispatch_uid="consultations_outcome_published"
    )
    page_unpublished.connect(
        record_outcome_unpublished,
        sender=OutcomePage,
        dispatch_uid="consultations_outcome_unpublished",
    )
    page_published.connect(
        record_decision_published,
        sender=DecisionPage,
        dispatch_uid="consultations_decision_published",
    )
