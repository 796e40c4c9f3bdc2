"""One socket's order in its thread's events (deliberation/realtime/cursor.py), without a
socket: the feed offers events, the cursor says what to send and whether a gap is open."""

import json

from deliberation.realtime.cursor import Cursor

VARIANT = "fr:anon"


def texts(seq: int) -> dict[str, str]:
    return {"*": f"event {seq}"}


def reload_reason(text: str) -> str:
    frame = json.loads(text)
    assert frame["type"] == "thread.reload"
    return frame["reason"]


def started(latest: int = 0, since: int | None = None) -> Cursor:
    cursor = Cursor(VARIANT)
    cursor.start(latest=latest, since=since, known=None, since_token=None)
    return cursor


def test_events_before_the_hello_wait_and_are_sent_after_it_in_order():
    cursor = Cursor(VARIANT)
    assert cursor.offer(3, texts(3)) == (None, False)
    assert cursor.offer(4, texts(4)) == (None, False)

    out, gap = cursor.start(latest=2, since=None, known=None, since_token=None)

    assert out == ["event 3", "event 4"] and not gap and cursor.seq == 4


def test_an_event_out_of_order_is_held_until_the_gap_is_filled():
    cursor = started(latest=1)
    assert cursor.offer(3, texts(3)) == (None, True)
    assert cursor.offer(1, texts(1)) == (None, False)  # already had: dropped

    assert cursor.offer(2, texts(2)) == (["event 2", "event 3"], False)
    assert cursor.seq == 3


def test_each_reader_gets_its_own_variant():
    cursor = started()
    out, _gap = cursor.offer(1, {"fr:anon": "anonymous", "fr:member": "member"})
    assert out == ["anonymous"]


def test_a_resume_too_far_back_or_ahead_reloads(settings):
    settings.DELIBERATION_REALTIME_REPLAY_LIMIT = 5
    for since in (1, 20):
        cursor = Cursor(VARIANT)
        out, gap = cursor.start(latest=10, since=since, known=None, since_token=None)
        assert [reload_reason(text) for text in out] == ["gap_too_large"]
        assert cursor.seq == 10 and not gap


def test_a_resume_from_an_event_the_database_no_longer_has_reloads():
    cursor = Cursor(VARIANT)
    out, gap = cursor.start(latest=4, since=3, known="old", since_token="new")
    assert [reload_reason(text) for text in out] == ["history_changed"]
    assert cursor.seq == 4 and not gap


def test_a_resume_within_reach_asks_the_feed_to_fill():
    cursor = Cursor(VARIANT)
    out, gap = cursor.start(latest=4, since=2, known="same", since_token="same")
    assert out == [] and gap and cursor.seq == 2


def test_too_many_held_events_give_up_and_reload(settings):
    settings.DELIBERATION_REALTIME_REPLAY_LIMIT = 2
    cursor = started()
    cursor.offer(3, texts(3))
    cursor.offer(4, texts(4))
    out, gap = cursor.offer(5, texts(5))
    assert [reload_reason(text) for text in out] == ["gap_too_large"]
    assert cursor.seq == 5 and not gap and not cursor.held


def test_a_changed_history_sends_the_socket_back():
    cursor = started(latest=7)
    assert reload_reason(cursor.history_changed(5)) == "history_changed"
    assert cursor.seq == 5
    assert Cursor(VARIANT).history_changed(5) is None  # not started: nothing shown yet


def test_replays_rewind_within_reach_and_are_spaced(settings):
    settings.DELIBERATION_REALTIME_REPLAY_LIMIT = 5
    cursor = started(latest=8)
    assert not cursor.replay_too_soon(100.0)
    assert cursor.replay_too_soon(101.0)
    assert cursor.rewind(6) is None and cursor.seq == 6
    cursor.seq = 8
    assert reload_reason(cursor.rewind(1)) == "gap_too_large" and cursor.seq == 8
