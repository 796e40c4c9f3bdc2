"""The ideas desk in the Wagtail admin: the ideas sent to the user's institutions, and one
idea's page where its status is given with a reason (``statuses.idea_status_change``).

Thin by rule: another institution's idea is a 404 before anything is read or written; the
form is parsed and one service called, which changes nothing when it refuses (the refusal is
shown as a message).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.refusals import Refusal
from citizen_ideas.links import idea_url
from citizen_ideas.models import Idea, IdeaStatus
from citizen_ideas.statuses import (
    REASON_MAX_LENGTH,
    idea_status_change,
    is_idea_staff,
    staff_institution_keys,
)

LIST_URL_NAME = "citizen_ideas_admin_list"
DETAIL_URL_NAME = "citizen_ideas_admin_detail"
PAGE_SIZE = 50


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=IdeaStatus.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        max_length=REASON_MAX_LENGTH,
        help_text=gettext_lazy(
            "Shown to the public with the status, and e-mailed to the author and the supporters."
        ),
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Any status")), *IdeaStatus.choices],
        required=False,
    )


def staff_ideas(user):
    """The ideas of the institutions ``user`` answers (all for a superuser)."""
    keys = staff_institution_keys(user)
    ideas = Idea.objects.select_related("institution", "author", "opening")
    if keys is None:
        return ideas
    if not keys:
        raise PermissionDenied
    return ideas.filter(institution__translation_key__in=keys)


def staff_idea(user, pk: int) -> Idea:
    idea = (
        Idea.objects.select_related("institution", "author", "opening", "consultation", "topic")
        .filter(pk=pk)
        .first()
    )
    if idea is None or not is_idea_staff(user, idea.institution):
        raise Http404(_("This idea does not exist or was not sent to your institution."))
    return idea


class IdeaListView(WagtailAdminTemplateMixin, TemplateView):
    """The ideas sent to the user's institutions, most recently proposed first."""

    template_name = "citizen_ideas/admin/list.html"
    page_title = gettext_lazy("Ideas")
    header_icon = "help"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ideas = staff_ideas(self.request.user)
        form = StatusFilterForm(self.request.GET)
        if form.is_valid() and form.cleaned_data["status"]:
            ideas = ideas.filter(status=form.cleaned_data["status"])
        context.update(
            filter_form=form,
            ideas=list(ideas.order_by("-created_at", "-pk")[:PAGE_SIZE]),
        )
        return context


class IdeaDetailView(WagtailAdminTemplateMixin, TemplateView):
    """One idea: its text, supports, status history and the form giving it a status."""

    template_name = "citizen_ideas/admin/detail.html"
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        self.object = staff_idea(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Idea")

    def get_page_subtitle(self):
        return self.object.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(LIST_URL_NAME), "label": _("Ideas")},
            {"url": "", "label": self.object.title},
        ]

    def post(self, request, *args, **kwargs):
        form = StatusForm(request.POST)
        if not form.is_valid():
            problems = " ".join(
                f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
            )
            messages.error(request, _("Nothing was changed. %(problems)s") % {"problems": problems})
            return self.get(request, *args, form=form, **kwargs)
        try:
            change = idea_status_change(
                idea=self.object,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except Refusal as refusal:
            messages.error(request, _("Nothing was changed. %(problems)s") % {"problems": refusal.message})
            return self.get(request, *args, form=form, **kwargs)
        if change is None:
            messages.success(request, _("The status is the same: its reason is updated, nobody is e-mailed."))
        else:
            messages.success(
                request, _("The status is changed; the author and the supporters are told.")
            )
        return redirect(DETAIL_URL_NAME, self.object.pk)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        idea = self.object
        context.update(
            idea=idea,
            public_url=idea_url(idea),
            form=form
            or StatusForm(initial={"status": idea.status, "reason": idea.status_reason}),
            history=list(idea.status_changes.select_related("changed_by").order_by("-changed_at", "-pk")),
        )
        return context
