"""``GET /api/search/``: the same search as the page, as JSON, documented in /api/openapi.json.

The query string is checked by ``SearchForm``, as on the page and the feed: a bad value is a
400 with the form's translated messages (``{"detail": …, "errors": {field: [messages]}}``),
never a 422 or a 500. The parameters are therefore documented by hand, not parsed by ninja.
"""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from search import conf
from search.backends.base import FACETS, SearchUnavailable
from search.forms import MAX_VALUES, STATUS_CHOICES, SearchForm
from search.models import Kind
from search.selectors import documents_search

router = Router(tags=["search"])


class HighlightsOut(Schema):
    title: str = Field(description="The title, HTML-escaped, the matched words in <mark>")
    body: str = Field(
        description="An excerpt of the text around the first match, HTML-escaped, the matched "
        "words in <mark>"
    )


class SearchResultOut(Schema):
    key: str = Field(description='The document\'s key: "page-12", "contribution-7", "request-3", "idea-5"')
    kind: str = Field(description="One of: " + ", ".join(Kind.values))
    language: str
    title: str
    url: str = Field(description="Where to read it (absolute)")
    institution: str = Field(description="The institution's slug (empty: none)")
    institution_name: str = Field(description="The institution's name, in the document's language")
    status: str = Field(
        description="A consultation's or forum topic's phase, a decision's status, a public "
        "request's stage, an idea's status"
    )
    reference: str = Field(description="A decision's official and Official Journal references")
    date: datetime.datetime
    topics: list[str]
    highlights: HighlightsOut
    extra: dict = Field(
        description="Details of the kind: a contribution's author, number and page, a "
        "consultation's opening and closing moments, an outcome's consultation, a public "
        "request's kind (suggestion or notice), tracking number and supporters (never its "
        "author), an idea's author, supporters and the consultation or topic it was sent within "
        "(page_title)"
    )


class FacetValueOut(Schema):
    value: str
    count: int = Field(description="Documents matching the query and every filter")


class SearchOut(Schema):
    query: str
    total: int = Field(description="Documents matching the query and every filter")
    page: int
    page_size: int
    num_pages: int = Field(description=f"Pages that can be asked for (at most {conf.get('SEARCH_MAX_PAGE')})")
    results: list[SearchResultOut]
    facets: dict[str, list[FacetValueOut]] = Field(
        description="For each of " + ", ".join(FACETS) + ": its most frequent values"
    )


class SearchErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="The messages, by parameter")


def _list_parameter(
    name: str, description: str, values: list[str] | None = None, **item_schema
) -> dict:
    items = {"type": "string", **item_schema}
    if values:
        items["enum"] = values
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description + " Repeat it for several values (any of them).",
        "schema": {"type": "array", "items": items, "maxItems": MAX_VALUES},
        "style": "form",
        "explode": True,
    }


NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f]*$"


def EMPTY_OR(schema: dict) -> dict:  # noqa: N802 - reads as a schema
    """An HTML form sends an empty field as ``name=``: it means "not given"."""
    return {"anyOf": [schema, {"type": "string", "enum": [""]}]}


PARAMETERS = [
    {
        "name": "q",
        "in": "query",
        "required": False,
        "description": "Words, all of which must match (in the title or the text); "
        '"quoted phrases"; the last word may be the beginning of a word. Empty: every '
        f"document, newest first. At most {conf.get('SEARCH_MAX_QUERY_LENGTH')} characters (once trimmed), "
        f"{conf.get('SEARCH_MAX_QUERY_WORDS')} words and {conf.get('SEARCH_MAX_WORD_LENGTH')} letters a word, no control "
        "characters: otherwise a 400 saying which.",
        "schema": {
            "type": "string",
            "maxLength": conf.get("SEARCH_MAX_QUERY_LENGTH"),
            "pattern": NO_CONTROL,
        },
    },
    _list_parameter("kind", "Only documents of this kind.", Kind.values),
    _list_parameter(
        "institution",
        "Only documents of this institution (its slug).",
        maxLength=255,
        pattern=NO_CONTROL,
    ),
    _list_parameter("topic", "Only documents with this topic.", maxLength=100, pattern=NO_CONTROL),
    _list_parameter(
        "status", "Only documents in this phase, status or stage.", [value for value, _l in STATUS_CHOICES]
    ),
    _list_parameter(
        "year", "Only documents of this year (1900 to 2200).", pattern=r"^(19\d\d|2[01]\d\d|2200)$"
    ),
    _list_parameter(
        "language", "Only documents in this language.", [code for code, _n in settings.LANGUAGES]
    ),
    {
        "name": "date_from",
        "in": "query",
        "required": False,
        "description": "Only documents dated this day or later (YYYY-MM-DD), 1900 to 2200.",
        "schema": EMPTY_OR({"type": "string", "format": "date"}),
    },
    {
        "name": "date_to",
        "in": "query",
        "required": False,
        "description": "Only documents dated this day or earlier (YYYY-MM-DD), not before "
        "date_from (a 400).",
        "schema": EMPTY_OR({"type": "string", "format": "date"}),
    },
    {
        "name": "sort",
        "in": "query",
        "required": False,
        "description": "relevance (the default) or date (newest first).",
        "schema": {"type": "string", "enum": ["", "relevance", "date"], "default": "relevance"},
    },
    {
        "name": "page",
        "in": "query",
        "required": False,
        "description": f"{conf.get('SEARCH_PAGE_SIZE')} results a page, up to page {conf.get('SEARCH_MAX_PAGE')}.",
        "schema": EMPTY_OR({"type": "integer", "minimum": 1, "maximum": conf.get("SEARCH_MAX_PAGE"), "default": 1}),
    },
]


@router.get(
    "/search/",
    response={200: SearchOut, 400: SearchErrorOut, 503: SearchErrorOut},
    summary="Search decisions, outcomes, consultations, policies, discussions and public requests",
    description="Full-text search over everything published, in every language, with facets "
    "(the count of each kind, institution, topic, status, year and language among the "
    "matches) and highlighted excerpts. Several values of one filter are alternatives; "
    "different filters must all hold. The same search is a page at /<lang>/search/ and an "
    "Atom feed at /<lang>/search/feed/.",
    openapi_extra={"parameters": PARAMETERS},
    url_name="search",
)
def search(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        errors = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
        detail = " ".join(form.error_messages_list()) or _("The search is not valid.")
        return Status(400, {"detail": detail, "errors": errors})
    try:
        results = documents_search(request=form.search_request())
    except SearchUnavailable as error:
        return Status(503, {"detail": str(error.message), "errors": {}})
    hits = [
        {
            "key": hit.key,
            "kind": hit.kind,
            "language": hit.language,
            "title": hit.title,
            "url": request.build_absolute_uri(hit.url),
            "institution": hit.institution,
            "institution_name": hit.institution_name,
            "status": hit.status,
            "reference": hit.reference,
            "date": hit.date,
            "topics": hit.topics,
            "highlights": {"title": str(hit.title_html), "body": str(hit.snippet_html)},
            "extra": hit.extra,
        }
        for hit in results.hits
    ]
    facets = {
        name: [{"value": facet.value, "count": facet.count} for facet in values]
        for name, values in results.facets.items()
    }
    return Status(
        200,
        {
            "query": form.cleaned_data["q"],
            "total": results.total,
            "page": results.page,
            "page_size": results.page_size,
            "num_pages": min(results.num_pages, conf.get("SEARCH_MAX_PAGE")),
            "results": hits,
            "facets": facets,
        },
    )
