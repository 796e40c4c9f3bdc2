"""What a search asks and what it answers, the same for every backend.

Semantics both backends keep (the conformance suite in tests/search checks them):

- every clause of the query must match (words, phrases; the last word may be a prefix), in
  the title or the text; an empty query matches every document;
- filters: several values of one facet are alternatives (OR), facets combine with AND; the
  date range is inclusive, in whole days of ``settings.TIME_ZONE``;
- facets count the documents matching the query *and* all filters, the largest first
  (ties by value), at most ``SEARCH_FACET_SIZE`` values each; ``total`` is their number;
- a status that runs by the calendar is the one at the moment of the search (``status_at``):
  the filter, the facet and the hits all read it so;
- sort by relevance (title words weigh more than text words; ties by date, newest first)
  or by date (newest first); then by key, so pages never overlap;
- highlights: the title and an excerpt of the text, HTML-escaped, matches in ``<mark>``.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from deliberation.phases import Phase
from search import conf
from search.models import Kind
from search.text import ParsedQuery, highlight

FACETS = ("kind", "institution", "topic", "status", "year", "language")
SORTS = ("relevance", "date")


@dataclass(frozen=True)
class SearchRequest:
    query: ParsedQuery
    kinds: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = field(default_factory=lambda: conf.get("SEARCH_PAGE_SIZE"))
    facets: bool = True

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def filters(self) -> dict[str, tuple]:
        """The facet filters in use, by facet name."""
        values = {
            "kind": self.kinds,
            "institution": self.institutions,
            "topic": self.topics,
            "status": self.statuses,
            "year": self.years,
            "language": self.languages,
        }
        return {name: chosen for name, chosen in values.items() if chosen}


@dataclass
class Hit:
    key: str
    kind: str
    language: str
    title: str
    url: str
    institution: str
    institution_name: str
    status: str
    reference: str
    date: datetime.datetime
    topics: list[str]
    extra: dict
    title_html: SafeString
    snippet_html: SafeString


def highlights(*, kind: str, title: str, body: str, query: ParsedQuery) -> dict:
    """``title_html`` and ``snippet_html`` of a hit, the same in every backend. A
    contribution's title only names its discussion and is not searched: nothing is marked
    in it."""
    title_query = ParsedQuery(raw="", clauses=()) if kind == Kind.CONTRIBUTION else query
    return {
        "title_html": highlight(title, title_query, length=len(title) + 1),
        "snippet_html": highlight(body, query),
    }


def status_at(
    *,
    status: str,
    opens_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
    now: datetime.datetime,
) -> str:
    """A document's status at ``now``: closed from ``closes_at``, else open from ``opens_at``,
    else the status it was indexed with (``deliberation.phases.phase_at``'s calendar)."""
    if closes_at is not None and closes_at <= now:
        return Phase.CLOSED.value
    if opens_at is not None and opens_at <= now:
        return Phase.OPEN.value
    return status


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    page: int
    page_size: int
    facets: dict[str, list[FacetValue]]

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


class SearchUnavailable(RuntimeError):
    """The search engine cannot answer now; ``message`` says so in the reader's language."""

    def __init__(self, message=None):
        message = message or _("The search is unavailable for a moment. Please try again shortly.")
        super().__init__(str(message))
        self.message = message


class SearchBackend:
    """The interface both backends implement."""

    name = ""

    def search(self, request: SearchRequest) -> SearchResults:
        """Answer ``request`` (override)."""
        raise NotImplementedError

    def index(self, documents) -> None:
        """Make the engine hold these saved ``SearchDocument`` rows (override)."""
        raise NotImplementedError

    def delete(self, keys: list[str]) -> None:
        """Remove these documents from the engine (override)."""
        raise NotImplementedError

    def rebuild(self, documents, *, total: int, progress=None) -> None:
        """Replace the engine's whole index with ``documents`` (an iterable of saved rows),
        calling ``progress(n)`` as batches are done (override)."""
        raise NotImplementedError
