"""Who may propose and support an idea, and why one is refused.

The same decisions as deliberation's (``deliberation.rules``): an idea is proposed in the
discussion of its consultation or forum topic (or of its institution's idea box), so that
page's phase and participation rule decide; supporting an idea is reacting to it.
"""

import rules
from django.utils.translation import gettext as _

from citizen_ideas.selectors import public_institution
from deliberation import rules as deliberation_rules
from deliberation.models import Status, Thread, ThreadKind
from deliberation.phases import Action


def idea_page(*, institution, consultation=None, topic=None):
    """The page whose rules govern an idea: its consultation, else its forum topic, else its
    institution (its idea box)."""
    return consultation or topic or institution


def rules_thread(*, institution, consultation=None, topic=None) -> Thread:
    """An unsaved idea thread on the idea's page: what the rules are asked about before the
    idea exists."""
    return Thread(
        kind=ThreadKind.IDEA,
        page=idea_page(institution=institution, consultation=consultation, topic=topic),
        institution=institution,
    )


def propose_refusal(user, *, institution, consultation=None, topic=None) -> str | None:
    thread = rules_thread(institution=institution, consultation=consultation, topic=topic)
    refusal = deliberation_rules.post_refusal(user, thread)
    if refusal == _("This discussion is not open for contributions."):
        return _("This consultation does not take ideas now.")
    return refusal


def support_refusal(user, idea) -> str | None:
    if idea.opening.status != Status.PUBLISHED:
        return _("This idea is not published: it cannot be supported.")
    return deliberation_rules.thread_action_refusal(user, idea.thread, Action.REACT)


@rules.predicate
def can_support(user, idea) -> bool:
    return support_refusal(user, idea) is None


rules.add_perm("citizen_ideas.support_idea", can_support)


@rules.predicate
def can_watch_ideas(user, institution) -> bool:
    """Anyone may follow the live counts of the idea lists of an institution one of whose
    translations anyone may read (what the socket says is only about public ideas)."""
    return public_institution(institution)


rules.add_perm("citizen_ideas.watch_ideas", can_watch_ideas)
