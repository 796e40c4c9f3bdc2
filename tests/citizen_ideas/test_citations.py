"""An accepted idea is cited by an outcome response and a decision like a contribution, and
the trace shows both ways: the decision (page and API) lists the ideas it rests on, the idea's
page says where it was used. An idea not accepted cannot be cited."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from citizen_ideas.models import IdeaStatus
from citizen_ideas.statuses import idea_status_change
from cms.services import institution_group_names
from consultations.outcomes.services import citation_refusals
from deliberation.services import thread_for_page
from tests.factories import UserFactory


@pytest.fixture
def editor(institution):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=institution_group_names(institution)[0])[0])
    return user


@pytest.fixture
def consultation(make_consultation):
    return make_consultation(opens_in=-10, closes_in=5)


@pytest.fixture
def idea(trusted_citizen, institution, consultation, propose):
    return propose(
        trusted_citizen, institution, consultation=consultation,
        title="Des fontaines dans chaque quartier", body="Une fontaine par quartier, entretenue.",
    )


def test_an_idea_not_accepted_cannot_be_cited(idea, consultation, editor, make_outcome):
    for status in (IdeaStatus.RECEIVED, IdeaStatus.UNDER_STUDY, IdeaStatus.REJECTED):
        if status != IdeaStatus.RECEIVED:
            idea_status_change(idea=idea, status=status, reason="Motif.", by=editor)
        errors = citation_refusals(consultation=consultation, contribution_ids=[idea.opening_id])
        assert len(errors) == 1 and "Des fontaines dans chaque quartier" in errors[0]

    # An editor saving an outcome that cites it is refused (the page's clean).
    with pytest.raises(ValidationError):
        make_outcome(consultation, responses=[{"theme": "Eau", "contributions": [idea.opening]}])


def test_an_accepted_idea_is_cited_and_the_trace_shows_both_ways(
    client, idea, consultation, editor, trusted_citizen, post, make_outcome, make_decision
):
    idea_status_change(
        idea=idea, status=IdeaStatus.ACCEPTED, reason="Retenue au budget 2027.", by=editor
    )
    assert citation_refusals(consultation=consultation, contribution_ids=[idea.opening_id]) == []
    other = post(trusted_citizen, thread_for_page(page=consultation), "Plus d'ombre en été.")
    outcome = make_outcome(
        consultation, responses=[{"theme": "Fontaines", "contributions": [idea.opening, other]}]
    )
    decision = make_decision(
        outcome,
        title="Arrêté sur les fontaines",
        milestones=[("adopted", datetime.date(2026, 5, 2))],
        contributions=[idea.opening, other],
    )
    idea_url = f"/fr/ideas/{idea.pk}/"

    # The decision's page names the idea apart from the contributions, linking to it.
    page = client.get(decision.url).content.decode()
    assert "cited--ideas" in page
    assert "Des fontaines dans chaque quartier" in page
    assert f'href="{idea_url}"' in page
    assert "Plus d&#x27;ombre en été." in page
    # The outcome's response too.
    outcome_page = client.get(outcome.url).content.decode()
    assert f'href="{idea_url}"' in outcome_page

    # The decision API lists it in "ideas", not among the contributions.
    detail = client.get(f"/api/decisions/{decision.pk}/").json()
    assert [i["id"] for i in detail["ideas"]] == [idea.pk]
    assert detail["ideas"][0]["status"] == "accepted"
    assert detail["ideas"][0]["contribution"] == idea.opening_id
    assert detail["ideas"][0]["url"].endswith(idea_url)
    assert [c["id"] for c in detail["contributions"]] == [other.pk]

    # The idea's page says where it was used, with the decision's link.
    idea_page = client.get(idea_url).content.decode()
    assert "Arrêté sur les fontaines" in idea_page
    assert decision.url in idea_page
    assert "Retenue au budget 2027." in idea_page


def test_the_editors_contribution_chooser_names_the_idea(client, admin_user, idea, consultation):
    from django.urls import reverse

    client.force_login(admin_user)
    found = client.get(
        reverse("consultations_contribution_search"), {"consultation": consultation.pk, "q": "fontaine"}
    ).json()["results"]
    assert [row["id"] for row in found] == [idea.opening_id]
    assert "Des fontaines dans chaque quartier" in found[0]["label"]
