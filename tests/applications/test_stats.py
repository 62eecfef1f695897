"""Table 三 from the cases: the counting rule, S1/T1/T2 by construction, the CLI."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command

from gongkai.applications import stats
from gongkai.law import consistency
from gongkai.law.report_format import FORMATS

pytestmark = pytest.mark.django_db

FMT = FORMATS["2021"]


@pytest.fixture
def cases(make_application, answer, sysadmin, far_agency):
    # carried over from 2025, answered in 2026
    old = make_application(event_on=date(2025, 12, 22))
    answer(old, "granted", date(2026, 1, 8))
    # carried over from 2025, closed in 2025: not in 2026 at all
    done = make_application(event_on=date(2025, 11, 3))
    answer(done, "denied_state_secret", date(2025, 11, 20))
    # new in 2026, closed in 2026
    company = make_application(
        applicant_class="commercial",
        applicant_name="某某有限公司",
        id_type="credit_code",
        id_number="91350100M000100Y43",
    )
    answer(company, "partially_granted", date(2026, 3, 20))
    # new in 2026, still open at the end of the year
    make_application(event_on=date(2026, 3, 2))
    make_application(
        event_on=date(2026, 12, 28),
        applicant_class="research",
        applicant_name="某研究所",
        id_type="none",
        id_number="",
    )
    # another agency's case never counts for ours
    make_application(actor=sysadmin, agency=far_agency)
    return old


def test_counting_rule(cases, petition_bureau, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        table = stats.table3(petition_bureau, 2026)
    assert table["new_received"]["total"] == 3
    assert table["new_received"]["natural_person"] == 1
    assert table["new_received"]["commercial"] == 1
    assert table["carried_over"] == {
        **dict.fromkeys(table["carried_over"], 0),
        "natural_person": 1,
        "total": 1,
    }
    assert table["granted"]["natural_person"] == 1
    assert table["partially_granted"]["commercial"] == 1
    assert table["denied_state_secret"]["total"] == 0
    assert table["total_processed"]["total"] == 2
    assert table["carried_forward"]["research"] == 1
    assert table["carried_forward"]["total"] == 2  # the research institute + 2026-03-02 person
    assert list(table) == list(FMT.table3_row_keys)
    assert all(isinstance(v, int) for row in table.values() for v in row.values())
    findings = consistency.check_tables(FMT, None, table, None)
    assert [f for f in findings if f.rule in {"S1", "T1", "T2"}] == []
    assert stats.check(table) == []
    previous = stats.table3(petition_bureau, 2025)
    assert previous["carried_forward"]["total"] == table["carried_over"]["total"]


def test_region_includes_subregions(cases, city, province, other_city):
    assert stats.table3(city, 2026)["new_received"]["total"] == 3
    assert stats.table3(province, 2026)["new_received"]["total"] == 4
    assert stats.table3(other_city, 2026)["new_received"]["total"] == 1


def test_cli_json_shape(cases, capsys):
    call_command("stats", "table3", "--agency", "市信访局", "--year", "2026", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "2021"
    assert data["agency"] == "示范市信访局"
    assert data["year"] == 2026
    assert len(data["table3"]) == 25
    assert all(len(cells) == 7 for cells in data["table3"].values())
    assert data["findings"] == []
    assert data["table4"]["reconsideration"]["total"] is None


def test_cli_text_and_credit_code(cases, capsys, petition_bureau):
    call_command("stats", "table3", "--agency", petition_bureau.credit_code, "--year", "2026")
    out = capsys.readouterr().out
    assert "一、本年新收政府信息公开申请数量\t1\t1\t1\t0\t0\t0\t3" in out
    assert "勾稽关系" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--agency", "不存在的局", "--year", "2026"], "没有找到机关"),
        (["--agency", "市信访局", "--year", "二〇二六"], "四位数字"),
        (["--region", "火星", "--year", "2026"], "没有找到地区"),
    ],
)
def test_cli_bad_input_exit_2(cases, capsys, args, fragment):
    with pytest.raises(SystemExit) as info:
        call_command("stats", "table3", *args)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
