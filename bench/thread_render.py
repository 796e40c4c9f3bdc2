"""Server time to render a thread page, and its SQL query count, at 100, 1,000 and 5,000
contributions.

Run from the project root (after `make install`; the tests package is not needed, the data
comes from bench/threads.py):

    .venv/bin/python bench/thread_render.py [--runs 7] [--sizes 100 1000 5000]

It builds a throwaway SQLite database in a temporary directory (migrations, a translated site,
one open consultation per size with a thread of that many published contributions, a third
top-level and the rest replies at depths 2 and 3), then requests the consultation page through
the whole Django stack (middleware, Wagtail routing, templates) as an anonymous reader and as a
signed-in citizen with reactions, and prints the median, min and max wall time of several runs
and the number of queries. Aim (issue 4): 1,000 contributions under 150 ms on a
laptop-class core.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="majlis-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    print(f"Building the database in {tmp} …", flush=True)
    call_command("migrate", verbosity=0)

    import datetime
    import uuid

    from django.utils import timezone

    from accounts.models import User
    from bench.threads import section_draft, site_build, thread_fill
    from consultations.models import ConsultationPage
    from deliberation.services import thread_for_page

    institution = site_build()
    authors = [
        User.objects.create_user(f"author{i}@bench.tn", "x" * 12, display_name=f"مواطن {i}")
        for i in range(25)
    ]
    reader = User.objects.create_user("reader@bench.tn", "x" * 12, display_name="Reader")
    now = timezone.now()

    rows = []
    for size in args.sizes:
        page = institution.add_child(
            instance=ConsultationPage(
                title=f"Thread of {size}",
                slug=f"bench-{size}-{uuid.uuid4().hex[:6]}",
                summary="Benchmark",
                opens_at=now - datetime.timedelta(days=10),
                closes_at=now + datetime.timedelta(days=10),
                draft=section_draft("Section", "Text."),
            )
        )
        page.save_revision().publish()
        thread = thread_for_page(page=page)
        started = time.perf_counter()
        thread_fill(thread, count=size, authors=authors, reactors=[reader])
        print(f"  {size:>5} contributions built in {time.perf_counter() - started:.1f} s", flush=True)
        url = page.url
        for label, user in (("anonymous", None), ("signed in", reader)):
            client = Client()
            if user:
                client.force_login(user)
            client.get(url)  # warm up: template loading, URL resolver, caches
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            rows.append(
                (size, label, statistics.median(times), min(times), max(times), len(queries),
                 len(response.content) // 1024)
            )

    print()
    print(f"Thread page render (median of {args.runs} runs, Python {sys.version.split()[0]}, SQLite)")
    print(f"{'contributions':>13}  {'reader':<10} {'median ms':>9} {'min':>7} {'max':>7} {'queries':>7} {'KiB':>6}")
    for size, label, median, low, high, n, kib in rows:
        print(f"{size:>13}  {label:<10} {median:>9.1f} {low:>7.1f} {high:>7.1f} {n:>7} {kib:>6}")


if __name__ == "__main__":
    main()
