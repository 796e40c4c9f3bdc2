"""Process-local fan-out: one channel-layer message per process per event.

The usual Channels pattern adds every socket to the thread's group, so an event costs one
layer message per socket; at 1,000 watchers that was 4–6× slower than delivering once per
process (``shared/bench/README.md``). Here each process (each event loop) has one ``Hub`` with
one layer channel of its own. The hub's channel joins the group of every thread, moderation
scope and account that has a socket in this process; one ``group_send`` per event reaches one
hub per process, and the hub hands the pre-serialised frame to its local sockets directly.

Per thread, a ``ThreadFeed`` (feed.py) keeps every local socket's order: a socket gets event ``n`` only
after ``n - 1``; what it already has is dropped; a gap is filled from the database
(``ThreadEvent``), so neither a lost layer message nor a Redis restart loses an event. The
hub re-reads its threads' latest numbers every ``DELIBERATION_REALTIME_RESYNC_SECONDS`` and after any
layer error, re-joins its groups (a restarted Redis forgot them), and fills what is missing.
"""

import asyncio
import logging
import time
import uuid

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db.models import OuterRef, Subquery

from deliberation import conf
from deliberation.models import Thread, ThreadEvent
from deliberation.realtime import frames as frame_builder
from deliberation.realtime.feed import PRESENCE_EVERY, ThreadFeed, quietly

logger = logging.getLogger(__name__)


def _latest_seqs(thread_ids: list[int]) -> dict[int, tuple[int, str | None]]:
    """{thread id: (its latest number, the token of that event)} in one query."""
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
            await quietly([member.hub_frames(kind, message["frames"]) for member in members])

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


def watchers_here() -> int:
    """People with a thread page open, as this process's hubs count them (the front door's
    "reading now"): each thread's sockets here, plus the counts other processes published for
    the threads that also have sockets here. With one server process that is everyone; with
    several, a thread open only in another process is not counted. Read from a worker thread
    without a lock: a count that changes meanwhile is skipped (it is a courtesy figure)."""
    total = 0
    for hub in list(Hub._by_loop.values()):
        for feed in list(hub.feeds.values()):
            try:
                total += feed.watchers()
            except RuntimeError:  # its counts changed while read
                continue
    return total
