"""The outcome page's participation charts (the drawing is cms/charts.py's)."""

import datetime

from babel.dates import format_date
from django.utils.translation import gettext as _

from cms.charts import Bar, bar_chart, column_chart
from cms.l10n import cldr_locale, format_day, localize_digits

# --- The outcome's two charts ---------------------------------------------------------------


def participation_charts(*, statistics: dict, section_label, language: str, rtl: bool) -> dict:
    """The participation charts of an outcome page from its statistics (a snapshot's data):
    published contributions and replies per day, and per draft section. ``section_label``
    names a section id in the page's language."""
    locale = cldr_locale(language)
    days = []
    for row in statistics.get("days", []):
        day = datetime.date.fromisoformat(row["date"])
        days.append(
            Bar(
                label=format_day(day, language),
                value=row["contributions"],
                shown=localize_digits(str(row["contributions"]), language),
                short=localize_digits(format_date(day, "d MMM", locale=locale), language),
            )
        )
    sections = [
        Bar(
            label=section_label(row["id"], row.get("heading", "")),
            value=row["contributions"],
            shown=localize_digits(str(row["contributions"]), language),
        )
        for row in statistics.get("sections", [])
    ]
    return {
        "days": column_chart(
            days,
            chart_id="chart-days",
            title=_("Participation over time: contributions and replies published each day"),
            label_heading=_("Day"),
            value_heading=_("Contributions and replies"),
            rtl=rtl,
            empty=_("No contributions were published."),
        ),
        "sections": bar_chart(
            sections,
            chart_id="chart-sections",
            title=_("Contributions and replies per section of the draft"),
            label_heading=_("Section"),
            value_heading=_("Contributions and replies"),
            rtl=rtl,
            empty=_("No contributions were published."),
        ),
    }
