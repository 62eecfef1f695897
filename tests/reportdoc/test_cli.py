"""``gongkai audit``: outputs, exit statuses, batches."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from gongkai.cli import main
from gongkai.law.report_format import FORMAT_2021
from gongkai.reportdoc.render_html import cell_label, render_report

CONTRACT_KEYS = {"format", "agency", "year", "table2", "table3", "table4", "findings"}


@pytest.fixture
def folder(tmp_path, make_report, corpus):
    """Three readable reports (a constructed pair of years, one real PDF) and nothing else."""
    root = tmp_path / "reports"
    (root / "sub").mkdir(parents=True)
    before = make_report(FORMAT_2021, agency="某市交通运输局", year=2022, base=3)
    after = make_report(FORMAT_2021, agency="某市交通运输局", year=2023, base=5)
    (root / "a_2022.html").write_text(render_report(before), encoding="utf-8")
    (root / "sub" / "b_2023.html").write_text(render_report(after), encoding="utf-8")
    (root / "c.pdf").write_bytes((corpus / "huaian_hongzequ_2023.pdf").read_bytes())
    return root


def _two_years(tmp_path, make_report, agency: str, later_agency: str | None = None):
    """Reports of 2022 and 2023 as pages; 2023 carries over 2 per column, 2022 forwarded 1."""
    paths = []
    for year, base, who in ((2022, 3, agency), (2023, 5, later_agency or agency)):
        path = tmp_path / f"{year}.html"
        path.write_text(
            render_report(make_report(FORMAT_2021, agency=who, year=year, base=base)), "utf-8"
        )
        paths.append(path)
    return paths


def test_human_output_names_offending_cells(capsys, corpus):
    status = main(["audit", str(corpus / "huaian_hongzequ_2023.pdf")])
    out = capsys.readouterr().out
    assert status == 0  # findings alone do not fail the run
    assert "洪泽区人民政府" in out
    assert "［错误］T4" in out
    assert "表四「行政复议」「总计」 ＝ 0（第4页" in out


def test_human_output_keeps_notices_short_and_errors_whole(capsys, corpus):
    main(["audit", str(corpus / "shanghai_kewei_2024_pdf-extracted.md")])
    lines = capsys.readouterr().out.splitlines()
    notice = next(i for i, line in enumerate(lines) if "［提示］R2" in line)
    assert lines[notice + 3].strip() == "…等共 7 个单元格"  # two cells shown, then the count
    t2 = next(i for i, line in enumerate(lines) if "［错误］T2" in line)
    shown = [line for line in lines[t2 + 1 : t2 + 8] if line.startswith("      表三")]
    assert len(shown) == 7  # an error lists every cell of the row it names


def test_fail_on_error_exits_1(capsys, corpus):
    assert main(["audit", "--fail-on", "error", str(corpus / "huaian_hongzequ_2023.pdf")]) == 1


def test_fail_on_warning_with_clean_constructed_report(tmp_path, capsys, make_report):
    path = tmp_path / "clean.html"
    path.write_text(render_report(make_report(FORMAT_2021, agency="甲局", year=2023)), "utf-8")
    assert main(["audit", "--fail-on", "warning", str(path)]) == 0
    assert "未发现问题" in capsys.readouterr().out


def test_json_single_file_is_one_object(capsys, corpus):
    assert main(["audit", "--json", str(corpus / "huaian_hongzequ_2023.pdf")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= CONTRACT_KEYS
    assert data["table4"]["reconsideration"]["total"] == 0
    assert data["table3"]["other_no_correction"]["total"] is None  # blank stays null
    assert {"rule", "severity", "cells", "message"} == set(data["findings"][0])


def test_json_batch_is_an_array_in_input_order_constructed(capsys, folder):
    assert main(["audit", "--json", str(folder)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["source"] for d in data] == [
        str(folder / "a_2022.html"),
        str(folder / "c.pdf"),
        str(folder / "sub" / "b_2023.html"),
    ]
    assert any(f["rule"] == "Y1" for f in data[2]["findings"])  # paired automatically


def test_unreadable_file_exits_2_and_others_still_output_constructed(capsys, folder):
    (folder / "zz_broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    status = main(["audit", "--json", str(folder)])
    captured = capsys.readouterr()
    assert status == 2
    data = json.loads(captured.out)
    assert len(data) == 4
    assert data[3]["error"]
    assert "zz_broken.docx" in captured.err
    assert "Traceback" not in captured.err


def test_not_a_report_exits_2_naming_the_file(tmp_path, capsys):
    path = tmp_path / "菜谱.txt"
    path.write_text("红烧肉的做法：五花肉切块，焯水，炒糖色。\n" * 5, encoding="utf-8")
    assert main(["audit", str(path)]) == 2
    err = capsys.readouterr().err
    assert "菜谱.txt" in err
    assert "不是政府信息公开工作年度报告" in err


def test_csv_one_row_per_finding_utf8_sig(tmp_path, capsys, corpus):
    out = tmp_path / "out.csv"
    assert main(["audit", "--csv", str(out), str(corpus / "huaian_hongzequ_2023.pdf")]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM correctly
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert set(rows[0]) == {"file", "agency", "year", "rule", "severity", "cells", "message"}
    t4 = [r for r in rows if r["rule"] == "T4"]
    assert len(t4) == 2
    assert t4[0]["cells"].startswith("table4.")
    assert "已写入" in capsys.readouterr().out


def test_html_batch_page_is_self_contained_constructed(tmp_path, capsys, folder):
    (folder / "zz_bad.pdf").write_bytes(b"%PDF-1.4 broken")
    out = tmp_path / "out.html"
    assert main(["audit", "--html", str(out), str(folder)]) == 2
    page = out.read_text("utf-8")
    assert page.count('<tr class="gk-failed">') == 1
    assert page.count('<article class="gk-report"') == 3
    assert "gk-bad-error" in page
    assert "<script" not in page
    assert "http" not in page.replace('xmlns="http', "")


def test_output_folder_missing_exits_2(tmp_path, capsys, corpus):
    status = main(
        ["audit", "--csv", str(tmp_path / "no" / "x.csv"), str(corpus / "ruzhou_xinfang_2022.txt")]
    )
    assert status == 2
    assert "输出文件夹不存在" in capsys.readouterr().err


def test_explicit_previous_enables_y1_constructed(tmp_path, capsys, make_report):
    before, after = _two_years(tmp_path, make_report, "乙局")
    assert main(["audit", "--json", "--previous", str(before), str(after)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any(f["rule"] == "Y1" for f in data["findings"])


def test_unreadable_previous_exits_2(tmp_path, capsys, corpus):
    status = main(
        ["audit", "--previous", str(tmp_path / "nope.pdf"), str(corpus / "ruzhou_xinfang_2022.txt")]
    )
    assert status == 2
    assert "nope.pdf" in capsys.readouterr().err


def test_jobs_gives_same_json_as_serial_constructed(capsys, folder):
    main(["audit", "--json", str(folder)])
    serial = capsys.readouterr().out
    main(["audit", "--json", "--jobs", "2", str(folder)])
    assert capsys.readouterr().out == serial


def test_no_progress_bar_when_stderr_is_not_a_tty_constructed(capsys, folder):
    main(["audit", str(folder)])
    assert "读取报告" not in capsys.readouterr().err


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["audit", "--jobs", "0", "x"])
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        main(["audit", "--json", "--csv", "o.csv", "x"])


def test_progress_bar_on_a_terminal_for_batches_constructed(capsys, folder, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    main(["audit", "--csv", str(folder.parent / "o.csv"), str(folder)])
    assert "读取报告" in capsys.readouterr().err


def test_empty_folder_exits_2(tmp_path, capsys):
    assert main(["audit", str(tmp_path)]) == 2
    assert "没有找到" in capsys.readouterr().err


def test_json_single_unreadable_file_writes_nothing_to_stdout(tmp_path, capsys):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4 nope")
    assert main(["audit", "--json", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "x.pdf" in captured.err


def test_audit_command_imports_no_django_and_no_pdf_stack_for_text(corpus):
    code = (
        "import sys; from gongkai.cli import main; "
        "main(['audit', '--json', sys.argv[1]]); "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('django', 'pdfminer', 'docx')]"
    )
    text = str(corpus / "ruzhou_xinfang_2022.txt")
    done = subprocess.run([sys.executable, "-c", code, text], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()


def test_output_target_that_cannot_be_written_exits_2_before_the_batch(tmp_path, capsys, corpus):
    report = str(corpus / "ruzhou_xinfang_2022.txt")
    assert main(["audit", "--csv", str(tmp_path), report]) == 2
    assert "输出路径是一个文件夹" in capsys.readouterr().err


def test_result_files_are_readable_by_others(tmp_path, capsys, corpus):
    out = tmp_path / "out.csv"
    main(["audit", "--csv", str(out), str(corpus / "ruzhou_xinfang_2022.txt")])
    assert out.stat().st_mode & 0o044  # not mkstemp's owner-only 0600


def test_a_second_run_does_not_read_its_own_result_page(tmp_path, capsys, corpus):
    folder = tmp_path / "年报"
    folder.mkdir()
    (folder / "r.txt").write_bytes((corpus / "ruzhou_xinfang_2022.txt").read_bytes())
    page = folder / "检查结果.html"
    main(["audit", "--html", str(page), str(folder)])
    first = capsys.readouterr().out
    main(["audit", "--html", str(page), str(folder)])
    assert capsys.readouterr().out == first  # 「共检查 1 个文件」 both times
    assert "共检查 1 个文件" in first


def test_previous_of_another_agency_is_said_and_not_used_constructed(tmp_path, capsys, make_report):
    before, after = _two_years(tmp_path, make_report, "丙局", "乙局")
    assert main(["audit", "--json", "--previous", str(before), str(after)]) == 0
    captured = capsys.readouterr()
    assert not any(f["rule"] == "Y1" for f in json.loads(captured.out)["findings"])
    assert "未用于跨年度核对" in captured.err


def test_csv_neutralises_formulas_and_lists_clean_files(tmp_path, capsys, make_report):
    clean = tmp_path / "clean.html"
    clean.write_text(render_report(make_report(FORMAT_2021, agency="乙局", year=2023)), "utf-8")
    risky = tmp_path / "=risky.txt"
    risky.write_text(
        '=HYPERLINK("x")2023年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n'
    )
    out = tmp_path / "out.csv"
    main(["audit", "--csv", str(out), str(clean), str(risky)])
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [r[0] for r in rows[1:] if r[-1] == "未发现问题"] == [str(clean)]
    assert all(not cell.startswith(("=", "+", "@")) for row in rows[1:] for cell in row)


def test_json_names_the_title_and_last_years_report_constructed(tmp_path, capsys, make_report):
    before, after = _two_years(tmp_path, make_report, "乙局")
    main(["audit", "--json", str(before), str(after)])
    data = json.loads(capsys.readouterr().out)
    assert data[1]["previous"] == str(before)
    assert data[0]["previous"] is None
    assert data[1]["title"] == "乙局2023年政府信息公开工作年度报告"


def test_a_file_given_twice_is_audited_once(capsys, corpus):
    report = str(corpus / "ruzhou_xinfang_2022.txt")
    main(["audit", report, report])
    assert capsys.readouterr().out.count(f"【{report}】") == 1


def test_previous_year_cells_are_named_in_the_forms_words():
    assert cell_label("previous.table3.carried_forward.total").startswith("上一年度表三")
