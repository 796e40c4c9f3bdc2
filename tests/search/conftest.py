"""The search backends under test: the database one always, Elasticsearch as well whenever
``ELASTICSEARCH_URL`` is set (the same conformance suite runs against both)."""

import os

import pytest

from search.backends import _backend

BACKENDS = ["database"] + (["elasticsearch"] if os.environ.get("ELASTICSEARCH_URL") else [])


@pytest.fixture(params=BACKENDS)
def search_backend(request, settings):
    """Select the backend for the test; ``search_backend.sync()`` pushes the document rows
    written so far to it (a no-op for the database backend, whose rows are the index)."""
    settings.ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "") if request.param != "database" else ""
    _backend.cache_clear()
    from search.backends import get_backend

    backend = get_backend()
    assert backend.name == request.param

    def sync():
        from search.models import SearchDocument

        rows = SearchDocument.objects.order_by("pk")
        backend.rebuild(rows.iterator(chunk_size=100), total=rows.count())

    backend.sync = sync
    yield backend
    _backend.cache_clear()
