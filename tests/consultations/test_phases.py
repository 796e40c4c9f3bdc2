"""Phases at each boundary, and the actions each phase opens."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from deliberation.phases import PHASES, Action, Phase, phase_allows, phase_at

OPENS = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.timezone.utc)
CLOSES = datetime.datetime(2026, 12, 31, 23, 0, tzinfo=datetime.timezone.utc)
TICK = datetime.timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("now", "outcome", "expected"),
    [
        (OPENS - TICK, False, Phase.UPCOMING),
        (OPENS, False, Phase.OPEN),
        (CLOSES - TICK, False, Phase.OPEN),
        (CLOSES, False, Phase.CLOSED),
        (CLOSES + datetime.timedelta(days=400), False, Phase.CLOSED),
        (CLOSES, True, Phase.OUTCOME),
        (OPENS, True, Phase.OUTCOME),
    ],
)
def test_phase_at_each_boundary(now, outcome, expected):
    assert phase_at(opens_at=OPENS, closes_at=CLOSES, outcome_published=outcome, now=now) == expected


@pytest.mark.parametrize(
    ("phase", "allowed"),
    [
        (Phase.UPCOMING, {Action.READ, Action.FOLLOW}),
        (Phase.OPEN, {Action.READ, Action.COMMENT, Action.REACT, Action.FLAG, Action.FOLLOW}),
        (Phase.CLOSED, {Action.READ, Action.FLAG, Action.FOLLOW}),
        (Phase.OUTCOME, {Action.READ, Action.FLAG, Action.FOLLOW}),
    ],
)
def test_actions_each_phase_allows(phase, allowed):
    assert PHASES[phase].actions == allowed
    for action in Action:
        assert phase_allows(phase, action) == (action in allowed)


@pytest.mark.django_db
def test_page_phase_follows_the_clock(make_consultation):
    page = make_consultation(opens_in=1, closes_in=3)
    for offset, expected in ((0, Phase.UPCOMING), (1, Phase.OPEN), (3, Phase.CLOSED)):
        frozen = page.opens_at + datetime.timedelta(days=offset - 1)
        with mock.patch.object(timezone, "now", return_value=frozen):
            fresh = type(page).objects.get(pk=page.pk)
            assert fresh.phase == expected
