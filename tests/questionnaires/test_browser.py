"""A citizen answers the questionnaire in Arabic on a phone: the conditional question appears
once the option it depends on is chosen, the response is stored and shown again."""

import pytest
from django.conf import settings
from django.test import Client

from questionnaires.models import Answer, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, user):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])
    return context


def test_citizen_answers_in_arabic_on_a_phone(browser, live_server, answering):
    questionnaire, citizen = answering["questionnaire"], answering["citizen"]
    context = _signed_in(browser, live_server, citizen)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{questionnaire.url}")
        assert page.locator("html").get_attribute("dir") == "rtl"
        why = page.locator("#question-q-why")
        assert why.is_hidden()  # "why by bus?" waits for "bus"
        page.fill("input[name='q-q-age']", "29")
        page.check("input[name='q-q-mode'][value='q-mode-2']")  # by car
        assert why.is_hidden()
        page.check("input[name='q-q-mode'][value='q-mode-1']")  # by bus
        assert why.is_visible()
        page.fill("input[name='q-q-why']", "لأنها أرخص")
        page.check("input[name='q-q-needs'][value='q-needs-1']")
        page.check("input[name='q-q-trust'][value='4']")
        page.select_option("select[name='q-q-rank-rank-1']", "q-rank-1")
        page.select_option("select[name='q-q-rank-rank-2']", "q-rank-3")
        page.select_option("select[name='q-q-rank-rank-3']", "q-rank-2")
        # Phone-sized: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        with page.expect_navigation():
            page.click("button[name=action][value=send]")
        assert page.locator(".messages, [role=status], .message").first.is_visible()
        stored = Response.objects.get(user=citizen)
        assert not stored.is_draft and stored.governorate == "TN-33" and stored.language == "ar"
        assert Answer.objects.get(response=stored, question_key="q-why").text == "لأنها أرخص"
        # The saved answers are shown again, the conditional question with them.
        assert page.locator("input[name='q-q-mode'][value='q-mode-1']").is_checked()
        assert why.is_visible()
        # Changing to "on foot" hides it again; the update drops its answer.
        page.check("input[name='q-q-mode'][value='q-mode-3']")
        assert why.is_hidden()
        with page.expect_navigation():
            page.click("button[name=action][value=send]")
        assert not Answer.objects.filter(question_key="q-why").exists()
        assert Response.objects.count() == 1
    finally:
        context.close()
