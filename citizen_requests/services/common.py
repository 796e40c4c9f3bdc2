"""What the request services share: locking a request, recording a staff action, the deadline, and what follows a committed change."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from citizen_requests.models import (
    CitizenRequest,
    RequestDesk,
    RequestEvent,
    StaffAccessLog,
)
from citizen_requests.notifications import request_changed
from citizen_requests.rules import staff_role
from citizen_requests.services.errors import (
    Invalid,
    NotFound,
    Refused,
)
from citizen_requests.stages import (
    Role,
    Stage,
    may_move,
)
from citizen_requests.statistics import statistics_invalidate


def locked(request: CitizenRequest) -> CitizenRequest:
    return CitizenRequest.objects.select_for_update(of=("self",)).select_related("desk__institution").get(pk=request.pk)


def due_from(start: datetime.datetime, desk: RequestDesk, kind: str) -> datetime.datetime:
    return start + datetime.timedelta(days=desk.deadline_days(kind))


def waiting_end(request: CitizenRequest, now: datetime.datetime) -> None:
    """Leave the waiting stage: the deadline moves back by the time spent waiting."""
    if request.waiting_since is not None:
        request.due_at += now - request.waiting_since
    request.waiting_since = None
    request.stage = Stage.IN_PROGRESS


def staff_log(actor, request: CitizenRequest, action: str, detail: str = "") -> None:
    StaffAccessLog.objects.create(
        request=request, desk_id=request.desk_id, user=actor, action=action, detail=detail[:200]
    )


def changed_on_commit(request: CitizenRequest, event: RequestEvent) -> None:
    """After the transaction commits: the citizen's e-mail for the change and the live
    update of the open pages (``citizen_requests.notifications``), and the public statistics
    counted again by their next reader (``statistics``)."""
    transaction.on_commit(lambda: request_changed(request_id=request.pk, event_id=event.pk))
    transaction.on_commit(statistics_invalidate, robust=True)


def staff_check(actor, request: CitizenRequest, role: str = Role.OFFICER) -> str:
    """The actor's role at the request's desk; ``NotFound`` if they have none there (another
    institution's request is not theirs to know of), ``Refused`` if it is not enough."""
    found = staff_role(actor, request.desk)
    if found is None:
        raise NotFound(_("This request does not exist or is not one of your institution's."))
    if role == Role.APPROVER and found != Role.APPROVER:
        raise Refused(_("Only an approver of the institution can do this."))
    return found


def move_check(actor, request: CitizenRequest, to_stage: str, role: str) -> None:
    if not may_move(from_stage=request.stage, to_stage=to_stage, role=role):
        raise Invalid(
            _("A request that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Stage(request.stage).label, "to": Stage(to_stage).label},
            field="stage",
        )
