"""``/api/decisions/``: published decisions, filtered, and the trace of each one to the
responses, contributions and draft sections it rests on; and the same trace read from the
other end, on the thread's contributions."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.threads import thread_fill
from cms.models import InstitutionPage
from consultations.models import ConsultationPage
from consultations.outcomes.models import DecisionPage
from deliberation.services import contribution_moderate, thread_for_page
from tests.pages import draft

pytestmark = pytest.mark.django_db

LIST = "/api/decisions/"


def detail(decision) -> str:
    return f"/api/decisions/{decision.pk}/"


def _close(consultation) -> ConsultationPage:
    ConsultationPage.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    return ConsultationPage.objects.get(pk=consultation.pk)


def _tag(page, *topics):
    page.topics.set(list(topics))
    page.save_revision().publish()
    return DecisionPage.objects.get(pk=page.pk)


@pytest.fixture
def world(make_consultation, make_outcome, make_decision, trusted_citizen, post, admin_user):
    """A closed French consultation with an outcome and two decisions: one adopted and signed
    (with its JORT reference), citing three contributions (one since hidden) and a section;
    one in force, not signed, whose history began the year before."""
    consultation = make_consultation(opens_in=-10, closes_in=5)
    section = consultation.sections[1]
    whole = thread_for_page(page=consultation)
    on_section = thread_for_page(page=consultation, section_id=section.id)
    general = post(trusted_citizen, whole, "Il faut des fontaines dans chaque quartier.")
    precise = post(trusted_citizen, on_section, "L'eau potable doit passer avant l'irrigation.")
    later_hidden = post(trusted_citizen, whole, "Un avis bientôt retiré.")
    consultation = _close(consultation)
    outcome = make_outcome(
        consultation,
        responses=[
            {"theme": "Fontaines", "status": "adopted", "contributions": [general]},
            {"theme": "Priorités", "status": "partly_adopted", "contributions": [precise]},
        ],
    )
    fountains, priorities = outcome.responses.order_by("sort_order")
    adopted = make_decision(
        outcome,
        title="Arrêté municipal sur les fontaines",
        milestones=[
            ("proposed", datetime.date(2025, 3, 1)),
            ("adopted", datetime.date(2025, 5, 2)),
        ],
        contributions=[general, precise, later_hidden],
        responses=[fountains],
        reference_kind="municipal",
        reference_number="2025-17",
        jort_reference="JORT n° 40, 20 mai 2025, p. 1203",
        signed_on=datetime.date(2025, 5, 2),
        section_ids=[section.id],
    )
    adopted = _tag(adopted, "eau")
    in_force = make_decision(
        outcome,
        title="Plan de priorité de l'eau potable",
        milestones=[
            ("proposed", datetime.date(2024, 11, 4)),
            ("adopted", datetime.date(2025, 1, 10)),
            ("in_force", datetime.date(2025, 2, 1)),
        ],
        contributions=[precise],
        responses=[priorities],
    )
    in_force = _tag(in_force, "transport")
    contribution_moderate(
        moderator=admin_user, contribution=later_hidden, action="hide", reason="spam"
    )
    return {
        "consultation": consultation,
        "section": section,
        "whole": whole,
        "on_section": on_section,
        "general": general,
        "precise": precise,
        "hidden": later_hidden,
        "outcome": outcome,
        "fountains": fountains,
        "priorities": priorities,
        "adopted": adopted,
        "in_force": in_force,
    }


def _titles(client, query="") -> list[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


ADOPTED = "Arrêté municipal sur les fontaines"
IN_FORCE = "Plan de priorité de l'eau potable"


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_each_published_decision_with_its_reference(client, world):
    data = client.get(LIST).json()
    assert data["count"] == 2
    # Most recently changed first.
    assert [item["title"] for item in data["items"]] == [ADOPTED, IN_FORCE]
    item = data["items"][0]
    assert item["id"] == world["adopted"].pk
    assert item["url"] == f"http://testserver{world['adopted'].url}"
    assert item["language"] == "fr"
    assert item["status"] == "adopted"
    assert item["reference_kind"] == "municipal"
    assert item["reference_number"] == "2025-17"
    assert item["jort_reference"] == "JORT n° 40, 20 mai 2025, p. 1203"
    assert item["signed_on"] == "2025-05-02"
    assert item["year"] == 2025
    assert item["institution"]["slug"] == "el-kef"
    assert item["consultation"] == {
        "id": world["consultation"].pk,
        "title": world["consultation"].title,
        "url": f"http://testserver{world['consultation'].url}",
    }
    assert item["outcome_url"] == f"http://testserver{world['outcome'].url}"
    assert item["topics"] == ["eau"]
    assert data["items"][1]["status"] == "in_force"
    assert data["items"][1]["signed_on"] is None


def test_filter_by_status(client, world):
    assert _titles(client, "status=adopted") == [ADOPTED]
    assert _titles(client, "status=in_force") == [IN_FORCE]
    assert _titles(client, "status=implemented") == []


def test_filter_by_year_of_signature_or_else_of_the_first_milestone(client, world):
    assert _titles(client, "year=2025") == [ADOPTED]
    assert _titles(client, "year=2024") == [IN_FORCE]  # not signed: proposed in 2024
    assert _titles(client, "year=2023") == []


def test_filter_by_topic(client, world):
    assert _titles(client, "topic=eau") == [ADOPTED]
    assert _titles(client, "topic=transport") == [IN_FORCE]
    assert _titles(client, "topic=nope") == []


def test_filter_by_language(client, world, make_consultation, make_outcome, make_decision):
    outcome = make_outcome(_close(make_consultation(language="ar")))
    make_decision(outcome, title="قرار بلدي")
    assert _titles(client, "language=ar") == ["قرار بلدي"]
    assert _titles(client, "language=fr") == [ADOPTED, IN_FORCE]
    assert _titles(client, "language=en") == []


def test_filter_by_institution(client, world, site, make_outcome, make_decision):
    other = site["home"]["fr"].add_child(
        instance=InstitutionPage(
            title="Ministère de l'Agriculture", slug="agriculture", kind="ministry"
        )
    )
    other.save_revision().publish()
    now = timezone.now()
    consultation = other.add_child(
        instance=ConsultationPage(
            title="Code des eaux",
            slug=f"c-{uuid.uuid4().hex[:8]}",
            summary="Un résumé.",
            opens_at=now - datetime.timedelta(days=10),
            closes_at=now - datetime.timedelta(days=1),
            draft=draft(("Principes", "Le texte.")),
        )
    )
    consultation.save_revision().publish()
    make_decision(make_outcome(consultation), title="Décret sur l'irrigation")
    assert _titles(client, "institution=agriculture") == ["Décret sur l'irrigation"]
    assert _titles(client, "institution=el-kef") == [ADOPTED, IN_FORCE]
    assert _titles(client, "institution=atlantis") == []
    item = client.get(f"{LIST}?institution=agriculture").json()["items"][0]
    assert item["institution"]["slug"] == "agriculture"


@pytest.mark.parametrize("query", ["status=signed", "language=de", "year=abc"])
def test_unknown_filter_values_get_a_clear_4xx(client, world, query):
    response = client.get(f"{LIST}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_unpublished_decisions_are_neither_listed_nor_shown(client, world):
    world["in_force"].unpublish()
    assert _titles(client) == [ADOPTED]
    assert client.get(detail(world["in_force"])).status_code == 404
    assert client.get("/api/decisions/987654/").status_code == 404
    assert client.get("/api/decisions/not-a-number/").status_code == 422


def test_a_draft_decision_is_not_found(client, world, make_decision):
    draft_decision = make_decision(world["outcome"], title="Brouillon", publish=False)
    # Saved as a draft, as the admin's "Save draft" leaves a new page: not live.
    DecisionPage.objects.filter(pk=draft_decision.pk).update(live=False)
    assert "Brouillon" not in _titles(client)
    assert client.get(detail(draft_decision)).status_code == 404


def test_list_query_count_does_not_grow_with_the_number_of_decisions(
    client, make_consultation, make_outcome, make_decision
):
    counts = []
    for size in (1, 6):
        outcome = make_outcome(_close(make_consultation()))
        for number in range(size):
            _tag(make_decision(outcome, title=f"Décision {number}"), "eau", "budget")
        client.get(f"{LIST}?institution=el-kef")  # warm caches that do not depend on it
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{LIST}?institution=el-kef")
        assert response.status_code == 200
        counts.append(len(queries))
    assert response.json()["count"] == 7
    assert counts[0] == counts[1], counts


# --- The trace ----------------------------------------------------------------------------------


def test_the_detail_traces_the_decision_to_responses_contributions_and_sections(client, world):
    response = client.get(detail(world["adopted"]))
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == ADOPTED
    assert data["official_reference"]  # kind and number, in the request's language
    assert "2025-17" in data["official_reference"]
    assert data["milestones"] == [
        {"status": "proposed", "date": "2025-03-01", "note": ""},
        {"status": "adopted", "date": "2025-05-02", "note": ""},
    ]
    outcome_url = f"http://testserver{world['outcome'].url}"
    assert data["outcome_url"] == outcome_url
    assert data["responses"] == [
        {
            "id": world["fountains"].pk,
            "theme": "Fontaines",
            "status": "adopted",
            "url": f"{outcome_url}#response-{world['fountains'].pk}",
        }
    ]
    consultation_url = f"http://testserver{world['consultation'].url}"
    section = world["section"]
    by_id = {c["id"]: c for c in data["contributions"]}
    assert set(by_id) == {world["general"].pk, world["precise"].pk}  # not the hidden one
    assert by_id[world["general"].pk] == {
        "id": world["general"].pk,
        "url": f"{consultation_url}#contribution-{world['general'].pk}",
        "author": "Amira",
        "excerpt": "Il faut des fontaines dans chaque quartier.",
        "section_id": None,
        "thread": world["whole"].key,
    }
    precise = by_id[world["precise"].pk]
    assert precise["section_id"] == section.id
    assert precise["thread"] == world["on_section"].key
    assert precise["url"] == (
        f"{consultation_url}sections/{section.id}/#contribution-{world['precise'].pk}"
    )
    assert data["sections"] == [
        {"id": section.id, "heading": section.heading, "anchor": section.anchor}
    ]
    assert data["consultation"]["id"] == world["consultation"].pk


def test_a_hidden_contribution_never_appears_in_the_trace(client, world):
    data = client.get(detail(world["adopted"])).json()
    assert world["hidden"].pk not in [c["id"] for c in data["contributions"]]
    assert "bientôt retiré" not in str(data)


def test_the_threads_api_lists_what_cites_each_contribution(client, world):
    data = client.get(f"/api/threads/{world['whole'].key}/contributions/").json()
    item = next(i for i in data["items"] if i["id"] == world["general"].pk)
    outcome_url = world["outcome"].url
    assert item["cited_by"] == [
        {
            "kind": "response",
            "title": "Fontaines",
            "url": f"{outcome_url}#response-{world['fountains'].pk}",
        },
        {"kind": "decision", "title": ADOPTED, "url": world["adopted"].url},
    ]
    # Both ways: the decision's trace lists the contribution, which lists the decision.
    trace = client.get(detail(world["adopted"])).json()
    assert world["general"].pk in [c["id"] for c in trace["contributions"]]

    section_items = client.get(
        f"/api/threads/{world['on_section'].key}/contributions/"
    ).json()["items"]
    assert [i["id"] for i in section_items] == [world["precise"].pk]
    assert sorted((c["kind"], c["title"]) for c in section_items[0]["cited_by"]) == [
        ("decision", ADOPTED),
        ("decision", IN_FORCE),
        ("response", "Priorités"),
    ]


def test_cited_by_forgets_an_unpublished_decision(client, world):
    world["adopted"].unpublish()
    data = client.get(f"/api/threads/{world['whole'].key}/contributions/").json()
    assert [i["id"] for i in data["items"]] == [world["general"].pk]  # the hidden one: gone
    assert [c["kind"] for c in data["items"][0]["cited_by"]] == ["response"]


def test_cited_by_is_empty_for_a_contribution_nobody_cites(client, thread, trusted_citizen, post):
    post(trusted_citizen, thread, "Un avis.")
    items = client.get(f"/api/threads/{thread.key}/contributions/").json()["items"]
    assert items[0]["cited_by"] == []


def test_detail_query_count_does_not_grow_with_cited_contributions(
    client, make_consultation, make_outcome, make_decision, user_factory
):
    authors = [user_factory() for _ in range(3)]
    counts = []
    for size in (1, 10):
        consultation = make_consultation(opens_in=-10, closes_in=5)
        contributions = thread_fill(thread_for_page(page=consultation), count=size, authors=authors)
        outcome = make_outcome(
            _close(consultation), responses=[{"theme": "Eau", "contributions": contributions}]
        )
        decision = make_decision(
            outcome, contributions=contributions, responses=[outcome.responses.get()]
        )
        client.get(detail(decision))  # warm caches that do not depend on the decision
        with CaptureQueriesContext(connection) as queries:
            response = client.get(detail(decision))
        assert response.status_code == 200
        assert len(response.json()["contributions"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_openapi_documents_the_decision_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/decisions/" in paths
    assert "/api/decisions/{decision_id}/" in paths
    parameters = {p["name"] for p in paths["/api/decisions/"]["get"]["parameters"]}
    assert {"institution", "status", "year", "topic", "language", "page"} <= parameters
