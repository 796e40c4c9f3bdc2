"""``GET /api/search/``: results, facets and highlights as JSON; bad input is a clear 400."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import conf
from search.models import SearchDocument
from tests.search.builders import doc

pytestmark = pytest.mark.django_db

URL = "/api/search/"


def test_results_facets_and_highlights(client, listing):  # noqa: F811
    response = client.get(URL, {"q": "eau", "kind": "decision"})

    assert response.status_code == 200
    data = response.json()
    assert {key: data[key] for key in ("query", "total", "page", "page_size", "num_pages")} == {
        "query": "eau", "total": 2, "page": 1, "page_size": conf.get("SEARCH_PAGE_SIZE"), "num_pages": 1,
    }
    first = data["results"][0]
    assert first == {
        "key": "doc-1",
        "kind": "decision",
        "language": "fr",
        "title": "Arrêté sur l'eau potable",
        "url": "http://testserver/fr/docs/1/",
        "institution": "el-kef",
        "institution_name": "Municipalité du Kef",
        "status": "adopted",
        "reference": "Arrêté 2026-12",
        "date": "2026-01-02T11:00:00Z",
        "topics": ["eau"],
        "highlights": {
            "title": "Arrêté sur l&#x27;<mark>eau</mark> potable",
            "body": "Dix fontaines pour l&#x27;<mark>eau</mark> du Kef.",
        },
        "extra": {},
    }
    assert [hit["key"] for hit in data["results"]] == ["doc-1", "doc-2"]
    assert data["facets"]["kind"] == [{"value": "decision", "count": 2}]
    assert data["facets"]["language"] == [{"value": "ar", "count": 1}, {"value": "fr", "count": 1}]
    assert set(data["facets"]) == {"kind", "institution", "topic", "status", "year", "language"}


def test_filters_combine_and_several_values_are_alternatives(client, listing):  # noqa: F811
    params = {"q": "eau", "kind": ["decision", "outcome"], "institution": "bizerte"}
    data = client.get(URL, params).json()

    assert [hit["key"] for hit in data["results"]] == ["doc-3"]
    assert data["total"] == 1


def test_empty_search_lists_everything_newest_first(client, listing):  # noqa: F811
    data = client.get(URL).json()

    assert data["query"] == ""
    assert [hit["key"] for hit in data["results"]] == ["doc-5", "doc-4", "doc-3", "doc-2", "doc-1"]


def test_sort_by_date_and_date_range(client, listing):  # noqa: F811
    data = client.get(URL, {"q": "eau", "sort": "date", "date_to": "2026-01-03"}).json()

    assert [hit["key"] for hit in data["results"]] == ["doc-2", "doc-1"]


def test_pages_do_not_overlap(client, db, settings):
    settings.SEARCH_PAGE_SIZE = 2
    for number in range(5):
        doc(number, title=f"Eau {number}")

    pages = [client.get(URL, {"q": "eau", "page": page}).json() for page in (1, 2, 3)]

    assert [page["num_pages"] for page in pages] == [3, 3, 3]
    keys = [hit["key"] for page in pages for hit in page["results"]]
    assert sorted(keys) == [f"doc-{number}" for number in range(5)]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": "eau " * 100}, "q", "The search is too long"),
        ({"q": "a\x00b"}, "q", "Null characters are not allowed."),
        ({"q": "a\x07b"}, "q", "control characters"),
        ({"date_from": "2026-02-30"}, "date_from", "Enter a valid date."),
        ({"page": str(conf.get('SEARCH_MAX_PAGE') + 1)}, "page", f"Results go up to page {conf.get('SEARCH_MAX_PAGE')}"),
        ({"page": "0"}, "page", "greater than or equal to 1"),
        ({"kind": "nonsense"}, "kind", "Select a valid choice."),
        ({"year": "1800"}, "year", "Select a valid choice."),
        ({"topic": ["t"] * 11}, "topic", "at most 10 values"),
        # The document caps the values sent, blank ones too (schemathesis sent eleven).
        ({"topic": ["", "0", "", "", "", "", "", "", "", "", ""]}, "topic", "at most 10 values"),
    ],
)
def test_bad_input_is_a_400_with_the_messages(client, listing, params, field, message):  # noqa: F811
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    data = response.json()
    assert message in data["detail"]
    assert list(data["errors"]) == [field]
    assert any(message in text for text in data["errors"][field])


def test_errors_are_translated(client, listing):  # noqa: F811
    english = client.get(URL, {"kind": "nonsense"}, HTTP_ACCEPT_LANGUAGE="en").json()
    french = client.get(URL, {"kind": "nonsense"}, HTTP_ACCEPT_LANGUAGE="fr").json()

    assert english["detail"] != french["detail"]


def test_the_openapi_document_describes_the_search(client):
    schema = client.get("/api/openapi.json").json()

    operation = schema["paths"]["/api/search/"]["get"]
    assert operation["tags"] == ["search"]
    assert operation["summary"] and operation["description"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert set(parameters) == {
        "q", "kind", "institution", "topic", "status", "year", "language", "date_from", "date_to",
        "sort", "page",
    }
    assert parameters["kind"]["schema"]["items"]["enum"][0] == "decision"
    assert parameters["page"]["schema"]["anyOf"][0]["maximum"] == conf.get("SEARCH_MAX_PAGE")
    assert set(operation["responses"]) == {"200", "400", "503"}
    results = schema["components"]["schemas"]["SearchOut"]["properties"]
    assert {"query", "total", "page", "page_size", "num_pages", "results", "facets"} <= set(results)
    hit = schema["components"]["schemas"]["SearchResultOut"]["properties"]
    assert "highlights" in hit and "institution_name" in hit


def test_the_number_of_queries_does_not_grow_with_the_results(client, db):
    def queries(count: int) -> int:
        SearchDocument.objects.all().delete()
        for number in range(count):
            doc(number, kind=["decision", "outcome"][number % 2], topics=[f"t{number}", "eau"],
                title=f"Eau {number}", date=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
        with CaptureQueriesContext(connection) as captured:
            data = client.get(URL, {"q": "eau"}).json()
        assert len(data["results"]) == count
        return len(captured)

    assert queries(3) == queries(15)
