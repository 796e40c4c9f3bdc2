"""Websocket consumers (docs/realtime.md). Thin by rule: parse the frame, ask the permission
(``deliberation.rules.refusal``), call a service, send its answer. The fan-out of events is the
hub's (deliberation/realtime/hub.py); each socket's place in its thread is its cursor's
(deliberation/realtime/cursor.py); what every socket shares is in deliberation/realtime/sockets.py."""

import logging
import time

from channels.db import database_sync_to_async
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.ratelimits import scope_client_ip
from accounts.sessions import session_user
from deliberation import conf
from deliberation.models import Status, Thread, ThreadEvent
from deliberation.realtime import frames
from deliberation.realtime.cursor import REPLAY_INTERVAL, Cursor
from deliberation.realtime.groups import activity_group, moderation_group, user_group
from deliberation.realtime.hub import Hub
from deliberation.realtime.sockets import (
    FORBIDDEN,
    LOGIN_REQUIRED,
    REFUSAL_CLOSE,
    LiveConsumer,
    Malformed,
    optional_id,
    required_id,
    text_field,
    uuid_field,
)
from deliberation.rules import (
    active_suspension,
    moderated_institution_keys,
    refusal,
    suspension_message,
)
from deliberation.selectors import Queue, moderation_queue
from deliberation.services import (
    DeliberationError,
    Refused,
    contribution_flag,
    contribution_in_thread,
    contribution_post,
    contribution_react,
    thread_for_key,
)

logger = logging.getLogger(__name__)

MODERATOR_RECHECK = 10  # seconds: how long a moderator's rights are trusted between notices


# --- Reads run in a worker thread ------------------------------------------------------------


def _subscription(key: str, user, language: str):
    """(thread, refusal in ``language`` or None, next phase change)."""
    thread = thread_for_key(key=key)
    with translation.override(language):
        refused = refusal(user, "deliberation.subscribe_thread", thread)
    if refused:
        return thread, refused, None
    return thread, None, frames.next_phase_change(thread)


def _hello(thread_id: int, since: int | None) -> tuple[int, str | None, str | None]:
    """The thread's latest number, the token of that event and that of event ``since``
    (frames.event_token; None where there is no such event)."""
    latest = Thread.objects.values_list("last_seq", flat=True).get(pk=thread_id)
    seqs = {latest} | ({since} if since else set())
    tokens = {
        seq: frames.event_token(pk, created_at)
        for seq, pk, created_at in ThreadEvent.objects.filter(
            thread_id=thread_id, seq__in=seqs
        ).values_list("seq", "pk", "created_at")
    }
    return latest, tokens.get(latest), tokens.get(since)


def _account(user, session_key: str | None):
    """(the account as it is now, its suspension) or (None, None) if it may no longer act
    through this socket (``accounts.sessions.session_user``)."""
    fresh = session_user(user=user, session_key=session_key)
    if fresh is None:
        return None, None
    return fresh, active_suspension(fresh)


def _moderation_scope(user):
    """(groups to join, queue counts) for a moderator; None for anyone else."""
    if not user.is_authenticated or not user.has_perm("deliberation.moderate"):
        return None
    keys = moderated_institution_keys(user)
    groups = [moderation_group(None)] if keys is None else [moderation_group(key) for key in keys]
    counts = {
        "pending": moderation_queue(user=user, queue=Queue.PENDING).count(),
        "flagged": moderation_queue(user=user, queue=Queue.FLAGGED).count(),
    }
    return groups, counts


def _still_moderates(user, session_key: str | None, groups: list[str]) -> bool:
    """The moderator can still act (logged in, active) and moderates the same institutions."""
    fresh = session_user(user=user, session_key=session_key)
    if fresh is None:
        return False
    scope = _moderation_scope(fresh)
    return scope is not None and set(scope[0]) == set(groups)


# --- The thread socket -------------------------------------------------------------------------


class ThreadConsumer(LiveConsumer):
    """``/ws/threads/<key>/``: one thread's events, in order, with resume; posting, reacting
    and reporting through the same services as the HTML forms."""

    client_types = {
        "ping": "ping",
        "replay": "replay",
        "contribution.post": "post",
        "contribution.react": "react",
        "contribution.flag": "flag",
    }

    async def connect(self):
        self.cursor = Cursor(frames.variant(self.language, self.signed_in))
        self.feed = None
        key = self.scope["url_route"]["kwargs"]["key"]
        since = (self.query.get("since") or [""])[0]
        since = int(since) if since.isdigit() else None
        # The token of the event the client has at ``since`` (it got it with that event).
        known = (self.query.get("event") or [""])[0][:64] or None
        thread, refused, next_change = await database_sync_to_async(_subscription)(
            key, self.user, self.language
        )
        await self.accept()
        if refused:
            return await self.subscription_lost(refused)
        self.thread = thread
        hub = Hub.current()
        self.feed = await hub.thread_join(
            self, key=thread.key, thread_id=thread.pk, next_change=next_change
        )
        if self.signed_in:
            await hub.join(user_group(self.user.pk), self)
        latest, token, since_token = await database_sync_to_async(_hello)(thread.pk, since)
        if not self.feed.same_event(latest, token):
            # The other sockets of this thread show events the database no longer has.
            await self.feed.history_changed(point=latest, position=latest - 1)
        open_, _reactions = await database_sync_to_async(frames.thread_open)(thread)
        await self.send_frame(
            {
                "type": "thread.hello",
                "thread": thread.key,
                "seq": latest,
                "since": since,
                "watchers": self.feed.watchers(),
                "open": open_,
                "locked": thread.locked,
                "event": token,
            }
        )
        texts, gap = self.cursor.start(latest=latest, since=since, known=known, since_token=since_token)
        for text in texts:
            await self.send_text(text)
        if gap:
            self.feed.fill()

    async def leave_hub(self) -> None:
        feed, self.feed = getattr(self, "feed", None), None
        if feed is not None:
            hub = Hub.current()
            await hub.thread_leave(self, feed)
            if self.signed_in:
                await hub.leave(user_group(self.user.pk), self)

    async def subscription_lost(self, refused) -> None:
        """This reader may not (or may no longer) follow the thread (unknown, unpublished, made
        private): ``refused`` (rules.Refusal) says why; close with its code."""
        await self.refuse(refused.code, REFUSAL_CLOSE[refused.code], str(refused))

    async def replay(self, content):
        since = content.get("since")
        if isinstance(since, bool) or not isinstance(since, int) or since < 0:
            raise Malformed("since")
        if self.cursor.seq is None:
            return
        if self.cursor.replay_too_soon(time.monotonic()):
            return await self.send_frame(
                {
                    "type": "error",
                    "code": "rate_limited",
                    "retry_after": REPLAY_INTERVAL,
                    "message": self.translated(lambda: _("Please wait a moment before asking again.")),
                }
            )
        reload = self.cursor.rewind(since)
        if reload is not None:
            return await self.send_text(reload)
        self.feed.fill()

    # Writing: the account and the thread read again, then one service ----------------------

    async def post(self, content):
        body = text_field(content, "body", limit=conf.get("DELIBERATION_REALTIME_MAX_FRAME"))
        parent_id = optional_id(content, "parent")
        key = uuid_field(content, "idempotency_key")
        ip_address, language = scope_client_ip(self.scope), self.language

        def service(user, thread) -> dict:
            result = contribution_post(
                author=user, thread=thread, body=body, parent_id=parent_id, idempotency_key=key,
                ip_address=ip_address, language=language,
            )
            pending = result.contribution.status == Status.PENDING
            message = (
                _("Thank you. Your contribution will appear once a moderator has approved it.")
                if pending
                else _("Your contribution is published.")
            )
            contribution = result.contribution
            return {"id": contribution.pk, "status": contribution.status, "created": result.created, "message": message}

        await self.write(content, "contribution.post", service)

    async def react(self, content):
        contribution_id = required_id(content, "id")
        kind = content.get("kind")
        if not (kind is None or isinstance(kind, str)) or (kind and len(kind) > 20):
            raise Malformed("kind")

        def service(user, thread) -> dict:
            contribution = contribution_in_thread(contribution_id=contribution_id, thread=thread)
            updated = contribution_react(user=user, contribution=contribution, kind=kind)
            return {"id": updated.pk, "agree": updated.agree_count, "disagree": updated.disagree_count}

        await self.write(content, "contribution.react", service)

    async def flag(self, content):
        contribution_id = required_id(content, "id")
        reason = text_field(content, "reason", limit=20)
        note = text_field(content, "note", limit=2000, required=False)

        def service(user, thread) -> dict:
            contribution = contribution_in_thread(contribution_id=contribution_id, thread=thread)
            contribution_flag(user=user, contribution=contribution, reason=reason, note=note)
            return {"id": contribution.pk, "message": _("Thank you. Moderators will look at this contribution.")}

        await self.write(content, "contribution.flag", service)

    async def write(self, content, kind: str, service) -> None:
        """Answer a writing frame: ``service(user, thread)`` for the account and the thread as
        they are now, in the socket's language, acknowledged with what it returned or refused
        with the error it raised."""
        request_id = content.get("request_id", "")
        if not isinstance(request_id, str) or len(request_id) > 64:
            raise Malformed("request_id")
        user = await self.writer(request_id)
        if user is None:
            return
        key = self.thread.key

        def run():
            with translation.override(self.language):
                thread = thread_for_key(key=key)
                try:
                    refused = refusal(user, "deliberation.subscribe_thread", thread)
                    if refused:  # its page went offline or private since the socket opened
                        raise Refused(refused)
                    return service(user, thread), None
                except DeliberationError as error:
                    return None, error

        result, error = await database_sync_to_async(run)()
        if error is None:
            return await self.send_frame({"type": "ack", "for": kind, "request_id": request_id, **result})
        frame = {"type": "error", "code": error.code, "message": str(error.message), "request_id": request_id}
        if error.field:
            frame["field"] = error.field
        if getattr(error, "retry_after", None):
            frame["retry_after"] = error.retry_after
        await self.send_frame(frame)

    async def writer(self, request_id: str):
        """The account, re-read; None (after an error frame, or closing) if it may not write."""
        if not self.signed_in:
            await self.send_frame(
                {
                    "type": "error",
                    "code": "login_required",
                    "request_id": request_id,
                    "message": self.translated(lambda: _("Log in to take part.")),
                }
            )
            return None
        user, suspension = await database_sync_to_async(_account)(self.user, self.session_key)
        if user is None:
            await self.refuse(
                "forbidden",
                FORBIDDEN,
                self.translated(lambda: _("You are no longer logged in here. Reload the page.")),
                request_id=request_id,
            )
            return None
        if suspension is not None:
            message = self.translated(suspension_message, suspension)
            await self.send_frame({"type": "account.suspended", "message": message})
            self.closed = True
            await self.close(code=FORBIDDEN)
            return None
        return user


# --- The moderation socket ---------------------------------------------------------------------


class ModerationConsumer(LiveConsumer):
    """``/ws/moderation/``: the moderator's queue changing, live."""

    client_types = {"ping": "ping"}
    checked_at = 0.0

    async def hub_frames(self, kind: str, texts: dict[str, str]) -> None:
        """Before passing on a notice (it may carry unpublished text), make sure this is still a
        moderator of the same institutions: rights removed since the socket opened apply."""
        if kind == "hub.notice" and time.monotonic() - self.checked_at > MODERATOR_RECHECK:
            groups = [g for g in self.groups_joined if g != user_group(self.user.pk)]
            allowed = await database_sync_to_async(_still_moderates)(
                self.user, self.session_key, groups
            )
            if not allowed:
                return await self.refuse(
                    "forbidden",
                    FORBIDDEN,
                    self.translated(lambda: _("Your moderation rights changed. Reload the page.")),
                )
            self.checked_at = time.monotonic()
        await super().hub_frames(kind, texts)

    async def connect(self):
        self.groups_joined: list[str] = []
        await self.accept()
        if not self.signed_in:
            return await self.refuse(
                "login_required", LOGIN_REQUIRED, self.translated(lambda: _("Log in to take part."))
            )
        scope = await database_sync_to_async(_moderation_scope)(self.user)
        if scope is None:
            return await self.refuse(
                "forbidden", FORBIDDEN, self.translated(lambda: _("You do not moderate this discussion."))
            )
        groups, counts = scope
        self.checked_at = time.monotonic()
        hub = Hub.current()
        for group in [*groups, user_group(self.user.pk)]:
            await hub.join(group, self)
            self.groups_joined.append(group)
        await self.send_frame({"type": "moderation.hello", **counts})

    async def leave_hub(self) -> None:
        groups, self.groups_joined = getattr(self, "groups_joined", []), []
        hub = Hub.current()
        for group in groups:
            await hub.leave(group, self)


class ActivityConsumer(LiveConsumer):
    """``/ws/activity/``: the front door's counter of contributions, told of each one published
    on a page anyone may read (``events.activity_contribution_tell``). Open to anyone; the
    frames carry no text, person or place."""

    client_types = {"ping": "ping"}

    async def connect(self):
        self.groups_joined: list[str] = []
        await self.accept()
        group = activity_group()
        await Hub.current().join(group, self)
        self.groups_joined.append(group)
        await self.send_frame({"type": "activity.hello"})

    async def leave_hub(self) -> None:
        groups, self.groups_joined = getattr(self, "groups_joined", []), []
        hub = Hub.current()
        for group in groups:
            await hub.leave(group, self)
