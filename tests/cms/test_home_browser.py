"""The front door in a real browser, in Arabic on a phone-sized window: the open consultations
are there, and the count of contributions moves, without a reload, when someone posts in
another window (pages served by daphne, which publishes the events itself)."""

import uuid

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from deliberation.models import Status
from deliberation.services import contribution_post, thread_for_page
from tests.deliberation.browsing import (
    STEP,
    in_worker_thread,
    live_server_env,
    open_thread,
    signed_in_context,
)
from tests.deliberation.servers import daphne_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _past_premoderation(author, thread):
    with override_settings(DELIBERATION_NEW_ACCOUNT_PREMODERATED=0):
        for body in ("أول مساهمة.", "ثاني مساهمة."):
            result = contribution_post(
                author=author, thread=thread, body=body, language="ar", idempotency_key=uuid.uuid4()
            )
            assert result.contribution.status == Status.PUBLISHED


def test_the_arabic_front_door_on_a_phone_shows_the_open_consultations_and_counts_live(
    browser, site, make_consultation, citizen
):
    consultation = make_consultation(language="ar", title="مشروع مجلة المياه")
    thread = thread_for_page(page=consultation)
    in_worker_thread(_past_premoderation, citizen, thread)

    with live_server_env() as env_extra, daphne_server(env_extra=env_extra) as server:
        base = server.url("")
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        phone.set_default_timeout(STEP)
        writer_context = signed_in_context(browser, base, citizen)
        try:
            home = phone.new_page()
            problems = []
            home.on("pageerror", lambda error: problems.append(str(error)))
            home.goto(server.url("/ar/"))
            assert home.locator("html").get_attribute("dir") == "rtl"
            assert home.get_by_role("link", name="مشروع مجلة المياه").first.is_visible()
            figures = home.locator("[data-activity-socket]")
            figures.and_(home.locator('[data-live-state="open"]')).wait_for()
            count = home.locator('[data-figure="contributions"]')
            assert count.get_attribute("data-count") == "2"
            home.evaluate("window.__marker = 1")

            writer = open_thread(writer_context, server.url(consultation.url))
            writer.fill(".thread__form textarea[name=body]", "رأي جديد من نافذة أخرى.")
            writer.locator(".thread__form button[type=submit]").click()

            # A locator's expectation, not wait_for_function: the page's CSP forbids eval.
            expect(count).to_have_attribute("data-count", "3", timeout=STEP)
            assert count.inner_text().strip() == "3"
            assert home.evaluate("window.__marker === 1"), "the home page was reloaded"
            assert problems == []
        finally:
            phone.close()
            writer_context.close()
