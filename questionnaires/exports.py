"""Open data of a questionnaire whose results are public: ``<questionnaire>/open-data/<dataset>/<fmt>/``
(docs/questionnaires.md, "Open data"), CSV (spreadsheet-safe, streamed: cms/open_data.py) or
JSON, under CC BY 4.0.

- ``responses``: one row per submitted response (drafts never), one column per question
  (``q1``, ``q2``… in the questionnaire's order; options by their label in the page's
  language, several joined with " | ", a ranking in order joined with " > "). No personal data:
  no account, name, e-mail, token or response id; rows are numbered in the order responses
  were first sent, and dated by day. A free-text answer only once a moderator approved it.
  The governorate only when at least ``MAJLIS_DISCLOSURE_THRESHOLD`` responses come from it
  (else empty, as when not given).
- ``results``: the aggregate table (questionnaires.results): one row per question, option and
  measure; the cross-tab by governorate suppressed as on the results page.

Every translation exports the same rows, in its own language's labels. A fixed number of
queries whatever the number of responses (two for ``responses``, read in chunks).
"""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from cms.disclosure import disclosure_threshold
from cms.open_data import csv_response
from cms.rules import page_access
from questionnaires.blocks import Kind
from questionnaires.models import Answer, Response, ReviewStatus
from questionnaires.presentation import labels_of
from questionnaires.results import cross_tab_published, questionnaire_results

DATASETS = ("responses", "results")
FORMATS = ("csv", "json")
RESULT_COLUMNS = (
    "question",
    "question_text",
    "kind",
    "option",
    "option_label",
    "governorate",
    "measure",
    "value",
    "suppressed",
)
LICENSE = "CC-BY-4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
CHUNK_SIZE = 500
MAX_AGE = 300


def open_data(request, page, dataset: str, fmt: str):
    if dataset not in DATASETS or fmt not in FORMATS:
        raise Http404(_("There is no such open data file."))
    if not page.results_public or not request.user.has_perm("questionnaires.view_results", page):
        raise Http404(_("There is no such open data file."))
    restrictions = page_access(page).restrictions
    now = timezone.now()
    columns = response_columns(page)
    if dataset == "responses":
        rows = response_rows(page)
        if fmt == "csv":
            response = csv_response(request, ["response", "submitted", "language", "governorate", *columns], rows)
        else:
            response = _json_response(
                {**_header(request, page, now), "columns": _column_notes(page), "responses": list(rows)}
            )
    else:
        results = questionnaire_results(page=page, now=now)
        if fmt == "csv":
            response = csv_response(request, RESULT_COLUMNS, result_rows(page, results))
        else:
            response = _json_response(
                {**_header(request, page, now), "results": list(result_rows(page, results))}
            )
    filename = f"{page.slug}-{dataset}-{now.date().isoformat()}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=fmt == "csv", filename=filename
    )
    response["Cache-Control"] = "private, no-store" if restrictions else f"public, max-age={MAX_AGE}"
    return response


def open_data_url(page, dataset: str, fmt: str) -> str:
    return page.url + page.reverse_subpage("open_data", kwargs={"dataset": dataset, "fmt": fmt})


def open_data_links(page) -> list[tuple[str, str]]:
    labels = {
        ("responses", "csv"): _("Responses, one row each (CSV)"),
        ("responses", "json"): _("Responses, one row each (JSON)"),
        ("results", "csv"): _("Results table (CSV)"),
        ("results", "json"): _("Results table (JSON)"),
    }
    return [(label, open_data_url(page, dataset, fmt)) for (dataset, fmt), label in labels.items()]


# --- Rows ------------------------------------------------------------------------------------


def response_columns(page) -> list[str]:
    return [f"q{question.number}" for question in page.question_list]


def _column_notes(page) -> list[dict]:
    return [
        {"column": f"q{q.number}", "key": q.key, "kind": q.kind, "question": q.text}
        for q in page.question_list
    ]


def _utc_day(moment: datetime.datetime | None) -> str:
    return moment.astimezone(datetime.timezone.utc).date().isoformat() if moment else ""


def response_rows(page):
    """The submitted responses as dicts (module docstring). Lazy: two queries, in chunks."""
    questions = page.question_list
    by_key = {q.key: q for q in questions}
    labels = labels_of(page)["options"]
    key = page.translation_key
    threshold = disclosure_threshold()
    per_governorate = dict(
        Response.objects.filter(questionnaire_key=key, is_draft=False)
        .values_list("governorate")
        .annotate(n=Count("pk"))
        .order_by()
    )
    shown_governorates = {code for code, n in per_governorate.items() if code and n >= threshold}
    responses = (
        Response.objects.filter(questionnaire_key=key, is_draft=False)
        .order_by("pk")
        .values_list("pk", "submitted_at", "language", "governorate")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    answers = (
        Answer.objects.filter(response__questionnaire_key=key, response__is_draft=False)
        .order_by("response_id", "question_key", "rank", "pk")
        .values_list("response_id", "question_key", "option_key", "rank", "number", "text", "review_status")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    pending = next(answers, None)
    for index, (pk, submitted, language, governorate) in enumerate(responses, start=1):
        values: dict[str, list] = {}
        while pending is not None and pending[0] <= pk:
            if pending[0] == pk:
                values.setdefault(pending[1], []).append(pending[2:])
            pending = next(answers, None)
        row = {
            "response": index,
            "submitted": _utc_day(submitted),
            "language": language,
            "governorate": governorate if governorate in shown_governorates else "",
        }
        for question in questions:
            row[f"q{question.number}"] = _cell(by_key[question.key], values.get(question.key, []), labels)
        yield row


def _cell(question, values: list, labels: dict):
    if not values:
        return None
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        return " | ".join(labels.get(option, option) for option, *_ in values)
    if question.kind == Kind.RANKING:
        ordered = sorted(values, key=lambda value: value[1] or 0)
        return " > ".join(labels.get(option, option) for option, *_ in ordered)
    if question.kind in (Kind.SCALE, Kind.NUMBER):
        number = values[0][2]
        if number is None:
            return None
        return int(number) if number == int(number) else float(number)
    if question.kind in Kind.TEXT:
        _option, _rank, _number, text, status = values[0]
        return text if status == ReviewStatus.APPROVED else None
    return None


def result_rows(page, results: dict):
    """The aggregate table as dicts of RESULT_COLUMNS."""
    labels = labels_of(page)
    threshold = disclosure_threshold()

    def row(question, measure, value, *, option="", governorate="", suppressed=None):
        return {
            "question": f"q{question['number']}",
            "question_text": labels["questions"].get(question["key"], ""),
            "kind": question["kind"],
            "option": option,
            "option_label": labels["options"].get(option, option),
            "governorate": governorate,
            "measure": measure,
            "value": value,
            "suppressed": suppressed,
        }

    yield {
        "question": "",
        "question_text": "",
        "kind": "",
        "option": "",
        "option_label": "",
        "governorate": "",
        "measure": "responses",
        "value": results["responses"],
        "suppressed": None,
    }
    for question in results["questions"]:
        yield row(question, "answered", question["answered"])
        kind = question["kind"]
        if kind in (Kind.SINGLE, Kind.MULTIPLE):
            for option in question["options"]:
                yield row(question, "count", option["count"], option=option["key"])
                yield row(question, "percent", option["percent"], option=option["key"])
        elif kind == Kind.SCALE:
            for d in question["distribution"]:
                yield row(question, "count", d["count"], option=str(d["value"]))
            yield row(question, "mean", question["mean"])
        elif kind == Kind.RANKING:
            for option in question["options"]:
                yield row(question, "borda_score", option["score"], option=option["key"])
                yield row(question, "ranked_first", option["first"], option=option["key"])
        elif kind == Kind.NUMBER:
            for measure in ("mean", "min", "max"):
                yield row(question, measure, question[measure])
        if kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE) and question.get("governorates"):
            table = cross_tab_published(question, threshold=threshold)
            for code, cells in table["rows"]:
                for option, cell in zip(table["options"], cells):
                    yield row(
                        question,
                        "count",
                        cell.value,
                        option=option,
                        governorate=code or "not_given",
                        suppressed=cell.suppressed,
                    )


def _header(request, page, now: datetime.datetime) -> dict:
    return {
        "questionnaire": {
            "id": page.pk,
            "translation_key": str(page.translation_key),
            "title": page.title,
            "language": page.locale.language_code,
            "url": request.build_absolute_uri(page.url),
        },
        "generated_at": now.astimezone(datetime.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "license": LICENSE,
        "license_url": LICENSE_URL,
    }


def _json_response(data: dict) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
