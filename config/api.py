"""The project's JSON API under /api/, documented at /api/openapi.json.

django-ninja ships with Wagtail 8; each app adds its router here as it lands.
"""

from django.utils import timezone
from ninja import NinjaAPI, Schema

api = NinjaAPI(
    title="Majlis API",
    version="1",
    description="Public consultations, contributions, outcomes and decisions.",
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)


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
