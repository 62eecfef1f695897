"""Parsing and validating schedule files (no database)."""

import json
from datetime import date

import pytest

from gongkai.workdays.importing import CalendarImportError, parse_bytes, parse_csv, parse_json

SOURCE = "国务院办公厅关于2027年部分节假日安排的通知（测试用）"


def schedule_json(**overrides):
    data = {
        "year": 2027,
        "source": SOURCE,
        "holidays": [
            {"date": "2027-01-01", "name": "元旦"},
            {"date": "2027-01-02", "name": "元旦"},
            {"date": "2027-02-08", "name": "春节"},
        ],
        "workdays": [{"date": "2027-02-20", "name": "春节"}],
    }
    data.update(overrides)
    return json.dumps(data, ensure_ascii=False)


def errors_of(func, *args, **kwargs):
    with pytest.raises(CalendarImportError) as exc:
        func(*args, **kwargs)
    return exc.value.errors


def test_valid_json():
    schedule = parse_json(schedule_json())
    assert schedule.year == 2027
    assert schedule.source == SOURCE
    assert schedule.holidays == {
        date(2027, 1, 1): "元旦",
        date(2027, 1, 2): "元旦",
        date(2027, 2, 8): "春节",
    }
    assert schedule.workdays == {date(2027, 2, 20): "春节"}


def test_source_option_overrides_json():
    assert parse_json(schedule_json(), source="另一来源").source == "另一来源"


def test_valid_csv():
    text = (
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-08,放假,春节\n\n2027-02-20,workday,春节\n"
    )
    schedule = parse_csv(text, source=SOURCE)
    assert schedule.year == 2027
    assert set(schedule.holidays) == {date(2027, 1, 1), date(2027, 2, 8)}
    assert schedule.workdays == {date(2027, 2, 20): "春节"}


def test_every_problem_is_reported_with_its_field():
    bad = schedule_json(
        holidays=[
            {"date": "2027-13-01", "name": "元旦"},
            {"date": "2026-12-31", "name": "元旦"},
            {"date": "2027-01-09"},  # a Saturday, unnamed
            {"date": "2027-02-08", "name": "春节", "colour": "red"},
        ],
        workdays=[{"date": "2027-02-10", "name": "春节"}, {"date": "2027-02-08", "name": "春节"}],
    )
    errors = errors_of(parse_json, bad)
    text = "\n".join(errors)
    assert "字段 holidays[0].date：日期「2027-13-01」无效" in text
    assert "字段 holidays[1]：日期 2026-12-31 不属于 2027 年" in text
    assert "字段 holidays[2]：放假日 2027-01-09（星期六）是周末" in text
    assert "不认识的字段 colour" in text
    assert "字段 workdays[0]：调休上班日 2027-02-10（星期三）不是周末" in text
    assert (
        "字段 workdays[1]：日期 2027-02-08 同时被列为放假和调休上班（另见字段 holidays[3]）" in text
    )
    assert len(errors) == 6


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{not json", "不是有效的 JSON"),
        ("[1, 2]", "顶层应为对象"),
        (schedule_json(year="2027"), "年份「2027」无效"),
        (schedule_json(year=1800), "超出合理范围"),
        (schedule_json(source=""), "缺少来源"),
        (schedule_json(holidays=[]), "holidays 为空"),
        (schedule_json(holidays="2027-01-01"), "字段 holidays：应为列表"),
        (schedule_json(extra=1), "不认识的字段 extra"),
    ],
)
def test_json_errors(text, needle):
    assert needle in "\n".join(errors_of(parse_json, text))


def test_json_without_year():
    data = json.loads(schedule_json())
    del data["year"]
    assert "缺少字段 year" in "\n".join(errors_of(parse_json, json.dumps(data)))


def test_duplicate_date():
    bad = schedule_json(
        holidays=[{"date": "2027-01-01", "name": "元旦"}, {"date": "2027-01-01", "name": "元旦"}]
    )
    assert "日期 2027-01-01 重复（另见字段 holidays[0]）" in "\n".join(errors_of(parse_json, bad))


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "CSV 文件为空"),
        ("day,type,label\n2027-01-01,holiday,元旦\n", "第 1 行：表头应为 date,kind,name"),
        ("date,kind,name\n2027-01-01,vacation,元旦\n", "第 2 行 kind 列：类型「vacation」无效"),
        ("date,kind,name\n2027/01/01,holiday,元旦\n", "第 2 行 date 列：日期「2027/01/01」无效"),
        ("date,kind,name\n2027-01-01\n", "第 2 行：应有 2–3 列"),
        ("date,kind,name\n2027-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n", "跨越多个年份"),
        ("date,kind,name\n2027-02-20,workday,春节\n", "没有放假日期"),
        ("date,kind,name\n", "没有任何日期行"),
        ("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,workday,\n", "第 3 行：调休上班日"),
    ],
)
def test_csv_errors(text, needle):
    assert needle in "\n".join(errors_of(parse_csv, text, source=SOURCE))


def test_csv_requires_source():
    errors = errors_of(parse_csv, "date,kind,name\n2027-01-01,holiday,元旦\n")
    assert any("缺少来源" in e for e in errors)


def test_parse_bytes_detects_format_and_encoding():
    assert parse_bytes(schedule_json().encode(), filename="x.txt").year == 2027
    csv_bytes = "\ufeffdate,kind,name\n2027-01-01,holiday,元旦\n".encode()
    assert parse_bytes(csv_bytes, filename="x.csv", source=SOURCE).year == 2027
    errors = errors_of(parse_bytes, "date,kind,name\n".encode("gbk") + "元旦".encode("gbk"))
    assert "不是 UTF-8 编码" in errors[0]
