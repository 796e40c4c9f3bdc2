"""The moderation queue and the moderation log in the Wagtail admin.

Thin by rule: the queue lists what ``selectors.moderation_queue`` gives the moderator; each
button posts a form that is parsed here and handed to one service, which decides (a moderator
of another institution is refused there) and changes nothing when it refuses. Every answer is
a message on the same filtered list the moderator came from.
"""

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.models import Page

from accounts.names import name_html, name_text
from deliberation.admin_forms import (
    QUEUES,
    LockForm,
    ModerateForm,
    ProposalDecisionForm,
    QueueFilterForm,
    SuspendForm,
)
from deliberation.models import (
    Contribution,
    Flag,
    ModerationAction,
    ProposalStatus,
    Thread,
    ThreadKind,
    TopicProposal,
)
from deliberation.models import (
    ModerationActionKind as Kind,
)
from deliberation.rules import moderated_institution_keys
from deliberation.selectors import Queue, idea_url, moderation_queue, proposal_queue
from deliberation.services import (
    TRANSITIONS,
    DeliberationError,
    contribution_moderate,
    thread_lock,
    topic_proposal_approve,
    topic_proposal_reject,
    user_suspend,
)

QUEUE_URL_NAME = "deliberation_moderation_queue"

ACTION_LABELS = {
    Kind.APPROVE: gettext_lazy("Approve"),
    Kind.REJECT: gettext_lazy("Reject"),
    Kind.HIDE: gettext_lazy("Hide"),
    Kind.RESTORE: gettext_lazy("Restore"),
    Kind.DISMISS_FLAGS: gettext_lazy("Dismiss reports"),
    Kind.PIN: gettext_lazy("Pin"),
    Kind.UNPIN: gettext_lazy("Unpin"),
    Kind.MARK_OFFICIAL: gettext_lazy("Mark as official reply"),
    Kind.UNMARK_OFFICIAL: gettext_lazy("Remove official mark"),
}
# Buttons that would do nothing visible are not offered (the service would accept them).
OFFERED_WHEN = {
    Kind.DISMISS_FLAGS: lambda item: item.open_flag_count > 0,
    Kind.PIN: lambda item: not item.pinned and item.depth == 1,
    Kind.UNPIN: lambda item: item.pinned,
    Kind.MARK_OFFICIAL: lambda item: not item.official,
    Kind.UNMARK_OFFICIAL: lambda item: item.official,
}
DESTRUCTIVE = {Kind.REJECT, Kind.HIDE}


def moderator_required(user) -> None:
    if not user.has_perm("deliberation.moderate"):
        raise PermissionDenied


def actions_for(item: Contribution) -> list[dict]:
    """The contribution actions that apply to ``item`` in its status (services.TRANSITIONS)."""
    actions = []
    for kind, (allowed_from, _becomes, needs_reason) in TRANSITIONS.items():
        if item.status in allowed_from and OFFERED_WHEN.get(kind, lambda item: True)(item):
            actions.append(
                {
                    "value": kind.value,
                    "label": ACTION_LABELS[kind],
                    "needs_reason": needs_reason,
                    "destructive": kind in DESTRUCTIVE,
                }
            )
    return actions


def _thread_details(threads, request) -> dict[int, dict]:
    """Title, section and address of each thread, keyed by thread id, in a fixed number of queries.

    The page is the thread's page in the admin's language when a live translation exists
    (as ``selectors.thread_page_in``), otherwise the thread's own page. All of them are read in
    one query, plus one per page type; addresses use the site root paths Wagtail caches on
    the request.
    """
    threads = list(threads)
    if not threads:
        return {}
    language = get_language() or settings.LANGUAGE_CODE
    pages = (
        Page.objects.filter(
            Q(
                translation_key__in={thread.translation_key for thread in threads},
                locale__language_code=language,
                live=True,
            )
            | Q(pk__in={thread.page_id for thread in threads})
        )
        .specific()
        .select_related("locale", for_specific_subqueries=True)
    )
    by_pk, translated = {}, {}
    for page in pages:
        by_pk[page.pk] = page
        if page.locale.language_code == language and page.live:
            translated[page.translation_key] = page
    # Ideas (citizen_ideas) are labelled with their title and lead to their own page: one query.
    idea_threads = [thread.pk for thread in threads if thread.kind == ThreadKind.IDEA]
    ideas = {
        pk: (idea_pk, title)
        for pk, idea_pk, title in Thread.objects.filter(pk__in=idea_threads).values_list(
            "pk", "idea__pk", "idea__title"
        )
    } if idea_threads else {}
    details = {}
    for thread in threads:
        page = translated.get(thread.translation_key) or by_pk[thread.page_id]
        address = page.get_url(request) or ""
        section = ""
        if thread.kind == ThreadKind.IDEA:
            idea_pk, title = ideas.get(thread.pk) or (None, "")
            section = _("Idea: %(title)s") % {"title": title or ""}
            address = idea_url(thread, language, idea_id=idea_pk) + "#discussion" if idea_pk else ""
        elif thread.kind == ThreadKind.SECTION:
            section = next(
                (f"{s.number}. {s.heading}" for s in page.sections if s.id == thread.section_id),
                _("A section no longer in the draft"),
            )
            address += page.reverse_subpage("section", args=[thread.section_id])
        else:
            address += "#discussion"
        details[thread.pk] = {"title": page.title, "section": section, "url": address}
    return details


class ModerationQueueView(BaseListingView):
    """Pending, flagged, recently hidden or all contributions the user moderates, filtered."""

    template_name = "deliberation/admin/queue.html"
    page_title = gettext_lazy("Moderation queue")
    header_icon = "comment"
    paginate_by = 20
    index_url_name = QUEUE_URL_NAME

    def dispatch(self, request, *args, **kwargs):
        moderator_required(request.user)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def filter_form(self) -> QueueFilterForm:
        return QueueFilterForm(self.request.GET, user=self.request.user)

    def get_queryset(self):
        if not self.filter_form.is_valid():
            return Contribution.objects.none()
        open_flags = Flag.objects.filter(reviewed_at__isnull=True).select_related("user")
        return moderation_queue(
            user=self.request.user, **self.filter_form.selector_kwargs()
        ).prefetch_related(
            Prefetch("flags", queryset=open_flags.order_by("created_at"), to_attr="open_flags")
        )

    def _tabs(self) -> list[dict]:
        user = self.request.user
        counts = {
            Queue.PENDING: moderation_queue(user=user, queue=Queue.PENDING).count(),
            Queue.FLAGGED: moderation_queue(user=user, queue=Queue.FLAGGED).count(),
        }
        current = self.filter_form.current_queue
        return [
            {"value": value, "label": label, "active": value == current, "count": counts.get(value)}
            for value, label in QUEUES
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = context["object_list"]
        threads = _thread_details({item.thread_id: item.thread for item in items}.values(), self.request)
        for item in items:
            details = threads[item.thread_id]
            item.thread_title = details["title"]
            item.section_label = details["section"]
            # selectors.contribution_url's address, without finding the page again per item.
            item.site_url = details["url"].split("#")[0] + f"#contribution-{item.pk}"
            item.actions = actions_for(item)
            item.needs_reason = any(action["needs_reason"] for action in item.actions)
            item.moderate_form = ModerateForm(auto_id=f"c{item.pk}-%s")
            item.suspend_form = SuspendForm(auto_id=f"c{item.pk}-suspend-%s")
            item.lock_form = LockForm(auto_id=f"c{item.pk}-lock-%s")
        context.update(
            filter_form=self.filter_form,
            tabs=self._tabs(),
            current_url=self.request.get_full_path(),
            queue=self.filter_form.current_queue,
        )
        return context


def _back(request):
    return redirect(get_valid_next_url_from_request(request) or reverse(QUEUE_URL_NAME))


def _form_invalid(request, form) -> None:
    problems = [
        f"{form[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    ]
    messages.error(request, _("Nothing was changed. %(problems)s") % {"problems": " ".join(problems)})


@require_POST
def contribution_act(request, pk: int):
    """Approve, reject, hide, restore, dismiss reports, pin or mark official."""
    moderator_required(request.user)
    contribution = get_object_or_404(Contribution.objects.select_related("thread"), pk=pk)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        _form_invalid(request, form)
        return _back(request)
    try:
        contribution_moderate(
            moderator=request.user,
            contribution=contribution,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except DeliberationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Contribution #%(id)d: %(action)s.")
            % {"id": contribution.pk, "action": Kind(form.cleaned_data["action"]).label},
        )
    return _back(request)


@require_POST
def thread_lock_set(request, pk: int):
    """Lock a thread (no new contributions) or unlock it."""
    moderator_required(request.user)
    thread = get_object_or_404(Thread, pk=pk)
    form = LockForm(request.POST)
    if not form.is_valid():
        _form_invalid(request, form)
        return _back(request)
    try:
        thread_lock(
            moderator=request.user, thread=thread, locked=form.locked, note=form.cleaned_data["note"]
        )
    except DeliberationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Thread locked: it takes no new contributions.")
            if form.locked
            else _("Thread unlocked: it takes contributions again."),
        )
    return _back(request)


@require_POST
def author_suspend(request, pk: int):
    """Suspend the author of a contribution for some days, with a reason."""
    moderator_required(request.user)
    contribution = get_object_or_404(Contribution.objects.select_related("thread", "author"), pk=pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        _form_invalid(request, form)
        return _back(request)
    try:
        suspension = user_suspend(
            moderator=request.user,
            user=contribution.author,
            days=form.cleaned_data["days"],
            permanent=form.cleaned_data["permanent"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            contribution=contribution,
        )
    except DeliberationError as error:
        messages.error(request, error.message)
    else:
        name = name_text(contribution.author.display_name)
        if suspension.ends_at is None:
            messages.success(
                request,
                _("%(name)s cannot post or react until a moderator lifts the suspension.")
                % {"name": name},
            )
        else:
            messages.success(
                request,
                _("%(name)s cannot post or react until %(until)s.")
                % {
                    "name": name,
                    "until": date_format(timezone.localtime(suspension.ends_at), "DATETIME_FORMAT"),
                },
            )
    return _back(request)


# --- Proposed forum topics ------------------------------------------------------------------

PROPOSALS_URL_NAME = "deliberation_moderation_proposals"


class ProposalQueueView(BaseListingView):
    """Forum topics citizens proposed to the institutions the user moderates: pending ones to
    approve or reject, and those already decided."""

    template_name = "deliberation/admin/proposals.html"
    page_title = gettext_lazy("Proposed forum topics")
    header_icon = "comment"
    paginate_by = 20
    index_url_name = PROPOSALS_URL_NAME

    def dispatch(self, request, *args, **kwargs):
        moderator_required(request.user)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def status(self) -> str:
        asked = self.request.GET.get("status")
        return asked if asked in ProposalStatus.values else ProposalStatus.PENDING

    def get_queryset(self):
        return proposal_queue(user=self.request.user, status=self.status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for item in context["object_list"]:
            item.decision_form = ProposalDecisionForm(auto_id=f"p{item.pk}-%s")
        pending = proposal_queue(user=self.request.user).count()
        context.update(
            tabs=[
                {
                    "value": value,
                    "label": label,
                    "active": value == self.status,
                    "count": pending if value == ProposalStatus.PENDING else None,
                }
                for value, label in ProposalStatus.choices
            ],
            status=self.status,
            current_url=self.request.get_full_path(),
        )
        return context


@require_POST
def proposal_act(request, pk: int):
    """Approve a proposed forum topic (its page is created and published) or reject it."""
    moderator_required(request.user)
    proposal = get_object_or_404(TopicProposal.objects.select_related("institution"), pk=pk)
    form = ProposalDecisionForm(request.POST)
    back = redirect(get_valid_next_url_from_request(request) or reverse(PROPOSALS_URL_NAME))
    if not form.is_valid():
        _form_invalid(request, form)
        return back
    data = form.cleaned_data
    try:
        if data["action"] == Kind.APPROVE:
            decided = topic_proposal_approve(moderator=request.user, proposal=proposal, note=data["note"])
        else:
            decided = topic_proposal_reject(
                moderator=request.user, proposal=proposal, reason=data["reason"], note=data["note"]
            )
    except DeliberationError as error:
        messages.error(request, error.message)
    else:
        if decided.status == ProposalStatus.APPROVED:
            messages.success(
                request,
                _("“%(title)s” is published as a forum topic.") % {"title": decided.title},
                buttons=[messages.button(decided.page.url or "", _("View"))],
            )
        else:
            messages.success(request, _("“%(title)s” was not accepted.") % {"title": decided.title})
    return back


# --- Moderation log --------------------------------------------------------------------------


class ModerationLogFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=gettext_lazy("Action"), choices=Kind.choices, empty_label=gettext_lazy("Any action")
    )

    class Meta:
        model = ModerationAction
        fields = ["action"]


class ModerationLogView(BaseListingView):
    """The audit log, read-only, limited to the institutions the user moderates."""

    page_title = gettext_lazy("Moderation log")
    header_icon = "history"
    paginate_by = 50
    index_url_name = "deliberation_moderation_log"
    index_results_url_name = "deliberation_moderation_log_results"
    filterset_class = ModerationLogFilterSet
    verbose_name = gettext_lazy("moderation action")
    verbose_name_plural = gettext_lazy("moderation actions")
    columns = [
        DateColumn("created_at", label=gettext_lazy("When")),
        Column(
            "actor",
            label=gettext_lazy("Moderator"),
            accessor=lambda entry: name_html(entry.actor.display_name) if entry.actor else _("Automatic"),
        ),
        Column("action", label=gettext_lazy("Action"), accessor="get_action_display"),
        Column(
            "contribution",
            label=gettext_lazy("Contribution"),
            accessor=lambda entry: f"#{entry.contribution_id}" if entry.contribution_id else "",
        ),
        Column(
            "proposal",
            label=gettext_lazy("Proposed topic"),
            accessor=lambda entry: entry.proposal.title if entry.proposal_id else "",
        ),
        Column(
            "subject",
            label=gettext_lazy("Account concerned"),
            accessor=lambda entry: name_html(entry.subject.display_name) if entry.subject else "",
        ),
        Column("reason", label=gettext_lazy("Reason"), accessor="get_reason_display"),
        Column("note", label=gettext_lazy("Note")),
    ]

    def dispatch(self, request, *args, **kwargs):
        moderator_required(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        queryset = ModerationAction.objects.select_related("actor", "subject", "proposal").order_by(
            "-created_at", "-pk"
        )
        keys = moderated_institution_keys(self.request.user)
        if keys is not None:
            queryset = queryset.filter(
                Q(thread__institution__translation_key__in=keys)
                | Q(proposal__institution__translation_key__in=keys)
            )
        return queryset
