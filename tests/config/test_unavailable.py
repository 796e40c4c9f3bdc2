"""The database going away: 503 with Retry-After, translated, never a half-written post
(config/errors.py). Other failures: the 500 page, which needs no database either."""

import uuid

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from deliberation.models import Contribution, Thread, ThreadEvent
from tests.config.faults import database_fails

pytestmark = pytest.mark.django_db


def _at_the_event_insert(sql: str) -> bool:
    """After the contribution's own INSERT, inside the same transaction."""
    return sql.startswith(f'INSERT INTO "{ThreadEvent._meta.db_table}"')


def _nothing_written(thread) -> None:
    assert Contribution.objects.count() == 0
    assert ThreadEvent.objects.filter(thread=thread).count() == 0
    assert Thread.objects.get(pk=thread.pk).last_number == 0


def test_an_api_post_cut_by_the_database_is_a_503_and_can_be_sent_again(thread, trusted_citizen):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(trusted_citizen)
    url = f"/api/threads/{thread.key}/contributions/"
    payload = {"body": "Un avis qui compte.", "idempotency_key": str(uuid.uuid4())}
    with database_fails(when=_at_the_event_insert):
        response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "code": "unavailable",
        "message": "The service is briefly unavailable: nothing was saved. Try again in a moment.",
    }
    _nothing_written(thread)

    again = client.post(url, payload, content_type="application/json")
    assert again.status_code == 201
    once_more = client.post(url, payload, content_type="application/json")
    assert once_more.status_code == 200 and once_more.json()["id"] == again.json()["id"]
    assert list(Contribution.objects.values_list("body", flat=True)) == ["Un avis qui compte."]


def test_a_form_post_cut_by_the_database_is_a_503_page_and_can_be_sent_again(
    thread, trusted_citizen
):
    client = Client(raise_request_exception=False)
    client.force_login(trusted_citizen)
    url = f"/en/deliberation/threads/{thread.key}/contribute/"
    data = {"body": "Mon avis sur le texte.", "idempotency_key": str(uuid.uuid4())}
    with database_fails(when=_at_the_event_insert):
        response = client.post(url, data)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Majlis is briefly unavailable" in html
    _nothing_written(thread)

    client.post(url, data)
    client.post(url, data)
    assert list(Contribution.objects.values_list("body", flat=True)) == ["Mon avis sur le texte."]


@pytest.mark.parametrize(
    "error", [OperationalError("could not connect"), InterfaceError("connection already closed")]
)
def test_a_page_while_the_database_is_away_is_a_translated_503_in_the_site_layout(
    site, citizen, error
):
    client = Client(raise_request_exception=False)
    client.force_login(citizen)
    with database_fails(error=error):
        response = client.get("/ar/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert 'hreflang="fr"' in html  # the language links, which need no database
    assert "Server Error" not in html and "Traceback" not in html


def test_the_api_while_the_database_is_away_is_a_json_503(site):
    client = Client(raise_request_exception=False)
    with database_fails():
        response = client.get("/api/consultations/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "unavailable"


def test_any_other_failure_is_the_translated_500_page_which_needs_no_database(site):
    client = Client(raise_request_exception=False)
    with database_fails(error=RuntimeError("a bug")):
        page = client.get("/en/")
        api = client.get("/api/consultations/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 500
    html = page.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Something went wrong on our side" in html
    assert "Server Error (500)" not in html and "a bug" not in html
    assert api.status_code == 500
    assert api.json()["code"] == "server_error"
