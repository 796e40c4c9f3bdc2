"""Who may do what on a consultation page itself: see it, and follow it. Taking part in its
discussion (contributing, reacting, reporting) is asked of deliberation's permissions
(``deliberation.rules.refusal``), which follow the consultation's phase."""

import rules

from deliberation.phases import Action, phase_allows


@rules.predicate
def is_live(user, consultation) -> bool:
    return consultation is not None and consultation.live


@rules.predicate
def phase_opens_follow(user, consultation) -> bool:
    return consultation is not None and phase_allows(consultation.phase, Action.FOLLOW)


rules.add_perm("consultations.view_consultation", is_live)
rules.add_perm(
    "consultations.follow_consultation",
    rules.is_authenticated & rules.is_active & is_live & phase_opens_follow,
)
