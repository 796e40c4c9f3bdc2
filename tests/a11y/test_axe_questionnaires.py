"""The questionnaire's answering page passes axe-core without serious or critical violations
in Arabic (RTL), French and English: signed out (log-in invitation), signed in, and sent with
mistakes (errors next to the questions)."""

import pytest

from tests.a11y.axe_checks import axe_problems, browser_context
from tests.questionnaires.conftest import answering, make_questionnaire, translation  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_answering_page_passes_axe(browser, live_server, answering, language):  # noqa: F811
    questionnaire = translation(answering["questionnaire"], language)
    url = f"{live_server.url}{questionnaire.url}"
    found = {}
    anonymous = browser_context(browser, live_server)
    signed_in = browser_context(browser, live_server, answering["citizen"])
    try:
        page = anonymous.new_page()
        assert page.goto(url).status == 200
        assert (page.locator("html").get_attribute("dir") == "rtl") == (language == "ar")
        found["signed out"] = axe_problems(page)
        page.close()
        page = signed_in.new_page()
        page.goto(url)
        found["signed in"] = axe_problems(page)
        with page.expect_navigation():
            page.click("button[name=action][value=send]")
        assert page.locator(".errorlist").count() > 0
        found["with errors"] = axe_problems(page)
        page.close()
    finally:
        anonymous.close()
        signed_in.close()
    assert {where: problems for where, problems in found.items() if problems} == {}
