"""The public search page, ``/<lang>/search/``: what a journalist sees and the links they follow."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from search import conf
from search.services import search_index_rebuild
from tests.search.builders import doc

pytestmark = pytest.mark.django_db

def get(client, path="/en/search/", **params):
    return client.get(path, params, HTTP_ACCEPT_LANGUAGE="en")


def words(html: str) -> str:
    """What a reader sees of some HTML: no tags, single spaces."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).replace(" )", ")")


def text(response) -> str:
    return words(response.content.decode())


def links(response, label: str) -> list[str]:
    """The hrefs of the links whose visible text contains ``label``."""
    html = response.content.decode()
    found = []
    for attributes, inner in re.findall(r"<a ([^>]*)>(.*?)</a>", html, re.S):
        href = re.search(r'href="([^"]*)"', attributes)
        if href and label in words(inner):
            found.append(unescape(href.group(1)))
    return found


def query(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


# --- the page in three languages ------------------------------------------------------------


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_page_answers_in_each_language_with_its_direction(client, listing, language, direction):
    response = client.get(f"/{language}/search/", {"q": "eau"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    # The three documents that mention "eau", whatever the language of the page.
    assert html.count('class="search-hit ') == 3
    assert "Bus de nuit" not in html


def test_hits_show_highlights_kind_institution_date_status_and_language(client, listing):
    response = get(client, q="eau", kind="decision")

    html = response.content.decode()
    assert "Arrêté sur l&#x27;<mark>eau</mark> potable" in html
    assert "Dix fontaines pour l&#x27;<mark>eau</mark> du Kef." in html
    # The title and excerpt say which language they are in, whatever the page's.
    assert '<h3 class="search-hit__title" lang="ar" dir="auto">' in html
    assert '<p class="search-hit__snippet" lang="fr" dir="auto">' in html
    page = text(response)
    assert "Decision" in page and "Adopted" in page and "In force" in page
    assert "Arrêté 2026-12" in page
    # The institution is named in the reader's language, the date written in it.
    assert "El Kef Municipality" in page
    assert '<time datetime="2026-01-02">2 January 2026</time>' in html
    assert '<a href="/fr/docs/1/">' in html


def test_arabic_page_writes_dates_and_institutions_in_arabic(client, listing):
    with translation.override("ar"):
        response = client.get("/ar/search/", {"q": "eau", "kind": "decision"})

    page = text(response)
    assert "بلدية الكاف" in page
    assert "يناير 2026" in page or "جانفي 2026" in page
    assert "قرار" in page  # the kind, in Arabic


def test_empty_search_lists_the_newest_documents_first(client, listing):
    response = get(client)

    html = response.content.decode()
    titles = re.findall(r'<a href="/\w\w/docs/(\d+)/">', html)
    assert titles == ["5", "4", "3", "2", "1"]
    assert "5 results" in text(response)


# --- facets and filters ---------------------------------------------------------------------


def test_facet_links_keep_the_query_add_the_filter_and_go_back_to_page_one(client, listing):
    response = get(client, q="eau", sort="date", page="1")

    page = text(response)
    assert "Decision (2)" in page and "Outcome (1)" in page
    [decisions] = links(response, "Decision (2)")
    assert query(decisions) == {"q": ["eau"], "sort": ["date"], "kind": ["decision"]}
    # No English document names Bizerte: its name in another language stands in.
    [bizerte] = links(response, "Municipalité de Bizerte (1)")
    assert query(bizerte)["institution"] == ["bizerte"]
    [arabic] = links(response, "العربية (1)")
    assert query(arabic)["language"] == ["ar"]

    filtered = client.get(decisions)
    assert filtered.status_code == 200
    assert filtered.content.decode().count('class="search-hit ') == 2
    assert "Ce que nous avons entendu" not in text(filtered)


def test_facets_count_within_the_filters_and_links_keep_them(client, listing):
    response = get(client, q="eau", kind="decision")

    page = text(response)
    assert "Outcome (" not in page  # counted among decisions only
    assert "Decision (2) (filter in use)" in page
    assert links(response, "Decision (2)") == []  # chosen: not a link that adds it again
    [arabic] = links(response, "العربية (1)")
    assert query(arabic) == {"q": ["eau"], "kind": ["decision"], "language": ["ar"]}


def test_chosen_filters_are_listed_with_links_that_remove_them(client, listing):
    response = get(client, q="eau", kind="decision", institution="el-kef", date_from="2026-01-01")

    page = text(response)
    assert "Remove filter: Decision" in page
    assert "Remove filter: El Kef Municipality" in page
    assert "Remove filter: From 1 January 2026" in page
    [no_kind] = links(response, "Remove filter: Decision")
    assert query(no_kind) == {"q": ["eau"], "institution": ["el-kef"], "date_from": ["2026-01-01"]}
    [no_date] = links(response, "Remove filter: From")
    assert "date_from" not in query(no_date)
    [none] = links(response, "Remove all filters")
    assert query(none) == {"q": ["eau"]}


def test_the_form_keeps_the_query_and_carries_the_filters(client, listing):
    response = get(client, q="eau", kind="decision", topic="eau", sort="date")

    html = response.content.decode()
    assert 'type="search" name="q" id="search-q" dir="auto" value="eau"' in html
    assert '<label for="search-q">' in html
    assert '<input type="hidden" name="kind" value="decision">' in html
    assert '<input type="hidden" name="topic" value="eau">' in html
    assert '<option value="date" selected>' in html
    assert 'type="date" name="date_from"' in html


# --- pagination -----------------------------------------------------------------------------


def test_pages_link_to_each_other_and_say_where_the_reader_is(client, db, settings):
    settings.SEARCH_PAGE_SIZE = 2
    for number in range(1, 6):
        doc(number, title=f"Eau {number}")

    first = get(client, q="eau")
    page = text(first)
    assert "5 results" in page and "Page 1 of 3" in page
    assert links(first, "Previous") == []
    [following] = links(first, "Next")
    assert query(following) == {"q": ["eau"], "page": ["2"]}

    second = client.get(following)
    assert "Page 2 of 3" in text(second)
    assert query(links(second, "Previous")[0]) == {"q": ["eau"]}
    assert query(links(second, "Next")[0])["page"] == ["3"]
    assert 'aria-label="Result pages"' in second.content.decode()
    # The next page's documents are not the first page's.
    assert re.findall(r"/docs/(\d)/", first.content.decode()) != re.findall(
        r"/docs/(\d)/", second.content.decode()
    )


def test_a_page_past_the_last_one_says_so(client, listing):
    response = get(client, q="eau", page="3")

    assert response.status_code == 404
    assert "past the last page" in text(response)
    assert query(links(response, "first page")[0]) == {"q": ["eau"]}


def test_no_results_suggests_removing_each_filter_and_using_fewer_words(client, listing):
    response = get(client, q="eau fontaines", kind="outcome", institution="el-kef")

    assert response.status_code == 200
    page = text(response)
    assert "No document matches this search." in page
    assert "Try fewer words" in page
    [no_kind] = links(response, "Remove filter: Outcome")
    assert query(no_kind) == {"q": ["eau fontaines"], "institution": ["el-kef"]}
    [none] = links(response, "Remove all filters")
    assert query(none) == {"q": ["eau fontaines"]}
    # Removing the kind filter finds the decision.
    assert '<a href="/fr/docs/1/">' in client.get(no_kind).content.decode()


def test_no_results_with_one_filter_offers_to_remove_it(client, listing):
    response = get(client, q="fontaines", kind="outcome")

    assert query(links(response, "Remove filter: Outcome")[0]) == {"q": ["fontaines"]}
    assert links(response, "Remove all filters") == []


def test_no_results_without_filters_only_suggests_other_words(client, listing):
    response = get(client, q="zzzzz")

    page = text(response)
    assert "No document matches this search." in page
    assert "Remove all filters" not in page


# --- the feed link --------------------------------------------------------------------------


def test_page_links_to_the_atom_feed_of_the_same_search(client, listing):
    response = get(client, q="eau", kind="decision", sort="relevance", page="1")

    html = response.content.decode()
    [head] = re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">', html
    )
    title, href = unescape(head[0]), unescape(head[1])
    assert title == "Majlis search: eau · Decision"
    assert urlsplit(href).path == reverse("search:feed")
    assert query(href) == {"q": ["eau"], "kind": ["decision"]}
    assert links(response, "Subscribe to this search") == [href]


# --- refused searches -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "eau " * 100}, "The search is too long"),
        ({"date_from": "2026-13-45"}, "Enter a valid date."),
        ({"page": str(conf.get('SEARCH_MAX_PAGE') + 1)}, f"Results go up to page {conf.get('SEARCH_MAX_PAGE')}"),
        ({"page": "abc"}, "Enter a whole number."),
        ({"kind": "nonsense"}, "Select a valid choice."),
        ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "The end date is before the start"),
    ],
)
def test_bad_searches_are_a_400_with_the_reason_and_the_form(client, listing, params, message):
    response = get(client, **params)

    assert response.status_code == 400
    html = response.content.decode()
    alert = re.search(r'<div class="form-errors" role="alert"[^>]*>(.*?)</div>', html, re.S)
    assert alert and message in unescape(alert.group(1))
    assert 'role="search"' in html and 'class="search-hit' not in html


def test_a_refused_search_keeps_what_was_typed_and_the_valid_filters(client, listing):
    response = get(client, q="eau", kind="decision", date_from="yesterday")

    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="eau"' in html
    assert '<input type="hidden" name="kind" value="decision">' in html
    assert 'value="yesterday" min="1900-01-01" max="2200-12-31" aria-invalid="true"' in html


def test_errors_are_in_the_reader_language(client, listing):
    response = client.get("/fr/search/", {"page": str(conf.get("SEARCH_MAX_PAGE") + 1)})

    assert response.status_code == 400
    assert 'lang="fr"' in response.content.decode()


# --- real pages, indexed --------------------------------------------------------------------


def test_published_pages_are_found_once_indexed(
    client, make_consultation, make_outcome, make_decision
):
    consultation = make_consultation(title="Projet de code des eaux")
    outcome = make_outcome(consultation)
    make_decision(outcome, title="Arrêté municipal sur les fontaines")
    search_index_rebuild()

    response = client.get("/fr/search/", {"q": "fontaines"})

    page = text(response)
    assert response.status_code == 200
    assert "Arrêté municipal sur les <mark>fontaines</mark>" in response.content.decode()
    assert "Décision" in page or "Decision" in page
    [decision_url] = links(response, "Arrêté municipal sur les fontaines")
    assert client.get(decision_url).status_code == 200


# --- cost -----------------------------------------------------------------------------------


def _queries(client, count: int) -> int:
    from search.models import SearchDocument

    SearchDocument.objects.all().delete()
    for number in range(count):
        doc(number, kind=["decision", "outcome", "consultation"][number % 3],
            institution=["el-kef", "bizerte"][number % 2], topics=[f"t{number}", "eau"],
            title=f"Eau {number}", body="De l'eau.", status="adopted" if number % 3 == 0 else "")
    with CaptureQueriesContext(connection) as captured:
        response = get(client, q="eau")
    assert response.content.decode().count('class="search-hit ') == count
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_results(client, site):
    get(client, q="eau")  # the site and its locales, cached after the first request
    assert _queries(client, 3) == _queries(client, 15)
