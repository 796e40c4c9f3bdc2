"""Every websocket route, all under /ws/."""

from django.urls import path

from deliberation.consumers import HealthConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi(), name="ws-health"),
]
