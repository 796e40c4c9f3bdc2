"""What a command wrote to the database, recorded once and replayed in later transactions.

``seed_demo`` takes tens of seconds; replaying the rows it wrote takes a fraction of that. The
replay goes through the models' own tables and columns only (raw SQL, no signals), so what the
database derives itself (SQLite's FTS5 tables kept by triggers, PostgreSQL's generated
``tsvector`` column) is derived again as it was the first time.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection


@dataclass
class TableChanges:
    """The rows of one table deleted, updated and inserted, each keyed by primary key."""

    model: type
    deleted: list = field(default_factory=list)
    updated: dict = field(default_factory=dict)
    inserted: dict = field(default_factory=dict)


def _derived_tables() -> set[str]:
    """Tables the database fills itself: SQLite's virtual (FTS5) tables, kept by triggers."""
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
        return {name for (name,) in cursor.fetchall()}


def _models() -> list:
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor)) - _derived_tables()
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
    ]


def _fields(model) -> list:
    return list(model._meta.local_concrete_fields)


def rows_snapshot() -> dict:
    """Every row of every model's table: {model: {pk: (value, …)}}, values as the ORM reads them."""
    snapshot = {}
    for model in _models():
        names = [f.attname for f in _fields(model)]
        pk_index = names.index(model._meta.pk.attname)
        snapshot[model] = {
            row[pk_index]: row for row in model._base_manager.values_list(*names).iterator()
        }
    return snapshot


def rows_changes(before: dict, after: dict) -> list[TableChanges]:
    """The differences from ``before`` to ``after`` (two snapshots), table by table."""
    changes = []
    for model, rows in after.items():
        old = before.get(model, {})
        table = TableChanges(
            model=model,
            deleted=[pk for pk in old if pk not in rows],
            updated={pk: row for pk, row in rows.items() if pk in old and old[pk] != row},
            inserted={pk: row for pk, row in rows.items() if pk not in old},
        )
        if table.deleted or table.updated or table.inserted:
            changes.append(table)
    return changes


def _prepared(fields, row) -> list:
    return [f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)]


def rows_replay(changes: list[TableChanges]) -> None:
    """Write ``changes`` in the current transaction: deletions, then updates, then insertions.

    Foreign keys are checked at commit (Django creates them deferrable, initially deferred), so
    the order of the tables does not matter. Sequences are moved past the inserted keys.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in changes:
            meta = table.model._meta
            sql = f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"
            cursor.executemany(sql, [[pk] for pk in table.deleted])
        for table in changes:
            meta = table.model._meta
            fields = _fields(table.model)
            columns = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            sql = f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s"
            for pk, row in table.updated.items():
                cursor.execute(sql, [*_prepared(fields, row), pk])
        for table in changes:
            meta = table.model._meta
            fields = _fields(table.model)
            columns = ", ".join(quote(f.column) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"
            cursor.executemany(sql, [_prepared(fields, row) for row in table.inserted.values()])
        for statement in connection.ops.sequence_reset_sql(no_style(), [t.model for t in changes]):
            cursor.execute(statement)
