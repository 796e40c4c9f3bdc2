"""Liveness and readiness (docs/api.md, "Health")."""

import pytest

from tests.config.faults import database_fails

pytestmark = pytest.mark.django_db

PARTS = {"database", "channel_layer", "cache"}


def test_ready_names_each_part_with_its_state_and_latency(client):
    response = client.get("/api/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == PARTS
    for part in body["checks"].values():
        assert part["status"] == "ok"
        assert isinstance(part["latency_ms"], float) and part["latency_ms"] >= 0
    assert response["Cache-Control"] == "no-store"


def test_ready_is_503_while_the_database_is_down_and_liveness_still_answers(client):
    with database_fails():
        response = client.get("/api/health/ready")
        live = client.get("/api/health")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "error"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["channel_layer"]["status"] == "ok"
    assert live.status_code == 200 and live.json()["status"] == "ok"


def test_ready_is_503_when_the_channel_layer_fails(client, monkeypatch):
    from channels.layers import get_channel_layer

    layer = get_channel_layer()

    async def broken(*args, **kwargs):
        raise ConnectionError("redis is gone")

    monkeypatch.setattr(layer, "send", broken)
    response = client.get("/api/health/ready")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["channel_layer"]["status"] == "error"
    assert checks["database"]["status"] == "ok"


def test_ready_is_503_when_the_cache_fails(client, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis is gone")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/api/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "error"


def test_both_are_in_the_openapi_document_with_their_statuses(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/health"]["get"]["responses"]) == {"200"}
    assert set(paths["/api/health/ready"]["get"]["responses"]) == {"200", "503"}
