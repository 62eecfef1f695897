import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from gongkai.eventlog.models import Event
from gongkai.law.workdays import default_calendar
from gongkai.workdays import services
from gongkai.workdays.calendar import current_calendar
from gongkai.workdays.importing import CalendarImportError, YearSchedule, parse_json
from gongkai.workdays.models import CalendarYear, SpecialDay
from gongkai.workdays.services import import_year, seed_bundled_years
from gongkai.workdays.signals import calendar_year_loaded

pytestmark = pytest.mark.django_db

SOURCE_2027 = "国务院办公厅关于2027年部分节假日安排的通知（测试用）"
GOOD_2027 = {
    "year": 2027,
    "source": SOURCE_2027,
    "holidays": [
        {"date": "2027-01-01", "name": "元旦"},
        {"date": "2027-02-08", "name": "春节"},
        {"date": "2027-02-09", "name": "春节"},
    ],
    "workdays": [{"date": "2027-02-20", "name": "春节"}],
}


def snapshot():
    """Everything an import may touch."""
    return (
        list(
            SpecialDay.objects.order_by("date").values_list("date", "kind", "name", "source_notice")
        ),
        list(CalendarYear.objects.order_by("year").values_list("year", "source", "loaded_at")),
        Event.objects.count(),
    )


@pytest.fixture
def loaded_years():
    received = []

    def receiver(sender, year, **kwargs):
        received.append(year)

    calendar_year_loaded.connect(receiver)
    yield received
    calendar_year_loaded.disconnect(receiver)


@pytest.fixture
def schedule_2027():
    return parse_json(json.dumps(GOOD_2027, ensure_ascii=False))


def test_import_writes_rows_event_and_signal(
    bundled_calendar, schedule_2027, loaded_years, django_capture_on_commit_callbacks, sysadmin
):
    with django_capture_on_commit_callbacks(execute=True):
        loaded = import_year(schedule_2027, actor=sysadmin)
    assert loaded.year == 2027
    assert loaded.loaded_by == sysadmin
    rows = SpecialDay.objects.filter(year=2027).order_by("date")
    assert [(r.date, r.kind, r.name) for r in rows] == [
        (date(2027, 1, 1), "holiday", "元旦"),
        (date(2027, 2, 8), "holiday", "春节"),
        (date(2027, 2, 9), "holiday", "春节"),
        (date(2027, 2, 20), "workday", "春节"),
    ]
    assert {r.source_notice for r in rows} == {SOURCE_2027}
    event = Event.objects.get(action="workdays.year_import")
    assert event.after == {"year": 2027, "source": SOURCE_2027, "holidays": 3, "workdays": 1}
    assert event.actor == sysadmin
    assert loaded_years == [2027]


def test_already_loaded_year_needs_replace(
    bundled_calendar, schedule_2027, loaded_years, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_year(schedule_2027)
    before = snapshot()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(CalendarImportError) as exc,
    ):
        import_year(schedule_2027)
    assert "已经载入" in exc.value.message
    assert "--replace" in exc.value.message
    assert snapshot() == before
    assert loaded_years == [2027]


def test_replace_swaps_the_years_rows(
    bundled_calendar, schedule_2027, loaded_years, django_capture_on_commit_callbacks
):
    import_year(schedule_2027)
    smaller = YearSchedule(
        year=2027, source="更正后的通知", holidays={date(2027, 1, 1): "元旦"}, workdays={}
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_year(smaller, replace=True)
    assert list(SpecialDay.objects.filter(year=2027).values_list("date", "source_notice")) == [
        (date(2027, 1, 1), "更正后的通知")
    ]
    assert CalendarYear.objects.get(year=2027).source == "更正后的通知"
    event = Event.objects.filter(action="workdays.year_import").order_by("-seq").first()
    assert event.before["holidays"] == 3
    assert event.after["holidays"] == 1
    assert loaded_years == [2027]  # only the committed replacement announced here
    # Other years untouched.
    assert SpecialDay.objects.filter(year=2026).count() == len(
        [d for d in default_calendar().holidays if d.year == 2026]
    ) + len([d for d in default_calendar().workdays if d.year == 2026])


def test_failure_midway_leaves_nothing_and_sends_nothing(
    bundled_calendar, schedule_2027, loaded_years, django_capture_on_commit_callbacks, monkeypatch
):
    before = snapshot()

    def broken_record(**kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(services, "record", broken_record)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        import_year(schedule_2027)
    assert snapshot() == before
    assert loaded_years == []
    assert not current_calendar().covers(2027)


def test_invalid_schedule_in_code_is_refused(db, loaded_years):
    bad = YearSchedule(
        year=2027,
        source="x",
        holidays={date(2027, 1, 1): "元旦"},
        workdays={date(2027, 1, 4): "调休"},
    )
    with pytest.raises(CalendarImportError, match="不是周末"):
        import_year(bad)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_seed_is_idempotent(db, django_capture_on_commit_callbacks, loaded_years):
    seed_bundled_years()
    assert seed_bundled_years() == []
    CalendarYear.objects.filter(year=2026).delete()
    SpecialDay.objects.filter(year=2026).delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert seed_bundled_years() == [2026]
    assert loaded_years == [2026]
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(range(2004, 2027))
    assert Event.objects.filter(action="workdays.year_seed").count() == 1


def test_adapter_matches_bundled_default_for_2026(bundled_calendar):
    ours, bundled = current_calendar(), default_calendar()
    assert ours.covers(2026)
    assert not ours.covers(2027)
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert ours.is_working_day(day) == bundled.is_working_day(day), day
        assert ours.add_working_days(day, 20) == bundled.add_working_days(day, 20), day
        day += timedelta(days=1)
    in_2026 = {d: n for d, n in bundled.holidays.items() if d.year == 2026}
    assert {d: n for d, n in ours.holidays.items() if d.year == 2026} == in_2026
    assert ours.working_days_between(date(2026, 9, 28), date(2026, 10, 30)) == (
        bundled.working_days_between(date(2026, 9, 28), date(2026, 10, 30))
    )


def test_adapter_follows_imports_and_direct_changes(bundled_calendar, schedule_2027):
    assert not current_calendar().covers(2027)
    import_year(schedule_2027)
    calendar = current_calendar()
    assert calendar.covers(2027)
    assert not calendar.is_working_day(date(2027, 2, 8))
    assert calendar.is_working_day(date(2027, 2, 20))  # a Saturday made a working day
    # A change made by another process (no explicit invalidation here) is still noticed.
    CalendarYear.objects.filter(year=2027).delete()
    assert not current_calendar().covers(2027)


def test_adapter_is_cached(bundled_calendar, django_assert_num_queries):
    current_calendar()
    with django_assert_num_queries(1):  # only the fingerprint
        current_calendar()


# --- the management command --------------------------------------------------------------------


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_command_imports_json(bundled_calendar, tmp_path, capsys):
    path = write(tmp_path, "2027.json", json.dumps(GOOD_2027, ensure_ascii=False))
    call_command("calendar", "import", str(path))
    out = capsys.readouterr().out
    assert "已导入 2027 年节假日安排：放假 3 天，调休上班 1 天" in out
    assert CalendarYear.objects.filter(year=2027).exists()


def test_command_imports_csv_with_source(bundled_calendar, tmp_path):
    path = write(tmp_path, "2027.csv", "date,kind,name\n2027-01-01,holiday,元旦\n")
    call_command("calendar", "import", str(path), "--source", SOURCE_2027)
    assert CalendarYear.objects.get(year=2027).source == SOURCE_2027


def test_command_bad_file_writes_nothing(bundled_calendar, tmp_path, capsys):
    before = snapshot()
    path = write(
        tmp_path,
        "2027.csv",
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,workday,\n2027-02-30,holiday,春节\n",
    )
    with pytest.raises(SystemExit) as exc:
        call_command("calendar", "import", str(path), "--source", SOURCE_2027)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "导入失败（未写入任何数据）" in err
    assert "第 3 行：调休上班日 2027-01-04（星期一）不是周末" in err
    assert "第 4 行 date 列：日期「2027-02-30」无效" in err
    assert snapshot() == before


def test_command_replace_flag(bundled_calendar, tmp_path, capsys):
    path = write(tmp_path, "2027.json", json.dumps(GOOD_2027, ensure_ascii=False))
    call_command("calendar", "import", str(path))
    with pytest.raises(SystemExit):
        call_command("calendar", "import", str(path))
    assert "--replace" in capsys.readouterr().err
    call_command("calendar", "import", str(path), "--replace")
    assert SpecialDay.objects.filter(year=2027).count() == 4


def test_command_missing_file(db, tmp_path, capsys):
    with pytest.raises(SystemExit):
        call_command("calendar", "import", str(tmp_path / "nope.json"))
    assert "无法读取文件" in capsys.readouterr().err


def test_command_seed_and_list(bundled_calendar, capsys):
    call_command("calendar", "seed")
    assert "均已载入" in capsys.readouterr().out
    call_command("calendar", "list")
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("2004\t")
    assert len(out.splitlines()) == 23
