"""``/api/requests/``: file a request, follow one with its tracking number and secret code (or
the filer's session), list the public suggestions and notices, and read the public statistics
of how institutions answer (the dashboard's figures). Documented in /api/openapi.json and
docs/api.md.

Every way in goes through ``citizen_requests.services`` (filing, look-ups and their rate limits);
this module parses, checks the session's CSRF token and shapes the answers.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Status
from ninja.pagination import paginate
from ninja.security import APIKeyCookie

from accounts.mail import absolute_url
from accounts.ratelimits import RETRY_AFTER_OPENAPI, client_ip
from citizen_requests import tracking
from citizen_requests.models import CitizenRequest, RequestDesk
from citizen_requests.rules import is_author
from citizen_requests.schemas import (
    DESK_CODE,
    DetailOut,
    FiledOut,
    PublicFilters,
    PublicRequestOut,
    RequestErrorOut,
    RequestIn,
    RequestOut,
    SiteStatisticsOut,
    StatisticsOut,
)
from citizen_requests.selectors import public_requests
from citizen_requests.services import Invalid, NotFound, RequestError, request_file, request_lookup
from citizen_requests.stages import FINISHED, EventKind
from citizen_requests.statistics import request_statistics
from cms.pagination import BoundedPageNumberPagination
from signatures.services import verification_url

router = Router(tags=["requests"])


class SessionOrAnonymous(APIKeyCookie):
    """The session's account, with its CSRF token checked; or nobody (no session, no check):
    an anonymous corruption report needs neither a cookie nor a token."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if request.user.is_authenticated:
            return super()._get_key(request)  # checks the CSRF token (403)
        return None

    def authenticate(self, request: HttpRequest, key: str | None):
        return request.user  # an AnonymousUser is let in; the service decides what it may file


# --- Helpers -----------------------------------------------------------------------------------


def _error(error: RequestError, response: HttpResponse) -> Status:
    if getattr(error, "retry_after", None):
        response["Retry-After"] = str(error.retry_after)
    field = "institution" if error.field == "desk" else error.field
    return Status(error.status, {"code": error.code, "message": error.message, "field": field})


def _language() -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    language = (get_language() or "").split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


class Titles:
    """Institutions' titles in the request's language, read once per desk and answer."""

    def __init__(self):
        self._titles: dict[int, str] = {}

    def __call__(self, desk: RequestDesk) -> dict:
        if desk.pk not in self._titles:
            self._titles[desk.pk] = desk.institution.localized.title
        return {"code": desk.code, "title": self._titles[desk.pk]}


def _desk(code: str | None) -> RequestDesk | None:
    if code is None:
        return None
    desk = RequestDesk.objects.select_related("institution").filter(code=code).first()
    if desk is None:
        raise Invalid(_("Choose an institution that takes requests."), field="institution")
    return desk


def _filed(request: CitizenRequest, secret_code: str | None) -> dict:
    return {
        "tracking_number": request.tracking_number,
        "secret_code": secret_code,
        "kind": request.kind,
        "institution": Titles()(request.desk),
        "stage": request.stage,
        "due_at": request.due_at,
    }


def _not_found() -> Status:
    message = _("No request matches this tracking number and secret code.")
    return Status(404, {"code": "not_found", "message": message, "field": None})


def _own_request(user, number: str) -> CitizenRequest | None:
    normalized = tracking.normalize(number)
    if not normalized or not getattr(user, "is_authenticated", False):
        return None
    found = (
        CitizenRequest.objects.select_related("desk__institution")
        .filter(tracking_number=normalized, author=user)
        .first()
    )
    return found if found is not None and is_author(user, found) else None


def _signed_answer(request: CitizenRequest, events: list) -> dict | None:
    """The last answer's signature, if it was signed."""
    answer = next((event for event in reversed(events) if event.kind == EventKind.ANSWER_SENT), None)
    document = answer.signed_document if answer is not None else None
    if document is None:
        return None
    return {
        "reference": document.reference,
        "verification_code": document.verification_code,
        "signed_at": document.signed_at,
        "verification_url": verification_url(
            reference=document.reference, code=document.verification_code, language=_language()
        ),
        "pdf_url": absolute_url(
            reverse("citizen_requests:signed_answer", args=[request.tracking_number, document.pk])
        ),
        "jws": document.jws,
    }


def _detail(request: CitizenRequest) -> dict:
    events = list(request.events.filter(public=True).select_related("signed_document").order_by("at", "pk"))
    return {
        "tracking_number": request.tracking_number,
        "kind": request.kind,
        "institution": Titles()(request.desk),
        "subject": request.subject,
        "stage": request.stage,
        "due_at": request.due_at,
        "overdue": request.is_overdue,
        "created_at": request.created_at,
        "timeline": [
            {"kind": event.kind, "at": event.at, "stage": event.stage or None, "text": event.text}
            for event in events
        ],
        "answer": request.answer or None,
        "answered_at": request.answered_at,
        "signed_answer": _signed_answer(request, events),
    }


class _PublicPage:
    """What the paginator slices: one page of requests, read with their desks in one query."""

    def __init__(self, queryset: QuerySet[CitizenRequest]):
        self.queryset = queryset
        self.titles = Titles()

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return [self._item(request) for request in self.queryset[window]]

    def _item(self, request: CitizenRequest) -> dict:
        return {
            "tracking_number": request.tracking_number,
            "kind": request.kind,
            "institution": self.titles(request.desk),
            "subject": request.subject,
            "text": request.text,
            "governorate": request.governorate,
            "municipality": request.municipality,
            "address": request.address,
            "latitude": float(request.latitude) if request.latitude is not None else None,
            "longitude": float(request.longitude) if request.longitude is not None else None,
            "stage": request.stage,
            "status": "closed" if request.is_finished else "open",
            "created_at": request.created_at,
            "updated_at": request.updated_at,
            "supporters": request.supporters_count,
        }


# --- Endpoints ---------------------------------------------------------------------------------


@router.post(
    "/requests/",
    auth=SessionOrAnonymous(),
    response={
        201: FiledOut,
        200: FiledOut,
        400: RequestErrorOut | DetailOut,
        403: RequestErrorOut | DetailOut,
        429: RequestErrorOut,
    },
    summary="File a request (signed in, or anonymous for a corruption report)",
    description=(
        "JSON only: attachments cannot be sent here (use the site's form). A signed-in session "
        "sends its CSRF token (`X-CSRFToken`); an anonymous corruption report needs neither "
        "cookie nor token and keeps nothing that identifies its sender. 201 with the tracking "
        "number and the secret code (shown this once); 200 with the same request and no secret "
        "code when the account already used `idempotency_key`. Refusals carry `code`, a "
        "translated `message` and the `field` at fault: 400 unknown institution, no triage "
        "desk, empty text, one coordinate alone (a body that is not JSON: ninja's `{\"detail\": "
        "\"Cannot parse request body\"}`); 403 a kind that needs an account (or a "
        "missing CSRF token: ninja's `{\"detail\": \"CSRF check Failed\"}`); 429 too many "
        "requests from this account or address, with `Retry-After` (seconds)."
    ),
    # The session is optional: an empty requirement says so.
    openapi_extra={"responses": {429: RETRY_AFTER_OPENAPI}, "security": [{}, {"SessionOrAnonymous": []}]},
)
def file_request(request, payload: RequestIn, response: HttpResponse):
    try:
        filed = request_file(
            author=request.user,
            kind=payload.kind,
            desk=_desk(payload.institution),
            subject=payload.subject,
            text=payload.text,
            language=_language(),
            client_ip=client_ip(request),
            governorate=payload.governorate,
            municipality=payload.municipality,
            address=payload.address,
            latitude=payload.latitude,
            longitude=payload.longitude,
            notify=payload.notify,
            idempotency_key=payload.idempotency_key,
        )
    except RequestError as error:
        return _error(error, response)
    return Status(201 if filed.created else 200, _filed(filed.request, filed.secret_code))


@router.get(
    "/requests/public/",
    response={200: list[PublicRequestOut]},
    summary="Public suggestions and notices",
    description=(
        "Suggestions and notices their authors made public, once moderated; newest first, "
        "paginated like the other lists (`{\"items\": […], \"count\": N}`). Complaints, "
        "guidance requests and corruption reports never appear, nor does anything that "
        "identifies an author. `status`: Open311's open (not yet answered) or closed "
        "(answered, closed or out of scope)."
    ),
)
@paginate(BoundedPageNumberPagination, page_size=20)
def list_public(request, filters: Query[PublicFilters]):
    queryset = public_requests()
    if filters.institution:
        queryset = queryset.filter(desk__code=filters.institution)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.governorate:
        queryset = queryset.filter(governorate=filters.governorate)
    if filters.status == "open":
        queryset = queryset.exclude(stage__in=list(FINISHED))
    elif filters.status == "closed":
        queryset = queryset.filter(stage__in=list(FINISHED))
    return _PublicPage(queryset.order_by("-created_at", "-pk"))


STATISTICS_DESCRIPTION = (
    "Counted from the requests (docs/requests.md, \"Statistics\"), the same figures as the "
    "dashboard at `/<lang>/requests/statistics/` and its open data files. Every count is "
    "`{\"count\", \"suppressed\"}`: a count of fewer than `threshold` people is hidden "
    "(`count` null, `suppressed` `small`), and where a total is published another count is "
    "hidden with it (`complementary`) so that none can be worked out by subtraction. Counted "
    "again at most every 5 minutes, and after any change to a request."
)


@router.get(
    "/requests/statistics/",
    response={200: SiteStatisticsOut},
    summary="How institutions answer requests: the whole site's figures",
    description=STATISTICS_DESCRIPTION,
)
def statistics_site(request):
    titles = Titles()
    desks = RequestDesk.objects.select_related("institution").order_by("code")
    return {
        **request_statistics(),
        "institutions": [titles(desk) for desk in desks],
    }


@router.get(
    "/requests/statistics/{code}/",
    response={200: StatisticsOut, 404: RequestErrorOut},
    summary="How one institution answers requests",
    description=STATISTICS_DESCRIPTION + " `code` is the institution's request desk code (the "
    "letters its tracking numbers start with): 404 when no desk has it.",
)
def statistics_desk(request, code: str = Path(..., pattern=DESK_CODE, description="e.g. KEF")):
    desk = RequestDesk.objects.select_related("institution").filter(code=code).first()
    if desk is None:
        message = _("No institution takes requests under this code.")
        return Status(404, {"code": "not_found", "message": message, "field": None})
    return {**request_statistics(desk=desk), "institution": Titles()(desk)}


@router.get(
    "/requests/{tracking_number}/",
    response={200: RequestOut, 404: RequestErrorOut, 429: RequestErrorOut},
    summary="Follow a request: its stage, public timeline and answer",
    description=(
        "With the secret code in the `X-Secret-Code` header, or from the session of the "
        "account that filed it. A wrong or missing code, or an unknown number, is the same 404 "
        "(no hint which part was wrong). Look-ups with a code are limited per address and per "
        "number: 429 with `Retry-After` (seconds). The timeline never shows internal notes or "
        "drafted answers."
    ),
    openapi_extra={"responses": {429: RETRY_AFTER_OPENAPI}},
)
def get_request(
    request,
    tracking_number: str,
    response: HttpResponse,
    x_secret_code: str | None = Header(None, alias="X-Secret-Code", max_length=40),
):
    found = _own_request(request.user, tracking_number)
    if found is None and x_secret_code:
        try:
            found = request_lookup(
                number=tracking_number, code=x_secret_code, client_ip=client_ip(request)
            )
        except NotFound:
            return _not_found()
        except RequestError as error:
            return _error(error, response)
    if found is None:
        return _not_found()
    return Status(200, _detail(found))
