"""The phases of a discussion, declared in one place (adhocracy4's habit).

A consultation's phase follows from its dates and from whether its outcome has been
published; a forum topic's from its first publication and closing date. Each phase declares
which citizen actions it opens. ``rules.py`` asks the phase; nothing else decides.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Closed")
    OUTCOME = "outcome", _("Outcome published")


class Action(models.TextChoices):
    READ = "read", _("read")
    COMMENT = "comment", _("comment")
    REACT = "react", _("react")
    FLAG = "flag", _("flag")
    FOLLOW = "follow", _("follow")


@dataclass(frozen=True)
class PhaseSpec:
    phase: Phase
    actions: frozenset[Action]


PHASES: dict[Phase, PhaseSpec] = {
    spec.phase: spec
    for spec in (
        PhaseSpec(Phase.UPCOMING, frozenset({Action.READ, Action.FOLLOW})),
        PhaseSpec(
            Phase.OPEN,
            frozenset({Action.READ, Action.COMMENT, Action.REACT, Action.FLAG, Action.FOLLOW}),
        ),
        # Abuse can still be reported once a thread is closed; nothing new can be said.
        PhaseSpec(Phase.CLOSED, frozenset({Action.READ, Action.FLAG, Action.FOLLOW})),
        PhaseSpec(Phase.OUTCOME, frozenset({Action.READ, Action.FLAG, Action.FOLLOW})),
    )
}


def phase_at(
    *,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    outcome_published: bool,
    now: datetime.datetime,
) -> Phase:
    """Upcoming before ``opens_at``; open from ``opens_at`` (inclusive) to ``closes_at``
    (exclusive); closed from ``closes_at``; outcome published as soon as an outcome is."""
    if outcome_published:
        return Phase.OUTCOME
    if now < opens_at:
        return Phase.UPCOMING
    if now < closes_at:
        return Phase.OPEN
    return Phase.CLOSED


def phase_allows(phase: Phase, action: Action) -> bool:
    return action in PHASES[phase].actions
