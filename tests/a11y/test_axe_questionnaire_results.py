"""A questionnaire's results page passes axe-core without serious or critical violations in
Arabic (right-to-left), French and English on a phone-sized screen: charts, statistics,
approved texts and the cross-tab by governorate with hidden counts."""

import pytest

from tests.a11y.axe_checks import axe_problems, browser_context
from tests.questionnaires.answers import responses_make
from tests.questionnaires.conftest import make_questionnaire, translation  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_results_page_passes_axe(browser, live_server, make_questionnaire, language):  # noqa: F811
    questionnaire = make_questionnaire(results_public=True)
    responses_make(questionnaire, 30, seed=13)
    target = questionnaire if language == "ar" else translation(questionnaire, language)
    context = browser_context(browser, live_server)
    try:
        page = context.new_page()
        response = page.goto(f"{live_server.url}{target.url}results/")
        assert response.status == 200
        assert (page.locator("html").get_attribute("dir") == "rtl") == (language == "ar")
        assert page.locator("figure.chart svg").count() >= 3
        assert page.locator("[data-suppressed]").count() > 0
        problems = axe_problems(page)
    finally:
        context.close()
    assert problems == []
