"""Results: equal to a tally made apart from the database, drafts left out, every translation
counted together, the cross-tab suppressed, and a fixed number of queries."""

from statistics import mean

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.governorates import Governorate
from cms.disclosure import SMALL
from questionnaires.results import cross_tab_published, questionnaire_results, results_labels
from tests.questionnaires.answers import responses_make
from tests.questionnaires.conftest import translation

pytestmark = pytest.mark.django_db


def by_key(results):
    return {row["key"]: row for row in results["questions"]}


def test_results_equal_the_tally(questionnaire):
    tally = responses_make(questionnaire, 60, seed=7)
    results = questionnaire_results(page=questionnaire)
    rows = by_key(results)

    assert results["responses"] == 60  # the 3 drafts are not counted
    for key in ("q-age", "q-mode", "q-why", "q-needs", "q-trust", "q-rank"):
        assert rows[key]["answered"] == tally["answered"][key], key
    assert rows["q-ideas"]["answered"] == 0

    mode = {o["key"]: o for o in rows["q-mode"]["options"]}
    for option, n in tally["options"]["q-mode"].items():
        assert mode[option]["count"] == n
        assert mode[option]["percent"] == round(100 * n / 60, 1)
    assert sum(o["count"] for o in rows["q-mode"]["options"]) == 60
    needs = {o["key"]: o["count"] for o in rows["q-needs"]["options"]}
    assert needs == {k: tally["options"]["q-needs"][k] for k in needs}

    distribution = {d["value"]: d["count"] for d in rows["q-trust"]["distribution"]}
    assert distribution == {v: tally["scale"][v] for v in range(1, 6)}
    expected_mean = sum(v * n for v, n in tally["scale"].items()) / 60
    assert rows["q-trust"]["mean"] == round(expected_mean, 2)

    ranking = {o["key"]: o for o in rows["q-rank"]["options"]}
    for option in ("q-rank-1", "q-rank-2", "q-rank-3"):
        assert ranking[option]["score"] == tally["rank_points"][option]
        assert ranking[option]["first"] == tally["rank_first"][option]
    assert rows["q-rank"]["max_score"] == 2 * 60

    age = rows["q-age"]
    assert age["count"] == 60
    assert age["mean"] == pytest.approx(mean(tally["ages"]), abs=1e-3)
    assert (age["min"], age["max"]) == (min(tally["ages"]), max(tally["ages"]))

    # Only the approved free texts are in the results.
    assert sorted(rows["q-why"]["approved"]) == sorted(tally["approved"]["q-why"])
    assert 0 < len(rows["q-why"]["approved"]) < rows["q-why"]["answered"]

    cross = {(c["code"], c["option"]): c["count"] for c in rows["q-mode"]["governorates"]}
    assert cross == dict(tally["cross"]["q-mode"])
    trust_cross = {(c["code"], c["option"]): c["count"] for c in rows["q-trust"]["governorates"]}
    assert trust_cross == dict(tally["cross"]["q-trust"])


def test_every_translation_gives_the_same_results(questionnaire):
    responses_make(questionnaire, 12, seed=3)
    arabic = questionnaire_results(page=questionnaire)
    french = questionnaire_results(page=translation(questionnaire, "fr"))
    arabic.pop("taken_at"), french.pop("taken_at")
    assert arabic == french
    assert arabic["responses"] == 12


def test_labels_of_every_translation(questionnaire):
    labels = results_labels(page=questionnaire)
    assert set(labels) == {"ar", "fr", "en"}
    assert labels["ar"]["options"]["q-mode-1"] == "الحافلة"
    assert labels["ar"]["questions"]["q-mode"] == "كيف تتنقل إلى العمل؟"


def test_cross_tab_hides_small_counts(questionnaire):
    responses_make(questionnaire, 40, seed=5)
    row = by_key(questionnaire_results(page=questionnaire))["q-mode"]
    published = cross_tab_published(row, threshold=5)
    shown = {}
    for code, cells in published["rows"]:
        for option, cell in zip(published["options"], cells):
            shown[(code, option)] = cell
    raw = {(c["code"], c["option"]): c["count"] for c in row["governorates"]}
    for key, n in raw.items():
        if 0 < n < 5:
            assert shown[key].suppressed == SMALL and shown[key].value is None
        elif shown[key].shown:
            assert shown[key].value == n
    assert {code for code, _ in published["rows"]} <= {*Governorate.values, ""}


def test_results_take_a_fixed_number_of_queries(make_questionnaire):
    sizes = []
    for n in (10, 200):
        page = make_questionnaire(translate=False)
        responses_make(page, n, seed=n)
        page = type(page).objects.get(pk=page.pk)
        with CaptureQueriesContext(connection) as queries:
            results = questionnaire_results(page=page)
        assert results["responses"] == n
        sizes.append(len(queries))
    assert sizes[0] == sizes[1] <= 8
