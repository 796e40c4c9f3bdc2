"""Who may do what on a consultation. Views, API and consumers all ask ``user.has_perm``."""

import rules

from deliberation.phases import Action, phase_allows
from deliberation.models import Participation


@rules.predicate
def is_live(user, consultation) -> bool:
    return consultation is not None and consultation.live


def phase_opens(action: Action):
    @rules.predicate(name=f"phase_opens_{action}")
    def predicate(user, consultation) -> bool:
        return consultation is not None and phase_allows(consultation.phase, action)

    return predicate


@rules.predicate
def meets_participation_rule(user, consultation) -> bool:
    if consultation.participation == Participation.VERIFIED:
        return bool(getattr(user, "email_verified", False))
    return True


takes_part = rules.is_authenticated & rules.is_active & is_live & meets_participation_rule

rules.add_perm("consultations.view_consultation", is_live)
rules.add_perm("consultations.comment_consultation", takes_part & phase_opens(Action.COMMENT))
rules.add_perm("consultations.react_consultation", takes_part & phase_opens(Action.REACT))
rules.add_perm(
    "consultations.flag_consultation",
    rules.is_authenticated & rules.is_active & is_live & phase_opens(Action.FLAG),
)
rules.add_perm(
    "consultations.follow_consultation",
    rules.is_authenticated & rules.is_active & is_live & phase_opens(Action.FOLLOW),
)
