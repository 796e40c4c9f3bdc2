"""Posting a discussion script as its people would have on the site, through
``deliberation.services``: posts at dates spread over the time the discussion has been open (in
each thread's reading order), replies up to the maximum depth, reactions, reports, and the
moderators' decisions. A thread that already has contributions is left alone."""

import datetime
import random
from dataclasses import dataclass

from accounts.models import User
from deliberation import services
from deliberation.models import Contribution, ModerationActionKind, ReactionKind, Reason, Thread
from demo.build.conditions import newcomers_held
from demo.build.ids import post_key
from demo.content.people import CITIZENS
from demo.content.script import (
    MODERATOR_NOTES,
    NEWCOMER,
    NOT_REACTING,
    OFFICIAL,
    PERSONAL_DATA,
    PINNED,
    REPORT_NOTES,
    REPORTED,
    REPORTERS,
    SPAM,
    Say,
)

FIRST, LAST_TOP, LAST = 0.02, 0.85, 0.98  # fractions of the time the discussion has been open
NEWCOMER_AT = 0.97
CITIZEN_NAMES = [email.removesuffix("@majlis.test") for email, *_ in CITIZENS]
# What a moderator does to a contribution of each role: (action, reason).
MODERATION = {
    SPAM: (ModerationActionKind.HIDE, Reason.SPAM),
    PERSONAL_DATA: (ModerationActionKind.HIDE, Reason.PERSONAL_DATA),
    OFFICIAL: (ModerationActionKind.MARK_OFFICIAL, ""),
    PINNED: (ModerationActionKind.PIN, ""),
}


@dataclass(frozen=True)
class Seeded:
    """How much a seeding added."""

    contributions: int = 0
    reactions: int = 0
    threads: int = 0

    def __add__(self, other: "Seeded") -> "Seeded":
        return Seeded(
            self.contributions + other.contributions,
            self.reactions + other.reactions,
            self.threads + other.threads,
        )


def people() -> dict[str, User]:
    """Demo accounts by the part of their address before "@majlis.test"."""
    return {
        user.email.removesuffix("@majlis.test"): user
        for user in User.objects.filter(email__endswith="@majlis.test")
    }


def preorder(script: list[Say]) -> list[Say]:
    """The script's items in the order they are numbered when posted."""
    items = []

    def walk(item: Say) -> None:
        items.append(item)
        for reply in item.replies:
            walk(reply)

    for item in script:
        walk(item)
    return items


def _timeline(script: list[Say], rng: random.Random) -> list[tuple[float, int, Say, int | None]]:
    """(fraction of the open period, index, item, parent's index): replies after their parent."""
    rows = []

    def walk(item: Say, parent: int | None, at: float) -> None:
        index = len(rows)
        rows.append((at, index, item, parent))
        for reply in item.replies:
            walk(reply, index, at + (LAST - at) * rng.uniform(0.04, 0.3))

    for position, item in enumerate(script):
        at = FIRST + (LAST_TOP - FIRST) * (position + rng.uniform(0.1, 0.9)) / len(script)
        walk(item, None, NEWCOMER_AT if item.role == NEWCOMER else at)
    return sorted(rows, key=lambda row: (row[0], row[1]))


def _post_all(
    *, thread: Thread, script: list[Say], opened, now, people: dict[str, User], rng
) -> dict[int, tuple[Say, Contribution]]:
    """Post every item at its time; returns (item, contribution) by index, in posting order."""
    span = max(now - opened, datetime.timedelta(hours=1)) - datetime.timedelta(minutes=30)
    posted: dict[int, tuple[Say, Contribution]] = {}
    for at, index, item, parent in _timeline(script, rng):
        post = dict(
            author=people[item.author],
            thread=thread,
            body=item.body,
            parent_id=posted[parent][1].pk if parent is not None else None,
            language=item.language,
            idempotency_key=post_key(thread.key, index),
            now=opened + span * at,
        )
        if item.role == NEWCOMER:
            with newcomers_held():
                posted[index] = (item, services.contribution_post(**post).contribution)
        else:
            posted[index] = (item, services.contribution_post(**post).contribution)
    return posted


def _react_all(*, posted: dict, people: dict[str, User], rng) -> int:
    """Readers agree and disagree as the script says; returns how many reactions were made."""
    reactors = [name for name in CITIZEN_NAMES if name not in NOT_REACTING]
    reactions = 0
    for item, contribution in posted.values():
        if not (item.agree or item.disagree):
            continue
        others = [name for name in reactors if name != item.author]
        for position, name in enumerate(rng.sample(others, item.agree + item.disagree)):
            kind = ReactionKind.AGREE if position < item.agree else ReactionKind.DISAGREE
            services.contribution_react(user=people[name], contribution=contribution, kind=kind)
            reactions += 1
    return reactions


def _moderate_all(*, posted: dict, people: dict[str, User], moderator: User) -> None:
    """Readers report what the script says they report; the moderator decides."""
    for item, contribution in posted.values():
        if item.role in REPORTERS:
            services.contribution_flag(
                user=people[REPORTERS[item.role]],
                contribution=contribution,
                reason=Reason.ABUSE if item.role == REPORTED else Reason.SPAM,
                note=REPORT_NOTES[item.role],
            )
        if item.role in MODERATION:
            action, reason = MODERATION[item.role]
            services.contribution_moderate(
                moderator=moderator,
                contribution=contribution,
                action=action,
                reason=reason,
                note=MODERATOR_NOTES[item.role],
            )


def discussion_seed(
    *,
    thread: Thread,
    script: list[Say],
    opened: datetime.datetime,
    now: datetime.datetime,
    people: dict[str, User],
) -> Seeded:
    """Post ``script`` in ``thread`` between ``opened`` and ``now``, unless it has contributions.

    Dates and who reacts are drawn from a generator seeded with the thread's key.
    """
    if thread.contributions.exists():
        return Seeded()
    rng = random.Random(thread.key)
    posted = _post_all(thread=thread, script=script, opened=opened, now=now, people=people, rng=rng)
    reactions = _react_all(posted=posted, people=people, rng=rng)
    moderator = people[f"moderator.{thread.institution.slug}"]
    _moderate_all(posted=posted, people=people, moderator=moderator)
    return Seeded(len(posted), reactions, 1)
