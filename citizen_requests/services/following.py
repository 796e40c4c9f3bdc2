"""What the citizen does with a filed request: look it up, reply, rate the answer, reopen it, choose e-mails."""


from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citizen_requests import conf, tracking
from citizen_requests.attachments import attachments_store, uploads_check
from citizen_requests.models import (
    CitizenRequest,
    RequestEvent,
)
from citizen_requests.rules import is_author
from citizen_requests.services.common import changed_on_commit, due_from, locked, waiting_end
from citizen_requests.services.errors import Invalid, NotFound, rate_limit
from citizen_requests.services.filing import stored_remove
from citizen_requests.stages import (
    FINISHED,
    EventKind,
    Stage,
)


def request_lookup(*, number: str, code: str, client_ip: str) -> CitizenRequest:
    """The request ``number`` and ``code`` name together; else ``NotFound``, whichever part
    was wrong (no hint), and the attempt counts towards the look-up limits."""
    normalized = tracking.normalize(number)
    rate_limit(
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


def citizen_check(user, request: CitizenRequest, by_code: bool) -> None:
    if not citizen_may_act(user=user, request=request, by_code=by_code):
        raise NotFound(_("No request matches this tracking number and secret code."))


def request_citizen_reply(*, user, request: CitizenRequest, text: str, files=(), by_code: bool = False) -> RequestEvent:
    """The citizen answers the officer's question (the clock starts again) or adds
    information to a request not yet finished."""
    citizen_check(user, request, by_code)
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
            request = locked(request)
            if request.stage in FINISHED:
                raise Invalid(_("This request is finished: it takes no more information."))
            now = timezone.now()
            waiting = request.stage == Stage.WAITING
            if waiting:
                waiting_end(request, now)
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
            changed_on_commit(request, event)
    except BaseException:
        stored_remove(written)
        raise
    return event


@transaction.atomic
def request_feedback(*, user, request: CitizenRequest, useful: bool, by_code: bool = False) -> RequestEvent:
    """After an answer, the citizen says whether it was useful; the request is closed."""
    citizen_check(user, request, by_code)
    request = locked(request)
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
    changed_on_commit(request, event)
    return event


@transaction.atomic
def request_reopen(*, user, request: CitizenRequest, reason: str, by_code: bool = False) -> RequestEvent:
    """The citizen reopens an answered request, once, within the set period."""
    citizen_check(user, request, by_code)
    request = locked(request)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the answer does not settle your request."), field="text")
    until = request.reopen_until()
    now = timezone.now()
    if request.stage not in (Stage.ANSWERED, Stage.CLOSED) or until is None or now > until:
        days = conf.get("CITIZEN_REQUESTS_REOPEN_DAYS")
        raise Invalid(
            ngettext(
                "This request can no longer be reopened: it can be reopened once, within %(days)d day of its answer.",
                "This request can no longer be reopened: it can be reopened once, within %(days)d days of its answer.",
                days,
            )
            % {"days": days}
        )
    request.stage = Stage.IN_PROGRESS
    request.reopened = True
    request.due_at = due_from(now, request.desk, request.kind)
    request.updated_at = now
    request.save()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.REOPENED, at=now, by_citizen=True, stage=Stage.IN_PROGRESS, text=reason,
    )
    changed_on_commit(request, event)
    return event


def request_notify_set(*, user, request: CitizenRequest, notify: bool) -> CitizenRequest:
    """The author turns on or off the e-mails they may decline (the required ones are always
    sent). Only an account has an address to write to."""
    if not is_author(user, request):
        raise NotFound(_("No request matches this tracking number and secret code."))
    CitizenRequest.objects.filter(pk=request.pk).update(notify=bool(notify))
    request.notify = bool(notify)
    return request
