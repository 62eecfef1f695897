"""Report states and their transition table."""

from __future__ import annotations

from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审核中"
    APPROVED = "approved", "已签发"
    PUBLISHED = "published", "已公开"
    # last year's report read from its published file by the auditor's parser (rule Y1)
    IMPORTED = "imported", "导入的往年报告"


TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.DRAFT: frozenset({ReportStatus.IN_REVIEW}),
    ReportStatus.IN_REVIEW: frozenset({ReportStatus.DRAFT, ReportStatus.APPROVED}),
    # an approved report edited again goes back to draft: the approval covered another text
    ReportStatus.APPROVED: frozenset({ReportStatus.PUBLISHED, ReportStatus.DRAFT}),
    ReportStatus.PUBLISHED: frozenset(),
    ReportStatus.IMPORTED: frozenset(),
}

EDITABLE = frozenset({ReportStatus.DRAFT, ReportStatus.APPROVED})
