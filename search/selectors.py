"""Reading the search index."""

from collections.abc import Iterable

from cms.models import InstitutionPage
from search.backends import get_backend
from search.backends.base import SearchRequest, SearchResults
from search.models import SearchDocument


def documents_search(*, request: SearchRequest) -> SearchResults:
    """The results of ``request``, statuses as they are now (a consultation that closed by date
    is closed): the backend reads them from the dates indexed. Writes nothing."""
    return get_backend().search(request)


def institution_names(slugs: Iterable[str], *, language: str) -> dict[str, str]:
    """Each institution's name, from its live page in ``language``, else in another language;
    for an institution without a live page, as its documents name it. One or two queries
    whatever the number of institutions."""
    slugs = {slug for slug in slugs if slug}
    if not slugs:
        return {}
    rows = InstitutionPage.objects.live().filter(slug__in=slugs).values_list(
        "slug", "locale__language_code", "title"
    )
    rows = list(rows)
    missing = slugs - {slug for slug, _code, _title in rows}
    if missing:
        rows += list(
            SearchDocument.objects.filter(institution__in=missing)
            .exclude(institution_name="")
            .values_list("institution", "language", "institution_name")
            .order_by()
            .distinct()
        )
    names: dict[str, str] = {}
    for slug, _code, title in sorted(rows, key=lambda row: (row[1] != language, row[1], row[2])):
        names.setdefault(slug, title)
    return names
