"""Batch audit: folder walking, input order with worker processes, automatic year pairing."""

from __future__ import annotations

from gongkai.law.report_format import FORMAT_2021
from gongkai.reportdoc.batch import (
    RESULT_PAGE_MARK,
    Parsed,
    audit_batch,
    collect_paths,
    pair_previous,
    same_agency,
)
from gongkai.reportdoc.reader import read_report
from gongkai.reportdoc.render_html import render_report


def _write(path, report):
    path.write_text(render_report(report), encoding="utf-8")
    return path


def test_collect_paths_recursive_sorted_hidden_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.pdf").write_bytes(b"x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x").write_text("x")
    lone = tmp_path / "lone.html"
    paths = collect_paths([lone, tmp_path])
    assert paths == [lone, tmp_path / "a.txt", tmp_path / "b" / "2.pdf"]


def test_pair_previous_by_agency_and_year():
    parsed = [
        Parsed(0, "a", "s0", "某市交通运输局", 2023),
        Parsed(1, "b", "s1", "某市 交通运输局", 2022),  # spacing differs: same agency
        Parsed(2, "c", "s2", "某县财政局", 2023),
        Parsed(3, "d", None, None, None, error="坏文件"),
        Parsed(4, "e", "s4", "某县财政局", 2021),  # two years back: no pair
    ]
    assert pair_previous(parsed) == {0: 1}


def test_consecutive_years_are_paired_and_checked_constructed(tmp_path, make_report):
    before = make_report(FORMAT_2021, agency="某市交通运输局", year=2022, base=3)
    after = make_report(FORMAT_2021, agency="某市交通运输局", year=2023, base=5)
    other = make_report(FORMAT_2021, agency="某县财政局", year=2023, base=5)
    files = [
        _write(tmp_path / "1_2023.html", after),
        _write(tmp_path / "2_2022.html", before),
        _write(tmp_path / "3_other.html", other),
    ]
    outcomes = list(audit_batch(files))
    assert [o.path for o in outcomes] == [str(f) for f in files]
    first = outcomes[0]
    assert first.previous_path == str(files[1])
    y1 = [f for f in first.report.findings if f.rule == "Y1"]
    assert y1  # carried_over(2023) = 2 per column, carried_forward(2022) = 1
    assert outcomes[2].previous_path is None
    assert not [f for f in outcomes[2].report.findings if f.rule == "Y1"]


def test_matching_carry_over_gives_no_y1_constructed(tmp_path, make_report):
    before = make_report(FORMAT_2021, agency="某市交通运输局", year=2022, base=3)
    after = make_report(FORMAT_2021, agency="某市交通运输局", year=2023, base=4)
    files = [_write(tmp_path / "a.html", before), _write(tmp_path / "b.html", after)]
    outcomes = list(audit_batch(files))
    assert outcomes[1].previous_path == str(files[0])
    assert not [f for f in outcomes[1].report.findings if f.rule == "Y1"]


def test_explicit_previous_serves_unpaired_files_constructed(tmp_path, make_report):
    before = make_report(FORMAT_2021, agency="某市交通运输局", year=2022, base=3)
    after = make_report(FORMAT_2021, agency="某市交通运输局", year=2023, base=5)
    (outcome,) = audit_batch([_write(tmp_path / "a.html", after)], previous=before)
    assert [f for f in outcome.report.findings if f.rule == "Y1"]


def test_unreadable_file_does_not_stop_the_batch_constructed(tmp_path, make_report):
    good = _write(tmp_path / "good.html", make_report(FORMAT_2021, agency="甲局", year=2023))
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    missing = tmp_path / "missing.docx"
    outcomes = list(audit_batch([bad, good, missing]))
    assert [o.report is None for o in outcomes] == [True, False, True]
    assert "bad.pdf" in outcomes[0].error
    assert "missing.docx" in outcomes[2].error


def test_worker_processes_keep_input_order_constructed(tmp_path, make_report, corpus):
    files = [corpus / "huaian_hongzequ_2023.pdf"]
    for i in range(6):
        report = make_report(FORMAT_2021, agency=f"第{i}局", year=2023, base=i)
        files.append(_write(tmp_path / f"{9 - i}.html", report))
    files.append(corpus / "ruzhou_xinfang_2022.txt")
    serial = [(o.path, o.report.agency) for o in audit_batch(files, jobs=1)]
    parallel = [(o.path, o.report.agency) for o in audit_batch(files, jobs=2)]
    assert parallel == serial
    assert [p for p, _ in parallel] == [str(f) for f in files]


def test_two_pass_batch_gives_the_same_findings_as_reading_directly(corpus):
    names = ["huaian_hongzequ_2023.pdf", "shanghai_kewei_2024_pdf-extracted.md"]
    outcomes = list(audit_batch([corpus / n for n in names]))
    for name, outcome in zip(names, outcomes, strict=True):
        direct = read_report(corpus / name)
        assert outcome.report.findings == direct.findings
        assert outcome.report.to_json() == direct.to_json() | {"source": str(corpus / name)}


def test_a_crash_in_the_checks_costs_one_file_constructed(tmp_path, make_report, monkeypatch):
    good = _write(tmp_path / "a.html", make_report(FORMAT_2021, agency="甲局", year=2023))
    other = _write(tmp_path / "b.html", make_report(FORMAT_2021, agency="乙局", year=2023))

    def audit(report, previous=None):
        if report.agency == "甲局":
            raise ZeroDivisionError("boom")
        return report

    monkeypatch.setattr("gongkai.reportdoc.batch.audit", audit)  # imported at the top
    outcomes = list(audit_batch([good, other]))
    assert "内部错误" in outcomes[0].error
    assert outcomes[1].report is not None


def test_pairing_accepts_the_short_and_the_full_name_of_one_agency():
    parsed = [
        Parsed(0, "a", "s0", "宿迁市沭阳县人民政府", 2024),
        Parsed(1, "b", "s1", "沭阳县人民政府", 2023),
        Parsed(2, "c", "s2", "某县财政局", 2024),
        Parsed(3, "d", "s3", "局", 2023),  # too short to be a name's ending
    ]
    assert pair_previous(parsed) == {0: 1}
    assert same_agency("淮安市洪泽区人民政府", "洪泽区人民政府")
    assert not same_agency("洪泽区人民政府", "沭阳县人民政府")
    assert not same_agency(None, "洪泽区人民政府")


def test_two_candidates_for_last_year_pair_with_neither():
    parsed = [
        Parsed(0, "a", "s0", "某市交通运输局", 2023),
        Parsed(1, "b", "s1", "某市交通运输局", 2022),
        Parsed(2, "c", "s2", "交通运输局", 2022),  # both end the same: which one? neither
    ]
    assert 0 not in pair_previous(parsed)


def test_explicit_previous_of_another_agency_is_not_used_constructed(tmp_path, make_report):
    before = make_report(FORMAT_2021, agency="某县财政局", year=2022, base=3)
    after = make_report(FORMAT_2021, agency="某市交通运输局", year=2023, base=5)
    (outcome,) = audit_batch([_write(tmp_path / "a.html", after)], previous=before)
    assert outcome.previous_path is None
    assert not [f for f in outcome.report.findings if f.rule in ("Y1", "Y2")]


def test_our_own_result_page_and_output_files_are_not_inputs(tmp_path):
    (tmp_path / "report.txt").write_text("x")
    (tmp_path / "result.html").write_text(f"<html><head>{RESULT_PAGE_MARK}</head></html>")
    (tmp_path / "out.csv").write_text("x")
    assert collect_paths([tmp_path], exclude=[tmp_path / "out.csv"]) == [tmp_path / "report.txt"]
