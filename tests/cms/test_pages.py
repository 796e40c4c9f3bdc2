"""Page types: where each may be created, how each renders in ar/fr/en, the language switcher."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from citizen_requests.models import PublicRequestsPage
from cms.home import home_cache_invalidate
from cms.models import HomePage, InstitutionPage, PolicyPage, StandardPage
from consultations.models import ConsultationPage, DecisionPage, OutcomePage
from deliberation.models import ForumTopicPage
from questionnaires.models import QuestionnairePage
from tests.pages import TITLES


class PageTypeRulesTests(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(InstitutionPage, HomePage)

    def test_institutions_live_under_a_home_page(self):
        self.assertAllowedParentPageTypes(InstitutionPage, {HomePage})
        self.assertAllowedSubpageTypes(
            InstitutionPage,
            {
                ConsultationPage, ForumTopicPage, PublicRequestsPage, PolicyPage, StandardPage,
                QuestionnairePage,
            },
        )
        self.assertCanNotCreateAt(Page, InstitutionPage)
        self.assertCanNotCreateAt(StandardPage, InstitutionPage)

    def test_policy_pages_live_under_an_institution_and_have_no_children(self):
        self.assertAllowedParentPageTypes(PolicyPage, {InstitutionPage})
        self.assertAllowedSubpageTypes(PolicyPage, set())
        self.assertCanNotCreateAt(HomePage, PolicyPage)

    def test_standard_pages_nest_under_home_institutions_and_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, InstitutionPage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_consultations_live_under_an_institution_with_only_their_outcome_beneath(self):
        self.assertAllowedParentPageTypes(ConsultationPage, {InstitutionPage})
        self.assertAllowedSubpageTypes(ConsultationPage, {OutcomePage, QuestionnairePage})
        self.assertAllowedSubpageTypes(OutcomePage, {DecisionPage})
        self.assertAllowedParentPageTypes(DecisionPage, {OutcomePage})
        self.assertAllowedSubpageTypes(DecisionPage, set())
        self.assertCanNotCreateAt(HomePage, ConsultationPage)
        self.assertCanNotCreateAt(PolicyPage, ConsultationPage)

    def test_home_page_children(self):
        self.assertAllowedSubpageTypes(HomePage, {InstitutionPage, StandardPage})


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


PAGE_PATHS = {
    "home": "",
    "institution": "el-kef/",
    "policy": "el-kef/budget/",
    "about": "about/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fr", "en"])
@pytest.mark.parametrize("kind", list(PAGE_PATHS))
def test_each_page_type_renders_in_each_language(client, site, language, kind):
    response = client.get(f"/{language}/{PAGE_PATHS[kind]}")
    assert response.status_code == 200
    page = soup(response)
    html = page.find("html")
    assert html["lang"] == language
    assert html["dir"] == ("rtl" if language == "ar" else "ltr")
    assert page.find("h1").get_text(strip=True) == TITLES[kind][language]
    # Landmarks and the skip link every page must have.
    assert page.select_one('a.skip-link[href="#main"]')
    assert page.find("main", id="main") and page.find("header") and page.find("footer")
    assert page.find("nav", attrs={"aria-label": True})


@pytest.mark.django_db
def test_language_switcher_keeps_the_reader_on_the_translated_page(client, site):
    page = soup(client.get("/fr/el-kef/budget/"))
    switcher = page.select_one("nav.site-languages")
    links = {a["hreflang"]: a for a in switcher.find_all("a")}
    assert links["ar"]["href"] == "/ar/el-kef/budget/"
    assert links["en"]["href"] == "/en/el-kef/budget/"
    assert links["fr"]["aria-current"] == "true"
    assert links["ar"]["lang"] == "ar" and links["ar"]["dir"] == "rtl"
    alternates = {tag["hreflang"]: tag["href"] for tag in page.select('link[rel="alternate"]')}
    assert alternates["en"] == "http://testserver/en/el-kef/budget/"


@pytest.mark.django_db
def test_language_switcher_falls_back_to_home_when_a_page_is_not_translated(client, site):
    site["about"]["en"].unpublish()
    page = soup(client.get("/fr/about/"))
    links = {a["hreflang"]: a["href"] for a in page.select("nav.site-languages a")}
    assert links["en"] == "/en/"
    assert links["ar"] == "/ar/about/"


@pytest.mark.django_db
def test_language_switcher_on_an_account_page_swaps_the_prefix(client, site):
    page = soup(client.get("/ar/accounts/login/"))
    links = {a["hreflang"]: a["href"] for a in page.select("nav.site-languages a")}
    assert links == {
        "ar": "/ar/accounts/login/",
        "fr": "/fr/accounts/login/",
        "en": "/en/accounts/login/",
    }


@pytest.mark.django_db
def test_home_lists_institutions_and_menu_in_the_readers_language(client, site):
    page = soup(client.get("/en/"))
    cards = [a.get_text(strip=True) for a in page.select(".card-list h3 a")]
    assert cards == [TITLES["institution"]["en"]]
    menu = [a.get_text(strip=True) for a in page.select("nav.site-nav a")]
    assert TITLES["about"]["en"] in menu


@pytest.mark.django_db
def test_institution_lists_its_policies_with_topics(client, site):
    page = soup(client.get("/ar/el-kef/"))
    assert [a.get_text(strip=True) for a in page.select(".card-list h3 a")] == [TITLES["policy"]["ar"]]
    assert "الماء" in [tag.get_text(strip=True) for tag in page.select(".tag")]
    assert page.select_one('a[href="mailto:baladiya@example.tn"]')


@pytest.mark.django_db
def test_breadcrumb_arrows_turn_round_in_arabic(client, site):
    page = soup(client.get("/ar/el-kef/budget/"))
    crumbs = page.select_one("nav.breadcrumbs")
    assert [a.get_text(strip=True) for a in crumbs.find_all("a")] == [
        TITLES["home"]["ar"],
        TITLES["institution"]["ar"],
    ]
    assert crumbs.select_one("svg.icon--directional")
    css = client.get("/static/css/majlis.css")
    assert b'[dir="rtl"] .icon--directional' in b"".join(css.streaming_content)


@pytest.mark.django_db
def test_unpublished_page_is_not_served(client, site):
    site["policy"]["fr"].unpublish()
    assert client.get("/fr/el-kef/budget/").status_code == 404
    assert client.get("/ar/el-kef/budget/").status_code == 200


@pytest.mark.django_db
def test_admin_creates_a_policy_page_under_an_institution(client, site, admin_user):
    client.force_login(admin_user)
    institution = site["institution"]["fr"]
    url = reverse("wagtailadmin_pages:add", args=("cms", "policypage", institution.pk))
    data = nested_form_data(
        {
            "title": "Plan de mobilité",
            "slug": "mobilite",
            "summary": "Bus et pistes cyclables.",
            "published_on": "2026-11-01",
            "body": streamfield([("paragraph", rich_text("<p>Texte du plan.</p>"))]),
            "topics": "transport, climat",
            "action-publish": "publish",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    created = PolicyPage.objects.get(slug="mobilite")
    assert created.live and created.locale.language_code == "fr"
    assert sorted(t.name for t in created.topics.all()) == ["climat", "transport"]
    assert client.get("/fr/el-kef/mobilite/").status_code == 200


@pytest.mark.django_db
def test_editors_can_create_translations(client, site, admin_user):
    """simple_translation gives editors a "Translate" action for a page into another locale."""
    client.force_login(admin_user)
    source = site["policy"]["ar"]
    url = reverse("simple_translation:submit_page_translation", args=[source.pk])
    assert client.get(url).status_code == 200


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_listing_pages_do_not_query_per_item(client, site):
    home = site["home"]["en"]
    institution = site["institution"]["en"]
    for url in ("/en/", "/en/el-kef/"):
        count_queries(client, url)  # warm the site-root and content-type caches
    home_cache_invalidate()  # the home page's activity is counted again (cms/home.py)
    home_before = count_queries(client, "/en/")
    institution_before = count_queries(client, "/en/el-kef/")
    for n in range(4):
        home.add_child(
            instance=InstitutionPage(title=f"Ministry {n}", slug=f"ministry-{n}", kind="ministry")
        ).save_revision().publish()
        policy = institution.add_child(
            instance=PolicyPage(title=f"Policy {n}", slug=f"policy-{n}", body=[])
        )
        policy.topics.add(f"topic {n}", "water")
        policy.save_revision().publish()
    assert count_queries(client, "/en/") == home_before  # (publishing dropped the cache)
    assert count_queries(client, "/en/el-kef/") == institution_before
