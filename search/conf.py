"""Search settings, each overridable in Django settings under the same name."""

from django.conf import settings

DEFAULTS = {
    # A typed query: longer, wordier or with longer words gets a clear 400.
    "SEARCH_MAX_QUERY_LENGTH": 200,
    "SEARCH_MAX_QUERY_WORDS": 12,
    "SEARCH_MAX_WORD_LENGTH": 40,
    "SEARCH_PAGE_SIZE": 20,
    # Deep pages cost the engines more than they give a reader: narrow the search instead.
    "SEARCH_MAX_PAGE": 50,
    "SEARCH_SNIPPET_LENGTH": 240,
    # Facet values shown per facet (the most frequent first).
    "SEARCH_FACET_SIZE": 12,
    "SEARCH_FEED_SIZE": 30,
    # Elasticsearch: the alias searched; each rebuild makes "<alias>-<timestamp>" and swaps.
    "SEARCH_ELASTICSEARCH_ALIAS": "majlis-documents",
    "SEARCH_ELASTICSEARCH_TIMEOUT": 5,
    # Index operations that failed are kept and retried this many times, then logged as lost.
    "SEARCH_MAX_ATTEMPTS": 10,
    # Pending retries run at most this many per indexing call (so a citizen's post stays fast).
    "SEARCH_RETRY_BATCH": 20,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
