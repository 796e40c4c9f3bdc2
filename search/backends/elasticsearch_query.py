"""The Elasticsearch ``_search`` request answering a ``SearchRequest``, and its answer read back.

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
are exact. Dates are compared as instants: the start of a day in ``settings.TIME_ZONE``. A
status is read at the moment of the search (``status_at``): documents whose ``closes_at`` or
``opens_at`` has passed count as closed or open, the others by their indexed ``status``.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from elasticsearch.dsl import A, Q, Search

from deliberation.phases import Phase
from search import conf
from search.backends.base import (
    FACETS,
    FacetValue,
    Hit,
    SearchRequest,
    SearchResults,
    highlights,
    status_at,
)
from search.backends.elasticsearch_index import LANGUAGE_ANALYZERS
from search.text import Clause, ParsedQuery

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
    "opens_at",
    "closes_at",
    "reference",
    "date",
    "topics",
    "extra",
]


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


def status_cases(now: datetime.datetime) -> dict[str, Q]:
    """The documents whose status at ``now`` is closed by date, open by date, or the one they
    were indexed with (``status_at``, as three disjoint queries)."""
    closed = Q("range", closes_at={"lte": now.isoformat()})
    opened = Q("range", opens_at={"lte": now.isoformat()})
    return {
        "indexed": Q("bool", must_not=[closed, opened]),
        Phase.OPEN.value: Q("bool", filter=[opened], must_not=[closed]),
        Phase.CLOSED.value: closed,
    }


def status_query(values: tuple[str, ...], now: datetime.datetime) -> Q:
    """The documents whose status at ``now`` is one of ``values``."""
    cases = status_cases(now)
    should = [Q("bool", filter=[cases["indexed"], Q("terms", status=list(values))])]
    should += [cases[value] for value in (Phase.OPEN.value, Phase.CLOSED.value) if value in values]
    return Q("bool", should=should, minimum_should_match=1)


def facet_aggregation(name: str, now: datetime.datetime) -> A:
    """The facet's counts; the status's in three buckets (``status_cases``), added up by
    ``facet_values``."""
    field = FACET_FIELDS[name]
    options = {"exclude": [""]} if field != "year" else {}
    order = [{"_count": "desc"}, {"_key": "asc"}]
    terms = A("terms", field=field, size=conf.get("SEARCH_FACET_SIZE"), order=order, **options)
    if name != "status":
        return terms
    cases = A("filters", filters=status_cases(now))
    cases.bucket("values", terms)
    return cases


def facet_values(name: str, aggregation: dict) -> list[FacetValue]:
    """The facet's values, the largest first (ties by value), from its aggregation."""
    if name == "status":
        buckets = aggregation.get("buckets") or {}
        counted = (buckets.get("indexed") or {}).get("values", {}).get("buckets", [])
        counts = {bucket["key"]: bucket["doc_count"] for bucket in counted}
        for value in (Phase.OPEN.value, Phase.CLOSED.value):
            by_date = (buckets.get(value) or {}).get("doc_count", 0)
            if by_date:
                counts[value] = counts.get(value, 0) + by_date
        pairs = counts.items()
    else:
        pairs = [(bucket["key"], bucket["doc_count"]) for bucket in aggregation.get("buckets", [])]
    values = [FacetValue(str(key), count) for key, count in pairs if key not in ("", None)]
    return sorted(values, key=lambda value: (-value.count, value.value))[: conf.get("SEARCH_FACET_SIZE")]


def filter_queries(request: SearchRequest, now: datetime.datetime) -> list[Q]:
    filters = [
        status_query(values, now)
        if name == "status"
        else Q("terms", **{FACET_FIELDS[name]: list(values)})
        for name, values in request.filters.items()
    ]
    dates = {}
    if request.date_from:
        dates["gte"] = day_start(request.date_from)
    if request.date_to:
        dates["lt"] = day_start(request.date_to + datetime.timedelta(days=1))
    if dates:
        filters.append(Q("range", date=dates))
    return filters


def search_body(request: SearchRequest, now: datetime.datetime | None = None) -> dict:
    """The body of the ``_search`` request answering ``request`` at ``now`` (by default, this
    moment)."""
    now = now or timezone.now()
    search = Search().query(text_query(request.query))
    for each in filter_queries(request, now):
        search = search.filter(each)
    if request.sort == "relevance" and request.query:
        search = search.sort(
            {"_score": {"order": "desc"}}, {"date": {"order": "desc"}}, {"key": {"order": "asc"}}
        )
    else:
        search = search.sort({"date": {"order": "desc"}}, {"key": {"order": "asc"}})
    if request.facets:
        for name in FACETS:
            search.aggs.bucket(name, facet_aggregation(name, now))
    search = search.extra(track_total_hits=bool(request.facets), _source=SOURCE_FIELDS)
    search = search[request.offset : request.offset + request.page_size]
    return search.to_dict()


def _moment(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def hit_from_source(source: dict, query: ParsedQuery, now: datetime.datetime) -> Hit:
    title, body = source.get("title", ""), source.get("body", "")
    return Hit(
        key=source["key"],
        kind=source["kind"],
        language=source["language"],
        title=title,
        url=source.get("url", ""),
        institution=source.get("institution", ""),
        institution_name=source.get("institution_name", ""),
        status=status_at(
            status=source.get("status", ""),
            opens_at=_moment(source.get("opens_at")),
            closes_at=_moment(source.get("closes_at")),
            now=now,
        ),
        reference=source.get("reference", ""),
        date=datetime.datetime.fromisoformat(source["date"]),
        topics=sorted(source.get("topics") or []),
        extra=source.get("extra") or {},
        **highlights(kind=source["kind"], title=title, body=body, query=query),
    )


def results_from_response(
    response: dict, request: SearchRequest, now: datetime.datetime | None = None
) -> SearchResults:
    """``SearchResults`` from the JSON answer of ``search_body(request, now)``."""
    now = now or timezone.now()
    hits = [
        hit_from_source(each["_source"], request.query, now) for each in response["hits"]["hits"]
    ]
    facets: dict[str, list[FacetValue]] = {}
    if request.facets:
        total = response["hits"]["total"]["value"]
        aggregations = response.get("aggregations") or {}
        facets = {name: facet_values(name, aggregations.get(name) or {}) for name in FACETS}
    else:
        total = request.offset + len(hits)
    return SearchResults(
        hits=hits, total=total, page=request.page, page_size=request.page_size, facets=facets
    )


EMPTY_RESPONSE = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}, "aggregations": {}}
