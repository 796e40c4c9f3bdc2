"""Websocket consumers (docs/realtime.md). Thin by rule: parse, check, call a service, send its
result; the fan-out of events is the hub's (deliberation/realtime/hub.py)."""

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

from deliberation import conf

logger = logging.getLogger(__name__)
from deliberation.realtime import frames
from deliberation.realtime.groups import moderation_group, user_group
from deliberation.realtime.hub import Hub

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
REPLAY_INTERVAL = 2  # seconds between two replays asked by one socket
REFUSAL_CLOSE = {"not_found": NOT_FOUND, "forbidden": FORBIDDEN, "login_required": LOGIN_REQUIRED}

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


class LiveConsumer(AsyncWebsocketConsumer):
    """What the thread and moderation sockets share: language, limits, the account re-read
    for every frame, and closing with a documented code after saying why."""

    # Sockets are reached through the hub, not through a layer channel each.
    channel_layer_alias = "__majlis_no_layer__"
    client_types: dict[str, str] = {}  # frame type -> handler method

    async def websocket_connect(self, message):
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        language = (query.get("lang") or [""])[0]
        codes = frames.languages()
        self.language = language if language in codes else settings.LANGUAGE_CODE
        self.query = query
        self.user = self.scope.get("user")
        self.socket_id = uuid.uuid4().hex
        self.closed = False
        await super().websocket_connect(message)

    @property
    def signed_in(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

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
        if not _socket_limiter.hit(parse(conf.get("DELIBERATION_REALTIME_RATE")), "socket", self.socket_id):
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


# --- Reads and services for the thread socket (run in a worker thread) ------------------------


def _subscription(key: str, user):
    """(thread, refusal code or None, next phase change)."""
    from deliberation.realtime.frames import next_phase_change
    from deliberation.rules import subscribe_refusal
    from deliberation.services import thread_for_key

    thread = thread_for_key(key=key)
    refusal = subscribe_refusal(user, thread)
    if refusal:
        return thread, refusal, None
    return thread, None, next_phase_change(thread)


def _hello(thread_id: int, since: int | None) -> tuple[int, str | None, str | None]:
    """The thread's latest number, the token of that event and that of event ``since``
    (frames.event_token; None where there is no such event)."""
    from deliberation.models import Thread, ThreadEvent

    latest = Thread.objects.values_list("last_seq", flat=True).get(pk=thread_id)
    seqs = {latest} | ({since} if since else set())
    tokens = {
        seq: frames.event_token(pk, created_at)
        for seq, pk, created_at in ThreadEvent.objects.filter(
            thread_id=thread_id, seq__in=seqs
        ).values_list("seq", "pk", "created_at")
    }
    return latest, tokens.get(latest), tokens.get(since)


def _fresh_user(user, session_key: str | None):
    """The account as it is now, or (None, None) if it may no longer act through this socket:
    disabled, deleted, logged out, or its password changed since the socket opened (the
    session is read again, as Django's auth middleware would on the next request). A
    suspension, a lost permission or a disabled account thus apply from the next frame."""
    from importlib import import_module

    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.utils.crypto import constant_time_compare

    from accounts.models import User
    from deliberation.rules import active_suspension

    if not user or not user.is_authenticated:
        return user, None
    fresh = User.objects.filter(pk=user.pk).first()
    if fresh is None or not fresh.is_active or not session_key:
        return None, None
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key).load()
    if str(session.get(SESSION_KEY)) != str(fresh.pk) or not constant_time_compare(
        session.get(HASH_SESSION_KEY, ""), fresh.get_session_auth_hash()
    ):
        return None, None
    return fresh, active_suspension(fresh)


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

    # Per-socket order, driven by the feed (see ThreadFeed): None until the backlog is known.
    seq: int | None = None
    replayed_at = -REPLAY_INTERVAL

    async def connect(self):
        self.seq = None
        self.backlog: list[tuple[int, dict]] = []
        self.held: dict[int, dict] = {}
        self.feed = None
        self.variant = frames.variant(self.language, self.signed_in)
        key = self.scope["url_route"]["kwargs"]["key"]
        since = (self.query.get("since") or [""])[0]
        since = int(since) if since.isdigit() else None
        # The token of the event the client has at ``since`` (it got it with that event).
        known = (self.query.get("event") or [""])[0][:64] or None
        thread, refusal, next_change = await database_sync_to_async(_subscription)(key, self.user)
        await self.accept()
        if refusal:
            return await self.subscription_lost(refusal)
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
        if since is not None and (since > latest or latest - since > conf.get("DELIBERATION_REALTIME_REPLAY_LIMIT")):
            await self.send_frame({"type": "thread.reload", "reason": "gap_too_large"})
            since = None
        elif since and known is not None and known != since_token:
            # The client's event ``since`` is not the database's: it was restored meanwhile.
            await self.send_frame({"type": "thread.reload", "reason": "history_changed"})
            since = None
        self.seq = latest if since is None else since
        backlog, self.backlog = self.backlog, None
        for seq, texts in backlog:
            out, _gap = self.offer(seq, texts)
            if out:
                await self.send_texts(out)
        if self.seq < latest or self.held:
            self.feed.fill()

    async def disconnect(self, code):
        self.closed = True
        await self.leave_hub()

    async def leave_hub(self) -> None:
        feed, self.feed = getattr(self, "feed", None), None
        if feed is not None:
            hub = Hub.current()
            await hub.thread_leave(self, feed)
            if self.signed_in:
                await hub.leave(user_group(self.user.pk), self)

    async def subscription_lost(self, refusal: str) -> None:
        """The feed found this reader may no longer follow the thread (unpublished, made
        private): say why and close."""
        messages = {
            "not_found": lambda: _("This discussion does not exist."),
            "forbidden": lambda: _("You cannot follow this discussion."),
            "login_required": lambda: _("Log in to follow this discussion."),
        }
        await self.refuse(refusal, REFUSAL_CLOSE[refusal], self.translated(messages[refusal]))

    # Called by the feed, synchronously, in event order ----------------------------------------

    def offer(self, seq: int, texts: dict[str, str]):
        """(the texts to send now, in order, or None; whether this socket has a gap to fill).

        Synchronous and cheap: the feed calls it for every local socket of the thread."""
        if self.closed:
            return None, False
        if self.seq is None:
            self.backlog.append((seq, texts))
            return None, False
        if seq <= self.seq:
            return None, False
        text = texts.get(self.variant) or texts.get(frames.EVERYONE)
        if seq > self.seq + 1 or text is None:
            self.held[seq] = texts
            if len(self.held) > conf.get("DELIBERATION_REALTIME_REPLAY_LIMIT"):
                # The gap cannot be filled (the database is failing us): give up on this
                # backlog, tell the client to reload, and go on from the latest event.
                self.seq, self.held = max(self.held), {}
                return [frames.dumps({"type": "thread.reload", "reason": "gap_too_large"})], False
            return None, True
        self.seq = seq
        out = [text]
        while self.held:
            following = self.held.pop(self.seq + 1, None)
            self.held = {s: t for s, t in self.held.items() if s > self.seq}
            if following is None:
                break
            text = following.get(self.variant) or following.get(frames.EVERYONE)
            if text is None:
                self.held[self.seq + 1] = following
                break
            self.seq += 1
            out.append(text)
        return out, bool(self.held)

    def history_changed(self, position: int) -> str | None:
        """The thread's history changed under this socket (its database was restored from a
        backup): what the client shows past ``position`` may be events the server no longer
        has. The ``thread.reload`` text to send; the socket goes on from ``position``."""
        if self.closed or self.seq is None:
            return None
        self.seq, self.held = position, {}
        return frames.dumps({"type": "thread.reload", "reason": "history_changed"})

    async def send_texts(self, texts: list[str]) -> None:
        for text in texts:
            await self.base_send({"type": "websocket.send", "text": text})

    # Client frames ------------------------------------------------------------------------------

    async def replay(self, content):
        since = content.get("since")
        if isinstance(since, bool) or not isinstance(since, int) or since < 0:
            raise Malformed("since")
        if self.seq is None:
            return
        now = time.monotonic()
        if now - self.replayed_at < REPLAY_INTERVAL:
            # A replay re-reads and re-renders events: one per socket every few seconds.
            return await self.send_frame(
                {
                    "type": "error",
                    "code": "rate_limited",
                    "retry_after": REPLAY_INTERVAL,
                    "message": self.translated(lambda: _("Please wait a moment before asking again.")),
                }
            )
        self.replayed_at = now
        if since < self.seq:
            if self.seq - since > conf.get("DELIBERATION_REALTIME_REPLAY_LIMIT"):
                return await self.send_frame({"type": "thread.reload", "reason": "gap_too_large"})
            # Send again what the client says it lacks; the feed then carries on from there.
            self.seq = since
            self.held = {}
        self.feed.fill()

    async def _writer(self, content) -> tuple[object, str] | None:
        """The account, re-read; None (after the socket closed, or an error frame) if it may
        not write."""
        request_id = content.get("request_id", "")
        if not isinstance(request_id, str) or len(request_id) > 64:
            raise Malformed("request_id")
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
        session = self.scope.get("session")
        user, suspension = await database_sync_to_async(_fresh_user)(
            self.user, getattr(session, "session_key", None)
        )
        if user is None:
            await self.refuse(
                "forbidden",
                FORBIDDEN,
                self.translated(lambda: _("You are no longer logged in here. Reload the page.")),
                request_id=request_id,
            )
            return None
        if suspension is not None:
            from deliberation.rules import suspension_message

            message = self.translated(suspension_message, suspension)
            await self.send_frame({"type": "account.suspended", "message": message})
            self.closed = True
            await self.close(code=FORBIDDEN)
            return None
        return user, request_id

    async def _call(self, request_id: str, kind: str, function, *args) -> None:
        """Run a service in a worker thread in the socket's language; answer ``ack`` or
        ``error`` as the service said."""
        from deliberation.services import DeliberationError

        def run():
            with translation.override(self.language):
                try:
                    return function(*args), None
                except DeliberationError as error:
                    return None, error

        result, error = await database_sync_to_async(run)()
        if error is not None:
            frame = {
                "type": "error",
                "code": error.code,
                "message": str(error.message),
                "request_id": request_id,
            }
            if getattr(error, "field", None):
                frame["field"] = error.field
            if getattr(error, "retry_after", None):
                frame["retry_after"] = error.retry_after
            return await self.send_frame(frame)
        await self.send_frame({"type": "ack", "for": kind, "request_id": request_id, **result})

    async def post(self, content):
        body = _text(content, "body", limit=conf.get("DELIBERATION_REALTIME_MAX_FRAME"))
        parent_id = _optional_id(content, "parent")
        try:
            key = uuid.UUID(_text(content, "idempotency_key", limit=64))
        except ValueError:
            raise Malformed("idempotency_key") from None
        writer = await self._writer(content)
        if writer is None:
            return
        user, request_id = writer
        client = self.scope.get("client") or ("", 0)
        await self._call(
            request_id, "contribution.post", _post, user, self.thread.pk, body, parent_id, key,
            client[0], self.language,
        )

    async def react(self, content):
        contribution_id = _optional_id(content, "id")
        kind = content.get("kind")
        if contribution_id is None or not (kind is None or isinstance(kind, str)) or (kind and len(kind) > 20):
            raise Malformed("kind")
        writer = await self._writer(content)
        if writer is None:
            return
        user, request_id = writer
        await self._call(request_id, "contribution.react", _react, user, self.thread.pk, contribution_id, kind)

    async def flag(self, content):
        contribution_id = _optional_id(content, "id")
        reason = _text(content, "reason", limit=20)
        note = _text(content, "note", limit=2000, required=False)
        if contribution_id is None:
            raise Malformed("id")
        writer = await self._writer(content)
        if writer is None:
            return
        user, request_id = writer
        await self._call(
            request_id, "contribution.flag", _flag, user, self.thread.pk, contribution_id, reason, note
        )


def _thread_contribution(thread_id: int, contribution_id: int | None):
    from deliberation.models import Contribution, Status
    from deliberation.services import Invalid

    if contribution_id is None:
        return None
    contribution = (
        Contribution.objects.select_related("thread")
        .filter(pk=contribution_id, thread_id=thread_id, status=Status.PUBLISHED)
        .first()
    )
    if contribution is None:
        raise Invalid(_("This contribution is not in this discussion."), field="id")
    return contribution


def _writable_thread(thread_id: int, user):
    """The thread as it is now, refused if its page went offline (or private) since the
    socket opened: permissions are asked again for every frame."""
    from deliberation.models import Thread
    from deliberation.rules import subscribe_refusal
    from deliberation.services import Refused

    thread = Thread.objects.select_related("page", "institution").get(pk=thread_id)
    if subscribe_refusal(user, thread):
        raise Refused(_("You cannot follow this discussion."))
    return thread


def _post(user, thread_id, body, parent_id, key, ip_address, language) -> dict:
    from deliberation.models import Status
    from deliberation.services import contribution_post

    thread = _writable_thread(thread_id, user)
    parent = None
    if parent_id is not None:
        parent = _thread_contribution(thread_id, parent_id)
    result = contribution_post(
        author=user,
        thread=thread,
        body=body,
        parent=parent,
        idempotency_key=key,
        ip_address=ip_address,
        language=language,
    )
    contribution = result.contribution
    pending = contribution.status == Status.PENDING
    return {
        "id": contribution.pk,
        "status": contribution.status,
        "created": result.created,
        "message": str(
            _("Thank you. Your contribution will appear once a moderator has approved it.")
            if pending
            else _("Your contribution is published.")
        ),
    }


def _react(user, thread_id, contribution_id, kind) -> dict:
    from deliberation.services import Invalid, contribution_react

    _writable_thread(thread_id, user)
    if kind not in (None, "agree", "disagree"):
        raise Invalid(_("Unknown reaction."), field="kind")
    contribution = _thread_contribution(thread_id, contribution_id)
    updated = contribution_react(user=user, contribution=contribution, kind=kind)
    return {"id": updated.pk, "agree": updated.agree_count, "disagree": updated.disagree_count}


def _flag(user, thread_id, contribution_id, reason, note) -> dict:
    from deliberation.services import contribution_flag

    _writable_thread(thread_id, user)
    contribution = _thread_contribution(thread_id, contribution_id)
    contribution_flag(user=user, contribution=contribution, reason=reason, note=note)
    return {"id": contribution.pk, "message": str(_("Thank you. Moderators will look at this contribution."))}


# --- Moderation socket --------------------------------------------------------------------------


def _moderation_scope(user):
    """(groups to join, queue counts) for a moderator; None for anyone else."""
    from deliberation.rules import moderated_institution_keys
    from deliberation.selectors import Queue, moderation_queue

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
    fresh, _suspension = _fresh_user(user, session_key)
    if fresh is None:
        return False
    scope = _moderation_scope(fresh)
    return scope is not None and set(scope[0]) == set(groups)


MODERATOR_RECHECK = 10  # seconds: how long a moderator's rights are trusted between notices


class ModerationConsumer(LiveConsumer):
    """``/ws/moderation/``: the moderator's queue changing, live."""

    client_types = {"ping": "ping"}
    checked_at = 0.0

    async def hub_frames(self, kind: str, texts: dict[str, str]) -> None:
        """Before passing on a notice (it may carry unpublished text), make sure this is still a
        moderator of the same institutions: rights removed since the socket opened apply."""
        if kind == "hub.notice" and time.monotonic() - self.checked_at > MODERATOR_RECHECK:
            session = self.scope.get("session")
            groups = [g for g in self.groups_joined if g != user_group(self.user.pk)]
            allowed = await database_sync_to_async(_still_moderates)(
                self.user, getattr(session, "session_key", None), groups
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

    async def disconnect(self, code):
        self.closed = True
        await self.leave_hub()

    async def leave_hub(self) -> None:
        groups, self.groups_joined = getattr(self, "groups_joined", []), []
        hub = Hub.current()
        for group in groups:
            await hub.leave(group, self)
