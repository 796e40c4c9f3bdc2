"""No event lost across processes: two daphne processes sharing a private Redis.

Watchers on process B (and one on A) record every frame while posters on A send
``contribution.post`` frames. Midway the Redis server is stopped and started again (empty: it
keeps nothing), then B is killed with SIGKILL and its watchers reconnect to A with
``since=<last seq>``, as the page's client does. At the end every client, those that stayed
and those that moved, must hold every published contribution of the thread exactly once,
with strictly increasing sequence numbers and no gap (docs/realtime.md, "Fan-out").

While Redis is down, and after it came back, the posts must reach every socket within
``QUICK`` seconds, well under DELIBERATION_REALTIME_RESYNC_SECONDS: a hub that meets a layer error fills
its sockets from the database and re-joins its groups at once, not at its next periodic
resync.

The daphne processes read their settings from the environment, not from pytest's
``settings`` fixture: the posters are superusers (moderators: published at once) and post
fewer times than the per-account (5/minute) and per-address (20/minute) limits allow.
"""

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field

import pytest
from channels.db import database_sync_to_async
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from deliberation.models import Contribution, Status, Thread
from deliberation.services import thread_for_page
from tests.deliberation.servers import (
    DaphneServer,
    daphne_servers,
    redis_server,
    session_cookie,
    ws_connect,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

POSTERS = 3  # each posts at most 4 times: under the 5/minute per account
POSTS_PER_PHASE = 3  # 4 phases: 12 posts, under the 20/minute per address
NO_RETRY = {4009, 4400, 4401, 4403, 4404}
STEP_TIMEOUT = 15  # seconds for one step (a post's ack, a reconnection)
QUICK = 5  # seconds: well under DELIBERATION_REALTIME_RESYNC_SECONDS (10 s)
CONVERGE_TIMEOUT = 30  # seconds for every client to catch up at the end (resync every 10 s)


@dataclass
class Connection:
    server: str
    since: int
    frames: list = field(default_factory=list)
    close_code: int | None = None

    @property
    def events(self) -> list[dict]:
        return [f for f in self.frames if "seq" in f and f.get("type") != "thread.hello"]


@dataclass
class Client:
    """One browser tab: a thread socket that reconnects with ``since`` when it drops."""

    name: str
    thread_key: str
    home: DaphneServer
    fallback: DaphneServer
    since: int
    cookie: str | None = None
    lang: str = "fr"
    connections: list[Connection] = field(default_factory=list)
    drops: list[str] = field(default_factory=list)
    published: list[int] = field(default_factory=list)
    received_at: dict[int, float] = field(default_factory=dict)
    fatal: str | None = None
    stopping: bool = False

    def __post_init__(self):
        self.last_seq = self.since
        self.ws = None
        self.subscribed = asyncio.Event()
        self.pending: dict[str, asyncio.Future] = {}
        self.posted = 0

    # --- receiving -----------------------------------------------------------------------

    def url(self, server: DaphneServer) -> str:
        return server.ws_url(f"/ws/threads/{self.thread_key}/?since={self.last_seq}&lang={self.lang}")

    async def run(self) -> None:
        server = self.home
        while not self.stopping:
            if not server.running:
                server = self.fallback
            connection = None
            try:
                async with ws_connect(self.url(server), cookie=self.cookie) as ws:
                    connection = Connection(server.name, self.last_seq)
                    self.connections.append(connection)
                    self.ws = ws
                    try:
                        async for message in ws:
                            self.receive(connection, json.loads(message))
                    finally:
                        connection.close_code = ws.close_code
            except (OSError, ConnectionClosed, InvalidHandshake, TimeoutError) as error:
                self.drops.append(f"{time.monotonic():.1f} {server.name}: {error!r}")
            except Exception as error:  # noqa: BLE001 — reported by the test
                self.fatal = f"{error!r}"
                return
            finally:
                self.ws = None
                self.subscribed.clear()
                for future in self.pending.values():
                    if not future.done():
                        future.set_exception(ConnectionError("socket dropped"))
            if connection is not None:
                self.drops.append(
                    f"{time.monotonic():.1f} {server.name}: closed {connection.close_code}"
                )
                if connection.close_code in NO_RETRY:
                    self.fatal = f"closed with {connection.close_code}: {connection.frames[-3:]}"
                    return
            if not self.stopping:
                await asyncio.sleep(0.3)

    def receive(self, connection: Connection, frame: dict) -> None:
        connection.frames.append(frame)
        kind = frame.get("type")
        if kind == "thread.hello":
            self.subscribed.set()
            return
        if kind in ("ack", "error") and frame.get("request_id") in self.pending:
            future = self.pending[frame["request_id"]]
            if not future.done():
                future.set_result(frame)
            return
        if "seq" in frame:
            self.last_seq = max(self.last_seq, frame["seq"])
            if kind == "contribution.published":
                self.published.append(frame["id"])
                self.received_at.setdefault(frame["id"], time.monotonic())

    async def stop(self) -> None:
        self.stopping = True
        if self.ws is not None:
            await self.ws.close()

    # --- posting ----------------------------------------------------------------------------

    async def post(self, body: str) -> dict:
        """Send ``contribution.post`` and return its ack; resent with the same idempotency
        key when the socket dropped before the answer."""
        key = str(uuid.uuid4())
        self.posted += 1
        deadline = time.monotonic() + STEP_TIMEOUT * 2
        attempt = 0
        while time.monotonic() < deadline:
            attempt += 1
            try:
                await asyncio.wait_for(self.subscribed.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
            request_id = f"{self.name}-{self.posted}-{attempt}"
            future = asyncio.get_running_loop().create_future()
            self.pending[request_id] = future
            frame = {
                "type": "contribution.post",
                "request_id": request_id,
                "body": body,
                "parent": None,
                "idempotency_key": key,
            }
            try:
                if self.ws is None:
                    raise ConnectionError("not connected")
                await self.ws.send(json.dumps(frame))
                answer = await asyncio.wait_for(future, STEP_TIMEOUT)
            except (ConnectionClosed, ConnectionError):
                await asyncio.sleep(0.2)
                continue
            except TimeoutError:
                raise AssertionError(f"{self.name}: no answer to {frame} in {STEP_TIMEOUT} s") from None
            finally:
                self.pending.pop(request_id, None)
            assert answer["type"] == "ack", f"{self.name}: {body!r} refused: {answer}"
            assert answer["status"] == "published", answer
            return answer
        raise AssertionError(f"{self.name}: could not post {body!r} (drops: {self.drops})")

    # --- checking -----------------------------------------------------------------------------

    def describe(self) -> str:
        return (
            f"{self.name} (lang {self.lang}, {'signed in' if self.cookie else 'anonymous'}): "
            f"last_seq {self.last_seq}, published {self.published}, "
            "connections "
            f"{[(c.server, c.since, len(c.events), c.close_code) for c in self.connections]}, "
            f"drops {self.drops}, fatal {self.fatal}"
        )


async def until(predicate, timeout: float, what: str, clients) -> None:
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            states = "\n".join(client.describe() for client in clients)
            raise AssertionError(f"Timed out after {timeout} s waiting until {what}:\n{states}")
        await asyncio.sleep(0.1)


@database_sync_to_async
def published_in_database(thread_id: int) -> tuple[set[int], int]:
    ids = set(
        Contribution.objects.filter(thread_id=thread_id, status=Status.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    return ids, Thread.objects.values_list("last_seq", flat=True).get(pk=thread_id)


async def scenario(*, a, b, redis, thread, since, poster_cookies, reader_cookies) -> dict:
    def client(name, server, **kwargs):
        return Client(name, thread.key, home=server, fallback=a, since=since, **kwargs)

    watchers_b = [
        client("b0-ar-anonymous", b, lang="ar"),
        client("b1-fr-signed-in", b, lang="fr", cookie=reader_cookies[0]),
        client("b2-en-anonymous", b, lang="en"),
        client("b3-ar-signed-in", b, lang="ar", cookie=reader_cookies[1]),
    ]
    watcher_a = client("a0-fr-anonymous", a, lang="fr")
    posters = [
        client(f"poster{i}-a", a, lang="fr", cookie=cookie)
        for i, cookie in enumerate(poster_cookies)
    ]
    clients = [*watchers_b, watcher_a, *posters]
    tasks = [asyncio.create_task(c.run()) for c in clients]
    acks: list[dict] = []
    timeline: list[str] = []
    started = time.monotonic()

    def note(text):
        timeline.append(f"{time.monotonic() - started:5.1f}s {text}")

    async def post_some(phase: str, pause: float = 0.2) -> None:
        for n in range(POSTS_PER_PHASE):
            poster = posters[len(acks) % len(posters)]
            sent = time.monotonic()
            body = f"Avis {len(acks) + 1} ({phase}) : l'eau d'abord, n° {n}."
            acks.append(await poster.post(body))
            note(
                f"posted #{acks[-1]['id']} ({phase}) through {poster.name}, "
                f"ack in {time.monotonic() - sent:.2f}s"
            )
            await asyncio.sleep(pause)

    try:
        await until(
            lambda: all(c.subscribed.is_set() or c.fatal for c in clients),
            STEP_TIMEOUT, "every client is subscribed", clients,
        )
        assert not [c.describe() for c in clients if c.fatal]
        note("all subscribed")

        # 1. Both processes and Redis up: a post through A reaches the sockets on B.
        first = await posters[0].post("Premier avis, envoyé par le processus A.")
        acks.append(first)
        note(f"posted #{first['id']} through A")
        await until(
            lambda: all(first["id"] in c.published for c in [*watchers_b, watcher_a]),
            8, f"contribution {first['id']} posted through A reaches the sockets on B", clients,
        )
        note("first post reached B: " + ", ".join(
            f"{c.name} +{c.received_at[first['id']] - started:.2f}s" for c in watchers_b
        ))
        await post_some("both up")

        # 2. Redis stops mid-stream; posts are stored in the database meanwhile.
        await asyncio.to_thread(redis.stop)
        note("redis stopped")
        await post_some("redis down", pause=0.4)

        # Each hub fills its sockets from the database right after a layer error, not only
        # every DELIBERATION_REALTIME_RESYNC_SECONDS (10 s).
        await until(
            lambda: all(ack["id"] in c.published for c in clients for ack in acks),
            QUICK,
            "the posts made while Redis is down reach every socket (from the database)",
            clients,
        )
        note("posts made while Redis is down reached every socket")

        # 3. Redis back (empty: it forgot every group) on the same port.
        await asyncio.to_thread(redis.start)
        note("redis started")
        await post_some("redis back")
        # The hubs join their groups again: B's sockets hear of A's posts before B dies.
        await until(
            lambda: all(ack["id"] in c.published for c in clients for ack in acks),
            QUICK, "the posts made after Redis restarted reach every socket", clients,
        )
        note("posts made after Redis restarted reached every socket")

        # 4. B dies: its watchers reconnect to A with since=<last seq>.
        b.kill()
        note("B killed")
        await until(
            lambda: all(
                c.connections[-1].server == a.name and c.subscribed.is_set() for c in watchers_b
            ),
            STEP_TIMEOUT, "B's watchers are subscribed on A again", clients,
        )
        note("B's watchers moved to A")
        await post_some("after the kill")

        # Converge: every client holds what the database holds.
        async def converged():
            expected, last_seq = await published_in_database(thread.pk)
            return all(set(c.published) >= expected and c.last_seq >= last_seq for c in clients)

        await until(converged, CONVERGE_TIMEOUT, "every client has every published contribution", clients)
        note("converged")
        await asyncio.sleep(0.5)  # anything arriving late would be a duplicate: let it come
    finally:
        note("stopping the clients")
        await asyncio.gather(*(c.stop() for c in clients), return_exceptions=True)
        await asyncio.wait(tasks, timeout=5)
        note("clients stopped")
        for task in tasks:
            task.cancel()
        print("\n".join(timeline))
        for c in clients:
            print(c.describe())
            print("   received at:", {i: round(t - started, 1) for i, t in c.received_at.items()})
    return {"clients": clients, "watchers_b": watchers_b, "acks": acks}


def test_events_reach_every_socket_across_processes_redis_restart_and_a_killed_process(
    make_consultation,
):
    thread = thread_for_page(page=make_consultation())
    since = Thread.objects.get(pk=thread.pk).last_seq
    posters = [
        UserFactory(is_staff=True, is_superuser=True, display_name=f"Modératrice {i}")
        for i in range(POSTERS)
    ]
    readers = [UserFactory(display_name="Lecteur", preferred_language=lang) for lang in ("fr", "ar")]
    poster_cookies = [session_cookie(user) for user in posters]
    reader_cookies = [session_cookie(user) for user in readers]

    with redis_server() as redis, daphne_servers(2, env_extra={"REDIS_URL": redis.url}) as (a, b):
        a.name, b.name = "A", "B"
        try:
            result = asyncio.run(
                scenario(
                    a=a, b=b, redis=redis, thread=thread, since=since,
                    poster_cookies=poster_cookies, reader_cookies=reader_cookies,
                )
            )
        except BaseException:
            for server in (a, b):
                print(f"--- daphne {server.name} (port {server.port}) ---\n{server.log()}")
            print(f"--- redis ---\n{redis.log()}")
            raise

    clients, watchers_b, acks = result["clients"], result["watchers_b"], result["acks"]
    expected = set(
        Contribution.objects.filter(thread=thread, status=Status.PUBLISHED).values_list("pk", flat=True)
    )
    last_seq = Thread.objects.get(pk=thread.pk).last_seq
    assert expected == {ack["id"] for ack in acks}
    assert len(expected) == 1 + 4 * POSTS_PER_PHASE

    for client in clients:
        where = client.describe()
        assert client.fatal is None, where
        for connection in client.connections:
            # thread.hello first (a thread.watchers count may slip in before it: harmless).
            hello = [f for f in connection.frames if f["type"] != "thread.watchers"][0]
            assert hello["type"] == "thread.hello" and hello["since"] == connection.since, where
            assert not [f for f in connection.frames if f["type"] in ("thread.reload", "error")], where
            seqs = [event["seq"] for event in connection.events]
            assert all(x < y for x, y in zip(seqs, seqs[1:])), f"seqs {seqs} on one socket: {where}"
        # Over all its connections (each resumed from the last seq), nothing lost, nothing twice.
        seqs = [event["seq"] for connection in client.connections for event in connection.events]
        assert seqs == list(range(since + 1, last_seq + 1)), f"seqs {seqs}: {where}"
        assert sorted(client.published) == sorted(expected), where
        assert len(client.published) == len(set(client.published)), where

    for client in watchers_b:
        servers = [connection.server for connection in client.connections]
        assert servers[0] == "B" and servers[-1] == "A", client.describe()
