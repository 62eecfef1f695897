"""Freshness: blank, stale and due-soon columns, single veto, 条例第二十六条, warnings, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.disclosure import freshness, services
from gongkai.disclosure.models import Column
from gongkai.eventlog.models import Event
from gongkai.jobs import schedule

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


def _published_on(column, day):
    Column.objects.filter(pk=column.pk).update(
        last_published_at=datetime(day.year, day.month, day.day, 10, tzinfo=SH)
    )


def test_blank_stale_and_due_soon(petition_bureau, news_column):
    notices = Column.objects.get(agency=petition_bureau, name="通知公告")
    today = date(2026, 12, 1)
    _published_on(news_column, today - timedelta(days=15))  # 2 weeks → stale
    _published_on(notices, today - timedelta(days=180))  # 182 days → due in 2 days
    (entry,) = freshness.report([petition_bureau], today=today, warn_days=7)
    states = {c.name: c.state for c in entry.columns}
    assert states["工作动态"] == "stale"
    assert states["通知公告"] == "due_soon"
    assert states["政府信息公开指南"] == "blank"
    assert "法定主动公开内容" not in states  # a group takes no items
    data = entry.to_json()
    assert data["stale"] == ["工作动态"]
    assert data["due_soon"] == ["通知公告"]


def test_single_veto_thresholds(petition_bureau, agency_admin):
    (entry,) = freshness.report([petition_bureau], today=date(2026, 12, 1))
    # A fresh agency: every column blank and without a statement → veto
    assert len(entry.blank_without_statement) >= 5
    assert any("空白栏目" in reason for reason in entry.veto)
    for column in Column.objects.filter(agency=petition_bureau).exclude(kind="group"):
        services.update_column(column, actor=agency_admin, no_content_statement="本栏目暂无信息。")
    (entry,) = freshness.report([petition_bureau], today=date(2026, 12, 1))
    assert entry.veto == []


def test_stale_veto_at_five_columns(petition_bureau, agency_admin):
    today = date(2026, 12, 1)
    columns = list(Column.objects.filter(agency=petition_bureau).exclude(kind="group")[:5])
    for column in columns:
        services.update_column(
            column, actor=agency_admin, update_days=14, no_content_statement="无"
        )
    for column in Column.objects.filter(agency=petition_bureau).exclude(kind="group"):
        _published_on(column, today - timedelta(days=3))
    for column in columns[:4]:
        _published_on(column, today - timedelta(days=30))
    (entry,) = freshness.report([petition_bureau], today=today)
    assert len(entry.by_state("stale")) == 4
    assert entry.veto == []
    _published_on(columns[4], today - timedelta(days=30))
    (entry,) = freshness.report([petition_bureau], today=today)
    assert len(entry.veto) == 1


def test_article_26_window_uses_working_days(make_item, review_all, drafter, bundled_calendar):
    # 2026-09-25 + 20 working days spans the National Day holiday: deadline 2026-10-30
    item = make_item(written_date=date(2026, 9, 25))
    assert item.publish_deadline == bundled_calendar.add_working_days(date(2026, 9, 25), 20)[0]
    assert item.publish_deadline > date(2026, 10, 23)  # weekends alone would give 10-23
    (entry,) = freshness.report([item.agency], today=item.publish_deadline + timedelta(days=1))
    assert entry.overdue_unpublished == 1
    services.publish_item(review_all(item), actor=drafter)
    (entry,) = freshness.report([item.agency], today=date(2030, 1, 1))
    assert entry.overdue_unpublished == 0
    assert entry.late_published == 1  # published today, long after the 2026 deadline


def test_daily_job_warns_owners_once_a_day(petition_bureau, news_column, office_section):
    news_column.owner_section = office_section
    news_column.save(update_fields=["owner_section"])
    today = date(2026, 12, 1)
    _published_on(news_column, today - timedelta(days=10))  # due in 4 days
    assert services.warn_column_owners(today=today) >= 1
    assert services.warn_column_owners(today=today) == 0
    event = Event.objects.filter(
        action="disclosure.freshness_warned", object_id=str(news_column.pk)
    ).get()
    assert event.after["state"] == "due_soon"
    assert event.after["owner_section"] == office_section.pk


def test_periodic_jobs_are_registered_and_run(petition_bureau, make_item, review_all, drafter):
    item = review_all(make_item())
    at = timezone.now() + timedelta(seconds=1)
    services.publish_item(item, actor=drafter, at=at)
    time.sleep(1.2)  # the job publishes what is due at the real clock
    names = schedule.enqueue_due(now=at + timedelta(minutes=1))
    assert "disclosure-publish-due" in names
    item.refresh_from_db()
    assert item.status == "published"


def test_cli_text_and_json(petition_bureau, news_column, capsys):
    _published_on(news_column, date(2026, 11, 1))
    with pytest.raises(SystemExit) as exit_info:
        call_command("freshness", "--agency", "市信访局", "--today", "2026-12-01")
    assert exit_info.value.code == 1  # a new agency's blank columns fail the veto
    out = capsys.readouterr().out
    assert "不更新栏目 1 个：工作动态" in out
    with pytest.raises(SystemExit):
        call_command(
            "freshness", "--agency", petition_bureau.credit_code, "--today", "2026-12-01", "--json"
        )
    data = json.loads(capsys.readouterr().out)
    assert data["agency"] == "示范市信访局"
    assert data["stale"] == ["工作动态"]
    assert data["single_veto"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "不存在的局"], "没有找到机关"),
        (["--agency", "示范市信访局", "--today", "2026-13-01"], "日期"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(petition_bureau, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        call_command("freshness", *args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_cli_missing_agency_argument_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "gongkai", "freshness"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_region_reports_every_agency_below(
    petition_bureau, county_agency, far_agency, news_column, capsys
):
    _published_on(news_column, date(2026, 11, 1))
    with pytest.raises(SystemExit) as exit_info:
        call_command("freshness", "--region", "410400", "--today", "2026-12-01", "--json")
    assert exit_info.value.code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["region"] == "示范市"
    names = [entry["agency"] for entry in data["agencies"]]
    # the city's agencies and the county's, not the neighbouring city's
    assert set(names) == {"示范市信访局", "示范县信访局"}
    bureau = next(e for e in data["agencies"] if e["agency"] == "示范市信访局")
    assert bureau["stale"] == ["工作动态"]
    assert data["single_veto_agencies"] == sum(e["single_veto"] for e in data["agencies"])
    with pytest.raises(SystemExit):
        call_command("freshness", "--region", "示范县", "--today", "2026-12-01")
    out = capsys.readouterr().out
    assert "示范县信访局 栏目更新情况（2026-12-01）" in out
    assert "示范市信访局" not in out
    assert "示范县：1 个机关" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "不存在的市"], "没有找到区域"),
        (["--region", "示范市", "--agency", "示范市信访局"], "not allowed with"),
    ],
)
def test_cli_region_bad_input_exits_2(petition_bureau, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        call_command("freshness", *args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
