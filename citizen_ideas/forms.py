"""Citizens' forms. They parse; the services decide."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from citizen_ideas import conf
from citizen_ideas.models import IdeaStatus
from deliberation import conf as deliberation_conf
from uploads.forms import attachments_field


class ProposeForm(forms.Form):
    title = forms.CharField(
        label=_("Title of your idea"),
        max_length=200,  # the service says how long a title may be, with both numbers
        widget=forms.TextInput(attrs={"dir": "auto", "maxlength": 140}),
        strip=False,
    )
    body = forms.CharField(
        label=_("Your idea"),
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_(
            "Say what you propose and why. Plain text; leave a blank line between paragraphs. "
            "Other citizens can support it and discuss it."
        ),
        strip=False,
    )
    topic = forms.TypedChoiceField(
        label=_("Forum topic (optional)"), required=False, coerce=int, empty_value=None
    )
    # Made when the form is drawn: a double click or a retried submission proposes one idea.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, topics=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = deliberation_conf.get(
            "DELIBERATION_MAX_LENGTH"
        )
        topics = list(topics)
        if topics:
            self.fields["topic"].choices = [("", _("None"))] + [(t.pk, t.title) for t in topics]
        else:
            del self.fields["topic"]
        self.fields["attachments"] = attachments_field(
            most=conf.get("CITIZEN_IDEAS_MAX_ATTACHMENTS"),
            largest=conf.get("CITIZEN_IDEAS_MAX_ATTACHMENT_BYTES"),
        )


SORTS = [
    ("support", _("Most supported")),
    ("newest", _("Newest")),
    ("answered", _("Recently answered")),
]


class IdeaFilterForm(forms.Form):
    """The list's sort and filters, from the query string (GET: works without JavaScript)."""

    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + IdeaStatus.choices, required=False
    )
    topic = forms.TypedChoiceField(
        label=_("Forum topic"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        topics = list(topics)
        if topics:
            self.fields["topic"].choices = [("", _("All"))] + [(t.pk, t.title) for t in topics]
        else:
            del self.fields["topic"]

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "sort": data.get("sort") or "support",
            "status": data.get("status") or "",
            "topic": data.get("topic"),
        }
