"""Who may answer: the participation rule of the consultation, anonymous mode and its limit."""

import pytest
from django.utils import translation

from deliberation.models import Participation
from questionnaires.models import Response
from questionnaires.rules import answer_refusal
from tests.questionnaires.test_views import GOOD

pytestmark = pytest.mark.django_db


def test_consultation_rule_applies(citizen, make_consultation, make_questionnaire):
    consultation = make_consultation(participation=Participation.VERIFIED)
    page = make_questionnaire(parent=consultation)
    citizen.email_verified = False
    citizen.save()
    with translation.override("en"):
        assert answer_refusal(citizen, page) == (
            "Only accounts with a confirmed email address can take part here."
        )
    assert not citizen.has_perm("questionnaires.answer_questionnaire", page)
    citizen.email_verified = True
    citizen.save()
    assert answer_refusal(citizen, page) is None


def test_anonymous_rate_limit_per_address(client, settings, make_questionnaire):
    settings.QUESTIONNAIRES_ANSWER_RATE_PER_IP = ["2/minute"]
    page = make_questionnaire(anonymous_allowed=True, translate=False)
    assert client.post(page.url, GOOD).status_code == 302
    assert client.post(page.url, GOOD).status_code == 302
    third = client.post(page.url, GOOD)
    assert third.status_code == 429 and int(third["Retry-After"]) >= 1
    assert Response.objects.count() == 1
