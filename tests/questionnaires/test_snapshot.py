"""Publishing the consultation's outcome freezes its questionnaires' results in the
participation snapshot; the outcome page shows them, and later answers change nothing."""

import pytest

from consultations.models import ParticipationSnapshot
from tests.questionnaires.answers import responses_make

pytestmark = pytest.mark.django_db


def test_results_frozen_at_outcome_publication(client, make_consultation, make_questionnaire, make_outcome):
    consultation = make_consultation(closes_in=5)
    page = make_questionnaire(parent=consultation)
    tally = responses_make(page, 10, seed=21)
    outcome = make_outcome(consultation)

    snapshot = ParticipationSnapshot.objects.get(consultation_key=consultation.translation_key)
    [frozen] = snapshot.data["questionnaires"]
    assert frozen["results"]["responses"] == 10
    assert frozen["results"]["questionnaire_key"] == str(page.translation_key)
    mode = {o["key"]: o["count"] for o in frozen["results"]["questions"][1]["options"]}
    assert {k: v for k, v in mode.items() if v} == dict(tally["options"]["q-mode"])
    assert frozen["labels"][page.locale.language_code]["options"]["q-mode-1"] == "الحافلة"

    html = client.get(outcome.url).content.decode()
    assert 'data-figure="responses">10<' in html
    assert "الحافلة" in html

    responses_make(page, 7, seed=22)  # late answers (say, the questionnaire's own dates)
    snapshot = ParticipationSnapshot.objects.get(pk=snapshot.pk)
    assert snapshot.data["questionnaires"][0]["results"]["responses"] == 10
    html = client.get(outcome.url).content.decode()
    assert 'data-figure="responses">10<' in html
    assert 'data-figure="responses">17<' not in html
