"""Forms of the requests queue and of a request's page in the Wagtail admin: they parse what
was posted; the services decide (and refuse with a translated message)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.governorates import Governorate
from accounts.names import name_text
from citizen_requests.models import RequestDesk
from citizen_requests.selectors import (
    ASSIGNEE_ANY,
    ASSIGNEE_ME,
    ASSIGNEE_NONE,
    SORT_DEADLINE,
    SORT_FILED,
    STAGE_ALL,
    STAGE_OPEN,
    QueueFilters,
)
from citizen_requests.stages import Kind, Stage

STAGE_FILTERS = [(STAGE_OPEN, _("Open")), *Stage.choices, (STAGE_ALL, _("All"))]
TEXT_MAX = 10_000


class QueueFilterForm(forms.Form):
    """Which of the user's desks, kinds, stages, assignees and governorates; in which order.
    Only the user's own desks can be chosen."""

    desk = forms.ChoiceField(label=_("Institution"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *Kind.choices])
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=STAGE_FILTERS, widget=forms.HiddenInput)
    assignee = forms.ChoiceField(
        label=_("Assignee"),
        required=False,
        choices=[(ASSIGNEE_ANY, _("Anyone")), (ASSIGNEE_ME, _("Me")), (ASSIGNEE_NONE, _("Unassigned"))],
    )
    governorate = forms.ChoiceField(
        label=_("Governorate"), required=False, choices=[("", _("Any governorate")), *Governorate.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(SORT_DEADLINE, _("Deadline, nearest first")), (SORT_FILED, _("Filed, newest first"))],
    )

    def __init__(self, *args, desks: list[RequestDesk], **kwargs):
        super().__init__(*args, **kwargs)
        self.desks = desks
        self.fields["desk"].choices = [("", _("All my institutions"))] + [
            (desk.code, f"{desk.institution.title} ({desk.code})") for desk in desks
        ]

    @property
    def shows_desk(self) -> bool:
        return len(self.desks) > 1

    @property
    def current_stage(self) -> str:
        asked = self.data.get("stage")
        return asked if asked in dict(STAGE_FILTERS) else STAGE_OPEN

    def filters(self) -> QueueFilters:
        """The filters as ``selectors.staff_queue`` takes them (call on a valid form)."""
        data = self.cleaned_data
        desks = [desk for desk in self.desks if desk.code == data["desk"]] or self.desks
        return QueueFilters(
            desks=desks,
            kind=data["kind"],
            stage=data["stage"] or STAGE_OPEN,
            overdue=data["overdue"],
            assignee=data["assignee"],
            governorate=data["governorate"],
            sort=data["sort"] or SORT_DEADLINE,
        )


class UserChoiceField(forms.ModelChoiceField):
    me = None  # the user filling the form, labelled "Me"

    def label_from_instance(self, obj):
        name = name_text(obj.display_name) or obj.get_username()
        if self.me is not None and obj.pk == self.me.pk:
            return _("Me (%(name)s)") % {"name": name}
        return name


class AssignForm(forms.Form):
    assignee = UserChoiceField(label=_("Assign to"), queryset=None, empty_label=None)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues


class MoveForm(forms.Form):
    # Every stage is accepted here: the workflow (services.request_move) says which moves
    # are allowed and explains a refusal.
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason (required for out of scope; the citizen reads it)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offered is not None:
            self.fields["stage"].widget.choices = [(value, Stage(value).label) for value in offered]


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the citizen"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class RedirectForm(forms.Form):
    desk = forms.ModelChoiceField(label=_("Send to"), queryset=None, empty_label=_("Choose an institution"))
    reason = forms.CharField(
        label=_("Why (the citizen reads it)"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, exclude: RequestDesk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = (
            RequestDesk.objects.select_related("institution")
            .filter(accepts_requests=True)
            .exclude(pk=exclude.pk)
            .order_by("code")
        )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note (never shown to the citizen)"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DraftForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )


class PublishForm(forms.Form):
    """The author asked for publication: publish it, or refuse with a reason they read."""

    publish = forms.TypedChoiceField(
        label=_("Publication"),
        choices=[("yes", _("Publish it on the institution's public list")), ("no", _("Do not publish it"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why not (the citizen reads it)"), max_length=TEXT_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
