"""The questionnaires API: the structure in a language, sending a response."""

import datetime
import json

import pytest
from django.utils import timezone

from questionnaires.models import Answer, QuestionnairePage, Response
from tests.questionnaires.conftest import translation

pytestmark = pytest.mark.django_db

ANSWERS = {
    "q-age": 34,
    "q-mode": "q-mode-1",
    "q-why": "Moins cher",
    "q-needs": ["q-needs-2"],
    "q-trust": 3,
    "q-rank": ["q-rank-3", "q-rank-2", "q-rank-1"],
}


def send(client, page, answers, **extra):
    return client.post(
        f"/api/questionnaires/{page.pk}/response/",
        data=json.dumps({"answers": answers, **extra}),
        content_type="application/json",
    )


def test_structure_in_a_language(client, questionnaire):
    french = translation(questionnaire, "fr")
    body = client.get(f"/api/questionnaires/{questionnaire.pk}/?language=fr").json()
    assert body["id"] == french.pk and body["language"] == "fr"
    assert body["translation_key"] == str(questionnaire.translation_key)
    assert [q["key"] for q in body["questions"]][:3] == ["q-age", "q-mode", "q-why"]
    why = body["questions"][2]
    assert why["condition"] == {"question_key": "q-mode", "option_keys": ["q-mode-1"]}
    assert body["questions"][1]["options"][0] == {"key": "q-mode-1", "number": 1, "label": "الحافلة"}
    assert body["accepts_answers"] is True
    assert client.get("/api/questionnaires/999999/").status_code == 404


def test_send_and_edit(client, citizen, questionnaire):
    assert send(client, questionnaire, ANSWERS).status_code == 401
    client.force_login(citizen)
    first = send(client, questionnaire, ANSWERS)
    assert first.status_code == 201, first.json()
    assert first.json()["answers"]["q-rank"] == ["q-rank-3", "q-rank-2", "q-rank-1"]
    assert first.json()["is_draft"] is False
    french = translation(questionnaire, "fr")
    second = send(client, french, dict(ANSWERS, **{"q-age": 35}))
    assert second.status_code == 200
    assert second.json()["answers"]["q-age"] == 35
    assert Response.objects.count() == 1


def test_invalid_answers_are_400_and_nothing_stored(client, citizen, questionnaire):
    client.force_login(citizen)
    bad = dict(ANSWERS, **{"q-mode": "q-needs-1", "q-rank": ["q-rank-1", "q-rank-1", "q-rank-2"],
                           "q-age": 500})
    response = send(client, questionnaire, bad, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == "answers"
    assert set(body["errors"]) == {"q-mode", "q-rank", "q-age"}
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_draft_through_the_api(client, citizen, questionnaire):
    client.force_login(citizen)
    response = send(client, questionnaire, {"q-age": 20}, draft=True)
    assert response.status_code == 201 and response.json()["is_draft"] is True
    assert Response.objects.get().is_draft


def test_closed_is_403(client, citizen, questionnaire):
    QuestionnairePage.objects.filter(translation_key=questionnaire.translation_key).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1),
        opens_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(citizen)
    response = send(client, questionnaire, ANSWERS)
    assert response.status_code == 403 and response.json()["code"] == "closed"
    assert not Response.objects.exists()


def test_rate_limited(client, citizen, questionnaire, settings):
    settings.QUESTIONNAIRES_ANSWER_RATE_PER_ACCOUNT = ["2/minute"]
    client.force_login(citizen)
    assert send(client, questionnaire, ANSWERS).status_code == 201
    assert send(client, questionnaire, ANSWERS).status_code == 200
    third = send(client, questionnaire, ANSWERS)
    assert third.status_code == 429 and int(third["Retry-After"]) >= 1
