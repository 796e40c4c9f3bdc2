"""The whole demo, built in order: each step needs what the ones before it made."""

from demo.build.accounts import accounts_seed, roles_seed
from demo.build.consultations import consultations_seed
from demo.build.ideas import ideas_seed
from demo.build.open_discussions import discussions_seed
from demo.build.outcomes import outcomes_seed
from demo.build.pages import pages_seed
from demo.build.proposals import proposals_seed
from demo.build.questionnaires import questionnaires_seed
from demo.build.requests import requests_seed
from demo.build.signing import signing_seed
from search.services import search_index_rebuild


def demo_seed(*, report, stdout) -> list[tuple[str, str]]:
    """Build (or complete) the demo; returns the (role, email) pairs of its accounts.

    ``report(message)`` is told of each step; ``setup_institutions`` prints to ``stdout``.
    """
    pages = pages_seed(report=report)
    consultations_seed(report=report)
    groups = roles_seed(institutions=pages["institutions"], stdout=stdout)
    accounts = accounts_seed(institution_groups=groups)
    report(f"{len(accounts)} demo accounts")
    # Before the discussions and requests: official replies and answers are signed as sent.
    signing_seed(institutions=pages["institutions"], report=report)
    discussions_seed(report=report)
    # After the accounts: citizens propose forum topics, El Kef's moderator decides.
    proposals_seed(report=report)
    # Beside the open water code consultation: every question kind, generated responses.
    questionnaires_seed(report=report)
    # After the discussions and accounts: the outcome cites contributions.
    outcomes_seed(report=report)
    # After the accounts: citizens propose and support ideas, the institutions answer them.
    ideas_seed(report=report)
    # After the accounts: citizens file, officers and approvers handle, moderators moderate.
    requests_seed(report=report)
    # The pages and discussions were indexed as they were published; rebuilding here makes
    # the index whole even when the on-commit work has not run yet.
    report(f"{search_index_rebuild()} documents in the search index")
    return accounts
