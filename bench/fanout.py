"""Live-thread fan-out: how long one new contribution takes to reach 100 and 1,000 watching
sockets through Majlis's thread consumer, with the in-memory and the Redis channel layer, next
to the reference servers of ../shared/bench measured in the same run.

Run from the project root (after `make install`; needs `redis-server` on the PATH):

    .venv/bin/python bench/fanout.py [--sizes 100,1000] [--messages 20] [--gap 1.0] [--rounds 2]
    .venv/bin/python bench/fanout.py --quick      # smoke run: 20 and 100 sockets, 5 messages

What it does:

1. Starts a private `redis-server` on a free port (`--save "" --appendonly no`), stopped at the
   end; the machine's Redis is never used.
2. Builds a throwaway SQLite database (`migrate`, `seed_demo`), takes the open consultation's
   whole-consultation thread and signs in its superuser (moderators publish at once).
   `--db PATH` reuses a database a previous `--keep` run left.
3. For each round, starts each server in turn on a free port, measures every size, stops it:
   - raw: ../shared/bench/raw.py, plain asyncio `websockets` broadcast (run with its port
     changed): the floor of the stack on this machine;
   - hub: ../shared/bench/hub.py on daphne, a process-local hub;
   - bare memory / bare redis: ../shared/bench/bare.py on daphne, `group_send` to a group of
     every socket (the Redis run uses a copy pointed at the private Redis, read without
     redis-py 8's 5 s socket timeout: see ``reference_sources``);
   - Majlis memory / Majlis redis: `daphne config.asgi:application` with
     `DJANGO_SETTINGS_MODULE=bench.fanout_settings` (posting and frame rate limits lifted,
     nothing else changed) and `REDIS_URL` empty or the private Redis.
4. The load client (one process, like ../shared/bench/load.py) opens N listening sockets and
   one sender. Majlis listeners are anonymous readers of `/ws/threads/<key>/?lang=fr`, with
   the Origin header a browser sends; each waits for `thread.hello`. The sender is the signed-in
   superuser, sending `contribution.post` frames; reference senders send a JSON frame of
   `--ref-bytes` bytes (about the size of Majlis's `contribution.published` frame, printed).
   One uncounted warm-up message, then `--messages` messages `--gap` seconds apart. For each, the
   time from the sender's send to the LAST listener receiving it (Majlis: the
   `contribution.published` frame whose `id` the poster's `ack` names).
5. Prints a markdown table (p50 and p99 over the messages of every round, deliveries lost, p50
   over the raw floor's p50 at the same size, and the p50 of the time between the first and the
   last listener receiving a message: the socket writes, without the work before them — the
   post, and on daphne the queueing of every socket's send, which ends before the first write)
   and whether the target holds: Majlis's p50 at the
   largest size within 1.5× of the raw floor measured in the same run, and nothing lost
   (exit status 1 when it does not).

Options for finding where the time goes: `--profile DIR` runs py-spy (`.venv/bin/pip install
py-spy`, not a project dependency) on each server at the largest size while the messages go out
and prints the CPU per message by part of the path; `--servers …,hub-uvicorn,
majlis-memory-uvicorn --uvicorn-path DIR` adds the same servers on uvicorn (`pip install
--target DIR uvicorn`), to tell daphne's share from the application's.

"lost" counts deliveries (message × listener) that had not arrived `--deadline` seconds after
the last message was sent. Majlis listeners also check that `seq` goes up by one from the
`thread.hello` on (a gap or duplicate is reported). The machine is shared and has few cores:
absolute times move from run to run; compare rows of one run.
"""

import argparse
import asyncio
import io
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MAJLIS_SHARED_BENCH", ROOT.parent / "shared" / "bench"))
VENV_BIN = Path(sys.executable).parent
TARGET_RATIO = 1.5

SERVERS = {
    # key: (row label, kind)
    "raw": ("raw websockets (raw.py)", "ref"),
    "hub": ("Channels hub, in-memory (hub.py)", "ref"),
    "bare-memory": ("Channels group_send, in-memory (bare.py)", "ref"),
    "bare-redis": ("Channels group_send, Redis (bare.py)", "ref"),
    "majlis-memory": ("**Majlis thread consumer, in-memory**", "majlis"),
    "majlis-redis": ("**Majlis thread consumer, Redis**", "majlis"),
    # Not run unless named in --servers: the same on uvicorn (needs --uvicorn-path or uvicorn
    # importable), to tell daphne's share of the cost from the application's.
    "hub-uvicorn": ("Channels hub, in-memory (hub.py), uvicorn", "ref"),
    "majlis-memory-uvicorn": ("Majlis thread consumer, in-memory, uvicorn", "majlis"),
    "majlis-redis-uvicorn": ("Majlis thread consumer, Redis, uvicorn", "majlis"),
}
DEFAULT_SERVERS = ["raw", "hub", "bare-memory", "bare-redis", "majlis-memory", "majlis-redis"]


# --- Processes ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Process:
    """A server this benchmark started: its output goes to a log file; stopped by its own pid."""

    def __init__(self, name: str, argv: list[str], *, cwd: Path, env: dict, log: Path, port: int):
        self.name, self.argv, self.cwd, self.env = name, argv, cwd, env
        self.log, self.port = log, port
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        if port_open(self.port):
            raise RuntimeError(f"{self.name}: port {self.port} is already taken")
        self.log_offset = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                self.argv, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + timeout
        while not port_open(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not start; its log:\n{self.log_tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def log_digest(self) -> list[tuple[int, str]]:
        """What the server logged since it started, but for the access log and traceback
        bodies: distinct lines with their counts, most frequent first."""
        with open(self.log, "rb") as log:
            log.seek(self.log_offset)
            text = log.read().decode(errors="replace")
        counts: dict[str, int] = {}
        for line in text.splitlines():
            if (not line.strip() or line.startswith((" ", "\t")) or '"WS' in line
                    or "No directory at" in line or " INFO " in line or line.startswith((
                        "Traceback", "The above exception", "During handling"))):
                continue
            line = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ", "", line)
            counts[line[:160]] = counts.get(line[:160], 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "PYTHONPATH"}}
    env.update(extra)
    return env


def reference_sources(tmp: Path) -> Path:
    """raw.py and bare.py as they are, but for the port raw.py hard-codes and the Redis URLs
    bare.py hard-codes (the machine's Redis): copies in ``tmp``, taking both from the
    environment. hub.py is copied as it is.

    bare.py's Redis host also gets ``socket_timeout: None``: redis-py 8 reads with a 5 s
    timeout by default, as long as channels_redis's blocking BZPOPMIN, and consumers die of
    ``TimeoutError`` (django/channels_redis#422); as shared, bare.py loses sockets here."""
    refs = tmp / "refs"
    refs.mkdir()
    raw = (SHARED / "raw.py").read_text()
    bare = (SHARED / "bare.py").read_text()
    for name, text, old, new in (
        ("raw.py", raw, "8766", 'int(__import__("os").environ["BENCH_PORT"])'),
        ("bare.py", bare, '"redis://127.0.0.1:6379/3"',
         '{"address": os.environ["BENCH_REDIS_URL"], "socket_timeout": None}'),
    ):
        if old not in text:
            raise SystemExit(f"{SHARED / name} changed: {old} is not in it any more")
        (refs / name).write_text(text.replace(old, new))
    shutil.copy(SHARED / "hub.py", refs / "hub.py")
    return refs


def server_process(key: str, *, tmp: Path, refs: Path, redis_url: str, db_url: str,
                   uvicorn_path: str = "") -> Process:
    port = free_port()
    log = tmp / f"{key}.log"
    if key.endswith("-uvicorn"):
        key = key.removesuffix("-uvicorn")
        daphne = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port),
                  "--ws", "websockets-sansio", "--log-level", "warning"]
        extra = [uvicorn_path] if uvicorn_path else []
    else:
        daphne = [str(VENV_BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port)]
        extra = []
    if key == "raw":
        return Process(key, [sys.executable, "raw.py"], cwd=refs, log=log, port=port,
                       env=clean_env(BENCH_PORT=str(port)))
    if key == "hub":
        return Process(key, daphne + ["hub:application"], cwd=refs, log=log, port=port,
                       env=clean_env(PYTHONPATH=os.pathsep.join([str(refs), *extra])))
    if key.startswith("bare-"):
        layer = key.removeprefix("bare-")
        return Process(key, daphne + ["bare:application"], cwd=refs, log=log, port=port,
                       env=clean_env(PYTHONPATH=str(refs), LAYER=layer,
                                     BENCH_REDIS_URL=f"{redis_url}/1"))
    layer_url = f"{redis_url}/0" if key == "majlis-redis" else ""
    return Process(key, daphne + ["config.asgi:application"], cwd=ROOT, log=log, port=port,
                   env=clean_env(PYTHONPATH=os.pathsep.join([str(ROOT), *extra]),
                                 DJANGO_SETTINGS_MODULE="bench.fanout_settings",
                                 DATABASE_URL=db_url, REDIS_URL=layer_url))


def redis_start(tmp: Path) -> Process:
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is not on the PATH (apt-get install redis-server)")
    port = free_port()
    proc = Process("redis", ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(tmp)],
                   cwd=tmp, env=clean_env(), log=tmp / "redis.log", port=port)
    proc.start()
    return proc


class Profiler:
    """py-spy on one server while the messages go out (not while the sockets join), written as
    collapsed stacks (``--format raw``) and summarised by ``profile_summary``."""

    def __init__(self, pid: int, out: Path):
        self.pid, self.out, self.proc = pid, out, None

    def start(self) -> None:
        pyspy = shutil.which("py-spy", path=str(VENV_BIN)) or shutil.which("py-spy")
        if not pyspy:
            raise SystemExit("--profile needs py-spy: .venv/bin/pip install py-spy")
        self.proc = subprocess.Popen(
            [pyspy, "record", "-p", str(self.pid), "-o", str(self.out), "-f", "raw", "-r", "200",
             "--function", "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


PROFILE_PARTS = [
    # (label, markers): a sample counts in the first part one of whose markers is in its stack.
    ("post: publishing on commit (render 6 variants, group_send)", ["thread_event_publish"]),
    ("post: contribution_post (checks, SQL, commit)", ["contribution_post ("]),
    ("post: rest of the worker thread (account and thread re-read, DB connection open/close)",
     ["SyncToAsync.thread_handler"]),
    ("hub: ThreadFeed.deliver (offer, one send task per socket)", ["ThreadFeed.deliver"]),
    ("per-socket send: channels session wrapper, then the server's framing and write "
     "(daphne: autobahn, buffered; uvicorn: websockets, transport.write)",
     ["InstanceSessionWrapper.send", "serverSend", "Server.handle_reply",
      "WebSocketsSansIOProtocol.send"]),
    ("daphne: twisted's deferred socket writes (doWrite)", ["doWrite"]),
    ("incoming frames (dataReceived)", ["dataReceived"]),
]


def profile_summary(path: Path, messages: int, top: int = 15) -> None:
    """Where the server's busy samples went, in parts of the path of one contribution, in ms
    of CPU per message; then the functions with the most samples of their own."""
    if not path.exists():
        print(f"  (no profile written to {path})")
        return
    total, parts, own = 0, {label: 0 for label, _ in PROFILE_PARTS}, {}
    other = "event loop, reactor and the rest"
    parts[other] = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        label = next((label for label, markers in PROFILE_PARTS
                      if any(marker in stack for marker in markers)), other)
        parts[label] += n
        leaf = stack.split(";")[-1]
        own[leaf] = own.get(leaf, 0) + n
    if not total:
        print(f"  (empty profile {path})")
        return

    def short(frame: str) -> str:
        return frame.replace(str(ROOT) + "/", "").replace(
            str(VENV_BIN.parent) + "/lib/python3.11/site-packages/", "")

    def per_message(n: int) -> str:
        return f"{n / 200 / messages * 1000:6.1f} ms"

    print(f"\nProfile {path.name} (py-spy, 200 samples/s, busy threads only, while "
          f"{messages} messages went out): {total / 200:.1f} s of CPU, "
          f"{per_message(total).strip()} per message")
    for label, n in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"  {per_message(n)}  {100 * n / total:5.1f}%  {label}")
    print(f"  functions with the most samples of their own (top {top}):")
    for frame, n in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
        print(f"    {100 * n / total:5.1f}%  {short(frame)}")


# --- The Majlis database --------------------------------------------------------------------


@dataclass
class Majlis:
    db_url: str
    key: str
    cookie: str
    title: str
    seq: int


def majlis_database(tmp: Path, reuse: str | None) -> Majlis:
    """Migrate and seed a throwaway SQLite database (or reuse one); the open consultation's
    thread key and a signed-in superuser's session cookie."""
    path = Path(reuse).resolve() if reuse else tmp / "bench.sqlite3"
    db_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = db_url
    os.environ["REDIS_URL"] = ""  # the setup uses neither Redis nor the one a .env names
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.fanout_settings"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from accounts.models import User
    from consultations.models import ConsultationPage
    from deliberation.phases import Phase
    from deliberation.services import thread_for_page

    if not reuse:
        started = time.perf_counter()
        print(f"Building the Majlis database in {path} (migrate, seed_demo) …", flush=True)
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=io.StringIO())
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    page = next(
        (p for p in ConsultationPage.objects.live().filter(locale__language_code="fr")
         .order_by("pk") if p.phase == Phase.OPEN),
        None,
    )
    if page is None:
        raise SystemExit("No open consultation in the database (seed_demo makes one)")
    thread = thread_for_page(page=page)
    poster = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if poster is None:
        raise SystemExit("No active superuser in the database (seed_demo makes admin@majlis.test)")
    client = Client()
    client.force_login(poster)
    name = settings.SESSION_COOKIE_NAME
    cookie = f"{name}={client.cookies[name].value}"
    thread.refresh_from_db()
    seq = getattr(thread, "last_seq", 0)
    connections.close_all()
    return Majlis(db_url=db_url, key=thread.key, cookie=cookie, title=page.title, seq=seq)


# --- Load client ------------------------------------------------------------------------------


@dataclass
class Sample:
    """One server × size × round."""

    latencies: list[float] = field(default_factory=list)  # ms, messages every listener got
    spreads: list[float] = field(default_factory=list)  # ms, first listener to last
    lost: int = 0  # deliveries missing at the deadline
    incomplete: int = 0  # messages some listener never got
    refused: int = 0  # posts the server refused (error frame), or never acknowledged
    seq_faults: int = 0  # Majlis: a listener saw a seq other than the last + 1
    frame_bytes: int = 0  # size of one delivered frame
    connect_s: float = 0.0
    retries: int = 0  # handshakes tried again
    closed: int = 0  # sockets whose reading ended
    closed_early: int = 0  # ... before the measure was over (the server closed them)


async def open_many(n: int, opener, batch: int, sample: "Sample") -> list:
    """Open ``n`` sockets, ``batch`` at a time; a refused handshake is tried again (daphne drops
    a socket its application has not accepted within 5 s, which a burst of joins can cause)."""

    async def open_one():
        for attempt in range(5):
            try:
                return await opener()
            except (OSError, asyncio.TimeoutError, websockets.InvalidHandshake):
                if attempt == 4:
                    raise
                sample.retries += 1
                await asyncio.sleep(0.5 * 2**attempt)

    socks = []
    for start in range(0, n, batch):
        socks += await asyncio.gather(*(open_one() for _ in range(min(batch, n - start))))
    return socks


def connector(url: str, *, origin: str | None = None, cookie: str | None = None,
              compression: str | None = None):
    async def connect():
        return await websockets.connect(
            url, origin=origin, additional_headers={"Cookie": cookie} if cookie else None,
            max_size=None, ping_interval=None, compression=compression, proxy=None,
            open_timeout=60, close_timeout=5,
        )

    return connect


async def close_all(socks: list, tasks: list) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.gather(*(ws.close() for ws in socks), return_exceptions=True)


def settle_wait(pending, deadline: float):
    async def wait():
        while pending() and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)

    return wait()


async def reading(ws, handle, sample: Sample) -> None:
    """Read every frame as it comes (from the moment the socket opens: a socket left unread
    stops answering the server's pings, and daphne closes it), timestamped on arrival."""
    try:
        async for raw in ws:
            handle(time.perf_counter(), raw)
    except websockets.ConnectionClosed:
        pass
    sample.closed += 1


async def measure_reference(url: str, n: int, args, profiler: "Profiler | None" = None) -> Sample:
    """N listeners and one sender on a broadcast server: every socket gets every frame."""
    sample = Sample()
    opener = connector(url, compression=args.compression)
    seen: list[dict[int, float]] = []
    tasks = []

    def listener(mine: dict):
        def handle(t, raw):
            k = json.loads(raw)["k"]
            if k in mine:
                sample.seq_faults += 1
            mine[k] = t
            if not sample.frame_bytes:
                sample.frame_bytes = len(raw.encode())

        return handle

    async def listen():
        ws = await opener()
        seen.append({})
        tasks.append(asyncio.create_task(reading(ws, listener(seen[-1]), sample)))
        return ws

    async def send():
        ws = await opener()
        tasks.append(asyncio.create_task(reading(ws, lambda t, raw: None, sample)))
        return ws

    started = time.perf_counter()
    listeners = await open_many(n, listen, args.connect_batch, sample)
    sender = (await open_many(1, send, 1, sample))[0]
    sample.connect_s = time.perf_counter() - started
    await asyncio.sleep(args.settle)

    if profiler:
        profiler.start()
    pad = max(0, args.ref_bytes - len(json.dumps({"k": 0, "pad": ""})))
    sent: dict[int, float] = {}
    for k in range(-args.warmup, args.messages):
        frame = json.dumps({"k": k, "pad": "x" * pad})
        sent[k] = time.perf_counter()
        await sender.send(frame)
        await asyncio.sleep(args.gap)
    counted = range(args.messages)
    await settle_wait(
        lambda: any(k not in mine for mine in seen for k in counted),
        time.perf_counter() + args.deadline,
    )
    if profiler:
        profiler.stop()
    for k in counted:
        times = [mine[k] for mine in seen if k in mine]
        if len(times) == n:
            sample.latencies.append((max(times) - sent[k]) * 1000)
            sample.spreads.append((max(times) - min(times)) * 1000)
        else:
            sample.lost += n - len(times)
            sample.incomplete += 1
    sample.closed_early = sample.closed
    await close_all(listeners + [sender], tasks)
    return sample


async def measure_majlis(url: str, n: int, args, majlis: Majlis, origin: str,
                         profiler: Profiler | None = None) -> Sample:
    """N anonymous readers and one signed-in poster on Majlis's thread socket."""
    sample = Sample()
    seen: list[dict[int, float]] = []
    tasks = []

    async def hello(ws) -> dict:
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if frame.get("type") == "thread.hello":
                return frame
            if frame.get("type") == "error":
                raise RuntimeError(f"thread socket refused: {frame}")

    def listener(mine: dict, last_seq: int):
        def handle(t, raw):
            nonlocal last_seq
            frame = json.loads(raw)
            if frame.get("type") != "contribution.published":
                return
            if frame.get("seq") != last_seq + 1:
                sample.seq_faults += 1
            last_seq = max(last_seq, frame.get("seq") or 0)
            mine[frame["id"]] = t
            if not sample.frame_bytes:
                sample.frame_bytes = len(raw.encode())

        return handle

    ids: dict[str, int] = {}
    errors: dict[str, dict] = {}

    def answers(t, raw):
        frame = json.loads(raw)
        if frame.get("type") == "ack" and frame.get("request_id"):
            ids[frame["request_id"]] = frame.get("id")
            if frame.get("status") != "published":
                errors[frame["request_id"]] = frame
        elif frame.get("type") == "error":
            errors[frame.get("request_id") or f"?{len(errors)}"] = frame

    listen_connect = connector(url, origin=origin, compression=args.compression)
    post_connect = connector(url, origin=origin, cookie=majlis.cookie, compression=args.compression)

    async def listen():
        ws = await listen_connect()
        hi = await hello(ws)
        seen.append({})
        tasks.append(asyncio.create_task(reading(ws, listener(seen[-1], hi["seq"]), sample)))
        return ws

    async def post():
        ws = await post_connect()
        await hello(ws)
        tasks.append(asyncio.create_task(reading(ws, answers, sample)))
        return ws

    started = time.perf_counter()
    listeners = await open_many(n, listen, args.connect_batch, sample)
    poster = (await open_many(1, post, 1, sample))[0]
    sample.connect_s = time.perf_counter() - started
    await asyncio.sleep(args.settle)  # thread.watchers frames (at most one a second) die down

    if profiler:
        profiler.start()
    sent: dict[str, float] = {}
    counted = []
    for k in range(-args.warmup, args.messages):
        request_id = f"w{-k}" if k < 0 else f"m{k}"
        if k >= 0:
            counted.append(request_id)
        frame = json.dumps({
            "type": "contribution.post", "request_id": request_id,
            "body": f"Fan-out benchmark, message {request_id} ({uuid.uuid4().hex[:8]}).",
            "parent": None, "idempotency_key": str(uuid.uuid4()),
        })
        sent[request_id] = time.perf_counter()
        await poster.send(frame)
        await asyncio.sleep(args.gap)

    def pending():
        return any(
            r not in errors and (r not in ids or any(ids[r] not in mine for mine in seen))
            for r in counted
        )

    await settle_wait(pending, time.perf_counter() + args.deadline)
    if profiler:
        profiler.stop()
    for r in counted:
        if r in errors or r not in ids:
            sample.refused += 1
            sample.incomplete += 1
            continue
        times = [mine[ids[r]] for mine in seen if ids[r] in mine]
        if len(times) == n:
            sample.latencies.append((max(times) - sent[r]) * 1000)
            sample.spreads.append((max(times) - min(times)) * 1000)
        else:
            sample.lost += n - len(times)
            sample.incomplete += 1
    if errors:
        first = next(iter(errors.values()))
        print(f"    ! {len(errors)} post(s) refused or held, e.g. {first}", flush=True)
    sample.closed_early = sample.closed
    await close_all(listeners + [poster], tasks)
    return sample


# --- Report -------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    """Nearest rank (p99 of 20 or 40 values is their maximum)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def fmt(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def report(results: dict, keys: list[str], sizes: list[int], args, majlis: Majlis | None) -> bool:
    def p50(key, size):
        lat = [x for s in results.get((key, size), []) for x in s.latencies]
        return statistics.median(lat) if lat else None

    print()
    print(f"Fan-out: time from sending one message to the LAST watching socket receiving it; "
          f"{args.messages} messages {args.gap:g} s apart × {args.rounds} round(s), "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load client on the same "
          f"machine.")
    print()
    print("| server | watchers | p50 ms | p99 ms | lost | p50 ÷ raw floor p50 | first→last p50 ms "
          "| p50 per round | frame bytes |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for key in keys:
        for size in sizes:
            samples = results.get((key, size), [])
            lat = [x for s in samples for x in s.latencies]
            lost = sum(s.lost for s in samples)
            refused = sum(s.refused for s in samples)
            faults = sum(s.seq_faults for s in samples)
            floor = p50("raw", size)
            mid = statistics.median(lat) if lat else None
            ratio = f"{mid / floor:.2f}×" if mid is not None and floor else "—"
            lost_text = str(lost)
            if refused:
                lost_text += f" (+{refused} refused)"
            if faults:
                lost_text += f" ({faults} seq faults)"
            rounds = " / ".join(fmt(statistics.median(s.latencies)) if s.latencies else "—"
                                for s in samples)
            frame = max((s.frame_bytes for s in samples), default=0)
            spreads = [x for s in samples for x in s.spreads]
            spread = fmt(statistics.median(spreads)) if spreads else "—"
            p99 = fmt(pct(lat, .99) if lat else None)
            print(f"| {SERVERS[key][0]} | {size:,} | {fmt(mid)} | {p99}"
                  f" | {lost_text} | {ratio} | {spread} | {rounds} | {frame:,} |")
    print()
    size = max(sizes)
    verdicts = []
    for key in ("majlis-memory", "majlis-redis"):
        if key not in keys:
            continue
        samples = results.get((key, size), [])
        mid, floor = p50(key, size), p50("raw", size)
        lossless = all(s.lost == 0 and s.refused == 0 and s.seq_faults == 0 for s in samples)
        if mid is None or floor is None:
            print(f"Target ({SERVERS[key][0].strip('*')}, {size:,} watchers): cannot tell "
                  "(no raw floor or no complete message)")
            verdicts.append(False)
            continue
        ok = mid <= TARGET_RATIO * floor and lossless
        verdicts.append(ok)
        print(f"Target ({SERVERS[key][0].strip('*')}, {size:,} watchers): p50 {mid:,.0f} ms = "
              f"{mid / floor:.2f}× the raw floor ({floor:,.0f} ms), within {TARGET_RATIO}×: "
              f"{'yes' if mid <= TARGET_RATIO * floor else 'NO'}; lossless: "
              f"{'yes' if lossless else 'NO'} → {'MET' if ok else 'MISSED'}")
    return all(verdicts)


# --- Main ---------------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="watching sockets, comma-separated")
    parser.add_argument("--messages", type=int, default=20, help="counted messages per row")
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between messages")
    parser.add_argument("--rounds", type=int, default=2,
                        help="run every row this many times (servers restarted each round)")
    parser.add_argument("--servers", default=",".join(DEFAULT_SERVERS),
                        help=f"comma-separated, among: {', '.join(SERVERS)} (default: "
                             f"{', '.join(DEFAULT_SERVERS)})")
    parser.add_argument("--uvicorn-path", default="",
                        help="a directory to import uvicorn from, for the *-uvicorn servers "
                             "(e.g. made by pip install --target DIR uvicorn)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted messages first")
    parser.add_argument("--settle", type=float, default=1.5,
                        help="seconds between the last socket joining and the first message")
    parser.add_argument("--deadline", type=float, default=30.0,
                        help="seconds after the last message after which a delivery is lost")
    parser.add_argument("--ref-bytes", type=int, default=900,
                        help="size of the reference servers' frames (Majlis's is printed)")
    parser.add_argument("--compression", choices=["none", "deflate"], default="none",
                        help="permessage-deflate offered by the client (daphne never takes it)")
    parser.add_argument("--connect-batch", type=int, default=10,
                        help="sockets opened at once while the listeners join")
    parser.add_argument("--profile", metavar="DIR",
                        help="py-spy each server at the largest size while the messages go out; "
                             "collapsed stacks in DIR, summary printed (.venv/bin/pip install "
                             "py-spy)")
    parser.add_argument("--db", help="reuse this SQLite database (made by a --keep run)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: sizes 20,100, 5 messages 0.3 s apart, one round")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.messages, args.gap, args.rounds = "20,100", 5, 0.3, 1
    args.sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    args.servers = [x.strip() for x in args.servers.split(",") if x.strip()]
    unknown = set(args.servers) - set(SERVERS)
    if unknown:
        parser.error(f"unknown server(s): {', '.join(sorted(unknown))}")
    args.compression = None if args.compression == "none" else args.compression
    return args


def main() -> int:
    args = parse_args()
    keys = [k for k in SERVERS if k in args.servers]
    began = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="majlis-fanout-"))
    print(f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"Load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"server logs in {tmp}", flush=True)
    redis = None
    running: Process | None = None
    results: dict[tuple[str, int], list[Sample]] = {}
    majlis = None
    profiles: list[Path] = []
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    try:
        refs = reference_sources(tmp)
        if any(SERVERS[k][1] == "majlis" for k in keys):
            majlis = majlis_database(tmp, args.db)
            print(f"Thread {majlis.key} ({majlis.title}), last seq {majlis.seq}", flush=True)
        if any("redis" in k for k in keys):
            redis = redis_start(tmp)
            print(f"Private redis-server on port {redis.port}", flush=True)
        redis_url = f"redis://127.0.0.1:{redis.port}" if redis else ""
        for round_ in range(1, args.rounds + 1):
            for key in keys:
                running = server_process(key, tmp=tmp, refs=refs, redis_url=redis_url,
                                         db_url=majlis.db_url if majlis else "",
                                         uvicorn_path=args.uvicorn_path)
                running.start()
                try:
                    for size in args.sizes:
                        profiler = None
                        if args.profile and size == max(args.sizes):
                            out = Path(args.profile) / f"{key}-{size}-round{round_}.txt"
                            profiler = Profiler(running.proc.pid, out)
                            profiles.append(out)
                        if SERVERS[key][1] == "majlis":
                            url = f"ws://127.0.0.1:{running.port}/ws/threads/{majlis.key}/?lang=fr"
                            origin = f"http://127.0.0.1:{running.port}"
                            sample = asyncio.run(
                                measure_majlis(url, size, args, majlis, origin, profiler))
                        else:
                            path = "/" if key == "raw" else "/ws/"
                            url = f"ws://127.0.0.1:{running.port}{path}"
                            sample = asyncio.run(measure_reference(url, size, args, profiler))
                        results.setdefault((key, size), []).append(sample)
                        mid = statistics.median(sample.latencies) if sample.latencies else None
                        print(f"  round {round_} {key:<21} {size:>5} sockets (connected in "
                              f"{sample.connect_s:.1f} s): p50 {fmt(mid)} ms, lost {sample.lost}"
                              + (f", refused {sample.refused}" if sample.refused else "")
                              + (f", handshakes retried {sample.retries}" if sample.retries else "")
                              + (f", {sample.closed_early} sockets closed by the server"
                                 if sample.closed_early else "")
                              + (f", seq faults {sample.seq_faults}" if sample.seq_faults else ""),
                              flush=True)
                        time.sleep(1)
                finally:
                    running.stop()
                    digest = running.log_digest()
                    running = None
                if digest:
                    print(f"    server log ({sum(n for _, n in digest)} lines besides access "
                          "and tracebacks):", flush=True)
                    for line, n in digest[:6]:
                        print(f"      {n:>4} × {line}", flush=True)
        met = report(results, keys, args.sizes, args, majlis)
        for path in profiles:
            profile_summary(path, args.messages + args.warmup)
        print()
        print(f"Run time {time.perf_counter() - began:.0f} s; load average after: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 0 if met else 1
    finally:
        if running:
            running.stop()
        if redis:
            redis.stop()
        if args.keep:
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
