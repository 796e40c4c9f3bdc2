"""The form field that takes several files under one name (Django's documented pattern)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from uploads.checks import ACCEPTED_TYPES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; the service checks them (``uploads.checks``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_TYPES}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def attachments_field(*, most: int, largest: int) -> MultipleFileField:
    """The optional "Attachments" field, its help saying the limits the service applies."""
    return MultipleFileField(
        label=_("Attachments (optional)"),
        help_text=ngettext(
            "PDF, JPEG or PNG; at most %(count)d file of %(size)d MB.",
            "PDF, JPEG or PNG; at most %(count)d files of %(size)d MB each.",
            most,
        )
        % {"count": most, "size": largest // (1024 * 1024)},
    )
