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

import json
from dataclasses import dataclass, field
from typing import Protocol

from django.db import connection

from gongkai.disclosure.defaults import SUBJECTS

CANDIDATES = 500
COUNT_CAP = CANDIDATES  # every result page a visitor can reach is in rank order
# PostgreSQL's choice between walking the pk index and intersecting posting lists
# (see _Candidates); the costs are relative, measured at 1,000,000 items (docs/search.md).
PROBE = 2_000  # newest pks walked first, to measure how common the matches are
WALK_COST = 1.0  # per row walked
FETCH_COST = 2.5  # per match the intersection fetches
WALKS = 6  # walks before the intersection takes the rest, whatever the density says
YEAR_COST = 60_000.0  # searching year by year instead: a few years' intersections

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
            candidates = _Candidates(cursor, query, params, words_query, word_params)
            # Without a year filter, a word of some years only may be split by year (below).
            found = candidates.newest(
                *self._bounds(cursor, filters.year), by_year=filters.year is None
            )
        # The newest CANDIDATES, best first: ts_rank (title A above body B), then the newer
        # item. One more than that was looked for, to tell "more".
        found.sort(key=lambda row: -row[0])
        ranked = sorted(found[:CANDIDATES], key=lambda row: (-row[1], -row[0]))
        return Hits(total=len(found), ids=[pk for pk, _ in ranked[offset : offset + limit]])

    @staticmethod
    def _bounds(cursor, year: int | None) -> tuple[int | None, int | None]:
        """The lowest and highest pk a match can have. With a year filter that is the year's
        own range (SearchEntry's (year, item) index): items are created roughly in the order
        they are published, so an older year is a narrow band of pks far below the newest."""
        if year is None:
            cursor.execute("SELECT min(item_id), max(item_id) FROM search_document")
        else:
            # `BETWEEN y AND y`, not `= y`: with an equality the order (year, item_id) is just
            # item_id to the planner, which then walks the pk index from the newest item
            # through every later year (420 ms for 2021 at a million items).
            cursor.execute(
                "SELECT (SELECT item_id FROM search_searchentry WHERE year BETWEEN %s AND %s "
                "ORDER BY year, item_id LIMIT 1), (SELECT item_id FROM search_searchentry "
                "WHERE year BETWEEN %s AND %s ORDER BY year DESC, item_id DESC LIMIT 1)",
                [int(year)] * 4,
            )
        return cursor.fetchone()


class _Candidates:
    """The newest ``CANDIDATES + 1`` matches of one query between two pks, with their rank.

    GIN yields matches in no order, so "the newest matches" costs either a walk down the pk
    index testing each row (about WALK_COST µs a row, stops at the last match it needs) or the
    GIN intersection, which fetches and sorts every match (about FETCH_COST µs a match). The
    walk wins for a common word, the intersection for a rare one or a conjunction that rarely
    meets; which one a query is, is measured rather than guessed: a first walk over the
    newest PROBE pks gives the density of matches, and from it the cheaper way for the rest
    (walks may repeat while the density they find keeps the walk the cheaper way). The planner
    cannot make this choice itself: it assumes words independent, and two common words that
    never meet cost it a walk over the whole table.
    """

    def __init__(self, cursor, query: str, params: list[object], rank: str, rank_params: list):
        self.cursor, self.query, self.params = cursor, query, params
        self.rank, self.rank_params = rank, rank_params

    def newest(
        self, lo: int | None, hi: int | None, *, need: int = 0, by_year: bool = False
    ) -> list[tuple[int, float]]:
        """Up to ``need`` (CANDIDATES + 1) newest matches between ``lo`` and ``hi``, newest
        first. ``by_year``: the intersection may be split by year (see _rest)."""
        need = need or CANDIDATES + 1
        if lo is None or hi is None:
            return []
        found: list[tuple[int, float]] = []
        top, span = hi, PROBE
        for _ in range(WALKS):
            floor = max(lo, top - span + 1)
            found += self._walk(floor, top, need - len(found))
            if len(found) >= need or floor == lo:
                return found
            top = floor - 1
            density = len(found) / (hi - top)
            want, left = need - len(found), top - lo + 1
            walk = min(left, want / density) if density else left  # rows still to walk
            if walk * WALK_COST > density * left * FETCH_COST:
                break
            span = int(walk * 1.25) + 1  # a little more than the density promises
        return found + self._rest(lo, top, need - len(found), by_year=by_year)

    def _rest(self, lo: int, top: int, want: int, *, by_year: bool) -> list[tuple[int, float]]:
        """The newest ``want`` matches at or below ``top``, where the walk found them sparse.

        Usually one intersection. But a word of some years only (疫情; 「2021」, which every item
        of that year has in its 索引号) is sparse among the newest items and common further
        down: intersecting it fetches every one of its matches, tens of thousands. When the
        planner expects that many (it counts the word over the whole index), each year is
        searched on its own instead, newest first, its lexeme added: in a year where the word
        is common the walk finds it at once. A year costs an intersection even where it holds
        no match (the posting lists are read whole: about 17 ms for 「2021」 ∩ 2026), which
        is why this is not the default. Negating the years already searched, or OR-ing the
        ones left, would make it one query, but GIN checks a negation only on the heap and
        the planner turns a six-year OR into a sequential scan (both 400+ ms)."""
        if by_year and self._estimate() * FETCH_COST > YEAR_COST:
            return self._by_year(top, want)
        return self._intersect(lo, top, want)

    def _by_year(self, top: int, want: int) -> list[tuple[int, float]]:
        spans = sorted(
            ((min(last, top), first, year) for year, first, last in self._years() if first <= top),
            reverse=True,
        )
        found: list[tuple[int, float]] = []
        for n, (last, first, year) in enumerate(spans):
            of_year = _Candidates(
                self.cursor,
                f"({self.query} && %s::tsquery)",
                [*self.params, f"'_y{int(year)}'"],
                self.rank,
                self.rank_params,
            )
            found = sorted(found + of_year.newest(first, last, need=want), reverse=True)[:want]
            # Years overlap when items were imported late: an older year may still hold a
            # match newer than the want-th found so far.
            following = spans[n + 1][0] if n + 1 < len(spans) else None
            if following is None or (len(found) >= want and found[-1][0] > following):
                break
        return found

    def _estimate(self) -> float:
        """The planner's count of matches in the whole index (words taken as independent)."""
        self.cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM search_document WHERE document @@ {self.query}",  # noqa: S608
            self.params,
        )
        plan = self.cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return float(plan[0]["Plan"]["Plan Rows"])

    def _years(self) -> list[tuple[int, int, int]]:
        """(year, lowest pk, highest pk) of every year in the index, from the (year, item)
        index: a skip scan over the years, then two probes each."""
        self.cursor.execute(
            "WITH RECURSIVE y(year) AS (SELECT max(year) FROM search_searchentry UNION ALL "
            "SELECT (SELECT max(year) FROM search_searchentry WHERE year < y.year) FROM y "
            "WHERE y.year IS NOT NULL) "
            "SELECT year, (SELECT item_id FROM search_searchentry e WHERE e.year BETWEEN "
            "y.year AND y.year ORDER BY e.year, e.item_id LIMIT 1), (SELECT item_id FROM "
            "search_searchentry e WHERE e.year BETWEEN y.year AND y.year ORDER BY e.year DESC, "
            "e.item_id DESC LIMIT 1) FROM y WHERE year IS NOT NULL"
        )
        return [tuple(row) for row in self.cursor.fetchall()]

    def _ranked(self, inner: str, params: list[object]) -> list[tuple[int, float]]:
        self.cursor.execute(
            f"SELECT item_id, ts_rank(document, {self.rank}) FROM ({inner}) AS c",  # noqa: S608
            [*self.rank_params, *params],
        )
        return [(pk, float(rank)) for pk, rank in self.cursor.fetchall()]

    def _walk(self, floor: int, top: int, limit: int) -> list[tuple[int, float]]:
        # The inner LIMIT keeps the planner from merging the range with the match (it would
        # then choose by its own estimate); the outer LIMIT stops the walk at the last match.
        return self._ranked(
            "SELECT item_id, document FROM (SELECT item_id, document FROM search_document "  # noqa: S608
            "WHERE item_id BETWEEN %s AND %s ORDER BY item_id DESC LIMIT %s) AS w "
            f"WHERE document @@ {self.query} LIMIT %s",
            [floor, top, top - floor + 1, *self.params, limit],
        )

    def _intersect(self, lo: int, top: int, limit: int) -> list[tuple[int, float]]:
        # `+ 0`: no ordered walk of the pk index, the GIN posting lists are intersected and
        # only what matched is fetched and sorted.
        return self._ranked(
            "SELECT item_id, document FROM search_document "  # noqa: S608
            f"WHERE document @@ {self.query} AND item_id BETWEEN %s AND %s "
            "ORDER BY item_id + 0 DESC LIMIT %s",
            [*self.params, lo, top, limit],
        )


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise RuntimeError(f"全文检索不支持数据库 {connection.vendor}。")
