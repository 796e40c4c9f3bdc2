"""seed_demo's citizens' ideas: one at every status, supported and discussed, each answered
status dated with its reason; the charter's accepted idea is cited by its first decision, and
the trace shows both ways."""

import pytest

from citizen_ideas.models import Idea, IdeaStatus
from consultations.models import DecisionPage
from deliberation.models import Status

pytestmark = pytest.mark.django_db


def test_the_demo_has_ideas_at_every_status_with_supports_and_a_discussion(demo):
    ideas = list(Idea.objects.select_related("opening"))
    assert {idea.status for idea in ideas} == set(IdeaStatus.values)
    for idea in ideas:
        assert idea.opening.status == Status.PUBLISHED
        assert idea.support_count == idea.supports.count() > 0
        assert idea.thread.contributions.filter(status=Status.PUBLISHED).count() > 1  # replies
        if idea.status != IdeaStatus.RECEIVED:
            assert idea.status_changes.last().status == idea.status
            assert idea.status_reason


def test_the_charter_decision_rests_on_an_accepted_idea(client, demo):
    idea = Idea.objects.get(consultation__slug="requests-charter")
    assert idea.status == IdeaStatus.ACCEPTED
    decision = DecisionPage.objects.live().get(slug="charter-decree", locale__language_code="fr")
    assert decision.contributions.filter(pk=idea.opening_id).exists()

    page = client.get(decision.url).content.decode()
    assert f'href="/fr/ideas/{idea.pk}/"' in page
    detail = client.get(f"/api/decisions/{decision.pk}/").json()
    assert [each["id"] for each in detail["ideas"]] == [idea.pk]

    idea_page = client.get(f"/fr/ideas/{idea.pk}/").content.decode()
    assert decision.url in idea_page
    assert [c["kind"] for c in client.get(f"/api/ideas/{idea.pk}/").json()["cited_in"]].count("decision") >= 1
