"""Receivers only call services (CONVENTIONS.md §6). Connected by ``CitizenIdeasConfig.ready``."""

from django.db.models.signals import post_save

from citizen_ideas.live import REPLY_EVENTS, idea_counts_publish_on_commit
from deliberation.models import ThreadEvent


def publish_reply_count(sender, instance, created, **kwargs):
    """A contribution published, hidden, restored or withdrawn in a thread: if the thread is a
    public idea's, its lists learn its reply count once committed (deliberation records every
    change a reader sees as a ThreadEvent, in the transaction of the change)."""
    if created and instance.type in REPLY_EVENTS:
        idea_counts_publish_on_commit(thread_id=instance.thread_id)


def connect():
    post_save.connect(
        publish_reply_count, sender=ThreadEvent, dispatch_uid="citizen_ideas_reply_count"
    )
