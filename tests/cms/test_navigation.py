"""The main navigation in every language, and what an institution's page lists."""

import datetime

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def page_soup(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_main_navigation_reaches_every_part_in_every_language(client, site, language):
    for path in (f"/{language}/", f"/{language}/consultations/", f"/{language}/el-kef/"):
        nav = page_soup(client, path).find("nav", class_="site-nav")
        links = [a["href"] for a in nav.find_all("a")]
        assert f"/{language}/consultations/" in links
        assert f"/{language}/search/?kind=decision&kind=outcome&sort=date" in links
        assert f"/{language}/search/?kind=topic&sort=date" in links
        assert f"/{language}/search/?kind=idea&sort=date" in links
        assert f"/{language}/search/" in links
        assert f"/{language}/requests/" in links
        assert f"/{language}/requests/follow/" in links


def test_the_consultation_index_is_marked_current_in_the_navigation(client, site):
    nav = page_soup(client, "/en/consultations/").find("nav", class_="site-nav")
    assert nav.find("a", attrs={"aria-current": "page"})["href"] == "/en/consultations/"


def test_the_links_of_the_navigation_answer(client, site):
    nav = page_soup(client, "/fr/").find("nav", class_="site-nav")
    for link in nav.find_all("a"):
        assert client.get(link["href"]).status_code == 200, link["href"]


def test_institution_page_lists_open_and_past_consultations_and_its_decisions(
    client, site, make_consultation, make_outcome, make_decision
):
    make_consultation(title="Open one", language="en", closes_in=4)
    closed = make_consultation(title="Past one", language="en", opens_in=-30, closes_in=-3)
    make_decision(
        make_outcome(closed), title="Ten fountains",
        milestones=[("proposed", datetime.date(2026, 6, 1)), ("adopted", datetime.date(2026, 7, 1)), ("in_force", datetime.date(2026, 8, 1))],
    )
    make_consultation(title="Other language", language="fr")
    page = page_soup(client, "/en/el-kef/")

    def titles(heading):
        section = page.find(attrs={"aria-labelledby": heading})
        return [h.get_text(strip=True) for h in section.select(".card h3")]

    assert titles("consultations-heading") == ["Open one"]
    assert titles("past-consultations-heading") == ["Past one"]
    assert titles("decisions-heading") == ["Ten fountains"]
    decisions = page.find(attrs={"aria-labelledby": "decisions-heading"})
    assert decisions.select_one(".decision-status--in_force").get_text(strip=True) == "In force"
    assert "Other language" not in page.get_text()
