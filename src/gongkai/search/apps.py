from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

FULLTEXT_TABLES = {"sqlite": "search_fts", "postgresql": "search_document"}


def _drop_orphan_documents(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``flush`` (and test isolation) empties the ORM tables but not the full-text table
    outside the ORM; after it, an empty index must also have no full-text rows."""
    from django.db import connections  # noqa: PLC0415

    from gongkai.search.models import SearchEntry  # noqa: PLC0415

    connection = connections[using]
    table = FULLTEXT_TABLES.get(connection.vendor)
    if table is None or table not in connection.introspection.table_names():
        return
    if not SearchEntry.objects.using(using).exists():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608


class SearchConfig(AppConfig):
    name = "gongkai.search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        # Connects the index to disclosure's public_changed signal.
        from gongkai.search import receivers  # noqa: F401, PLC0415

        post_migrate.connect(_drop_orphan_documents, sender=self, dispatch_uid="search_orphans")
