"""Real server processes for tests: a private redis-server and daphne processes.

Context managers (and two fixtures) for tests that need the stack as it runs in production,
several processes talking through Redis, rather than the in-process ASGI application:

    with redis_server() as redis, daphne_server(env_extra={"REDIS_URL": redis.url}) as a:
        async with ws_connect(a.ws_url("/ws/health/"), cookie=session_cookie(user)) as ws:
            ...

The daphne processes read Django settings from the environment only (never pytest's
``settings`` fixture): they get ``DATABASE_URL`` pointing at the test database of the running
test, which must commit what they should see (``pytest.mark.django_db(transaction=True)``).
Each process writes its output to a temporary file (shown when it fails to start, and by
``.log()``), never to a pipe that could fill up and block it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30  # seconds for a process to answer


def free_port() -> int:
    """A TCP port nobody listens on now (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, limit: int = 6000) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return text[-limit:]


def _end(process: subprocess.Popen | None, sig: int, timeout: float = 10) -> None:
    """Send ``sig`` to ``process`` (one we started) and reap it; SIGKILL if it lingers."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(timeout=timeout)


# --- Redis ------------------------------------------------------------------------------


class RedisServer:
    """A redis-server of our own on a free port: no persistence, localhost only."""

    def __init__(self, workdir: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed: apt-get install redis-server")
        self.binary = binary
        self.workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = workdir / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start (again) on the same port and wait until it answers PING."""
        if self.running:
            return
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--port", str(self.port),
                    "--bind", "127.0.0.1",
                    "--save", "",
                    "--appendonly", "no",
                    "--daemonize", "no",
                    "--dir", str(self.workdir),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.workdir,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"redis-server on port {self.port} exited with {self.process.returncode}:\n"
                    + _tail(self.log_path)
                )
            if self.ping():
                return
            time.sleep(0.05)
        self.stop()
        pytest.fail(f"redis-server on port {self.port} did not answer PING:\n" + _tail(self.log_path))

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM, and wait until it has exited."""
        _end(self.process, signal.SIGTERM)

    def log(self) -> str:
        return _tail(self.log_path)


@contextlib.contextmanager
def redis_server():
    """A private redis-server (never the machine's on 6379); stopped at exit."""
    with tempfile.TemporaryDirectory(prefix="majlis-redis-") as workdir:
        server = RedisServer(Path(workdir))
        try:
            server.start()
            yield server
        finally:
            server.stop()


# --- daphne -----------------------------------------------------------------------------


def database_url_for_tests() -> str:
    """``DATABASE_URL`` for the database the running test uses (the test database)."""
    from django.db import connection

    settings = connection.settings_dict
    engine = settings["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        name = str(settings["NAME"])
        if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
            pytest.fail(
                "The test database is an in-memory SQLite database, which other processes "
                "cannot open: give it a file name (tests/conftest.py does)."
            )
        return "sqlite:///" + quote(os.path.abspath(name))  # sqlite:////abs/path
    if engine in ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"):
        user = quote(settings.get("USER") or "", safe="")
        password = quote(settings.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings.get("HOST") or "127.0.0.1"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{quote(settings['NAME'], safe='')}"
    pytest.fail(f"No DATABASE_URL for the database engine {engine}")


class DaphneServer:
    """A daphne process serving config.asgi:application on 127.0.0.1 and a free port."""

    def __init__(self, env: dict[str, str], workdir: Path, name: str = "daphne"):
        self.env = env
        self.port = free_port()
        self.name = name
        self.log_path = workdir / f"{name}-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        daphne = Path(sys.executable).parent / "daphne"
        program = [str(daphne)] if daphne.exists() else [sys.executable, "-m", "daphne"]
        return [*program, "-b", "127.0.0.1", "-p", str(self.port), "config.asgi:application"]

    def start(self) -> None:
        """Launch the process (``wait_ready`` waits until it answers)."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Until an HTTP GET of / answers (any status)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"{self.name} (port {self.port}) exited with {self.process.returncode}:\n"
                    + self.log()
                )
            try:
                with urllib.request.urlopen(self.url("/"), timeout=5):
                    return
            except urllib.error.HTTPError:
                return  # it answered
            except OSError:
                time.sleep(0.1)
        self.kill()
        pytest.fail(f"{self.name} (port {self.port}) did not answer in {timeout} s:\n" + self.log())

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def ws_url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL (``kill -9``): the process dies without closing its sockets cleanly."""
        _end(self.process, signal.SIGKILL)

    def stop(self) -> None:
        """SIGTERM: daphne closes its sockets and exits."""
        _end(self.process, signal.SIGTERM)

    def log(self) -> str:
        return _tail(self.log_path)


def daphne_env(env_extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment, pointed at the test database, plus ``env_extra``.

    ``REDIS_URL`` is not inherited (the process would share the machine's Redis): pass it in
    ``env_extra`` for the Redis channel layer, or get the in-memory one.
    """
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="test",
        DATABASE_URL=database_url_for_tests(),
        PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])),
    )
    env.update(env_extra or {})
    return env


@contextlib.contextmanager
def daphne_servers(count: int, *, env_extra: dict[str, str] | None = None):
    """``count`` daphne processes started together (they take a few seconds each to boot);
    each is killed at exit."""
    env = daphne_env(env_extra)
    with tempfile.TemporaryDirectory(prefix="majlis-daphne-") as workdir:
        servers = [DaphneServer(env, Path(workdir), name=f"daphne-{i}") for i in range(count)]
        try:
            for server in servers:
                server.start()
            for server in servers:
                server.wait_ready()
            yield servers
        finally:
            for server in servers:
                server.kill()


@contextlib.contextmanager
def daphne_server(*, env_extra: dict[str, str] | None = None):
    """One daphne process on a free port; killed at exit."""
    with daphne_servers(1, env_extra=env_extra) as (server,):
        yield server


# --- Clients ----------------------------------------------------------------------------


def session_cookie(user) -> str:
    """A ``Cookie`` header value signing ``user`` in (the session is stored in the database,
    so the daphne processes accept it)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def ws_connect(url: str, *, cookie: str | None = None, **kwargs):
    """A websockets (asyncio) client connection to ``url`` with the browser's headers: the
    ``Origin`` of the server itself, and ``cookie`` if given. Use as ``async with`` or await.
    """
    from websockets.asyncio.client import connect

    parts = urlsplit(url)
    headers = {"Cookie": cookie} if cookie else {}
    kwargs.setdefault("open_timeout", 10)
    kwargs.setdefault("close_timeout", 2)
    kwargs.setdefault("max_size", 2**22)
    kwargs.setdefault("compression", None)
    return connect(
        url,
        origin=f"http://{parts.hostname}:{parts.port}",
        additional_headers=headers,
        proxy=None,
        **kwargs,
    )
