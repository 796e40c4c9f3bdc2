import pytest

pytestmark = pytest.mark.django_db


def test_list_consultations_with_filters(client, make_consultation):
    open_fr = make_consultation(title="Ouverte", topics=["eau"])
    make_consultation(title="À venir", opens_in=3, closes_in=9, topics=["transport"])
    make_consultation(language="en", title="Open EN", topics=["water"])
    data = client.get("/api/consultations/").json()
    assert data["count"] == 3
    data = client.get("/api/consultations/?phase=open&language=fr").json()
    assert [item["title"] for item in data["items"]] == ["Ouverte"]
    item = data["items"][0]
    assert item["id"] == open_fr.pk
    assert item["phase"] == "open"
    assert "comment" in item["actions"]
    assert item["institution"]["slug"] == "el-kef"
    assert item["topics"] == ["eau"]
    assert item["url"].startswith("http://testserver/fr/")
    assert [i["title"] for i in client.get("/api/consultations/?topic=transport").json()["items"]] == ["À venir"]
    assert client.get("/api/consultations/?institution=el-kef").json()["count"] == 3


@pytest.mark.parametrize(
    "query",
    ["phase=soon", "institution=atlantis", "topic=nope", "language=de", "year=abc"],
)
def test_unknown_filter_values_get_a_clear_4xx(client, make_consultation, query):
    make_consultation()
    response = client.get(f"/api/consultations/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_consultation_detail_has_sections_and_versions(client, make_consultation):
    page = make_consultation(language="ar", sections=(("المبادئ", "نص"), ("الأولويات", "نص آخر")))
    data = client.get(f"/api/consultations/{page.pk}/").json()
    assert data["language"] == "ar"
    assert [s["heading"] for s in data["sections"]] == ["المبادئ", "الأولويات"]
    assert data["sections"][0]["anchor"] == f"section-{page.sections[0].id}"
    assert [v["number"] for v in data["versions"]] == [1]


def test_detail_of_an_unknown_or_malformed_id(client, make_consultation):
    assert client.get("/api/consultations/987654/").status_code == 404
    assert client.get("/api/consultations/not-a-number/").status_code == 422
    page = make_consultation()
    page.unpublish()
    assert client.get(f"/api/consultations/{page.pk}/").status_code == 404


def test_openapi_documents_the_consultation_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/consultations/" in paths
    assert "/api/consultations/{consultation_id}/" in paths
    parameters = {p["name"] for p in paths["/api/consultations/"]["get"]["parameters"]}
    assert {"phase", "institution", "topic", "language", "year", "page"} <= parameters
