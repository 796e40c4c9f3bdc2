"""What the accessibility tests share: the violations that fail a page, as axe reports them,
and a browser context (phone-sized unless told) signed in as an account when one is given."""

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

BLOCKING = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}


def axe_problems(page) -> list[str]:
    """The serious and critical violations axe finds on the page, one line each."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]


def browser_context(browser, live_server, user=None, *, viewport=PHONE, **options):
    """A new browser context, carrying ``user``'s session cookie when a user is given."""
    context = browser.new_context(viewport=viewport, **options)
    if user is not None:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        context.add_cookies(
            [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
        )
    return context
