"""The project's JSON API under /api/, documented at /api/openapi.json.

django-ninja ships with Wagtail 8; each app adds its router here as it lands.

The document tells every answer the API gives (``tests/config/test_openapi_contract.py`` runs
schemathesis against it): besides each operation's own responses, ninja's validation layer
answers 422 wherever there are parameters or a body, and a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413; both are added to the document here, once.
"""

from django.core.exceptions import RequestDataTooBig
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema


class ValidationErrorItem(Schema):
    type: str
    loc: list[str | int]
    msg: str

    model_config = {"extra": "allow"}


class ValidationErrorOut(Schema):
    """What ninja's validation layer answers (422)."""

    detail: list[ValidationErrorItem]


class TooLargeOut(Schema):
    code: str
    message: str


def _component(schema: type[Schema]) -> dict:
    return schema.model_json_schema(ref_template="#/components/schemas/{model}")


# Operations whose parameters are read by a Django form, not by ninja (their bad input is a
# documented 400, never a 422).
FORM_VALIDATED = {"/api/search/"}


class MajlisAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs) -> OpenAPISchema:
        document = super().get_openapi_schema(*args, **kwargs)
        components = document.setdefault("components", {}).setdefault("schemas", {})
        for schema in (ValidationErrorOut, TooLargeOut):
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
                        TooLargeOut,
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
    description="Public consultations, contributions, outcomes and decisions.",
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(RequestDataTooBig)
def too_large(request, exc):
    message = _("What you sent is too large. Shorten it and try again.")
    return api.create_response(request, {"code": "too_large", "message": message}, status=413)


class Health(Schema):
    status: str
    server_time: str


@api.get("/health", response=Health, tags=["meta"], summary="Is the service up?")
def health(request):
    return {"status": "ok", "server_time": timezone.now().isoformat()}


# Each app's router, as it lands.
from consultations.api import router as consultations_router  # noqa: E402

api.add_router("/", consultations_router)
from consultations.api_decisions import router as decisions_router  # noqa: E402

api.add_router("/", decisions_router)

from deliberation.api import router as deliberation_router  # noqa: E402

api.add_router("/", deliberation_router)

from search.api import router as search_router  # noqa: E402

api.add_router("/", search_router)
