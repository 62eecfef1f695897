"""Columns (栏目), items (公开信息) with revisions and attachments, the catalogue counter,
personal-data findings, the table 二 register and channel state.

An item's working copy lives on ``Item``; every submitted version is frozen as an
``ItemRevision``. The sign-off engine reviews the working copy's hash; publishing copies the
approved revision to ``published_revision``, which is what the public sees.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from gongkai.disclosure.defaults import DEFAULT_INDEX_FORMAT, SUBJECTS
from gongkai.disclosure.states import ItemStatus
from gongkai.signoff.models import Purpose, content_hash

TITLE_MAX = 300
BODY_MAX = 200_000


class ColumnKind(models.TextChoices):
    GROUP = "group", "栏目组"
    NEWS = "news", "动态要闻"
    NOTICE = "notice", "通知公告"
    POLICY = "policy", "政策文件"
    SINGLE_PAGE = "single_page", "单页"
    ANNUAL_REPORT = "annual_report", "年度报告"


class ItemKind(models.TextChoices):
    ARTICLE = "article", "一般信息"
    POLICY = "policy", "政策文件"
    RULE = "rule", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    INTERPRETATION = "interpretation", "政策解读"
    RECEPTION_SCHEDULE = "reception_schedule", "领导接访日程"


# Kinds whose validity (有效性) is tracked and counted in table 二.
VALIDITY_KINDS = frozenset({ItemKind.RULE, ItemKind.NORMATIVE})


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "已废止"
    EXPIRED = "expired", "已失效"


SUBJECT_CHOICES = [(s, s) for s in SUBJECTS]


class AgencySettings(models.Model):
    """Per-agency disclosure policy: 索引号 format and the sensitive-word list."""

    agency = models.OneToOneField(
        "agencies.Agency", on_delete=models.CASCADE, related_name="disclosure_settings"
    )
    index_format = models.CharField(
        "索引号格式",
        max_length=60,
        default=DEFAULT_INDEX_FORMAT,
        help_text="可用 {org}（机构代码）、{year}（年份）、{serial}（流水号，如 {serial:05d}）。",
    )
    sensitive_words = models.TextField(
        "敏感词", blank=True, max_length=20_000, help_text="每行一个；送审前检查正文和附件。"
    )

    class Meta:
        verbose_name = "主动公开设置"
        verbose_name_plural = "主动公开设置"

    def __str__(self) -> str:
        return f"{self.agency}的主动公开设置"

    def word_list(self) -> tuple[str, ...]:
        return tuple(w.strip() for w in self.sensitive_words.splitlines() if w.strip())


class Column(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="columns", verbose_name="机关"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级栏目",
    )
    name = models.CharField("栏目名称", max_length=60)
    kind = models.CharField("栏目类型", max_length=20, choices=ColumnKind.choices)
    position = models.PositiveSmallIntegerField("排序", default=0)
    update_days = models.PositiveSmallIntegerField(
        "更新要求（天）",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3660)],
        help_text="超过该天数未更新即为不更新栏目；留空表示无更新要求（单页等）。",
    )
    chain_template = models.ForeignKey(
        "signoff.ChainTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审核流程",
        limit_choices_to={"purpose": Purpose.DISCLOSURE_ITEM},
    )
    owner_section = models.ForeignKey(
        "agencies.Section",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="责任科室",
    )
    no_content_statement = models.CharField(
        "无内容说明",
        max_length=300,
        blank=True,
        help_text="栏目确无信息时在页面上显示的说明，如「本机关无行政许可事项」。",
    )
    active = models.BooleanField("启用", default=True)
    # Denormalised on publish so the freshness report is one aggregate-free scan of columns.
    last_published_at = models.DateTimeField("最近发布时间", null=True, blank=True)
    last_warned_at = models.DateTimeField("最近提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ("agency", "parent_id", "position", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=["agency", "parent", "name"], name="disclosure_column_unique_name"
            ),
            models.UniqueConstraint(
                fields=["agency", "name"],
                condition=Q(parent__isnull=True),
                name="disclosure_root_column_unique_name",
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def accepts_items(self) -> bool:
        return self.kind != ColumnKind.GROUP


class IndexCounter(models.Model):
    """Per agency and year, the last 索引号 serial handed out (locked while incremented)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["agency", "year"], name="disclosure_counter_unique"),
        )

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_serial}"


class Item(models.Model):
    signoff_purpose = Purpose.DISCLOSURE_ITEM

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="items", verbose_name="机关"
    )
    column = models.ForeignKey(
        Column, on_delete=models.PROTECT, related_name="items", verbose_name="栏目"
    )
    kind = models.CharField(
        "信息类型", max_length=30, choices=ItemKind.choices, default=ItemKind.ARTICLE
    )
    status = models.CharField(
        "状态", max_length=20, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    # --- working copy (what reviewers judge) ---
    title = models.CharField("标题", max_length=TITLE_MAX)
    body = models.TextField("正文", blank=True, max_length=BODY_MAX)
    index_number = models.CharField("索引号", max_length=60)
    issuing_body = models.CharField("发布机构", max_length=200, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    written_date = models.DateField("成文日期", null=True, blank=True)
    # 条例第二十六条: publish within 20 working days of 成文日期 (stored so reports can index it).
    publish_deadline = models.DateField("公开期限", null=True, blank=True, editable=False)
    subject = models.CharField("主题分类", max_length=40, choices=SUBJECT_CHOICES, blank=True)
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices, blank=True)
    effective_date = models.DateField("施行日期", null=True, blank=True)
    validity_changed_on = models.DateField("有效性变更日期", null=True, blank=True)
    interprets = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
        verbose_name="所解读的文件",
    )
    # --- records ---
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="起草人"
    )
    current_revision = models.ForeignKey(
        "ItemRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_revision = models.ForeignKey(
        "ItemRevision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审核通过的版本",
    )
    published_revision = models.ForeignKey(
        "ItemRevision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="公开的版本",
    )
    schedule_confirmed_revision = models.ForeignKey(
        "ItemRevision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="已确认日程的版本",
    )
    schedule_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="日程确认人",
    )
    publisher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发布人",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="签发人",
    )
    first_published_at = models.DateTimeField("首次发布时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    scheduled_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="定时发布设置人",
    )
    withdrawn_at = models.DateTimeField("撤稿时间", null=True, blank=True)
    withdrawn_reason = models.CharField("撤稿理由", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "公开信息"
        verbose_name_plural = "公开信息"
        ordering = ("-updated_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=["agency", "index_number"], name="disclosure_unique_index_number"
            ),
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.WITHDRAWN) | ~Q(withdrawn_reason=""),
                name="disclosure_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.SCHEDULED) | Q(scheduled_at__isnull=False),
                name="disclosure_scheduled_has_time",
            ),
        )
        indexes = (
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["column", "published_at"]),
            models.Index(fields=["status", "scheduled_at"]),
            models.Index(fields=["agency", "publish_deadline"]),
            # the portal home's 最新公开 (newest first over every agency)
            models.Index(fields=["published_at"], name="disclosure_item_published_at"),
        )

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workspace:disclosure_item", args=[self.pk])

    # --- the Reviewable protocol ---
    @property
    def signoff_agency(self) -> Any:
        return self.agency

    @property
    def signoff_title(self) -> str:
        return self.title

    @property
    def signoff_author_id(self) -> int:
        return self.created_by_id

    def signoff_editor_ids(self) -> set[int]:
        """Editors the agency admin named for the whole agency or for the column's section."""
        from gongkai.signoff.models import EditorGrant  # noqa: PLC0415

        grants = EditorGrant.objects.filter(agency_id=self.agency_id, active=True).filter(
            Q(section__isnull=True) | Q(section_id=self.column.owner_section_id)
        )
        return set(grants.values_list("user_id", flat=True))

    def signoff_revision(self) -> str:
        return content_hash(*self.content_parts())

    def signoff_preview(self) -> str:
        from gongkai.disclosure.sanitize import html_to_text  # noqa: PLC0415

        return html_to_text(self.body)

    # --- helpers ---
    def content_parts(self) -> list[str]:
        """Everything reviewers judge, in a fixed order (attachments by content hash)."""
        digests = sorted(a.sha256 for a in self.attachments.filter(removed_at__isnull=True))
        meta = self.metadata()
        return [
            self.kind,
            str(self.column_id),
            self.title,
            self.body,
            *(f"{k}={meta[k]}" for k in sorted(meta)),
            *digests,
        ]

    def metadata(self) -> dict[str, str]:
        return {
            "issuing_body": self.issuing_body,
            "doc_number": self.doc_number,
            "written_date": self.written_date.isoformat() if self.written_date else "",
            "subject": self.subject,
            "validity": self.validity,
            "effective_date": self.effective_date.isoformat() if self.effective_date else "",
            "validity_changed_on": (
                self.validity_changed_on.isoformat() if self.validity_changed_on else ""
            ),
            "interprets": str(self.interprets_id or ""),
        }

    @property
    def is_public(self) -> bool:
        return self.published_revision_id is not None and self.status != ItemStatus.WITHDRAWN

    @property
    def has_validity(self) -> bool:
        return self.kind in VALIDITY_KINDS

    @property
    def needs_schedule_confirmation(self) -> bool:
        return self.kind == ItemKind.RECEPTION_SCHEDULE


class ItemRevision(models.Model):
    """One frozen version of an item: every submission creates one (and drafts reuse theirs)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("版本号")
    revision_hash = models.CharField("内容哈希", max_length=64)
    title = models.CharField("标题", max_length=TITLE_MAX)
    body = models.TextField("正文", blank=True)
    metadata = models.JSONField("目录信息", default=dict)
    attachments = models.ManyToManyField("Attachment", blank=True, related_name="revisions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("保存时间")
    submitted_at = models.DateTimeField("送审时间", null=True, blank=True)

    class Meta:
        verbose_name = "信息版本"
        verbose_name_plural = "信息版本"
        ordering = ("item", "number")
        constraints = (
            models.UniqueConstraint(fields=["item", "number"], name="disclosure_revision_number"),
        )
        indexes = (models.Index(fields=["item", "revision_hash"]),)

    def __str__(self) -> str:
        return f"{self.item_id} 第{self.number}版"


class AttachmentType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word 文档"
    XLSX = "xlsx", "Excel 表格"
    PNG = "png", "PNG 图片"
    JPEG = "jpeg", "JPEG 图片"
    GIF = "gif", "GIF 图片"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Content-addressed under the agency: the user's filename never reaches the storage path.
    digest = instance.sha256
    return f"disclosure/{instance.item.agency_id}/{digest[:2]}/{digest}.{instance.file_type}"


class Attachment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    file_type = models.CharField("类型", max_length=10, choices=AttachmentType.choices)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # Removed from the working copy; kept because a published revision may still list it.
    removed_at = models.DateTimeField("删除时间", null=True, blank=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ("item", "pk")

    def __str__(self) -> str:
        return self.original_name


class FindingKind(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证号码"
    MOBILE = "mobile", "手机号码"
    BANK_CARD = "bank_card", "银行卡号"
    SENSITIVE_WORD = "sensitive_word", "敏感词"
    OTHER = "other", "其他个人信息"


class PiiFinding(models.Model):
    """A personal-data finding in the working copy; submission waits until each is resolved.

    Only the masked value is stored. ``fingerprint`` (an HMAC of the raw value) lets an
    acknowledgement survive later edits that keep the same value.
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="findings")
    source = models.CharField("位置", max_length=220)  # "正文" or the attachment's file name
    kind = models.CharField("类型", max_length=30)
    masked = models.CharField("内容（已遮蔽）", max_length=120)
    line = models.PositiveIntegerField("行")
    column = models.PositiveIntegerField("列")
    fingerprint = models.CharField(max_length=64)
    found_at = models.DateTimeField("发现时间")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="确认人",
    )
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)
    reason = models.CharField("确认理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "个人信息检查结果"
        verbose_name_plural = "个人信息检查结果"
        ordering = ("item", "source", "line", "column")
        constraints = (
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | ~Q(reason=""),
                name="disclosure_finding_ack_has_reason",
            ),
        )

    def __str__(self) -> str:
        return f"{self.source} {self.line}:{self.column} {self.masked}"

    @property
    def kind_label(self) -> str:
        try:
            return FindingKind(self.kind).label
        except ValueError:
            return self.kind


class RegisterYear(models.Model):
    """Table 二 figures entered per year: decision counts and the fee amount (万元)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    licensing_decisions = models.PositiveIntegerField("行政许可处理决定数", null=True, blank=True)
    penalty_decisions = models.PositiveIntegerField("行政处罚处理决定数", null=True, blank=True)
    coercion_decisions = models.PositiveIntegerField("行政强制处理决定数", null=True, blank=True)
    fees_wan_yuan = models.DecimalField(
        "行政事业性收费金额（万元）",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "表二登记"
        verbose_name_plural = "表二登记"
        constraints = (
            models.UniqueConstraint(fields=["agency", "year"], name="disclosure_register_year"),
        )

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class ChannelName(models.TextChoices):
    WECHAT = "wechat", "微信公众号"


class ChannelStatus(models.TextChoices):
    EXPORTED = "exported", "已导出"
    DRAFTED = "drafted", "已存草稿"
    PUBLISHED = "published", "已发布"
    FAILED = "failed", "失败"


class ChannelState(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="channel_states")
    channel = models.CharField("渠道", max_length=20, choices=ChannelName.choices)
    status = models.CharField("状态", max_length=20, choices=ChannelStatus.choices)
    remote_id = models.CharField("远端编号", max_length=200, blank=True)
    revision = models.ForeignKey(ItemRevision, on_delete=models.PROTECT, related_name="+")
    message = models.CharField("说明", max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "渠道状态"
        verbose_name_plural = "渠道状态"
        constraints = (
            models.UniqueConstraint(fields=["item", "channel"], name="disclosure_channel_unique"),
        )

    def __str__(self) -> str:
        return f"{self.get_channel_display()}：{self.get_status_display()}"
