"""Import of historical cases: CSV with/without BOM, XLSX, all or nothing, line numbers."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from gongkai.applications import stats
from gongkai.applications.importing import import_cases
from gongkai.applications.models import Application, ApplicationCounter
from gongkai.eventlog.models import Event

from .conftest import COMPANY_CODE, RESIDENT_ID

pytestmark = pytest.mark.django_db

HEADER = "收到日期,渠道,申请人类别,申请人,证件号码,联系方式,申请内容,办结日期,办理结果,编号"
GOOD = [
    f"2025-03-02,邮寄,自然人,张三,{RESIDENT_ID},13812345678,请公开某文件,2025-03-20,1.属于国家秘密,",
    f"2025-04-01,网络,商业企业,某公司,{COMPANY_CODE},a@example.com,请公开某批复,2025-04-10,予以公开,",
    "2025-12-29,当面,其他,某协会,,示范路1号,请公开某会议纪要,,,〔2025〕第0100号",
    "2026-01-05,电子邮件,科研机构,某研究所,,b@example.com,请公开某统计,2026-01-20,"
    '"（二）部分公开（区分处理的，只计这一情形，不计其他情形）",',
]


def _csv(lines, bom=False):
    text = "\n".join([HEADER, *lines]) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


def test_csv_import_with_bom(bundled_calendar, petition_bureau):
    report = import_cases(_csv(GOOD, bom=True), filename="h.csv", agency=petition_bureau)
    assert report.errors == []
    assert report.written
    assert (report.rows, report.closed_cases, report.open_cases) == (4, 3, 1)
    numbers = dict(Application.objects.values_list("applicant_name", "number"))
    assert numbers["张三"] == "〔2025〕第0101号"  # after the highest given 2025 number
    assert numbers["某协会"] == "〔2025〕第0100号"
    assert numbers["某研究所"] == "〔2026〕第0001号"
    assert ApplicationCounter.objects.get(year=2025).last == 102
    open_case = Application.objects.get(applicant_name="某协会")
    assert open_case.status == "in_progress"
    assert open_case.due_on is not None
    research = Application.objects.get(applicant_name="某研究所")
    assert research.outcome == "partially_granted"
    assert Event.objects.filter(action="applications.imported").count() == 1
    table = stats.table3(petition_bureau, 2025)
    assert table["denied_state_secret"]["natural_person"] == 1
    assert table["carried_forward"]["other_org"] == 1


def test_one_bad_line_writes_nothing(bundled_calendar, petition_bureau):
    bad = [
        *GOOD[:2],
        "2025-02-30,邮寄,自然人,李四,,1390000,请公开,,,",
        *GOOD[2:],
        "2025-05-01,飞鸽,自然人,王五,110105194912310021,,请公开,2025-05-02,,",
    ]
    report = import_cases(_csv(bad), filename="h.csv", agency=petition_bureau)
    assert not report.written
    assert not Application.objects.exists()
    assert not Event.objects.filter(action="applications.imported").exists()
    joined = "\n".join(report.errors)
    assert "第 4 行：收到日期「2025-02-30」不是有效日期" in joined
    assert "第 7 行：渠道「飞鸽」无效" in joined
    assert "第 7 行：证件号码无效" in joined
    assert "第 7 行：有办结日期时必须填写办理结果" in joined


def test_outcome_without_date_and_unknown_column(bundled_calendar, petition_bureau):
    report = import_cases(
        _csv(["2025-03-02,邮寄,自然人,张三,,1390000,x,,予以公开,"]),
        filename="a.csv",
        agency=petition_bureau,
    )
    assert report.errors == ["第 2 行：填写了办理结果但没有办结日期"]
    report = import_cases(b"received,foo\n2025-01-01,x\n", filename="a.csv", agency=petition_bureau)
    assert "第 1 行：无法识别的列「foo」" in report.errors
    assert any("缺少必填列" in e for e in report.errors)


def test_dry_run_writes_nothing(bundled_calendar, petition_bureau):
    report = import_cases(_csv(GOOD), filename="h.csv", agency=petition_bureau, dry_run=True)
    assert report.errors == []
    assert not report.written
    assert report.rows == 4
    assert not Application.objects.exists()
    assert not ApplicationCounter.objects.filter(last__gt=0).exists()


def test_xlsx_with_english_aliases(bundled_calendar, petition_bureau):
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "received",
            "channel",
            "applicant_class",
            "applicant",
            "contact",
            "request",
            "decided",
            "outcome",
        ]
    )
    sheet.append(
        [
            date(2025, 6, 3),
            "fax",
            "legal_services",
            "某律所",
            13900001111,
            "请公开",
            date(2025, 6, 20),
            "unable_not_held",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_cases(buffer.getvalue(), filename="h.xlsx", agency=petition_bureau)
    assert report.errors == []
    case = Application.objects.get()
    assert (case.channel, case.contact_phone, case.outcome) == (
        "fax",
        "13900001111",
        "unable_not_held",
    )


def test_number_already_taken(bundled_calendar, petition_bureau):
    import_cases(_csv(GOOD[2:3]), filename="a.csv", agency=petition_bureau)
    report = import_cases(_csv(GOOD[2:3]), filename="a.csv", agency=petition_bureau)
    assert report.errors == ["第 2 行：编号 〔2025〕第0100号 已存在"]


def test_cli_import_and_errors(bundled_calendar, petition_bureau, tmp_path, capsys):
    path = tmp_path / "cases.csv"
    path.write_bytes(_csv(GOOD))
    call_command("applications", "import", str(path), "--agency", "示范市信访局", "--dry-run")
    assert "检查通过" in capsys.readouterr().out
    assert not Application.objects.exists()
    call_command("applications", "import", str(path), "--agency", "市信访局", "--json")
    assert json.loads(capsys.readouterr().out)["written"] is True
    assert Application.objects.count() == 4
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(["2025-13-01,邮寄,自然人,张三,,1390000,x,,,"]))
    with pytest.raises(SystemExit) as info:
        call_command("applications", "import", str(bad), "--agency", "市信访局")
    assert info.value.code == 2
    assert "第 2 行" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        call_command("applications", "import", str(tmp_path / "none.csv"), "--agency", "市信访局")
    assert info.value.code == 2
