"""The Atom feed of a search, ``/<lang>/search/feed/``: what a feed reader subscribed to
"new decisions about water in El Kef" receives."""

import datetime
from xml.etree import ElementTree

import pytest

from search import conf
from tests.search.builders import TUNIS, doc

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, path="/en/search/feed/", **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)


def entries(root) -> list[dict]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_feed_is_atom_with_the_matches_newest_first(client, listing):  # noqa: F811
    root = feed(client, q="eau", sort="relevance", page="1")

    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Majlis search: eau"
    assert root.findtext(f"{ATOM}author/{ATOM}name")
    found = entries(root)
    assert [entry["link"] for entry in found] == [
        "http://testserver/fr/docs/3/",
        "http://testserver/ar/docs/2/",
        "http://testserver/fr/docs/1/",
    ]
    updated = [entry["updated"] for entry in found]
    assert updated == sorted(updated, reverse=True)
    assert found[0]["title"] == "Ce que nous avons entendu sur l'eau"
    assert found[0]["id"] == found[0]["link"]
    # The excerpt as HTML (escaped in the XML), the matches marked.
    assert found[0]["summary"] == "Beaucoup d&#x27;avis sur l&#x27;<mark>eau</mark>."


def test_feed_only_has_the_kinds_and_institutions_asked_for(client, listing):  # noqa: F811
    root = feed(client, q="eau", kind="decision", institution="el-kef")

    assert [entry["link"] for entry in entries(root)] == [
        "http://testserver/ar/docs/2/",
        "http://testserver/fr/docs/1/",
    ]
    # The title says what the search is, in the reader's language.
    assert root.findtext(f"{ATOM}title") == "Majlis search: eau · Decision · El Kef Municipality"
    # It links to the same search on the site, and to itself.
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["alternate"].startswith("http://testserver/en/search/?")
    assert "kind=decision" in links["alternate"] and "institution=el-kef" in links["alternate"]
    assert links["self"].startswith("http://testserver/en/search/feed/?")
    assert "q=eau" in links["self"]


def test_feed_of_an_empty_search_has_the_newest_documents(client, db, settings):
    settings.SEARCH_FEED_SIZE = 3
    for number in range(6):
        day = datetime.datetime(2026, 3, 1, 12, tzinfo=TUNIS) - datetime.timedelta(days=number)
        doc(number, date=day)

    root = feed(client, path="/fr/search/feed/")

    assert [entry["link"] for entry in entries(root)] == [
        f"http://testserver/fr/docs/{number}/" for number in range(3)
    ]
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "eau " * 100}, "The search is too long"),
        ({"date_to": "31/12/2026"}, "Enter a valid date."),
        ({"page": str(conf.get('SEARCH_MAX_PAGE') + 1)}, f"Results go up to page {conf.get('SEARCH_MAX_PAGE')}"),
        ({"kind": "nonsense"}, "Select a valid choice."),
    ],
)
def test_bad_searches_are_a_400_in_plain_text(client, listing, params, message):  # noqa: F811
    response = client.get("/en/search/feed/", params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()
