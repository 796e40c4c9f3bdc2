"""Fixtures shared by the whole suite.

The settings are the real ones (config.settings, driven by the environment, so CI runs the
suite on SQLite and again on PostgreSQL + Redis); only slow parts are swapped here.
"""

import asyncio
import datetime
import io
import os
import shutil
import tempfile
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone

from cms.services import locales_ensure
from accounts.ratelimits import limiter_reset
from tests.factories import (
    ConsultationPageFactory,
    FlagFactory,
    InstitutionPageFactory,
    ReactionFactory,
    UserFactory,
)
from consultations.models import ConsultationPage
from tests.pages import build_site, draft
from tests.snapshots import rows_changes, rows_replay, rows_snapshot


def _worker_redis_url(url: str, worker: str) -> str:
    """``url`` with the Redis database of pytest-xdist's ``worker`` (gw0: the URL's own, gw1:
    the next…): the workers share the machine's Redis, and each test clears its cache, its
    rate-limit counters and its channel layer's queues."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + int(worker.removeprefix('gw'))}"))


def _scopes_in_order(nodeids: list[str]) -> dict[str, str]:
    """Each test's unit of work for pytest-xdist: its file, and which run of that file's tests
    it is in the collected order. pytest-django orders the tests as Django does (those rolled
    back in a transaction first, then the transactional ones, whose teardown empties the
    database, then those without one); a file with both kinds is two runs, sent in that order."""
    scopes: dict[str, str] = {}
    runs: dict[str, int] = {}
    previous = None
    for nodeid in nodeids:
        file = nodeid.split("::", 1)[0]
        if file != previous:
            runs[file] = runs.get(file, -1) + 1
            previous = file
        scopes[nodeid] = f"{file}#{runs[file]}"
    return scopes


def pytest_xdist_make_scheduler(config, log):
    """The suite runs on every core (``make test``: ``-n``), each worker with its own database,
    Redis database (``_worker_redis_url``) and Chromium. The session's fixtures (the demo, the
    signed sample) and the modules' sites are built in a database no transactional test has
    emptied yet, as in a run on one core: each worker takes the units of work in the collected
    order (no reordering by size), a file at a time so its module fixtures are built once."""
    from xdist.scheduler import LoadFileScheduling

    class InOrder(LoadFileScheduling):
        _scopes: dict[str, str] | None = None

        def schedule(self):
            if self.collection_is_completed and self._scopes is None:
                self._scopes = _scopes_in_order(list(next(iter(self.registered_collections.values()))))
            super().schedule()

        def _split_scope(self, nodeid):
            return (self._scopes or {}).get(nodeid) or super()._split_scope(nodeid)

    config.option.loadscopereorder = False
    return InOrder(config, log)


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker and settings.REDIS_URL:  # read lazily: nothing has connected yet
        url = _worker_redis_url(settings.REDIS_URL, worker)
        settings.REDIS_URL = url
        settings.CACHES["default"]["LOCATION"] = url
        settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]["address"] = url
    # Consumers reach the database from worker threads; persistent connections there would
    # outlive the test database and block its teardown on PostgreSQL.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # A file, not SQLite's shared-cache memory database: concurrent writers then wait for
        # the lock (BEGIN IMMEDIATE, 20 s timeout) as in production, so the race tests run
        # here as well as on PostgreSQL.
        name = os.path.join(tempfile.gettempdir(), f"majlis-test-{os.getpid()}.sqlite3")
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name
    # Signing keys (the demo CA that seed_demo makes), CRLs and signed PDFs in a folder of the
    # session, never the project's var/ and private/ (tests/signatures sets its own per test).
    signing = tempfile.mkdtemp(prefix="majlis-signing-")
    config._majlis_signing_dir = signing
    settings.SIGNATURES_KEY_DIR = os.path.join(signing, "keys")
    settings.SIGNATURES_CRL_DIR = os.path.join(signing, "crls")
    settings.SIGNATURES_DOCUMENTS_ROOT = os.path.join(signing, "documents")
    # Ideas' attachments too (tests/citizen_ideas sets its own per test where it counts them).
    settings.CITIZEN_IDEAS_ATTACHMENTS_ROOT = os.path.join(signing, "ideas")


def pytest_unconfigure(config):
    signing = getattr(config, "_majlis_signing_dir", None)
    if signing:
        shutil.rmtree(signing, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    limiter_reset()
    yield
    cache.clear()
    limiter_reset()


@pytest.fixture(scope="session")
def _demo_build(django_db_setup, django_db_blocker):
    """``seed_demo`` run once for the session: what it printed, and the rows it wrote.

    It runs in a transaction rolled back at once (the database stays as the migrations left
    it); the modules that ask for ``demo`` replay the rows.
    """
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        before = rows_snapshot()
        call_command("seed_demo", stdout=out)
        changes = rows_changes(before, rows_snapshot())
        transaction.set_rollback(True)
    return out.getvalue(), changes


@pytest.fixture(scope="module")
def demo(_demo_build, django_db_blocker):
    """The ``seed_demo`` site for the module that asks for it; returns what the command printed.

    Its rows are replayed (a fraction of the command's time) inside a transaction rolled back
    after the module's last test, so each test of the module reads it (and writes in its own
    savepoint, as usual) and the next module starts from an empty database.
    """
    out, changes = _demo_build
    with django_db_blocker.unblock(), transaction.atomic():
        rows_replay(changes)
        yield out
        transaction.set_rollback(True)


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def institution_page_factory(db):
    return InstitutionPageFactory


@pytest.fixture
def consultation_page_factory(db):
    return ConsultationPageFactory


@pytest.fixture
def reaction_factory(db):
    return ReactionFactory


@pytest.fixture
def flag_factory(db):
    return FlagFactory


@pytest.fixture
def citizen(db):
    return UserFactory(display_name="Amira", preferred_language="ar")


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True, display_name="Admin")


@pytest.fixture
def locales(db):
    return locales_ensure()


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.fixture(scope="module")
def _module_site(request, django_db_setup, django_db_blocker):
    """The test site, built once for a module whose tests all run in transactions rolled back
    after each of them (``db``), inside an outer transaction rolled back after the module, like
    Django's ``TestCase.setUpTestData``. A module with a transactional test gets None: its
    tests build the site each time (their data must be committed for other threads to see it).
    """
    module_items = [item for item in request.session.items if item.module is request.module]
    if any(_transactional(item) for item in module_items):
        yield None
        return
    with django_db_blocker.unblock(), transaction.atomic():
        locales_ensure()
        yield build_site()
        transaction.set_rollback(True)


@pytest.fixture
def site(request, _module_site, locales):
    """A home page per language, one institution with one policy page and an about page,
    each translated into ar, fr and en (Arabic is the source).

    Built once per module where it can be (``_module_site``); each test gets fresh instances
    read from the database, so what one test changes on them never reaches the next.
    """
    if _module_site is None:
        return build_site()
    return {
        key: {code: page.specific_class.objects.get(pk=page.pk) for code, page in pages.items()}
        for key, pages in _module_site.items()
    }


@pytest.fixture
def make_consultation(site):
    """A live consultation under the test institution (French by default)."""

    def make(
        *,
        language="fr",
        slug=None,
        opens_in=-1,
        closes_in=10,
        sections=(("Principes", "Le texte."), ("Priorités", "L'eau d'abord.")),
        topics=("eau",),
        **fields,
    ) -> ConsultationPage:
        now = timezone.now()
        parent = site["institution"][language].specific_class.objects.get(
            pk=site["institution"][language].pk
        )
        page = parent.add_child(
            instance=ConsultationPage(
                title=fields.pop("title", "Projet de code"),
                slug=slug or f"c-{uuid.uuid4().hex[:8]}",
                summary=fields.pop("summary", "Un résumé."),
                opens_at=now + datetime.timedelta(days=opens_in),
                closes_at=now + datetime.timedelta(days=closes_in),
                draft=draft(*sections),
                **fields,
            )
        )
        page.topics.set(list(topics))
        page.save_revision().publish()
        return ConsultationPage.objects.get(pk=page.pk)

    return make


@pytest.fixture
def thread(make_consultation):
    """The whole-consultation thread of an open, post-moderated French consultation."""
    from deliberation.services import thread_for_page

    return thread_for_page(page=make_consultation())


@pytest.fixture
def trusted_citizen(citizen, settings):
    """A citizen past the newcomers' pre-moderation (it is switched off)."""
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    return citizen


@pytest.fixture
def moderator_of(db):
    """A staff account in the moderators group of the given institution page."""
    from django.contrib.auth.models import Group

    from cms.services import moderators_group_name

    def make(institution, **fields):
        group, _ = Group.objects.get_or_create(name=moderators_group_name(institution))
        user = UserFactory(is_staff=True, **fields)
        user.groups.add(group)
        return user

    return make


@pytest.fixture
def post(db):
    """Post through the service with a fresh idempotency key: post(author, thread, body, **kw)."""
    from deliberation.services import contribution_post

    def make(author, thread, body="Un avis argumenté.", **kwargs):
        kwargs.setdefault("idempotency_key", uuid.uuid4())
        kwargs.setdefault("language", "fr")
        if "parent" in kwargs:
            parent = kwargs.pop("parent")
            kwargs["parent_id"] = parent.pk if parent is not None else None
        return contribution_post(author=author, thread=thread, body=body, **kwargs).contribution

    return make


@pytest.fixture
def make_outcome(db):
    """An outcome under ``consultation`` with responses, published unless told otherwise.

    make_outcome(consultation, responses=[{"theme": …, "status": …, "contributions": [c, …],
    "section_ids": […]}, …], publish=True) -> OutcomePage
    """
    from consultations.models import OutcomePage, OutcomeResponse

    def make(consultation, *, responses=None, publish=True, title="Ce que nous avons entendu"):
        outcome = OutcomePage(
            title=title,
            slug=f"o-{uuid.uuid4().hex[:8]}",
            what_we_heard="<p>Beaucoup d'avis sur l'eau.</p>",
            live=publish,
        )
        for number, spec in enumerate(responses or [{"theme": "Eau"}]):
            response = OutcomeResponse(
                theme=spec.get("theme", f"Thème {number}"),
                status=spec.get("status", "adopted"),
                heard=spec.get("heard", "Vous avez demandé plus de fontaines."),
                reasoning=spec.get("reasoning", "<p>Nous en ajoutons dix.</p>"),
                section_ids=spec.get("section_ids", []),
                sort_order=number,
            )
            response.contributions = list(spec.get("contributions", []))
            outcome.responses.add(response)
        consultation.add_child(instance=outcome)
        revision = outcome.save_revision()
        if publish:
            revision.publish()
        return OutcomePage.objects.get(pk=outcome.pk)

    return make


@pytest.fixture
def make_decision(db):
    """A decision under ``outcome``: make_decision(outcome, milestones=[("proposed", date)],
    contributions=[…], responses=[…], publish=True) -> DecisionPage."""
    from consultations.models import DecisionMilestone, DecisionPage

    def make(outcome, *, milestones=None, contributions=(), responses=(), publish=True, **fields):
        decision = DecisionPage(
            title=fields.pop("title", "Arrêté municipal sur les fontaines"),
            slug=fields.pop("slug", f"d-{uuid.uuid4().hex[:8]}"),
            summary=fields.pop("summary", "Dix fontaines publiques."),
            live=publish,
            **fields,
        )
        for number, (status, date) in enumerate(
            milestones or [("proposed", datetime.date(2026, 6, 1))]
        ):
            decision.milestones.add(DecisionMilestone(status=status, date=date, sort_order=number))
        decision.contributions = list(contributions)
        decision.responses = list(responses)
        outcome.add_child(instance=decision)
        revision = decision.save_revision()
        if publish:
            revision.publish()
        return DecisionPage.objects.get(pk=decision.pk)

    return make


@pytest.fixture(scope="session")
def _chromium():
    """Debian's Chromium through Playwright, launched once for the session, and the event loop
    Playwright's sync API left marked as running in this thread (see ``browser``)."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    if not os.path.exists(chromium):
        pytest.fail(f"Chromium not found at {chromium}: `make test` installs it (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        loop = asyncio._get_running_loop()
        asyncio._set_running_loop(None)
        yield browser, loop
        asyncio._set_running_loop(loop)
        browser.close()


@pytest.fixture
def browser(_chromium, monkeypatch):
    """The session's Chromium, for one test.

    Playwright's sync API runs its event loop in this thread, which then counts as running an
    event loop: Django refuses ORM calls there and pytest-asyncio cannot start its own. The loop
    is marked as running during the browser tests only (it is cleared between them), and the
    tests' own ORM calls beside it need Django's async-safety check off, for these tests only
    (check --deploy refuses it).
    """
    browser, loop = _chromium
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    asyncio._set_running_loop(loop)
    try:
        yield browser
    finally:
        # The ORM calls made while the loop is marked running got connections of their own
        # (Django's are per context, through asgiref's Local), which nothing else closes: left
        # open, one stays checked out of the pool for the rest of the session, and on
        # PostgreSQL the restore tests count it as a server still connected.
        connections.close_all()
        asyncio._set_running_loop(None)
