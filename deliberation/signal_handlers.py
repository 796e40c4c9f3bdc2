"""Receivers only call services (CONVENTIONS.md §6). Connected by ``DeliberationConfig.ready``."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from deliberation.models import DiscussionPage
from deliberation.realtime.events import threads_access_record, threads_phase_record


def record_phase_change(sender, instance, **kwargs):
    """An editor published or unpublished a page with a discussion: its dates or rules may
    have changed, so its open thread pages learn the phase now in force."""
    if isinstance(instance, DiscussionPage):
        threads_phase_record(page=instance)


def record_access_change(sender, instance, **kwargs):
    """A page's view restrictions changed: the open sockets of the discussions under it are
    checked again (those who may no longer read are told and disconnected)."""
    page = getattr(instance, "page", None)  # (a group's side of the m2m: nothing to do)
    if page is not None:
        threads_access_record(page=page)


def connect():
    for signal in (page_published, page_unpublished):
        signal.connect(
            record_phase_change, dispatch_uid=f"deliberation_phase_{signal is page_published}"
        )
    for signal in (post_save, post_delete):
        signal.connect(
            record_access_change,
            sender=PageViewRestriction,
            dispatch_uid=f"deliberation_access_{signal is post_save}",
        )
    m2m_changed.connect(
        record_access_change,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="deliberation_access_groups",
    )
