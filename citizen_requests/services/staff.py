"""What an institution's staff do with a request: see it (logged), assign, move, ask, redirect, note, draft and send the answer; the overdue ones."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citizen_requests.models import (
    CitizenRequest,
    RequestDesk,
    RequestEvent,
    StaffAccessAction,
)
from citizen_requests.rules import staff_role
from citizen_requests.services.common import (
    changed_on_commit,
    due_from,
    locked,
    move_check,
    staff_check,
    staff_log,
    waiting_end,
)
from citizen_requests.services.errors import (
    Invalid,
    Refused,
)
from citizen_requests.services.signing import answer_sign
from citizen_requests.stages import (
    FINISHED,
    EventKind,
    Role,
    Stage,
)


def staff_view_record(*, user, request: CitizenRequest, action: str = StaffAccessAction.VIEWED, detail: str = "") -> None:
    """Record that a staff member saw the request's personal data (its page, an attachment)."""
    staff_check(user, request)
    staff_log(user, request, action, detail)


@transaction.atomic
def request_assign(*, actor, request: CitizenRequest, assignee) -> RequestEvent:
    """Give the request to ``assignee`` (the actor, or a colleague of the same institution)."""
    role = staff_check(actor, request)
    request = locked(request)
    if assignee is None or staff_role(assignee, request.desk) is None:
        raise Invalid(_("Assign the request to an officer or approver of this institution."), field="assignee")
    if request.stage in (Stage.RECEIVED, Stage.ASSIGNED, Stage.IN_PROGRESS):
        move_check(actor, request, Stage.ASSIGNED, role)
    else:
        raise Invalid(
            _("A request that is “%(from)s” cannot be assigned.") % {"from": Stage(request.stage).label},
            field="assignee",
        )
    now = timezone.now()
    request.assignee = assignee
    request.stage = Stage.ASSIGNED
    request.updated_at = now
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.ASSIGNED, at=now, actor=actor, stage=Stage.ASSIGNED
    )
    staff_log(actor, request, StaffAccessAction.ASSIGNED, assignee.get_username())
    changed_on_commit(request, event)
    return event


@transaction.atomic
def request_move(*, actor, request: CitizenRequest, stage: str, reason: str = "") -> RequestEvent:
    """Move the request to ``stage`` (in progress, out of scope with a reason, closed)."""
    role = staff_check(actor, request)
    request = locked(request)
    if stage not in Stage.values:
        raise Invalid(_("Choose a stage."), field="stage")
    if stage in (Stage.WAITING, Stage.ANSWERED, Stage.ASSIGNED):
        # Each has its own action: a question, an answer sent, an assignee.
        raise Invalid(
            _("A request becomes “%(to)s” through its own action.") % {"to": Stage(stage).label},
            field="stage",
        )
    move_check(actor, request, stage, role)
    reason = (reason or "").strip()
    if stage == Stage.OUT_OF_SCOPE and not reason:
        raise Invalid(_("Say why the request is out of scope."), field="reason")
    now = timezone.now()
    if request.stage == Stage.WAITING:
        waiting_end(request, now)
    request.stage = stage
    request.updated_at = now
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.STAGE, at=now, actor=actor, stage=stage, text=reason
    )
    staff_log(actor, request, StaffAccessAction.MOVED, stage)
    changed_on_commit(request, event)
    return event


@transaction.atomic
def request_ask(*, actor, request: CitizenRequest, question: str) -> RequestEvent:
    """Ask the citizen for information: the request waits for them, and its clock pauses."""
    role = staff_check(actor, request)
    request = locked(request)
    question = (question or "").strip()
    if not question:
        raise Invalid(_("Write the question."), field="question")
    move_check(actor, request, Stage.WAITING, role)
    now = timezone.now()
    request.stage = Stage.WAITING
    request.waiting_since = now
    request.updated_at = now
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.QUESTION, at=now, actor=actor, stage=Stage.WAITING, text=question
    )
    staff_log(actor, request, StaffAccessAction.ASKED)
    changed_on_commit(request, event)
    return event


@transaction.atomic
def request_redirect(*, actor, request: CitizenRequest, desk: RequestDesk, reason: str) -> RequestEvent:
    """Send the request to another institution, with the reason the citizen will read. It
    arrives there as received, unassigned, with that institution's deadline from now."""
    staff_check(actor, request)
    request = locked(request)
    reason = (reason or "").strip()
    if desk is None or desk.pk == request.desk_id or not desk.accepts_requests:
        raise Invalid(_("Choose another institution that takes requests."), field="desk")
    if not reason:
        raise Invalid(_("Say why the request goes to another institution."), field="reason")
    if request.stage in FINISHED:
        raise Invalid(
            _("A request that is “%(from)s” cannot be redirected.") % {"from": Stage(request.stage).label},
            field="desk",
        )
    now = timezone.now()
    from_desk = request.desk
    staff_log(actor, request, StaffAccessAction.REDIRECTED, desk.code)
    request.desk = desk
    request.stage = Stage.RECEIVED
    request.assignee = None
    request.waiting_since = None
    request.answer_draft = ""
    request.answer_drafted_by = None
    request.due_at = due_from(now, desk, request.kind)
    request.updated_at = now
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.REDIRECTED, at=now, actor=actor, stage=Stage.RECEIVED,
        text=reason, from_desk=from_desk, to_desk=desk,
    )
    changed_on_commit(request, event)
    return event


@transaction.atomic
def request_note(*, actor, request: CitizenRequest, text: str) -> RequestEvent:
    """An internal note: seen by the institution's staff, never by the citizen."""
    staff_check(actor, request)
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Write the note."), field="text")
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.NOTE, actor=actor, public=False, text=text
    )
    staff_log(actor, request, StaffAccessAction.NOTED)
    return event


@transaction.atomic
def answer_draft(*, actor, request: CitizenRequest, text: str) -> RequestEvent:
    """An officer drafts the answer; an approver (another person) sends it."""
    staff_check(actor, request)
    request = locked(request)
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Write the answer."), field="answer")
    if request.stage not in (Stage.ASSIGNED, Stage.IN_PROGRESS):
        raise Invalid(
            _("A request that is “%(from)s” cannot be answered.") % {"from": Stage(request.stage).label},
            field="answer",
        )
    request.answer_draft = text
    request.answer_drafted_by = actor
    request.updated_at = timezone.now()
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.ANSWER_DRAFTED, actor=actor, public=False, text=text
    )
    staff_log(actor, request, StaffAccessAction.DRAFTED)
    return event


def answer_send(*, actor, request: CitizenRequest) -> RequestEvent:
    """An approver sends the drafted answer: the request is answered. The institution signs it
    when it has a signing certificate (``signing.answer_sign``): if it has one and cannot sign,
    nothing is sent; the signed PDF written before a failure is removed."""
    document = None
    try:
        with transaction.atomic():
            role = staff_check(actor, request, Role.APPROVER)
            request = locked(request)
            if not request.answer_draft:
                raise Invalid(_("There is no drafted answer to send."), field="answer")
            if request.answer_drafted_by_id == actor.pk:
                raise Refused(_("Another approver sends the answer you drafted: an answer is checked by a second person."))
            move_check(actor, request, Stage.ANSWERED, role)
            document = answer_sign(request=request, actor=actor, text=request.answer_draft)
            now = timezone.now()
            request.answer = request.answer_draft
            request.answered_by = actor
            request.answered_at = now
            request.stage = Stage.ANSWERED
            request.updated_at = now
            request.save()
            event = RequestEvent.objects.create(
                request=request, kind=EventKind.ANSWER_SENT, at=now, actor=actor,
                stage=Stage.ANSWERED, text=request.answer, signed_document=document,
            )
            staff_log(actor, request, StaffAccessAction.SENT, "signed" if document else "")
            changed_on_commit(request, event)
    except BaseException:
        if document is not None:  # its row was rolled back: its PDF goes too
            document.pdf.delete(save=False)
        raise
    return event


def requests_overdue(*, now: datetime.datetime | None = None):
    """Requests whose clock runs and whose deadline has passed."""
    now = now or timezone.now()
    return CitizenRequest.objects.filter(
        stage__in=[Stage.RECEIVED, Stage.ASSIGNED, Stage.IN_PROGRESS], due_at__lt=now
    )
