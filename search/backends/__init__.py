"""The two search backends behind one interface (``base.SearchBackend``).

``get_backend()`` returns the database backend, or the Elasticsearch one when
``ELASTICSEARCH_URL`` is set. Everything else in the project talks to that interface only.
"""

from functools import cache

from django.conf import settings

from search.backends.base import SearchBackend


@cache
def _backend(url: str) -> SearchBackend:
    if url:
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(url)
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()


def get_backend() -> SearchBackend:
    return _backend(settings.ELASTICSEARCH_URL)
