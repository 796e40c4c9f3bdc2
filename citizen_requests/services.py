"""Business rules of citizen requests: filing, following, and moving a request through its
stages. Every way in (the forms, the JSON API, Open311, the admin) calls these functions;
they check who may act, validate, rate-limit and record, and change nothing when they refuse.
Errors carry a message translated for the person who caused them.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.governorates import Governorate
from accounts.ratelimits import rate_limit_hit
from citizen_requests import conf, tracking
from citizen_requests.attachments import attachments_store, uploads_check
from citizen_requests.notifications import request_changed
from citizen_requests.models import (
    CitizenRequest,
    Publicity,
    Support,
    RequestDesk,
    RequestEvent,
    StaffAccessAction,
    StaffAccessLog,
)
from citizen_requests.rules import is_author, staff_role
from citizen_requests.statistics import statistics_invalidate
from citizen_requests.stages import (
    ANONYMOUS_KINDS,
    FINISHED,
    PUBLIC_KINDS,
    EventKind,
    Kind,
    Role,
    Stage,
    may_move,
)
from citizen_requests.storage import attachment_storage


class RequestError(Exception):
    """A refusal with a message for the person who asked. Nothing was changed."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(RequestError):
    pass


class Refused(RequestError):
    code = "forbidden"
    status = 403


class NotFound(RequestError):
    code = "not_found"
    status = 404


class RateLimited(RequestError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _rate_limit(action: str, identities) -> None:
    exceeded = rate_limit_hit(action=action, identities=identities)
    if exceeded:
        raise RateLimited(
            _("Too many attempts. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, exceeded.retry_after // 60)},
            retry_after=exceeded.retry_after,
        )


# --- Desks ------------------------------------------------------------------------------------


def desk_triage() -> RequestDesk:
    desk = RequestDesk.objects.select_related("institution").filter(is_triage=True).first()
    if desk is None:
        raise Invalid(_("Choose the institution: no desk receives requests for unknown institutions."), field="desk")
    return desk


def desk_for_institution(institution) -> RequestDesk | None:
    """The desk of ``institution`` (any of its translations)."""
    return (
        RequestDesk.objects.select_related("institution")
        .filter(institution__translation_key=institution.translation_key)
        .first()
    )


def _due(start: datetime.datetime, desk: RequestDesk, kind: str) -> datetime.datetime:
    return start + datetime.timedelta(days=desk.deadline_days(kind))


# --- Filing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filed:
    request: CitizenRequest
    # The secret code, shown once (None when an earlier identical filing is returned).
    secret_code: str | None
    created: bool


def _text_check(subject: str, text: str) -> tuple[str, str]:
    subject, text = (subject or "").strip(), (text or "").strip()
    subject_max = conf.get("CITIZEN_REQUESTS_SUBJECT_MAX_LENGTH")
    text_max = conf.get("CITIZEN_REQUESTS_TEXT_MAX_LENGTH")
    if not subject:
        raise Invalid(_("Give your request a subject."), field="subject")
    if len(subject) > subject_max:
        raise Invalid(
            _("The subject is too long: at most %(max)d characters.") % {"max": subject_max},
            field="subject",
        )
    if not text:
        raise Invalid(_("Write your request."), field="text")
    if len(text) > text_max:
        raise Invalid(
            _("The text is too long: at most %(max)d characters.") % {"max": text_max},
            field="text",
        )
    return subject, text


def _place_check(latitude, longitude) -> None:
    if (latitude is None) != (longitude is None):
        raise Invalid(_("Give both the latitude and the longitude, or neither."), field="latitude")
    if latitude is not None and not (-90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180):
        raise Invalid(_("These coordinates are not on Earth."), field="latitude")


def request_file(
    *,
    author,
    kind: str,
    desk: RequestDesk | None,
    subject: str,
    text: str,
    language: str,
    client_ip: str = "",
    governorate: str = "",
    municipality: str = "",
    address: str = "",
    latitude=None,
    longitude=None,
    files=(),
    notify: bool = True,
    public: bool = False,
    idempotency_key: uuid.UUID | None = None,
    account_rates: list[str] | None = None,
) -> Filed:
    """File a request: its tracking number and secret code, the first line of its timeline,
    its attachments, and the receipt e-mailed to an author who has an account.

    ``author`` is None only for a kind filed anonymously (corruption reports): then nothing
    identifying is stored, and the client address is used for the rate limit only.
    ``desk`` None sends it to the triage desk. ``public``: the author asks for a suggestion or
    a notice to be published (once moderated). ``account_rates``: the filing limits of the
    account, if not a citizen's (an Open311 client's back office). Refusals raise ``RequestError``.
    """
    if author is not None and not author.is_authenticated:
        author = None
    desk, subject, text, uploads = _filing_checked(
        author=author, kind=kind, desk=desk, public=public, subject=subject, text=text,
        governorate=governorate, latitude=latitude, longitude=longitude, files=files,
    )
    earlier = _earlier_filing(author, idempotency_key)
    if earlier is not None:
        return earlier
    _rate_limit(
        "request_file",
        {
            "account": (
                str(author.pk) if author else "",
                account_rates or conf.get("CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT"),
            ),
            "ip": (client_ip, conf.get("CITIZEN_REQUESTS_FILE_RATE_PER_IP")),
        },
    )
    code = tracking.secret_code_new()
    fields = {
        "kind": kind, "desk": desk, "author": author, "language": language,
        "subject": subject, "text": text, "governorate": governorate or "",
        "municipality": (municipality or "").strip()[:100], "address": (address or "").strip()[:300],
        "latitude": latitude, "longitude": longitude,
        "notify": bool(notify) and author is not None,
        "publicity": Publicity.PENDING if public else Publicity.PRIVATE,
        "idempotency_key": idempotency_key if author is not None else None,
    }
    try:
        request = _filing_store(fields=fields, code=code, uploads=uploads)
    except IntegrityError:
        earlier = _earlier_filing(author, idempotency_key)  # the same form sent twice at once
        if earlier is not None:
            return earlier
        raise
    return Filed(request=request, secret_code=code, created=True)


def _filing_checked(*, author, kind, desk, public, subject, text, governorate, latitude, longitude, files):
    """What filing refuses, in the order a citizen fixes it; (desk, subject, text, uploads)."""
    if kind not in Kind.values:
        raise Invalid(_("Choose what kind of request this is."), field="kind")
    if author is None and kind not in ANONYMOUS_KINDS:
        raise Refused(_("Sign in to file this kind of request (corruption reports can be anonymous)."))
    if public and kind not in PUBLIC_KINDS:
        raise Invalid(_("Only suggestions and notices can be made public."), field="public")
    if desk is None:
        desk = desk_triage()
    if not desk.accepts_requests:
        raise Invalid(_("This institution does not take requests here."), field="desk")
    subject, text = _text_check(subject, text)
    if governorate and governorate not in Governorate.values:
        raise Invalid(_("Choose a governorate from the list."), field="governorate")
    _place_check(latitude, longitude)
    uploads, problem = uploads_check(files)
    if problem:
        raise Invalid(problem, field="attachments")
    return desk, subject, text, uploads


def _earlier_filing(author, idempotency_key) -> Filed | None:
    """The request this account already filed with this key (a double click, a retry)."""
    if author is None or idempotency_key is None:
        return None
    earlier = CitizenRequest.objects.filter(author=author, idempotency_key=idempotency_key).first()
    return Filed(request=earlier, secret_code=None, created=False) if earlier else None


def _filing_store(*, fields: dict, code: str, uploads) -> CitizenRequest:
    """The request, the first line of its timeline and its files, in one transaction; the
    files written are removed if it fails."""
    now = timezone.now()
    written: list[str] = []
    try:
        with transaction.atomic():
            number = _unused_number(fields["desk"], now)
            request = CitizenRequest.objects.create(
                tracking_number=number,
                secret_digest=tracking.secret_code_digest(number=number, code=code),
                created_at=now,
                updated_at=now,
                due_at=_due(now, fields["desk"], fields["kind"]),
                **fields,
            )
            event = RequestEvent.objects.create(
                request=request, kind=EventKind.FILED, at=now, stage=Stage.RECEIVED,
                actor=fields["author"], by_citizen=True,
            )
            written = attachments_store(request=request, uploads=uploads, event=event)
            _changed(request, event)
    except BaseException:
        _remove(written)
        raise
    return request


def _unused_number(desk: RequestDesk, now: datetime.datetime) -> str:
    for _attempt in range(10):
        number = tracking.tracking_number_new(prefix=desk.code, year=now.year)
        if not CitizenRequest.objects.filter(tracking_number=number).exists():
            return number
    raise RuntimeError("No unused tracking number after 10 draws")  # 1 in 10^100: a bug


def _remove(names: list[str]) -> None:
    storage = attachment_storage()
    for name in names:
        storage.delete(name)


def _changed(request: CitizenRequest, event: RequestEvent) -> None:
    """After the transaction commits: the citizen's e-mail for the change and the live
    update of the open pages (``citizen_requests.notifications``), and the public statistics
    counted again by their next reader (``statistics``)."""
    transaction.on_commit(lambda: request_changed(request_id=request.pk, event_id=event.pk))
    transaction.on_commit(statistics_invalidate, robust=True)


# --- Following --------------------------------------------------------------------------------


def request_lookup(*, number: str, code: str, client_ip: str) -> CitizenRequest:
    """The request ``number`` and ``code`` name together; else ``NotFound``, whichever part
    was wrong (no hint), and the attempt counts towards the look-up limits."""
    normalized = tracking.normalize(number)
    _rate_limit(
        "request_lookup",
        {
            "ip": (client_ip, conf.get("CITIZEN_REQUESTS_LOOKUP_RATE_PER_IP")),
            "number": (normalized or (number or "")[:40], conf.get("CITIZEN_REQUESTS_LOOKUP_RATE_PER_NUMBER")),
        },
    )
    request = (
        CitizenRequest.objects.select_related("desk__institution").filter(tracking_number=normalized).first()
        if normalized
        else None
    )
    if request is None or not tracking.secret_code_matches(
        number=request.tracking_number, code=code, digest=request.secret_digest
    ):
        raise NotFound(_("No request matches this tracking number and secret code."))
    return request


def citizen_may_act(*, user, request: CitizenRequest, by_code: bool = False) -> bool:
    """The filer's account, or whoever gave the number and code (``by_code``)."""
    return by_code or is_author(user, request)


def _locked(request: CitizenRequest) -> CitizenRequest:
    return CitizenRequest.objects.select_for_update().select_related("desk__institution").get(pk=request.pk)


def _citizen_check(user, request: CitizenRequest, by_code: bool) -> None:
    if not citizen_may_act(user=user, request=request, by_code=by_code):
        raise NotFound(_("No request matches this tracking number and secret code."))


def request_citizen_reply(*, user, request: CitizenRequest, text: str, files=(), by_code: bool = False) -> RequestEvent:
    """The citizen answers the officer's question (the clock starts again) or adds
    information to a request not yet finished."""
    _citizen_check(user, request, by_code)
    text = (text or "").strip()
    text_max = conf.get("CITIZEN_REQUESTS_TEXT_MAX_LENGTH")
    if not text:
        raise Invalid(_("Write your reply."), field="text")
    if len(text) > text_max:
        raise Invalid(
            _("The text is too long: at most %(max)d characters.") % {"max": text_max}, field="text"
        )
    uploads, problem = uploads_check(files)
    if problem:
        raise Invalid(problem, field="attachments")
    written: list[str] = []
    try:
        with transaction.atomic():
            request = _locked(request)
            if request.stage in FINISHED:
                raise Invalid(_("This request is finished: it takes no more information."))
            now = timezone.now()
            waiting = request.stage == Stage.WAITING
            if waiting:
                _resume(request, now)
            request.updated_at = now
            request.save()
            event = RequestEvent.objects.create(
                request=request,
                kind=EventKind.CITIZEN_REPLY if waiting else EventKind.INFORMATION,
                at=now,
                text=text,
                by_citizen=True,
                actor=user if is_author(user, request) else None,
                stage=request.stage if waiting else "",
            )
            written = attachments_store(request=request, uploads=uploads, event=event)
            _changed(request, event)
    except BaseException:
        _remove(written)
        raise
    return event


def _resume(request: CitizenRequest, now: datetime.datetime) -> None:
    """Leave the waiting stage: the deadline moves back by the time spent waiting."""
    if request.waiting_since is not None:
        request.due_at += now - request.waiting_since
    request.waiting_since = None
    request.stage = Stage.IN_PROGRESS


@transaction.atomic
def request_feedback(*, user, request: CitizenRequest, useful: bool, by_code: bool = False) -> RequestEvent:
    """After an answer, the citizen says whether it was useful; the request is closed."""
    _citizen_check(user, request, by_code)
    request = _locked(request)
    if request.stage != Stage.ANSWERED:
        raise Invalid(_("You can rate the answer once it has been sent, and only once."))
    now = timezone.now()
    request.useful = bool(useful)
    request.stage = Stage.CLOSED
    request.updated_at = now
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.FEEDBACK, at=now, by_citizen=True, stage=Stage.CLOSED,
        text=_("Useful") if useful else _("Not useful"),
    )
    _changed(request, event)
    return event


@transaction.atomic
def request_reopen(*, user, request: CitizenRequest, reason: str, by_code: bool = False) -> RequestEvent:
    """The citizen reopens an answered request, once, within the set period."""
    _citizen_check(user, request, by_code)
    request = _locked(request)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the answer does not settle your request."), field="text")
    until = request.reopen_until()
    now = timezone.now()
    if request.stage not in (Stage.ANSWERED, Stage.CLOSED) or until is None or now > until:
        raise Invalid(_("This request can no longer be reopened: it can be reopened once, within %(days)d days of its answer.") % {"days": conf.get("CITIZEN_REQUESTS_REOPEN_DAYS")})
    request.stage = Stage.IN_PROGRESS
    request.reopened = True
    request.due_at = _due(now, request.desk, request.kind)
    request.updated_at = now
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.REOPENED, at=now, by_citizen=True, stage=Stage.IN_PROGRESS, text=reason,
    )
    _changed(request, event)
    return event


def request_notify_set(*, user, request: CitizenRequest, notify: bool) -> CitizenRequest:
    """The author turns on or off the e-mails they may decline (the required ones are always
    sent). Only an account has an address to write to."""
    if not is_author(user, request):
        raise NotFound(_("No request matches this tracking number and secret code."))
    CitizenRequest.objects.filter(pk=request.pk).update(notify=bool(notify))
    request.notify = bool(notify)
    return request


# --- Staff ------------------------------------------------------------------------------------


def _staff(actor, request: CitizenRequest, role: str = Role.OFFICER) -> str:
    """The actor's role at the request's desk; ``NotFound`` if they have none there (another
    institution's request is not theirs to know of), ``Refused`` if it is not enough."""
    found = staff_role(actor, request.desk)
    if found is None:
        raise NotFound(_("This request does not exist or is not one of your institution's."))
    if role == Role.APPROVER and found != Role.APPROVER:
        raise Refused(_("Only an approver of the institution can do this."))
    return found


def _log(actor, request: CitizenRequest, action: str, detail: str = "") -> None:
    StaffAccessLog.objects.create(
        request=request, desk_id=request.desk_id, user=actor, action=action, detail=detail[:200]
    )


def staff_view_record(*, user, request: CitizenRequest, action: str = StaffAccessAction.VIEWED, detail: str = "") -> None:
    """Record that a staff member saw the request's personal data (its page, an attachment)."""
    _staff(user, request)
    _log(user, request, action, detail)


def _move(actor, request: CitizenRequest, to_stage: str, role: str) -> None:
    if not may_move(from_stage=request.stage, to_stage=to_stage, role=role):
        raise Invalid(
            _("A request that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Stage(request.stage).label, "to": Stage(to_stage).label},
            field="stage",
        )


@transaction.atomic
def request_assign(*, actor, request: CitizenRequest, assignee) -> RequestEvent:
    """Give the request to ``assignee`` (the actor, or a colleague of the same institution)."""
    role = _staff(actor, request)
    request = _locked(request)
    if assignee is None or staff_role(assignee, request.desk) is None:
        raise Invalid(_("Assign the request to an officer or approver of this institution."), field="assignee")
    if request.stage in (Stage.RECEIVED, Stage.ASSIGNED, Stage.IN_PROGRESS):
        _move(actor, request, Stage.ASSIGNED, role)
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
    _log(actor, request, StaffAccessAction.ASSIGNED, assignee.get_username())
    _changed(request, event)
    return event


@transaction.atomic
def request_move(*, actor, request: CitizenRequest, stage: str, reason: str = "") -> RequestEvent:
    """Move the request to ``stage`` (in progress, out of scope with a reason, closed)."""
    role = _staff(actor, request)
    request = _locked(request)
    if stage not in Stage.values:
        raise Invalid(_("Choose a stage."), field="stage")
    if stage in (Stage.WAITING, Stage.ANSWERED, Stage.ASSIGNED):
        # Each has its own action: a question, an answer sent, an assignee.
        raise Invalid(
            _("A request becomes “%(to)s” through its own action.") % {"to": Stage(stage).label},
            field="stage",
        )
    _move(actor, request, stage, role)
    reason = (reason or "").strip()
    if stage == Stage.OUT_OF_SCOPE and not reason:
        raise Invalid(_("Say why the request is out of scope."), field="reason")
    now = timezone.now()
    if request.stage == Stage.WAITING:
        _resume(request, now)
    request.stage = stage
    request.updated_at = now
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.STAGE, at=now, actor=actor, stage=stage, text=reason
    )
    _log(actor, request, StaffAccessAction.MOVED, stage)
    _changed(request, event)
    return event


@transaction.atomic
def request_ask(*, actor, request: CitizenRequest, question: str) -> RequestEvent:
    """Ask the citizen for information: the request waits for them, and its clock pauses."""
    role = _staff(actor, request)
    request = _locked(request)
    question = (question or "").strip()
    if not question:
        raise Invalid(_("Write the question."), field="question")
    _move(actor, request, Stage.WAITING, role)
    now = timezone.now()
    request.stage = Stage.WAITING
    request.waiting_since = now
    request.updated_at = now
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.QUESTION, at=now, actor=actor, stage=Stage.WAITING, text=question
    )
    _log(actor, request, StaffAccessAction.ASKED)
    _changed(request, event)
    return event


@transaction.atomic
def request_redirect(*, actor, request: CitizenRequest, desk: RequestDesk, reason: str) -> RequestEvent:
    """Send the request to another institution, with the reason the citizen will read. It
    arrives there as received, unassigned, with that institution's deadline from now."""
    _staff(actor, request)
    request = _locked(request)
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
    _log(actor, request, StaffAccessAction.REDIRECTED, desk.code)
    request.desk = desk
    request.stage = Stage.RECEIVED
    request.assignee = None
    request.waiting_since = None
    request.answer_draft = ""
    request.answer_drafted_by = None
    request.due_at = _due(now, desk, request.kind)
    request.updated_at = now
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.REDIRECTED, at=now, actor=actor, stage=Stage.RECEIVED,
        text=reason, from_desk=from_desk, to_desk=desk,
    )
    _changed(request, event)
    return event


@transaction.atomic
def request_note(*, actor, request: CitizenRequest, text: str) -> RequestEvent:
    """An internal note: seen by the institution's staff, never by the citizen."""
    _staff(actor, request)
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Write the note."), field="text")
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.NOTE, actor=actor, public=False, text=text
    )
    _log(actor, request, StaffAccessAction.NOTED)
    return event


@transaction.atomic
def answer_draft(*, actor, request: CitizenRequest, text: str) -> RequestEvent:
    """An officer drafts the answer; an approver (another person) sends it."""
    _staff(actor, request)
    request = _locked(request)
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
    _log(actor, request, StaffAccessAction.DRAFTED)
    return event


@transaction.atomic
def answer_send(*, actor, request: CitizenRequest) -> RequestEvent:
    """An approver sends the drafted answer: the request is answered."""
    role = _staff(actor, request, Role.APPROVER)
    request = _locked(request)
    if not request.answer_draft:
        raise Invalid(_("There is no drafted answer to send."), field="answer")
    if request.answer_drafted_by_id == actor.pk:
        raise Refused(_("Another approver sends the answer you drafted: an answer is checked by a second person."))
    _move(actor, request, Stage.ANSWERED, role)
    now = timezone.now()
    request.answer = request.answer_draft
    request.answered_by = actor
    request.answered_at = now
    request.stage = Stage.ANSWERED
    request.updated_at = now
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.ANSWER_SENT, at=now, actor=actor, stage=Stage.ANSWERED, text=request.answer
    )
    _log(actor, request, StaffAccessAction.SENT)
    _changed(request, event)
    return event


# --- Publication ----------------------------------------------------------------------------


@transaction.atomic
def request_publicity_ask(*, user, request: CitizenRequest, public: bool, by_code: bool = False) -> None:
    """The author asks for their suggestion or notice to be published (it waits for
    moderation), or withdraws it from publication at any time."""
    _citizen_check(user, request, by_code)
    request = _locked(request)
    if public and request.kind not in PUBLIC_KINDS:
        raise Invalid(_("Only suggestions and notices can be made public."), field="public")
    if public and request.publicity == Publicity.PRIVATE:
        request.publicity = Publicity.PENDING
    elif not public:
        request.publicity = Publicity.PRIVATE
    else:
        return
    request.save(update_fields=["publicity"])


@transaction.atomic
def request_publication_moderate(*, actor, request: CitizenRequest, publish: bool, reason: str = "") -> RequestEvent:
    """Staff of the institution publish a suggestion or notice its author asked to make
    public, or refuse to (with a reason the author reads)."""
    _staff(actor, request)
    request = _locked(request)
    if request.publicity != Publicity.PENDING:
        raise Invalid(_("This request is not waiting for publication."))
    reason = (reason or "").strip()
    if not publish and not reason:
        raise Invalid(_("Say why the request is not published."), field="reason")
    request.publicity = Publicity.PUBLIC if publish else Publicity.REFUSED
    request.save(update_fields=["publicity"])
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.PUBLICATION, actor=actor,
        text="" if publish else reason,
    )
    _log(actor, request, StaffAccessAction.MODERATED, request.publicity)
    _changed(request, event)
    return event


def request_support(*, user, request: CitizenRequest) -> int:
    """One account supports a public suggestion or notice (once; not its own author).
    Returns the new count."""
    if not getattr(user, "is_authenticated", False):
        raise Refused(_("Sign in to support a request."))
    if request.publicity != Publicity.PUBLIC or request.kind not in PUBLIC_KINDS:
        raise NotFound(_("This request is not public."))
    if is_author(user, request):
        raise Invalid(_("You filed this request: your support is already counted."))
    try:
        with transaction.atomic():
            Support.objects.create(request=request, user=user)
            CitizenRequest.objects.filter(pk=request.pk).update(supporters_count=F("supporters_count") + 1)
    except IntegrityError:
        raise Invalid(_("You already support this request.")) from None
    return CitizenRequest.objects.values_list("supporters_count", flat=True).get(pk=request.pk)


def requests_overdue(*, now: datetime.datetime | None = None):
    """Requests whose clock runs and whose deadline has passed."""
    now = now or timezone.now()
    return CitizenRequest.objects.filter(
        stage__in=[Stage.RECEIVED, Stage.ASSIGNED, Stage.IN_PROGRESS], due_at__lt=now
    )

