"""In a browser: the verification page passes axe-core in Arabic (RTL), French and English,
empty and with a result; uploading the signed PDF says valid, a tampered copy says altered."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.signatures.builders import one_byte_changed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
UPLOAD_BUTTON = "section[aria-labelledby=upload-heading] button[type=submit]"


def _problems(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]


def test_upload_in_a_browser_and_axe_in_three_languages(browser, live_server, signed, signed_sample, tmp_path):
    good, bad = tmp_path / "answer.pdf", tmp_path / "answer-copy.pdf"
    good.write_bytes(signed_sample["pdf"])
    bad.write_bytes(one_byte_changed(signed_sample["pdf"]))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for language, valid_words, altered_words in (
            ("ar", "صالح: وقّعته", "معدَّل:"),
            ("fr", "Valide : signé par", "Modifié :"),
            ("en", "Valid: signed by", "Altered:"),
        ):
            page.goto(f"{live_server.url}/{language}/verify/")
            assert _problems(page) == [], language

            page.set_input_files("input[type=file]", str(good))
            page.locator(UPLOAD_BUTTON).click()
            page.wait_for_selector("[data-status]")
            assert page.get_attribute("[data-status]", "data-status") == "valid"
            assert valid_words in page.inner_text("#verification-result")
            assert _problems(page) == [], language

            page.set_input_files("input[type=file]", str(bad))
            page.locator(UPLOAD_BUTTON).click()
            page.wait_for_selector("[data-status=altered]")
            assert altered_words in page.inner_text("#verification-result")
            assert _problems(page) == [], language
    finally:
        context.close()
