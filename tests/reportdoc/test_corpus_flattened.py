"""The 平潭 crawl (flattened page text) against the truth files written for it, cell by cell.

The truth files (``tests/reportdoc/truth/``, see the README there) come from three readings by
hand, never from this reader. A TXT cell must equal the truth; where the truth is null it must
be null. A table-二 row whose glued run has no rule to split it (2024 「6233440」) may be null
only with an R1 finding that lists the true reading among its candidates.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from corpus import CORPUS
from gongkai.law.findings import Severity
from gongkai.reportdoc.reader import read_report

YEARS = (2019, 2021, 2023, 2024)


def _source(year: int, ext: str = "txt"):
    return CORPUS / f"pingtan_guanweihui_{year}.{ext}"


@pytest.fixture(scope="module")
def reports():
    return {year: read_report(_source(year)) for year in YEARS}


def _cells(truth: dict):
    for table in ("table2", "table3", "table4"):
        for row, cols in truth[table].items():
            for col, value in cols.items():
                yield f"{table}.{row}.{col}", value


@pytest.mark.parametrize("year", YEARS)
def test_every_cell_is_the_truth_or_unread_with_its_candidates(reports, load_truth, year):
    report = reports[year]
    truth = load_truth(f"pingtan_guanweihui_{year}")
    assert (report.format, report.agency, report.year) == (
        truth["format"],
        truth["agency"],
        truth["year"],
    )
    r1 = [f for f in report.findings if f.rule == "R1"]
    wrong = []
    for path, expected in _cells(truth):
        got = report.cell(path)
        if expected is None:
            if got is not None:
                wrong.append((path, got, None))
            continue
        if got is None:
            row = path.split(".")[1]
            table = path.split(".")[0]
            explained = [f for f in r1 if path in f.cells]
            # only a table-二 row may stay unread, and its finding lists the true reading
            truth_row = "/".join(str(v) for v in truth[table][row].values())
            if table != "table2" or not any(truth_row in f.message for f in explained):
                wrong.append((path, None, expected))
            continue
        if Decimal(str(got)) != Decimal(str(expected)):
            wrong.append((path, got, expected))
    assert wrong == []


@pytest.mark.parametrize("year", YEARS)
def test_no_false_error(reports, year):
    errors = [f for f in reports[year].findings if f.severity == Severity.ERROR]
    assert errors == []


@pytest.mark.parametrize("year", YEARS)
def test_the_crawler_header_gives_title_and_publication_date(reports, year):
    report = reports[year]
    assert report.title == f"平潭综合实验区{year}年度政府信息公开工作年度报告"
    assert report.agency == "平潭综合实验区"
    published = {2019: "2020-01-20", 2021: "2022-02-08", 2023: "2024-03-08", 2024: "2025-03-10"}
    assert report.published == published[year]
    assert [f.rule for f in report.findings].count("P1") == (year != 2019)


@pytest.mark.parametrize("year", YEARS)
def test_all_six_sections_are_found_inside_the_long_line(reports, year):
    report = reports[year]
    assert list(report.sections) == [
        "overview",
        "proactive",
        "applications",
        "appeals",
        "problems",
        "other",
    ]
    assert not any(f.rule == "F2" for f in report.findings)
    assert "当前位置" not in " ".join(report.sections.values())
    assert "附件下载" not in report.sections["other"]


def test_the_2024_text_and_page_read_the_same_tables(reports):
    text = reports[2024]
    page = read_report(_source(2024, "html"))
    for table in ("table2", "table3", "table4"):
        for row, cols in getattr(page, table).items():
            for col, value in cols.items():
                got = getattr(text, table)[row][col]
                path = f"{table}.{row}.{col}"
                if got is None:  # unread in the text, and said so with the page's reading
                    assert any(path in f.cells and f.rule == "R1" for f in text.findings), path
                    assert table == "table2", path
                else:
                    assert Decimal(str(got)) == Decimal(str(value)), path
    assert (text.agency, text.year, text.format, text.published, text.title) == (
        page.agency,
        page.year,
        page.format,
        page.published,
        page.title,
    )


def test_inferred_cells_carry_a_notice_and_name_the_rules(reports):
    report = reports[2021]
    notices = [f for f in report.findings if f.rule == "R2" and f.severity == Severity.NOTICE]
    inferred = {c for f in notices for c in f.cells}
    assert "table3.new_received.natural_person" in inferred
    assert "table4.litigation_direct.upheld" in inferred
    note = report.provenance["table3.granted.commercial"].note
    # 「270020130」 splits as 27/0/0/2/0/1/30 or 2/7/0/0/20/1/30 under T2: T1 decides
    assert "T2" in note
    assert "T1" in note
    assert "270020130" in note
    assert "T4" in report.provenance["table4.litigation_direct.total"].note
    # a forced split (as many digits as cells) is a plain reading, not an inference
    assert "table3.carried_over.total" not in inferred


def test_an_ambiguous_table2_row_lists_its_candidates(reports):
    report = reports[2024]
    [finding] = [f for f in report.findings if "table2.normative_documents.issued" in f.cells]
    assert finding.rule == "R1"
    assert "6233440" in finding.message
    assert "62/33/440" in finding.message
