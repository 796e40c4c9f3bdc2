"""Open data: the public suggestions and notices of every institution, as CSV and JSON, at
``/<lang>/requests/open-data/public.<fmt>``; and the public statistics of how institutions
answer (the dashboard's figures, ``statistics.py``) at ``/<lang>/requests/open-data/statistics.<fmt>``
(every institution) and ``…/statistics/<desk code>.<fmt>`` (one).

What is exported is what the public pages show, nothing more: suggestions and notices their
author asked to publish and the institution published (a private, pending or refused request,
a complaint, a request for guidance or a corruption report never appears, not even its
number). Never the author, their e-mail, the address or the coordinates of a notice, internal
notes or drafted answers: the subject, the text, where it stands, and the answer sent.

The CSV is streamed a few hundred rows at a time, the requests read in chunks, its cells made
safe for spreadsheets (``cms.open_data``, shared with consultations' exports); the JSON keeps
every text as written.
"""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from citizen_requests.models import CitizenRequest, Publicity, RequestDesk
from citizen_requests.stages import FINISHED, PUBLIC_KINDS
from citizen_requests.statistics import request_statistics, statistics_rows
from cms.models import InstitutionPage
from cms.open_data import csv_response

FORMATS = ("csv", "json")
COLUMNS = (
    "tracking_number",
    "kind",
    "institution",
    "governorate",
    "municipality",
    "subject",
    "text",
    "stage",
    "status",
    "created",
    "due",
    "answered",
    "supporters",
    "answer",
)
LICENSE = "CC-BY-4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
CHUNK_SIZE = 500  # rows read from the database at a time
MAX_AGE = 300  # seconds: the data is public and may lag a few minutes behind



def public_open_data(request, fmt: str):
    """``GET /<lang>/requests/open-data/public.csv`` (or ``.json``): anyone may read it."""
    if fmt not in FORMATS:
        raise Http404(_("There is no such open data file."))
    now = timezone.now()
    rows = public_rows(language=get_language())
    if fmt == "csv":
        response = csv_response(request, COLUMNS, rows)
    else:
        response = _json_response(
            {
                "generated_at": _utc(now),
                "license": LICENSE,
                "license_url": LICENSE_URL,
                "requests": list(rows),
            }
        )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=fmt == "csv", filename=f"public-requests-{now.date().isoformat()}.{fmt}"
    )
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


STATISTICS_COLUMNS = (
    "institution",
    "institution_name",
    "month",
    "kind",
    "stage",
    "requests",
    "requests_suppressed",
)


def statistics_open_data(request, fmt: str, code: str | None = None):
    """``GET /<lang>/requests/open-data/statistics.csv`` (or ``.json``; ``statistics/<code>.<fmt>``
    for one institution): the dashboard's figures, suppressed as it shows them. The CSV has one
    row per institution × month × kind × stage (``requests`` empty and ``requests_suppressed``
    ``small`` or ``complementary`` when hidden); the JSON has the same rows and every figure of
    the dashboard (of each institution, and of the site, in the file of them all)."""
    if fmt not in FORMATS:
        raise Http404(_("There is no such open data file."))
    desks = list(RequestDesk.objects.order_by("code"))
    desk = None
    if code is not None:
        desk = next((d for d in desks if d.code == code), None)
        if desk is None:
            raise Http404(_("There is no such open data file."))
    now = timezone.now()
    by_id = institution_names(language=get_language())
    names = {d.code: by_id.get(d.pk, "") for d in desks}
    rows = [
        {**row, "institution_name": names.get(row["institution"], "")}
        for row in statistics_rows(desk=desk, now=now)
    ]
    if fmt == "csv":
        response = csv_response(
            request,
            STATISTICS_COLUMNS,
            ({**row, "requests_suppressed": row["suppressed"] or ""} for row in rows),
        )
    else:
        data = {
            "generated_at": _utc(now),
            "license": LICENSE,
            "license_url": LICENSE_URL,
            "institution": {"code": desk.code, "name": names[desk.code]} if desk else None,
            "figures": request_statistics(desk=desk, now=now),
        }
        if desk is None:
            data["institutions"] = [
                {"code": d.code, "name": names[d.code], "figures": request_statistics(desk=d, now=now)}
                for d in desks
            ]
        data["rows"] = rows
        response = _json_response(data)
    scope = desk.code if desk else "all"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=fmt == "csv",
        filename=f"request-statistics-{scope}-{now.date().isoformat()}.{fmt}",
    )
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


# --- Reads -----------------------------------------------------------------------------------


def public_requests():
    """Published suggestions and notices, newest first."""
    return CitizenRequest.objects.filter(
        publicity=Publicity.PUBLIC, kind__in=list(PUBLIC_KINDS)
    ).order_by("-created_at", "pk")


def institution_names(*, language: str) -> dict[int, str]:
    """Each desk's institution by name, in ``language`` where it is translated so."""
    desks = list(RequestDesk.objects.select_related("institution"))
    keys = {desk.institution.translation_key for desk in desks}
    translated = {
        key: title
        for key, title in InstitutionPage.objects.filter(
            translation_key__in=keys, locale__language_code=language
        ).values_list("translation_key", "title")
    }
    return {
        desk.pk: translated.get(desk.institution.translation_key, desk.institution.title)
        for desk in desks
    }


def _utc(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def public_rows(*, language: str):
    """The public requests as dicts of COLUMNS. Lazy: read as the rows are consumed."""
    names = institution_names(language=language)
    values = public_requests().values_list(
        "tracking_number", "kind", "desk_id", "governorate", "municipality", "subject", "text",
        "stage", "created_at", "due_at", "answered_at", "supporters_count", "answer",
    )
    for (
        number, kind, desk_id, governorate, municipality, subject, text,
        stage, created, due, answered, supporters, answer,
    ) in values.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "tracking_number": number,
            "kind": kind,
            "institution": names.get(desk_id, ""),
            "governorate": governorate,
            "municipality": municipality,
            "subject": subject,
            "text": text,
            "stage": stage,
            # Open311 GeoReport v2 (docs/requests.md): finished requests are closed.
            "status": "closed" if stage in FINISHED else "open",
            "created": _utc(created),
            "due": _utc(due),
            "answered": _utc(answered),
            "supporters": supporters,
            "answer": answer,
        }


# --- Responses -------------------------------------------------------------------------------


def _json_response(data: dict) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )


