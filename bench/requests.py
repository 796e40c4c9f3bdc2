"""Server time and SQL query count of the officer's request queue, a request's admin page and
the citizen's page of their request, with 1,000 and 100,000 requests in the database.

Run from the project root (after `make install`; the tests package is not needed, the data
comes from bench/threads.py and bench/requests_data.py):

    .venv/bin/python bench/requests.py [--runs 7] [--sizes 1000 100000] [--explain]

It builds a throwaway SQLite database in a temporary directory (migrations, a translated site,
two request desks, an officer of the first, fifty citizens), then fills it up to each size in
turn with requests inserted in bulk (valid unique tracking numbers; five kinds; every stage,
the requests older than two months mostly finished; deadlines of 15 to 60 days, so thousands
overdue; a "filed" event each and an "assigned" one for those past the reception) and one
complaint of the measured citizen with six events and two attachments. Each page is requested
through the whole Django stack (middleware, Wagtail admin, templates) with the test client,
signed in (`force_login`): the queue as it opens (open requests, nearest deadline first, 50 a
page), the queue filtered (complaints, overdue only), the request's admin page (as the
officer), and the request's page as its author sees it. It prints the median, min and max
wall time of several runs, the number of queries, which must not grow with the number of
requests, and the rows a queue page lists (50 at most). `--explain` prints, for the largest
size, each page's three slowest queries with SQLite's EXPLAIN QUERY PLAN.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is named like the `requests` library: keep its directory off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))


def _pages(site) -> list[tuple[str, object, str]]:
    number = site.measured.tracking_number
    return [
        ("queue", site.officer, "/admin/requests/"),
        ("queue: complaints, overdue", site.officer, "/admin/requests/?kind=complaint&overdue=on"),
        ("request's admin page", site.officer, f"/admin/requests/{number}/"),
        ("citizen's request page", site.citizen, f"/ar/requests/{number}/"),
    ]


def _measure(client, url: str, runs: int) -> tuple[list[float], list[dict], int]:
    from django.db import connection  # noqa: PLC0415 — after django.setup()
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 — after django.setup()

    response = client.get(url)  # warm up: templates, URL resolvers, caches
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    listed = response.content.count(b"data-tracking-number=")  # the queue's rows
    return times, list(queries.captured_queries), listed


def _sql_ms(cursor, sql: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        cursor.execute(sql)
        cursor.fetchall()
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def _explain(label: str, queries: list[dict]) -> None:
    """Each SELECT of the page run again on its own (best of 3); the three slowest with their
    plans."""
    from django.db import connection  # noqa: PLC0415 — after django.setup()

    print(f"\n{label}: the three slowest of {len(queries)} queries")
    with connection.cursor() as cursor:
        timed = [(_sql_ms(cursor, q["sql"]), q["sql"]) for q in queries if q["sql"].startswith("SELECT")]
        for ms, sql in sorted(timed, reverse=True)[:3]:
            print(f"  {ms:.2f} ms  {sql[:300]}")
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            for row in cursor.fetchall():
                print(f"      {row[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--explain", action="store_true", help="query plans of the slowest queries")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="majlis-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 — the settings need the environment above

    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import setup_test_environment  # noqa: PLC0415

    from bench.requests_data import measured_request, requests_fill, requests_site_build  # noqa: PLC0415
    from bench.threads import site_build  # noqa: PLC0415

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    settings.CITIZEN_REQUESTS_ATTACHMENTS_ROOT = f"{tmp}/attachments"
    print(f"Building the database in {tmp} …", flush=True)
    call_command("migrate", verbosity=0)
    site = requests_site_build(site_build())

    rows, filled = [], 0
    for size in sorted(args.sizes):
        started = time.perf_counter()
        if site.measured is None:
            measured_request(site)
            filled = 1
        requests_fill(site, count=size - filled)
        filled = size
        print(f"  {size:>7} requests built in {time.perf_counter() - started:.1f} s", flush=True)
        for label, user, url in _pages(site):
            client = Client()
            client.force_login(user)
            times, queries, listed = _measure(client, url, args.runs)
            rows.append((size, label, statistics.median(times), min(times), max(times), len(queries),
                         listed or ""))
            if args.explain and size == max(args.sizes):
                _explain(label, queries)

    print()
    print(f"Requests pages (median of {args.runs} runs, Python {sys.version.split()[0]}, SQLite)")
    print(f"{'requests':>8}  {'page':<27} {'median ms':>9} {'min':>7} {'max':>7} {'queries':>7} {'rows':>4}")
    for size, label, median, low, high, n, listed in rows:
        print(f"{size:>8}  {label:<27} {median:>9.1f} {low:>7.1f} {high:>7.1f} {n:>7} {listed:>4}")


if __name__ == "__main__":
    main()
