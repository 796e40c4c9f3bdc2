"""Project-wide HTTP behaviour: language prefixes, headers, the API document."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "expected"), [("fr-FR,fr;q=0.9", "/fr/"), ("en", "/en/"), ("ar-TN", "/ar/")])
def test_root_redirects_to_the_readers_language(client, site, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.django_db
def test_site_pages_refuse_framing_but_admin_frames_its_previews(client, site, admin_user):
    assert client.get("/fr/")["X-Frame-Options"] == "DENY"
    client.force_login(admin_user)
    assert client.get("/admin/")["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Majlis API"
    assert "/api/health" in document["paths"]


@pytest.mark.django_db
def test_api_health(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_static_files_are_served(client):
    response = client.get("/static/css/majlis.css")
    assert response.status_code == 200
    assert b"inline-start" in b"".join(response.streaming_content)
