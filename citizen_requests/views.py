"""The citizens' pages: filing a request, its receipt, following it by number and code, its
page and the forms on it, its attachments, and "My requests". Thin by rule: parse the form,
call one service, show its answer; a refusal is the service's translated message."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.ratelimits import client_ip
from citizen_requests import tracking
from citizen_requests.forms import UNKNOWN_DESK, ReopenForm, ReplyForm, RequestFileForm, TrackForm
from citizen_requests.models import CitizenRequest, RequestAttachment, StaffAccessAction
from citizen_requests.rules import staff_role
from citizen_requests.selectors import (
    citizen_access,
    desks_open,
    institution_titles,
    public_request_url,
    request_by_number,
    requests_of,
    session_unlock,
    similar_notices,
    verify_path,
)
from citizen_requests.services import (
    RateLimited,
    RequestError,
    desk_for_institution,
    request_citizen_reply,
    request_feedback,
    request_file,
    request_lookup,
    request_notify_set,
    request_publicity_ask,
    request_reopen,
    staff_view_record,
)
from citizen_requests.stages import FINISHED, PUBLIC_KINDS, EventKind, Kind, Stage
from cms.l10n import format_moment
from cms.models import InstitutionPage
from signatures.models import SignedDocument
from signatures.views import signed_pdf_response
from uploads.storage import private_file_response

MINE_PER_PAGE = 20


def _due_text(item: CitizenRequest) -> str:
    return format_moment(item.due_at, item.desk.institution.time_zone)


def _error_to_form(form, error: RequestError) -> None:
    """The service's refusal, on the field it names when the form shows that field."""
    field = error.field if error.field in form.fields and not form[error.field].is_hidden else None
    form.add_error(field, error.message)


# --- Filing -----------------------------------------------------------------------------------


def _preselected_desk(request, desks) -> str:
    """``?institution=<page id>`` (any translation of the institution's page)."""
    try:
        page = InstitutionPage.objects.filter(pk=int(request.GET.get("institution", ""))).first()
    except ValueError:
        return ""
    desk = desk_for_institution(page) if page is not None else None
    return str(desk.pk) if desk is not None and any(d.pk == desk.pk for d in desks) else ""


def _file_page(request, form, *, status: int = 200, similar=()):
    response = TemplateResponse(
        request,
        "citizen_requests/file.html",
        {"form": form, "anonymous": not request.user.is_authenticated, "similar": similar},
        status=status,
    )
    # This page alone may ask for the device's location ("use my location").
    response.headers["Permissions-Policy"] = settings.PERMISSIONS_POLICY.replace(
        "geolocation=()", "geolocation=(self)"
    )
    return response


def _file_from_form(request, form, desks):
    data = form.cleaned_data
    chosen = data["desk"]
    desk = None if chosen == UNKNOWN_DESK else next(d for d in desks if str(d.pk) == chosen)
    return request_file(
        author=request.user if request.user.is_authenticated else None,
        kind=data["kind"],
        desk=desk,
        subject=data["subject"],
        text=data["text"],
        language=get_language(),
        client_ip=client_ip(request),
        governorate=data["governorate"],
        municipality=data["municipality"],
        address=data["address"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        files=data["attachments"],
        notify=data.get("notify", False),
        public=data.get("public", False),
        idempotency_key=data["idempotency_key"],
    )


def _similar(request, form, desks) -> list:
    """Open public notices like the one about to be filed (FixMyStreet's lesson: most repeat
    reports are failure demand), unless the citizen has seen them and files theirs anyway."""
    data = form.cleaned_data
    seen = request.POST.get("file_anyway") == "on"  # the citizen saw them and files theirs
    if data["kind"] != Kind.NOTICE or seen or data["desk"] == UNKNOWN_DESK:
        return []
    desk = next(d for d in desks if str(d.pk) == data["desk"])
    found = similar_notices(
        desk=desk, subject=data["subject"], text=data["text"],
        latitude=data["latitude"], longitude=data["longitude"],
    )
    for notice in found:
        notice.public_url = public_request_url(notice)
    return [notice for notice in found if notice.public_url]


def file_request(request):
    """The site-wide "Submit a request" page; on success, the receipt (the secret code is
    shown once, so it is rendered here, not behind a redirect)."""
    desks = desks_open()
    anonymous = not request.user.is_authenticated
    if request.method != "POST":
        initial = {"desk": _preselected_desk(request, desks)}
        return _file_page(request, RequestFileForm(desks=desks, anonymous=anonymous, initial=initial))
    form = RequestFileForm(request.POST, request.FILES, desks=desks, anonymous=anonymous)
    if not form.is_valid():
        return _file_page(request, form, status=400)
    similar = _similar(request, form, desks)
    if similar:
        return _file_page(request, form, similar=similar)
    try:
        filed = _file_from_form(request, form, desks)
    except RequestError as error:
        _error_to_form(form, error)
        return _file_page(request, form, status=error.status)
    found = filed.request
    return TemplateResponse(
        request,
        "citizen_requests/receipt.html",
        {
            "filed": filed,
            "item": found,
            "institution_title": institution_titles([found.desk.institution])[found.desk.institution_id],
            "due": _due_text(found),
        },
    )


# --- Following --------------------------------------------------------------------------------


def track(request):
    """Tracking number and secret code: the request's page opens for this browser."""
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                found = request_lookup(
                    number=form.cleaned_data["number"],
                    code=form.cleaned_data["code"],
                    client_ip=client_ip(request),
                )
            except RequestError as error:
                form.add_error(None, error.message)
                status = 429 if isinstance(error, RateLimited) else 400
            else:
                session_unlock(request.session, found)
                return redirect("citizen_requests:detail", found.tracking_number)
    return TemplateResponse(request, "citizen_requests/track.html", {"form": form}, status=status)


def _followed(request, number: str) -> tuple[CitizenRequest, str]:
    """The request and how the reader follows it ("author" or "code"); 404 for anyone else."""
    found = request_by_number(tracking.normalize(number) or number)
    access = citizen_access(request.user, request.session, found) if found else None
    if access is None:
        raise Http404(_("No request matches this tracking number and secret code."))
    return found, access


def _timeline(found: CitizenRequest) -> list:
    events = list(
        found.events.filter(public=True)
        .select_related("from_desk__institution", "to_desk__institution", "signed_document__institution")
        .prefetch_related("attachments")
    )
    titles = institution_titles(
        [desk.institution for event in events for desk in (event.from_desk, event.to_desk) if desk]
        + [event.signed_document.institution for event in events if event.signed_document]
    )
    time_zone = found.desk.institution.time_zone
    for event in events:
        event.when = format_moment(event.at, time_zone)
        event.to_title = titles.get(event.to_desk.institution_id) if event.to_desk else ""
        if event.signed_document:
            event.signed_by = titles[event.signed_document.institution_id]
            event.signed_when = format_moment(event.signed_document.signed_at, time_zone)
            event.verify_url = verify_path(event.signed_document)
    return events


def detail(request, number: str):
    found, access = _followed(request, number)
    events = _timeline(found)
    question = next((e for e in reversed(events) if e.kind == EventKind.QUESTION), None)
    answered = next((e for e in reversed(events) if e.kind == EventKind.ANSWER_SENT), None)
    until = found.reopen_until()
    context = {
        "item": found,
        "access": access,
        "institution_title": institution_titles([found.desk.institution])[found.desk.institution_id],
        "events": events,
        "attachments": list(found.attachments.all()),
        "due": _due_text(found),
        "waiting": found.stage == Stage.WAITING,
        "question": question if found.stage == Stage.WAITING else None,
        "reply_form": ReplyForm() if found.stage not in FINISHED else None,
        "can_rate": found.stage == Stage.ANSWERED and found.useful is None,
        "reopen_form": ReopenForm()
        if until and timezone.now() <= until and found.stage in (Stage.ANSWERED, Stage.CLOSED)
        else None,
        "reopen_until": format_moment(until, found.desk.institution.time_zone) if until else "",
        "may_be_public": found.kind in PUBLIC_KINDS,
        "public_url": public_request_url(found),
        # The answer shown: the last one sent, signed or not (a reopened request is answered
        # again; each answer's PDF stays in the timeline).
        "answer_event": answered,
    }
    return TemplateResponse(request, "citizen_requests/detail.html", context)


def _act(request, number: str, action) -> object:
    """Run ``action(found, by_code)``, tell the outcome as a message, back to the page."""
    found, access = _followed(request, number)
    try:
        said = action(found, access == "code")
    except RequestError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, said)
    return redirect("citizen_requests:detail", found.tracking_number)


def _form_problem(form) -> str:
    return next(iter(error for errors in form.errors.values() for error in errors))


@require_POST
def reply(request, number: str):
    form = ReplyForm(request.POST, request.FILES)

    def action(found, by_code):
        if not form.is_valid():
            raise RequestError(_form_problem(form))
        request_citizen_reply(
            user=request.user, request=found, text=form.cleaned_data["text"],
            files=form.cleaned_data["attachments"], by_code=by_code,
        )
        return _("Your message was sent to the institution.")

    return _act(request, number, action)


@require_POST
def feedback(request, number: str):
    def action(found, by_code):
        if request.POST.get("useful") not in ("yes", "no"):
            raise RequestError(_("Say whether the answer was useful."))
        request_feedback(user=request.user, request=found, useful=request.POST["useful"] == "yes", by_code=by_code)
        return _("Thank you: your opinion of the answer was recorded.")

    return _act(request, number, action)


@require_POST
def reopen(request, number: str):
    form = ReopenForm(request.POST)

    def action(found, by_code):
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        request_reopen(user=request.user, request=found, reason=reason, by_code=by_code)
        return _("Your request was reopened: the institution will look at it again.")

    return _act(request, number, action)


@require_POST
def notify(request, number: str):
    def action(found, by_code):
        on = request.POST.get("notify") == "on"
        request_notify_set(user=request.user, request=found, notify=on)
        if on:
            return _("You will get an e-mail at each stage.")
        return _("You will get only the e-mails the law requires (the receipt, questions, redirection, the answer).")

    return _act(request, number, action)


@require_POST
def publicity(request, number: str):
    def action(found, by_code):
        public = request.POST.get("public") == "on"
        request_publicity_ask(user=request.user, request=found, public=public, by_code=by_code)
        if public:
            return _("Your request will be public once the institution has checked it.")
        return _("Your request is no longer public.")

    return _act(request, number, action)


def _citizen_or_staff(request, number: str):
    """The request and the citizen's access to it (None for its staff); 404 for anyone else,
    as for an unknown number."""
    found = request_by_number(number)
    if found is None:
        raise Http404
    access = citizen_access(request.user, request.session, found)
    if access is None and staff_role(request.user, found.desk) is None:
        raise Http404
    return found, access


def attachment(request, number: str, pk: int):
    """The file, to its author, a session that unlocked the request, or the staff of its desk
    (whose opening it is recorded); 404 for anyone else."""
    found, access = _citizen_or_staff(request, number)
    item = get_object_or_404(RequestAttachment, pk=pk, request=found)
    if access is None:
        staff_view_record(
            user=request.user, request=found, action=StaffAccessAction.VIEWED_ATTACHMENT, detail=item.name
        )
    return private_file_response(
        item.file.open("rb"), name=item.name, content_type=item.content_type
    )


def signed_answer(request, number: str, pk: int):
    """An answer's signed PDF, to those who may open the request's attachments (the staff's
    opening is recorded); 404 for anyone else."""
    found, access = _citizen_or_staff(request, number)
    document = get_object_or_404(SignedDocument, pk=pk, request_event__request=found)
    if access is None:
        staff_view_record(
            user=request.user, request=found, action=StaffAccessAction.VIEWED_SIGNED,
            detail=document.verification_code,
        )
    return signed_pdf_response(document)


@login_required
def mine(request):
    page = Paginator(requests_of(request.user), MINE_PER_PAGE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    titles = institution_titles(item.desk.institution for item in items)
    for item in items:
        item.institution_title = titles[item.desk.institution_id]
        item.due = _due_text(item)
    return TemplateResponse(
        request, "citizen_requests/mine.html", {"page_obj": page, "items": items}
    )
