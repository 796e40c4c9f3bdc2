"""An idea's trace: its dated status history, and the outcome responses and decisions that
cite it (through the contribution that is its text), as the public may read them."""

from citizen_ideas.models import Idea, IdeaStatusChange
from citizen_ideas.statuses import CITABLE_STATUSES


def idea_history(idea: Idea) -> list[IdeaStatusChange]:
    """The statuses the institution gave the idea, oldest first: one query."""
    return list(IdeaStatusChange.objects.filter(idea=idea).order_by("changed_at", "pk"))


def idea_citations(idea: Idea, *, language: str) -> list:
    """Where live, public outcome responses and decisions cite the idea (``Citation``: kind
    "response" or "decision", title, url, label), in ``language`` where translated. None
    unless the idea is accepted or implemented (only then can it be cited)."""
    if idea.status not in CITABLE_STATUSES:
        return []
    thread = idea.thread
    found = thread.target.contribution_citations(
        thread=thread, contribution_ids=[idea.opening_id], language=language
    )
    return list(found.get(idea.opening_id, []))


def ideas_citations(ideas, *, language: str) -> dict[int, list]:
    """``idea_citations`` for several ideas: {idea id: [Citation]}, one call per page the
    ideas were sent to (the API's list)."""
    out: dict[int, list] = {}
    by_thread_page: dict = {}
    for idea in ideas:
        if idea.status in CITABLE_STATUSES:
            by_thread_page.setdefault(idea.thread.page_id, []).append(idea)
    for group in by_thread_page.values():
        target = group[0].thread.target
        found = target.contribution_citations(
            thread=group[0].thread,
            contribution_ids=[idea.opening_id for idea in group],
            language=language,
        )
        for idea in group:
            out[idea.pk] = list(found.get(idea.opening_id, []))
    return out
