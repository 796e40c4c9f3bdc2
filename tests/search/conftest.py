"""The search backends under test: the database one always, Elasticsearch as well whenever
``ELASTICSEARCH_URL`` is set (the same conformance suite runs against both)."""

import os

import pytest

from search.backends import _backend
from tests.search.builders import doc

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


# --- a small listing for the page, API and feed tests -----------------------------------------


@pytest.fixture
def listing(db):
    """Water documents of two kinds and two institutions, and two about buses (one in
    English, so El Kef has an English name)."""
    doc(1, kind="decision", title="Arrêté sur l'eau potable",
        body="Dix fontaines pour l'eau du Kef.", status="adopted", topics=["eau"],
        reference="Arrêté 2026-12")
    doc(2, kind="decision", language="ar", title="قرار حول الماء", body="توزيع الماء في الكاف eau",
        status="in_force", topics=["الماء"])
    doc(3, kind="outcome", title="Ce que nous avons entendu sur l'eau",
        body="Beaucoup d'avis sur l'eau.", institution="bizerte", topics=["eau"])
    doc(4, kind="consultation", title="Bus de nuit", body="Une ligne de bus vers l'hôpital.",
        status="open", topics=["transport"])
    doc(5, kind="policy", language="en", title="Night buses", body="A bus line to the hospital.")
