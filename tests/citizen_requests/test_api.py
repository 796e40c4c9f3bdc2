"""``/api/requests/``: filing by JSON (every kind, anonymous corruption reports), idempotency,
refusals that change nothing, following a request by number and code, and the public list."""

import uuid

import pytest
from django.test import Client

from citizen_requests.models import CitizenRequest, Publicity
from citizen_requests.services import (
    answer_draft,
    answer_send,
    request_assign,
    request_file,
    request_move,
    request_note,
)
from citizen_requests.stages import Kind, Stage

pytestmark = pytest.mark.django_db

URL = "/api/requests/"


def _body(**fields) -> dict:
    return {
        "kind": "complaint",
        "institution": "KEF",
        "subject": "Éclairage en panne",
        "text": "Le lampadaire de la rue 3 est éteint depuis un mois.",
        "governorate": "TN-33",
        "municipality": "Le Kef",
        "address": "Rue 3",
        "latitude": 36.18,
        "longitude": 8.71,
        "notify": True,
        "idempotency_key": str(uuid.uuid4()),
        **fields,
    }


def _post(client, **fields):
    return client.post(URL, _body(**fields), content_type="application/json")


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def _file(author, desk, *, kind=Kind.NOTICE, **fields):
    return request_file(
        author=author, kind=kind, desk=desk, subject=fields.pop("subject", "Un trou"),
        text=fields.pop("text", "Un trou dans la chaussée."), language="fr", **fields,
    )


# --- Filing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", Kind.values)
def test_a_signed_in_citizen_files_every_kind(signed_in, citizen, desk, kind):
    response = _post(signed_in, kind=kind)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tracking_number"].startswith("KEF-")
    assert body["secret_code"]
    assert body["kind"] == kind
    assert body["stage"] == "received"
    assert body["institution"]["code"] == "KEF"
    stored = CitizenRequest.objects.get(tracking_number=body["tracking_number"])
    assert stored.author == citizen
    assert (stored.kind, stored.governorate, float(stored.latitude)) == (kind, "TN-33", 36.18)
    assert stored.publicity == Publicity.PRIVATE


def test_an_anonymous_corruption_report_keeps_nothing_identifying(client, desk):
    response = _post(client, kind="corruption", notify=True)

    assert response.status_code == 201, response.json()
    stored = CitizenRequest.objects.get(tracking_number=response.json()["tracking_number"])
    assert stored.author is None
    assert stored.idempotency_key is None
    assert stored.notify is False
    assert stored.events.get().actor is None


@pytest.mark.parametrize("kind", ["complaint", "guidance", "suggestion", "notice"])
def test_other_kinds_need_an_account(client, desk, kind):
    response = _post(client, kind=kind)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert response.json()["message"]
    assert not CitizenRequest.objects.exists()


def test_without_an_institution_the_request_goes_to_triage(signed_in, desk, triage_desk):
    response = _post(signed_in, institution=None)

    assert response.status_code == 201
    assert response.json()["tracking_number"].startswith("BCRC-")
    assert response.json()["institution"]["code"] == "BCRC"


def test_the_same_idempotency_key_returns_the_first_request(signed_in, desk):
    key = str(uuid.uuid4())
    first = _post(signed_in, idempotency_key=key)
    again = _post(signed_in, idempotency_key=key, subject="Autre chose")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["tracking_number"] == first.json()["tracking_number"]
    assert again.json()["secret_code"] is None
    assert CitizenRequest.objects.count() == 1


def test_a_signed_in_post_without_csrf_token_is_refused(citizen, desk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)

    response = _post(client)

    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check Failed"}
    assert not CitizenRequest.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"institution": "XYZ"}, "institution"),
        ({"subject": "   "}, "subject"),
        ({"text": " \n "}, "text"),
        ({"longitude": None}, "latitude"),
    ],
)
def test_bad_input_gets_the_error_body_and_files_nothing(signed_in, desk, fields, field):
    response = _post(signed_in, **fields)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["field"] == field
    assert body["message"]
    assert not CitizenRequest.objects.exists()


def test_no_triage_desk_is_a_400_naming_the_institution(signed_in, desk):
    response = _post(signed_in, institution=None)

    assert response.status_code == 400
    assert response.json()["field"] == "institution"
    assert not CitizenRequest.objects.exists()


def test_an_unknown_kind_is_refused_by_the_document(signed_in, desk):
    response = _post(signed_in, kind="petition")

    assert response.status_code == 422
    assert not CitizenRequest.objects.exists()


def test_filing_too_often_is_a_429_with_retry_after(signed_in, desk, settings):
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT = ["2/hour"]
    for _ in range(2):
        assert _post(signed_in).status_code == 201

    response = _post(signed_in)

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1
    assert CitizenRequest.objects.count() == 2


# --- Following ---------------------------------------------------------------------------------


def test_the_number_and_code_show_the_public_timeline_and_answer(client, citizen, desk, admin_user, user_factory):
    filed = _file(citizen, desk, kind=Kind.COMPLAINT)
    request = filed.request
    request_note(actor=admin_user, request=request, text="Note interne: voisin du maire")
    request_assign(actor=admin_user, request=request, assignee=admin_user)
    request_move(actor=admin_user, request=request, stage=Stage.IN_PROGRESS)
    answer_draft(actor=admin_user, request=request, text="Le lampadaire a été réparé.")
    answer_send(actor=user_factory(is_superuser=True), request=request)

    response = client.get(
        f"{URL}{request.tracking_number}/", HTTP_X_SECRET_CODE=filed.secret_code
    )

    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "answered"
    assert body["answer"] == "Le lampadaire a été réparé."
    assert body["institution"]["code"] == "KEF"
    assert body["overdue"] is False
    assert [item["kind"] for item in body["timeline"]] == ["filed", "assigned", "stage", "answer_sent"]
    assert "voisin du maire" not in response.content.decode()
    assert "answer_drafted" not in response.content.decode()


def test_a_typed_number_and_code_are_forgiven_case_and_dashes(client, citizen, desk):
    filed = _file(citizen, desk)
    typed = filed.request.tracking_number.lower().replace("-", " ")

    response = client.get(f"{URL}{typed}/", HTTP_X_SECRET_CODE=filed.secret_code.lower())

    assert response.status_code == 200
    assert response.json()["tracking_number"] == filed.request.tracking_number


def test_the_filer_follows_it_from_their_session_without_the_code(signed_in, citizen, desk):
    filed = _file(citizen, desk)

    response = signed_in.get(f"{URL}{filed.request.tracking_number}/")

    assert response.status_code == 200
    assert response.json()["subject"] == "Un trou"


def test_a_wrong_or_missing_code_is_the_same_404(client, citizen, desk, user_factory):
    filed = _file(citizen, desk)
    number = filed.request.tracking_number
    other = Client()
    other.force_login(user_factory())

    answers = [
        client.get(f"{URL}{number}/", HTTP_X_SECRET_CODE="AAAA-AAAA"),
        client.get(f"{URL}{number}/"),
        other.get(f"{URL}{number}/"),
        client.get(f"{URL}KEF-26-0000-0000/", HTTP_X_SECRET_CODE=filed.secret_code),
    ]

    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1
    assert answers[0].json()["code"] == "not_found"


def test_another_institutions_staff_get_the_same_404(client, citizen, desk, other_desk, approver_of):
    filed = _file(citizen, desk)
    stranger = Client()
    stranger.force_login(approver_of(other_desk))
    answer = stranger.get(f"{URL}{filed.request.tracking_number}/")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


def test_look_ups_are_rate_limited(client, citizen, desk, settings):
    settings.CITIZEN_REQUESTS_LOOKUP_RATE_PER_NUMBER = ["2/hour"]
    filed = _file(citizen, desk)
    url = f"{URL}{filed.request.tracking_number}/"
    for _ in range(2):
        assert client.get(url, HTTP_X_SECRET_CODE="AAAA-AAAA").status_code == 404

    response = client.get(url, HTTP_X_SECRET_CODE=filed.secret_code)

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


# --- Public list -------------------------------------------------------------------------------


def _public(filed):
    CitizenRequest.objects.filter(pk=filed.request.pk).update(publicity=Publicity.PUBLIC)
    return filed.request


def test_the_public_list_shows_public_suggestions_and_notices_only(
    client, citizen, desk, triage_desk, settings
):
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT = ["100/hour"]
    notice = _public(_file(citizen, desk, kind=Kind.NOTICE, subject="Trou rue 3"))
    suggestion = _public(_file(citizen, triage_desk, kind=Kind.SUGGESTION, subject="Des bancs"))
    # Never public whatever is stored: complaints, guidance, corruption reports.
    for kind in (Kind.COMPLAINT, Kind.GUIDANCE, Kind.CORRUPTION):
        _public(_file(citizen, desk, kind=kind, subject=f"Privé {kind}"))
    _file(citizen, desk, kind=Kind.NOTICE, subject="Privé notice")
    _file(citizen, desk, kind=Kind.NOTICE, subject="En attente", public=True)

    response = client.get(f"{URL}public/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {item["tracking_number"] for item in body["items"]} == {
        notice.tracking_number, suggestion.tracking_number
    }
    content = response.content.decode()
    assert "Privé" not in content and "En attente" not in content
    assert citizen.email not in content and citizen.display_name not in content
    assert "author" not in body["items"][0]


def test_the_public_list_filters(client, citizen, desk, triage_desk, admin_user):
    open_notice = _public(_file(citizen, desk, kind=Kind.NOTICE, governorate="TN-33"))
    closed = _public(_file(citizen, triage_desk, kind=Kind.SUGGESTION))
    request_move(actor=admin_user, request=closed, stage=Stage.OUT_OF_SCOPE, reason="Hors sujet")

    def numbers(**query):
        response = client.get(f"{URL}public/", query)
        assert response.status_code == 200
        return [item["tracking_number"] for item in response.json()["items"]]

    assert numbers(status="open") == [open_notice.tracking_number]
    assert numbers(status="closed") == [closed.tracking_number]
    assert numbers(kind="suggestion") == [closed.tracking_number]
    assert numbers(institution="KEF") == [open_notice.tracking_number]
    assert numbers(institution="ZZZ") == []
    assert numbers(governorate="TN-33") == [open_notice.tracking_number]
    assert client.get(f"{URL}public/", {"kind": "complaint"}).status_code == 422
