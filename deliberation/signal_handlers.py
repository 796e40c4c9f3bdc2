"""Receivers only call services (CONVENTIONS.md §6)."""

from deliberation.realtime.events import threads_phase_record


def record_phase_change(sender, instance, **kwargs):
    """An editor published a consultation or forum topic: its dates or rules may have changed,
    so its open thread pages learn the phase now in force."""
    threads_phase_record(page=instance)


def connect():
    from wagtail.signals import page_published, page_unpublished

    from consultations.models import ConsultationPage
    from deliberation.models import ForumTopicPage

    for model in (ConsultationPage, ForumTopicPage):
        for signal in (page_published, page_unpublished):
            signal.connect(
                record_phase_change,
                sender=model,
                dispatch_uid=f"deliberation_phase_{signal is page_published}_{model.__name__}",
            )
