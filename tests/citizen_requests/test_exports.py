"""Open data of public suggestions and notices, ``/<lang>/requests/open-data/public.csv`` and
``.json``: every published one, nothing private, never who filed it."""

import csv
import io

import pytest
from django.urls import reverse

from citizen_requests import services
from citizen_requests.exports import COLUMNS

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(file_request, officer, approver, user_factory, settings):
    """A published notice (answered, supported, with a place), a published suggestion whose
    subject looks like a formula, and what must never be exported: a complaint, a pending
    notice, a refused one, and one its author withdrew."""
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT = ["100/hour"]
    notice = file_request(
        kind="notice", public=True, subject="Fuite d'eau rue de Tunis", text="L'eau coule depuis lundi.",
        language="fr", governorate="TN-33", municipality="Le Kef", address="12 rue de Tunis",
        latitude=36.1822, longitude=8.7148,
    ).request
    services.request_publication_moderate(actor=officer, request=notice, publish=True)
    services.request_assign(actor=officer, request=notice, assignee=officer)
    services.answer_draft(actor=officer, request=notice, text="Réparée le 3 mars.")
    services.answer_send(actor=approver, request=notice)
    notice.refresh_from_db()
    services.request_support(user=user_factory(), request=notice)
    formula = file_request(kind="suggestion", public=True, subject="=HYPERLINK(\"http://x\")", text="-2+3").request
    services.request_publication_moderate(actor=officer, request=formula, publish=True)

    complaint = file_request(kind="complaint", subject="Plainte secrète", text="Mon voisin.").request
    pending = file_request(kind="notice", public=True, subject="Notice en attente").request
    refused = file_request(kind="notice", public=True, subject="Notice refusée").request
    services.request_publication_moderate(actor=officer, request=refused, publish=False, reason="Nom cité.")
    withdrawn = file_request(kind="suggestion", public=True, subject="Suggestion retirée").request
    services.request_publication_moderate(actor=officer, request=withdrawn, publish=True)
    services.request_publicity_ask(user=withdrawn.author, request=withdrawn, public=False)
    for each in (notice, formula):
        each.refresh_from_db()
    return {"public": [notice, formula], "private": [complaint, pending, refused, withdrawn]}


def _csv(client, language="fr"):
    response = client.get(f"/{language}/requests/open-data/public.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="public-requests-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return text, list(csv.DictReader(io.StringIO(text[1:])))


def test_the_url_is_named():
    assert reverse("citizen_requests:open_data", kwargs={"fmt": "csv"}).endswith("/requests/open-data/public.csv")


def test_the_csv_holds_the_public_requests_only_and_no_author(client, requests, citizen):
    text, rows = _csv(client)
    assert list(rows[0]) == list(COLUMNS)
    notice, formula = requests["public"]
    assert {row["tracking_number"] for row in rows} == {notice.tracking_number, formula.tracking_number}
    row = next(row for row in rows if row["tracking_number"] == notice.tracking_number)
    assert row["kind"] == "notice"
    assert row["institution"] == "Municipalité du Kef"
    assert (row["governorate"], row["municipality"]) == ("TN-33", "Le Kef")
    assert row["subject"] == "Fuite d'eau rue de Tunis"
    assert (row["stage"], row["status"]) == ("answered", "closed")
    assert row["answer"] == "Réparée le 3 mars." and row["supporters"] == "1"
    assert row["created"].endswith("Z") and row["answered"].endswith("Z") and row["due"]
    # A cell a spreadsheet would run is made text.
    row = next(row for row in rows if row["tracking_number"] == formula.tracking_number)
    assert row["subject"] == "'=HYPERLINK(\"http://x\")" and row["text"] == "'-2+3"
    assert (row["stage"], row["status"], row["answered"]) == ("received", "open", "")
    for secret in [citizen.display_name, citizen.email, "12 rue de Tunis", "36.18", "8.71"] + [
        each.tracking_number for each in requests["private"]
    ] + [each.subject for each in requests["private"]]:
        assert secret not in text


def test_the_json_holds_the_same_and_no_author(client, requests, citizen):
    response = client.get("/ar/requests/open-data/public.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    assert data["license"] == "CC-BY-4.0" and data["generated_at"].endswith("Z")
    notice, formula = requests["public"]
    assert [row["tracking_number"] for row in data["requests"]] == [formula.tracking_number, notice.tracking_number]
    assert all(list(row) == list(COLUMNS) for row in data["requests"])
    # The JSON keeps every text as written; the institution is named in the reader's language.
    assert data["requests"][0]["subject"] == "=HYPERLINK(\"http://x\")"
    assert data["requests"][1]["institution"] == "بلدية الكاف"
    raw = response.content.decode()
    for secret in [citizen.display_name, citizen.email, "12 rue de Tunis", "latitude", "36.18", "author"] + [
        each.tracking_number for each in requests["private"]
    ]:
        assert secret not in raw


def test_an_unknown_format_is_not_found(client, desk):
    assert client.get("/fr/requests/open-data/public.xml").status_code == 404


def test_with_nothing_public_the_files_are_empty(client, file_request):
    file_request(kind="complaint")
    _text, rows = _csv(client, "en")
    assert rows == []
    assert client.get("/en/requests/open-data/public.json").json()["requests"] == []
