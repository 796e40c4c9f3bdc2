"""Open311 GeoReport v2, driven as a client of the standard drives it: discovery, the service
list, a service definition, a post with an api_key, the request by id, lists by status and
dates, in JSON and in XML. Private kinds never appear."""

import datetime
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from citizen_requests.models import CitizenRequest, Publicity
from citizen_requests.open311 import open311_client_new
from citizen_requests.services import request_file, request_move
from citizen_requests.stages import Kind, Stage

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long",
    "media_url",
}


@pytest.fixture
def api_key(desk, user_factory):
    _client, key = open311_client_new(name="Back office El Kef", desk=desk, account=user_factory())
    return key


@pytest.fixture
def many(settings):
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT = ["100/hour"]


def _xml(response) -> ElementTree.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ElementTree.fromstring(response.content)


def _public(author, desk, *, kind=Kind.NOTICE, **fields) -> CitizenRequest:
    filed = request_file(
        author=author, kind=kind, desk=desk, subject=fields.pop("subject", "Un trou"),
        text=fields.pop("text", "Un trou dans la chaussée."), language="fr", **fields,
    )
    CitizenRequest.objects.filter(pk=filed.request.pk).update(publicity=Publicity.PUBLIC)
    return CitizenRequest.objects.get(pk=filed.request.pk)


def _form(key, **fields) -> dict:
    return {
        "api_key": key,
        "service_code": "notice",
        "lat": "36.1822",
        "long": "8.7147",
        "address_string": "Rue Ibn Khaldoun, Le Kef",
        "description": "Fuite d'eau devant l'école.\nDepuis lundi.",
        "email": "reporter@example.tn",
        "first_name": "Salma",
        "last_name": "Ben Ali",
        **fields,
    }


# --- Discovery and services --------------------------------------------------------------------


def test_discovery_names_the_endpoint_and_its_formats(client):
    response = client.get(f"{BASE}discovery.json")

    assert response.status_code == 200
    endpoint = response.json()["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}

    root = _xml(client.get(f"{BASE}discovery.xml"))
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/specification").text == endpoint["specification"]
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == endpoint["formats"]


def test_the_services_are_the_public_kinds_only(client, desk):
    response = client.get(f"{BASE}services.json")

    assert response.status_code == 200
    services = response.json()
    assert {service["service_code"] for service in services} == {"notice", "suggestion"}
    for service in services:
        assert set(service) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
        assert service["metadata"] is False
        assert service["type"] == "realtime"

    root = _xml(client.get(f"{BASE}services.xml"))
    assert root.tag == "services"
    assert sorted(s.find("service_code").text for s in root.findall("service")) == ["notice", "suggestion"]
    assert {s.find("metadata").text for s in root.findall("service")} == {"false"}


def test_the_services_of_one_desk(client, site, desk):
    response = client.get(f"{BASE}services.json", {"jurisdiction_id": "KEF"}, HTTP_ACCEPT_LANGUAGE="fr")

    assert {service["group"] for service in response.json()} == {site["institution"]["fr"].title}
    unknown = client.get(f"{BASE}services.json", {"jurisdiction_id": "ZZZ"})
    assert unknown.status_code == 404
    assert unknown.json()[0]["code"] == 404


def test_a_service_definition(client):
    response = client.get(f"{BASE}services/notice.json")

    assert response.status_code == 200
    assert response.json() == {"service_code": "notice", "attributes": []}
    root = _xml(client.get(f"{BASE}services/suggestion.xml"))
    assert root.tag == "service_definition"
    assert root.find("service_code").text == "suggestion"


@pytest.mark.parametrize("code", ["complaint", "guidance", "corruption", "nothing"])
def test_private_or_unknown_services_are_not_found(client, code):
    response = client.get(f"{BASE}services/{code}.json")

    assert response.status_code == 404
    assert response.json()[0]["code"] == 404
    assert response.json()[0]["description"]
    assert _xml(client.get(f"{BASE}services/{code}.xml")).find("error/code").text == "404"


# --- Posting -----------------------------------------------------------------------------------


def test_a_client_posts_a_request_and_follows_it_by_id(client, site, desk, api_key):
    response = client.post(f"{BASE}requests.json", _form(api_key))

    assert response.status_code == 201
    [item] = response.json()
    assert set(item) == {"service_request_id", "service_notice", "account_id"}
    number = item["service_request_id"]
    assert number.startswith("KEF-")
    assert item["service_notice"]
    stored = CitizenRequest.objects.get(tracking_number=number)
    assert (stored.kind, stored.desk, stored.publicity) == ("notice", desk, Publicity.PENDING)
    assert stored.address == "Rue Ibn Khaldoun, Le Kef"
    assert stored.subject == "Fuite d'eau devant l'école."
    assert float(stored.latitude) == pytest.approx(36.1822)
    # The reporter's contact stays with the client system.
    for value in ("reporter@example.tn", "Salma", "Ben Ali"):
        assert value not in f"{stored.subject} {stored.text} {stored.address}"

    # Not public before moderation; then it is, with the documented fields.
    assert client.get(f"{BASE}requests/{number}.json").status_code == 404
    CitizenRequest.objects.filter(pk=stored.pk).update(publicity=Publicity.PUBLIC)
    response = client.get(f"{BASE}requests/{number}.json", HTTP_ACCEPT_LANGUAGE="fr")
    [found] = response.json()
    assert set(found) == REQUEST_FIELDS
    assert found["service_request_id"] == number
    assert found["status"] == "open"
    assert found["service_code"] == "notice"
    assert found["agency_responsible"] == site["institution"]["fr"].title
    assert found["lat"] == pytest.approx(36.1822) and found["long"] == pytest.approx(8.7147)
    assert found["address"] == "Rue Ibn Khaldoun, Le Kef"
    assert parse_datetime(found["expected_datetime"]) == stored.due_at.replace(microsecond=0)
    assert parse_datetime(found["requested_datetime"]) is not None


def test_a_post_answers_in_xml(client, desk, api_key):
    response = client.post(f"{BASE}requests.xml", _form(api_key, service_code="suggestion"))

    assert response.status_code == 201
    root = _xml(response)
    assert root.tag == "service_requests"
    number = root.find("request/service_request_id").text
    assert CitizenRequest.objects.get(tracking_number=number).kind == "suggestion"
    assert root.find("request/service_notice").text


@pytest.mark.parametrize("key", ["", "not-a-key"])
def test_an_unknown_key_is_a_403_and_files_nothing(client, desk, api_key, key):
    response = client.post(f"{BASE}requests.json", _form(key))

    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    assert _xml(client.post(f"{BASE}requests.xml", _form(key))).find("error/code").text == "403"
    assert not CitizenRequest.objects.exists()


def test_an_inactive_key_is_a_403(client, desk, user_factory):
    open311_client, key = open311_client_new(name="Ancien", desk=desk, account=user_factory())
    open311_client.active = False
    open311_client.save()

    assert client.post(f"{BASE}requests.json", _form(key)).status_code == 403
    assert not CitizenRequest.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [{"service_code": "complaint"}, {"service_code": "corruption"}, {"description": " "}, {"lat": "north"}, {"long": ""}],
)
def test_bad_posts_are_a_400_and_file_nothing(client, desk, api_key, fields):
    response = client.post(f"{BASE}requests.json", _form(api_key, **fields))

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert response.json()[0]["description"]
    assert not CitizenRequest.objects.exists()


def test_the_key_is_stored_as_a_hash_only(desk, user_factory):
    open311_client, key = open311_client_new(name="App", desk=desk, account=user_factory())

    assert key not in open311_client.key_digest
    assert len(open311_client.key_digest) == 64


# --- Lists -------------------------------------------------------------------------------------


@pytest.fixture
def world(citizen, desk, triage_desk, admin_user, many):
    open_notice = _public(citizen, desk, kind=Kind.NOTICE, address="Place 1", latitude=36.1, longitude=8.7)
    closed = _public(citizen, triage_desk, kind=Kind.SUGGESTION)
    request_move(actor=admin_user, request=closed, stage=Stage.OUT_OF_SCOPE, reason="Hors de nos compétences")
    old = _public(citizen, desk, kind=Kind.NOTICE)
    CitizenRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=120))
    private = [_public(citizen, desk, kind=kind) for kind in (Kind.COMPLAINT, Kind.GUIDANCE, Kind.CORRUPTION)]
    pending = request_file(
        author=citizen, kind=Kind.NOTICE, desk=desk, subject="En attente", text="En attente.",
        language="fr", public=True,
    ).request
    return {"open": open_notice, "closed": closed, "old": old, "private": private, "pending": pending}


def _ids(response) -> set[str]:
    assert response.status_code == 200
    return {item["service_request_id"] for item in response.json()}


def test_the_list_shows_the_last_90_days_of_public_requests(client, world):
    assert _ids(client.get(f"{BASE}requests.json")) == {
        world["open"].tracking_number, world["closed"].tracking_number
    }


def test_the_list_by_status(client, world):
    assert _ids(client.get(f"{BASE}requests.json", {"status": "open"})) == {world["open"].tracking_number}
    response = client.get(f"{BASE}requests.json", {"status": "closed"})
    assert _ids(response) == {world["closed"].tracking_number}
    assert response.json()[0]["status_notes"] == "Hors de nos compétences"
    assert client.get(f"{BASE}requests.json", {"status": "pending"}).status_code == 400


def test_the_list_by_dates(client, world):
    start = (timezone.now() - datetime.timedelta(days=200)).isoformat(timespec="seconds")
    end = (timezone.now() - datetime.timedelta(days=100)).isoformat(timespec="seconds")

    assert _ids(client.get(f"{BASE}requests.json", {"start_date": start, "end_date": end})) == {
        world["old"].tracking_number
    }
    assert len(_ids(client.get(f"{BASE}requests.json", {"start_date": start}))) == 3
    bad = client.get(f"{BASE}requests.json", {"start_date": "yesterday"})
    assert bad.status_code == 400
    assert bad.json()[0]["code"] == 400


def test_the_list_by_ids_and_service(client, world):
    wanted = f"{world['old'].tracking_number},{world['closed'].tracking_number},{world['private'][0].tracking_number}"

    assert _ids(client.get(f"{BASE}requests.json", {"service_request_id": wanted})) == {
        world["old"].tracking_number, world["closed"].tracking_number
    }
    assert _ids(client.get(f"{BASE}requests.json", {"service_code": "suggestion"})) == {
        world["closed"].tracking_number
    }
    assert _ids(client.get(f"{BASE}requests.json", {"service_code": "complaint"})) == set()


def test_the_list_in_xml_has_the_documented_elements(client, world):
    root = _xml(client.get(f"{BASE}requests.xml", {"status": "open"}))

    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert {child.tag for child in request} == REQUEST_FIELDS
    assert request.find("service_request_id").text == world["open"].tracking_number
    assert request.find("status").text == "open"
    assert request.find("lat").text == "36.1"
    assert request.find("address").text == "Place 1"


def test_private_kinds_and_pending_requests_never_appear(client, world):
    hidden = [*world["private"], world["pending"]]
    listed = client.get(f"{BASE}requests.json", {"start_date": "2000-01-01"}).content.decode()
    for request in hidden:
        assert request.tracking_number not in listed
        assert client.get(f"{BASE}requests/{request.tracking_number}.json").status_code == 404
        assert _xml(client.get(f"{BASE}requests/{request.tracking_number}.xml")).find("error/code").text == "404"


def test_a_client_files_under_its_own_limit_not_a_citizens(client, desk, api_key, settings):
    """A back office files for many citizens: a citizen's hourly limit does not stop it, its own does."""
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT = ["1/hour"]
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_IP = ["1/hour"]
    settings.CITIZEN_REQUESTS_OPEN311_RATE_PER_CLIENT = ["3/hour"]
    statuses = [client.post(f"{BASE}requests.json", _form(api_key)).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
