"""The regression set: every real report in the shared corpus against its truth file.

Each file, whatever its format, is read and audited as ``gongkai audit`` would: every cell is
the truth, or unread and said so (R1, or B1/F2 for a blank) — never a wrong number, never a
silent gap; no error unless its truth file records violations in the source. A report kept in
two formats (平潭 2024 as page text and as the original page) reads the same tables.
A new corpus file without a truth file fails here, so the set stays complete.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from corpus import CORPUS
from gongkai.law.findings import Severity
from gongkai.reportdoc.reader import read_report

NOT_REPORTS = {"README.md"}


def _reports() -> list[Path]:
    return sorted(
        p
        for p in CORPUS.iterdir()
        if p.is_file() and p.name not in NOT_REPORTS and not p.name.startswith("TEMPLATE_")
    )


def _truth_name(path: Path) -> str:
    return path.stem


REPORTS = _reports()


@pytest.fixture(scope="module")
def audited() -> dict[str, object]:
    return {p.name: read_report(p) for p in REPORTS}


def test_the_corpus_is_all_here() -> None:
    names = {p.name for p in REPORTS}
    assert len(names) >= 9
    assert {"pingtan_guanweihui_2024.txt", "pingtan_guanweihui_2024.html"} <= names


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_every_report_reads_true_or_says_what_it_could_not(path, audited, load_truth) -> None:
    truth = load_truth(_truth_name(path))
    report = audited[path.name]
    assert (report.format, report.year) == (truth["format"], truth["year"])
    said = {c for f in report.findings if f.rule in ("R1", "B1", "F2") for c in f.cells}
    wrong, silent = [], []
    for table in ("table2", "table3", "table4"):
        for row, cols in truth[table].items():
            for col, expected in cols.items():
                path_ = f"{table}.{row}.{col}"
                got = report.cell(path_)
                if got is None:
                    if expected is not None and path_ not in said:
                        silent.append(path_)
                elif expected is None or Decimal(str(got)) != Decimal(str(expected)):
                    wrong.append((path_, got, expected))
    assert wrong == []
    assert silent == []
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    if not truth.get("source_violations"):
        assert errors == [], [f.message for f in errors]


def test_a_report_in_two_formats_reads_the_same(audited) -> None:
    by_report = defaultdict(list)
    for path in REPORTS:
        by_report[_truth_name(path)].append(audited[path.name])
    pairs = [group for group in by_report.values() if len(group) > 1]
    assert pairs, "the corpus holds 平潭 2024 twice"
    for first, *others in pairs:
        for other in others:
            assert (other.agency, other.year, other.format, other.published) == (
                first.agency,
                first.year,
                first.format,
                first.published,
            )
            for table in ("table2", "table3", "table4"):
                for row, cols in getattr(first, table).items():
                    for col, value in cols.items():
                        mine = getattr(other, table)[row][col]
                        if value is None or mine is None:
                            # only a cell one copy leaves unread (R1), never a blank against a
                            # figure
                            unread = first if value is None else other
                            path_ = f"{table}.{row}.{col}"
                            assert any(
                                f.rule == "R1" and path_ in f.cells for f in unread.findings
                            ), path_
                        else:
                            assert Decimal(str(mine)) == Decimal(str(value))
