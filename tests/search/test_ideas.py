"""Citizens' ideas are a kind of the journalists' search: found once their text is published
(never pending or hidden, never twice as a contribution), with their status and supporters kept
up to date."""

import uuid

import pytest
from django.contrib.auth.models import Group

from citizen_ideas.models import IdeaStatus
from citizen_ideas.services import idea_propose, idea_support
from citizen_ideas.statuses import idea_status_change
from cms.services import institution_group_names
from deliberation.models import Status
from deliberation.services import contribution_moderate
from search.backends.base import SearchRequest
from search.selectors import documents_search
from search.text import parse_query
from tests.factories import UserFactory

# Real commits: indexing runs on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def hits(q, **options):
    return documents_search(request=SearchRequest(query=parse_query(q), page_size=50, **options)).hits


def _propose(author, institution, title, body):
    return idea_propose(
        author=author, institution=institution, title=title, body=body,
        idempotency_key=uuid.uuid4(), language="fr",
    )


def test_an_idea_is_found_with_its_status_and_supporters(
    site, trusted_citizen, moderator_of, search_backend
):
    institution = site["institution"]["fr"]
    idea = _propose(trusted_citizen, institution, "Des ruches au parc", "Installer des ruches pédagogiques.")

    found = hits("ruches")
    assert [(h.kind, h.title) for h in found] == [("idea", "Des ruches au parc")]  # not twice
    assert found[0].url.endswith(f"/fr/ideas/{idea.pk}/")
    assert found[0].status == "received"
    assert found[0].extra["author"] == trusted_citizen.display_name
    assert [h.title for h in hits("ruches", kinds=("idea",))] == ["Des ruches au parc"]

    editor = UserFactory()
    editor.groups.add(Group.objects.create(name=institution_group_names(institution)[0]))
    idea_status_change(idea=idea, status=IdeaStatus.ACCEPTED, reason="Oui.", by=editor)
    idea_support(user=UserFactory(), idea=idea)
    found = hits("ruches")[0]
    assert found.status == "accepted"
    assert found.extra["supporters"] == 1
    assert [h.title for h in hits("ruches", statuses=("accepted",))] == ["Des ruches au parc"]

    # Hidden by a moderator: gone; restored: back.
    moderator = moderator_of(institution)
    contribution_moderate(moderator=moderator, contribution=idea.opening, action="hide", reason="off_topic")
    assert hits("ruches") == []
    contribution_moderate(moderator=moderator, contribution=idea.opening, action="restore")
    assert [h.kind for h in hits("ruches")] == ["idea"]


def test_a_pending_idea_is_not_found_until_approved(site, citizen, moderator_of, settings, search_backend):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 5
    institution = site["institution"]["fr"]
    idea = _propose(citizen, institution, "Un marché bio", "Un marché de producteurs le samedi.")
    assert idea.opening.status == Status.PENDING
    assert hits("producteurs") == []
    contribution_moderate(moderator=moderator_of(institution), contribution=idea.opening, action="approve")
    assert [h.kind for h in hits("producteurs")] == ["idea"]


def test_rebuild_indexes_published_ideas(site, trusted_citizen, search_backend):
    from search.services import search_index_rebuild

    _propose(trusted_citizen, site["institution"]["fr"], "Des fontaines", "Fontaines à Sidi Bouzid.")
    search_index_rebuild()
    assert [h.kind for h in hits("bouzid")] == ["idea"]
