"""Arrows point the reading direction, and names stand apart from the text around them."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
ARROWS = "←→"


def _templates():
    for path in ROOT.glob("*/templates/**/*.html"):
        if ".venv" not in path.parts:
            yield path
    yield from (ROOT / "templates").glob("**/*.html")


def test_no_page_template_writes_an_arrow_character():
    """A written "←" points forward in Arabic: arrows are icons that turn round in RTL."""
    written = [
        str(path.relative_to(ROOT))
        for path in _templates()
        if "admin" not in path.parts and re.search(f"[{ARROWS}]", path.read_text(encoding="utf-8"))
    ]
    assert written == []


def test_the_stylesheet_turns_back_arrows_round_in_each_direction():
    css = (ROOT / "static" / "css" / "majlis.css").read_text(encoding="utf-8")
    assert re.search(r"\.icon--back\s*\{\s*transform:\s*scaleX\(-1\)", css)
    assert re.search(r'\[dir="rtl"\] \.icon--back\s*\{\s*transform:\s*none', css)


@pytest.mark.parametrize("language, direction", [("ar", "rtl"), ("fr", "ltr")])
@pytest.mark.parametrize("mode", ["reply", "flag"])
def test_the_reply_and_report_pages_lead_back_with_an_arrow_that_points_back(
    client, thread, trusted_citizen, user_factory, post, language, direction, mode
):
    contribution = post(trusted_citizen, thread)
    client.force_login(user_factory())
    response = client.get(f"/{language}/deliberation/contributions/{contribution.pk}/{mode}/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["dir"] == direction
    back = page.select_one("a.back-link")
    assert back is not None and back["href"]
    assert back.select_one("svg.icon--directional.icon--back") is not None
    assert not re.search(f"[{ARROWS}]", page.get_text())
    # The author's name quoted above the form is isolated from the sentence around it.
    if mode == "reply":
        assert page.select_one(".contribution__quote bdi") is not None


def test_a_requests_email_isolates_the_citizens_name():
    source = (ROOT / "citizen_requests" / "templates" / "citizen_requests" / "email" / "changed.txt").read_text()
    assert "user.display_name|isolated" in source
