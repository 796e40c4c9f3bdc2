"""Open data: a consultation's published contributions and its moderation counts, as CSV and
JSON, at ``<consultation>/open-data/<dataset>.<fmt>``.

What is exported is what the public pages show, nothing more: published contributions only
(a hidden, refused or pending contribution never appears, not even its id), authors by their
public display name, and moderation as counts by public reason code. A consultation's threads
are shared by its translations, so every translation exports the same rows; only the
``cited_by`` addresses follow the reader's language.

A fixed number of queries whatever the number of contributions: the citations in three
(``citations_by_contribution``), the contributions in one, read in chunks.
"""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from cms.open_data import csv_response
from cms.rules import page_access
from consultations.models import ConsultationPage
from consultations.outcomes.selectors import citations_by_contribution
from deliberation.models import Contribution, Reason, Status

DATASETS = ("contributions", "moderation")
FORMATS = ("csv", "json")
CONTRIBUTION_COLUMNS = (
    "id",
    "thread",
    "section",
    "version",
    "parent",
    "display_name",
    "created",
    "text",
    "agree",
    "disagree",
    "cited_by",
)
MODERATION_COLUMNS = ("status", "reason", "label", "contributions")
LICENSE = "CC-BY-4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
CHUNK_SIZE = 500  # rows read from the database at a time
MAX_AGE = 300  # seconds: exports are public and may lag a few minutes behind the thread



def open_data(request, page: ConsultationPage, dataset: str, fmt: str):
    if dataset not in DATASETS or fmt not in FORMATS:
        raise Http404(_("There is no such open data file."))
    # Who may read the page may read its data (``cms.rules.page_read_refusal``): it must be
    # live, and its view restrictions must let the reader in. Behind a shared password, the
    # data is not served even to a browser that gave the password on the page.
    access = page_access(page)
    if access.refusal_for(request.user) is not None:
        raise Http404(_("There is no such open data file."))
    restrictions = access.restrictions
    now = timezone.now()
    if dataset == "contributions":
        rows = contribution_rows(request, page)
        if fmt == "csv":
            response = csv_response(request, CONTRIBUTION_COLUMNS, rows)
        else:
            response = _json_response(
                {**_header(request, page, now), "contributions": list(rows)}
            )
    else:
        counts = moderation_counts(page)
        if fmt == "csv":
            response = csv_response(request, MODERATION_COLUMNS, _moderation_rows(counts))
        else:
            response = _json_response({**_header(request, page, now), **counts})
    filename = f"{page.slug}-{dataset}-{now.date().isoformat()}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=fmt == "csv", filename=filename
    )
    # A private page's data is nobody's to keep in a shared cache.
    response["Cache-Control"] = (
        "private, no-store" if restrictions else f"public, max-age={MAX_AGE}"
    )
    return response


def open_data_url(page: ConsultationPage, dataset: str, fmt: str) -> str:
    """The address of one open data file of ``page``: ``…/open-data/contributions/csv/``
    (Wagtail's page URLs take no dots; the download is named ``<slug>-<dataset>-<date>.csv``)."""
    return page.url + page.reverse_subpage("open_data", kwargs={"dataset": dataset, "fmt": fmt})


def open_data_links(page: ConsultationPage) -> list[tuple[str, str]]:
    """(label, URL) of each open data file of ``page``, for its "Open data" block."""
    labels = {
        ("contributions", "csv"): _("Published contributions (CSV)"),
        ("contributions", "json"): _("Published contributions (JSON)"),
        ("moderation", "csv"): _("Moderation counts (CSV)"),
        ("moderation", "json"): _("Moderation counts (JSON)"),
    }
    return [
        (label, open_data_url(page, dataset, fmt)) for (dataset, fmt), label in labels.items()
    ]


# --- Reads -----------------------------------------------------------------------------------


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).isoformat(timespec="seconds").replace(
        "+00:00", "Z"
    )


def contribution_rows(request, page: ConsultationPage):
    """The consultation's published contributions in reading order (thread by thread), as
    dicts of CONTRIBUTION_COLUMNS; ``cited_by`` is a list of absolute URLs. Lazy: the
    citations are read at once, the contributions as the rows are consumed."""

    citations = citations_by_contribution(translation_key=page.translation_key)
    cited_by = {
        pk: [request.build_absolute_uri(citation.url) for citation in items]
        for pk, items in citations.items()
    }
    values = (
        Contribution.objects.filter(
            thread__translation_key=page.translation_key, status=Status.PUBLISHED
        )
        .order_by("thread__section_id", "thread_id", "path")
        .values_list(
            "pk",
            "thread__key",
            "thread__section_id",
            "draft_version__number",
            "parent_id",
            "author__display_name",
            "created_at",
            "body",
            "agree_count",
            "disagree_count",
        )
    )
    for pk, thread, section, version, parent, name, created, body, agree, disagree in (
        values.iterator(chunk_size=CHUNK_SIZE)
    ):
        yield {
            "id": pk,
            "thread": thread,
            "section": section,
            "version": version,
            "parent": parent,
            "display_name": name,
            "created": _utc(created),
            "text": body,
            "agree": agree,
            "disagree": disagree,
            "cited_by": cited_by.get(pk, []),
        }


def moderation_counts(page: ConsultationPage) -> dict:
    """Hidden and refused contributions by public reason (code and label), and the published
    total. Counts only: never a text, never an author."""

    labels = dict(Reason.choices)
    contributions = Contribution.objects.filter(thread__translation_key=page.translation_key)
    buckets: dict[str, dict[str, int]] = {Status.HIDDEN: {}, Status.REJECTED: {}}
    for status, reason, n in (
        contributions.filter(status__in=list(buckets))
        .values_list("status", "reason")
        .annotate(n=Count("pk"))
        .order_by("status", "reason")
    ):
        buckets[status][reason] = buckets[status].get(reason, 0) + n

    def listed(bucket: dict[str, int]) -> list[dict]:
        return [
            {"reason": reason, "label": str(labels.get(reason, reason)), "contributions": n}
            for reason, n in sorted(bucket.items(), key=lambda item: (-item[1], item[0]))
        ]

    return {
        "published": contributions.filter(status=Status.PUBLISHED).count(),
        "hidden": listed(buckets[Status.HIDDEN]),
        "hidden_total": sum(buckets[Status.HIDDEN].values()),
        "rejected": listed(buckets[Status.REJECTED]),
        "rejected_total": sum(buckets[Status.REJECTED].values()),
    }


def _moderation_rows(counts: dict):
    yield {
        "status": Status.PUBLISHED.value,
        "reason": "",
        "label": "",
        "contributions": counts["published"],
    }
    for status in (Status.HIDDEN, Status.REJECTED):
        for row in counts[status.value]:
            yield {"status": status.value, **row}


# --- Responses -------------------------------------------------------------------------------


def _header(request, page: ConsultationPage, now: datetime.datetime) -> dict:
    return {
        "consultation": {
            "id": page.pk,
            "translation_key": str(page.translation_key),
            "title": page.title,
            "language": page.locale.language_code,
            "url": request.build_absolute_uri(page.url),
        },
        "generated_at": _utc(now),
        "license": LICENSE,
        "license_url": LICENSE_URL,
    }


def _json_response(data: dict) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )


