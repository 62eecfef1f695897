"""A supervising office's collection of annual reports and what its audit found.

``ReportFile`` is one file as received (hash-unique within the supervised region, so a second
upload of the same bytes is recognised); its ``ReportVersion`` holds the report as read (the
report JSON with the provenance of every cell, before any rule ran) and the rule findings are
rows of ``Finding`` so that each can be reviewed. A person's correction of a misread cell is a
``CellCorrection`` beside the parsed value, which is never overwritten.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.agencies.models import Agency, Region

TEXT_MAX = 500


class BatchSource(models.TextChoices):
    UPLOAD = "upload", "上传文件"
    URL = "url", "网址抓取"


class Batch(models.Model):
    region = models.ForeignKey(
        Region, verbose_name="监督区域", on_delete=models.PROTECT, related_name="report_batches"
    )
    title = models.CharField("批次名称", max_length=100)
    source = models.CharField("来源", max_length=8, choices=BatchSource, default=BatchSource.UPLOAD)
    source_url = models.URLField("抓取网址", max_length=1000, blank=True)
    # why a fetch brought nothing (refused address, timeout, oversize): shown on the batch page
    error = models.CharField("错误", max_length=TEXT_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "年报收集批次"
        verbose_name_plural = "年报收集批次"
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.title


class FileStatus(models.TextChoices):
    QUEUED = "queued", "等待读取"
    PARSED = "parsed", "已读取"
    AUDITED = "audited", "已检查"
    FAILED = "failed", "无法读取"


FILE_TRANSITIONS: dict[str, set[str]] = {
    FileStatus.QUEUED: {FileStatus.PARSED, FileStatus.FAILED},
    FileStatus.PARSED: {FileStatus.AUDITED, FileStatus.FAILED},
    FileStatus.AUDITED: set(),
    FileStatus.FAILED: set(),
}


class MatchState(models.TextChoices):
    PENDING = "pending", "尚未读取"
    MATCHED = "matched", "自动匹配"
    DOUBTFUL = "doubtful", "待确认"
    UNMATCHED = "unmatched", "未匹配"
    ASSIGNED = "assigned", "人工指定"


QUEUE_STATES = (MatchState.DOUBTFUL, MatchState.UNMATCHED)


class ReportFile(models.Model):
    region = models.ForeignKey(
        Region, verbose_name="监督区域", on_delete=models.PROTECT, related_name="report_files"
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name="批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="files",
    )
    notice = models.ForeignKey(
        "Notice",
        verbose_name="答复的整改通知",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_files",
    )
    name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    content = models.FileField("文件", upload_to="supervision/%Y/%m/", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    kind = models.CharField("文件类型", max_length=8)
    source_url = models.URLField("来源网址", max_length=1000, blank=True)
    status = models.CharField(
        "状态", max_length=8, choices=FileStatus, default=FileStatus.QUEUED, db_index=True
    )
    error = models.CharField("错误", max_length=TEXT_MAX, blank=True)
    read_agency = models.CharField("报告中的机关名称", max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_files",
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    match_state = models.CharField(
        "匹配", max_length=10, choices=MatchState, default=MatchState.PENDING
    )
    match_note = models.CharField("匹配说明", max_length=TEXT_MAX, blank=True)
    # a doubtful match's likely agency: offered to the supervisor, not yet the agency of record
    suggested_agency = models.ForeignKey(
        Agency,
        verbose_name="建议机关",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("收到时间", auto_now_add=True)
    audited_at = models.DateTimeField("检查时间", null=True, blank=True)

    class Meta:
        verbose_name = "收到的年报文件"
        verbose_name_plural = "收到的年报文件"
        ordering = ("pk",)
        constraints = (
            models.UniqueConstraint(fields=["region", "sha256"], name="report_file_unique_hash"),
        )
        indexes = (
            models.Index(fields=["batch", "status"], name="report_file_batch_status"),
            models.Index(fields=["agency", "year"], name="report_file_agency_year"),
        )

    def __str__(self) -> str:
        return self.name


class ReportVersion(models.Model):
    file = models.OneToOneField(
        ReportFile, verbose_name="文件", on_delete=models.PROTECT, related_name="version"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_versions",
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    # The latest version received for an agency and year is the one the board shows.
    is_current = models.BooleanField("当前版本", default=False)
    format = models.CharField("格式", max_length=4, blank=True)
    # The report JSON as read (tables, sections, reading findings, provenance), before the
    # rules ran: the rules re-run on it (plus corrections) whenever the context changes.
    report_json = models.JSONField("读取结果")
    published = models.DateField("发布日期", null=True, blank=True)
    deadline = models.DateField("发布期限", null=True, blank=True)
    late = models.BooleanField("逾期发布", default=False)
    previous = models.ForeignKey(
        "self",
        verbose_name="对比的上年报告",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    errors = models.PositiveIntegerField("错误数", default=0)
    warnings = models.PositiveIntegerField("警告数", default=0)
    notices = models.PositiveIntegerField("提示数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "年报版本"
        verbose_name_plural = "年报版本"
        ordering = ("pk",)
        constraints = (
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=Q(is_current=True),
                name="report_version_one_current",
            ),
        )
        indexes = (models.Index(fields=["agency", "year", "is_current"], name="version_current"),)

    def __str__(self) -> str:
        return f"{self.agency or self.file.read_agency or '未匹配'} {self.year or ''}"


class FindingState(models.TextChoices):
    OPEN = "open", "待审阅"
    CONFIRMED = "confirmed", "已确认"
    DISMISSED = "dismissed", "已排除"
    FOR_CORRECTION = "for_correction", "要求整改"


FINDING_TRANSITIONS: dict[str, set[str]] = {
    FindingState.OPEN: {
        FindingState.CONFIRMED,
        FindingState.DISMISSED,
        FindingState.FOR_CORRECTION,
    },
    FindingState.CONFIRMED: {
        FindingState.OPEN,
        FindingState.DISMISSED,
        FindingState.FOR_CORRECTION,
    },
    FindingState.DISMISSED: {FindingState.OPEN},
    FindingState.FOR_CORRECTION: {FindingState.OPEN, FindingState.CONFIRMED},
}

# Findings a rectification notice lists.
NOTICE_STATES = (FindingState.CONFIRMED, FindingState.FOR_CORRECTION)


class Finding(models.Model):
    version = models.ForeignKey(
        ReportVersion, verbose_name="年报版本", on_delete=models.CASCADE, related_name="findings"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_findings",
    )
    rule = models.CharField("规则", max_length=8)
    severity = models.CharField("级别", max_length=8)
    message = models.TextField("说明")
    cells = models.JSONField("单元格", default=list)
    # what identifies "the same finding" when the rules re-run (rule, severity, cells, message)
    key = models.CharField("标识", max_length=64)
    # False once a re-run (after a correction or a newly paired year) no longer produces it
    active = models.BooleanField("有效", default=True)
    state = models.CharField(
        "审阅状态", max_length=16, choices=FindingState, default=FindingState.OPEN
    )
    reason = models.CharField("理由", max_length=TEXT_MAX, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审阅人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审阅时间", null=True, blank=True)

    class Meta:
        verbose_name = "检查问题"
        verbose_name_plural = "检查问题"
        ordering = ("pk",)
        constraints = (
            models.UniqueConstraint(fields=["version", "key"], name="finding_unique_key"),
            models.CheckConstraint(
                condition=~Q(state="dismissed") | ~Q(reason=""), name="finding_dismissed_reason"
            ),
        )
        indexes = (models.Index(fields=["agency", "active", "rule"], name="finding_agency_rule"),)

    def __str__(self) -> str:
        return f"{self.rule} {self.message[:40]}"


class CellCorrection(models.Model):
    """A person's reading of a cell the reader got wrong; the latest one per cell applies."""

    version = models.ForeignKey(
        ReportVersion, verbose_name="年报版本", on_delete=models.CASCADE, related_name="corrections"
    )
    cell = models.CharField("单元格", max_length=100)
    parsed_value = models.JSONField("识别值", null=True, blank=True)
    value = models.JSONField("更正值")
    reason = models.CharField("理由", max_length=TEXT_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更正人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = "人工更正"
        verbose_name_plural = "人工更正"
        ordering = ("pk",)
        constraints = (models.CheckConstraint(condition=~Q(reason=""), name="correction_reason"),)

    def __str__(self) -> str:
        return f"{self.cell} → {self.value}"


class NoticeState(models.TextChoices):
    SENT = "sent", "已发送"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


NOTICE_TRANSITIONS: dict[str, set[str]] = {
    NoticeState.SENT: {NoticeState.ANSWERED, NoticeState.CLOSED},
    NoticeState.ANSWERED: {NoticeState.ANSWERED, NoticeState.CLOSED},
    NoticeState.CLOSED: set(),
}
OPEN_NOTICE_STATES = (NoticeState.SENT, NoticeState.ANSWERED)


class Notice(models.Model):
    """整改通知: the confirmed findings of one agency's report, sent to its administrators."""

    region = models.ForeignKey(
        Region, verbose_name="监督区域", on_delete=models.PROTECT, related_name="report_notices"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="report_notices"
    )
    year = models.PositiveSmallIntegerField("年报年度")
    version = models.ForeignKey(
        ReportVersion, verbose_name="年报版本", on_delete=models.PROTECT, related_name="+"
    )
    findings = models.ManyToManyField(Finding, verbose_name="问题", related_name="notices")
    requirement = models.CharField("整改要求", max_length=1000, blank=True)
    due = models.DateField("整改期限", null=True, blank=True)
    state = models.CharField("状态", max_length=8, choices=NoticeState, default=NoticeState.SENT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发送人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    answer = models.TextField("机关答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "整改通知"
        verbose_name_plural = "整改通知"
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=["agency", "state"], name="notice_agency_state"),)

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度年报整改通知"
