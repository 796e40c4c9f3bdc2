"""How institutions answer citizens' requests, counted from the data: the one selector the
public dashboard (``dashboard.py``), the API (``api.py``) and the open data files
(``exports.py``) read, so the three give the same numbers. docs/requests.md, "Statistics",
says what each figure means.

``request_statistics(desk=None, now=None)`` gives one scope's figures (an institution's desk,
or the whole site) as plain data; ``statistics_rows(desk=None, now=None)`` the open data's
rows, one per institution × month × kind × stage. Every count is a ``cms.disclosure`` count,
``{"count": 12, "suppressed": null}`` or ``{"count": null, "suppressed": "small"}``.

**Tables.** Every published count belongs to one of these, suppressed together with all its
totals (cms/disclosure.py), so that none can be worked out from the others:

- requests: institution × month filed × kind × current stage (the open data's rows; the
  dashboard's "received per month and kind", "per kind" and "stage now" are its totals);
- requests per governorate: institution × governorate, of the requests that name one (the
  ones that name none are not counted here: "not given" would make this table's totals those
  of the first, and tie the two suppressions together);
- answers: institution × answered within the deadline / late;
- ratings: institution × useful / not useful;
- overdue now, redirections, reopenings: one count per institution each.

Medians and shares are published only when they rest on at least the threshold's number of
answers, and the share only when both its counts are shown.

**Cost.** Eight queries whatever the number of requests (the first and last filing, grouped
counts, and the rows needed for the time to answer: one number per answered request, plus
the timeline of those that waited for the citizen or were reopened). The result is cached (``CITIZEN_REQUESTS_STATISTICS_CACHE_SECONDS``,
5 minutes) and every change a service makes to a request marks it out of date
(``statistics_invalidate``, called on commit by ``services.common.changed_on_commit``): the next
reader counts again, unless the figures are younger than
``CITIZEN_REQUESTS_STATISTICS_MIN_AGE_SECONDS`` (1 minute), so that at most one reader a
minute waits for a count however busy the site.
"""

import datetime
import math
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    Value,
    When,
)
from django.utils import timezone

from accounts.governorates import Governorate
from citizen_requests import conf
from citizen_requests.models import CitizenRequest, RequestDesk, RequestEvent
from citizen_requests.stages import EventKind, Kind, Stage
from cms.disclosure import TOTAL, disclosure_threshold, table_suppress

SCHEMA_VERSION = 1
KINDS = tuple(Kind.values)
STAGES = tuple(Stage.values)
GOVERNORATES = tuple(Governorate.values)
ANSWER_PARTS = ("within_deadline", "late")
RATINGS = ("useful", "not_useful")
# Whose clock runs: time in these stages is the institution's (selectors.CLOCK_RUNNING).
CLOCK_RUNNING = frozenset({Stage.RECEIVED, Stage.ASSIGNED, Stage.IN_PROGRESS})
# Answered: an answer was sent and stands (a reopened request is back in the stock).
ANSWERED_STAGES = (Stage.ANSWERED, Stage.CLOSED)
SITE = "site"
CACHE_PREFIX = "citizen_requests:statistics"
VERSION_KEY = f"{CACHE_PREFIX}:version"
DAY = 86400.0


# --- The selector --------------------------------------------------------------------------


def request_statistics(*, desk: RequestDesk | None = None, now: datetime.datetime | None = None) -> dict:
    """The figures of ``desk``'s institution, or of the whole site (None), as plain data
    (docstring). A desk with no figures yet (made after they were counted) counts again."""
    return _cached(SITE if desk is None else str(desk.pk), now)


def statistics_rows(*, desk: RequestDesk | None = None, now: datetime.datetime | None = None) -> list[dict]:
    """The open data's rows — ``institution`` (desk code), ``month`` (``YYYY-MM``, site time
    zone), ``kind``, ``stage``, ``requests`` (None when hidden) and ``suppressed`` — for every
    combination with requests, or hidden (a hidden one is listed even when empty: leaving it
    out would say it is). Institutions by code, then months, kinds and stages in order."""
    rows = _cached("rows", now)
    return rows if desk is None else [row for row in rows if row["institution"] == desk.code]


def statistics_invalidate() -> None:
    """A request changed: the figures are counted again by their next reader."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(VERSION_KEY, 1, timeout=None)


def _cached(name: str, now: datetime.datetime | None):
    """The figures ``name`` from the cache, counted again when a request changed since, but
    never more often than every ``CITIZEN_REQUESTS_STATISTICS_MIN_AGE_SECONDS``: on a busy site
    requests change every few seconds, and recounting for each change would make most readers
    wait for a count (0.6 s at 100,000 requests)."""
    now = now or timezone.now()
    version = cache.get(VERSION_KEY, 0)
    found = cache.get(f"{CACHE_PREFIX}:{name}")
    seconds = conf.get("CITIZEN_REQUESTS_STATISTICS_CACHE_SECONDS")
    min_age = datetime.timedelta(seconds=conf.get("CITIZEN_REQUESTS_STATISTICS_MIN_AGE_SECONDS"))
    if found is not None and found["at"] <= now < found["at"] + datetime.timedelta(seconds=seconds):
        if found["version"] == version or now < found["at"] + min_age:
            return found["data"]
    computed = statistics_compute(now=now)
    cache.set_many(
        {
            f"{CACHE_PREFIX}:{part}": {"at": now, "version": version, "data": data}
            for part, data in computed.items()
        },
        timeout=seconds,
    )
    if name not in computed:  # a desk unknown to the database
        raise RequestDesk.DoesNotExist(name)
    return computed[name]


# --- Counting ------------------------------------------------------------------------------


def statistics_compute(*, now: datetime.datetime) -> dict:
    """Every scope's figures and the open data's rows: {"site": …, "<desk id>": …, "rows": […]}."""
    threshold = disclosure_threshold()
    zone = ZoneInfo(settings.TIME_ZONE)
    desks = list(RequestDesk.objects.order_by("code").values_list("pk", "code"))
    ids = [pk for pk, _code in desks]
    months, starts = _months(zone, now)
    counts = _received(months, starts)
    per_desk = _per_desk(now)
    tables = {
        "received": table_suppress([ids, months, KINDS, STAGES], counts, threshold=threshold),
        "governorates": table_suppress([ids, GOVERNORATES], _governorates(), threshold=threshold),
        "answers": table_suppress(
            [ids, ANSWER_PARTS], _pairs(per_desk, ANSWER_PARTS), threshold=threshold
        ),
        "ratings": table_suppress([ids, RATINGS], _pairs(per_desk, RATINGS), threshold=threshold),
        "overdue": table_suppress([ids], _single(per_desk, "overdue"), threshold=threshold),
        "reopenings": table_suppress([ids], _single(per_desk, "reopenings"), threshold=threshold),
        "redirections": table_suppress([ids], _redirections(), threshold=threshold),
    }
    durations = _durations()
    generated = now.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    scope = {"generated_at": generated, "threshold": threshold, "months": months}
    out = {
        SITE: _figures(TOTAL, None, tables, durations, scope),
        "rows": _rows(desks, months, tables["received"]),
    }
    for pk, code in desks:
        out[str(pk)] = _figures(pk, code, tables, durations, scope)
    return out


def _month(moment: datetime.datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _months(zone, now: datetime.datetime) -> tuple[list[str], list[datetime.datetime]]:
    """Every month from the first request's to this one (those without requests included),
    and the instant each starts in the site's time zone."""
    first, last = CitizenRequest.objects.aggregate(first=Min("created_at"), last=Max("created_at")).values()
    if first is None:
        return [], []
    year, month = first.astimezone(zone).year, first.astimezone(zone).month
    end = max(_month(last.astimezone(zone)), _month(now.astimezone(zone)))
    months, starts = [], []
    while (current := f"{year:04d}-{month:02d}") <= end:
        months.append(current)
        starts.append(datetime.datetime(year, month, 1, tzinfo=zone))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months, starts


def _received(months: list[str], starts: list[datetime.datetime]) -> dict[tuple, int]:
    """(desk, month, kind, stage) → requests, grouped by the database. The month is found by
    comparing the filing with the months' first instants (a CASE the database evaluates
    itself: SQLite's TruncMonth calls Python for each row, 0.6 s at 100,000 requests)."""
    if not months:
        return {}
    month = Case(
        *[When(created_at__lt=start, then=Value(index - 1)) for index, start in enumerate(starts[1:], 1)],
        default=Value(len(months) - 1),
        output_field=IntegerField(),
    )
    rows = (
        CitizenRequest.objects.order_by()
        .annotate(month_index=month)
        .values_list("desk_id", "month_index", "kind", "stage")
        .annotate(n=Count("pk"))
    )
    return {(desk, months[index], kind, stage): n for desk, index, kind, stage, n in rows}


def _governorates() -> dict[tuple, int]:
    return {
        (desk, code): n
        for desk, code, n in CitizenRequest.objects.exclude(governorate="")
        .order_by()
        .values_list("desk_id", "governorate")
        .annotate(n=Count("pk"))
        if code in GOVERNORATES
    }


def _answered() -> Q:
    return Q(answered_at__isnull=False, stage__in=ANSWERED_STAGES)


def _per_desk(now: datetime.datetime) -> dict[int, dict]:
    """Per desk, in one grouped query: overdue now, reopened, rated useful / not useful,
    answered within the deadline / late."""
    names = ("overdue", "reopenings", "useful", "not_useful", "within_deadline", "late")
    # Aliases apart from the fields' names: SQLite reads a FILTER's column as the alias.
    rows = (
        CitizenRequest.objects.order_by()
        .values_list("desk_id")
        .annotate(
            n_overdue=Count("pk", filter=Q(stage__in=list(CLOCK_RUNNING), due_at__lt=now)),
            n_reopenings=Count("pk", filter=Q(reopened=True)),
            n_useful=Count("pk", filter=Q(useful=True)),
            n_not_useful=Count("pk", filter=Q(useful=False)),
            n_within_deadline=Count("pk", filter=_answered() & Q(answered_at__lte=F("due_at"))),
            n_late=Count("pk", filter=_answered() & Q(answered_at__gt=F("due_at"))),
        )
    )
    return {desk: dict(zip(names, values)) for desk, *values in rows}


def _pairs(per_desk: dict, parts) -> dict[tuple, int]:
    return {(desk, part): figures[part] for desk, figures in per_desk.items() for part in parts}


def _single(per_desk: dict, name: str) -> dict[tuple, int]:
    return {(desk,): figures[name] for desk, figures in per_desk.items()}


def _redirections() -> dict[tuple, int]:
    """Requests each institution sent on to another (counted where they left from)."""
    return {
        (desk,): n
        for desk, n in RequestEvent.objects.filter(kind=EventKind.REDIRECTED, from_desk__isnull=False)
        .order_by()
        .values_list("from_desk_id")
        .annotate(n=Count("pk"))
    }


# --- Time to answer --------------------------------------------------------------------------


class Seconds(Func):
    """Seconds from ``start`` to ``end``, computed by the database (converting two datetimes
    per answered request in Python took most of the time at 100,000 requests)."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        return self.as_sql_template(
            compiler, connection, "CAST(EXTRACT(EPOCH FROM (%(end)s - %(start)s)) AS double precision)", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql_template(
            compiler, connection, "((julianday(%(end)s) - julianday(%(start)s)) * 86400.0)", **extra
        )

    def as_sql_template(self, compiler, connection, template, **extra):
        (start, start_params), (end, end_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return template % {"start": start, "end": end}, (*start_params, *end_params)


def _durations() -> dict:
    """{desk id or TOTAL: (answered, median days, 90th percentile days)} of the answered
    requests: the time each spent in the institution's hands — received, assigned or in
    progress — from its filing to its answer (time waiting for the citizen, and for a
    reopened request the time between its first answer and its reopening, not counted)."""
    answered = CitizenRequest.objects.filter(_answered()).order_by().values_list(
        "pk", "desk_id", Seconds("created_at", "answered_at")
    )
    paused = RequestEvent.objects.filter(
        kind__in=[EventKind.QUESTION, EventKind.REOPENED]
    ).values("request_id")
    timelines: dict[int, list] = defaultdict(list)
    for request_id, at, stage, answered_at in (
        RequestEvent.objects.filter(request_id__in=paused)
        .filter(request__answered_at__isnull=False, request__stage__in=ANSWERED_STAGES)
        .exclude(stage="")
        .order_by("request_id", "at", "pk")
        .values_list("request_id", "at", "stage", "request__answered_at")
    ):
        timelines[request_id].append((at, stage, answered_at))
    days: dict = defaultdict(list)
    for pk, desk, seconds in answered:
        if pk in timelines:
            seconds = _clock_seconds(timelines[pk])
        days[desk].append(seconds / DAY)
        days[TOTAL].append(seconds / DAY)
    return {scope: _spread(values) for scope, values in days.items()}


def _clock_seconds(timeline: list) -> float:
    """Seconds spent in a stage whose clock runs, from the first stage to the answer."""
    answered_at = timeline[0][2]
    seconds = 0.0
    for (at, stage, _answered), (until, *_next) in zip(timeline, [*timeline[1:], (answered_at,)]):
        if at >= answered_at:
            break
        if stage in CLOCK_RUNNING:
            seconds += (min(until, answered_at) - at).total_seconds()
    return seconds


def _rank(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of them at or under it."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _spread(values: list[float]) -> tuple[int, float, float]:
    ordered = sorted(values)
    return len(ordered), _rank(ordered, 0.5), _rank(ordered, 0.9)


# --- Figures ---------------------------------------------------------------------------------


def _figures(desk, code, tables, durations, scope) -> dict:
    """One scope's figures, as plain data; ``desk`` TOTAL for the whole site."""
    received, threshold = tables["received"], scope["threshold"]

    def count(table, *key):
        return tables[table][(desk, *key)].as_data()

    answered, median, p90 = durations.get(desk, (0, None, None))
    within, late = count("answers", "within_deadline"), count("answers", "late")
    shown = within["count"] is not None and late["count"] is not None
    share = None
    if shown and answered >= threshold and within["count"] + late["count"]:
        share = round(within["count"] / (within["count"] + late["count"]), 3)
    enough = answered >= threshold
    return {
        "version": SCHEMA_VERSION,
        **scope,
        "institution": None if code is None else {"code": code},
        "received": {
            "total": received[(desk, TOTAL, TOTAL, TOTAL)].as_data(),
            "kinds": {kind: received[(desk, TOTAL, kind, TOTAL)].as_data() for kind in KINDS},
            "months": [
                {
                    "month": month,
                    "total": received[(desk, month, TOTAL, TOTAL)].as_data(),
                    "kinds": {kind: received[(desk, month, kind, TOTAL)].as_data() for kind in KINDS},
                }
                for month in scope["months"]
            ],
        },
        "stages": {stage: received[(desk, TOTAL, TOTAL, stage)].as_data() for stage in STAGES},
        "governorates": {code_: count("governorates", code_) for code_ in GOVERNORATES},
        "overdue": count("overdue"),
        "redirections": count("redirections"),
        "reopenings": count("reopenings"),
        "answers": {
            "answered": count("answers", TOTAL),
            "within_deadline": within,
            "late": late,
            "share_within_deadline": share,
            "median_days": round(median, 1) if enough else None,
            "p90_days": round(p90, 1) if enough else None,
        },
        "ratings": {
            "rated": count("ratings", TOTAL),
            "useful": count("ratings", "useful"),
            "not_useful": count("ratings", "not_useful"),
        },
    }


def _rows(desks, months, received) -> list[dict]:
    codes = dict(desks)
    cells = {
        key
        for key in (*received.values, *received.statuses)
        if TOTAL not in key
    }
    order = {
        "desk": {pk: i for i, (pk, _code) in enumerate(desks)},
        "month": {month: i for i, month in enumerate(months)},
        "kind": {kind: i for i, kind in enumerate(KINDS)},
        "stage": {stage: i for i, stage in enumerate(STAGES)},
    }
    rows = []
    for desk, month, kind, stage in sorted(
        cells,
        key=lambda key: (
            order["desk"][key[0]], order["month"][key[1]], order["kind"][key[2]], order["stage"][key[3]]
        ),
    ):
        count = received[(desk, month, kind, stage)]
        rows.append(
            {
                "institution": codes[desk],
                "month": month,
                "kind": kind,
                "stage": stage,
                "requests": count.value,
                "suppressed": count.suppressed,
            }
        )
    return rows
