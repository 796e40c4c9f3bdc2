"""Live threads in a real browser: Debian's Chromium through Playwright, pages served by daphne.

Two pages on the same consultation, in French and in Arabic (RTL): a citizen posts on the
first, the second shows the contribution within a second without being reloaded; a moderator
hides it from the admin's moderation queue (a third page) and both pages turn it into the
"removed by moderation" placeholder, the text gone.

The pages come from a daphne process (websockets; pytest-django's live_server is WSGI) that
reads the test database, so the tests commit (``transaction=True``) and daphne sees only what
reaches it: its own settings from the environment, never pytest's ``settings``; the browser's
posts and the moderator's form go to daphne, which publishes the events itself. When the run
has ``REDIS_URL`` (CI's PostgreSQL + Redis run), daphne gets the Redis channel layer too, on a
private redis-server: the machine's is flushed by every test's ``cache.clear()``.
"""

import time
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from deliberation.models import Contribution, Reason, Status
from cms.services import moderators_group_name
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

LIVE_WITHIN = 1.0  # seconds from the click to the contribution on the other page
HIDDEN_WITHIN = 3.0  # seconds from the moderator's click to the placeholder on both pages


def publish_two(author, thread, language):
    with override_settings(DELIBERATION_NEW_ACCOUNT_PREMODERATED=0):
        for body in ("Première contribution.", "Deuxième contribution."):
            result = contribution_post(
                author=author, thread=thread, body=body, language=language,
                idempotency_key=uuid.uuid4(),
            )
            assert result.contribution.status == Status.PUBLISHED


def not_reloaded(page) -> bool:
    return page.evaluate("window.__marker === 1")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_post_shows_live_on_another_page_and_a_hide_reaches_both(
    browser, site, make_consultation, citizen, moderator_of, language
):
    consultation = make_consultation(language=language)
    thread = thread_for_page(page=consultation)
    # Past the newcomers' pre-moderation the ordinary way: two contributions already published
    # (daphne keeps DELIBERATION_NEW_ACCOUNT_PREMODERATED's default, 2).
    in_worker_thread(publish_two, citizen, thread, language)
    moderator = moderator_of(site["institution"][language], display_name="Sami")
    # Into the admin, as `setup_institutions` lets an institution's moderators in (the command
    # itself needs Wagtail's root collection, which the flush between these tests removes).
    moderators = Group.objects.get(name=moderators_group_name(site["institution"][language]))
    moderators.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    body = f"Avis en direct {uuid.uuid4().hex[:8]}"
    placeholders = {}
    for code in (language, "en"):
        with translation.override(code):
            removed = gettext("Removed by moderation: %(reason)s")
            placeholders[code] = removed % {"reason": str(Reason.OFF_TOPIC.label)}
    placeholder = placeholders[language]
    assert placeholder != placeholders["en"]  # the catalog is translated

    with live_server_env() as env_extra, daphne_server(env_extra=env_extra) as server:
        base = server.url("")
        url = server.url(consultation.url)
        assert consultation.url.startswith(f"/{language}/")
        contexts = [
            signed_in_context(browser, base, citizen),
            signed_in_context(browser, base),  # an anonymous reader
            signed_in_context(browser, base, moderator),
        ]
        try:
            writer = open_thread(contexts[0], url)
            reader = open_thread(contexts[1], url)
            for page in (writer, reader):
                html = page.locator("html")
                assert html.get_attribute("lang") == language
                assert (html.get_attribute("dir") == "rtl") == (language == "ar")

            # --- The citizen posts; the other page shows it within a second, not reloaded.
            writer.fill(".thread__form textarea[name=body]", body)
            submit = writer.locator(".thread__form button[type=submit]")
            shown = reader.locator(
                "section.thread li.contribution .contribution__text", has_text=body
            )
            started = time.monotonic()
            submit.click()
            shown.wait_for(state="visible", timeout=LIVE_WITHIN * 1000)
            elapsed = time.monotonic() - started
            assert elapsed <= LIVE_WITHIN, f"shown on the other page after {elapsed:.3f} s"

            contribution = Contribution.objects.get(thread=thread, body=body)
            assert contribution.status == Status.PUBLISHED
            item = f"section.thread li#contribution-{contribution.pk}"
            writer.wait_for_selector(f"{item} .contribution__text", timeout=STEP)
            # Posted over the socket: the form was not submitted, the text field was emptied.
            textarea = writer.locator(".thread__form textarea[name=body]")
            expect(textarea).to_have_value("", timeout=STEP)
            assert not_reloaded(writer) and not_reloaded(reader)

            # --- A moderator of the institution hides it from the admin's queue.
            admin = contexts[2].new_page()
            admin.goto(server.url(f"/{settings.WAGTAILADMIN_URL_PREFIX}/moderation/?queue=all"))
            entry = admin.locator(f"article#contribution-{contribution.pk}")
            admin.locator(f"#c{contribution.pk}-reason").select_option(Reason.OFF_TOPIC.value)
            started = time.monotonic()
            # The form posts, then comes back to the queue: the pages need not wait for that.
            entry.locator("button[name=action][value=hide]").click(no_wait_after=True)
            for page in (writer, reader):
                left = HIDDEN_WITHIN - (time.monotonic() - started)
                placeholder_shown = page.locator(f"{item} .contribution__removed")
                placeholder_shown.wait_for(timeout=max(left, 0.01) * 1000)  # (0 means no timeout)
            hidden_after = time.monotonic() - started
            assert hidden_after <= HIDDEN_WITHIN
            # The queue came back with the admin's success message.
            admin.locator(".messages li.success", has_text=f"#{contribution.pk}").wait_for()
            contribution.refresh_from_db()
            assert contribution.status == Status.HIDDEN and contribution.reason == Reason.OFF_TOPIC

            for page in (writer, reader):
                removed = page.locator(f"{item} .contribution__removed").inner_text()
                assert removed.strip() == placeholder
                assert page.locator(f"{item} .contribution__text").count() == 0
                assert body not in page.locator("section.thread").inner_text()
                assert not_reloaded(page)
                assert page.problems == []
            print(f"[{language}] shown in {elapsed:.3f} s, hidden in {hidden_after:.3f} s")
        except Exception:
            print(server.log())
            raise
        finally:
            for context in contexts:
                context.close()
