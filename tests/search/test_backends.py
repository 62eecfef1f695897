"""The backend on the database in use against a reference: for any words, filters and costs,
the page of hits is the newest CANDIDATES matches and the count says whether there are more.

The corpus is written straight into the index (one row per item, no publishing), so that a
few hundred items with chosen word frequencies cost little: a word in most items, a rare one,
one common in old items and rare in newer ones, one only in new ones, and items whose year is
older than their pk says (a late import), which the PostgreSQL year bounds must not lose.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.disclosure.models import Item
from gongkai.search import backends
from gongkai.search.backends import Filters, facet_terms, get_backend
from gongkai.search.models import SearchEntry

pytestmark = pytest.mark.django_db

SIZE = 240
AGENCIES = (1, 2, 3)  # facet terms only: the backend never looks the agency up
YEARS = (2021, 2022, 2023, 2024)
WORDS = ("常见", "少见", "旧词", "新词", "零词")


def _words_of(rng: random.Random, n: int) -> list[str]:
    words = []
    if rng.random() < 0.6:
        words.append("常见")
    if rng.random() < 0.04:
        words.append("少见")
    if rng.random() < (0.5 if n < SIZE // 3 else 0.03):  # common in old items, rare after
        words.append("旧词")
    if n >= SIZE - 12:
        words.append("新词")
    return words


@pytest.fixture
def corpus(column, drafter):
    """(pk, words, agency, year) of every document written, oldest first."""
    rng = random.Random(11)
    items = Item.objects.bulk_create(
        Item(
            agency=column.agency,
            column=column,
            title=f"第{n}条",
            index_number=f"T-{n:04d}",
            created_by=drafter,
        )
        for n in range(SIZE)
    )
    docs, entries = [], []
    when = datetime(2024, 6, 1, tzinfo=UTC)
    for n, item in enumerate(items):
        year = YEARS[n * len(YEARS) // SIZE]
        if rng.random() < 0.08:
            year = rng.choice(YEARS)  # imported late: its pk is newer than its year
        words, agency = _words_of(rng, n), rng.choice(AGENCIES)
        title = " ".join(words[:1])
        body = " ".join(["正文", *words[1:]])
        get_backend().write(item.pk, title, body, facet_terms(agency, 7, year))
        entries.append(
            SearchEntry(
                item=item,
                agency=column.agency,
                column=column,
                year=year,
                published_at=when,
                title=title,
                title_terms=title,
                body_terms=body,
                indexed_at=when,
            )
        )
        docs.append((item.pk, set(words), agency, year))
    SearchEntry.objects.bulk_create(entries)
    return docs


def _expected(docs, words, filters: Filters, any_word: bool) -> list[int]:
    def hit(doc_words: set[str]) -> bool:
        test = any if any_word else all
        return test(w in doc_words for w in words)

    return [
        pk
        for pk, doc_words, agency, year in reversed(docs)
        if hit(doc_words)
        and filters.agency in (None, agency)
        and filters.year in (None, year)
        and agency not in filters.exclude_agencies
    ]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=2, unique=True),
    agency=st.sampled_from((None, *AGENCIES)),
    year=st.sampled_from((None, *YEARS, 2019)),
    exclude=st.sampled_from(((), (2,))),
    any_word=st.booleans(),
    candidates=st.sampled_from((3, 10, 50, 400)),
    probe=st.sampled_from((1, 5, 40, 1000)),
    walk_cost=st.sampled_from((0.01, 1.0, 100.0)),
    walks=st.sampled_from((1, 2, 6)),
    year_cost=st.sampled_from((0.0, 1e12)),
)
def test_hits_are_the_newest_matches(
    corpus,
    monkeypatch,
    words,
    agency,
    year,
    exclude,
    any_word,
    candidates,
    probe,
    walk_cost,
    walks,
    year_cost,
):
    monkeypatch.setattr(backends, "CANDIDATES", candidates)
    monkeypatch.setattr(backends, "COUNT_CAP", candidates)
    monkeypatch.setattr(backends, "PROBE", probe)
    monkeypatch.setattr(backends, "WALK_COST", walk_cost)
    monkeypatch.setattr(backends, "WALKS", walks)
    monkeypatch.setattr(backends, "YEAR_COST", year_cost)
    filters = Filters(agency=agency, year=year, exclude_agencies=exclude)
    expected = _expected(corpus, words, filters, any_word)

    hits = get_backend().search(words, filters, 0, SIZE, any_word=any_word)

    assert hits.total == min(len(expected), candidates + 1)
    assert sorted(hits.ids) == sorted(expected[:candidates])
    assert len(hits.ids) == len(set(hits.ids))


def test_pages_are_slices_of_one_ranking(corpus, monkeypatch):
    monkeypatch.setattr(backends, "PROBE", 3)
    whole = get_backend().search(["常见"], Filters(), 0, SIZE).ids
    pages = [get_backend().search(["常见"], Filters(), n, 10).ids for n in range(0, 60, 10)]
    assert [pk for page in pages for pk in page] == whole[:60]


def test_an_empty_index_and_an_unknown_year_find_nothing(db):
    assert get_backend().search(["常见"], Filters(), 0, 10).total == 0
    assert get_backend().search(["常见"], Filters(year=1999), 0, 10).total == 0


@pytest.mark.postgres
def test_postgres_sessions_run_without_jit(db):
    # JIT compiles long queries: tens of ms a search paid for nothing (docs/search.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
