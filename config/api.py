"""The project's JSON API under /api/, documented at /api/openapi.json.

django-ninja ships with Wagtail 8; each app adds its router here as it lands.

The document tells every answer the API gives (``tests/config/test_openapi_contract.py`` runs
schemathesis against it): besides each operation's own responses, ninja's validation layer
answers 422 wherever there are parameters or a body, a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413, and any operation that reads the database answers 503
while it is away (``config/errors.py``); these are added to the document here, once.
"""

import logging
from typing import Literal

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.openapi.schema import OpenAPISchema

from config.errors import DATABASE_AWAY, unavailable_response
from config.health import readiness

logger = logging.getLogger(__name__)


class ValidationErrorItem(Schema):
    type: str
    loc: list[str | int]
    msg: str

    model_config = {"extra": "allow"}


class ValidationErrorOut(Schema):
    """What ninja's validation layer answers (422)."""

    detail: list[ValidationErrorItem]


class ProblemOut(Schema):
    """A refusal that is not about one field: 413 ``too_large``, 503 ``unavailable``, 500
    ``server_error``."""

    code: str
    message: str


def _component(schema: type[Schema]) -> dict:
    return schema.model_json_schema(ref_template="#/components/schemas/{model}")


# Operations whose parameters are read by a Django form, not by ninja (their bad input is a
# documented 400, never a 422).
FORM_VALIDATED = {"/api/search/"}
# Operations that never read the database (liveness), so never answer ``unavailable``.
NO_DATABASE = {"/api/health"}


class MajlisAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs) -> OpenAPISchema:
        document = super().get_openapi_schema(*args, **kwargs)
        components = document.setdefault("components", {}).setdefault("schemas", {})
        for schema in (ValidationErrorOut, ProblemOut):
            definition = _component(schema)
            components.update(definition.pop("$defs", {}))
            components[schema.__name__] = definition
        for path, operations in document.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                validated = path not in FORM_VALIDATED
                if validated and (operation.get("parameters") or operation.get("requestBody")):
                    responses.setdefault(422, _response(
                        "The parameters or the body do not match this document "
                        "(ninja's validation: each error's place and reason)",
                        ValidationErrorOut,
                    ))
                if operation.get("requestBody"):
                    responses.setdefault(413, _response(
                        "The body is larger than the server accepts (code `too_large`)",
                        ProblemOut,
                    ))
                if path not in NO_DATABASE:
                    responses.setdefault(503, _response(
                        "The database is briefly away (code `unavailable`, with Retry-After): "
                        "nothing was saved, send the same request again later",
                        ProblemOut,
                    ))
        return document


def _response(description: str, schema: type[Schema]) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema.__name__}"}}
        },
    }


api = MajlisAPI(
    title="Majlis API",
    version="1",
    description="Public consultations, contributions, outcomes and decisions; citizens' ideas and requests; "
    "verification of the documents institutions sign.",
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


@api.exception_handler(RequestDataTooBig)
def too_large(request, exc):
    message = _("What you sent is too large. Shorten it and try again.")
    return api.create_response(request, {"code": "too_large", "message": message}, status=413)


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
from consultations.outcomes.api import router as decisions_router  # noqa: E402

api.add_router("/", decisions_router)

from deliberation.api import router as deliberation_router  # noqa: E402

api.add_router("/", deliberation_router)

from search.api import router as search_router  # noqa: E402

api.add_router("/", search_router)

from citizen_requests.api import router as requests_router  # noqa: E402

api.add_router("/", requests_router)

from signatures.api import router as signatures_router  # noqa: E402

api.add_router("/", signatures_router)

from questionnaires.api import router as questionnaires_router  # noqa: E402

api.add_router("/", questionnaires_router)

from citizen_ideas.api import router as ideas_router  # noqa: E402

api.add_router("/", ideas_router)

from questionnaires.results_api import router as questionnaire_results_router  # noqa: E402

api.add_router("/", questionnaire_results_router)
