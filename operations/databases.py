"""Copying the database in and out: ``pg_dump`` / ``pg_restore`` (custom format) on
PostgreSQL, SQLite's online backup API on the embedded default (a consistent copy while the
site writes, which a plain file copy of a WAL database is not)."""

import os
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import psycopg
from django.utils.translation import gettext as _

POSTGRESQL = "postgresql"
SQLITE = "sqlite"
FILES = {POSTGRESQL: "database.dump", SQLITE: "database.sqlite3"}
LOCK_TIMEOUT = "60s"  # pg_restore gives up rather than wait forever on a server still running


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why (translated). Nothing
    was changed when it is raised before the database was written."""


def engine(connection) -> str:
    if connection.vendor == "postgresql":
        return POSTGRESQL
    if connection.vendor == "sqlite":
        return SQLITE
    raise BackupError(
        _("Backups of %(vendor)s databases are not supported.") % {"vendor": connection.vendor}
    )


def _major(version: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version)
    return int(match.group(1)) if match else 0


# --- PostgreSQL --------------------------------------------------------------------------------


def _client(binary: str) -> tuple[str, str]:
    """(path, version) of a PostgreSQL client program, e.g. ``pg_dump``."""
    path = shutil.which(binary)
    if path is None:
        raise BackupError(
            _(
                "%(program)s is not installed. Install the PostgreSQL client programs of the "
                "server's version or newer (Debian: apt-get install postgresql-client)."
            )
            % {"program": binary}
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"\) (\d+(?:\.\d+)*)", output)
    return path, match.group(1) if match else output.strip()


def _server_version(connection) -> str:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]


def _environment(settings_dict: dict) -> dict:
    """The connection's parameters as libpq variables: no password on a command line."""
    environment = dict(os.environ)
    options = settings_dict.get("OPTIONS", {})
    for variable, value in (
        ("PGHOST", settings_dict.get("HOST")),
        ("PGPORT", settings_dict.get("PORT")),
        ("PGUSER", settings_dict.get("USER")),
        ("PGPASSWORD", settings_dict.get("PASSWORD")),
        ("PGDATABASE", settings_dict.get("NAME")),
        ("PGSSLMODE", options.get("sslmode")),
    ):
        if value:
            environment[variable] = str(value)
    environment["PGAPPNAME"] = "majlis-backup"
    return environment


def _run(command: list[str], environment: dict) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": Path(command[0]).name, "error": result.stderr.strip()[-2000:]}
        )


def client_refusal(*, program: str, client: str, needed: str) -> str | None:
    """Why PostgreSQL's ``program`` of version ``client`` cannot serve a server (pg_dump) or
    read an archive (pg_restore) of version ``needed``; None when it can. pg_dump refuses
    servers newer than itself, and pg_restore archives of newer pg_dumps."""
    if _major(client) >= _major(needed):
        return None
    return _(
        "%(program)s %(client)s is older than PostgreSQL %(needed)s: install the client "
        "programs of version %(major)s or newer (Debian: postgresql-client-%(major)s)."
    ) % {"program": program, "client": client, "needed": needed, "major": _major(needed)}


def postgresql_dump(connection, target: Path) -> dict:
    program, client = _client("pg_dump")
    server = _server_version(connection)
    refusal = client_refusal(program="pg_dump", client=client, needed=server)
    if refusal:
        raise BackupError(refusal)
    _run(
        [program, "--format=custom", "--file", str(target)],
        _environment(connection.settings_dict),
    )
    return {"pg_dump": client, "server": server}


def postgresql_load(connection, source: Path, manifest: dict) -> None:
    program, client = _client("pg_restore")
    refusal = client_refusal(
        program="pg_restore", client=client, needed=manifest["database"].get("pg_dump", "0")
    )
    if refusal:
        raise BackupError(refusal)
    psql, _version = _client("psql")  # same postgresql-client package as pg_restore
    environment = _environment(connection.settings_dict)
    environment["PGOPTIONS"] = f"-c lock_timeout={LOCK_TIMEOUT}"
    close(connection)
    # The archive is first written out as SQL: a damaged archive fails here, before the
    # database is touched (piped straight into psql, a pg_restore dying halfway would end
    # psql's input early and psql would commit half a restore).
    script = source.with_name(source.name + ".sql")
    _run([program, "--no-owner", "--file", str(script), str(source)], environment)
    # Then the whole schema is replaced in one transaction: `pg_restore --clean` would drop
    # only the objects the archive has, so tables of migrations newer than the backup would
    # survive (blocking the drop of the tables they reference, or making `migrate` fail on
    # "relation already exists"). psql runs -c and -f in order between one BEGIN and one
    # COMMIT; with ON_ERROR_STOP any error rolls everything back: the database is then the
    # backup's, or unchanged.
    _run(
        [
            psql,
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            "-c",
            "DROP SCHEMA public CASCADE",
            "-c",
            "CREATE SCHEMA public",
            "-f",
            str(script),
        ],
        environment,
    )


def close(connection) -> None:
    """Close this process's connections to the database, the idle ones its pool keeps
    (``min_size``) included: they would count as other sessions, and they would keep
    prepared statements of the tables a restore replaces."""
    if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("pool"):
        connection.close_pool()
    connection.close()


def postgresql_other_connections(connection, *, settle: float = 2.0) -> int:
    """How many other sessions use this database (servers that should have been stopped).

    Counted on a connection of its own, outside the pool (which would open ``min_size``
    connections again). A session just closed leaves ``pg_stat_activity`` a moment later:
    the count is taken again for up to ``settle`` seconds until it is 0."""
    close(connection)
    settings_dict = connection.settings_dict
    parameters = {
        key: value
        for key, value in (
            ("host", settings_dict.get("HOST")),
            ("port", settings_dict.get("PORT")),
            ("user", settings_dict.get("USER")),
            ("password", settings_dict.get("PASSWORD")),
            ("dbname", settings_dict.get("NAME")),
            ("sslmode", settings_dict.get("OPTIONS", {}).get("sslmode")),
        )
        if value
    }
    deadline = time.monotonic() + settle
    with psycopg.connect(**parameters, application_name="majlis-backup", autocommit=True) as own:
        while True:
            count = own.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            ).fetchone()[0]
            if count == 0 or time.monotonic() >= deadline:
                return count
            time.sleep(0.1)


# --- SQLite ------------------------------------------------------------------------------------


def _check(database: sqlite3.Connection) -> None:
    result = database.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(_("The database copy is damaged: %(error)s") % {"error": result})


def sqlite_dump(connection, target: Path) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # The online backup API: a consistent snapshot even while other processes write.
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        _check(copy)
    finally:
        copy.close()
    return {"sqlite": sqlite3.sqlite_version}


def sqlite_load(connection, source: Path, manifest: dict) -> None:
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        _check(backup)
        connection.ensure_connection()
        # Page by page into the live database, in one step: other connections then read the
        # restored content (no file is swapped under a running server).
        backup.backup(connection.connection)
    finally:
        backup.close()


def dump(connection, directory: Path) -> tuple[Path, dict]:
    """The database copied into ``directory``: (the file, what the manifest says of it)."""
    kind = engine(connection)
    target = directory / FILES[kind]
    details = (postgresql_dump if kind == POSTGRESQL else sqlite_dump)(connection, target)
    return target, {"engine": kind, "file": FILES[kind], **details}


def load(connection, source: Path, manifest: dict) -> None:
    kind = manifest["database"]["engine"]
    (postgresql_load if kind == POSTGRESQL else sqlite_load)(connection, source, manifest)


def other_connections(connection) -> int | None:
    """Other sessions on a PostgreSQL database (None on SQLite, where it cannot be known)."""
    return postgresql_other_connections(connection) if engine(connection) == POSTGRESQL else None
