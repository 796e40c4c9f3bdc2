"""Answering through the HTML form (no script): what the citizen sees, what is stored."""

import datetime

import pytest
from django.utils import timezone

from questionnaires.models import Answer, QuestionnairePage, Response
from tests.questionnaires.conftest import translation

pytestmark = pytest.mark.django_db

GOOD = {
    "q-q-age": "34",
    "q-q-mode": "q-mode-1",
    "q-q-why": "أرخص",
    "q-q-needs": ["q-needs-1", "q-needs-3"],
    "q-q-trust": "4",
    "q-q-rank-rank-1": "q-rank-2",
    "q-q-rank-rank-2": "q-rank-1",
    "q-q-rank-rank-3": "q-rank-3",
    "q-q-ideas": "Plus de bus le soir.",
    "action": "send",
}


def test_citizen_answers_and_sees_answers_again(client, citizen, questionnaire):
    citizen.governorate = "TN-33"
    citizen.save()
    client.force_login(citizen)
    response = client.post(questionnaire.url, GOOD, follow=True)
    assert response.status_code == 200
    stored = Response.objects.get(user=citizen)
    assert not stored.is_draft and stored.governorate == "TN-33"
    assert stored.questionnaire_key == questionnaire.translation_key
    ranks = dict(
        Answer.objects.filter(question_key="q-rank").values_list("option_key", "rank")
    )
    assert ranks == {"q-rank-2": 1, "q-rank-1": 2, "q-rank-3": 3}
    text = Answer.objects.get(question_key="q-ideas")
    assert text.review_status == "pending"
    page = client.get(questionnaire.url).content.decode()
    assert 'value="q-mode-1" checked' in page
    assert "Plus de bus le soir." in page
    assert "Update my response" in page or "تحديث" in page


def test_missing_required_answer_stores_nothing(client, citizen, questionnaire):
    client.force_login(citizen)
    data = dict(GOOD)
    data["q-q-age"] = ""
    response = client.post(questionnaire.url, data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert 'id="error-q-age"' in response.content.decode()
    assert not Response.objects.exists()


def test_hidden_conditional_answer_is_dropped(client, citizen, questionnaire):
    client.force_login(citizen)
    data = dict(GOOD, **{"q-q-mode": "q-mode-2"})  # by car: "why by bus?" is hidden
    assert client.post(questionnaire.url, data).status_code == 302
    assert not Answer.objects.filter(question_key="q-why").exists()


def test_conditional_required_when_shown(client, citizen, questionnaire):
    client.force_login(citizen)
    data = dict(GOOD, **{"q-q-why": ""})
    assert client.post(questionnaire.url, data).status_code == 400
    assert not Response.objects.exists()


def test_one_response_per_account_across_translations(client, citizen, questionnaire):
    client.force_login(citizen)
    client.post(questionnaire.url, GOOD)
    french = translation(questionnaire, "fr")
    page = client.get(french.url).content.decode()
    assert 'value="q-mode-1" checked' in page
    client.post(french.url, dict(GOOD, **{"q-q-age": "35"}))
    assert Response.objects.count() == 1
    stored = Response.objects.get()
    assert stored.questionnaire_id == french.pk
    assert Answer.objects.get(question_key="q-age").number == 35


def test_draft_is_kept_and_not_sent(client, citizen, questionnaire):
    client.force_login(citizen)
    response = client.post(questionnaire.url, {"q-q-age": "40", "action": "draft"})
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.is_draft and stored.submitted_at is None
    page = client.get(questionnaire.url).content.decode()
    assert 'value="40"' in page
    client.post(questionnaire.url, GOOD)
    stored.refresh_from_db()
    assert not stored.is_draft and stored.submitted_at is not None


def test_closed_questionnaire_refuses(client, citizen, make_questionnaire):
    page = make_questionnaire(translate=False)
    QuestionnairePage.objects.filter(pk=page.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
        opens_at=timezone.now() - datetime.timedelta(days=2),
    )
    client.force_login(citizen)
    response = client.post(page.url, GOOD)
    assert response.status_code == 403
    assert not Response.objects.exists()
    shown = client.get(page.url).content.decode()
    assert "Send my response" not in shown


def test_anonymous_refused_unless_allowed(client, questionnaire):
    assert client.post(questionnaire.url, GOOD).status_code == 403
    assert not Response.objects.exists()


def test_anonymous_guard(client, make_questionnaire):
    page = make_questionnaire(anonymous_allowed=True, translate=False)
    first = client.post(page.url, GOOD, HTTP_USER_AGENT="phone")
    assert first.status_code == 302
    # The same browser (its cookie) edits its response.
    assert client.post(page.url, dict(GOOD, **{"q-q-age": "50"}), HTTP_USER_AGENT="phone").status_code == 302
    assert Response.objects.count() == 1
    stored = Response.objects.get()
    assert stored.user is None and stored.governorate == "" and stored.anonymous_token
    # Cookie cleared, same device: refused.
    client.cookies.clear()
    again = client.post(page.url, GOOD, HTTP_USER_AGENT="phone")
    assert again.status_code == 403
    assert Response.objects.count() == 1


def test_consultation_and_institution_link_their_questionnaires(
    client, site, make_consultation, make_questionnaire
):
    consultation = make_consultation()
    under = make_questionnaire(parent=consultation, title="Sondage de la consultation")
    alone = make_questionnaire(title="استبيان مستقل", translate=False)
    shown = client.get(consultation.url).content.decode()
    assert f'href="{under.url}"' in shown
    institution = client.get(site["institution"]["ar"].url).content.decode()
    assert f'href="{alone.url}"' in institution
    assert under.url not in institution
