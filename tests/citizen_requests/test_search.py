"""Public suggestions and notices in the journalists' search: found once published (page, API,
feed), gone when their author withdraws them, never a private request, never the author."""

import json
import re
from html import unescape
from xml.etree import ElementTree

import pytest
from wagtail.models import Locale

from citizen_requests import services
from citizen_requests.models import PublicRequestsPage
from cms.services import page_translation_ensure
from search.models import SearchDocument
from search.services import search_index_rebuild
from tests.search.builders import doc

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def indexing(django_capture_on_commit_callbacks):
    """A context in which what commits is indexed (as after each request in production)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _page_add(institution, *, title="اقتراحات وإشعارات", slug="public-requests"):
    page = institution.add_child(instance=PublicRequestsPage(title=title, slug=slug))
    page.save_revision().publish()
    return PublicRequestsPage.objects.get(pk=page.pk)


@pytest.fixture
def public_page(site, indexing):
    with indexing():
        return _page_add(site["institution"]["ar"])


@pytest.fixture
def published(file_request, officer, indexing):
    """File a request its author wants public, and have the institution publish it."""

    def make(**fields):
        with indexing():
            request = file_request(public=True, **fields).request
            services.request_publication_moderate(actor=officer, request=request, publish=True)
        request.refresh_from_db()
        return request

    return make


def section_url(page, request) -> str:
    return page.url + page.reverse_subpage("section", args=[request.tracking_number])


def words(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def page_search(client, **params):
    response = client.get("/en/search/", params)
    assert response.status_code == 200, response.content
    return response


def api_search(client, **params) -> dict:
    response = client.get("/api/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


def feed_titles(client, **params) -> list[str]:
    response = client.get("/en/search/feed/", params)
    assert response.status_code == 200, response.content
    root = ElementTree.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


SUBJECT = "Jardin public au quartier Ennour"
TEXT = "Planter des jasmins et des oliviers devant l'école."


def test_a_published_suggestion_is_found_and_a_private_complaint_never(
    published, file_request, public_page, client, citizen, indexing
):
    with indexing():
        complaint = file_request(kind="complaint", subject="Plainte jasmins", text=TEXT, language="fr").request
    suggestion = published(kind="suggestion", subject=SUBJECT, text=TEXT, language="fr")

    page = words(page_search(client, q="jasmins"))
    assert "1 result" in page and SUBJECT in page and "Public suggestion or notice" in page
    assert f"Suggestion · {suggestion.tracking_number}" in page
    assert "Plainte" not in page and complaint.tracking_number not in page
    assert citizen.display_name not in page and citizen.email not in page

    data = api_search(client, q="jasmins")
    assert data["total"] == 1
    hit = data["results"][0]
    assert hit["kind"] == "request" and hit["title"] == SUBJECT and hit["status"] == "received"
    # No page in French: the Arabic one, in its own language.
    assert hit["url"] == "http://testserver" + section_url(public_page, suggestion)
    assert hit["institution"] == "el-kef"
    assert hit["extra"] == {
        "request_kind": "suggestion", "tracking_number": suggestion.tracking_number, "supporters": 0,
    }
    raw = json.dumps(data, ensure_ascii=False)
    assert citizen.display_name not in raw and citizen.email not in raw and "Plainte" not in raw

    assert feed_titles(client, q="jasmins") == [SUBJECT]
    assert feed_titles(client, q="plainte") == []
    assert not SearchDocument.objects.filter(key=f"request-{complaint.pk}").exists()
    assert client.get(section_url(public_page, suggestion)).status_code == 200


def test_pending_and_refused_requests_are_not_found(file_request, officer, public_page, client, indexing):
    with indexing():
        pending = file_request(kind="notice", public=True, subject="Trou dans la chaussée", language="fr").request
        refused = file_request(kind="notice", public=True, subject="Trou devant la poste", language="fr").request
        services.request_publication_moderate(actor=officer, request=refused, publish=False, reason="Nom cité.")
    assert api_search(client, q="trou")["total"] == 0
    assert not SearchDocument.objects.filter(key__in=[f"request-{pending.pk}", f"request-{refused.pk}"]).exists()


def test_withdrawn_by_its_author_it_is_no_longer_found(published, public_page, client, citizen, indexing):
    request = published(kind="notice", subject="Lampadaire éteint avenue Bourguiba", language="fr")
    assert feed_titles(client, q="lampadaire") == ["Lampadaire éteint avenue Bourguiba"]

    with indexing():
        services.request_publicity_ask(user=citizen, request=request, public=False)

    assert api_search(client, q="lampadaire")["total"] == 0
    assert "No document matches this search." in words(page_search(client, q="lampadaire"))
    assert feed_titles(client, q="lampadaire") == []
    assert not SearchDocument.objects.filter(key=f"request-{request.pk}").exists()


def test_the_stage_the_answer_and_the_supporters_follow_the_request(
    published, public_page, client, officer, approver, user_factory, indexing
):
    request = published(kind="suggestion", subject="Bancs au jardin", text="Des bancs à l'ombre.", language="fr")
    with indexing():
        services.request_assign(actor=officer, request=request, assignee=officer)
        services.answer_draft(actor=officer, request=request, text="Vingt bancs seront posés en mai.")
        services.answer_send(actor=approver, request=request)
        services.request_support(user=user_factory(), request=request)

    data = api_search(client, q="vingt bancs", status="answered")
    assert [hit["title"] for hit in data["results"]] == ["Bancs au jardin"]
    assert data["results"][0]["extra"]["supporters"] == 1
    assert "posés" in data["results"][0]["highlights"]["body"]
    page = words(page_search(client, q="bancs", status="answered"))
    assert "Answered" in page and "1 supporter" in page


def test_the_kind_filter_and_facet(published, public_page, client):
    published(kind="notice", subject="Fuite d'eau rue de Tunis", language="fr")
    doc(1, kind="decision", title="Arrêté sur l'eau potable", body="Fontaines.")

    assert api_search(client, q="eau")["total"] == 2
    data = api_search(client, q="eau", kind="request")
    assert [hit["title"] for hit in data["results"]] == ["Fuite d'eau rue de Tunis"]
    assert {facet["value"] for facet in api_search(client, q="eau")["facets"]["kind"]} == {"decision", "request"}

    page = page_search(client, q="eau")
    assert "Public suggestion or notice (1)" in words(page)
    assert "kind=request" in page.content.decode()
    chosen = words(page_search(client, q="eau", kind="request"))
    assert "rue de Tunis" in chosen and "Arrêté" not in chosen
    assert feed_titles(client, q="eau", kind="request") == ["Fuite d'eau rue de Tunis"]


def test_a_request_links_to_the_page_in_its_language_and_needs_one(
    published, site, client, indexing
):
    request = published(kind="suggestion", subject="Piste cyclable", text="Une piste vers le lycée.", language="fr")
    # Its institution has no public page of suggestions and notices yet: nowhere to link.
    assert api_search(client, q="piste")["total"] == 0

    with indexing():
        arabic = _page_add(site["institution"]["ar"])
        french = page_translation_ensure(
            page=arabic, locale=Locale.objects.get(language_code="fr"), title="Suggestions et signalements"
        )
    [hit] = api_search(client, q="piste")["results"]
    assert hit["url"] == "http://testserver" + section_url(french, request)
    assert hit["institution_name"] == "Municipalité du Kef"

    with indexing():
        PublicRequestsPage.objects.get(pk=french.pk).unpublish()
    [hit] = api_search(client, q="piste")["results"]
    assert hit["url"] == "http://testserver" + section_url(arabic, request)


def test_the_rebuild_includes_public_requests_only(published, file_request, public_page, client):
    public = published(kind="notice", subject="Poubelles débordantes", language="fr")
    private = file_request(kind="complaint", subject="Poubelles non ramassées", language="fr").request
    SearchDocument.objects.all().delete()

    search_index_rebuild()

    keys = set(SearchDocument.objects.values_list("key", flat=True))
    assert f"request-{public.pk}" in keys and f"request-{private.pk}" not in keys
    assert [hit["title"] for hit in api_search(client, q="poubelles")["results"]] == ["Poubelles débordantes"]
