"""The backend-specific full-text part of the index (see gongkai.search.backends)."""

from django.db import migrations

SQLITE_UP = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, facets, tokenize = 'unicode61 remove_diacritics 0')",
)
SQLITE_DOWN = ("DROP TABLE IF EXISTS search_fts",)
# A narrow table (pk + tsvector): a common word's candidates are found by testing rows, and
# rows of a few hundred bytes are several times cheaper to test than the wide index rows.
# No foreign key: Django's flush truncates search_searchentry alone; rows follow the entries
# through the post_delete receiver and the post_migrate clean-up (gongkai.search.apps).
POSTGRES_UP = (
    "CREATE TABLE IF NOT EXISTS search_document ("
    "item_id integer PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_document_gin ON search_document USING gin (document)",
)
POSTGRES_DOWN = ("DROP TABLE IF EXISTS search_document",)


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
