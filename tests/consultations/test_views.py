"""Consultation page, version history and listing, as a reader sees them."""

import pytest
from bs4 import BeautifulSoup

from consultations.models import ConsultationFollow
from tests.consultations.builders import republish

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_consultation_version_history_and_listing_render_in_each_language(
    client, make_consultation, language
):
    page = make_consultation(language=language, title=f"Projet {language}")
    for url in (page.url, page.url + "versions/", f"/{language}/consultations/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = soup(response).find("html")
        assert html["lang"] == language
        assert html["dir"] == ("rtl" if language == "ar" else "ltr")
        assert f"Projet {language}" in response.content.decode()


def test_consultation_page_shows_phase_deadline_and_sections(client, make_consultation, settings):
    page = make_consultation(language="ar")
    html = soup(client.get(page.url))
    assert html.select_one(".phase--open")
    timing = html.select_one(".timing").get_text()
    assert "أيام" in timing  # time left in Arabic words: "بقي 9 أيام"
    assert "2026" in timing or "2027" in timing  # Latin digits, as ar_TN writes them
    assert [h.get_text(" ", strip=True) for h in html.select(".draft-section h3")] == [
        "1. Principes",
        "2. Priorités",
    ]


def test_arabic_indic_digits_when_the_locale_expects_them(client, make_consultation, settings):
    settings.MAJLIS_FORMAT_LOCALES = {"ar": "ar_EG", "fr": "fr_TN", "en": "en_GB"}
    page = make_consultation(language="ar")
    timing = soup(client.get(page.url)).select_one(".timing").get_text()
    assert "٢٠٢" in timing and "202" not in timing


def test_deadline_is_shown_in_the_institutions_time_zone(client, make_consultation, site):
    institution = type(site["institution"]["en"]).objects.get(pk=site["institution"]["en"].pk)
    institution.time_zone = "Asia/Tokyo"
    institution.save_revision().publish()
    page = make_consultation(language="en")
    html = client.get(page.url).content.decode()
    # Named as readers name it, not by its database key.
    assert "(Japan Time)" in html and "Asia/Tokyo" not in html


@pytest.mark.parametrize(
    "language, zone_name", [("ar", "(توقيت تونس)"), ("fr", "(heure : Tunisie)"), ("en", "(Tunisia Time)")]
)
def test_the_time_zone_is_named_in_the_readers_language(client, make_consultation, language, zone_name):
    page = make_consultation(language=language)
    html = client.get(page.url).content.decode()
    assert zone_name in html and "Africa/Tunis" not in html


def test_follow_and_unfollow(client, make_consultation, citizen):
    page = make_consultation()
    assert client.post(page.url + "follow/").status_code == 302  # to the log-in page
    assert not ConsultationFollow.objects.exists()
    client.force_login(citizen)
    client.post(page.url + "follow/")
    assert ConsultationFollow.objects.filter(user=citizen, consultation=page).exists()
    client.post(page.url + "follow/")  # twice is still one follow
    assert ConsultationFollow.objects.count() == 1
    client.post(page.url + "follow/", {"follow": "0"})
    assert not ConsultationFollow.objects.exists()
    assert client.get(page.url + "follow/").status_code == 405


def titles(response):
    return [a.get_text(strip=True) for a in soup(response).select(".card--consultation h3 a")]


def test_listing_orders_open_first_and_filters(client, make_consultation):
    make_consultation(title="Ouverte", opens_in=-2, closes_in=30, topics=["eau"])
    make_consultation(title="Bientôt close", opens_in=-2, closes_in=2, topics=["transport"])
    make_consultation(title="À venir", opens_in=5, closes_in=30, topics=["eau"])
    make_consultation(title="Close", opens_in=-30, closes_in=-3, topics=["eau"])
    assert titles(client.get("/fr/consultations/")) == ["Bientôt close", "Ouverte", "À venir", "Close"]
    assert titles(client.get("/fr/consultations/?phase=open")) == ["Bientôt close", "Ouverte"]
    assert titles(client.get("/fr/consultations/?phase=closing_soon")) == ["Bientôt close"]
    assert titles(client.get("/fr/consultations/?phase=upcoming")) == ["À venir"]
    assert titles(client.get("/fr/consultations/?phase=closed")) == ["Close"]
    assert titles(client.get("/fr/consultations/?topic=eau&phase=open")) == ["Ouverte"]
    assert titles(client.get("/fr/consultations/?institution=el-kef")) != []
    assert titles(client.get("/ar/consultations/")) == []  # French consultations only


@pytest.mark.parametrize(
    "query", ["?phase=someday", "?institution=atlantis", "?topic=nothing", "?year=1850"]
)
def test_listing_refuses_unknown_filter_values(client, make_consultation, query):
    make_consultation()
    response = client.get("/fr/consultations/" + query)
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(".form-errors[role=alert]")
    assert titles(response) == []


def test_listing_paginates(client, make_consultation, settings):
    settings.CONSULTATIONS_PER_PAGE = 2
    for n in range(5):
        make_consultation(title=f"C{n}")
    first = client.get("/fr/consultations/")
    assert len(titles(first)) == 2
    assert len(titles(client.get("/fr/consultations/?page=3"))) == 1
    assert soup(first).select_one('a[rel="next"]')["href"].endswith("page=2")


def count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["", "versions/"])
def test_consultation_queries_do_not_grow_with_sections_or_versions(
    client, make_consultation, django_assert_max_num_queries, path
):
    small = make_consultation(sections=[("S", "t")])
    small = republish(small, [("S", "t2")], ids=[s.id for s in small.sections], note="v2")
    big = make_consultation(sections=[(f"S{n}", f"t{n}") for n in range(30)])
    ids = [s.id for s in big.sections]
    for n in range(6):
        big = republish(big, [(f"S{i}", f"t{i} v{n}") for i in range(30)], ids=ids, note=f"v{n}")
    assert big.versions.count() == 7
    client.get(small.url + path)  # warm caches
    small_count = count_queries(client, small.url + path, django_assert_max_num_queries, 60)
    big_count = count_queries(client, big.url + path, django_assert_max_num_queries, 60)
    assert big_count == small_count


def test_listing_queries_do_not_grow_with_consultations(
    client, make_consultation, django_assert_max_num_queries
):
    make_consultation()
    urls = ("/fr/consultations/", "/fr/el-kef/")
    for url in urls:
        client.get(url)  # warm caches
    before = [count_queries(client, url, django_assert_max_num_queries, 60) for url in urls]
    for n in range(8):
        make_consultation(topics=[f"t{n}", "eau"])
    after = [count_queries(client, url, django_assert_max_num_queries, 60) for url in urls]
    assert after == before


def test_verified_only_consultation_tells_an_unverified_citizen_how_to_take_part(
    client, make_consultation, citizen
):
    from deliberation.models import Participation

    page = make_consultation(participation=Participation.VERIFIED, language="en")
    client.force_login(citizen)
    html = soup(client.get(page.url))
    assert html.select_one('form[action="/en/accounts/verify/send/"]')
    citizen.email_verified = True
    citizen.save()
    assert not soup(client.get(page.url)).select_one('form[action="/en/accounts/verify/send/"]')
