"""PostgreSQL connections stay bounded under daphne (README, "Operations").

Under ASGI each request runs in a thread of its own; with persistent connections every one of
them left a connection open after its thread ended, until PostgreSQL refused new clients. A
daphne process now borrows from a pool of ``DATABASE_POOL_MAX_SIZE`` connections.

PostgreSQL only: SQLite has no server connections to count (CI's PostgreSQL pass runs it).
"""

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

from tests.deliberation.servers import daphne_server

POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(not POSTGRESQL, reason="counts PostgreSQL server connections"),
    pytest.mark.django_db(transaction=True),
]

POOL_MAX = 4
SLACK = 2  # connections outside the pool a process may hold for a moment
REQUESTS = 200
AT_ONCE = 20
APPLICATION = "majlis-pool-test"


def server_connections() -> int:
    """Connections the daphne process holds to the test database (active or idle)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = %s",
            [APPLICATION],
        )
        return cursor.fetchone()[0]


def test_many_requests_on_one_daphne_process_hold_at_most_the_pool():
    from tests.deliberation.servers import database_url_for_tests

    env = {
        "DATABASE_URL": database_url_for_tests() + f"?application_name={APPLICATION}",
        "DATABASE_POOL_MAX_SIZE": str(POOL_MAX),
    }
    with daphne_server(env_extra=env) as server:
        url = server.url("/api/consultations/")

        def get(_):
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status

        counts = []
        done = threading.Event()

        def watch():
            from django.db import connections

            try:
                while not done.is_set():
                    counts.append(server_connections())
                    done.wait(0.05)
            finally:
                connections.close_all()

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            with ThreadPoolExecutor(AT_ONCE) as pool:
                statuses = list(pool.map(get, range(REQUESTS)))
        finally:
            done.set()
            watcher.join()
        assert statuses == [200] * REQUESTS
        # Every request's thread has ended: what is left open is the pool, nothing more.
        deadline, pause = time.monotonic() + 5, threading.Event()
        while (left := server_connections()) > POOL_MAX and time.monotonic() < deadline:
            pause.wait(0.1)
        assert max(counts) <= POOL_MAX + SLACK, f"peak {max(counts)} connections"
        assert left <= POOL_MAX, f"{left} connections left open after the requests"
