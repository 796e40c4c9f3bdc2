"""Reading the search index."""

from search.backends import get_backend
from search.backends.base import SearchRequest, SearchResults
from search.services import expired_statuses_refresh


def documents_search(*, request: SearchRequest) -> SearchResults:
    """The results of ``request``. Documents whose phase ran out since they were indexed (a
    consultation that closed by date) are brought up to date first: one indexed query, and
    usually nothing to do."""
    expired_statuses_refresh()
    return get_backend().search(request)
