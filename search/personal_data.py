"""search's part of a person's erasure (accounts.personal_data; docs/data-rights.md): the
documents that show the person's name (their contributions and ideas) are written again once
the account is gone, naming nobody. search stores nothing else about a person."""

from accounts.personal_data import register_eraser
from citizen_ideas.models import Idea
from deliberation.models import Contribution
from search.services import contribution_key, idea_key, sources_index_on_commit


def erase(*, user, remove_contributions: bool) -> None:
    keys = [contribution_key(pk) for pk in Contribution.objects.filter(author=user).values_list("pk", flat=True)]
    keys += [idea_key(pk) for pk in Idea.objects.filter(author=user).values_list("pk", flat=True)]
    sources_index_on_commit(keys=keys)


register_eraser("search", erase)
