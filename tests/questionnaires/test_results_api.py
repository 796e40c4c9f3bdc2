"""GET /api/questionnaires/{id}/results/: the page's figures, to whoever may see them."""

import pytest

from tests.questionnaires.answers import responses_make
from tests.questionnaires.conftest import translation

pytestmark = pytest.mark.django_db


def test_public_results_in_a_language(client, make_questionnaire):
    page = make_questionnaire(results_public=True)
    tally = responses_make(page, 15, seed=31)
    body = client.get(f"/api/questionnaires/{page.pk}/results/?language=fr").json()
    assert body["id"] == translation(page, "fr").pk and body["language"] == "fr"
    assert body["responses"] == 15
    questions = {q["key"]: q for q in body["questions"]}
    counts = {o["key"]: o["count"] for o in questions["q-mode"]["options"] if o["count"]}
    assert counts == dict(tally["options"]["q-mode"])
    assert questions["q-mode"]["text"] == translation(page, "fr").question_list[1].text
    ranks = {o["key"]: o["score"] for o in questions["q-rank"]["options"]}
    assert ranks == {k: tally["rank_points"][k] for k in ranks}
    assert sorted(questions["q-why"]["approved_texts"]) == sorted(tally["approved"]["q-why"])
    for cell in questions["q-mode"]["governorates"]:
        assert cell["count"] is None or cell["count"] >= 5 or cell["count"] == 0


def test_results_not_public_are_a_404(client, questionnaire, citizen):
    client.force_login(citizen)
    response = client.get(f"/api/questionnaires/{questionnaire.pk}/results/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
