"""``manage.py backup`` and ``manage.py restore`` (issue 14 item 12): a backup taken earlier is
restored over changed data; the site serves the old state, open sockets reload, search answers
the old content. Runs on SQLite and, with ``DATABASE_URL``, on PostgreSQL (pg_dump and
pg_restore of the server's version are needed: ``make test`` installs them)."""

import io
import tarfile
import uuid
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from tests.deliberation.sockets import watching
from tests.pages import _body

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.CITIZEN_REQUESTS_ATTACHMENTS_ROOT = str(tmp_path / "private")
    settings.SIGNATURES_DOCUMENTS_ROOT = str(tmp_path / "signed")
    settings.CITIZEN_IDEAS_ATTACHMENTS_ROOT = str(tmp_path / "ideas")
    return settings.MEDIA_ROOT


def _post(author, thread, body):
    from deliberation.services import contribution_post

    return contribution_post(
        author=author, thread=thread, body=body, idempotency_key=uuid.uuid4(), language="fr"
    ).contribution


def _new_policy(site, slug, text):
    from cms.models import PolicyPage

    page = site["institution"]["fr"].add_child(
        instance=PolicyPage(title="Nouvelle politique", slug=slug, summary=text, body=_body(text))
    )
    page.save_revision().publish()
    return page.url


def _backup(directory: Path) -> Path:
    out = io.StringIO()
    call_command("backup", directory=str(directory), stdout=out, stderr=io.StringIO())
    [archive] = directory.glob("majlis-backup-*.tar")
    assert str(archive) in out.getvalue()
    return archive


def _restore(archive: Path, *args) -> str:
    out = io.StringIO()
    with translation.override("en"):  # also in the thread an async test runs it in
        call_command(
            "restore", str(archive), "--noinput", "--no-progress", *args,
            stdout=out, stderr=io.StringIO(),
        )
    return out.getvalue()


def _search(words: str) -> list[str]:
    response = Client().get("/api/search/", {"q": words})
    assert response.status_code == 200, response.content
    return [hit["title"] + " " + hit["highlights"]["body"] for hit in response.json()["results"]]


def _get(url: str):
    return Client().get(url)


async def test_a_restored_backup_is_served_searched_and_reloads_open_pages(
    make_consultation, site, user_factory, media, tmp_path, settings
):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    settings.DELIBERATION_REALTIME_RESYNC_SECONDS = 0.2
    from deliberation.services import thread_for_page

    consultation = await database_sync_to_async(make_consultation)(title="Projet de code des eaux")
    thread = await database_sync_to_async(thread_for_page)(page=consultation)
    authors = await database_sync_to_async(lambda: [user_factory() for _ in range(3)])()
    await database_sync_to_async(_post)(authors[0], thread, "Gardons les puits communaux.")
    (media / "documents").mkdir()
    (media / "documents" / "avant.txt").write_text("avant")

    archive = await sync_to_async(_backup)(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json" and "media/documents/avant.txt" in names

    # After the backup: new contributions, a new page, a new file, a file removed.
    await database_sync_to_async(_post)(authors[1], thread, "Interdisons les forages sauvages.")
    await database_sync_to_async(_post)(authors[2], thread, "Une taxe sur les forages sauvages.")
    new_url = await database_sync_to_async(_new_policy)(site, "plan-secheresse", "Plan sécheresse")
    (media / "documents" / "apres.txt").write_text("après")
    (media / "documents" / "avant.txt").unlink()
    assert (await sync_to_async(_get)(new_url)).status_code == 200
    assert await sync_to_async(_search)("forages sauvages")

    async with watching(thread.key) as socket:
        assert socket.hello["seq"] == 3
        # The open socket is a running server: the restore goes on only when told to.
        output = await sync_to_async(_restore)(archive, "--ignore-running-servers")
        # The servers' hubs notice the thread went back: the open page is told to reload.
        reload = await socket.frame_of("thread.reload", timeout=10)
        assert reload["reason"] == "history_changed"

    assert "daphne" in output and "Search index rebuilt" in output
    page = await sync_to_async(_get)(consultation.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Gardons les puits communaux." in html
    assert "forages sauvages" not in html
    assert (await sync_to_async(_get)(new_url)).status_code == 404
    assert await sync_to_async(_search)("puits communaux")
    assert not await sync_to_async(_search)("forages sauvages")
    assert not await sync_to_async(_search)("sécheresse")
    assert (media / "documents" / "avant.txt").read_text() == "avant"
    assert not (media / "documents" / "apres.txt").exists()
    # The state it replaced was kept: nothing written since the backup is lost for good.
    safety = [path for path in archive.parent.glob("majlis-backup-*.tar") if path != archive]
    assert len(safety) == 1
    with tarfile.open(safety[0]) as tar:
        assert "media/documents/apres.txt" in tar.getnames()

    # And the restored site goes on: a new post takes the next number after the backup's.
    async with watching(thread.key, since=1) as socket:
        assert socket.hello["seq"] == 1
        contribution = await database_sync_to_async(_post)(
            authors[1], thread, "Après la restauration."
        )
        [event] = await socket.events(1)
        assert (event["seq"], event["id"]) == (2, contribution.pk)


def test_the_attachments_of_requests_and_ideas_are_backed_up_and_restored(site, media, tmp_path, user_factory):
    from citizen_ideas.services import idea_propose
    from citizen_requests.models import RequestDesk
    from citizen_requests.services import request_file

    desk = RequestDesk.objects.create(institution=site["institution"]["ar"], code="KEF")
    filed = request_file(
        author=user_factory(), kind="complaint", desk=desk, subject="Compteur", text="Relevé faux.",
        language="fr", files=[("releve.pdf", b"%PDF-1.4 releve")],
    )
    attachment = filed.request.attachments.get()
    path = Path(attachment.file.path)
    idea = idea_propose(
        author=user_factory(), institution=site["institution"]["fr"], title="Un parc",
        body="Avec des arbres.", language="fr", files=[("plan.png", b"\x89PNG\r\n\x1a\n plan")],
    )
    idea_file = idea.attachments.get()
    idea_path = Path(idea_file.file.path)
    archive = _backup(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        assert f"private/requests/{attachment.file.name}" in tar.getnames()
        assert f"private/ideas/{idea_file.file.name}" in tar.getnames()
    path.unlink()
    idea_path.unlink()
    (path.parent / "stray.pdf").write_bytes(b"%PDF-1.4 stray")
    _restore(archive, "--no-safety-backup")
    assert path.read_bytes() == b"%PDF-1.4 releve"
    assert idea_path.read_bytes() == b"\x89PNG\r\n\x1a\n plan"
    assert not (path.parent / "stray.pdf").exists()
    assert not str(path).startswith(str(media))
    assert not str(idea_path).startswith(str(media))


def test_signed_pdfs_are_backed_up_and_restored(site, media, tmp_path):
    from signatures.storage import signed_document_storage

    storage = signed_document_storage()
    name = storage.save("2026/01/answer.pdf", io.BytesIO(b"%PDF-1.7 signed"))
    archive = _backup(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        assert f"private/signatures/{name}" in tar.getnames()
    storage.delete(name)
    _restore(archive, "--no-safety-backup")
    assert storage.open(name).read() == b"%PDF-1.7 signed"


def test_restore_refuses_a_production_database_without_the_flag(site, media, tmp_path, settings):
    from wagtail.models import Page

    archive = _backup(tmp_path / "backups")
    page = site["policy"]["fr"]
    Page.objects.filter(pk=page.pk).update(title="Changé après la sauvegarde")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--force-production"):
        _restore(archive)
    assert Page.objects.get(pk=page.pk).title == "Changé après la sauvegarde"
    _restore(archive, "--force-production", "--no-safety-backup")
    assert Page.objects.get(pk=page.pk).title != "Changé après la sauvegarde"


def test_restore_asks_before_replacing_anything(site, media, tmp_path, monkeypatch):
    from wagtail.models import Page

    archive = _backup(tmp_path / "backups")
    page = site["policy"]["fr"]
    Page.objects.filter(pk=page.pk).update(title="Changé après la sauvegarde")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command(
            "restore", str(archive), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert Page.objects.get(pk=page.pk).title == "Changé après la sauvegarde"
    assert list(archive.parent.glob("*.tar")) == [archive]


def test_restore_refuses_what_is_not_a_backup(db, media, tmp_path):
    bogus = tmp_path / "bogus.tar"
    with tarfile.open(bogus, "w") as tar:
        tar.add(__file__, arcname="database.sqlite3")
    with pytest.raises(CommandError, match="is not a Majlis backup"):
        _restore(bogus)
    with pytest.raises(CommandError, match="is not a Majlis backup"):
        _restore(Path(__file__))


def test_a_backup_from_a_newer_version_is_refused(db, media, tmp_path):
    import json

    from operations.services import MANIFEST

    archive = _backup(tmp_path / "backups")
    newer = tmp_path / "newer.tar"
    with tarfile.open(archive) as source, tarfile.open(newer, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == MANIFEST:
                manifest = json.loads(data)
                manifest["migrations"].append(["deliberation", "9999_from_the_future"])
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="9999_from_the_future"):
        _restore(newer)


def test_postgresql_client_programs_older_than_the_server_are_refused_with_what_to_install():
    from operations.databases import client_refusal

    refusal = client_refusal(program="pg_dump", client="13.16", needed="15.20")
    assert "pg_dump 13.16 is older than PostgreSQL 15.20" in refusal
    assert "postgresql-client-15" in refusal
    assert client_refusal(program="pg_restore", client="16.4", needed="15.20") is None
    assert client_refusal(program="pg_dump", client="15.2", needed="15.20") is None


POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
on_postgresql = pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's pg_restore and sessions")


def _title_changed_after_backup(site, tmp_path):
    from wagtail.models import Page

    archive = _backup(tmp_path / "backups")
    page = site["policy"]["fr"]
    Page.objects.filter(pk=page.pk).update(title="Changé après la sauvegarde")
    return archive, page


@on_postgresql
def test_tables_of_newer_migrations_do_not_block_a_restore_and_are_gone_after_it(
    site, media, tmp_path
):
    from django.db import connection
    from wagtail.models import Page

    archive, page = _title_changed_after_backup(site, tmp_path)
    # As a migration newer than the backup would: a table the backup lacks, referencing one
    # it has.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE newer_feature (id bigserial PRIMARY KEY, "
            "user_id bigint NOT NULL REFERENCES accounts_user (id))"
        )
        cursor.execute("INSERT INTO newer_feature (user_id) SELECT id FROM accounts_user LIMIT 1")
    try:
        _restore(archive, "--no-safety-backup")
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('newer_feature')")
            assert cursor.fetchone()[0] is None
    finally:  # whatever happened, the next tests' flush must not trip on it
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS newer_feature")
    assert Page.objects.get(pk=page.pk).title != "Changé après la sauvegarde"
    assert _get(page.url).status_code == 200


@on_postgresql
def test_a_damaged_dump_changes_nothing(site, media, tmp_path):
    from wagtail.models import Page

    archive, page = _title_changed_after_backup(site, tmp_path)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "database.dump":
                data = data[: len(data) // 2]
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    (media / "after.txt").write_text("after")
    with pytest.raises(CommandError, match="pg_restore failed"):
        _restore(damaged, "--no-safety-backup")
    assert Page.objects.get(pk=page.pk).title == "Changé après la sauvegarde"
    assert (media / "after.txt").read_text() == "after"


def test_a_backup_lacking_a_migration_is_restored_then_migrated(db, media, tmp_path):
    """The backup of an older Majlis: its database lacks the last consultations migration
    (new tables referencing wagtailcore_page), which the code applies after the restore."""
    from django.db import connection

    def tables():
        return set(connection.introspection.table_names())

    call_command("migrate", "consultations", "0002", verbosity=0)
    try:
        assert "consultations_decisionpage" not in tables()
        archive = _backup(tmp_path / "backups")
        call_command("migrate", verbosity=0)
        assert "consultations_decisionpage" in tables()
        output = _restore(archive, "--no-safety-backup")
    finally:
        call_command("migrate", verbosity=0)
    assert "Migrations the backup lacked were applied." in output
    assert "consultations_decisionpage" in tables()


@on_postgresql
def test_restore_with_only_its_own_connections_neither_warns_nor_refuses(site, media, tmp_path):
    from wagtail.models import Page

    archive, page = _title_changed_after_backup(site, tmp_path)
    err = io.StringIO()
    call_command(
        "restore", str(archive), "--noinput", "--no-progress", "--no-safety-backup",
        stdout=io.StringIO(), stderr=err,
    )
    assert "other connection" not in err.getvalue()
    assert Page.objects.get(pk=page.pk).title != "Changé après la sauvegarde"


@on_postgresql
def test_restore_refuses_while_a_server_is_connected_unless_told_to_ignore_it(
    site, media, tmp_path
):
    import psycopg
    from django.db import connection
    from wagtail.models import Page

    archive, page = _title_changed_after_backup(site, tmp_path)
    parameters = {**connection.get_connection_params(), "autocommit": True}
    with psycopg.connect(**parameters) as server:
        server.execute("SELECT 1")
        with translation.override("en"), pytest.raises(
            CommandError, match="1 other connection uses this database: stop the servers"
        ):
            _restore(archive, "--no-safety-backup")
        assert Page.objects.get(pk=page.pk).title == "Changé après la sauvegarde"
        assert list(archive.parent.glob("*.tar")) == [archive]
        err = io.StringIO()
        call_command(
            "restore", str(archive), "--noinput", "--no-progress", "--no-safety-backup",
            "--ignore-running-servers", stdout=io.StringIO(), stderr=err,
        )
    assert "1 other connection uses this database" in err.getvalue()
    assert Page.objects.get(pk=page.pk).title != "Changé après la sauvegarde"
