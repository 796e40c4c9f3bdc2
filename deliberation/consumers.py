"""Websocket consumers. Thin by rule: parse, check, call a service, send its result."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone


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
