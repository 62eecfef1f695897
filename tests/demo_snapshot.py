"""Load 「演示数据」 once per test process, then restore that snapshot before each test using it.

Loading the demo drives dozens of review chains and cases through the real services (10–15 s);
restoring a snapshot of the database taken right after that load takes milliseconds. Every test
still starts from the pristine demo: the whole database (and the media folder the demo writes
its files into) is put back exactly as the loader left it.

- SQLite: the test database is in memory and shared with the live server's thread, so the
  sqlite3 backup API copies it page by page into a private in-memory database and back.
- PostgreSQL: every Django table is copied out with ``COPY … TO STDOUT (FORMAT BINARY)``; a
  restore empties them all, copies the rows back in one transaction (the foreign keys are
  deferred, so the order does not matter), then moves every sequence past the restored ids.

Restores need autocommit (``transactional_db``, as the live server needs anyway).
"""
# ruff: noqa: PLC0415

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction


class DemoSnapshot:
    """One per test process (xdist worker): the first ``restore()`` loads, later ones restore."""

    def __init__(self, scratch: Path) -> None:
        self._scratch = scratch
        self._taken = False
        self._sqlite: sqlite3.Connection | None = None
        self._tables: dict[str, bytes] = {}

    def restore(self) -> None:
        if connection.in_atomic_block:
            raise RuntimeError("DemoSnapshot.restore() needs autocommit: use transactional_db.")
        if not self._taken:
            from gongkai.workspace.demo_data import load_demo_data

            load_demo_data()
            self._take()
            return
        if connection.vendor == "sqlite":
            self._sqlite.backup(self._raw())
        else:
            self._copy_in()
        self._restore_media()
        ContentType.objects.clear_cache()

    # --- taking --------------------------------------------------------------------------------

    def _take(self) -> None:
        if connection.vendor == "sqlite":
            self._sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            self._raw().backup(self._sqlite)
        else:
            self._copy_out()
        media = Path(settings.MEDIA_ROOT)
        shutil.rmtree(self._scratch, ignore_errors=True)
        if media.exists():
            shutil.copytree(media, self._scratch)
        else:
            self._scratch.mkdir(parents=True)
        self._taken = True

    def _raw(self) -> Any:
        connection.ensure_connection()
        return connection.connection

    def _tables_in_db(self) -> list[str]:
        # Every table, not only the models': the full-text index keeps its PostgreSQL documents
        # in a table of its own (gongkai.search), which must come back with the entries.
        return sorted(set(connection.introspection.table_names()) - {"django_migrations"})

    def _copy_out(self) -> None:
        quote = connection.ops.quote_name
        with self._raw().cursor() as cursor:
            for table in self._tables_in_db():
                data = bytearray()
                with cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
                    for chunk in copy:
                        data += chunk
                self._tables[table] = bytes(data)

    # --- restoring -----------------------------------------------------------------------------

    def _copy_in(self) -> None:
        quote = connection.ops.quote_name
        tables = self._tables_in_db()
        if set(tables) != set(self._tables):
            raise RuntimeError("The database's tables changed since the demo snapshot was taken.")
        with transaction.atomic():
            raw = connection.connection
            with raw.cursor() as cursor:
                for table in tables:  # DELETE: ms on these small tables, TRUNCATE ~0.5 s
                    cursor.execute(f"DELETE FROM {quote(table)}")
                for table in tables:
                    with cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                        copy.write(self._tables[table])
            models = apps.get_models(include_auto_created=True)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)

    def _restore_media(self) -> None:
        media = Path(settings.MEDIA_ROOT)
        shutil.rmtree(media, ignore_errors=True)
        shutil.copytree(self._scratch, media)
