from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _drop_orphan_documents(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``flush`` (and test isolation) empties the ORM tables but not SQLite's FTS5 table; after
    it, an empty index must also have no full-text rows."""
    from django.db import connections  # noqa: PLC0415

    from gongkai.search.models import SearchEntry  # noqa: PLC0415

    connection = connections[using]
    if connection.vendor != "sqlite" or SearchEntry.objects.using(using).exists():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM search_fts")


class SearchConfig(AppConfig):
    name = "gongkai.search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        # Connects the index to disclosure's public_changed signal.
        from gongkai.search import receivers  # noqa: F401, PLC0415

        post_migrate.connect(_drop_orphan_documents, sender=self, dispatch_uid="search_orphans")
