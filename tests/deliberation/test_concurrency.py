"""Races: real threads, each with its own database connection, released together by a barrier.

A double-clicked (or retried) post must create one contribution, and replies arriving at the
same moment must all be stored in a consistent reading order. Meant for PostgreSQL, where the
thread row lock does the ordering (.ci/run runs the suite there too):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helperd REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/pytest tests/deliberation/test_concurrency.py
"""

import threading
import uuid

import pytest
from django.db import connections

from accounts.models import User
from deliberation import services
from deliberation.models import Contribution, Reaction, Status, Thread

pytestmark = [
    pytest.mark.django_db(transaction=True),
]

WORKERS = 8


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    """The races, not the rate limits, are under test; newcomers are not pre-moderated."""
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["1000/minute"]
    settings.DELIBERATION_POST_RATE_PER_IP = ["1000/minute"]
    settings.DELIBERATION_REACT_RATE_PER_ACCOUNT = ["1000/minute"]


def at_once(count: int, prepare, act) -> list:
    """Run ``act(prepare(i))`` in ``count`` threads, the ``act`` calls released together.

    ``prepare`` loads what a request would load (in the thread, on its own connection);
    returns the results in order, or raises the first error a thread met.
    """
    barrier = threading.Barrier(count, timeout=60)
    results: list = [None] * count
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            arguments = prepare(index)
            barrier.wait()
            results[index] = act(arguments)
        except BaseException as error:  # noqa: BLE001 (reported to the test below)
            errors.append(error)
            barrier.abort()
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "a worker is stuck"
    if errors:
        raise errors[0]
    return results


def test_the_same_idempotency_key_at_once_creates_one_contribution(thread, user_factory):
    author = user_factory(display_name="Double clic")
    key = uuid.uuid4()

    def prepare(_):
        return User.objects.get(pk=author.pk), Thread.objects.get(pk=thread.pk)

    def act(arguments):
        user, own_thread = arguments
        return services.contribution_post(
            author=user, thread=own_thread, body="Un seul avis.", idempotency_key=key, language="fr"
        )

    results = at_once(WORKERS, prepare, act)

    assert Contribution.objects.count() == 1
    stored = Contribution.objects.get()
    assert {result.contribution.pk for result in results} == {stored.pk}
    assert [result.created for result in results].count(True) == 1
    assert Thread.objects.get(pk=thread.pk).last_number == 1


def _authors(user_factory, count: int) -> list[User]:
    return [user_factory(display_name=f"Voix {n}") for n in range(count)]


def _assert_consistent(thread: Thread, expected: int) -> list[Contribution]:
    """All stored, paths unique, each reply under its parent, numbers never reused."""
    contributions = list(Contribution.objects.filter(thread=thread).in_display_order())
    assert len(contributions) == expected
    paths = [c.path for c in contributions]
    assert len(set(paths)) == len(paths)
    numbers = [c.path[-Contribution.PATH_STEP:] for c in contributions]
    assert len(set(numbers)) == len(numbers)
    assert Thread.objects.get(pk=thread.pk).last_number == expected
    by_pk = {c.pk: c for c in contributions}
    position = {c.pk: index for index, c in enumerate(contributions)}
    for contribution in contributions:
        assert len(contribution.path) == Contribution.PATH_STEP * contribution.depth
        if contribution.parent_id is None:
            assert contribution.depth == 1
            continue
        parent = by_pk[contribution.parent_id]
        assert contribution.depth == parent.depth + 1
        assert contribution.path.startswith(parent.path)
        assert position[contribution.pk] > position[parent.pk]
        # Everything between the parent and this reply descends from the parent too.
        between = contributions[position[parent.pk] + 1 : position[contribution.pk]]
        assert all(c.path.startswith(parent.path) for c in between)
    return contributions


def test_replies_to_the_same_contribution_at_once_are_all_stored_in_order(
    thread, user_factory, post
):
    opener = user_factory(display_name="Première", notify_replies=False)
    parent = post(opener, thread, "Un avis qui fait réagir.")
    authors = _authors(user_factory, WORKERS)

    def prepare(index):
        return (
            User.objects.get(pk=authors[index].pk),
            Thread.objects.get(pk=thread.pk),
            Contribution.objects.get(pk=parent.pk),
            index,
        )

    def act(arguments):
        user, own_thread, own_parent, index = arguments
        return services.contribution_post(
            author=user,
            thread=own_thread,
            body=f"Réponse {index}.",
            idempotency_key=uuid.uuid4(),
            parent_id=own_parent.pk,
            language="fr",
        ).contribution

    replies = at_once(WORKERS, prepare, act)

    stored = _assert_consistent(thread, WORKERS + 1)
    assert stored[0].pk == parent.pk
    assert {c.pk for c in stored[1:]} == {reply.pk for reply in replies}
    assert all(c.status == Status.PUBLISHED and c.parent_id == parent.pk for c in stored[1:])


def test_replies_at_once_to_different_contributions_and_depths_keep_a_consistent_order(
    thread, user_factory, post
):
    openers = [user_factory(display_name=f"Ouverture {n}", notify_replies=False) for n in range(2)]
    first = post(openers[0], thread, "Premier avis.")
    second = post(openers[1], thread, "Deuxième avis.")
    reply = post(openers[1], thread, "Réponse au premier.", parent=first)
    parents = [first, second, reply, None]  # None: a new top-level contribution
    authors = _authors(user_factory, WORKERS)

    def prepare(index):
        parent = parents[index % len(parents)]
        return (
            User.objects.get(pk=authors[index].pk),
            Thread.objects.get(pk=thread.pk),
            Contribution.objects.get(pk=parent.pk) if parent else None,
            index,
        )

    def act(arguments):
        user, own_thread, parent, index = arguments
        return services.contribution_post(
            author=user,
            thread=own_thread,
            body=f"Voix {index}.",
            idempotency_key=uuid.uuid4(),
            parent_id=parent.pk if parent else None,
            language="fr",
        ).contribution

    posted = at_once(WORKERS, prepare, act)

    stored = _assert_consistent(thread, WORKERS + 3)
    depths = {c.pk: c.depth for c in stored}
    for index, contribution in enumerate(posted):
        parent = parents[index % len(parents)]
        assert depths[contribution.pk] == (parent.depth + 1 if parent else 1)


def test_reactions_at_once_are_all_counted(thread, user_factory, post):
    contribution = post(user_factory(display_name="Autrice"), thread, "Avis.")
    readers = _authors(user_factory, WORKERS)

    def prepare(index):
        user = User.objects.get(pk=readers[index].pk)
        return user, Contribution.objects.get(pk=contribution.pk), index

    def act(arguments):
        user, own, index = arguments
        return services.contribution_react(
            user=user, contribution=own, kind="agree" if index % 2 else "disagree"
        )

    at_once(WORKERS, prepare, act)

    counted = Contribution.objects.get(pk=contribution.pk)
    assert Reaction.objects.filter(contribution=contribution).count() == WORKERS
    assert (counted.agree_count, counted.disagree_count) == (WORKERS // 2, WORKERS - WORKERS // 2)


def test_posts_reactions_and_moderation_at_once_number_their_events_without_gaps(
    thread, user_factory, post, admin_user
):
    """Writers of every kind on one thread at once (posting, reacting, moderating, editing):
    each change's event takes a distinct number, the numbers are 1..n with no gap, and they
    follow the order the changes committed (thread row locked before any contribution row, so
    no writer deadlocks another)."""
    from deliberation.models import ThreadEvent

    author = user_factory(display_name="Autrice")
    target = post(author, thread, "Un avis discuté.")
    readers = _authors(user_factory, WORKERS)

    def prepare(index):
        user = User.objects.get(pk=readers[index].pk)
        return index, user, Contribution.objects.select_related("thread").get(pk=target.pk)

    def act(arguments):
        index, user, contribution = arguments
        if index % 4 == 0:
            return services.contribution_post(
                author=user, thread=contribution.thread, body=f"Réponse {index}",
                parent_id=contribution.pk, idempotency_key=uuid.uuid4(),
            )
        if index % 4 == 1:
            return services.contribution_react(user=user, contribution=contribution, kind="agree")
        if index % 4 == 2:
            return services.contribution_flag(user=user, contribution=contribution, reason="spam")
        admin = User.objects.get(pk=admin_user.pk)
        return services.contribution_moderate(
            moderator=admin, contribution=contribution, action="pin" if index == 3 else "mark_official"
        )

    at_once(WORKERS, prepare, act)

    events = list(ThreadEvent.objects.filter(thread=thread).order_by("seq"))
    # 1 post before, 2 replies, 2 reaction changes, 2 moderator actions (flags are not events).
    assert [event.seq for event in events] == list(range(1, 8))
    assert Thread.objects.get(pk=thread.pk).last_seq == 7
    assert sorted(event.type for event in events[1:]) == sorted(
        ["contribution.published"] * 2
        + ["contribution.reactions"] * 2
        + ["contribution.pinned", "contribution.official"]
    )
    # Committed order: the reaction counts in the events only grow.
    counts = [event.data["agree"] for event in events if event.type == "contribution.reactions"]
    assert counts == [1, 2]
