"""Reads of citizen requests.

The staff queue: the requests of the desks a member of staff handles, filtered and sorted in
the database, with the counts per stage in one aggregate query (the queue's cost does not
grow with the number of requests).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from citizen_requests.models import CitizenRequest, RequestDesk
from citizen_requests.stages import FINISHED, Stage

# The stages whose deadline clock runs (services.requests_overdue).
CLOCK_RUNNING = (Stage.RECEIVED, Stage.ASSIGNED, Stage.IN_PROGRESS)
OPEN_STAGES = tuple(stage for stage in Stage if stage not in FINISHED)

STAGE_OPEN = "open"
STAGE_ALL = "all"

ASSIGNEE_ANY = ""
ASSIGNEE_ME = "me"
ASSIGNEE_NONE = "none"

SORT_DEADLINE = "deadline"
SORT_FILED = "filed"


@dataclass(frozen=True)
class QueueFilters:
    desks: list[RequestDesk]
    kind: str = ""
    stage: str = STAGE_OPEN
    overdue: bool = False
    assignee: str = ASSIGNEE_ANY
    governorate: str = ""
    sort: str = SORT_DEADLINE


def _overdue_q(now: datetime.datetime) -> Q:
    return Q(stage__in=CLOCK_RUNNING, due_at__lt=now)


def _stage_q(stage: str) -> Q:
    if stage == STAGE_ALL:
        return Q()
    if stage == STAGE_OPEN:
        return Q(stage__in=OPEN_STAGES)
    return Q(stage=stage)


def _filtered(*, user, filters: QueueFilters, now: datetime.datetime) -> QuerySet:
    """The desks' requests with every filter but the stage."""
    queryset = CitizenRequest.objects.filter(desk__in=[desk.pk for desk in filters.desks])
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.governorate:
        queryset = queryset.filter(governorate=filters.governorate)
    if filters.overdue:
        queryset = queryset.filter(_overdue_q(now))
    if filters.assignee == ASSIGNEE_ME:
        queryset = queryset.filter(assignee=user)
    elif filters.assignee == ASSIGNEE_NONE:
        queryset = queryset.filter(assignee__isnull=True)
    return queryset


def staff_queue(*, user, filters: QueueFilters, now: datetime.datetime | None = None) -> QuerySet:
    """The requests to list, sorted: nearest deadline first, or newest filed first."""
    now = now or timezone.now()
    queryset = _filtered(user=user, filters=filters, now=now).filter(_stage_q(filters.stage))
    ordering = ("due_at", "pk") if filters.sort == SORT_DEADLINE else ("-created_at", "-pk")
    return queryset.select_related("desk__institution", "assignee").order_by(*ordering)


def staff_queue_counts(*, user, filters: QueueFilters, now: datetime.datetime | None = None) -> dict[str, int]:
    """How many requests each stage tab holds (every filter applied but the stage), the
    open and overdue ones included: one query."""
    now = now or timezone.now()
    aggregates = {stage.value: Count("pk", filter=Q(stage=stage)) for stage in Stage}
    aggregates[STAGE_OPEN] = Count("pk", filter=Q(stage__in=OPEN_STAGES))
    aggregates[STAGE_ALL] = Count("pk")
    aggregates["overdue"] = Count("pk", filter=_overdue_q(now))
    return _filtered(user=user, filters=filters, now=now).aggregate(**aggregates)
