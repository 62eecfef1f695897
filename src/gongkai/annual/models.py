"""An agency's annual report for one year, as frozen from the records, and its versions.

``computed`` holds tables 二/三/四 exactly as counted at ``frozen_at``; ``overrides`` maps a
dotted cell path to ``{"value", "reason", "by", "at"}`` (a staff correction with its written
reason, shown to every reviewer); the report's tables are ``computed`` with ``overrides``
applied. Every freeze and every edit that changes what reviewers judge adds a version row.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.annual.states import ReportStatus
from gongkai.signoff.models import Purpose, content_hash

EDITED_SECTIONS = ("overview", "problems", "other")  # 一、五、六: the prose staff write


class PublishState(models.TextChoices):
    """The background publication of an approved report (``annual.tasks.publish``)."""

    NONE = "", "—"
    QUEUED = "queued", "正在发布"
    RUNNING = "running", "正在发布"
    FAILED = "failed", "发布失败"
    DONE = "done", "已发布"


class AnnualReport(models.Model):
    signoff_purpose = Purpose.ANNUAL_REPORT

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="annual_reports"
    )
    # A combined report of a region (汇总): ``region`` is the subtree it sums, ``agency`` the
    # supervising office that writes, signs and publishes it in its own 年报 column.
    region = models.ForeignKey(
        "agencies.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="combined_reports",
        verbose_name="汇总区域",
    )
    # combined reports: each agency's own figures at ``frozen_at`` (drill-down), as
    # {agency pk: {"name": …, "cells": {dotted path: value}}} with zero and blank cells left out
    parts = models.JSONField("各机关数据", default=dict, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField(
        "状态", max_length=16, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    frozen_at = models.DateTimeField("统计截取时间", null=True, blank=True)
    computed = models.JSONField("统计表（计算值）", default=dict)
    overrides = models.JSONField("人工修改的单元格", default=dict)
    sections = models.JSONField("正文", default=dict)
    findings = models.JSONField("检查结果", default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=0)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_item = models.ForeignKey(
        "disclosure.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_name = models.CharField("导入文件名", max_length=200, blank=True)
    publish_state = models.CharField(
        "发布进度", max_length=10, choices=PublishState, default=PublishState.NONE, blank=True
    )
    publish_error = models.CharField("发布失败原因", max_length=500, blank=True)
    publish_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发布人",
    )
    publish_started_at = models.DateTimeField("发布开始时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        constraints = (
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=Q(region__isnull=True),
                name="annual_one_per_year",
            ),
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(region__isnull=False),
                name="annual_one_combined_per_region_year",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="annual_status_known"
            ),
        )

    def __str__(self) -> str:
        return self.signoff_title

    @property
    def combined(self) -> bool:
        return self.region_id is not None

    @property
    def author_name(self) -> str:
        """The name on the report: the agency, or the region for a combined report."""
        return f"{self.region.name}（汇总）" if self.region_id else self.agency.name

    @property
    def publishing(self) -> bool:
        return self.publish_state in (PublishState.QUEUED, PublishState.RUNNING)

    # -- the report's content -----------------------------------------------------------------

    @property
    def tables(self) -> dict[str, dict[str, dict[str, Any]]]:
        tables = json.loads(json.dumps(self.computed or {}))
        for path, override in (self.overrides or {}).items():
            table, row, col = path.split(".")
            tables.setdefault(table, {}).setdefault(row, {})[col] = override["value"]
        return tables

    @property
    def error_findings(self) -> list[dict[str, Any]]:
        return [f for f in self.findings or [] if f.get("severity") == "error"]

    # -- sign-off protocol (docs/signoff.md) --------------------------------------------------

    @property
    def signoff_agency(self) -> Any:
        return self.agency

    @property
    def signoff_title(self) -> str:
        if self.region_id:
            return f"{self.region.name}{self.year}年政府信息公开工作年度报告（汇总）"
        return f"{self.agency.name}{self.year}年政府信息公开工作年度报告"

    @property
    def signoff_author_id(self) -> int | None:
        return self.author_id

    def signoff_revision(self) -> str:
        return content_hash(
            str(self.year),
            self.frozen_at.isoformat() if self.frozen_at else "",
            json.dumps(self.tables, sort_keys=True, ensure_ascii=False),
            json.dumps(self.overrides, sort_keys=True, ensure_ascii=False),
            json.dumps(self.sections, sort_keys=True, ensure_ascii=False),
        )

    def signoff_preview(self) -> str:
        lines = [self.signoff_title]
        for path, override in sorted((self.overrides or {}).items()):
            lines.append(f"人工修改 {path} = {override['value']}（理由：{override['reason']}）")
        lines += [self.sections.get(key, "") for key in EDITED_SECTIONS]
        return "\n".join(line for line in lines if line)


class AnnualReportVersion(models.Model):
    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    action = models.CharField("操作", max_length=40)
    frozen_at = models.DateTimeField(null=True, blank=True)
    computed = models.JSONField(default=dict)
    overrides = models.JSONField(default=dict)
    sections = models.JSONField(default=dict)
    findings = models.JSONField(default=list)
    revision_hash = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-number",)
        constraints = (
            models.UniqueConstraint(fields=["report", "number"], name="annual_version_unique"),
        )

    def __str__(self) -> str:
        return f"第{self.number}版（{self.action}）"


class DeadlineReminder(models.Model):
    """One row per agency, report year and day a publication reminder went out: inserting it
    is the claim, so two workers (or a manual run) never send the same day's reminder twice."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    day = models.DateField()
    overdue = models.BooleanField(default=False)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["agency", "year", "day"], name="annual_reminder_once_a_day"
            ),
        )

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.day}"
