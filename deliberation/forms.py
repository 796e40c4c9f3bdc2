"""Citizens' forms. They parse; the services decide."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from deliberation import conf
from deliberation.models import FLAG_REASONS


class ContributionForm(forms.Form):
    body = forms.CharField(
        label=_("Your contribution"),
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_(
            "Plain text. Leave a blank line between paragraphs; start lines with “- ” for a list. "
            "Web addresses become links."
        ),
        # Length is checked by the service, after normalising, with a message that gives both numbers.
        strip=False,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Made when the form is drawn: a double click or a retried submission posts one contribution.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = conf.get("DELIBERATION_MAX_LENGTH")


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Your contribution"),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        strip=False,
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should moderators look at it?"),
        choices=FLAG_REASONS,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class ProposalForm(forms.Form):
    """A forum topic a citizen proposes. Lengths and words are checked by the service."""

    title = forms.CharField(
        label=_("Title of the topic"),
        widget=forms.TextInput(attrs={"dir": "auto", "maxlength": 120}),
        strip=False,
    )
    text = forms.CharField(
        label=_("What should be discussed, and why"),
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("Plain text, as in a contribution. Moderators read it before it is published."),
        strip=False,
    )
    topics = forms.CharField(
        label=_("Themes (optional)"),
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("Up to five, separated by commas, for example: water, transport."),
        strip=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["maxlength"] = conf.get("DELIBERATION_MAX_LENGTH")


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should the decision be looked at again?"),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("Another moderator than the one who decided will read it. You can appeal a decision once."),
        # Emptiness and length are checked by the service, with the numbers in the message.
        required=False,
        strip=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["maxlength"] = conf.get("DELIBERATION_APPEAL_MAX_LENGTH")
