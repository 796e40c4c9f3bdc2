"""The public statistics of how institutions answer (citizen_requests/statistics.py): every
figure equals a count made here from how the requests were built (time frozen), small counts
are hidden and none can be worked out by subtraction, the page, the API and the files give
the same numbers, and the cost does not grow with the number of requests."""

import csv
import datetime
import io
import json
import math
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citizen_requests import services
from citizen_requests.models import RequestDesk
from citizen_requests.stages import Kind, Stage
from citizen_requests.statistics import (
    GOVERNORATES,
    KINDS,
    STAGES,
    request_statistics,
    statistics_compute,
    statistics_rows,
)
from cms.disclosure import TOTAL, Count
from cms.models import InstitutionPage
from tests.citizen_requests.builders import statistics_scene
from tests.disclosure import linear_disclosures

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Africa/Tunis")
NOW = datetime.datetime(2026, 6, 15, 10, 30, tzinfo=ZONE)
THRESHOLD = 5
RUNNING = {Stage.RECEIVED, Stage.ASSIGNED, Stage.IN_PROGRESS}


@pytest.fixture(scope="module")
def scene(_module_site, django_db_blocker):
    """Three institutions' desks — El Kef's busy one, a ministry's, the central office's
    small triage desk — and 400 requests of every path over six months, built once."""
    with django_db_blocker.unblock():
        home = _module_site["home"]["ar"]
        kef = RequestDesk.objects.create(institution=_module_site["institution"]["ar"], code="KEF")
        pages = {}
        for slug, title in (("ministere", "وزارة التجهيز"), ("bureau", "مكتب العلاقات مع المواطن")):
            pages[slug] = home.add_child(instance=InstitutionPage(title=title, slug=slug, kind="agency"))
            pages[slug].save_revision().publish()
        ministry = RequestDesk.objects.create(institution=pages["ministere"], code="MIN")
        office = RequestDesk.objects.create(institution=pages["bureau"], code="BCRC", is_triage=True)
        specs = statistics_scene(desks={kef: 300, ministry: 80, office: 20}, now=NOW, seed=11)
    return {"desks": [kef, ministry, office], "specs": specs}


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


# --- Counting here, from the specs -----------------------------------------------------------


def _month(moment) -> str:
    return moment.astimezone(ZONE).strftime("%Y-%m")


def _answered(spec) -> bool:
    return spec.answered_at is not None and spec.stage in (Stage.ANSWERED, Stage.CLOSED)


def _nearest_rank(values, share):
    """The smallest value with at least ``share`` of the values at or under it."""
    return min(v for v in values if sum(1 for w in values if w <= v) >= share * len(values))


def expected(specs, code=None) -> dict:
    mine = [s for s in specs if code is None or s.desk.code == code]
    redirected = [s for s in specs if s.redirected_from and (code is None or s.redirected_from.code == code)]
    answered = [s for s in mine if _answered(s)]
    days = [s.clock_days for s in answered]
    return {
        "total": len(mine),
        "kinds": Counter(s.kind for s in mine),
        "months": Counter(_month(s.created) for s in mine),
        "month_kinds": Counter((_month(s.created), s.kind) for s in mine),
        "stages": Counter(s.stage for s in mine),
        "governorates": Counter(s.governorate for s in mine if s.governorate),
        "overdue": sum(1 for s in mine if s.stage in RUNNING and s.due < NOW),
        "redirections": len(redirected),
        "reopenings": sum(1 for s in mine if s.reopened),
        "answered": len(answered),
        "within_deadline": sum(1 for s in answered if s.answered_at <= s.due),
        "late": sum(1 for s in answered if s.answered_at > s.due),
        "useful": sum(1 for s in mine if s.useful is True),
        "not_useful": sum(1 for s in mine if s.useful is False),
        "median_days": round(_nearest_rank(days, 0.5), 1) if len(days) >= THRESHOLD else None,
        "p90_days": round(_nearest_rank(days, 0.9), 1) if len(days) >= THRESHOLD else None,
        "rows": Counter((s.desk.code, _month(s.created), s.kind, s.stage) for s in mine),
    }


def agrees(data: dict, count: int) -> bool:
    """A published count says the truth: the count itself, or hidden for the right reason."""
    if data["suppressed"] is None:
        return data["count"] == count
    if data["suppressed"] == "small":
        return data["count"] is None and count < THRESHOLD
    return data["count"] is None and count >= THRESHOLD


def _pairs(figures: dict, truth: dict) -> list[tuple[str, dict, int]]:
    """Every count of ``figures`` with the count made here."""
    received = figures["received"]
    pairs = [("total", received["total"], truth["total"])]
    pairs += [(f"kind {k}", received["kinds"][k], truth["kinds"][k]) for k in KINDS]
    for row in received["months"]:
        pairs.append((f"month {row['month']}", row["total"], truth["months"][row["month"]]))
        pairs += [
            (f"{row['month']} {k}", row["kinds"][k], truth["month_kinds"][(row["month"], k)])
            for k in KINDS
        ]
    pairs += [(f"stage {s}", figures["stages"][s], truth["stages"][s]) for s in STAGES]
    pairs += [(f"gov {g}", figures["governorates"][g], truth["governorates"][g]) for g in GOVERNORATES]
    for name in ("overdue", "redirections", "reopenings"):
        pairs.append((name, figures[name], truth[name]))
    for name in ("answered", "within_deadline", "late"):
        pairs.append((name, figures["answers"][name], truth[name]))
    for name in ("useful", "not_useful"):
        pairs.append((name, figures["ratings"][name], truth[name]))
    pairs.append(("rated", figures["ratings"]["rated"], truth["useful"] + truth["not_useful"]))
    return pairs


# --- Every figure ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [None, "KEF", "MIN", "BCRC"])
def test_every_figure_equals_an_independent_count(scene, code):
    desk = next((d for d in scene["desks"] if d.code == code), None)
    figures = request_statistics(desk=desk, now=NOW)
    truth = expected(scene["specs"], code)
    wrong = [(name, data, count) for name, data, count in _pairs(figures, truth) if not agrees(data, count)]
    assert wrong == []
    assert figures["months"] == ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    answers = figures["answers"]
    assert answers["median_days"] == truth["median_days"]
    assert answers["p90_days"] == truth["p90_days"]
    if answers["within_deadline"]["count"] is not None and answers["late"]["count"] is not None:
        assert answers["share_within_deadline"] == round(truth["within_deadline"] / truth["answered"], 3)
    else:
        assert answers["share_within_deadline"] is None


def test_the_busy_institution_shows_its_figures_and_the_small_one_hides_its_small_counts(scene):
    """The test data is not all hidden, nor all shown: El Kef's headline figures are there,
    the triage desk's twenty requests leave most of its counts "fewer than 5"."""
    kef = request_statistics(desk=scene["desks"][0], now=NOW)
    office = request_statistics(desk=scene["desks"][2], now=NOW)
    assert kef["received"]["total"] == {"count": 300, "suppressed": None}
    assert kef["answers"]["median_days"] is not None and kef["answers"]["share_within_deadline"] is not None
    hidden = [d for _n, d, _c in _pairs(office, expected(scene["specs"], "BCRC")) if d["suppressed"]]
    assert len(hidden) > 20
    assert {d["suppressed"] for d in hidden} <= {"small", "complementary"}


def test_the_time_to_answer_leaves_out_waits_for_the_citizen_and_the_time_before_a_reopening(scene):
    """Nearest rank over the days each answered request spent with the institution, built
    here from the request's history (a wait of 30 % of its age taken out, say)."""
    specs = [s for s in scene["specs"] if _answered(s)]
    waited = [s for s in specs if any(e[0] == "question" for e in s.events)]
    reopened = [s for s in specs if s.reopened]
    assert waited and reopened
    for spec in waited + reopened:
        assert spec.clock_days < (spec.answered_at - spec.created).total_seconds() / 86400 - 0.01
    site = request_statistics(now=NOW)["answers"]
    days = sorted(s.clock_days for s in specs)
    assert site["median_days"] == round(days[math.ceil(len(days) / 2) - 1], 1)


# --- Suppression ----------------------------------------------------------------------------


def _published(figures_by_code: dict, getter) -> dict:
    return {
        (TOTAL if code is None else code, *key): Count(data["count"], data["suppressed"])
        for code, figures in figures_by_code.items()
        for key, data in getter(figures)
    }


def test_no_hidden_count_of_the_dashboards_can_be_worked_out_by_subtraction(scene):
    """The differencing case across dashboards: the site's count of a kind minus the counts
    of the institutions that show theirs would give the one that hides it — unless another
    is hidden with it. Checked by solving, for each table the dashboards publish, every
    equation a reader can write with the published counts (tests/disclosure.py)."""
    codes = [d.code for d in scene["desks"]]
    by_code = {None: request_statistics(now=NOW)} | {
        d.code: request_statistics(desk=d, now=NOW) for d in scene["desks"]
    }
    slices = {
        "kinds": (KINDS, lambda f: [((k,), f["received"]["kinds"][k]) for k in KINDS] + [((TOTAL,), f["received"]["total"])]),
        "stages": (STAGES, lambda f: [((s,), f["stages"][s]) for s in STAGES] + [((TOTAL,), f["received"]["total"])]),
        "answers": (("within_deadline", "late"), lambda f: [((n,), f["answers"][n]) for n in ("within_deadline", "late")] + [((TOTAL,), f["answers"]["answered"])]),
        "ratings": (("useful", "not_useful"), lambda f: [((n,), f["ratings"][n]) for n in ("useful", "not_useful")] + [((TOTAL,), f["ratings"]["rated"])]),
    }
    differencing_cases = 0
    for name, (categories, getter) in slices.items():
        table = _published(by_code, getter)
        assert linear_disclosures([codes, list(categories)], table) == [], name
        for category in categories:
            column = [table[(code, category)] for code in codes]
            if table[(TOTAL, category)].shown and any(c.suppressed == "small" for c in column):
                differencing_cases += 1
                assert sum(1 for c in column if not c.shown) >= 2, (name, category)
    for name in ("overdue", "redirections", "reopenings"):
        table = _published(by_code, lambda f, name=name: [((), f[name])])
        assert linear_disclosures([codes], table) == [], name
    assert differencing_cases  # the data has the case the rule exists for


def test_governorates_and_open_data_rows_hide_small_counts(scene):
    rows = statistics_rows(now=NOW)
    truth = expected(scene["specs"])["rows"]
    assert {(r["institution"], r["month"], r["kind"], r["stage"]) for r in rows if r["requests"]} == {
        key for key, n in truth.items() if n >= THRESHOLD
    } - {(r["institution"], r["month"], r["kind"], r["stage"]) for r in rows if r["suppressed"]}
    for row in rows:
        n = truth[(row["institution"], row["month"], row["kind"], row["stage"])]
        assert agrees({"count": row["requests"], "suppressed": row["suppressed"]}, n), row
    # An empty combination is listed only when hidden (leaving it out would say it is empty).
    assert all(r["requests"] or r["suppressed"] for r in rows)
    assert any(r["suppressed"] == "small" for r in rows)


def test_the_threshold_is_a_setting(scene, settings):
    settings.MAJLIS_DISCLOSURE_THRESHOLD = 1
    office = request_statistics(desk=scene["desks"][2], now=NOW)
    truth = expected(scene["specs"], "BCRC")
    assert all(data["suppressed"] is None and data["count"] == count for _n, data, count in _pairs(office, truth))


# --- The same numbers everywhere ---------------------------------------------------------------


def _page_figures(html) -> dict:
    out = {}
    for dd in html.select("[data-figure]"):
        hidden = dd.select_one("[data-suppressed]")
        out[dd["data-figure"]] = hidden["data-suppressed"] if hidden else dd.get("data-value")
    return out


def _value(data) -> str | None:
    return data["suppressed"] or str(data["count"])


def test_the_page_the_api_and_the_files_give_the_same_numbers(client, scene, frozen):
    kef = scene["desks"][0]
    api = client.get("/api/requests/statistics/KEF/").json()
    assert api["institution"]["code"] == "KEF" and api["institution"]["title"]
    figures = request_statistics(desk=kef)
    assert {k: v for k, v in api.items() if k not in ("institution", "generated_at")} == {
        k: v for k, v in figures.items() if k not in ("institution", "generated_at")
    }

    html = BeautifulSoup(client.get("/fr/requests/statistics/KEF/").content.decode(), "html.parser")
    shown = _page_figures(html)
    assert shown["received"] == _value(api["received"]["total"])
    for name in ("overdue", "redirections", "reopenings"):
        assert shown[name] == _value(api[name]), name
    for name in ("answered", "within_deadline", "late"):
        assert shown[name] == _value(api["answers"][name]), name
    for name in ("median_days", "p90_days", "share_within_deadline"):
        assert shown[name] == str(api["answers"][name]), name
    # The chart of months and its table hold the API's months.
    cells = html.select("#chart-months tbody td")
    assert [c.get("data-value") or c["data-suppressed"] for c in cells] == [
        _value(m["total"]) for m in api["received"]["months"]
    ]
    # The month × kind table, row by row.
    for row, month in zip(html.select("#table-months tbody tr"), api["received"]["months"]):
        texts = [td.select_one("[data-suppressed]")["data-suppressed"] if td.select_one("[data-suppressed]") else td.get_text() for td in row.select("td")]
        assert texts == [_value(month["kinds"][k]) for k in KINDS] + [_value(month["total"])]

    data = json.loads(client.get("/fr/requests/open-data/statistics/KEF.json").content)
    assert data["license"] == "CC-BY-4.0"
    assert data["figures"]["received"] == api["received"]
    assert data["rows"] == [
        {**row, "institution_name": data["institution"]["name"]} for row in statistics_rows(desk=kef)
    ]
    response = client.get("/fr/requests/open-data/statistics/KEF.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(data["rows"])
    for line, row in zip(rows, data["rows"]):
        assert line["requests"] == ("" if row["requests"] is None else str(row["requests"]))
        assert line["requests_suppressed"] == (row["suppressed"] or "")
        assert (line["institution"], line["month"], line["kind"], line["stage"]) == (
            row["institution"], row["month"], row["kind"], row["stage"]
        )


def test_the_site_wide_files_hold_every_institution(client, scene, frozen):
    data = json.loads(client.get("/en/requests/open-data/statistics.json").content)
    assert [i["code"] for i in data["institutions"]] == ["BCRC", "KEF", "MIN"]
    assert data["figures"] == request_statistics()
    assert {row["institution"] for row in data["rows"]} == {"BCRC", "KEF", "MIN"}
    api = client.get("/api/requests/statistics/").json()
    assert api["received"] == data["figures"]["received"]
    assert [i["code"] for i in api["institutions"]] == ["BCRC", "KEF", "MIN"]


def test_unknown_institutions_and_formats(client, scene):
    assert client.get("/fr/requests/statistics/ZZZ/").status_code == 404
    assert client.get("/fr/requests/open-data/statistics/ZZZ.csv").status_code == 404
    assert client.get("/fr/requests/open-data/statistics.xml").status_code == 404
    response = client.get("/api/requests/statistics/ZZZ/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/api/requests/statistics/kef/").status_code == 422


# --- Cost and freshness -------------------------------------------------------------------------


def test_the_query_count_does_not_grow_with_the_requests(scene):
    with CaptureQueriesContext(connection) as small:
        statistics_compute(now=NOW)
    statistics_scene(desks={d: 150 for d in scene["desks"]}, now=NOW, seed=12)
    with CaptureQueriesContext(connection) as big:
        statistics_compute(now=NOW)
    assert len(big) == len(small) == 8


def test_the_figures_are_cached_and_counted_again_after_a_change_once_a_minute_at_most(
    scene, citizen, settings, django_capture_on_commit_callbacks
):
    settings.MAJLIS_DISCLOSURE_THRESHOLD = 1
    kef = scene["desks"][0]
    before = request_statistics(desk=kef)["received"]["total"]["count"]
    with CaptureQueriesContext(connection) as cached:
        request_statistics(desk=kef)
    assert len(cached) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.request_file(
            author=citizen, kind=Kind.COMPLAINT, desk=kef, subject="الماء", text="الماء مقطوع.",
            language="ar", client_ip="198.51.100.7",
        )
    # Counted less than a minute ago: served as they are, not recounted for each change.
    assert request_statistics(desk=kef)["received"]["total"]["count"] == before
    settings.CITIZEN_REQUESTS_STATISTICS_MIN_AGE_SECONDS = 0
    assert request_statistics(desk=kef)["received"]["total"]["count"] == before + 1
    cache.clear()


def test_the_arabic_dashboard_reads_right_to_left_in_its_own_words(client, scene, frozen):
    html = BeautifulSoup(client.get("/ar/requests/statistics/KEF/").content.decode(), "html.parser")
    assert html.html["dir"] == "rtl"
    median = html.select_one('[data-figure="median_days"]').get_text()
    assert "duration" not in median and ("يوم" in median or "أيام" in median)
    # Bars grow from the right; the first month stands on the right.
    svg = html.select_one("#chart-kinds svg")
    assert svg["direction"] == "rtl"
    for bar in svg.select("rect.chart__bar"):
        assert float(bar["x"]) + float(bar["width"]) == pytest.approx(float(svg["width"]))
    columns = [float(c["x"]) for c in html.select("#chart-months rect")]
    assert columns == sorted(columns, reverse=True)
    # Hidden counts say so in Arabic, and every table has a caption or a label.
    assert "أقل من 5" in html.get_text() or "محجوب" in html.get_text()
    for table in html.select("table"):
        assert table.caption or table.get("aria-labelledby")


def test_the_dashboards_are_linked_from_the_institution_and_the_requests_pages(client, scene, site):
    institution = client.get(site["institution"]["fr"].url).content.decode()
    assert 'href="/fr/requests/statistics/KEF/"' in institution
    assert 'href="/fr/requests/statistics/"' in client.get("/fr/requests/").content.decode()
    site_wide = BeautifulSoup(client.get("/fr/requests/statistics/").content.decode(), "html.parser")
    links = {a["href"] for a in site_wide.select(".request-statistics__institutions a")}
    assert links == {f"/fr/requests/statistics/{d.code}/" for d in scene["desks"]}
