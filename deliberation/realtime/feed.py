"""One thread's sockets in this process (``ThreadFeed``): every event to each of them in
order, gaps filled from the database (``ThreadEvent``), a history that changed under them
(a restored database) noticed, the watcher count, and the phase changing when a date passes.
Each socket's own position is its cursor's (cursor.py); the hub (hub.py) brings the events.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from deliberation import conf
from deliberation.models import Thread, ThreadEvent
from deliberation.realtime import frames as frame_builder
from deliberation.realtime.groups import thread_group
from deliberation.rules import refusal

logger = logging.getLogger(__name__)

FILL_BATCH = 200
PRESENCE_EVERY = 20.0  # seconds between a hub's watcher-count heartbeats
PRESENCE_STALE = 3 * PRESENCE_EVERY  # a count not refreshed this long is from a dead process
WATCHERS_MIN_INTERVAL = 1.0


async def quietly(sends: list[Awaitable]) -> None:
    """Send to many sockets; one socket closing meanwhile must not stop the others."""
    if sends:
        await asyncio.gather(*sends, return_exceptions=True)


# --- Reads for the feeds (run in a worker thread) --------------------------------------------


def _events_frames(
    thread_id: int, since: int, variants: set[str]
) -> tuple[list, bool, str | None, int]:
    """(seq, frame texts, token) of the events after ``since`` (up to FILL_BATCH), whether more
    follow, the token of the event numbered ``since`` (None if there is none), and the thread's
    latest number."""
    thread = Thread.objects.select_related("institution", "page").get(pk=thread_id)
    events = list(
        ThreadEvent.objects.filter(thread_id=thread_id, seq__gte=since).order_by("seq")[
            : FILL_BATCH + 2
        ]
    )
    since_token = None
    if events and events[0].seq == since:
        since_token = frame_builder.event_token(events[0].pk, events[0].created_at)
        events = events[1:]
    more = len(events) > FILL_BATCH
    events = events[:FILL_BATCH]
    texts = frame_builder.thread_event_frames(thread, events, variants)
    batch = [
        (event.seq, text, frame_builder.event_token(event.pk, event.created_at))
        for event, text in zip(events, texts)
    ]
    return batch, more, since_token, thread.last_seq


def _reader(socket) -> tuple[int | None, str]:
    """Who a socket reads as: its account (None when anonymous) and its language."""
    return (socket.user.pk if socket.signed_in else None, socket.language)


def _refusals(thread_id: int, readers: dict) -> dict:
    """For each reader (``_reader``: its account, or None, and its language), why it may no
    longer follow the thread (a rules.Refusal in its language), or None."""
    thread = Thread.objects.select_related("page").filter(pk=thread_id).first()
    refusals = {}
    for (pk, language), user in readers.items():
        with translation.override(language):
            refusals[(pk, language)] = refusal(
                user or AnonymousUser(), "deliberation.subscribe_thread", thread
            )
    return refusals


def _phase_state(thread_id: int):
    """The thread's ``thread.phase`` frames now, and when its phase changes next."""
    thread = Thread.objects.select_related("institution", "page").get(pk=thread_id)
    return frame_builder.phase_frames(thread), frame_builder.next_phase_change(thread)


class ThreadFeed:
    """The sockets of one thread in this process, and the order each of them is in."""

    def __init__(self, hub, key: str, thread_id: int):
        self.hub, self.key, self.thread_id = hub, key, thread_id
        self.group = thread_group(key)
        self.sockets: set = set()
        self.filling = False
        self.fill_again = False
        self.counts: dict[str, tuple[int, float]] = {}  # hub id -> (local count, when)
        self.watchers_sent = None
        self.watchers_at = 0.0
        self.watchers_timer: asyncio.TimerHandle | None = None
        self.presence_timer: asyncio.TimerHandle | None = None
        self.phase_timer: asyncio.TimerHandle | None = None
        self.tasks: set[asyncio.Task] = set()
        # seq -> token of the recent events this feed saw (frames.event_token), to notice that
        # the thread's history changed under its sockets (a database restored from a backup).
        self.tokens: dict[int, str] = {}

    # Sequenced events -------------------------------------------------------------------

    async def deliver(self, seq: int, texts: dict[str, str], token: str | None = None) -> None:
        """Event ``seq`` (from the layer or the database) to every socket that needs it next.

        The hot path of a busy thread. Sends are awaited one after the other rather than
        gathered: daphne's ``send`` hands the frame to Twisted without suspending, and a
        thousand tasks cost more than the sends themselves (bench/fanout.py). One message dict
        per text, shared by the sockets that get it."""
        if not self.same_event(seq, token):
            # Another event than the one this feed gave out under this number: the sockets
            # at or past it show a history the database no longer has.
            await self.history_changed(point=seq, position=seq - 1)
            self.same_event(seq, token)
        messages: dict[str, dict] = {}
        gap = False
        for socket in list(self.sockets):
            if socket.closed:
                continue
            out, socket_gap = socket.cursor.offer(seq, texts)
            gap = gap or socket_gap
            if not out:
                continue
            try:
                for text in out:
                    message = messages.get(text)
                    if message is None:
                        message = messages[text] = {"type": "websocket.send", "text": text}
                    await socket.base_send(message)
            except Exception:  # noqa: BLE001 — a socket closing meanwhile; the others go on
                logger.debug("Could not send to a closing socket", exc_info=True)
        if gap:
            self.fill()

    def fill(self) -> None:
        """Bring every socket up to date from the database (once at a time per thread)."""
        if self.filling:
            self.fill_again = True
            return
        self.filling = True
        self._spawn(self._fill())

    async def _fill(self) -> None:
        try:
            while True:
                self.fill_again = False
                ready = [socket.cursor for socket in self.sockets if socket.cursor.seq is not None]
                if not ready:
                    return
                since = min(cursor.seq for cursor in ready)
                variants = {cursor.variant for cursor in ready}
                batch, more, since_token, latest = await database_sync_to_async(_events_frames)(
                    self.thread_id, since, variants
                )
                gone = since_token is None and since in self.tokens
                if since and (gone or not self.same_event(since, since_token)):
                    # What the sockets have last is not (or no longer) in the database.
                    await self.history_changed(point=since, position=min(since - 1, latest))
                    continue
                for seq, texts, token in batch:
                    await self.deliver(seq, texts, token)
                if not batch or not (more or self.fill_again):
                    return  # (nothing newer stored: the next event or resync tries again)
        except Exception:  # noqa: BLE001 — the next resync tries again
            logger.exception("Could not fill thread %s from the database", self.key)
        finally:
            self.filling = False

    def behind(self, latest: int) -> bool:
        return any(seq is not None and seq < latest for seq in self._positions())

    def furthest(self) -> int | None:
        """The highest number a socket of this feed has (None before any ``thread.hello``)."""
        return max((seq for seq in self._positions() if seq is not None), default=None)

    def _positions(self) -> list[int | None]:
        return [socket.cursor.seq for socket in self.sockets]

    # A history that changed: the database was restored from a backup ------------------------

    def same_event(self, seq: int, token: str | None) -> bool:
        """Whether ``token`` is the event this feed knows under ``seq`` (true when it knows
        none, or the token is unknown); remembers it otherwise, for the recent numbers."""
        if token is None:
            return True
        known = self.tokens.get(seq)
        if known is not None:
            return known == token
        self.tokens[seq] = token
        if len(self.tokens) > 2 * conf.get("DELIBERATION_REALTIME_REPLAY_LIMIT"):
            keep = sorted(self.tokens)[-conf.get("DELIBERATION_REALTIME_REPLAY_LIMIT") :]
            self.tokens = {number: self.tokens[number] for number in keep}
        return True

    async def history_changed(self, *, point: int, position: int) -> None:
        """The thread's events from ``point`` on are not those this feed gave out (the
        database was restored from an earlier backup): every socket at or past ``point`` is
        told to reload (``thread.reload``) and goes on from ``position``, in the new history."""
        logger.warning(
            "Thread %s: its events from %s on changed (a database restore?): readers reload",
            self.key, point,
        )
        self.tokens = {}
        for socket in list(self.sockets):
            if socket.closed or socket.cursor.seq is None or socket.cursor.seq < point:
                continue
            text = socket.cursor.history_changed(position)
            if text is None:
                continue
            try:
                await socket.base_send({"type": "websocket.send", "text": text})
            except Exception:  # noqa: BLE001 — a socket closing meanwhile; the others go on
                logger.debug("Could not send to a closing socket", exc_info=True)

    # Unsequenced frames -------------------------------------------------------------------

    async def broadcast(self, texts: dict[str, str]) -> None:
        """An unsequenced frame to every socket past its ``thread.hello``."""
        await quietly(
            [
                socket.send_text(texts.get(socket.cursor.variant) or texts[frame_builder.EVERYONE])
                for socket in self.sockets
                if socket.cursor.seq is not None
            ]
        )

    # Watchers: each hub publishes its local count; every hub sums the fresh ones ------------

    def presence_changed(self) -> None:
        if self.presence_timer is None:
            loop = asyncio.get_running_loop()
            self.presence_timer = loop.call_later(0.2, self._presence_publish)

    def _presence_publish(self) -> None:
        self.presence_timer = None
        self._spawn(self.hub.publish_presence(self))

    def presence(self, hub_id: str, count: int) -> None:
        self.counts[hub_id] = (count, time.monotonic())
        self.watchers_maybe_send()

    def watchers(self) -> int:
        now = time.monotonic()
        fresh = {
            hub: count for hub, (count, at) in self.counts.items() if now - at < PRESENCE_STALE
        }
        fresh[self.hub.id] = len(self.sockets)
        return sum(fresh.values())

    def watchers_maybe_send(self) -> None:
        count = self.watchers()
        if count == self.watchers_sent or self.watchers_timer is not None:
            return
        wait = self.watchers_at + WATCHERS_MIN_INTERVAL - time.monotonic()
        loop = asyncio.get_running_loop()
        self.watchers_timer = loop.call_later(max(0.0, wait), self._watchers_send)

    def _watchers_send(self) -> None:
        self.watchers_timer = None
        count = self.watchers()
        if count == self.watchers_sent:
            return
        self.watchers_sent, self.watchers_at = count, time.monotonic()
        text = frame_builder.dumps({"type": "thread.watchers", "thread": self.key, "count": count})
        self._spawn(self.broadcast({"*": text}))

    # A date passes: the phase changes without any event ----------------------------------

    def phase_schedule(self, when) -> None:
        if self.phase_timer is not None:
            self.phase_timer.cancel()
            self.phase_timer = None
        if when is None:
            return
        # Long waits are re-checked every six hours (an editor may move the date meanwhile).
        delay = min(max(0.0, (when - timezone.now()).total_seconds()) + 0.5, 6 * 3600)
        loop = asyncio.get_running_loop()
        self.phase_timer = loop.call_later(delay, lambda: self._spawn(self._phase_fire()))

    async def _phase_fire(self) -> None:
        self.phase_timer = None
        texts, when = await database_sync_to_async(_phase_state)(self.thread_id)
        await self.broadcast(texts)
        self.phase_schedule(when)

    async def phase_refresh(self) -> None:
        """After an editor's change to the page (published, unpublished, made private): the
        next date to watch, and whether each reader may still follow the thread."""
        readers = {_reader(socket): socket.user if socket.signed_in else None for socket in self.sockets}
        refusals = await database_sync_to_async(_refusals)(self.thread_id, readers)
        lost = [(socket, refusals.get(_reader(socket))) for socket in self.sockets]
        await quietly(
            [socket.subscription_lost(refused) for socket, refused in lost if refused]
        )
        if any(refusal is None for refusal in refusals.values()):
            _texts, when = await database_sync_to_async(_phase_state)(self.thread_id)
            self.phase_schedule(when)

    # ----------------------------------------------------------------------------------------

    def _spawn(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def close(self) -> None:
        for timer in (self.phase_timer, self.presence_timer, self.watchers_timer):
            if timer is not None:
                timer.cancel()
        for task in list(self.tasks):
            task.cancel()
