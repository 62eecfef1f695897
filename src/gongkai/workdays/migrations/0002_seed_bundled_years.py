"""Seed the schedules bundled with chinesecalendar (2004–2026) so a fresh install has a calendar.

Written with the historical models (no event is logged for the installation itself); later
years come through ``gongkai calendar import`` which is logged.
"""

from django.db import migrations
from django.utils import timezone

SOURCE = "国务院办公厅历年部分节假日安排的通知（随 chinesecalendar 软件包提供的数据）"


def seed(apps, schema_editor):
    from gongkai.law.workdays import default_calendar  # noqa: PLC0415  (pure data)

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    bundled = default_calendar()
    loaded = set(CalendarYear.objects.values_list("year", flat=True))
    now = timezone.now()
    years = sorted(set(bundled.years) - loaded)
    rows = [
        SpecialDay(date=d, year=d.year, kind=kind, name=name, source_notice=SOURCE)
        for kind, days in (("holiday", bundled.holidays), ("workday", bundled.workdays))
        for d, name in days.items()
        if d.year in years
    ]
    SpecialDay.objects.bulk_create(rows)
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source=SOURCE, loaded_at=now) for y in years]
    )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "SpecialDay").objects.filter(source_notice=SOURCE).delete()
    apps.get_model("workdays", "CalendarYear").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
