"""Validation of listing filters and version choices, shared by the pages and the API."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from cms.models import InstitutionPage
from consultations.models import ConsultationPageTopic
from deliberation.phases import Phase
from consultations.selectors import CLOSING_SOON, consultation_years

PHASE_FILTER_CHOICES = [
    (Phase.OPEN.value, _("Open now")),
    (CLOSING_SOON, _("Closing soon")),
    (Phase.UPCOMING.value, _("Upcoming")),
    (Phase.CLOSED.value, _("Closed")),
    (Phase.OUTCOME.value, _("With outcome")),
]


class ConsultationFilterForm(forms.Form):
    """Filters of a consultation listing. Choices are what exists, so unknown values fail."""

    phase = forms.ChoiceField(label=_("Phase"), required=False)
    institution = forms.ChoiceField(label=_("Institution"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        self.fields["phase"].choices = anything + PHASE_FILTER_CHOICES
        institutions = InstitutionPage.objects.live().public().order_by("title")
        if language:
            institutions = institutions.filter(locale__language_code=language)
        self.fields["institution"].choices = anything + list(
            dict(institutions.values_list("slug", "title")).items()
        )
        topics = Tag.objects.filter(
            pk__in=ConsultationPageTopic.objects.filter(
                content_object__live=True,
                **({"content_object__locale__language_code": language} if language else {}),
            ).values("tag_id")
        ).order_by("name")
        self.fields["topic"].choices = anything + list(topics.values_list("slug", "name"))
        self.fields["year"].choices = anything + [
            (year, str(year)) for year in consultation_years(language=language)
        ]
        self.fields["language"].choices = anything + list(settings.LANGUAGES)

    def filters(self) -> dict:
        """The chosen filters, for ``selectors.consultation_list``; call after is_valid()."""
        return {name: value for name, value in self.cleaned_data.items() if value}


class VersionCompareForm(forms.Form):
    old = forms.IntegerField(label=_("Compare version"), min_value=1)
    new = forms.IntegerField(label=_("with version"), min_value=1)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = numbers

    def clean(self):
        cleaned = super().clean()
        for name in ("old", "new"):
            number = cleaned.get(name)
            if number is not None and number not in self.numbers:
                self.add_error(
                    name, _("There is no version %(number)s of this draft.") % {"number": number}
                )
        return cleaned
