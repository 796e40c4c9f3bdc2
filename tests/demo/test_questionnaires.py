"""The demo questionnaire: every question kind, in ar/fr/en, a few hundred responses spread
over governorates, results public; seeding again adds nothing."""

import pytest

from questionnaires.blocks import Kind
from questionnaires.models import Answer, QuestionnairePage, Response, ReviewStatus
from questionnaires.results import questionnaire_results

pytestmark = pytest.mark.django_db


def test_the_demo_questionnaire_has_every_kind_and_hundreds_of_responses(demo, client):
    pages = QuestionnairePage.objects.filter(slug="water-habits")
    assert {page.locale.language_code for page in pages} == {"ar", "fr", "en"}
    page = pages.get(locale__language_code="fr")
    assert {q.kind for q in page.question_list} == {value for value, _ in Kind.CHOICES}
    assert page.question_list[0].text == "D'où vient l'eau potable chez vous ?"
    assert page.consultation.slug == "water-code"
    results = questionnaire_results(page=page)
    assert results["responses"] >= 200
    governorates = Response.objects.filter(questionnaire_key=page.translation_key).values_list(
        "governorate", flat=True
    )
    assert len(set(governorates)) >= 5
    assert Answer.objects.filter(review_status=ReviewStatus.PENDING).exists()
    html = client.get(page.url + "results/").content.decode()
    assert "Réseau de la SONEDE" in html


def test_seeding_again_adds_no_responses(demo):
    from demo.build.questionnaires import questionnaires_seed

    before = Response.objects.count()
    questionnaires_seed(report=lambda message: None)
    assert Response.objects.count() == before
