"""A search as typed in the page's form, the API's query string or a feed's URL.

One form checks them all, so every way in refuses the same things with the same translated
messages: ``SearchForm(request.GET)``, then ``form.search_request()`` when valid.
"""

import datetime
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from citizen_ideas.models import IdeaStatus
from citizen_requests.stages import Stage
from consultations.models import DecisionStatus
from deliberation.phases import Phase
from search import conf
from search.backends.base import SORTS, SearchRequest
from search.models import Kind
from search.text import QueryError, parse_query

MAX_VALUES = 10  # values of one facet in one search
# Phases, decisions' statuses, requests' stages and ideas' statuses ("closed" is a phase and a
# stage, "received" a stage and an idea's status: one value each).
STATUS_CHOICES = list(
    dict(Phase.choices + DecisionStatus.choices + Stage.choices + IdeaStatus.choices).items()
)


class MultipleValueField(forms.Field):
    """Several free values of one parameter (``?topic=a&topic=b``), each checked."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "too_many": _("Choose at most %(limit)d values for one filter."),
        "too_long": _("A filter value is too long: at most %(limit)d characters."),
        "control": _("A filter value contains control characters."),
    }

    def __init__(self, *, max_length: int, **kwargs):
        self.max_length = max_length
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        sent = [str(item) for item in (value or [])]
        values = [item.strip() for item in sent if item.strip()]
        # Counted as sent, blanks too: the API's document caps the values, not the non-blank ones.
        if len(sent) > MAX_VALUES:
            raise ValidationError(self.error_messages["too_many"], params={"limit": MAX_VALUES})
        # Checked as sent (the API's document says so), before blanks are trimmed.
        if any(unicodedata.category(ch) == "Cc" for item in sent for ch in item):
            raise ValidationError(self.error_messages["control"])
        if any(len(item) > self.max_length for item in values):
            raise ValidationError(self.error_messages["too_long"], params={"limit": self.max_length})
        return list(dict.fromkeys(values))


class LimitedMultipleChoiceField(forms.TypedMultipleChoiceField):
    def clean(self, value):
        if value and len(value) > MAX_VALUES:
            raise ValidationError(
                MultipleValueField.default_error_messages["too_many"], params={"limit": MAX_VALUES}
            )
        return super().clean(value)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=False)
    kind = LimitedMultipleChoiceField(label=_("Kind"), choices=Kind.choices, required=False)
    institution = MultipleValueField(label=_("Institution"), max_length=255)
    topic = MultipleValueField(label=_("Topic"), max_length=100)
    status = LimitedMultipleChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    year = LimitedMultipleChoiceField(
        label=_("Year"),
        # The years dates may be given in (below): any year a facet can show is accepted.
        choices=[(str(year), str(year)) for year in range(1900, 2201)],
        coerce=int,
        required=False,
    )
    language = LimitedMultipleChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(label=_("To"), required=False, input_formats=["%Y-%m-%d"])
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("relevance", _("Relevance")), ("date", _("Date, newest first"))],
        required=False,
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1)

    def clean_q(self):
        try:
            self.parsed_query = parse_query(self.cleaned_data["q"])
        except QueryError as error:
            raise ValidationError(error.message, code="query") from error
        return self.parsed_query.raw

    def clean_page(self):
        page = self.cleaned_data["page"] or 1
        if page > conf.get("SEARCH_MAX_PAGE"):
            raise ValidationError(
                _("Results go up to page %(limit)d: add words or filters to narrow the search."),
                params={"limit": conf.get("SEARCH_MAX_PAGE")},
            )
        return page

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day and not datetime.date(1900, 1, 1) <= day <= datetime.date(2200, 12, 31):
                self.add_error(name, _("Enter a date between 1900 and 2200."))
        return data

    def search_request(self, *, page_size: int | None = None, facets: bool = True) -> SearchRequest:
        data = self.cleaned_data
        sort = data.get("sort") or "relevance"
        assert sort in SORTS
        return SearchRequest(
            query=self.parsed_query,
            kinds=tuple(data["kind"]),
            institutions=tuple(data["institution"]),
            topics=tuple(data["topic"]),
            statuses=tuple(data["status"]),
            years=tuple(data["year"]),
            languages=tuple(data["language"]),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            sort=sort,
            page=data.get("page") or 1,
            page_size=page_size or conf.get("SEARCH_PAGE_SIZE"),
            facets=facets,
        )

    def error_messages_list(self) -> list[str]:
        """Every error, each once, as the reader should see them."""
        return list(dict.fromkeys(str(m) for errors in self.errors.values() for m in errors))
