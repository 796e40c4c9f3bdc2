"""Helpers of the browser tests that watch live pages served by daphne (used by the live
thread, request and front-door tests): daphne's Redis, a signed-in browser context, a live
thread page, and running the services outside Playwright's event loop."""

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.test import Client

from tests.deliberation.servers import redis_server

STEP = 10_000  # ms for steps that are not timed (page loads, the admin's form)


@contextlib.contextmanager
def live_server_env():
    """daphne's extra environment: the Redis layer on a private server when this run uses Redis."""
    if not os.environ.get("REDIS_URL"):
        yield {}
        return
    with redis_server() as redis:
        yield {"REDIS_URL": redis.url}


def signed_in_context(browser, base_url, user=None):
    """A browser context (its own cookies), signed in as ``user`` through a database session."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    context.set_default_timeout(STEP)
    if user is not None:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        cookie = {"name": name, "value": client.cookies[name].value, "url": base_url}
        context.add_cookies([cookie])
    return context


def open_thread(context, url):
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url)
    page.wait_for_selector('section.thread[data-live="connected"]', timeout=STEP)
    # Gone if the page is ever reloaded or navigated away.
    page.evaluate("window.__marker = 1")
    page.problems = problems
    return page


def in_worker_thread(function, *args):
    """Run ``function`` in a thread without an event loop and close its database connection.

    Posting through the services publishes the events on commit with ``async_to_sync``, which
    refuses to run in this thread, where Playwright's sync API keeps an event loop running.
    """
    def run():
        try:
            return function(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
