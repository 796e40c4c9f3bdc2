"""What the site's websockets share (docs/realtime.md): the health socket, the close codes,
the parsing of client frames, and ``LiveConsumer``, the base of the thread and moderation
sockets (deliberation/consumers.py): language, frame limits, and closing with a documented
code after saying why."""

import json
import logging
import uuid
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from limits import parse, storage, strategies

from deliberation import conf
from deliberation.realtime import frames

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


def text_field(content: dict, name: str, *, limit: int, required: bool = True) -> str:
    value = content.get(name, "" if not required else None)
    if not isinstance(value, str) or len(value) > limit:
        raise Malformed(name)
    return value


def optional_id(content: dict, name: str) -> int | None:
    value = content.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Malformed(name)
    return value


def required_id(content: dict, name: str) -> int:
    value = optional_id(content, name)
    if value is None:
        raise Malformed(name)
    return value


def uuid_field(content: dict, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(text_field(content, name, limit=64))
    except ValueError:
        raise Malformed(name) from None


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
