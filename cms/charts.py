"""Bar charts drawn on the server as SVG, each with a table of the same numbers: what the
consultations' outcome pages and the citizen requests' dashboard draw (they sit on sibling
layers above cms, so the drawing lives here).

No JavaScript and nothing from another site: the figure is plain markup. Bars grow from the
inline-start side, so they mirror on right-to-left pages: on an Arabic page, x is measured
from the right edge, the first day of a time series stands on the right and labels start at
the right. The SVG is decoration for sighted readers (``aria-hidden``); screen readers get the
table, which holds exactly the numbers drawn.

A hidden count (``Bar.suppressed``, cms/disclosure.py) draws no bar: its label says what the
table says ("fewer than 5", "withheld"), and the table's cell carries ``data-suppressed``
instead of ``data-value``.

Every piece of text goes through ``escape``: labels come from editors and from the data.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 600
BAR_HEIGHT = 18
LABEL_HEIGHT = 20
ROW_GAP = 10
VALUE_ROOM = 56  # room after the longest bar for its number
COLUMNS_HEIGHT = 160
AXIS_ROOM = 44  # under the columns: the first and last dates
LABEL_CHARS = 70
STUB = 6  # the height of a hidden count's column


@dataclass(frozen=True)
class Bar:
    label: str  # what the table's first column and the chart say
    value: int | None  # None when hidden
    shown: str = ""  # the value as written for the reader (localized digits); str(value) else
    short: str = ""  # a shorter label for the chart's axis (dates); label else
    suppressed: str | None = None  # why it is hidden (cms.disclosure.SMALL, COMPLEMENTARY)

    @property
    def text(self) -> str:
        return self.shown or str(self.value)

    @property
    def drawn(self) -> int:
        """The length drawn: nothing for a hidden count."""
        return 0 if self.suppressed else self.value


def _top(bars: list[Bar]) -> int:
    """The longest bar; 1 when every count is hidden or zero but one is hidden (the chart
    is drawn, with its labels, rather than said to be empty)."""
    top = max((bar.drawn for bar in bars), default=0)
    return top or (1 if any(bar.suppressed for bar in bars) else 0)


def _x(inline: float, length: float, rtl: bool, width: int = WIDTH) -> float:
    """The physical x of a box starting ``inline`` units from the inline-start edge."""
    return width - inline - length if rtl else inline


def _text_x(inline: float, rtl: bool, width: int = WIDTH) -> float:
    return width - inline if rtl else inline


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _clip(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _svg(body: list[str], height: float, rtl: bool, css_class: str, width: int = WIDTH) -> str:
    direction = "rtl" if rtl else "ltr"
    if width != WIDTH:  # drawn narrower, for its text to stay legible on a phone
        css_class += " chart__svg--narrow"
    return (
        f'<svg class="chart__svg {css_class}" viewBox="0 0 {width} {_number(height)}" '
        f'width="{width}" height="{_number(height)}" direction="{direction}" '
        f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        + "".join(body)
        + "</svg>"
    )


def _table(bars: list[Bar], *, chart_id: str, label_heading: str, value_heading: str) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(bar.label)}</th><td {_data(bar)}>'
        f"{escape(bar.text)}</td></tr>"
        for bar in bars
    )
    return (
        f'<table class="data-table chart__table" aria-labelledby="{escape(chart_id)}-caption">'
        f'<thead><tr><th scope="col">{escape(label_heading)}</th>'
        f'<th scope="col">{escape(value_heading)}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _data(bar: Bar) -> str:
    if bar.suppressed:
        return f'data-suppressed="{escape(bar.suppressed)}"'
    return f'data-value="{bar.value}"'


def _figure(svg: str, table: str, *, chart_id: str, title: str, empty: str) -> SafeString:
    caption = f'<figcaption id="{escape(chart_id)}-caption">{escape(title)}</figcaption>'
    inner = f'<p class="chart__empty">{escape(empty)}</p>' if not svg else svg
    return mark_safe(
        f'<figure class="chart" id="{escape(chart_id)}">{caption}{inner}{table}</figure>'
    )


def bar_chart(
    bars: list[Bar],
    *,
    chart_id: str,
    title: str,
    label_heading: str,
    value_heading: str,
    rtl: bool,
    empty: str = "",
    width: int = WIDTH,
) -> SafeString:
    """Horizontal bars, one per row, each under its label: for categories (sections)."""
    top = _top(bars)
    body = []
    y = 0.0
    room = width - VALUE_ROOM
    for bar in bars:
        length = room * bar.drawn / top if top else 0
        body.append(
            f'<text class="chart__label" x="{_number(_text_x(0, rtl, width))}" '
            f'y="{_number(y + LABEL_HEIGHT - 6)}" text-anchor="start">{escape(_clip(bar.label))}</text>'
        )
        y += LABEL_HEIGHT
        if bar.suppressed:
            body.append(
                f'<text class="chart__value chart__value--suppressed" x="{_number(_text_x(0, rtl, width))}" '
                f'y="{_number(y + BAR_HEIGHT - 4)}" text-anchor="start">{escape(bar.text)}</text>'
            )
            y += BAR_HEIGHT + ROW_GAP
            continue
        body.append(
            f'<rect class="chart__bar" x="{_number(_x(0, length, rtl, width))}" y="{_number(y)}" '
            f'width="{_number(length)}" height="{BAR_HEIGHT}"></rect>'
        )
        body.append(
            f'<text class="chart__value" x="{_number(_text_x(length + 6, rtl, width))}" '
            f'y="{_number(y + BAR_HEIGHT - 4)}" text-anchor="start">{escape(bar.text)}</text>'
        )
        y += BAR_HEIGHT + ROW_GAP
    svg = _svg(body, y, rtl, "chart__svg--bars", width) if top else ""
    table = _table(bars, chart_id=chart_id, label_heading=label_heading, value_heading=value_heading)
    return _figure(svg, table, chart_id=chart_id, title=title, empty=empty)


def column_chart(
    bars: list[Bar],
    *,
    chart_id: str,
    title: str,
    label_heading: str,
    value_heading: str,
    rtl: bool,
    empty: str = "",
    width: int = WIDTH,
) -> SafeString:
    """Columns along the reading direction, one per step of a series (days): the first one
    at the inline start (the right on an Arabic page). A hidden count is a short hatched
    stub."""
    top = _top(bars)
    body = []
    value_room = LABEL_HEIGHT
    baseline = value_room + COLUMNS_HEIGHT
    if bars:
        step = width / len(bars)
        gap = min(4.0, step / 4)
        show_values = step >= 22
        for index, bar in enumerate(bars):
            height = COLUMNS_HEIGHT * bar.drawn / top if top else 0
            inline = index * step + gap / 2
            column = step - gap
            if bar.suppressed:
                body.append(
                    f'<rect class="chart__hidden" x="{_number(_x(inline, column, rtl, width))}" '
                    f'y="{_number(baseline - STUB)}" width="{_number(column)}" height="{STUB}">'
                    f"<title>{escape(bar.label)}: {escape(bar.text)}</title></rect>"
                )
                continue
            body.append(
                f'<rect class="chart__bar" x="{_number(_x(inline, column, rtl, width))}" '
                f'y="{_number(baseline - height)}" width="{_number(column)}" '
                f'height="{_number(height)}"><title>{escape(bar.label)}: {escape(bar.text)}</title></rect>'
            )
            if show_values and bar.value:
                centre = _text_x(inline + column / 2, rtl, width)
                body.append(
                    f'<text class="chart__value" x="{_number(centre)}" '
                    f'y="{_number(baseline - height - 4)}" text-anchor="middle">{escape(bar.text)}</text>'
                )
        body.append(
            f'<line class="chart__axis" x1="0" y1="{baseline}" x2="{width}" y2="{baseline}"></line>'
        )
        first, last = bars[0], bars[-1]
        body.append(
            f'<text class="chart__label" x="{_number(_text_x(0, rtl, width))}" y="{baseline + 18}" '
            f'text-anchor="start">{escape(first.short or first.label)}</text>'
        )
        if len(bars) > 1:
            body.append(
                f'<text class="chart__label" x="{_number(_text_x(width, rtl, width))}" y="{baseline + 18}" '
                f'text-anchor="end">{escape(last.short or last.label)}</text>'
            )
    svg = _svg(body, baseline + AXIS_ROOM, rtl, "chart__svg--columns", width) if top else ""
    table = _table(bars, chart_id=chart_id, label_heading=label_heading, value_heading=value_heading)
    return _figure(svg, table, chart_id=chart_id, title=title, empty=empty)
