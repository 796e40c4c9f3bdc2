"""Every websocket route, all under /ws/ (the protocol: docs/realtime.md)."""

from django.urls import path

from deliberation.consumers import HealthConsumer, ModerationConsumer, ThreadConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi(), name="ws-health"),
    path("ws/threads/<str:key>/", ThreadConsumer.as_asgi(), name="ws-thread"),
    path("ws/moderation/", ModerationConsumer.as_asgi(), name="ws-moderation"),
]
