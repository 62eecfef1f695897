"""The backend-specific full-text part of the index (see gongkai.search.backends)."""

from django.db import migrations

SQLITE_UP = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, facets, tokenize = 'unicode61 remove_diacritics 0')",
)
SQLITE_DOWN = ("DROP TABLE IF EXISTS search_fts",)
POSTGRES_UP = (
    "ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS document tsvector",
    "CREATE INDEX IF NOT EXISTS search_entry_document ON search_searchentry USING gin (document)",
)
POSTGRES_DOWN = (
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
)


def _run(statements: dict) -> object:
    def run(apps: object, schema_editor: object) -> None:
        for sql in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
