"""The Elasticsearch backend without a server: the bodies it sends, the answers it reads, and
the calls it makes to a fake client (the conformance suite runs it against a real server when
``ELASTICSEARCH_URL`` is set)."""

import datetime
import json

import pytest
from django.utils import timezone, translation
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import BadRequestError, ConnectionError, NotFoundError
from elasticsearch.helpers import BulkIndexError

from search import conf
from search.backends.base import FACETS, SearchRequest
from search.backends.elasticsearch import (
    ElasticsearchBackend,
    SearchUnavailable,
    document_body,
    index_settings_body,
    results_from_response,
    search_body,
)
from search.models import SearchDocument
from search.text import parse_query

ALIAS = conf.get("SEARCH_ELASTICSEARCH_ALIAS")


def request_for(text="", **options):
    return SearchRequest(query=parse_query(text), **options)


def walk(value):
    """Every (key, value) pair of a JSON body, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def must(body):
    return body["query"]["bool"]["must"]


def row(**fields):
    defaults = {
        "key": "page-1",
        "kind": "decision",
        "language": "fr",
        "title": "Décret sur l'eau",
        "body": "Le décret fixe les règles de l'eau potable.",
        "url": "/fr/decisions/eau/",
        "institution": "ministere-eau",
        "institution_name": "Ministère de l'eau",
        "status": "adopted",
        "reference": "2024-12",
        "date": datetime.datetime(2024, 3, 5, 9, 30, tzinfo=datetime.UTC),
        "year": 2024,
        "extra": {"number": "12"},
    }
    defaults.update(fields)
    from search.text import folded_text

    defaults.setdefault(
        "title_words", "" if defaults["kind"] == "contribution" else folded_text(defaults["title"])
    )
    defaults.setdefault("body_words", folded_text(defaults["body"]))
    return SearchDocument(**defaults)


# --- the index ------------------------------------------------------------------------------


def test_index_settings_have_the_three_language_analysers_and_the_folded_words():
    body = index_settings_body()
    analysis = body["settings"]["analysis"]
    analyzers = analysis["analyzer"]
    filters = {name: spec["type"] for name, spec in analysis["filter"].items()}

    def kinds(name):
        return [filters.get(each, each) for each in analyzers[name]["filter"]]

    assert {"arabic_normalization", "decimal_digit", "lowercase"} <= set(kinds("majlis_arabic"))
    assert {"elision", "lowercase", "asciifolding"} <= set(kinds("majlis_french"))
    assert kinds("majlis_english")[:2] == ["stemmer", "lowercase"]
    assert analysis["filter"]["majlis_english_possessive"]["language"] == "possessive_english"
    # The words are folded in Python already: split on spaces, nothing else.
    assert analyzers["majlis_folded"] == {"tokenizer": "whitespace", "type": "custom"}

    properties = body["mappings"]["properties"]
    assert properties["title_words"]["analyzer"] == "majlis_folded"
    assert properties["body_words"]["analyzer"] == "majlis_folded"
    assert properties["title_ar"]["analyzer"] == "majlis_arabic"
    assert properties["body_fr"]["analyzer"] == "majlis_french"
    assert properties["title_en"]["analyzer"] == "majlis_english"
    for name in ("kind", "language", "institution", "status", "topics", "key"):
        assert properties[name]["type"] == "keyword"
    assert properties["year"]["type"] == "integer"
    assert properties["date"]["type"] == "date"
    assert properties["reference"]["type"] == "keyword"
    assert properties["reference"]["fields"]["text"]["type"] == "text"
    assert properties["extra"] == {"type": "object", "enabled": False}
    # One shard: facet counts are exact.
    assert body["settings"]["number_of_shards"] == 1


def test_document_body_holds_the_folded_words_and_the_text_in_its_language():
    body = document_body(row(), topics=["water", "health"])

    assert body["key"] == "page-1"
    assert body["title_words"] == "decret sur l eau"
    assert body["title_fr"] == "Décret sur l'eau"
    assert body["body_fr"] == "Le décret fixe les règles de l'eau potable."
    assert "title_ar" not in body and "body_en" not in body
    assert body["topics"] == ["health", "water"]
    assert body["date"] == "2024-03-05T09:30:00+00:00"
    assert body["year"] == 2024
    assert body["extra"] == {"number": "12"}
    # Every field is mapped (the mapping is strict).
    assert set(body) <= set(index_settings_body()["mappings"]["properties"])


def test_document_body_of_a_contribution_does_not_search_its_discussion_title():
    body = document_body(
        row(key="contribution-3", kind="contribution", language="ar", body="نريد مدرسة")
    )

    assert body["title_words"] == ""
    assert "title_ar" not in body
    assert body["body_ar"] == "نريد مدرسة"
    assert body["body_words"] == "نريد مدرسه"
    assert body["topics"] == []


def test_document_body_of_a_public_request_searches_its_subject_and_names_no_author():
    body = document_body(
        row(
            key="request-5", kind="request", language="ar", title="حفرة في الطريق",
            body="حفرة كبيرة أمام المدرسة", status="answered", reference="",
            extra={"request_kind": "notice", "tracking_number": "KEF-26-0000-0000", "supporters": 3},
        )
    )

    assert (body["kind"], body["status"]) == ("request", "answered")
    assert body["title_words"] == "حفره في طريق" and body["title_ar"] == "حفرة في الطريق"
    assert body["body_ar"] == "حفرة كبيرة أمام المدرسة"
    assert body["extra"] == {"request_kind": "notice", "tracking_number": "KEF-26-0000-0000", "supporters": 3}
    # The mapping needs nothing new: the kind and the stage are keywords like the others.
    assert set(body) <= set(index_settings_body()["mappings"]["properties"])
    filters = search_body(request_for("", kinds=("request",), statuses=("answered",)), NOW)
    assert {"terms": {"kind": ["request"]}} in filters["query"]["bool"]["filter"]


# --- the search body ------------------------------------------------------------------------


def test_each_word_must_match_in_the_folded_title_or_text_the_title_weighing_more():
    body = search_body(request_for("Décret eau "))

    clauses = must(body)
    assert len(clauses) == 2
    first = clauses[0]["bool"]
    assert first["minimum_should_match"] == 1
    assert first["should"] == [
        {"match": {"title_words": {"query": "decret", "boost": 4}}},
        {"match": {"body_words": {"query": "decret"}}},
    ]
    assert clauses[1]["bool"]["should"][1] == {"match": {"body_words": {"query": "eau"}}}


def test_a_phrase_is_matched_as_a_phrase_in_the_folded_fields():
    body = search_body(request_for('"Code des Eaux"'))

    assert must(body)[0]["bool"]["should"] == [
        {"match_phrase": {"title_words": {"query": "code des eaux", "boost": 4}}},
        {"match_phrase": {"body_words": {"query": "code des eaux"}}},
    ]


def test_the_word_being_typed_is_a_prefix():
    body = search_body(request_for("eau décr"))

    assert must(body)[1]["bool"]["should"] == [
        {"prefix": {"title_words": {"value": "decr", "boost": 4}}},
        {"prefix": {"body_words": {"value": "decr"}}},
    ]


def test_arabic_query_is_folded_like_the_indexed_words():
    indexed = document_body(row(language="ar", title="قرار", body="مدرسة"))["body_words"]
    body = search_body(request_for("المدرسة "))

    assert must(body)[0]["bool"]["should"][1] == {"match": {"body_words": {"query": indexed}}}
    assert search_body(request_for("مدرسه "))["query"] == body["query"]


def test_language_fields_only_add_relevance():
    body = search_body(request_for('"code des eaux" potable '))

    query = body["query"]["bool"]
    language_fields = {
        field.split("^")[0]
        for _, spec in walk(query["should"])
        if isinstance(spec, dict)
        for field in spec.get("fields", [])
    }
    assert language_fields == {"title_ar", "title_fr", "title_en", "body_ar", "body_fr", "body_en"}
    assert query.get("minimum_should_match", 0) == 0
    # The conditions only read the folded fields.
    fields = {
        key for key, _ in walk(query["must"]) if key.endswith(("_words", "_ar", "_fr", "_en"))
    }
    assert fields == {"title_words", "body_words"}


@pytest.mark.parametrize(
    "text",
    [
        "title:eau AND body:decret*",
        '"unterminated phrase',
        "(a OR b) && !c || d~2 e^10",
        "/.*regex.*/",
        "<script>alert(1)</script>",
        'ministère \\" */ ?',
        'قانون "المياه" ﻻ',
        "a" * 40 + " " + "+" * 50,
    ],
)
def test_no_user_text_reaches_a_query_string_parser(text):
    request = request_for(text, kinds=("decision",), date_from=datetime.date(2024, 1, 1))

    bodies = [
        search_body(request),
        search_body(request_for(text, sort="date", facets=False)),
        index_settings_body(),
    ]
    for body in bodies:
        keys = {key for key, _ in walk(body)}
        assert "query_string" not in keys
        assert "simple_query_string" not in keys
        assert "regexp" not in keys and "wildcard" not in keys
    # What the engine reads of the query is folded words only.
    for key, value in walk(bodies[0]["query"]["bool"]["must"]):
        if key in ("query", "value"):
            assert all(part.isalnum() and part == part.casefold() for part in value.split(" "))
    json.dumps(bodies[0])  # and it is plain JSON


def test_an_empty_query_matches_everything_newest_first(settings):
    body = search_body(request_for(""))

    assert body["query"] == {"match_all": {}}
    assert body["sort"] == [{"date": {"order": "desc"}}, {"key": {"order": "asc"}}]


NOW = datetime.datetime(2026, 5, 1, 10, 0, tzinfo=datetime.UTC)
CLOSED_BY_DATE = {"range": {"closes_at": {"lte": "2026-05-01T10:00:00+00:00"}}}
OPEN_BY_DATE = {"range": {"opens_at": {"lte": "2026-05-01T10:00:00+00:00"}}}
AS_INDEXED = {"bool": {"must_not": [CLOSED_BY_DATE, OPEN_BY_DATE]}}


def test_filters_are_alternatives_within_a_facet_and_combine_across_facets(settings):
    settings.TIME_ZONE = "Africa/Tunis"
    body = search_body(
        request_for(
            "eau",
            kinds=("decision", "policy"),
            institutions=("ministere-eau",),
            topics=("water",),
            statuses=("adopted",),
            years=(2023, 2024),
            languages=("fr",),
            date_from=datetime.date(2024, 1, 1),
            date_to=datetime.date(2024, 3, 31),
        ),
        NOW,
    )

    assert body["query"]["bool"]["filter"] == [
        {"terms": {"kind": ["decision", "policy"]}},
        {"terms": {"institution": ["ministere-eau"]}},
        {"terms": {"topics": ["water"]}},
        # A status as indexed, unless a date of the phase has passed.
        {
            "bool": {
                "should": [{"bool": {"filter": [AS_INDEXED, {"terms": {"status": ["adopted"]}}]}}],
                "minimum_should_match": 1,
            }
        },
        {"terms": {"year": [2023, 2024]}},
        {"terms": {"language": ["fr"]}},
        # Whole days in Tunis, the last one included.
        {
            "range": {
                "date": {"gte": "2024-01-01T00:00:00+01:00", "lt": "2024-04-01T00:00:00+01:00"}
            }
        },
    ]
    assert "post_filter" not in body


def test_a_phase_filter_reads_the_phase_dates_against_the_moment_of_the_search():
    body = search_body(request_for("", statuses=("closed", "upcoming")), NOW)

    (status,) = body["query"]["bool"]["filter"]
    assert status["bool"]["should"] == [
        {"bool": {"filter": [AS_INDEXED, {"terms": {"status": ["closed", "upcoming"]}}]}},
        CLOSED_BY_DATE,  # closed by date, whatever was indexed
    ]
    body = search_body(request_for("", statuses=("open",)), NOW)
    (status,) = body["query"]["bool"]["filter"]
    assert status["bool"]["should"][1] == {
        "bool": {"filter": [OPEN_BY_DATE], "must_not": [CLOSED_BY_DATE]}
    }


def test_a_date_range_may_be_open_on_one_side(settings):
    settings.TIME_ZONE = "Africa/Tunis"
    body = search_body(request_for("", date_to=datetime.date(2024, 12, 31)))

    assert body["query"]["bool"]["filter"] == [
        {"range": {"date": {"lt": "2025-01-01T00:00:00+01:00"}}}
    ]


def test_sort_by_relevance_then_date_then_key_and_by_date():
    assert search_body(request_for("eau"))["sort"] == [
        {"_score": {"order": "desc"}},
        {"date": {"order": "desc"}},
        {"key": {"order": "asc"}},
    ]
    assert search_body(request_for("eau", sort="date"))["sort"] == [
        {"date": {"order": "desc"}},
        {"key": {"order": "asc"}},
    ]


def test_pages():
    body = search_body(request_for("eau", page=3, page_size=10))

    assert (body["from"], body["size"]) == (20, 10)


def test_facets_are_aggregations_over_the_query_and_filters_largest_first():
    body = search_body(request_for("eau", kinds=("decision",)))

    assert set(body["aggs"]) == set(FACETS)
    for name, field in {
        "kind": "kind",
        "topic": "topics",
        "year": "year",
        "institution": "institution",
    }.items():
        terms = body["aggs"][name]["terms"]
        assert terms["field"] == field
        assert terms["size"] == conf.get("SEARCH_FACET_SIZE")
        assert terms["order"] == [{"_count": "desc"}, {"_key": "asc"}]
    # An empty status or institution is no facet value.
    assert body["aggs"]["institution"]["terms"]["exclude"] == [""]
    # The status: as indexed, open by date, closed by date, counted apart.
    status = body["aggs"]["status"]
    assert set(status["filters"]["filters"]) == {"indexed", "open", "closed"}
    assert status["aggs"]["values"]["terms"]["field"] == "status"
    assert status["aggs"]["values"]["terms"]["exclude"] == [""]
    assert body["track_total_hits"] is True


def test_without_facets_no_aggregation_and_no_exact_total():
    body = search_body(request_for("eau", facets=False))

    assert "aggs" not in body
    assert body["track_total_hits"] is False


# --- reading the answer ---------------------------------------------------------------------


def canned_response():
    return {
        "took": 3,
        "hits": {
            "total": {"value": 42, "relation": "eq"},
            "hits": [
                {
                    "_id": "page-1",
                    "_score": 7.5,
                    "_source": document_body(
                        row(title="Décret <b>sur</b> l'eau"), topics=["water"]
                    ),
                },
                {
                    "_id": "contribution-3",
                    "_score": 2.0,
                    "_source": document_body(
                        row(
                            key="contribution-3",
                            kind="contribution",
                            title="Le décret",
                            body="Je pense que l'EAU doit rester publique.",
                            status="",
                            date=datetime.datetime(
                                2024, 3, 1, 8, 0, 0, 123456, tzinfo=datetime.UTC
                            ),
                        ),
                        topics=[],
                    ),
                },
            ],
        },
        "aggregations": {
            "kind": {
                "buckets": [
                    {"key": "decision", "doc_count": 30},
                    {"key": "contribution", "doc_count": 12},
                ]
            },
            "status": {
                "buckets": {
                    "indexed": {
                        "doc_count": 9,
                        "values": {
                            "buckets": [
                                {"key": "adopted", "doc_count": 5},
                                {"key": "closed", "doc_count": 1},
                                {"key": "open", "doc_count": 3},
                            ]
                        },
                    },
                    "open": {"doc_count": 0},
                    "closed": {"doc_count": 4},
                }
            },
            "year": {"buckets": [{"key": 2023, "doc_count": 20}, {"key": 2024, "doc_count": 20}]},
            "topic": {"buckets": []},
            "institution": {"buckets": [{"key": "ministere-eau", "doc_count": 42}]},
            "language": {"buckets": [{"key": "fr", "doc_count": 42}]},
        },
    }


def test_results_hold_hits_with_marked_matches_and_facets():
    request = request_for("eau", page=1)

    results = results_from_response(canned_response(), request)

    assert results.total == 42
    assert [hit.key for hit in results.hits] == ["page-1", "contribution-3"]
    first, second = results.hits
    assert first.title_html == "Décret &lt;b&gt;sur&lt;/b&gt; l&#x27;<mark>eau</mark>"
    assert "<mark>eau</mark> potable" in first.snippet_html
    assert "<mark>EAU</mark>" in second.snippet_html
    assert first.date == datetime.datetime(2024, 3, 5, 9, 30, tzinfo=datetime.UTC)
    assert second.date.microsecond == 123456 and timezone.is_aware(second.date)
    assert first.topics == ["water"]
    assert first.extra == {"number": "12"}
    assert first.institution_name == "Ministère de l'eau"
    assert results.facets["kind"][0].value == "decision"
    assert [(v.value, v.count) for v in results.facets["year"]] == [("2023", 20), ("2024", 20)]
    assert results.facets["topic"] == []
    # Closed as indexed and closed by date, added up.
    assert [(v.value, v.count) for v in results.facets["status"]] == [
        ("adopted", 5),
        ("closed", 5),
        ("open", 3),
    ]
    assert set(results.facets) == set(FACETS)


def test_a_hit_shows_its_phase_at_the_moment_of_the_search():
    source = document_body(
        row(
            kind="consultation",
            status="open",
            opens_at=NOW - datetime.timedelta(days=9),
            closes_at=NOW - datetime.timedelta(minutes=5),
        )
    )
    response = {"hits": {"total": {"value": 1}, "hits": [{"_id": "page-1", "_source": source}]}}

    request = request_for("", facets=False)

    assert results_from_response(response, request, NOW).hits[0].status == "closed"
    earlier = NOW - datetime.timedelta(days=1)
    assert results_from_response(response, request, earlier).hits[0].status == "open"


def test_results_without_facets_count_what_was_seen():
    request = request_for("eau", page=2, page_size=2, facets=False)
    response = canned_response()
    del response["aggregations"]

    results = results_from_response(response, request)

    assert results.facets == {}
    assert results.total == 4


# --- the backend with a fake client ---------------------------------------------------------


def meta(status):
    return ApiResponseMeta(
        status=status,
        http_version="1.1",
        headers=HttpHeaders(),
        duration=0.0,
        node=NodeConfig("http", "localhost", 9200),
    )


class FakeIndices:
    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        return lambda **kwargs: self.client.record(f"indices.{name}", kwargs)


class FakeClient:
    """Records the calls; ``answers[name]`` is returned (or raised) for a call."""

    def __init__(self, aliases=None):
        self.calls = []
        self.aliases = aliases or {}  # index -> aliases
        self.indices = FakeIndices(self)
        self.answers = {}

    def record(self, name, kwargs):
        self.calls.append((name, kwargs))
        answer = self.answers.get(name)
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(**kwargs)
        if name == "indices.exists_alias":
            return any(kwargs["name"] in names for names in self.aliases.values())
        if name == "indices.get_alias":
            return {
                index: {"aliases": {kwargs["name"]: {}}}
                for index, names in self.aliases.items()
                if kwargs["name"] in names
            }
        if name == "bulk":
            return {"errors": False, "items": []}
        return answer or {"acknowledged": True}

    def bulk(self, **kwargs):
        return self.record("bulk", kwargs)

    def search(self, **kwargs):
        return self.record("search", kwargs)

    def names(self):
        return [name for name, _ in self.calls]

    def of(self, name):
        return [kwargs for each, kwargs in self.calls if each == name]


@pytest.fixture
def saved_rows(db):
    rows = [
        SearchDocument.objects.create(
            **{
                f.name: getattr(row(key=f"page-{n}"), f.name)
                for f in SearchDocument._meta.concrete_fields
                if f.name not in ("id", "indexed_at")
            }
        )
        for n in (1, 2, 3)
    ]
    SearchDocument.objects.filter(pk=rows[0].pk).update(topics=["water"])
    # Indexed long before the rebuild: nothing to catch up.
    SearchDocument.objects.update(indexed_at=timezone.now() - datetime.timedelta(days=1))
    return list(SearchDocument.objects.order_by("pk"))


def test_rebuild_fills_a_new_index_then_swaps_the_alias_in_one_step(saved_rows):
    client = FakeClient(aliases={f"{ALIAS}-old": [ALIAS]})
    backend = ElasticsearchBackend("http://search:9200", client=client)
    done = []

    backend.rebuild(iter(saved_rows), total=3, progress=done.append)

    assert client.names() == [
        "indices.create",
        "bulk",
        "indices.refresh",
        "indices.exists_alias",
        "indices.get_alias",
        "indices.update_aliases",
        "indices.delete",
    ]
    created = client.of("indices.create")[0]
    new = created["index"]
    assert new.startswith(f"{ALIAS}-") and new != f"{ALIAS}-old"
    assert created["mappings"] == index_settings_body()["mappings"]
    bulk = client.of("bulk")[0]
    assert bulk["index"] == new and "require_alias" not in bulk
    assert [op["index"]["_id"] for op in bulk["operations"][::2]] == ["page-1", "page-2", "page-3"]
    assert bulk["operations"][1]["topics"] == ["water"]
    assert client.of("indices.update_aliases") == [
        {
            "actions": [
                {"remove": {"indices": [f"{ALIAS}-old"], "alias": ALIAS}},
                {"add": {"index": new, "alias": ALIAS}},
            ]
        }
    ]
    assert client.of("indices.delete") == [{"index": [f"{ALIAS}-old"]}]
    assert done == [3]


def test_first_rebuild_only_adds_the_alias(saved_rows):
    client = FakeClient()
    backend = ElasticsearchBackend("http://search:9200", client=client)

    backend.rebuild(iter(saved_rows), total=3)

    (update,) = client.of("indices.update_aliases")
    assert [list(action) for action in update["actions"]] == [["add"]]
    assert "indices.delete" not in client.names()


def test_rebuild_catches_up_with_changes_made_meanwhile(saved_rows):
    client = FakeClient(aliases={f"{ALIAS}-old": [ALIAS]})
    backend = ElasticsearchBackend("http://search:9200", client=client)

    def documents():
        yield from saved_rows
        # While the new index fills: one document changes, one goes.
        changed = SearchDocument.objects.get(key="page-1")
        changed.title = "Décret modifié"
        changed.save()
        SearchDocument.objects.filter(key="page-2").delete()

    backend.rebuild(documents(), total=3)

    swap = client.names().index("indices.update_aliases")
    later = [kwargs for name, kwargs in client.calls[swap:] if name == "bulk"]
    assert all(kwargs["index"] == ALIAS and kwargs["refresh"] for kwargs in later)
    operations = [op for kwargs in later for op in kwargs["operations"]]
    assert {"index": {"_id": "page-1"}} in operations
    assert any(op.get("title") == "Décret modifié" for op in operations)
    assert {"delete": {"_id": "page-2"}} in operations
    assert client.names()[-1] == "indices.delete"


def test_a_failed_rebuild_leaves_the_alias_alone(saved_rows):
    client = FakeClient(aliases={f"{ALIAS}-old": [ALIAS]})
    client.answers["bulk"] = ConnectionError("refused")
    backend = ElasticsearchBackend("http://search:9200", client=client)

    with pytest.raises(ConnectionError):
        backend.rebuild(iter(saved_rows), total=3)

    new = client.of("indices.create")[0]["index"]
    assert client.of("indices.delete") == [{"index": new}]
    assert "indices.update_aliases" not in client.names()


def test_index_creates_the_first_index_with_the_alias_then_bulk_indexes_visibly():
    client = FakeClient()
    backend = ElasticsearchBackend("http://search:9200", client=client)

    backend.index([row(key="page-1"), row(key="page-2", language="ar", title="قرار", body="نص")])
    backend.index([row(key="page-3")])

    (created,) = client.of("indices.create")
    assert created["aliases"] == {ALIAS: {}}
    assert created["settings"] == index_settings_body()["settings"]
    first, second = client.of("bulk")
    assert first["index"] == ALIAS and first["refresh"] is True and first["require_alias"] is True
    assert first["operations"][0] == {"index": {"_id": "page-1"}}
    assert first["operations"][3]["title_ar"] == "قرار"
    assert second["operations"][0] == {"index": {"_id": "page-3"}}


def test_index_tolerates_another_process_creating_the_first_index():
    client = FakeClient()
    client.answers["indices.create"] = BadRequestError(
        message="resource_already_exists_exception",
        meta=meta(400),
        body={"error": {"type": "resource_already_exists_exception"}},
    )
    backend = ElasticsearchBackend("http://search:9200", client=client)

    backend.index([row()])

    assert client.names()[-1] == "bulk"


def test_index_raises_when_a_document_is_refused():
    client = FakeClient(aliases={"x": [ALIAS]})
    client.answers["bulk"] = lambda **kwargs: {
        "errors": True,
        "items": [
            {
                "index": {
                    "_id": "page-1",
                    "status": 400,
                    "error": {"type": "mapper_parsing_exception"},
                }
            }
        ],
    }
    backend = ElasticsearchBackend("http://search:9200", client=client)

    with pytest.raises(BulkIndexError):
        backend.index([row()])
    client.answers["bulk"] = None
    backend.index([row()])

    # The alias is checked again before the retry.
    assert client.names() == ["indices.exists_alias", "bulk", "indices.exists_alias", "bulk"]


def test_delete_sends_bulk_deletes_and_ignores_documents_already_gone():
    client = FakeClient(aliases={"x": [ALIAS]})
    client.answers["bulk"] = lambda **kwargs: {
        "errors": True,
        "items": [
            {"delete": {"_id": "page-1", "status": 200, "result": "deleted"}},
            {
                "delete": {
                    "_id": "page-9",
                    "status": 404,
                    "result": "not_found",
                    "error": {"type": "x"},
                }
            },
        ],
    }
    backend = ElasticsearchBackend("http://search:9200", client=client)

    backend.delete(["page-1", "page-9"])

    (bulk,) = client.of("bulk")
    assert bulk == {
        "index": ALIAS,
        "operations": [{"delete": {"_id": "page-1"}}, {"delete": {"_id": "page-9"}}],
        "refresh": True,
        "require_alias": True,
    }


def test_delete_before_anything_was_indexed_does_nothing():
    client = FakeClient()
    backend = ElasticsearchBackend("http://search:9200", client=client)

    backend.delete(["page-1"])

    assert "bulk" not in client.names()


def test_search_sends_the_body_to_the_alias_and_reads_the_answer(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)  # the statuses' moment, in the body
    client = FakeClient()
    client.answers["search"] = lambda **kwargs: canned_response()
    backend = ElasticsearchBackend("http://search:9200", client=client)
    request = request_for("eau")

    results = backend.search(request)

    assert client.of("search") == [{"index": ALIAS, "body": search_body(request, NOW)}]
    assert results.total == 42
    assert results.hits[0].title_html.endswith("<mark>eau</mark>")


def test_search_before_anything_was_indexed_finds_nothing():
    client = FakeClient()
    client.answers["search"] = NotFoundError(
        message="index_not_found_exception", meta=meta(404), body={}
    )
    backend = ElasticsearchBackend("http://search:9200", client=client)

    results = backend.search(request_for("eau"))

    assert results.total == 0 and results.hits == []
    assert results.facets == {name: [] for name in FACETS}


def test_search_says_when_the_engine_is_down():
    client = FakeClient()
    client.answers["search"] = ConnectionError("Connection refused")
    backend = ElasticsearchBackend("http://search:9200", client=client)

    with pytest.raises(SearchUnavailable) as raised, translation.override("en"):
        backend.search(request_for("eau"))

    with translation.override("en"):
        assert "unavailable" in str(raised.value.message)


def test_the_client_is_made_lazily_from_the_url(settings):
    settings.SEARCH_ELASTICSEARCH_TIMEOUT = 3
    backend = ElasticsearchBackend("http://search.example:9200")

    assert backend._client is None
    client = backend.client
    assert backend.client is client
    assert client.transport.node_pool.get().base_url == "http://search.example:9200"
