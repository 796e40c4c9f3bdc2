"""The requests queue, a request's page, its attachments and the desks' staff logs in the
Wagtail admin.

Thin by rule: each view finds the request among the user's desks (another institution's
request is a 404, before anything is read or written), parses one form and calls one service,
which decides and changes nothing when it refuses; the refusal is shown as a message on the
page the user came from.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin

from accounts.names import name_html
from citizen_requests.admin_forms import (
    STAGE_FILTERS,
    AskForm,
    AssignForm,
    DraftForm,
    MoveForm,
    NoteForm,
    PublishForm,
    QueueFilterForm,
    RedirectForm,
)
from citizen_requests.models import (
    CitizenRequest,
    Publicity,
    RequestDesk,
    StaffAccessAction,
    StaffAccessLog,
)
from citizen_requests.roles import desk_staff
from citizen_requests.rules import staff_desks, staff_role
from citizen_requests.selectors import STAGE_ALL, STAGE_OPEN, staff_queue, staff_queue_counts
from citizen_requests.services import (
    NotFound,
    RequestError,
    answer_draft,
    answer_send,
    request_ask,
    request_assign,
    request_move,
    request_note,
    request_publication_moderate,
    request_redirect,
    staff_view_record,
)
from citizen_requests.stages import FINISHED, EventKind, Role, Stage, may_move
from citizen_requests.storage import attachment_storage
from signatures.models import SignedDocument
from signatures.selectors import active_certificate
from signatures.views import signed_pdf_response
from uploads.storage import private_file_response

QUEUE_URL_NAME = "citizen_requests_admin_queue"
DETAIL_URL_NAME = "citizen_requests_admin_detail"
# The moves offered on a request's page; the others have their own action.
MOVES = (Stage.IN_PROGRESS, Stage.OUT_OF_SCOPE, Stage.CLOSED)


def staff_required(user) -> list[RequestDesk]:
    desks = staff_desks(user)
    if not desks:
        raise PermissionDenied
    return desks


def staff_request(user, tracking_number: str) -> tuple[CitizenRequest, str]:
    """The request and the user's role at its desk; 404 if it is not one of their desks'."""
    found = (
        CitizenRequest.objects.select_related("desk__institution", "author", "assignee", "answer_drafted_by")
        .filter(tracking_number=tracking_number)
        .first()
    )
    role = staff_role(user, found.desk) if found is not None else None
    if role is None:
        raise Http404(_("This request does not exist or is not one of your institution's."))
    return found, role


# --- The queue --------------------------------------------------------------------------------


class RequestQueueView(BaseListingView):
    """The requests of the user's desks, filtered, with the counts per stage."""

    template_name = "citizen_requests/admin/queue.html"
    page_title = gettext_lazy("Requests")
    header_icon = "mail"
    paginate_by = 50
    index_url_name = QUEUE_URL_NAME

    def dispatch(self, request, *args, **kwargs):
        self.desks = staff_required(request.user)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def filter_form(self) -> QueueFilterForm:
        return QueueFilterForm(self.request.GET, desks=self.desks)

    def get_queryset(self):
        if not self.filter_form.is_valid():
            return CitizenRequest.objects.none()
        return staff_queue(user=self.request.user, filters=self.filter_form.filters())

    def _tabs(self) -> tuple[list[dict], int]:
        if not self.filter_form.is_valid():
            return [], 0
        counts = staff_queue_counts(user=self.request.user, filters=self.filter_form.filters())
        current = self.filter_form.current_stage
        tabs = [
            {"value": value, "label": label, "active": value == current, "count": counts[value]}
            for value, label in STAGE_FILTERS
        ]
        return tabs, counts["overdue"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tabs, overdue = self._tabs()
        context.update(
            filter_form=self.filter_form,
            tabs=tabs,
            overdue_count=overdue,
            stage=self.filter_form.current_stage,
            log_desks=[desk for desk in self.desks if staff_role(self.request.user, desk) == Role.APPROVER],
            stage_open=STAGE_OPEN,
            stage_all=STAGE_ALL,
        )
        return context


# --- One request ------------------------------------------------------------------------------


def _colleagues(request_: CitizenRequest, user):
    staff = desk_staff(desk=request_.desk).values("pk")
    return get_user_model().objects.filter(Q(pk__in=staff) | Q(pk=user.pk)).order_by("display_name", "pk")


def _form(action: str, request_: CitizenRequest, user, data=None):
    if action == "assign":
        form = AssignForm(data, colleagues=_colleagues(request_, user), initial={"assignee": user.pk})
        form.fields["assignee"].me = user
        return form
    if action == "move":
        offered = [stage for stage in MOVES if _may(request_, stage, staff_role(user, request_.desk))]
        return MoveForm(data, offered=offered)
    if action == "redirect":
        return RedirectForm(data, exclude=request_.desk)
    if action == "draft":
        return DraftForm(data, initial={"answer": request_.answer_draft})
    return {"ask": AskForm, "note": NoteForm, "publish": PublishForm}[action](data)


def _may(request_: CitizenRequest, stage: str, role: str) -> bool:
    return may_move(from_stage=request_.stage, to_stage=stage, role=role)


def _offered(request_: CitizenRequest, user, role: str) -> dict[str, bool]:
    """The actions worth offering on the page (the services check them all again)."""
    working = request_.stage in (Stage.ASSIGNED, Stage.IN_PROGRESS)
    return {
        "assign": request_.stage in (Stage.RECEIVED, Stage.ASSIGNED, Stage.IN_PROGRESS),
        "move": any(_may(request_, stage, role) for stage in MOVES),
        "ask": _may(request_, Stage.WAITING, role),
        "redirect": request_.stage not in FINISHED,
        "note": True,
        "publish": request_.publicity == Publicity.PENDING,
        "draft": working,
        "send": bool(
            role == Role.APPROVER
            and working
            and request_.answer_draft
            and request_.answer_drafted_by_id != user.pk
        ),
    }


class RequestDetailView(WagtailAdminTemplateMixin, TemplateView):
    """Everything about one request, its personal data included (each view is logged), and
    the forms of what the user may do with it."""

    template_name = "citizen_requests/admin/detail.html"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.object, self.role = staff_request(request.user, kwargs["tracking_number"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        staff_view_record(user=request.user, request=self.object)
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("Request %(number)s") % {"number": self.object.tracking_number}

    def get_page_subtitle(self):
        return self.object.subject

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(QUEUE_URL_NAME), "label": _("Requests")},
            {"url": "", "label": self.object.tracking_number},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request_, user = self.object, self.request.user
        offered = _offered(request_, user, self.role)
        forms = {action: _form(action, request_, user) for action, shown in offered.items() if shown and action != "send"}
        events = list(
            request_.events.select_related(
                "actor", "from_desk__institution", "to_desk__institution", "signed_document__institution"
            ).prefetch_related("attachments")
        )
        context.update(
            item=request_,
            # The last answer sent, and whether sending now would sign it.
            answer_event=next((e for e in reversed(events) if e.kind == EventKind.ANSWER_SENT), None),
            signs=offered["send"] and active_certificate(request_.desk.institution) is not None,
            role=self.role,
            offered=offered,
            forms=forms,
            events=events,
            attachments=request_.attachments.all(),
            is_approver=self.role == Role.APPROVER,
        )
        return context


SUCCESS = {
    "assign": gettext_lazy("The request is assigned."),
    "move": gettext_lazy("The request's stage is changed."),
    "ask": gettext_lazy("The question is sent to the citizen; the deadline is paused."),
    "redirect": gettext_lazy("The request is sent to the other institution."),
    "note": gettext_lazy("The note is added."),
    "draft": gettext_lazy("The answer is drafted; an approver can send it."),
    "send": gettext_lazy("The answer is sent to the citizen."),
    "publish": gettext_lazy("The publication is decided; the citizen is told."),
}


def _perform(action: str, user, request_: CitizenRequest, data: dict) -> str | None:
    """Call the action's service; returns what to say if not the action's usual message."""
    if action == "assign":
        request_assign(actor=user, request=request_, assignee=data["assignee"])
    elif action == "move":
        request_move(actor=user, request=request_, stage=data["stage"], reason=data["reason"])
    elif action == "ask":
        request_ask(actor=user, request=request_, question=data["question"])
    elif action == "redirect":
        request_redirect(actor=user, request=request_, desk=data["desk"], reason=data["reason"])
    elif action == "note":
        request_note(actor=user, request=request_, text=data["text"])
    elif action == "draft":
        answer_draft(actor=user, request=request_, text=data["answer"])
    elif action == "send":
        event = answer_send(actor=user, request=request_)
        if event.signed_document_id:
            return _("The answer is signed by the institution and sent to the citizen.")
    elif action == "publish":
        request_publication_moderate(
            actor=user, request=request_, publish=data["publish"], reason=data["reason"]
        )
    return None


def _form_invalid(request, form) -> None:
    problems = [
        f"{form[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    ]
    messages.error(request, _("Nothing was changed. %(problems)s") % {"problems": " ".join(problems)})


@require_POST
def request_act(request, tracking_number: str, action: str):
    """One action on a request: parse its form, call its service, say what happened."""
    if action not in SUCCESS:
        raise Http404
    request_, _role = staff_request(request.user, tracking_number)
    back = redirect(DETAIL_URL_NAME, tracking_number)
    data = {}
    if action != "send":
        form = _form(action, request_, request.user, request.POST)
        if not form.is_valid():
            _form_invalid(request, form)
            return back
        data = form.cleaned_data
    try:
        said = _perform(action, request.user, request_, data)
    except RequestError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, said or str(SUCCESS[action]))
    if action == "redirect" and staff_role(request.user, data["desk"]) is None:
        # The request has left the user's desks: its page is no longer theirs.
        request_.refresh_from_db(fields=["desk"])
        if request_.desk_id == data["desk"].pk:
            return redirect(QUEUE_URL_NAME)
    return back


def attachment_download(request, tracking_number: str, pk: int):
    """An attachment of a request of the user's desks, streamed; the view is logged."""
    request_, _role = staff_request(request.user, tracking_number)
    attachment = get_object_or_404(request_.attachments, pk=pk)
    try:
        staff_view_record(
            user=request.user, request=request_, action=StaffAccessAction.VIEWED_ATTACHMENT, detail=attachment.name
        )
    except NotFound as error:
        raise Http404(error.message) from error
    return private_file_response(
        attachment_storage().open(attachment.file.name, "rb"),
        name=attachment.name,
        content_type=attachment.content_type,
    )


def signed_answer_download(request, tracking_number: str, pk: int):
    """An answer's signed PDF, of a request of the user's desks; the opening is logged."""
    request_, _role = staff_request(request.user, tracking_number)
    document = get_object_or_404(SignedDocument, pk=pk, request_event__request=request_)
    try:
        staff_view_record(
            user=request.user, request=request_, action=StaffAccessAction.VIEWED_SIGNED,
            detail=document.verification_code,
        )
    except NotFound as error:
        raise Http404(error.message) from error
    return signed_pdf_response(document)


# --- The staff log ----------------------------------------------------------------------------


def _log_actor(entry: StaffAccessLog):
    return name_html(entry.user.display_name or entry.user.get_username()) if entry.user else _("Deleted account")


class StaffLogView(BaseListingView):
    """A desk's append-only log of what its staff did and saw, for its approvers."""

    page_title = gettext_lazy("Staff log")
    header_icon = "history"
    paginate_by = 50
    verbose_name = gettext_lazy("log entry")
    verbose_name_plural = gettext_lazy("log entries")
    columns = [
        DateColumn("at", label=gettext_lazy("When")),
        Column("user", label=gettext_lazy("Staff member"), accessor=_log_actor),
        Column("action", label=gettext_lazy("Action"), accessor="get_action_display"),
        Column("request", label=gettext_lazy("Request"), accessor=lambda entry: entry.request.tracking_number),
        Column("detail", label=gettext_lazy("Detail")),
    ]

    def dispatch(self, request, *args, **kwargs):
        self.desk = get_object_or_404(RequestDesk.objects.select_related("institution"), code=kwargs["code"])
        role = staff_role(request.user, self.desk)
        if role is None:
            raise Http404
        if role != Role.APPROVER:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.desk.institution.title} ({self.desk.code})"

    def get_index_url(self):
        return reverse("citizen_requests_admin_log", args=[self.desk.code])

    def get_base_queryset(self):
        return StaffAccessLog.objects.filter(desk=self.desk).select_related("user", "request").order_by("-at", "-pk")
