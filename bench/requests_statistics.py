"""Server time and SQL query count of the public statistics of requests — the dashboard (the
site's and an institution's), its API and its CSV — with 1,000 and 100,000 requests in the
database; and the time the figures take to count when the cache has just been invalidated.

Run from the project root (after `make install`; the data comes from bench/threads.py and
bench/requests_data.py, not the tests package):

    .venv/bin/python bench/requests_statistics.py [--runs 7] [--sizes 1000 100000] [--desks 30 400]

It builds a throwaway SQLite database in a temporary directory (as bench/requests.py: two
request desks, 80 % of the requests at the first, every stage, deadlines of 15 to 60 days),
fills it up to each size in turn, and for each size prints:

- "count (cache invalidated)": ``statistics_compute`` alone — its seven queries, the
  suppression and the figures of every scope — median of the runs;
- each page through the whole Django stack with the test client (anonymous), the figures
  cached as they are between two changes: median, min and max wall time, and the number of
  queries, which must not grow with the number of requests;
- "page after a change": the site's dashboard right after a request changed (the cache
  invalidated), i.e. counting and rendering together.

``--desks`` adds a second table: small-number suppression alone (``cms.disclosure``) on
synthetic tables of that many institutions × 24 months × 5 kinds × 7 stages holding 100,000
requests spread as institutions' sizes are (a few large, many small: 1/rank), where small
counts abound.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/requests.py is named like the `requests` library: keep this directory off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))


def _pages(site) -> list[tuple[str, str]]:
    code = site.desk.code
    return [
        ("site dashboard", "/ar/requests/statistics/"),
        ("institution dashboard", f"/ar/requests/statistics/{code}/"),
        ("API, institution", f"/api/requests/statistics/{code}/"),
        ("CSV, every institution", "/fr/requests/open-data/statistics.csv"),
    ]


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def _measure(client, url: str, runs: int) -> tuple[list[float], int]:
    from django.db import connection  # noqa: PLC0415 — after django.setup()
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 — after django.setup()

    _get(client, url)  # warm up: templates, URL resolvers, the figures' cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        _get(client, url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return times, len(queries.captured_queries)


def _cold(runs: int) -> tuple[list[float], int]:
    from django.db import connection  # noqa: PLC0415 — after django.setup()
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 — after django.setup()
    from django.utils import timezone  # noqa: PLC0415 — after django.setup()

    from citizen_requests.statistics import statistics_compute  # noqa: PLC0415

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        statistics_compute(now=timezone.now())
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        statistics_compute(now=timezone.now())
    return times, len(queries.captured_queries)


def _after_change(client, runs: int) -> tuple[list[float], int]:
    from django.db import connection  # noqa: PLC0415 — after django.setup()
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 — after django.setup()

    from citizen_requests.statistics import statistics_invalidate  # noqa: PLC0415

    times = []
    for _ in range(runs):
        statistics_invalidate()
        started = time.perf_counter()
        _get(client, "/ar/requests/statistics/")
        times.append((time.perf_counter() - started) * 1000)
    statistics_invalidate()
    with CaptureQueriesContext(connection) as queries:
        _get(client, "/ar/requests/statistics/")
    return times, len(queries.captured_queries)


def _suppression(desks: int, runs: int) -> tuple[list[float], int, int, int]:
    """Suppression alone on a synthetic table: (times, cells hidden, of which withheld, loose)."""
    from cms.disclosure import table_suppress  # noqa: PLC0415 — after django.setup()

    rng = random.Random(desks)
    ids = list(range(desks))
    months = [f"{2024 + m // 12}-{m % 12 + 1:02d}" for m in range(24)]
    kinds, stages = list("ABCDE"), list("1234567")
    counts: dict = {}
    for desk in rng.choices(ids, [1 / (rank + 1) for rank in ids], k=100_000):
        key = (desk, rng.choice(months), rng.choice(kinds), rng.choice(stages))
        counts[key] = counts.get(key, 0) + 1
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        table = table_suppress([ids, months, kinds, stages], counts)
        times.append((time.perf_counter() - started) * 1000)
    withheld = sum(1 for status in table.statuses.values() if status == "complementary")
    return times, len(table.statuses), withheld, table.loose


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 100000], help="none: suppression only")
    parser.add_argument("--desks", type=int, nargs="*", default=[], help="synthetic suppression tables")
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

    from bench.requests_data import requests_fill, requests_site_build  # noqa: PLC0415
    from bench.threads import site_build  # noqa: PLC0415

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    rows = []
    if args.sizes:
        print(f"Building the database in {tmp} …", flush=True)
        call_command("migrate", verbosity=0)
        site = requests_site_build(site_build())
        filled = 0
        for size in sorted(args.sizes):
            started = time.perf_counter()
            requests_fill(site, count=size - filled)
            filled = size
            print(f"  {size:>7} requests built in {time.perf_counter() - started:.1f} s", flush=True)
            times, queries = _cold(args.runs)
            rows.append((size, "count (cache invalidated)", times, queries))
            client = Client()
            for label, url in _pages(site):
                times, queries = _measure(client, url, args.runs)
                rows.append((size, label, times, queries))
            times, queries = _after_change(client, args.runs)
            rows.append((size, "page after a change", times, queries))

        print()
        print(f"Request statistics (median of {args.runs} runs, Python {sys.version.split()[0]}, SQLite)")
        print(f"{'requests':>8}  {'what':<27} {'median ms':>9} {'min':>7} {'max':>7} {'queries':>7}")
        for size, label, times, queries in rows:
            print(
                f"{size:>8}  {label:<27} {statistics.median(times):>9.1f} {min(times):>7.1f} "
                f"{max(times):>7.1f} {queries:>7}"
            )
    if args.desks:
        print()
        print("Suppression alone, 100,000 requests in institutions × 24 months × 5 kinds × 7 stages")
        print(f"{'institutions':>12}  {'median ms':>9} {'hidden':>7} {'withheld':>8} {'loose':>5}")
        for desks in args.desks:
            times, hidden, withheld, loose = _suppression(desks, min(args.runs, 3))
            print(f"{desks:>12}  {statistics.median(times):>9.1f} {hidden:>7} {withheld:>8} {loose:>5}")


if __name__ == "__main__":
    main()
