"""Every websocket route, all under /ws/ (the protocol: docs/realtime.md)."""

from channels.security.websocket import WebsocketDenier
from django.urls import path, re_path

from citizen_ideas.live import IdeaListConsumer
from citizen_requests.realtime import RequestConsumer, RequestQueueConsumer
from deliberation.consumers import ActivityConsumer, ModerationConsumer, ThreadConsumer
from deliberation.realtime.sockets import HealthConsumer
from questionnaires.live import ResultsConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi(), name="ws-health"),
    path("ws/threads/<str:key>/", ThreadConsumer.as_asgi(), name="ws-thread"),
    path("ws/moderation/", ModerationConsumer.as_asgi(), name="ws-moderation"),
    path("ws/activity/", ActivityConsumer.as_asgi(), name="ws-activity"),
    path("ws/requests/queue/", RequestQueueConsumer.as_asgi(), name="ws-request-queue"),
    path("ws/requests/<str:number>/", RequestConsumer.as_asgi(), name="ws-request"),
    path(
        "ws/questionnaires/<str:key>/results/", ResultsConsumer.as_asgi(), name="ws-questionnaire-results"
    ),
    path("ws/ideas/institutions/<str:key>/", IdeaListConsumer.as_asgi(), name="ws-idea-lists"),
    # Any other path is refused at the handshake (403), not left to the router, which would
    # raise and answer 500 with a traceback (docs/realtime.md, "Limits and close codes").
    re_path(r"", WebsocketDenier.as_asgi(), name="ws-unknown"),
]
