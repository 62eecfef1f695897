"""The full-text part of the index, one interface over two databases.

SQLite (the embedded default): an FTS5 table ``search_fts(title, body, facets)`` whose rowid is
the item's pk, ranked with ``bm25`` (title weighted 10×). PostgreSQL: a narrow table
``search_document(item_id, document tsvector)`` (``simple`` configuration over the segmented
words, title weight A, body B) with a GIN index, ranked with ``ts_rank``. Both get the same
:class:`Filters` and answer the same :class:`Hits`.

Filters are facet terms inside the full-text document (``a<agency> c<column> y<year> s<subject>
v<validity>``), so a filtered query is one index intersection, not a join. SQLite keeps them in
their own FTS column (the visitor's words only search ``title`` and ``body``); PostgreSQL adds
them as literal lexemes prefixed with ``_``, which its parser never produces from text.

Ranking a very common word (one in ten of a million items) would mean scoring every match, so
both backends rank only the newest ``CANDIDATES`` (500) matches (by item pk, which grows with
creation) and count no further; the page then says 「找到超过 500 条」 (50 pages) and the visitor
narrows with a filter or another word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.db import connection

from gongkai.disclosure.defaults import SUBJECTS

CANDIDATES = 500
COUNT_CAP = CANDIDATES  # every result page a visitor can reach is in rank order
WINDOW = 150_000  # newest pks PostgreSQL looks at first (see PostgresBackend._windows)

_SUBJECT_CODE = {name: i for i, name in enumerate(SUBJECTS)}


@dataclass(frozen=True)
class Filters:
    agency: int | None = None
    column: int | None = None
    year: int | None = None
    subject: str = ""
    validity: str = ""
    exclude_agencies: tuple[int, ...] = ()

    def terms(self) -> list[str]:
        out = []
        if self.agency is not None:
            out.append(f"a{int(self.agency)}")
        if self.column is not None:
            out.append(f"c{int(self.column)}")
        if self.year is not None:
            out.append(f"y{int(self.year)}")
        if self.subject:
            out.append(f"s{_SUBJECT_CODE.get(self.subject, 'x')}")
        if self.validity:
            out.append(f"v{''.join(ch for ch in self.validity if ch.isalnum())}")
        return out


def facet_terms(
    agency: int, column: int, year: int, subject: str = "", validity: str = ""
) -> list[str]:
    """The facet terms of a document (every document has a, c and y)."""
    terms = [f"a{agency}", f"c{column}", f"y{year}"]
    if subject in _SUBJECT_CODE:
        terms.append(f"s{_SUBJECT_CODE[subject]}")
    if validity:
        terms.append(f"v{''.join(ch for ch in validity if ch.isalnum())}")
    return terms


@dataclass(frozen=True)
class Hits:
    total: int  # at most COUNT_CAP + 1, meaning more than COUNT_CAP
    ids: list[int] = field(default_factory=list)  # this page's item pks, best first


class Backend(Protocol):
    def write(self, item_id: int, title: str, body: str, facets: list[str]) -> None: ...

    def delete(self, item_id: int) -> None: ...

    def search(
        self, words: list[str], filters: Filters, offset: int, limit: int, *, any_word: bool = False
    ) -> Hits: ...

    def clear(self) -> None: ...


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class SQLiteBackend:
    def write(self, item_id: int, title: str, body: str, facets: list[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [item_id])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body, facets) VALUES (%s, %s, %s, %s)",
                [item_id, title, body, " ".join(facets)],
            )

    def delete(self, item_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [item_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    @staticmethod
    def match(words: list[str], filters: Filters, *, any_word: bool = False) -> str:
        joiner = " OR " if any_word else " AND "
        expr = "{title body} : (" + joiner.join(_fts_phrase(w) for w in words) + ")"
        facets = filters.terms()
        if facets:
            expr += " AND facets : (" + " AND ".join(_fts_phrase(f) for f in facets) + ")"
        for agency in filters.exclude_agencies:
            expr += f' NOT facets : "a{int(agency)}"'
        return expr

    def search(
        self, words: list[str], filters: Filters, offset: int, limit: int, *, any_word: bool = False
    ) -> Hits:
        expr = self.match(words, filters, any_word=any_word)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
                "LIMIT %s)",
                [expr, COUNT_CAP + 1],
            )
            total = cursor.fetchone()[0]
            if not total or offset >= total:
                return Hits(total=total)
            # The newest CANDIDATES matches (FTS5 walks its doclist backwards by rowid),
            # ranked by bm25 with the title weighted 10×.
            cursor.execute(
                "SELECT rowid FROM (SELECT rowid, bm25(search_fts, 10.0, 1.0, 0.0) AS score "
                "FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT %s) "
                "ORDER BY score, rowid DESC LIMIT %s OFFSET %s",
                [expr, CANDIDATES, limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
        return Hits(total=total, ids=ids)


def _tsquery_lexemes(terms: list[str], negate: tuple[int, ...] = ()) -> str:
    parts = [f"'_{t}'" for t in terms] + [f"!'_a{int(a)}'" for a in negate]
    return " & ".join(parts)


class PostgresBackend:
    DOCUMENT = (
        "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
        " || array_to_tsvector(%s::text[])"
    )

    def write(self, item_id: int, title: str, body: str, facets: list[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO search_document (item_id, document) VALUES (%s, {self.DOCUMENT}) "  # noqa: S608
                "ON CONFLICT (item_id) DO UPDATE SET document = EXCLUDED.document",
                [item_id, title, body, [f"_{f}" for f in facets]],
            )

    def delete(self, item_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document WHERE item_id = %s", [item_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document")

    def search(
        self, words: list[str], filters: Filters, offset: int, limit: int, *, any_word: bool = False
    ) -> Hits:
        lexemes = _tsquery_lexemes(filters.terms(), filters.exclude_agencies)
        if any_word:
            words_query = "(" + " || ".join(["plainto_tsquery('simple', %s)"] * len(words)) + ")"
            word_params: list[object] = list(words)
        else:
            words_query = "plainto_tsquery('simple', %s)"
            word_params = [" ".join(words)]
        query, params = words_query, list(word_params)
        if lexemes:
            query = f"({query} && %s::tsquery)"
            params.append(lexemes)
        with connection.cursor() as cursor:
            windows = self._windows(cursor)
            for floor in windows:
                where = f"document @@ {query}" + ("" if floor is None else " AND item_id > %s")
                # After the window, over the whole index, the matches are few (the window held
                # at most CANDIDATES of them): `+ 0` keeps the planner from walking the pk index
                # backwards through every row in search of them (490 ms at 1M items for two
                # common words that never meet, 8 ms this way) and makes it intersect the GIN
                # posting lists, then sort what matched.
                after_window = floor is None and len(windows) > 1
                order = "item_id + 0 DESC" if after_window else "item_id DESC"
                # One query gives both the candidates, ranked, and the (capped) count.
                cursor.execute(
                    "SELECT item_id FROM (SELECT item_id, document "  # noqa: S608
                    f"FROM search_document WHERE {where} ORDER BY {order} LIMIT %s) "
                    f"AS c ORDER BY ts_rank(document, {words_query}) DESC, item_id DESC",
                    [*params, *([] if floor is None else [floor]), CANDIDATES + 1, *word_params],
                )
                rows = [row[0] for row in cursor.fetchall()]
                if floor is None or len(rows) > CANDIDATES:
                    break
        return Hits(total=len(rows), ids=rows[offset : offset + limit])

    @staticmethod
    def _windows(cursor) -> list[int | None]:
        """Lowest pks to look above, narrowest first. GIN yields matches in no order, so the
        newest WINDOW pks are searched first, then all: for a common word that is a backward
        scan of the pk index that stops after CANDIDATES + 1 matches (or a small bitmap AND
        with the pk range), instead of fetching every match; a rare word falls through to
        the whole GIN index, which is cheap for it."""
        cursor.execute("SELECT max(item_id) FROM search_document")
        top = cursor.fetchone()[0] or 0
        if top <= WINDOW:
            return [None]
        return [top - WINDOW, None]


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise RuntimeError(f"全文检索不支持数据库 {connection.vendor}。")
