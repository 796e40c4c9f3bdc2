"""The full-text index over the folded words, in each database's own engine.

SQLite: an FTS5 table with external content (the documents table), kept by triggers, so any
write to a document, from the ORM or from SQL, updates it. PostgreSQL: a generated, stored
``tsvector`` column (title weighted A, text B), stored in the row, with a GIN index. The words are folded in
Python (search/text.py), so both use the plain ``unicode61`` / ``simple`` tokenisation.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_words, body_words,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title_words, body_words)
        VALUES (new.id, new.title_words, new.body_words);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_words, body_words)
        VALUES ('delete', old.id, old.title_words, old.body_words);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_words, body_words)
        VALUES ('delete', old.id, old.title_words, old.body_words);
        INSERT INTO search_fts(rowid, title_words, body_words)
        VALUES (new.id, new.title_words, new.body_words);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL = [
    """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title_words), 'A')
            || setweight(to_tsvector('simple'::regconfig, body_words), 'B')
        ) STORED""",
    # Kept in the row, not in a side (TOAST) table: ranking and phrase checks read it for
    # every match (bench/search.py: the common-word query twice as fast).
    "ALTER TABLE search_searchdocument ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX search_doc_vector_idx ON search_searchdocument USING GIN (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_doc_vector_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
