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


def _editor(questionnaire):
    """An editor of the questionnaire's institution (page permission to change it)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name="Editors: live-results")
    GroupPagePermission.objects.create(
        group=group, page=questionnaire.institution, permission_type="change"
    )
    editor = get_user_model().objects.create_user(
        email="editor.live@example.tn", password="x", display_name="Editor", is_staff=True
    )
    editor.groups.add(group)
    return editor


def test_editor_watching_the_results_sees_the_counts_change(browser, answering):
    """The citizen answers on a phone (served by daphne, which sends the notice); the editor's
    results page, in another browser context, shows the new counts without reloading."""
    from tests.deliberation.servers import daphne_server

    questionnaire, citizen = answering["questionnaire"], answering["citizen"]
    editor = _editor(questionnaire)
    with daphne_server() as server:
        base = server.url("")
        watcher = _signed_in_at(browser, base, editor, viewport={"width": 1000, "height": 900})
        phone = _signed_in_at(browser, base, citizen)
        try:
            results = watcher.new_page()
            results.goto(server.url(f"{questionnaire.url}results/"))
            results.wait_for_selector("#results[data-live-state='open']", timeout=10_000)
            results.evaluate("window.__marker = 1")
            responses = results.locator("[data-figure='responses']")
            before = responses.inner_text()
            mode_bus = results.locator("#results-2 td").first
            bus_before = mode_bus.inner_text()

            page = phone.new_page()
            page.goto(server.url(questionnaire.url))
            page.fill("input[name='q-q-age']", "29")
            page.check("input[name='q-q-mode'][value='q-mode-1']")
            page.fill("input[name='q-q-why']", "لأنها أرخص")
            page.check("input[name='q-q-trust'][value='4']")
            with page.expect_navigation():
                page.click("button[name=action][value=send]")

            results.wait_for_function(
                "before => document.querySelector(\"[data-figure='responses']\").textContent.trim() !== before",
                arg=before.strip(),
                timeout=10_000,
            )
            assert responses.inner_text() != before
            assert mode_bus.inner_text() != bus_before  # "bus" went from 0 to 1
            assert results.evaluate("window.__marker === 1")  # not reloaded
            assert results.locator("#results-live-status").inner_text().strip() != ""
        finally:
            watcher.close()
            phone.close()


def _signed_in_at(browser, base_url, user, viewport=None):
    context = browser.new_context(viewport=viewport or {"width": 390, "height": 844}, locale="ar")
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": base_url}])
    return context
