"""The public dashboard of how institutions answer citizens' requests: the whole site's at
``/<lang>/requests/statistics/``, an institution's at ``/<lang>/requests/statistics/<desk
code>/``. The figures are ``statistics.request_statistics``'s (the API and the open data read
the same); this module puts them in the reader's language and digits and draws them with
``cms.charts``, every count as ``cms.disclosure`` publishes it ("fewer than 5", "withheld")."""

import datetime

from babel.dates import format_date
from babel.numbers import format_percent
from babel.units import format_unit
from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from accounts.governorates import Governorate
from citizen_requests.models import RequestDesk
from citizen_requests.selectors import institution_titles
from citizen_requests.stages import Kind, Stage
from citizen_requests.statistics import KINDS, STAGES, request_statistics
from cms.charts import Bar, bar_chart, column_chart
from cms.disclosure import Count, count_text
from cms.l10n import cldr_locale, format_moment, localize_digits

# The charts' drawing width: narrower than the outcome pages' (600), so that their text stays
# legible once the drawing is scaled to a phone's width.
CHART_WIDTH = 360


def dashboard(request, code: str | None = None):
    """``GET``: the site's figures, or (``code``) those of the institution whose request desk
    has that code; 404 for a code no desk has."""
    desks = list(RequestDesk.objects.select_related("institution").order_by("code"))
    desk = None
    if code is not None:
        desk = next((d for d in desks if d.code == code), None)
        if desk is None:
            raise Http404(_("No institution takes requests under this code."))
    titles = institution_titles(d.institution for d in desks)
    figures = request_statistics(desk=desk)
    language = get_language()
    context = {
        "desk": desk,
        "institution_title": titles[desk.institution_id] if desk else "",
        "institution_url": desk.institution.localized.url if desk else "",
        "institutions": sorted(
            (
                {"title": titles[d.institution_id], "url": reverse("citizen_requests:statistics_desk", args=[d.code]), "code": d.code}
                for d in desks
            ),
            key=lambda item: item["title"],
        ),
        "figures": figures,
        "threshold": figures["threshold"],
        "generated": format_moment(
            datetime.datetime.fromisoformat(figures["generated_at"]), settings.TIME_ZONE
        ),
        **dashboard_view(figures, language=language, rtl=get_language_bidi()),
        "open_data": {
            fmt: (
                reverse("citizen_requests:statistics_open_data_desk", args=[desk.code, fmt])
                if desk
                else reverse("citizen_requests:statistics_open_data", args=[fmt])
            )
            for fmt in ("csv", "json")
        },
        "api_url": (
            f"/api/requests/statistics/{desk.code}/" if desk else "/api/requests/statistics/"
        ),
    }
    return TemplateResponse(request, "citizen_requests/statistics.html", context)


# --- Presentation ----------------------------------------------------------------------------


def _count(data: dict) -> Count:
    return Count(data["count"], data["suppressed"])


def _bar(label: str, data: dict, language: str, short: str = "") -> Bar:
    count = _count(data)
    return Bar(
        label=label,
        value=count.value,
        shown=count_text(count, language),
        short=short,
        suppressed=count.suppressed,
    )


def _month_date(month: str) -> datetime.date:
    year, number = map(int, month.split("-"))
    return datetime.date(year, number, 1)


def _days(value: float | None, language: str) -> str:
    """"12.5 days", with CLDR's words and plural forms: the long form, or the short one where
    the locale has no long one (Arabic: Babel would write "12,5 duration-day")."""
    if value is None:
        return ""
    locale = cldr_locale(language)
    text = format_unit(value, "duration-day", length="long", locale=locale)
    if "duration-" in text:
        text = format_unit(value, "duration-day", length="short", locale=locale)
    return localize_digits(text, language)


def _percent(value: float | None, language: str) -> str:
    if value is None:
        return ""
    return localize_digits(format_percent(value, locale=cldr_locale(language)), language)


def _ordered(rows: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """Counts shown, the most first; then hidden ones by name, never in the order of their
    counts (which would tell them apart); zeros left out."""
    shown = [row for row in rows if row[1]["suppressed"] is None and row[1]["count"]]
    hidden = [row for row in rows if row[1]["suppressed"] is not None]
    return sorted(shown, key=lambda row: (-row[1]["count"], row[0])) + sorted(hidden)


def dashboard_view(figures: dict, *, language: str, rtl: bool) -> dict:
    """What the template shows of ``figures``: key figures, the charts (each with its table)
    and the table of requests per month and kind."""
    locale = cldr_locale(language)
    received = figures["received"]
    answers = figures["answers"]
    kinds = {kind: str(Kind(kind).label) for kind in KINDS}
    months = [
        (
            localize_digits(format_date(_month_date(row["month"]), "MMMM y", locale=locale), language),
            localize_digits(format_date(_month_date(row["month"]), "MMM y", locale=locale), language),
            row,
        )
        for row in received["months"]
    ]
    key = [
        ("received", _("Requests received"), _count(received["total"]), ""),
        ("overdue", _("Overdue now"), _count(figures["overdue"]), ""),
        ("answered", _("Requests answered"), _count(answers["answered"]), ""),
        ("share_within_deadline", _("Answered within the deadline"), None, _percent(answers["share_within_deadline"], language)),
        ("median_days", _("Median time to answer"), None, _days(answers["median_days"], language)),
        ("p90_days", _("Time within which 9 answers in 10 were sent"), None, _days(answers["p90_days"], language)),
        ("redirections", _("Sent on to another institution"), _count(figures["redirections"]), ""),
        ("reopenings", _("Reopened by the citizen"), _count(figures["reopenings"]), ""),
    ]
    values = {
        "share_within_deadline": answers["share_within_deadline"],
        "median_days": answers["median_days"],
        "p90_days": answers["p90_days"],
    }
    governorates = _ordered(
        [(str(Governorate(code).label), data) for code, data in figures["governorates"].items()]
    )
    return {
        "key_figures": [
            {"name": name, "label": label, "count": count, "text": text, "value": values.get(name)}
            for name, label, count, text in key
        ],
        "answer_counts": {
            "within_deadline": _count(answers["within_deadline"]),
            "late": _count(answers["late"]),
        },
        "kinds": [kinds[kind] for kind in KINDS],
        "month_rows": [
            {
                "label": label,
                "month": row["month"],
                "kinds": [_count(row["kinds"][kind]) for kind in KINDS],
                "total": _count(row["total"]),
            }
            for label, _short, row in months
        ],
        "kind_totals": [_count(received["kinds"][kind]) for kind in KINDS],
        "total": _count(received["total"]),
        "charts": {
            "months": column_chart(
                [_bar(label, row["total"], language, short) for label, short, row in months],
                chart_id="chart-months",
                title=_("Requests received each month"),
                label_heading=_("Month"),
                value_heading=_("Requests"),
                rtl=rtl,
                width=CHART_WIDTH,
                empty=_("No request has been filed yet."),
            ),
            "kinds": bar_chart(
                [_bar(kinds[kind], received["kinds"][kind], language) for kind in KINDS],
                chart_id="chart-kinds",
                title=_("Requests received by kind"),
                label_heading=_("Kind"),
                value_heading=_("Requests"),
                rtl=rtl,
                width=CHART_WIDTH,
                empty=_("No request has been filed yet."),
            ),
            "governorates": bar_chart(
                [_bar(label, data, language) for label, data in governorates],
                chart_id="chart-governorates",
                title=_("Requests by the governorate they concern"),
                label_heading=_("Governorate"),
                value_heading=_("Requests"),
                rtl=rtl,
                width=CHART_WIDTH,
                empty=_("No request names a governorate yet."),
            ),
            "stages": bar_chart(
                [_bar(str(Stage(stage).label), figures["stages"][stage], language) for stage in STAGES],
                chart_id="chart-stages",
                title=_("Requests in each stage"),
                label_heading=_("Stage"),
                value_heading=_("Requests"),
                rtl=rtl,
                width=CHART_WIDTH,
                empty=_("No request has been filed yet."),
            ),
            "ratings": bar_chart(
                [
                    _bar(_("Useful"), figures["ratings"]["useful"], language),
                    _bar(_("Not useful"), figures["ratings"]["not_useful"], language),
                ],
                chart_id="chart-ratings",
                title=_("Citizens' rating of the answers"),
                label_heading=_("Rating"),
                value_heading=_("Answers"),
                rtl=rtl,
                width=CHART_WIDTH,
                empty=_("No answer has been rated yet."),
            ),
        },
    }
