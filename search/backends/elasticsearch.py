"""Elasticsearch, selected by ``ELASTICSEARCH_URL``: the ``SearchDocument`` rows mirrored into an
index searched through an alias, the bodies built with ``elasticsearch.dsl``.

Matching is the database backend's, word for word. The rows already hold their *folded* words
(``title_words`` / ``body_words``, made by search/text.py), and the index reads them with a
``whitespace`` tokenizer and no filter, so a term here is exactly a word there, and the query's
clauses (folded words too) are turned into term-level queries only: ``match`` for a word,
``match_phrase`` for a phrase, ``prefix`` for the word still being typed. No user text ever
reaches ``query_string`` or ``simple_query_string``. A contribution's title only names its
discussion: its ``title_words`` is empty, so it is not searched, as in the database.

Per-language fields (``title_ar``, ``body_fr``, … filled in the document's own language, with
an Arabic, French or English analyser that normalises, drops stop words and stems) only add
relevance: they are ``should`` clauses, never a condition, and weigh less than the folded
fields, so a stem can rank a document but never make one match, and title words keep weighing
more than text words.

Highlights are made in Python by ``search.text.highlight()`` from the original title and text
kept in ``_source``, exactly as the database backend makes them. Elasticsearch's own
highlighter is not used: it would mark what its analysers matched (stems, a different word
split) and the two backends would show different ``<mark>``s for the same search.

Facets are ``terms`` aggregations over the query and all filters (not a ``post_filter``), the
largest first and ties by value; the index has one shard so their counts, and BM25 statistics,
are exact. Dates are compared as instants: the start of a day in ``settings.TIME_ZONE``.

The index itself (analysers, mapping, the document of a row) is in elasticsearch_index.py.
A rebuild fills a new index ``<alias>-<timestamp>`` while searches keep reading the old one,
swaps the alias in one atomic ``update_aliases``, then catches up with the rows that changed
or went meanwhile, and deletes the old index.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from elastic_transport import TransportError
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError
from elasticsearch.dsl import A, Q, Search
from elasticsearch.helpers import BulkIndexError

from search import conf
from search.backends.base import (
    FACETS,
    FacetValue,
    Hit,
    SearchBackend,
    SearchRequest,
    SearchResults,
    SearchUnavailable,
    highlights,
)
from search.backends.elasticsearch_index import (
    LANGUAGE_ANALYZERS,
    document_body,
    index_settings_body,
)
from search.models import SearchDocument
from search.text import Clause, ParsedQuery

logger = logging.getLogger(__name__)

LANGUAGES = tuple(LANGUAGE_ANALYZERS)
# Facet name -> indexed field.
FACET_FIELDS = {
    "kind": "kind",
    "institution": "institution",
    "topic": "topics",
    "status": "status",
    "year": "year",
    "language": "language",
}
# The folded fields decide what matches; the title weighs four times the text (as bm25's
# column weights in the database backend).
TITLE_BOOST = 4
# The language fields only rank, below the folded ones.
LANGUAGE_TITLE_BOOST = 2
LANGUAGE_BODY_BOOST = 0.5
SOURCE_FIELDS = [
    "key",
    "kind",
    "language",
    "title",
    "body",
    "url",
    "institution",
    "institution_name",
    "status",
    "reference",
    "date",
    "topics",
    "extra",
]
BATCH_SIZE = 500
# Rows changed this long before a rebuild started are indexed again after the swap (clocks of
# several servers differ a little; indexing a row twice is harmless).
CATCH_UP_MARGIN = datetime.timedelta(minutes=1)


# --- the search ------------------------------------------------------------------------------


def clause_query(clause: Clause) -> Q:
    """The condition of one clause: its words in the folded title or text."""
    text = " ".join(clause.words)
    if clause.prefix and not clause.is_phrase:
        word = clause.words[0]
        queries = [
            Q("prefix", title_words={"value": word, "boost": TITLE_BOOST}),
            Q("prefix", body_words={"value": word}),
        ]
    elif clause.prefix:
        # parse_query never makes a prefix phrase; should one come, expand it generously.
        queries = [
            Q(
                "match_phrase_prefix",
                title_words={"query": text, "boost": TITLE_BOOST, "max_expansions": 1000},
            ),
            Q("match_phrase_prefix", body_words={"query": text, "max_expansions": 1000}),
        ]
    elif clause.is_phrase:
        queries = [
            Q("match_phrase", title_words={"query": text, "boost": TITLE_BOOST}),
            Q("match_phrase", body_words={"query": text}),
        ]
    else:
        queries = [
            Q("match", title_words={"query": text, "boost": TITLE_BOOST}),
            Q("match", body_words={"query": text}),
        ]
    return Q("bool", should=queries, minimum_should_match=1)


def language_query(clause: Clause) -> Q | None:
    """The clause in the language fields (stems, stop words): relevance only."""
    if clause.prefix:
        return None
    fields = [f"title_{language}^{LANGUAGE_TITLE_BOOST}" for language in LANGUAGES] + [
        f"body_{language}^{LANGUAGE_BODY_BOOST}" for language in LANGUAGES
    ]
    return Q(
        "multi_match",
        query=" ".join(clause.words),
        type="phrase" if clause.is_phrase else "best_fields",
        fields=fields,
    )


def text_query(query: ParsedQuery) -> Q:
    if not query:
        return Q("match_all")
    should = [each for each in map(language_query, query.clauses) if each is not None]
    return Q("bool", must=[clause_query(clause) for clause in query.clauses], should=should)


def day_start(day: datetime.date) -> str:
    """Midnight of ``day`` in the site's time zone, as an ISO instant."""
    return datetime.datetime.combine(
        day, datetime.time(), tzinfo=ZoneInfo(settings.TIME_ZONE)
    ).isoformat()


def filter_queries(request: SearchRequest) -> list[Q]:
    filters = [
        Q("terms", **{FACET_FIELDS[name]: list(values)}) for name, values in request.filters.items()
    ]
    dates = {}
    if request.date_from:
        dates["gte"] = day_start(request.date_from)
    if request.date_to:
        dates["lt"] = day_start(request.date_to + datetime.timedelta(days=1))
    if dates:
        filters.append(Q("range", date=dates))
    return filters


def search_body(request: SearchRequest) -> dict:
    """The body of the ``_search`` request answering ``request``."""
    search = Search().query(text_query(request.query))
    for each in filter_queries(request):
        search = search.filter(each)
    if request.sort == "relevance" and request.query:
        search = search.sort(
            {"_score": {"order": "desc"}}, {"date": {"order": "desc"}}, {"key": {"order": "asc"}}
        )
    else:
        search = search.sort({"date": {"order": "desc"}}, {"key": {"order": "asc"}})
    if request.facets:
        for name in FACETS:
            field = FACET_FIELDS[name]
            options = {"exclude": [""]} if field != "year" else {}
            search.aggs.bucket(
                name,
                A(
                    "terms",
                    field=field,
                    size=conf.FACET_SIZE,
                    order=[{"_count": "desc"}, {"_key": "asc"}],
                    **options,
                ),
            )
    search = search.extra(track_total_hits=bool(request.facets), _source=SOURCE_FIELDS)
    search = search[request.offset : request.offset + request.page_size]
    return search.to_dict()


def hit_from_source(source: dict, query: ParsedQuery) -> Hit:
    title, body = source.get("title", ""), source.get("body", "")
    return Hit(
        key=source["key"],
        kind=source["kind"],
        language=source["language"],
        title=title,
        url=source.get("url", ""),
        institution=source.get("institution", ""),
        institution_name=source.get("institution_name", ""),
        status=source.get("status", ""),
        reference=source.get("reference", ""),
        date=datetime.datetime.fromisoformat(source["date"]),
        topics=sorted(source.get("topics") or []),
        extra=source.get("extra") or {},
        **highlights(kind=source["kind"], title=title, body=body, query=query),
    )


def results_from_response(response: dict, request: SearchRequest) -> SearchResults:
    """``SearchResults`` from the JSON answer of ``search_body(request)``."""
    hits = [hit_from_source(each["_source"], request.query) for each in response["hits"]["hits"]]
    facets: dict[str, list[FacetValue]] = {}
    if request.facets:
        total = response["hits"]["total"]["value"]
        aggregations = response.get("aggregations") or {}
        for name in FACETS:
            buckets = (aggregations.get(name) or {}).get("buckets", [])
            values = [
                FacetValue(str(bucket["key"]), bucket["doc_count"])
                for bucket in buckets
                if bucket["key"] not in ("", None)
            ]
            facets[name] = sorted(values, key=lambda value: (-value.count, value.value))[
                : conf.FACET_SIZE
            ]
    else:
        total = request.offset + len(hits)
    return SearchResults(
        hits=hits, total=total, page=request.page, page_size=request.page_size, facets=facets
    )


EMPTY_RESPONSE = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}, "aggregations": {}}


# --- the backend -----------------------------------------------------------------------------


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
            self._client = Elasticsearch(self.url, request_timeout=conf.ELASTICSEARCH_TIMEOUT)
        return self._client

    @property
    def alias(self) -> str:
        return conf.ELASTICSEARCH_ALIAS

    # --- searching ---------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResults:
        try:
            response = _body(self.client.search(index=self.alias, body=search_body(request)))
        except NotFoundError:
            response = EMPTY_RESPONSE  # nothing was ever indexed
        except (ApiError, TransportError) as error:
            logger.warning("Elasticsearch search failed: %r", error)
            raise SearchUnavailable() from error
        return results_from_response(response, request)

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
