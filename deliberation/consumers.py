"""Websocket consumers (docs/realtime.md). Thin by rule: parse the frame, ask the permission
(``deliberation.rules.refusal``), call a service, send its answer. The fan-out of events is the
hub's (deliberation/realtime/hub.py); each socket's place in its thread is its cursor's
(deliberation/realtime/cursor.py)."""

import json
import logging
import time
import uuid
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from limits import parse, storage, strategies

from accounts.ratelimits import scope_client_ip
from accounts.sessions import session_user
from deliberation import conf
from deliberation.models import Status, Thread, ThreadEvent
from deliberation.realtime import frames
from deliberation.realtime.cursor import REPLAY_INTERVAL, Cursor
from deliberation.realtime.groups import moderation_group, user_group
from deliberation.realtime.hub import Hub
from deliberation.rules import active_suspension, moderated_institution_keys, refusal, suspension_message
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

# Close codes (docs/realtime.md, "Limits and close codes"). Application codes only: a server
# may send 1000 and 3000-4999 (autobahn, under daphne, refuses 1009 and 1011: the socket then
# fails with 1011 and the client reconnects), so the standard codes are echoed in the 4000s.
TOO_BIG = 4009
MALFORMED = 4400
LOGIN_REQUIRED = 4401
FORBIDDEN = 4403
NOT_FOUND = 4404
TOO_MANY = 4429
SERVER_ERROR = 4011
REFUSAL_CLOSE = {"not_found": NOT_FOUND, "forbidden": FORBIDDEN, "login_required": LOGIN_REQUIRED}
MODERATOR_RECHECK = 10  # seconds: how long a moderator's rights are trusted between notices

_socket_limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())


class HealthConsumer(AsyncJsonWebsocketConsumer):
    """``/ws/health/``: proves the websocket stack (origin check, session, daphne) answers.

    On connect it sends ``{"type": "health.ok"}``; a ``{"type": "ping"}`` frame is
    answered with ``{"type": "pong"}``; anything else gets an ``error`` frame.
    """

    async def connect(self):
        await self.accept()
        user = self.scope.get("user")
        await self.send_json(
            {
                "type": "health.ok",
                "server_time": timezone.now().isoformat(),
                "authenticated": bool(user and user.is_authenticated),
            }
        )

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong", "server_time": timezone.now().isoformat()})
        else:
            await self.send_json({"type": "error", "code": "unknown_frame"})

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None


# --- Parsing -------------------------------------------------------------------------------------


class Malformed(Exception):
    pass


def _text(content: dict, name: str, *, limit: int, required: bool = True) -> str:
    value = content.get(name, "" if not required else None)
    if not isinstance(value, str) or len(value) > limit:
        raise Malformed(name)
    return value


def _optional_id(content: dict, name: str) -> int | None:
    value = content.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Malformed(name)
    return value


def _required_id(content: dict, name: str) -> int:
    value = _optional_id(content, name)
    if value is None:
        raise Malformed(name)
    return value


def _uuid(content: dict, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(_text(content, name, limit=64))
    except ValueError:
        raise Malformed(name) from None


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


# --- What both live sockets share ----------------------------------------------------------


class LiveConsumer(AsyncWebsocketConsumer):
    """What the thread and moderation sockets share: language, limits, the account re-read
    for every frame, and closing with a documented code after saying why."""

    # Sockets are reached through the hub, not through a layer channel each.
    channel_layer_alias = "__majlis_no_layer__"
    client_types: dict[str, str] = {}  # frame type -> handler method

    async def websocket_connect(self, message):
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        language = (query.get("lang") or [""])[0]
        self.language = language if language in frames.languages() else settings.LANGUAGE_CODE
        self.query = query
        self.user = self.scope.get("user")
        self.socket_id = uuid.uuid4().hex
        self.closed = False
        await super().websocket_connect(message)

    @property
    def signed_in(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

    @property
    def session_key(self) -> str | None:
        return getattr(self.scope.get("session"), "session_key", None)

    async def send_frame(self, frame: dict) -> None:
        if not self.closed:
            await self.send(text_data=frames.dumps(frame))

    async def send_text(self, text: str) -> None:
        if not self.closed:
            await self.base_send({"type": "websocket.send", "text": text})

    async def refuse(self, code: str, close_code: int, message: str = "", **fields) -> None:
        """Say why (an ``error`` frame), then close with ``close_code``."""
        await self.send_frame({"type": "error", "code": code, "message": message, **fields})
        self.closed = True
        await self.close(code=close_code)

    def translated(self, function, *args) -> str:
        """``function(*args)`` in the socket's language (messages are built lazily so that
        makemessages sees each ``_("…")``)."""
        with translation.override(self.language):
            return str(function(*args))

    async def receive(self, text_data=None, bytes_data=None):
        if self.closed:
            return
        if text_data is None:
            return await self.refuse("malformed", MALFORMED, self.translated(lambda: _("Frames are JSON text.")))
        if len(text_data) > conf.get("DELIBERATION_REALTIME_MAX_FRAME"):
            return await self.refuse(
                "too_big", TOO_BIG, self.translated(lambda: _("This message is too long."))
            )
        rate = parse(conf.get("DELIBERATION_REALTIME_RATE"))
        if not _socket_limiter.hit(rate, "socket", self.socket_id):
            return await self.refuse(
                "rate_limited", TOO_MANY, self.translated(lambda: _("Too many messages: the connection is closed."))
            )
        try:
            content = json.loads(text_data)
            if not isinstance(content, dict) or not isinstance(content.get("type"), str):
                raise Malformed("frame")
            handler = self.client_types.get(content["type"])
            if handler is None:
                raise Malformed("type")
        except (Malformed, ValueError, RecursionError):
            return await self.refuse(
                "malformed", MALFORMED, self.translated(lambda: _("This message could not be understood."))
            )
        try:
            await getattr(self, handler)(content)
        except Malformed:
            await self.refuse(
                "malformed", MALFORMED, self.translated(lambda: _("This message could not be understood."))
            )
        except Exception:  # noqa: BLE001 — a bug or an outage: say so, close, leave the hub
            logger.exception("Websocket frame %s failed", content["type"])
            await self.refuse(
                "server_error",
                SERVER_ERROR,
                self.translated(lambda: _("Something went wrong on our side. Reload the page.")),
            )

    async def __call__(self, scope, receive, send):
        # Whatever ends the consumer (a close, an exception in connect or a handler), it
        # leaves the hub: a socket that is gone must not stay counted or keep frames.
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.closed = True
            await self.leave_hub()

    async def disconnect(self, code):
        self.closed = True
        await self.leave_hub()

    async def leave_hub(self) -> None:
        """Leave every feed and group joined (idempotent). Overridden by each socket."""

    async def ping(self, content):
        await self.send_frame({"type": "pong", "server_time": timezone.now().isoformat()})

    async def hub_frames(self, kind: str, texts: dict[str, str]) -> None:
        """A notice from the hub (moderation queue changes, or this account's suspension)."""
        text = texts.get(self.language) or next(iter(texts.values()))
        await self.send_text(text)
        if kind == "hub.account":
            self.closed = True
            await self.close(code=FORBIDDEN)


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
        body = _text(content, "body", limit=conf.get("DELIBERATION_REALTIME_MAX_FRAME"))
        parent_id = _optional_id(content, "parent")
        key = _uuid(content, "idempotency_key")
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
        contribution_id = _required_id(content, "id")
        kind = content.get("kind")
        if not (kind is None or isinstance(kind, str)) or (kind and len(kind) > 20):
            raise Malformed("kind")

        def service(user, thread) -> dict:
            contribution = contribution_in_thread(contribution_id=contribution_id, thread=thread)
            updated = contribution_react(user=user, contribution=contribution, kind=kind)
            return {"id": updated.pk, "agree": updated.agree_count, "disagree": updated.disagree_count}

        await self.write(content, "contribution.react", service)

    async def flag(self, content):
        contribution_id = _required_id(content, "id")
        reason = _text(content, "reason", limit=20)
        note = _text(content, "note", limit=2000, required=False)

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
