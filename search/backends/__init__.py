"""The two search backends behind one interface (``base.SearchBackend``).

``get_backend()`` returns the database backend, or the Elasticsearch one when
``ELASTICSEARCH_URL`` is set. Everything else in the project talks to that interface only.
"""

from functools import cache

from django.conf import settings

from search.backends.base import SearchBackend
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import ElasticsearchBackend


@cache
def _backend(url: str) -> SearchBackend:
    if url:
        return ElasticsearchBackend(url)
    return DatabaseBackend()


def get_backend() -> SearchBackend:
    return _backend(settings.ELASTICSEARCH_URL)
