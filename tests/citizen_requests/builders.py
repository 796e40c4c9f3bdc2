"""Requests with known histories for the statistics' tests: each is described first as plain
data (``Spec``: its desk, kind, dates, stage, rating, and the days it spent with the
institution, worked out from how it was built), then inserted in bulk with its timeline. The
tests count from the specs, the dashboard from the database."""

import datetime
import random
from dataclasses import dataclass, field

from citizen_requests.models import CitizenRequest, RequestDesk, RequestEvent
from citizen_requests.stages import EventKind, Kind, Stage
from citizen_requests.tracking import tracking_number_new

DEADLINE = datetime.timedelta(days=30)
GOVERNORATES = ["TN-11", "TN-33", "TN-33", "TN-61", "TN-12", ""]
PATHS = [
    "open", "open", "waiting", "answered", "answered", "answered", "waited", "reopened",
    "reopened_open", "out_of_scope",
]


@dataclass
class Spec:
    desk: RequestDesk
    kind: str
    governorate: str
    created: datetime.datetime
    stage: str
    due: datetime.datetime
    answered_at: datetime.datetime | None = None
    clock_days: float | None = None  # days with the institution, when answered now
    useful: bool | None = None
    reopened: bool = False
    redirected_from: RequestDesk | None = None
    events: list = field(default_factory=list)  # (kind, at, stage, from_desk, to_desk)


def _spec(rng: random.Random, desk, others, now) -> Spec:
    age = rng.uniform(0.5, 180)
    created = now - datetime.timedelta(days=age)

    def at(share: float) -> datetime.datetime:
        return created + datetime.timedelta(days=age * share)

    path = rng.choice(PATHS)
    spec = Spec(
        desk=desk, kind=rng.choice(Kind.values), governorate=rng.choice(GOVERNORATES),
        created=created, stage=Stage.RECEIVED, due=created + DEADLINE,
    )
    spec.events.append((EventKind.FILED, created, Stage.RECEIVED, None, None))
    start = created
    if rng.random() < 0.15 and others:
        spec.redirected_from = rng.choice(others)
        start = at(0.05)
        spec.events.append((EventKind.REDIRECTED, start, Stage.RECEIVED, spec.redirected_from, desk))
    spec.due = start + DEADLINE
    if path == "open":
        spec.stage = rng.choice([Stage.RECEIVED, Stage.ASSIGNED, Stage.IN_PROGRESS])
        if spec.stage != Stage.RECEIVED:
            spec.events.append((EventKind.ASSIGNED, at(0.1), Stage.ASSIGNED, None, None))
    elif path == "waiting":
        spec.stage = Stage.WAITING
        spec.events.append((EventKind.QUESTION, at(0.3), Stage.WAITING, None, None))
    elif path in ("answered", "waited"):
        spec.events.append((EventKind.ASSIGNED, at(0.1), Stage.ASSIGNED, None, None))
        answered, waited = at(0.8), 0.0
        if path == "waited":
            spec.events.append((EventKind.QUESTION, at(0.2), Stage.WAITING, None, None))
            spec.events.append((EventKind.CITIZEN_REPLY, at(0.5), Stage.IN_PROGRESS, None, None))
            waited = age * 0.3
            spec.due += datetime.timedelta(days=waited)
        spec.events.append((EventKind.ANSWER_SENT, answered, Stage.ANSWERED, None, None))
        spec.answered_at, spec.stage = answered, Stage.ANSWERED
        spec.clock_days = age * 0.8 - waited
        if rng.random() < 0.6:
            spec.useful, spec.stage = rng.random() < 0.7, Stage.CLOSED
            spec.events.append((EventKind.FEEDBACK, at(0.9), Stage.CLOSED, None, None))
    elif path in ("reopened", "reopened_open"):
        spec.reopened = True
        spec.events.append((EventKind.ASSIGNED, at(0.1), Stage.ASSIGNED, None, None))
        spec.events.append((EventKind.ANSWER_SENT, at(0.3), Stage.ANSWERED, None, None))
        spec.events.append((EventKind.REOPENED, at(0.5), Stage.IN_PROGRESS, None, None))
        spec.answered_at, spec.due = at(0.3), at(0.5) + DEADLINE
        spec.stage = Stage.IN_PROGRESS
        if path == "reopened":
            spec.events.append((EventKind.ANSWER_SENT, at(0.7), Stage.ANSWERED, None, None))
            spec.answered_at, spec.stage = at(0.7), Stage.ANSWERED
            # Filed → first answer, then reopening → second answer; the gap is the citizen's.
            spec.clock_days = age * 0.3 + age * 0.2
    else:
        spec.stage = rng.choice([Stage.OUT_OF_SCOPE, Stage.CLOSED])
        spec.events.append((EventKind.STAGE, at(0.2), Stage.OUT_OF_SCOPE, None, None))
        if spec.stage == Stage.CLOSED:
            spec.events.append((EventKind.STAGE, at(0.4), Stage.CLOSED, None, None))
    return spec


def statistics_scene(*, desks: dict[RequestDesk, int], now: datetime.datetime, seed: int) -> list[Spec]:
    """``desks``: how many requests each receives. Returns their specs, once inserted."""
    rng = random.Random(seed)
    specs = []
    for desk, count in desks.items():
        others = [other for other in desks if other.pk != desk.pk]
        specs += [_spec(rng, desk, others, now) for _ in range(count)]
    rows = [
        CitizenRequest(
            tracking_number=tracking_number_new(prefix=spec.desk.code, year=spec.created.year),
            secret_digest="0" * 64, kind=spec.kind, desk=spec.desk, language="ar",
            subject="طلب", text="نص الطلب.", governorate=spec.governorate, stage=spec.stage,
            created_at=spec.created, updated_at=spec.created, due_at=spec.due,
            waiting_since=spec.events[-1][1] if spec.stage == Stage.WAITING else None,
            answered_at=spec.answered_at, useful=spec.useful, reopened=spec.reopened,
        )
        for spec in specs
    ]
    CitizenRequest.objects.bulk_create(rows)
    RequestEvent.objects.bulk_create(
        RequestEvent(request=row, kind=kind, at=moment, stage=stage, from_desk=from_desk, to_desk=to_desk)
        for row, spec in zip(rows, specs)
        for kind, moment, stage, from_desk, to_desk in spec.events
    )
    return specs
