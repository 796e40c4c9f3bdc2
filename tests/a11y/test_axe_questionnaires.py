"""The questionnaire's answering page passes axe-core without serious or critical violations
in Arabic (RTL), French and English: signed out (log-in invitation), signed in, and sent with
mistakes (errors next to the questions)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from tests.questionnaires.conftest import answering, make_questionnaire, translation  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


def _context(browser, live_server, user=None):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    if user is not None:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])
    return context


def _problems(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_answering_page_passes_axe(browser, live_server, answering, language):  # noqa: F811
    questionnaire = translation(answering["questionnaire"], language)
    url = f"{live_server.url}{questionnaire.url}"
    found = {}
    anonymous = _context(browser, live_server)
    signed_in = _context(browser, live_server, answering["citizen"])
    try:
        page = anonymous.new_page()
        assert page.goto(url).status == 200
        assert (page.locator("html").get_attribute("dir") == "rtl") == (language == "ar")
        found["signed out"] = _problems(page)
        page.close()
        page = signed_in.new_page()
        page.goto(url)
        found["signed in"] = _problems(page)
        with page.expect_navigation():
            page.click("button[name=action][value=send]")
        assert page.locator(".errorlist").count() > 0
        found["with errors"] = _problems(page)
        page.close()
    finally:
        anonymous.close()
        signed_in.close()
    assert {where: problems for where, problems in found.items() if problems} == {}
