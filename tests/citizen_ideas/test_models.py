"""An idea proposed to an institution is stored with its own thread and opening text."""

from citizen_ideas.models import Idea, IdeaStatus
from deliberation.models import Status, ThreadKind


def test_an_idea_has_its_thread_and_opening_contribution(trusted_citizen, institution, propose):
    idea = propose(trusted_citizen, institution)

    idea = Idea.objects.get(pk=idea.pk)
    assert idea.status == IdeaStatus.RECEIVED
    assert idea.support_count == 0
    assert idea.thread.kind == ThreadKind.IDEA
    assert idea.thread.section_id == f"idea-{idea.key.hex}"
    assert idea.opening.thread_id == idea.thread_id
    assert idea.opening.body == "Installer des bancs."
    assert idea.opening.status == Status.PUBLISHED
    assert list(Idea.objects.visible()) == [idea]
