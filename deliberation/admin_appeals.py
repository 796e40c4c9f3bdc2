"""Appeals and suspensions in the Wagtail admin's Moderation menu.

Thin by rule: the lists come from ``selectors.appeal_queue`` and ``suspensions_in_force``;
each button posts a form handed to one service (``appeal_decide``, ``user_suspension_lift``),
which checks the moderator's right (the moderator who made the decision appealed against is
refused there) and changes nothing when it refuses.
"""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import BaseListingView

from accounts.models import Suspension
from accounts.names import name_text
from deliberation.admin_forms import AppealDecisionForm, LiftForm
from deliberation.admin_views import _form_invalid, moderator_required
from deliberation.models import Appeal, AppealStatus, Reason
from deliberation.rules import refusal
from deliberation.selectors import appeal_queue, suspensions_in_force
from deliberation.services import DeliberationError, appeal_decide, user_suspension_lift

APPEALS_URL_NAME = "deliberation_moderation_appeals"
SUSPENSIONS_URL_NAME = "deliberation_moderation_suspensions"


class AppealQueueView(BaseListingView):
    """Appeals awaiting a decision, oldest first: the decision, who made it and why, and the
    citizen's text. The moderator who made the decision sees the appeal without the buttons."""

    template_name = "deliberation/admin/appeals.html"
    page_title = gettext_lazy("Appeals")
    header_icon = "help"
    paginate_by = 20
    index_url_name = APPEALS_URL_NAME

    def dispatch(self, request, *args, **kwargs):
        moderator_required(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return appeal_queue(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for item in context["object_list"]:
            item.refusal = refusal(self.request.user, "deliberation.decide_appeal", item)
            item.decision_form = AppealDecisionForm(auto_id=f"a{item.pk}-%s")
        context["current_url"] = self.request.get_full_path()
        return context


@require_POST
def appeal_act(request, pk: int):
    """Uphold or reverse the decision an appeal is against."""
    moderator_required(request.user)
    appeal = get_object_or_404(
        Appeal.objects.select_related("contribution__thread", "suspension", "decision"), pk=pk
    )
    back = redirect(get_valid_next_url_from_request(request) or reverse(APPEALS_URL_NAME))
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        _form_invalid(request, form)
        return back
    try:
        decided = appeal_decide(
            moderator=request.user,
            appeal=appeal,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except DeliberationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            (
                _("Appeal #%(id)d: the decision is reversed.")
                if decided.status == AppealStatus.REVERSED
                else _("Appeal #%(id)d: the decision is upheld.")
            )
            % {"id": decided.pk},
        )
    return back


class SuspensionListView(BaseListingView):
    """Suspensions in force that the moderator may lift, each with its lifting form."""

    template_name = "deliberation/admin/suspensions.html"
    page_title = gettext_lazy("Suspensions")
    header_icon = "lock"
    paginate_by = 20
    index_url_name = SUSPENSIONS_URL_NAME

    def dispatch(self, request, *args, **kwargs):
        moderator_required(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return suspensions_in_force(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = dict(Reason.choices)
        for item in context["object_list"]:
            item.reason_label = labels.get(item.reason, item.reason)
            item.lift_form = LiftForm(auto_id=f"s{item.pk}-%s")
        context["current_url"] = self.request.get_full_path()
        return context


@require_POST
def suspension_lift(request, pk: int):
    """Lift a suspension, with a reason."""
    moderator_required(request.user)
    suspension = get_object_or_404(Suspension.objects.select_related("user"), pk=pk)
    back = redirect(get_valid_next_url_from_request(request) or reverse(SUSPENSIONS_URL_NAME))
    form = LiftForm(request.POST)
    if not form.is_valid():
        _form_invalid(request, form)
        return back
    try:
        user_suspension_lift(
            moderator=request.user, suspension=suspension, reason=form.cleaned_data["reason"]
        )
    except DeliberationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The suspension of %(name)s is lifted: they can take part again.")
            % {"name": name_text(suspension.user.display_name)},
        )
    return back
