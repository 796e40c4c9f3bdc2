"""Backup and restore (docs/operations.md, "Backup and restore, step by step").

A backup is one ``.tar`` archive:

- ``manifest.json`` first: format and version, when, the database engine and the client and
  server versions, the migrations applied, the media files' count and size;
- the database: ``database.dump`` (``pg_dump --format=custom``) or ``database.sqlite3`` (a copy
  made with SQLite's online backup API);
- ``media/…``: every file under ``MEDIA_ROOT`` (uploaded documents and images);
- ``private/requests/…``: the attachments of citizens' requests, kept outside the media
  (``CITIZEN_REQUESTS_ATTACHMENTS_ROOT``, docs/requests.md);
- ``private/ideas/…``: the files given with citizens' ideas, outside the media too
  (``CITIZEN_IDEAS_ATTACHMENTS_ROOT``, docs/ideas.md);
- ``private/signatures/…``: the signed PDFs, kept outside the media too
  (``SIGNATURES_DOCUMENTS_ROOT``, docs/signatures.md).

The database is copied before the files, so every file the copied database names is in
the archive (a file uploaded meanwhile may be in it too, unused).

Restoring puts the database and the media back, applies the migrations the code has and the
backup lacks, and rebuilds the search index from the restored content. Open pages reload by
themselves: the servers' real-time hubs notice that the threads' histories went back
(docs/realtime.md, "After a database restore").
"""

import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from citizen_ideas.storage import idea_attachment_storage
from citizen_requests.storage import attachment_storage
from operations import databases
from operations.databases import BackupError
from search.services import search_index_rebuild
from signatures.storage import signed_document_storage

FORMAT = "majlis-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
PRIVATE = "private/requests"
SIGNED = "private/signatures"
IDEAS = "private/ideas"


def _trees() -> list[tuple[str, Path]]:
    """The directories a backup holds, by their name in the archive."""
    return [
        (MEDIA, Path(settings.MEDIA_ROOT)),
        (PRIVATE, Path(attachment_storage().location)),
        (SIGNED, Path(signed_document_storage().location)),
        (IDEAS, Path(idea_attachment_storage().location)),
    ]

Report = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def backup_create(*, directory: Path, report: Report = _quiet) -> Path:
    """Write a backup archive into ``directory`` and return its path. It appears under its
    final name only once complete (``.partial`` meanwhile)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    final = directory / f"majlis-backup-{now:%Y%m%d-%H%M%S-%f}.tar"
    partial = final.with_name(final.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="majlis-backup-") as work:
        report(_("Copying the database…"))
        database_file, database = databases.dump(connection, Path(work))
        trees = [(name, root, _media_files(root)) for name, root in _trees()]
        files = trees[0][2]
        private = [path for _name, _root, paths in trees[1:] for path in paths]
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "database": database,
            "migrations": _applied_migrations(),
            "media": {"files": len(files), "bytes": sum(path.stat().st_size for path in files)},
            "private": {"files": len(private), "bytes": sum(path.stat().st_size for path in private)},
        }
        report(
            ngettext(
                "Writing the archive (%(count)d media file)…",
                "Writing the archive (%(count)d media files)…",
                len(files),
            )
            % {"count": len(files)}
        )
        try:
            with tarfile.open(partial, "w") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(database_file, arcname=database["file"])
                for name, root, paths in trees:
                    for path in paths:
                        archive.add(path, arcname=f"{name}/{path.relative_to(root).as_posix()}")
            partial.replace(final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return final


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def backup_manifest(*, path: Path) -> dict:
    """The archive's manifest, checked to be a Majlis backup this code can read."""
    try:
        with tarfile.open(path, "r") as archive:
            member = archive.extractfile(MANIFEST)
            manifest = json.load(member) if member is not None else None
    except (OSError, KeyError, tarfile.TarError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(path)s is not a Majlis backup.") % {"path": path})
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            _("This backup's format (version %(version)s) is not one this version of Majlis reads.")
            % {"version": manifest.get("version")}
        )
    return manifest


@dataclass
class Restored:
    manifest: dict
    safety_backup: Path | None
    migrated: bool
    documents: int


def backup_restore_refusal(
    *, manifest: dict, force_production: bool = False, ignore_running_servers: bool = False
) -> str | None:
    """Why this backup must not be restored here (translated), or None."""
    if settings.PRODUCTION and not force_production:
        return _(
            "This is a production database (DJANGO_ENV=production): restoring replaces "
            "everything written since the backup. Stop the servers, then run the command again "
            "with --force-production."
        )
    current = databases.engine(connection)
    if manifest["database"]["engine"] != current:
        return _(
            "This backup is of a %(backup)s database and this site uses %(current)s: restore "
            "it on the same kind of database."
        ) % {"backup": manifest["database"]["engine"], "current": current}
    known = {
        (app, name)
        for app, name in MigrationExecutor(connection).loader.disk_migrations
    }
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        return _(
            "This backup was made by a newer version of Majlis (migrations unknown here: "
            "%(migrations)s). Install that version, then restore."
        ) % {"migrations": ", ".join(unknown[:5]) + ("…" if len(unknown) > 5 else "")}
    if not ignore_running_servers:
        # Anything a running server writes during the restore would be lost (and its open
        # transactions would make the restore wait). SQLite cannot tell: None.
        others = databases.other_connections(connection)
        if others:
            return ngettext(
                "%(count)d other connection uses this database: stop the servers (daphne, "
                "cron jobs) first, then run the command again. To restore while they run, "
                "add --ignore-running-servers.",
                "%(count)d other connections use this database: stop the servers (daphne, "
                "cron jobs) first, then run the command again. To restore while they run, "
                "add --ignore-running-servers.",
                others,
            ) % {"count": others}
    return None


def backup_restore(
    *,
    path: Path,
    force_production: bool = False,
    ignore_running_servers: bool = False,
    safety_directory: Path | None = None,
    report: Report = _quiet,
    progress: Callable[[], object] | None = None,
) -> Restored:
    """Replace the database and the media files with those of the backup at ``path``.

    Refused (``BackupError``, nothing changed) on a production site without
    ``force_production``, for a backup of another database engine or of a newer Majlis, and
    while other sessions use a PostgreSQL database without ``ignore_running_servers``. With
    ``safety_directory``, the current state is backed up there first. Then: the migrations the
    backup lacks are applied, and the search index is rebuilt (``progress`` makes a tqdm-like
    bar for it)."""
    manifest = backup_manifest(path=path)
    refusal = backup_restore_refusal(
        manifest=manifest,
        force_production=force_production,
        ignore_running_servers=ignore_running_servers,
    )
    if refusal:
        raise BackupError(refusal)
    safety = None
    for _name, root in _trees():
        root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="majlis-restore-") as work:
        work = Path(work)
        report(_("Reading the archive…"))
        with tarfile.open(path, "r") as archive:
            archive.extractall(work, filter="data")
        database_file = work / manifest["database"]["file"]
        if not database_file.is_file():
            raise BackupError(_("The archive has no database file."))
        if safety_directory is not None:
            report(_("Backing up the current state first…"))
            safety = backup_create(directory=safety_directory)
        report(_("Restoring the database…"))
        databases.load(connection, database_file, manifest)
        connections.close_all()
        report(_("Restoring the media files…"))
        for name, root in _trees():
            _replace_media(root, work / name)
    migrated = _migrate(report)
    Site.clear_site_root_paths_cache()
    report(_("Rebuilding the search index…"))
    bar = progress() if progress is not None else None
    try:
        documents = search_index_rebuild(progress=bar)
    finally:
        if bar is not None:
            bar.close()
    return Restored(manifest=manifest, safety_backup=safety, migrated=migrated, documents=documents)


def _replace_media(root: Path, restored: Path) -> None:
    """``root`` gets exactly the archive's files (the directory itself stays: it may be a
    mount point)."""
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    if restored.is_dir():
        for entry in restored.iterdir():
            shutil.move(str(entry), root / entry.name)


def _migrate(report: Report) -> bool:
    """Apply the migrations this code has and the restored database lacks."""
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    report(_("Applying the migrations the backup lacks…"))
    call_command("migrate", interactive=False, verbosity=0)
    return True

