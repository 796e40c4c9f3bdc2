"""Search settings: ``conf.NAME`` reads ``settings.SEARCH_NAME``, else the default here."""

from django.conf import settings

DEFAULTS = {
    # A typed query: longer, wordier or with longer words gets a clear 400.
    "MAX_QUERY_LENGTH": 200,
    "MAX_QUERY_WORDS": 12,
    "MAX_WORD_LENGTH": 40,
    "PAGE_SIZE": 20,
    # Deep pages cost the engines more than they give a reader: narrow the search instead.
    "MAX_PAGE": 50,
    "SNIPPET_LENGTH": 240,
    # Facet values shown per facet (the most frequent first).
    "FACET_SIZE": 12,
    "FEED_SIZE": 30,
    # Elasticsearch: the alias searched; each rebuild makes "<alias>-<timestamp>" and swaps.
    "ELASTICSEARCH_ALIAS": "majlis-documents",
    "ELASTICSEARCH_TIMEOUT": 5,
    # Index operations that failed are kept and retried this many times, then logged as lost.
    "MAX_ATTEMPTS": 10,
    # Pending retries run at most this many per indexing call (so a citizen's post stays fast).
    "RETRY_BATCH": 20,
}


def __getattr__(name: str):
    if name not in DEFAULTS:
        raise AttributeError(name)
    return getattr(settings, f"SEARCH_{name}", DEFAULTS[name])
