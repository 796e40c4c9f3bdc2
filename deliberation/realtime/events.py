"""Thread events and live notices: recorded with the change, published once it is committed.

``thread_event_record`` is called by the deliberation services *inside* the transaction that
makes the change: it numbers the event (the thread's next ``last_seq``, under the lock of that
transaction) and stores it, so a committed change always has its event and the numbers follow
commit order. Publishing happens only on commit (``transaction.on_commit``): one
``group_send`` per event, which reaches one hub per server process (see hub.py).

Moderation and account notices are not stored: the moderation queue and the suspension
record are the record; the socket only says that they changed.
"""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F
from wagtail.models import Page

from accounts.names import author_name
from deliberation.models import Contribution, ModerationActionKind, Status, Thread, ThreadEvent
from deliberation.realtime import frames
from deliberation.realtime.groups import (
    activity_group,
    moderation_group,
    thread_group,
    user_group,
)
from deliberation.rules import suspension_message

logger = logging.getLogger(__name__)


def thread_event_record(
    *,
    thread_id: int,
    type: str,
    contribution: Contribution | None = None,
    data: dict | None = None,
    locked: Thread | None = None,
    locked_fields: tuple[str, ...] = (),
) -> ThreadEvent:
    """Number and store one event of ``thread_id`` in the current transaction; publish it on
    commit. The caller holds the thread row's lock (``thread_lock_for_event``) or takes it here.

    ``locked``: the thread row as the caller read it under that lock in this transaction; the
    new number is then written in one query, with the caller's own changes to ``locked_fields``.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("Thread events are recorded inside the transaction of their change.")
    if locked is not None:
        locked.last_seq += 1
        locked.save(update_fields=[*locked_fields, "last_seq"])
        seq = locked.last_seq
    else:
        Thread.objects.filter(pk=thread_id).update(last_seq=F("last_seq") + 1)
        seq = Thread.objects.filter(pk=thread_id).values_list("last_seq", flat=True).get()
    event = ThreadEvent.objects.create(
        thread_id=thread_id, seq=seq, type=type, contribution=contribution, data=data or {}
    )
    transaction.on_commit(lambda: thread_event_publish(event=event), robust=True)
    return event


def thread_lock_for_event(thread_id: int) -> None:
    """Take the thread row's lock first, before any contribution row: every writer then locks
    in the same order (thread, then contribution), so none can deadlock another."""
    Thread.objects.select_for_update().filter(pk=thread_id).values_list("pk", flat=True).get()


SEND_TIMEOUT = 2.0  # seconds: a committed change never waits longer on the channel layer


async def _group_send_within(layer, group: str, message: dict, timeout: float) -> None:
    await asyncio.wait_for(layer.group_send(group, message), timeout)


def _send(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(_group_send_within)(layer, group, message, SEND_TIMEOUT)
    except Exception as error:  # noqa: BLE001 — Redis down: the change stands, the event is stored
        # Each process's hub reads what it missed from the database when the layer is back
        # (hub.Hub.resync); nothing to retry here.
        logger.warning("Channel layer unavailable, %s not sent to %s: %s", message["type"], group, error)


def notice_send(*, group: str, frames: dict[str, str]) -> None:
    """Send a notice (one pre-serialised frame per language) to the sockets that joined
    ``group`` through their process's hub: what other apps' live pages use (citizen requests).
    Call it once the change is committed; a layer outage is logged, never raised."""
    _send(group, {"type": "hub.notice", "group": group, "frames": frames})


def thread_event_publish(*, event: ThreadEvent) -> None:
    """Render ``event`` for every kind of reader and send it to the thread's group once."""
    thread = Thread.objects.select_related("institution", "page").get(pk=event.thread_id)
    [texts] = frames.thread_event_frames(thread, [event])
    _send(
        thread_group(thread.key),
        {
            "type": "hub.thread",
            "thread": thread.key,
            "seq": event.seq,
            "event": event.type,
            "token": frames.event_token(event.pk, event.created_at),
            "frames": texts,
        },
    )
    if event.type == "contribution.published":
        activity_contribution_tell(thread)


# The frame the front door gets: no text, no person, no place; the same in every language.
ACTIVITY_CONTRIBUTION = '{"type": "activity.contribution"}'


def activity_contribution_tell(thread: Thread) -> None:
    """Tell the front door's sockets that a contribution was published, if anyone may read the
    page it is on (the home page counts those only: ``selectors.participation_totals``)."""
    if Page.objects.filter(pk=thread.page_id).live().public().exists():
        group = activity_group()
        notice_send(group=group, frames=dict.fromkeys(frames.languages(), ACTIVITY_CONTRIBUTION))


# --- Moderation and account notices -------------------------------------------------------------


def _to_moderators(thread: Thread, build) -> None:
    """On commit, send a moderation notice (built in each language) to the moderators of the
    thread's institution and to the platform-wide moderators."""

    def publish():
        texts = frames.localized_frames(build)
        institution_key = Thread.objects.filter(pk=thread.pk).values_list(
            "institution__translation_key", flat=True
        ).get()
        for group in (moderation_group(institution_key), moderation_group(None)):
            _send(group, {"type": "hub.notice", "group": group, "frames": texts})

    transaction.on_commit(publish, robust=True)


def _excerpt(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def moderation_pending_notify(*, contribution: Contribution) -> None:
    thread = contribution.thread

    def build():
        return {
            "type": "moderation.pending",
            "id": contribution.pk,
            "thread": thread.key,
            "page_title": thread.page.title,
            "author": author_name(contribution.author),
            "excerpt": _excerpt(contribution.body),
            "created_at": contribution.created_at.isoformat(),
        }

    _to_moderators(thread, build)


def moderation_flagged_notify(*, contribution: Contribution) -> None:
    def build():
        return {
            "type": "moderation.flagged",
            "id": contribution.pk,
            "open_flags": contribution.open_flag_count,
            "hidden": contribution.status == Status.HIDDEN,
        }

    _to_moderators(contribution.thread, build)


def moderation_decided_notify(*, contribution: Contribution, action, actor) -> None:
    def build():
        return {
            "type": "moderation.decided",
            "id": contribution.pk,
            "action": str(action),
            "action_label": str(ModerationActionKind(action).label),
            "status": contribution.status,
            "status_label": str(contribution.get_status_display()),
            "reason_label": str(contribution.get_reason_display()) if contribution.reason else "",
            "actor": actor.display_name,
            "actor_id": actor.pk,
        }

    _to_moderators(contribution.thread, build)


def moderation_thread_notify(*, thread: Thread, locked: bool, actor) -> None:
    def build():
        return {
            "type": "moderation.thread",
            "thread": thread.key,
            "locked": locked,
            "actor": actor.display_name,
            "actor_id": actor.pk,
        }

    _to_moderators(thread, build)


def account_suspended_notify(*, suspension) -> None:
    """Tell the account's open sockets why they close (the consumers close them)."""

    def publish():
        texts = frames.localized_frames(
            lambda: {"type": "account.suspended", "message": suspension_message(suspension)}
        )
        group = user_group(suspension.user_id)
        _send(group, {"type": "hub.account", "group": group, "frames": texts})

    transaction.on_commit(publish, robust=True)


def threads_access_record(*, page) -> int:
    """Who may read the pages under ``page`` changed (view restrictions): a ``thread.phase``
    event in each of their threads, on which every process checks its readers again."""

    keys = Page.objects.filter(path__startswith=page.path).values("translation_key")
    thread_ids = list(Thread.objects.filter(translation_key__in=keys).values_list("pk", flat=True))
    with transaction.atomic():
        for thread_id in thread_ids:
            thread_event_record(thread_id=thread_id, type="thread.phase")
    return len(thread_ids)


def threads_phase_record(*, page) -> int:
    """After an editor published ``page`` (its dates or rules may have changed): a
    ``thread.phase`` event in each of its threads that exists. Returns how many."""
    thread_ids = list(
        Thread.objects.filter(translation_key=page.translation_key).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for thread_id in thread_ids:
            thread_event_record(thread_id=thread_id, type="thread.phase")
    return len(thread_ids)


__all__ = [
    "account_suspended_notify",
    "moderation_decided_notify",
    "moderation_flagged_notify",
    "moderation_pending_notify",
    "moderation_thread_notify",
    "thread_event_publish",
    "thread_event_record",
    "thread_lock_for_event",
    "threads_access_record",
    "threads_phase_record",
]
