"""The holiday calendar as data: the State Council's schedule, one row per special day.

Ordinary weekends are not stored; a SpecialDay is either a statutory holiday on a weekday or
weekend (``holiday``) or a make-up working day on a weekend (``workday``). A year counts as
covered only once its schedule is loaded (a CalendarYear row); for other years the deadline
arithmetic assumes weekends only and marks results provisional.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=500)
    loaded_at = models.DateTimeField("载入时间")
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="载入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "已载入年份"
        verbose_name_plural = "已载入年份"
        ordering = ("-year",)

    def __str__(self) -> str:
        return f"{self.year}年"


class SpecialDay(models.Model):
    date = models.DateField("日期", unique=True)
    year = models.PositiveSmallIntegerField("年份", db_index=True, editable=False)
    kind = models.CharField("类型", max_length=16, choices=DayKind)
    name = models.CharField("名称", max_length=100, blank=True)
    source_notice = models.CharField("依据通知", max_length=500, blank=True)

    class Meta:
        verbose_name = "节假日与调休日"
        verbose_name_plural = "节假日与调休日"
        ordering = ("date",)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="specialday_kind_valid"
            ),
        )

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def save(self, *args, **kwargs) -> None:
        self.year = self.date.year
        super().save(*args, **kwargs)
