"""What a page shows of a questionnaire's results (``questionnaire_results`` data, live or
frozen in a snapshot), in the reader's language: the results page and the outcome page draw it
with ``questionnaires/includes/results.html``. Charts are cms/charts.py's, each with its table."""

from django.utils.translation import gettext as _

from accounts.governorates import Governorate
from cms.charts import Bar, bar_chart
from cms.disclosure import disclosure_threshold
from cms.l10n import localize_digits
from questionnaires.blocks import SCALE_VALUES, Kind
from questionnaires.results import NOT_GIVEN, cross_tab_published


def labels_of(page) -> dict:
    """The labels of one translation, in the shape ``results_labels`` freezes."""
    questions = page.question_list
    return {
        "title": page.title,
        "questions": {q.key: q.text for q in questions},
        "options": {o.key: o.label for q in questions for o in q.options},
    }


def snapshot_labels(labels: dict, language: str) -> dict:
    """The frozen labels in ``language``, else in the first language frozen."""
    if language in labels:
        return labels[language]
    return next(iter(labels.values()), {"title": "", "questions": {}, "options": {}})


def _number(value, language) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return localize_digits(text, language)


def _count_and_percent(count: int, percent, language) -> str:
    if percent is None:
        return localize_digits(str(count), language)
    return localize_digits(f"{count} ({_number(percent, language)} %)", language)


def governorate_label(code: str) -> str:
    if code == NOT_GIVEN:
        return _("Not given")
    return str(Governorate(code).label)


def results_view(
    results: dict, *, labels: dict, language: str, rtl: bool, prefix: str = "results"
) -> dict:
    """{"responses", "questions": [...]}: each question with its heading, kind, answered count
    and its chart, statistics, cross-tab (suppressed) or approved texts."""
    threshold = disclosure_threshold()
    questions = []
    option_label = labels.get("options", {})
    for row in results.get("questions", []):
        text = labels.get("questions", {}).get(row["key"], "")
        item = {
            "key": row["key"],
            "number": row["number"],
            "text": text,
            "kind": row["kind"],
            "answered": row["answered"],
            "chart": None,
            "stats": [],
            "cross": None,
            "texts": None,
        }
        chart_id = f"{prefix}-{row['number']}"
        if row["kind"] in (Kind.SINGLE, Kind.MULTIPLE):
            item["chart"] = bar_chart(
                [
                    Bar(
                        label=option_label.get(option["key"], "?"),
                        value=option["count"],
                        shown=_count_and_percent(option["count"], option["percent"], language),
                    )
                    for option in row["options"]
                ],
                chart_id=chart_id,
                title=text,
                label_heading=_("Option"),
                value_heading=_("Responses (share of those who answered)"),
                rtl=rtl,
                empty=_("No answers yet."),
            )
        elif row["kind"] == Kind.SCALE:
            item["chart"] = bar_chart(
                [
                    Bar(
                        label=localize_digits(str(d["value"]), language),
                        value=d["count"],
                        shown=_count_and_percent(d["count"], d["percent"], language),
                    )
                    for d in row["distribution"]
                ],
                chart_id=chart_id,
                title=text,
                label_heading=_("Value (1 to 5)"),
                value_heading=_("Responses"),
                rtl=rtl,
                empty=_("No answers yet."),
            )
            item["stats"] = [(_("Mean"), _number(row["mean"], language))]
        elif row["kind"] == Kind.RANKING:
            ranked = sorted(row["options"], key=lambda o: -o["score"])
            item["chart"] = bar_chart(
                [
                    Bar(
                        label=option_label.get(option["key"], "?"),
                        value=option["score"],
                        shown=localize_digits(str(option["score"]), language),
                    )
                    for option in ranked
                ],
                chart_id=chart_id,
                title=text,
                label_heading=_("Option"),
                value_heading=_("Score (Borda count)"),
                rtl=rtl,
                empty=_("No answers yet."),
            )
        elif row["kind"] == Kind.NUMBER:
            item["stats"] = [
                (_("Mean"), _number(row["mean"], language)),
                (_("Lowest"), _number(row["min"], language)),
                (_("Highest"), _number(row["max"], language)),
            ]
        elif row["kind"] in Kind.TEXT:
            item["texts"] = row.get("approved", [])
        if row["kind"] in (Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE) and row.get("governorates"):
            table = cross_tab_published(row, threshold=threshold)
            if row["kind"] == Kind.SCALE:
                headings = [localize_digits(str(v), language) for v in SCALE_VALUES]
            else:
                headings = [option_label.get(key, "?") for key in table["options"]]
            item["cross"] = {
                "headings": headings,
                "rows": [(governorate_label(code), cells) for code, cells in table["rows"]],
            }
        questions.append(item)
    return {"responses": results.get("responses", 0), "questions": questions}
