"""Forms of the moderation queue in the Wagtail admin: they parse, the services decide."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.models import InstitutionPage
from deliberation.models import FLAG_REASONS, ModerationActionKind, Reason, Thread
from deliberation.rules import moderated_institution_keys
from deliberation.selectors import Queue
from deliberation.services import CONTRIBUTION_ACTIONS

QUEUES = [
    (Queue.PENDING, _("Pending")),
    (Queue.FLAGGED, _("Flagged")),
    (Queue.HIDDEN, _("Recently hidden")),
    (Queue.ALL, _("All")),
]
MAX_HOURS = 24 * 365


def _titles_in_language(pages) -> dict:
    """translation_key → title, in the active language when a translation exists."""
    language = get_language()
    titles = {}
    for key, title, code in pages.values_list("translation_key", "title", "locale__language_code"):
        if key not in titles or code == language:
            titles[key] = title
    return titles


class QueueFilterForm(forms.Form):
    """Which queue, and which of the moderator's institutions, discussions, reasons and ages.

    Only what ``user`` moderates can be chosen: another institution's key is not a choice.
    """

    queue = forms.ChoiceField(choices=QUEUES, required=False, widget=forms.HiddenInput)
    institution = forms.ChoiceField(label=_("Institution"), required=False)
    page = forms.ChoiceField(label=_("Consultation or forum topic"), required=False)
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", _("Any reason"))] + list(Reason.choices)
    )
    older_than = forms.IntegerField(
        label=_("Waiting more than (hours)"), required=False, min_value=1, max_value=MAX_HOURS
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        keys = moderated_institution_keys(user)
        institutions = InstitutionPage.objects.all()
        threads = Thread.objects.all()
        if keys is not None:
            institutions = institutions.filter(translation_key__in=keys)
            threads = threads.filter(institution__translation_key__in=keys)
        institution_titles = _titles_in_language(institutions)
        page_keys = threads.values("translation_key")
        page_titles = _titles_in_language(Page.objects.filter(translation_key__in=page_keys))
        self.fields["institution"].choices = [("", _("All institutions"))] + sorted(
            ((str(key), title) for key, title in institution_titles.items()), key=lambda c: c[1]
        )
        self.fields["page"].choices = [("", _("All discussions"))] + sorted(
            ((str(key), title) for key, title in page_titles.items()), key=lambda c: c[1]
        )

    @property
    def current_queue(self) -> str:
        """The tab asked for, also when another filter is invalid."""
        asked = self.data.get("queue")
        return asked if asked in dict(QUEUES) else Queue.PENDING

    def selector_kwargs(self) -> dict:
        """The filters as ``selectors.moderation_queue`` takes them (call on a valid form)."""
        data = self.cleaned_data
        return {
            "queue": self.current_queue,
            "institution_key": data["institution"] or None,
            "page_key": data["page"] or None,
            "reason": data["reason"],
            "older_than_hours": data["older_than"],
        }


REASON_CHOICES = [("", _("Choose a reason"))] + list(FLAG_REASONS)


class ModerateForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(kind.value, kind.label) for kind in CONTRIBUTION_ACTIONS]
    )
    reason = forms.ChoiceField(
        label=_("Public reason (to reject or hide)"), choices=REASON_CHOICES, required=False
    )
    note = forms.CharField(
        label=_("Note for the moderation log"), max_length=1000, required=False
    )


class LockForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(ModerationActionKind.LOCK.value, ""), (ModerationActionKind.UNLOCK.value, "")]
    )
    note = forms.CharField(label=_("Note for the moderation log"), max_length=1000, required=False)

    @property
    def locked(self) -> bool:
        return self.cleaned_data["action"] == ModerationActionKind.LOCK


class SuspendForm(forms.Form):
    days = forms.IntegerField(
        label=_("Days"), min_value=1, max_value=365, initial=7, required=False
    )
    permanent = forms.BooleanField(
        label=_("Permanent (until a moderator lifts it)"), required=False
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=REASON_CHOICES)
    note = forms.CharField(label=_("Note for the moderation log"), max_length=1000, required=False)


class LiftForm(forms.Form):
    """Lift a suspension, saying why (logged, and e-mailed to the citizen)."""

    reason = forms.CharField(
        label=_("Why it is lifted (sent to the citizen)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class AppealDecisionForm(forms.Form):
    """Uphold or reverse the decision an appeal is against."""

    outcome = forms.ChoiceField(
        choices=[("uphold", _("Uphold the decision")), ("reverse", _("Reverse the decision"))]
    )
    note = forms.CharField(
        label=_("Explanation for the citizen (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class ProposalDecisionForm(forms.Form):
    """Approve a proposed forum topic, or reject it with a public reason."""

    action = forms.ChoiceField(
        choices=[
            (ModerationActionKind.APPROVE.value, _("Approve")),
            (ModerationActionKind.REJECT.value, _("Reject")),
        ]
    )
    reason = forms.ChoiceField(
        label=_("Public reason (to reject)"), choices=REASON_CHOICES, required=False
    )
    note = forms.CharField(
        label=_("Explanation for the citizen (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
