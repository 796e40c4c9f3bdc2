"""Open311 GeoReport v2 under ``/open311/v2/`` (docs/open311.md): the public kinds (suggestions,
notices) as services, public requests by id, date and status, and requests posted by a known
client system with its ``api_key``. JSON or XML by the ``.json`` / ``.xml`` suffix, as the
standard requires. Complaints, guidance requests and corruption reports never appear here.

The views parse the standard's parameters and call ``services.request_file``; the shapes the
standard names are built here, once for both formats.
"""

import datetime
import hashlib
import re
import secrets
from xml.etree import ElementTree

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from citizen_requests import conf, tracking
from citizen_requests.models import (
    CitizenRequest,
    Open311Client,
    RequestDesk,
    RequestEvent,
)
from citizen_requests.selectors import public_requests
from citizen_requests.services import RequestError, request_file
from citizen_requests.stages import FINISHED, PUBLIC_KINDS, Kind

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-05T00:00:00Z"  # when this endpoint last changed shape
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
SUBJECT_CHARS = 80
# XML: the element of each item of a list, by the list's name.
_ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
}


# --- Keys --------------------------------------------------------------------------------------


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open311_client_new(*, name: str, desk: RequestDesk, account) -> tuple[Open311Client, str]:
    """A client system and its key: the key is returned this once, only its hash is kept."""
    key = secrets.token_urlsafe(32)
    client = Open311Client.objects.create(name=name, desk=desk, account=account, key_digest=key_digest(key))
    return client, key


def open311_client_for_key(key: str) -> Open311Client | None:
    """The active client whose key this is, or None."""
    if not key:
        return None
    return (
        Open311Client.objects.select_related("desk__institution", "account")
        .filter(key_digest=key_digest(key), active=True, account__is_active=True)
        .first()
    )


# --- Formats -----------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, value) -> ElementTree.Element:
    element = ElementTree.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list):
        for child in value:
            element.append(_element(_ITEM_TAGS.get(tag, "item"), child))
    else:
        element.text = _text(value)
    return element


def _respond(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    """``data`` as JSON, or as XML under ``<root>`` (a list's items as ``_ITEM_TAGS`` names)."""
    if fmt == "json":
        return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    body = ElementTree.tostring(_element(root, data), encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _respond(fmt, "errors", [{"code": status, "description": description}], status=status)


def _w3c(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# --- Services ----------------------------------------------------------------------------------


def _service_texts() -> dict[str, tuple[str, str]]:
    return {
        Kind.NOTICE: (
            _("A problem that threatens the public interest: a broken street light, a leak, waste left in the street."),
            _("problem,notice,street,water,lighting,waste"),
        ),
        Kind.SUGGESTION: (
            _("An idea to improve a public service."),
            _("suggestion,idea,improvement"),
        ),
    }


def _service(kind: str, group: str) -> dict:
    description, keywords = _service_texts()[kind]
    return {
        "service_code": str(kind),
        "service_name": str(Kind(kind).label),
        "description": description,
        "metadata": False,
        "type": "realtime",
        "keywords": keywords,
        "group": group,
    }


def _jurisdiction(request: HttpRequest) -> tuple[RequestDesk | None, bool]:
    """The desk ``jurisdiction_id`` names (a desk code), and whether it was valid."""
    code = (request.GET.get("jurisdiction_id") or "").strip().upper()
    if not code:
        return None, True
    desk = RequestDesk.objects.select_related("institution").filter(code=code).first()
    return desk, desk is not None


def _title(desk: RequestDesk, titles: dict) -> str:
    if desk.pk not in titles:
        titles[desk.pk] = desk.institution.localized.title
    return titles[desk.pk]


# --- Requests ----------------------------------------------------------------------------------


def _status_notes(requests: list[CitizenRequest]) -> dict[int, str]:
    """The institution's latest public words on each request (one query): the reason of a stage
    change or redirect, a question, the answer. The citizen's own additions are not repeated."""
    notes: dict[int, str] = {}
    events = (
        RequestEvent.objects.filter(request__in=requests, public=True, by_citizen=False)
        .exclude(text="")
        .order_by("request_id", "-at", "-pk")
        .values_list("request_id", "text")
    )
    for request_id, text in events:
        notes.setdefault(request_id, text)
    return notes


def _request_items(requests: list[CitizenRequest]) -> list[dict]:
    notes = _status_notes(requests)
    titles: dict[int, str] = {}
    return [
        {
            "service_request_id": request.tracking_number,
            "status": "closed" if request.stage in FINISHED else "open",
            "status_notes": notes.get(request.pk),
            "service_name": str(Kind(request.kind).label),
            "service_code": request.kind,
            "description": request.text,
            "agency_responsible": _title(request.desk, titles),
            "service_notice": None,
            "requested_datetime": _w3c(request.created_at),
            "updated_datetime": _w3c(request.updated_at),
            "expected_datetime": _w3c(request.due_at),
            "address": request.address,
            "address_id": None,
            "zipcode": None,
            "lat": float(request.latitude) if request.latitude is not None else None,
            "long": float(request.longitude) if request.longitude is not None else None,
            "media_url": None,
        }
        for request in requests
    ]


def _moment(value: str) -> datetime.datetime | None:
    """A W3C date or date-time (a date is its midnight; no offset: the site's time zone)."""
    # An offset's unescaped + arrives in a query string as a space.
    value = re.sub(r" (\d{2}:?\d{2})$", r"+\1", (value or "").strip())
    try:
        moment = parse_datetime(value)
        if moment is None and parse_date(value) is not None:
            moment = datetime.datetime.combine(parse_date(value), datetime.time())
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class _BadQuery(Exception):
    pass


def _dates(params) -> tuple[datetime.datetime, datetime.datetime | None]:
    start, end = params.get("start_date"), params.get("end_date")
    start_at, end_at = _moment(start) if start else None, _moment(end) if end else None
    if (start and start_at is None) or (end and end_at is None):
        raise _BadQuery(_("start_date and end_date are W3C date-times, e.g. 2026-12-01T00:00:00+01:00."))
    if start_at is None:
        start_at = (end_at or timezone.now()) - datetime.timedelta(days=DEFAULT_DAYS)
    return start_at, end_at


def _filtered(request: HttpRequest) -> QuerySet[CitizenRequest]:
    params = request.GET
    queryset = public_requests()
    ids = [tracking.normalize(part) for part in params.get("service_request_id", "").split(",") if part.strip()]
    if ids:  # the standard: the other parameters are then ignored
        return queryset.filter(tracking_number__in=[number for number in ids if number])
    desk, valid = _jurisdiction(request)
    if not valid:
        raise _BadQuery(_("Unknown jurisdiction_id: give a request desk's code."))
    if desk is not None:
        queryset = queryset.filter(desk=desk)
    if params.get("service_code"):
        queryset = queryset.filter(kind__in=params["service_code"].split(","))
    statuses = {part.strip() for part in params.get("status", "").split(",") if part.strip()}
    if not statuses <= {"open", "closed"}:
        raise _BadQuery(_("status is open or closed."))
    if statuses == {"open"}:
        queryset = queryset.exclude(stage__in=list(FINISHED))
    elif statuses == {"closed"}:
        queryset = queryset.filter(stage__in=list(FINISHED))
    start_at, end_at = _dates(params)
    queryset = queryset.filter(created_at__gte=start_at)
    if end_at is not None:
        queryset = queryset.filter(created_at__lte=end_at)
    return queryset


def _coordinate(value: str, low: float, high: float) -> float | None:
    if not (value or "").strip():
        return None
    number = float(value)  # ValueError for the caller
    if not low <= number <= high:
        raise ValueError(value)
    return number


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    client = open311_client_for_key(request.POST.get("api_key", ""))
    if client is None:
        return _error(fmt, 403, _("Unknown or inactive api_key."))
    data = request.POST
    kind = data.get("service_code", "")
    if kind not in PUBLIC_KINDS:
        return _error(fmt, 400, _("Unknown service_code: see services.%(format)s.") % {"format": fmt})
    try:
        latitude = _coordinate(data.get("lat", ""), -90, 90)
        longitude = _coordinate(data.get("long", ""), -180, 180)
    except ValueError:
        return _error(fmt, 400, _("lat and long are WGS 84 decimal degrees."))
    description = data.get("description", "")
    try:
        filed = request_file(
            author=client.account,
            kind=kind,
            desk=client.desk,
            subject=Truncator((description.strip().splitlines() or [""])[0]).chars(SUBJECT_CHARS),
            text=description,
            language=(get_language() or settings.LANGUAGE_CODE).split("-")[0],
            client_ip="",  # the back office's server: the client's own limit applies
            account_rates=conf.get("CITIZEN_REQUESTS_OPEN311_RATE_PER_CLIENT"),
            address=data.get("address_string", ""),
            latitude=latitude,
            longitude=longitude,
            notify=False,
            public=True,
        )
    except RequestError as error:
        response = _error(fmt, error.status, error.message)
        if getattr(error, "retry_after", None):
            response["Retry-After"] = str(error.retry_after)
        return response
    notice = _("Received by %(institution)s as %(number)s. It will be public once moderated.") % {
        "institution": client.desk.institution.localized.title,
        "number": filed.request.tracking_number,
    }
    item = {"service_request_id": filed.request.tracking_number, "service_notice": notice, "account_id": None}
    return _respond(fmt, "service_requests", [item], status=201)


# --- Views -------------------------------------------------------------------------------------


@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "json"}).rsplit("/", 1)[0] + "/")
    endpoint = {
        "specification": SPECIFICATION,
        "url": url,
        "changeset": CHANGESET,
        "type": "production",
        "formats": ["application/json", "text/xml"],
    }
    return _respond(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": settings.DEFAULT_FROM_EMAIL,
        "key_service": _("Keys for posting requests are given by the platform's administrators to an institution's systems."),
        "endpoints": [endpoint],
    })


@require_GET
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    desk, valid = _jurisdiction(request)
    if not valid:
        return _error(fmt, 404, _("Unknown jurisdiction_id: give a request desk's code."))
    if desk is not None and not desk.accepts_requests:
        return _respond(fmt, "services", [])
    group = desk.institution.localized.title if desk else _("Citizen requests")
    return _respond(fmt, "services", [_service(kind, group) for kind in sorted(PUBLIC_KINDS)])


@require_GET
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    if service_code not in PUBLIC_KINDS:
        return _error(fmt, 404, _("Unknown service_code: see services.%(format)s.") % {"format": fmt})
    return _respond(fmt, "service_definition", {"service_code": service_code, "attributes": []})


@csrf_exempt  # a client system posts with its api_key, never with a session
@require_http_methods(["GET", "POST"])
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post(request, fmt)
    try:
        requests = list(_filtered(request).order_by("-created_at", "-pk")[:MAX_REQUESTS])
    except _BadQuery as error:
        return _error(fmt, 400, str(error))
    return _respond(fmt, "service_requests", _request_items(requests))


@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    number = tracking.normalize(request_id)
    found = public_requests().filter(tracking_number=number).first() if number else None
    if found is None:
        return _error(fmt, 404, _("No public request has this id."))
    return _respond(fmt, "service_requests", _request_items([found]))


app_name = "open311"
FORMAT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(rf"^discovery{FORMAT}", discovery, name="discovery"),
    re_path(rf"^services{FORMAT}", service_list, name="services"),
    re_path(rf"^services/(?P<service_code>[^/]+){FORMAT}", service_definition, name="service"),
    re_path(rf"^requests{FORMAT}", request_list, name="requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+){FORMAT}", request_detail, name="request"),
]
