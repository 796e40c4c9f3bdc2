"""Process-local fan-out: one channel-layer message per process per event.

The usual Channels pattern adds every socket to the thread's group, so an event costs one
layer message per socket; at 1,000 watchers that was 4–6× slower than delivering once per
process (``shared/bench/README.md``). Here each process (each event loop) has one ``Hub`` with
one layer channel of its own. The hub's channel joins the group of every thread, moderation
scope and account that has a socket in this process; one ``group_send`` per event reaches one
hub per process, and the hub hands the pre-serialised frame to its local sockets directly.

Per thread, a ``ThreadFeed`` keeps every local socket's order: a socket gets event ``n`` only
after ``n - 1``; what it already has is dropped; a gap is filled from the database
(``ThreadEvent``), so neither a lost layer message nor a Redis restart loses an event. The
hub re-reads its threads' latest numbers every ``DELIBERATION_REALTIME_RESYNC_SECONDS`` and after any
layer error, re-joins its groups (a restarted Redis forgot them), and fills what is missing.
"""

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from deliberation import conf
from deliberation.realtime import frames as frame_builder
from deliberation.realtime.groups import thread_group

logger = logging.getLogger(__name__)

FILL_BATCH = 200
PRESENCE_EVERY = 20.0  # seconds between a hub's watcher-count heartbeats
PRESENCE_STALE = 3 * PRESENCE_EVERY  # a count not refreshed this long is from a dead process
WATCHERS_MIN_INTERVAL = 1.0


async def _quietly(sends: list[Awaitable]) -> None:
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
    from deliberation.models import Thread, ThreadEvent

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


def _latest_seqs(thread_ids: list[int]) -> dict[int, tuple[int, str | None]]:
    """{thread id: (its latest number, the token of that event)} in one query."""
    from django.db.models import OuterRef, Subquery

    from deliberation.models import Thread, ThreadEvent

    latest = ThreadEvent.objects.filter(thread_id=OuterRef("pk"), seq=OuterRef("last_seq"))
    rows = (
        Thread.objects.filter(pk__in=thread_ids)
        .annotate(
            event_pk=Subquery(latest.values("pk")[:1]),
            event_at=Subquery(latest.values("created_at")[:1]),
        )
        .values_list("pk", "last_seq", "event_pk", "event_at")
    )
    return {pk: (seq, frame_builder.event_token(event_pk, at)) for pk, seq, event_pk, at in rows}


def _refusals(thread_id: int, readers: dict) -> dict:
    """For each reader (an account, or None for anonymous), why it may no longer follow the
    thread, or None."""
    from django.contrib.auth.models import AnonymousUser

    from deliberation.models import Thread
    from deliberation.rules import subscribe_refusal

    thread = Thread.objects.select_related("page").filter(pk=thread_id).first()
    return {
        key: subscribe_refusal(user or AnonymousUser(), thread) for key, user in readers.items()
    }


def _phase_state(thread_id: int):
    """The thread's ``thread.phase`` frames now, and when its phase changes next."""
    from deliberation.models import Thread

    thread = Thread.objects.select_related("institution", "page").get(pk=thread_id)
    return frame_builder.phase_frames(thread), frame_builder.next_phase_change(thread)


class ThreadFeed:
    """The sockets of one thread in this process, and the order each of them is in."""

    def __init__(self, hub: "Hub", key: str, thread_id: int):
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
            out, socket_gap = socket.offer(seq, texts)
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
                ready = [socket for socket in self.sockets if socket.seq is not None]
                if not ready:
                    return
                since = min(socket.seq for socket in ready)
                variants = {socket.variant for socket in ready}
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
        return any(socket.seq is not None and socket.seq < latest for socket in self.sockets)

    def furthest(self) -> int | None:
        """The highest number a socket of this feed has (None before any ``thread.hello``)."""
        return max((socket.seq for socket in self.sockets if socket.seq is not None), default=None)

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
            if socket.seq is None or socket.seq < point:
                continue
            text = socket.history_changed(position)
            if text is None:
                continue
            try:
                await socket.base_send({"type": "websocket.send", "text": text})
            except Exception:  # noqa: BLE001 — a socket closing meanwhile; the others go on
                logger.debug("Could not send to a closing socket", exc_info=True)

    # Unsequenced frames -------------------------------------------------------------------

    async def broadcast(self, texts: dict[str, str]) -> None:
        """An unsequenced frame to every socket past its ``thread.hello``."""
        await _quietly(
            [
                socket.send_text(texts.get(socket.variant) or texts["*"])
                for socket in self.sockets
                if socket.seq is not None
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
        from django.utils import timezone

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
        readers = {}
        for socket in self.sockets:
            user = socket.user if socket.signed_in else None
            readers[user.pk if user else None] = user
        refusals = await database_sync_to_async(_refusals)(self.thread_id, readers)
        lost = [
            socket
            for socket in self.sockets
            if refusals.get(socket.user.pk if socket.signed_in else None)
        ]
        await _quietly(
            [
                socket.subscription_lost(refusals[socket.user.pk if socket.signed_in else None])
                for socket in lost
            ]
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


class Hub:
    """This process's one channel-layer channel and the local sockets behind it."""

    _by_loop: dict[int, "Hub"] = {}

    @classmethod
    def current(cls) -> "Hub":
        loop = asyncio.get_running_loop()
        hub = cls._by_loop.get(id(loop))
        if hub is None or hub.loop is not loop:
            hub = cls._by_loop[id(loop)] = cls(loop)
        return hub

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.id = uuid.uuid4().hex
        self.layer = get_channel_layer()
        self.channel: str | None = None
        self.members: dict[str, set] = {}  # group -> local subscribers (sockets or feeds)
        self.feeds: dict[str, ThreadFeed] = {}
        self.lock = asyncio.Lock()
        self.tasks: list[asyncio.Task] = []
        self.layer_broken = False
        self.wake = asyncio.Event()  # a layer error: resync now, not at the next tick

    # Membership ---------------------------------------------------------------------------

    async def join(self, group: str, member) -> None:
        async with self.lock:
            await self._start()
            first = group not in self.members
            self.members.setdefault(group, set()).add(member)
            if first:
                await self._group_add(group)

    async def leave(self, group: str, member) -> None:
        async with self.lock:
            members = self.members.get(group)
            if members is None or member not in members:
                return
            members.discard(member)
            if not members:
                del self.members[group]
                await self._group_discard(group)
            if not self.members:
                await self._stop()

    async def thread_join(self, socket, *, key: str, thread_id: int, next_change) -> ThreadFeed:
        feed = self.feeds.get(key)
        new = feed is None
        if new:
            feed = self.feeds[key] = ThreadFeed(self, key, thread_id)
            feed.phase_schedule(next_change)
        feed.sockets.add(socket)
        await self.join(feed.group, feed)
        feed.presence_changed()
        return feed

    async def thread_leave(self, socket, feed: ThreadFeed) -> None:
        feed.sockets.discard(socket)
        if feed.sockets:
            feed.presence_changed()
            return
        # The last local reader left: retire the feed before any await, so that a reader
        # arriving meanwhile gets a new feed rather than this closing one.
        if self.feeds.get(feed.key) is feed:
            del self.feeds[feed.key]
        feed.close()
        await self.leave(feed.group, feed)
        await self._presence_send(feed.group, feed.key, 0)

    async def _group_add(self, group: str) -> None:
        if self.layer is None:
            return
        try:
            await self.layer.group_add(group, self.channel)
        except Exception:  # noqa: BLE001 — the resync loop joins again
            self.layer_broken = True
            logger.warning("Channel layer unavailable: could not join %s", group, exc_info=True)

    async def _group_discard(self, group: str) -> None:
        if self.layer is None:
            return
        try:
            await self.layer.group_discard(group, self.channel)
        except Exception:  # noqa: BLE001 — it expires on its own
            logger.warning("Channel layer unavailable: could not leave %s", group, exc_info=True)

    # Life cycle ---------------------------------------------------------------------------

    async def _start(self) -> None:
        if self.tasks:
            return
        if self.layer is not None and self.channel is None:
            self.channel = await self.layer.new_channel(prefix="majlis.hub.")
        if self.layer is not None:
            self.tasks.append(self.loop.create_task(self._receive_loop()))
        self.tasks.append(self.loop.create_task(self._resync_loop()))

    async def _stop(self) -> None:
        tasks, self.tasks = self.tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # Receiving ----------------------------------------------------------------------------

    async def _receive_loop(self) -> None:
        backoff = 0.2
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 — Redis down: wait, rejoin, fill from the database
                if not self.layer_broken:
                    logger.warning("Channel layer receive failed; retrying", exc_info=True)
                self.layer_broken = True
                self.wake.set()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = 0.2
            try:
                await self._dispatch(message)
            except Exception:  # noqa: BLE001 — one bad message must not stop the hub
                logger.exception("Could not deliver %s", message.get("type"))

    async def _dispatch(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "hub.thread":
            feed = self.feeds.get(message["thread"])
            if feed is not None:
                await feed.deliver(message["seq"], message["frames"], message.get("token"))
                if message.get("event") == "thread.phase":  # an editor changed the page
                    await feed.phase_refresh()
        elif kind == "hub.presence":
            feed = self.feeds.get(message["thread"])
            if feed is not None and message["hub"] != self.id:
                feed.presence(message["hub"], message["count"])
        elif kind in ("hub.notice", "hub.account"):
            members = list(self.members.get(message.get("group", ""), ()))
            await _quietly([member.hub_frames(kind, message["frames"]) for member in members])

    async def publish_presence(self, feed: ThreadFeed) -> None:
        """Tell this process's sockets, and the other processes, how many read here."""
        feed.watchers_maybe_send()
        await self._presence_send(feed.group, feed.key, len(feed.sockets))

    async def _presence_send(self, group: str, key: str, count: int) -> None:
        if self.layer is None:
            return
        try:
            await self.layer.group_send(
                group, {"type": "hub.presence", "thread": key, "hub": self.id, "count": count}
            )
        except Exception:  # noqa: BLE001 — counts are a courtesy; the heartbeat repeats them
            logger.warning("Could not publish the watcher count of %s", key, exc_info=True)

    # Resync: what the layer did not bring, the database does --------------------------------

    async def _resync_loop(self) -> None:
        interval = conf.get("DELIBERATION_REALTIME_RESYNC_SECONDS")
        last_presence = time.monotonic()
        while True:
            # Every interval; every second while the layer is broken; at once when it breaks.
            try:
                await asyncio.wait_for(
                    self.wake.wait(), interval if not self.layer_broken else min(interval, 1.0)
                )
            except TimeoutError:
                pass
            self.wake.clear()
            try:
                await self.resync()
                if time.monotonic() - last_presence >= PRESENCE_EVERY:
                    last_presence = time.monotonic()
                    for feed in list(self.feeds.values()):
                        await self.publish_presence(feed)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 — try again next time
                logger.warning("Real-time resync failed", exc_info=True)

    async def resync(self) -> None:
        """Re-join every group (a restarted Redis forgot them) and fill every socket that is
        behind its thread's latest event."""
        if self.layer is not None:
            broken = False
            for group in list(self.members):
                try:
                    await self.layer.group_add(group, self.channel)
                except Exception:  # noqa: BLE001
                    broken = True
                    break
            self.layer_broken = broken
        feeds = list(self.feeds.values())
        if not feeds:
            return
        # Where the sockets are *before* the read: the database's numbers only grow, so one
        # below that is a history that went back (a restore), not an event committed since.
        furthest = {feed: feed.furthest() for feed in feeds}
        latest = await database_sync_to_async(_latest_seqs)([feed.thread_id for feed in feeds])
        for feed in feeds:
            seq, token = latest.get(feed.thread_id, (0, None))
            if furthest[feed] is not None and furthest[feed] > seq:
                await feed.history_changed(point=seq + 1, position=seq)
            elif seq and not feed.same_event(seq, token):
                await feed.history_changed(point=seq, position=seq - 1)
            if feed.behind(seq):
                feed.fill()
