"""Elasticsearch, selected by ``ELASTICSEARCH_URL``: the ``SearchDocument`` rows mirrored into an
index searched through an alias, the bodies built with ``elasticsearch.dsl``.

The index itself (analysers, mapping, the document of a row) is in elasticsearch_index.py, the
search request and the reading of its answer in elasticsearch_query.py. A rebuild fills a new
index ``<alias>-<timestamp>`` while searches keep reading the old one, swaps the alias in one
atomic ``update_aliases``, then catches up with the rows that changed or went meanwhile, and
deletes the old index.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator

from django.utils import timezone
from elastic_transport import TransportError
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError
from elasticsearch.helpers import BulkIndexError

from search import conf
from search.backends.base import SearchBackend, SearchRequest, SearchResults, SearchUnavailable
from search.backends.elasticsearch_index import document_body, index_settings_body
from search.backends.elasticsearch_query import EMPTY_RESPONSE, results_from_response, search_body
from search.models import SearchDocument

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Rows changed this long before a rebuild started are indexed again after the swap (clocks of
# several servers differ a little; indexing a row twice is harmless).
CATCH_UP_MARGIN = datetime.timedelta(minutes=1)


def _body(response) -> dict:
    return getattr(response, "body", response)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, client: Elasticsearch | None = None):
        self.url = url
        self._client = client
        self._alias_ready = False

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            self._client = Elasticsearch(self.url, request_timeout=conf.get("SEARCH_ELASTICSEARCH_TIMEOUT"))
        return self._client

    @property
    def alias(self) -> str:
        return conf.get("SEARCH_ELASTICSEARCH_ALIAS")

    # --- searching ---------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResults:
        now = timezone.now()
        try:
            response = _body(self.client.search(index=self.alias, body=search_body(request, now)))
        except NotFoundError:
            response = EMPTY_RESPONSE  # nothing was ever indexed
        except (ApiError, TransportError) as error:
            logger.warning("Elasticsearch search failed: %r", error)
            raise SearchUnavailable() from error
        return results_from_response(response, request, now)

    # --- indexing (errors propagate: services.py keeps the keys for a retry) -----------------

    def ensure_index(self) -> None:
        """Create the first index, with the alias, unless the alias exists."""
        if self._alias_ready or self.client.indices.exists_alias(name=self.alias):
            self._alias_ready = True
            return
        body = index_settings_body()
        try:
            self.client.indices.create(
                index=f"{self.alias}-initial",
                settings=body["settings"],
                mappings=body["mappings"],
                aliases={self.alias: {}},
            )
        except BadRequestError as error:
            if error.error != "resource_already_exists_exception":  # another process won the race
                raise
        self._alias_ready = True

    def index(self, documents) -> None:
        rows = list(documents)
        if not rows:
            return
        self.ensure_index()
        try:
            self._bulk_index(self.alias, rows, refresh=True)
        except Exception:
            self._alias_ready = False  # check the alias again next time
            raise

    def delete(self, keys: list[str]) -> None:
        keys = list(keys)
        if not keys:
            return
        if not self._alias_ready and not self.client.indices.exists_alias(name=self.alias):
            return  # nothing was ever indexed
        for batch in _batches(keys, BATCH_SIZE):
            operations = [{"delete": {"_id": key}} for key in batch]
            self._bulk(self.alias, operations, refresh=True)

    def rebuild(
        self, documents, *, total: int, progress: Callable[[int], None] | None = None
    ) -> None:
        started = timezone.now()
        new = f"{self.alias}-{started.strftime('%Y%m%d%H%M%S%f')}"
        body = index_settings_body()
        self.client.indices.create(index=new, settings=body["settings"], mappings=body["mappings"])
        seen: set[str] = set()
        try:
            for batch in _batches(documents, BATCH_SIZE):
                self._bulk_index(new, batch, refresh=False)
                seen.update(row.key for row in batch)
                if progress:
                    progress(len(batch))
            self.client.indices.refresh(index=new)
            old = []
            if self.client.indices.exists_alias(name=self.alias):
                old = sorted(_body(self.client.indices.get_alias(name=self.alias)))
        except Exception:
            self.client.indices.delete(index=new)
            raise
        actions = [{"add": {"index": new, "alias": self.alias}}]
        if old:
            actions.insert(0, {"remove": {"indices": old, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        self._alias_ready = True
        self._catch_up(seen, since=started - CATCH_UP_MARGIN)
        if old:
            self.client.indices.delete(index=old)

    def _catch_up(self, seen: set[str], *, since: datetime.datetime) -> None:
        """Changes made while the new index filled went to the old one: redo them here."""
        changed = SearchDocument.objects.filter(indexed_at__gte=since).order_by("pk")
        rows = list(changed)
        if rows:
            self._bulk_index(self.alias, rows, refresh=True)
        existing = set(SearchDocument.objects.values_list("key", flat=True).iterator())
        gone = sorted(seen - existing)
        for batch in _batches(gone, BATCH_SIZE):
            self._bulk(self.alias, [{"delete": {"_id": key}} for key in batch], refresh=True)

    def _bulk_index(self, index: str, rows: list[SearchDocument], *, refresh: bool) -> None:
        for batch in _batches(rows, BATCH_SIZE):
            operations = []
            for row in batch:
                operations.append({"index": {"_id": row.key}})
                operations.append(document_body(row))
            self._bulk(index, operations, refresh=refresh)

    def _bulk(self, index: str, operations: list[dict], *, refresh: bool) -> None:
        # Writing to the alias requires it to be one: should it vanish, Elasticsearch must not
        # auto-create a concrete index of that name (which would block the alias for good).
        options = {"require_alias": True} if index == self.alias else {}
        response = _body(
            self.client.bulk(index=index, operations=operations, refresh=refresh, **options)
        )
        if not response.get("errors"):
            return
        failed = []
        for item in response.get("items", []):
            ((action, result),) = item.items()
            if "error" in result and not (action == "delete" and result.get("status") == 404):
                failed.append(item)
        if failed:
            raise BulkIndexError(f"{len(failed)} document(s) failed to index.", failed)
