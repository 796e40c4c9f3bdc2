"""Bad input to the API gets a clean answer in the API's own error body, never a 500."""

import json
import uuid

import pytest

pytestmark = pytest.mark.django_db


def test_a_10_mb_body_is_a_413_in_the_api_error_body(client, thread, citizen):
    client.force_login(citizen)
    client.raise_request_exception = False
    body = json.dumps({"body": "x" * 10_000_000, "idempotency_key": str(uuid.uuid4())})
    response = client.post(
        f"/api/threads/{thread.key}/contributions/",
        data=body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    assert response.json() == {
        "code": "too_large",
        "message": "What you sent is too large. Shorten it and try again.",
    }
    assert not thread.contributions.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/decisions/?page=99999999999999999999",
        "/api/decisions/?year=-4111&page=18446744073709551617",
        "/api/decisions/36893488147419103232/",
        "/api/consultations/36893488147419103232/",
        "/api/consultations/?page=99999999999999999999",
        "/api/threads/c-0/contributions/?page=36893488147419103232",
    ],
)
def test_huge_numbers_are_refused_by_the_validation_layer(client, site, url):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"]


def test_the_document_states_the_bounds_and_the_422_and_413_answers(client):
    document = client.get("/api/openapi.json").json()
    decisions = document["paths"]["/api/decisions/"]["get"]
    page = next(p for p in decisions["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == 10_000
    assert "422" in decisions["responses"]
    detail = document["paths"]["/api/decisions/{decision_id}/"]["get"]
    assert detail["parameters"][0]["schema"]["maximum"] == 2**31 - 1
    post = document["paths"]["/api/threads/{thread_key}/contributions/"]["post"]
    assert {"413", "422", "429"} <= set(post["responses"])
    assert document["components"]["schemas"]["ValidationErrorOut"]["properties"]["detail"]
