"""Every page a citizen sees passes axe-core without serious or critical violations,
in Arabic (RTL), French and English. Runs Debian's Chromium through Playwright."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.pages import draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it (apt-get install chromium).")
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls beside
    # it need Django's async-safety check off — for these tests only (check --deploy refuses it).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def pages(site, make_consultation):
    consultation = {}
    for language in ("ar", "fr", "en"):
        page = make_consultation(language=language, slug="draft-law")
        page.draft = draft(("Un", "Premier, corrigé."), ("Deux", "Second."), ids=[s.id for s in page.sections])
        page.change_note = "v2"
        page.save_revision().publish()
        consultation[language] = page
    return consultation


PATHS = [
    "",
    "el-kef/",
    "el-kef/budget/",
    "about/",
    "el-kef/draft-law/",
    "el-kef/draft-law/versions/",
    "consultations/",
    "consultations/?phase=nonsense",
    "accounts/sign-up/",
    "accounts/login/",
    "accounts/password-reset/",
]


def violations(browser, url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(url)
        results = Axe().run(page)
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in BLOCKING
        ]
    finally:
        page.close()


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_pages_pass_axe(browser, live_server, pages, language):
    found = {}
    for path in PATHS:
        url = f"{live_server.url}/{language}/{path}"
        problems = violations(browser, url)
        if problems:
            found[path] = problems
    assert found == {}


def test_sign_up_with_errors_passes_axe(browser, live_server, pages):
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/ar/accounts/sign-up/")
        page.fill("#id_email", "not-an-email")
        page.click("button[type=submit]")
        page.wait_for_selector(".form-errors")
        assert page.locator("html").get_attribute("dir") == "rtl"
        results = Axe().run(page)
        assert [v["id"] for v in results.response["violations"] if v["impact"] in BLOCKING] == []
    finally:
        page.close()
