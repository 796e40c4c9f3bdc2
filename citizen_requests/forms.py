"""The citizens' forms. They parse; the services decide (and word the refusals)."""

import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.governorates import Governorate
from citizen_requests import conf
from citizen_requests.stages import ANONYMOUS_KINDS, Kind
from uploads.forms import attachments_field

# The "I don't know" choice of institution: the request goes to the triage desk.
UNKNOWN_DESK = "unknown"


def _attachments_field():
    return attachments_field(
        most=conf.get("CITIZEN_REQUESTS_MAX_ATTACHMENTS"),
        largest=conf.get("CITIZEN_REQUESTS_MAX_ATTACHMENT_BYTES"),
    )


class RequestFileForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of request is it?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what kind of request this is."),
            "invalid_choice": _("Choose what kind of request this is."),
        },
    )
    desk = forms.ChoiceField(
        label=_("Institution"),
        error_messages={
            "required": _("Choose the institution, or “I don't know”."),
            "invalid_choice": _("Choose the institution, or “I don't know”."),
        },
    )
    # Lengths and emptiness are the service's to judge (its messages give the numbers).
    subject = forms.CharField(label=_("Subject"), required=False, widget=forms.TextInput(attrs={"dir": "auto"}))
    text = forms.CharField(
        label=_("Your request"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
    )
    governorate = forms.ChoiceField(
        label=_("Governorate (optional)"), required=False,
        choices=[("", "—")] + list(Governorate.choices),
    )
    municipality = forms.CharField(
        label=_("Municipality (optional)"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    address = forms.CharField(
        label=_("Address or place (optional)"), required=False, max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    notify = forms.BooleanField(label=_("E-mail me at each stage"), required=False, initial=True)
    public = forms.BooleanField(
        label=_("Make it public once the institution has checked it (suggestions and notices): others can then support it and discuss it"),
        required=False,
    )
    # Made when the form is drawn: a double click or a retried submission files one request.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, desks=(), anonymous: bool = False, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.anonymous = anonymous
        self.fields["attachments"] = _attachments_field()
        self.fields["desk"].choices = [("", "—")] + [
            (str(desk.pk), desk.title) for desk in desks
        ] + [(UNKNOWN_DESK, _("I don't know: send it to the office that routes requests"))]
        self.fields["subject"].widget.attrs["maxlength"] = conf.get("CITIZEN_REQUESTS_SUBJECT_MAX_LENGTH")
        self.fields["text"].widget.attrs["maxlength"] = conf.get("CITIZEN_REQUESTS_TEXT_MAX_LENGTH")
        if anonymous:
            # Only what may be filed without an account is offered; the service refuses the rest.
            self.fields["kind"].widget.choices = [
                (value, label) for value, label in Kind.choices if value in ANONYMOUS_KINDS
            ]
            self.fields["kind"].initial = Kind.CORRUPTION
            del self.fields["notify"]
            del self.fields["public"]

    def clean(self):
        cleaned = super().clean()
        place = []
        for name in ("latitude", "longitude"):
            value = (cleaned.get(name) or "").strip()
            try:
                place.append(Decimal(value).quantize(Decimal("0.000001")) if value else None)
            except InvalidOperation:
                self.add_error(None, _("The location from your device could not be read; try again or leave it out."))
                return cleaned
        cleaned["latitude"], cleaned["longitude"] = place
        return cleaned


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Tracking number"), max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "placeholder": "KEF-26-7K4Q-9XC2", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Secret code"), max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply or more information"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = _attachments_field()


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the answer not settle your request?"), required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
