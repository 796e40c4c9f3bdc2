"""The project's JSON API under /api/, documented at /api/openapi.json.

django-ninja ships with Wagtail 8; each app adds its router here as it lands.
"""

import logging
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status

from config.errors import DATABASE_AWAY, unavailable_response
from config.health import readiness

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Majlis API",
    version="1",
    description="Public consultations, contributions, outcomes and decisions.",
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)


def _database_away(request, error):
    # Also with DEBUG on, where django-ninja would answer a 500 with the traceback.
    logger.warning("Database unavailable during %s %s: %s", request.method, request.path, error)
    return unavailable_response(request)


for _error in DATABASE_AWAY:
    api.add_exception_handler(_error, _database_away)


class Health(Schema):
    status: Literal["ok"]
    server_time: str


class PartState(Schema):
    status: Literal["ok", "error", "timeout"]
    latency_ms: float


class ReadyChecks(Schema):
    database: PartState
    channel_layer: PartState
    cache: PartState


class Ready(Schema):
    status: Literal["ok", "unavailable"]
    checks: ReadyChecks
    server_time: str


RETRY_AFTER_SECONDS = 10


@api.get(
    "/health",
    response=Health,
    tags=["meta"],
    summary="Liveness: the process answers",
    description="Asks nothing of the database, the channel layer or the cache: a supervisor "
    "polls it to restart a process that no longer answers (docs/api.md, Health).",
)
def health(request):
    return {"status": "ok", "server_time": timezone.now().isoformat()}


@api.get(
    "/health/ready",
    response={200: Ready, 503: Ready},
    tags=["meta"],
    summary="Readiness: the database, channel layer and cache answer",
    description="Each part with its state and latency in milliseconds. 503, with Retry-After, "
    "when one of them fails or takes longer than 3 seconds: a load balancer polls this to "
    "stop sending requests to the process (docs/api.md, Health).",
)
async def health_ready(request, response: HttpResponse):
    report = await readiness()
    report["server_time"] = timezone.now().isoformat()
    response["Cache-Control"] = "no-store"
    if report["status"] != "ok":
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return Status(503, report)
    return Status(200, report)


# Each app's router, as it lands.
from consultations.api import router as consultations_router  # noqa: E402

api.add_router("/", consultations_router)
from consultations.api_decisions import router as decisions_router  # noqa: E402

api.add_router("/", decisions_router)

from deliberation.api import router as deliberation_router  # noqa: E402

api.add_router("/", deliberation_router)

from search.api import router as search_router  # noqa: E402

api.add_router("/", search_router)
