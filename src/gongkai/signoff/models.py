"""Review chains (分级审核、先审后发) bound to any reviewable object.

A ``Chain`` is attached to its object through a generic relation plus the object's agency, so
disclosure items, notice letters and annual reports all share one engine. The chain keeps a
snapshot of the template's steps: editing a template later never rewrites a running review.
Each review round creates fresh ``Step`` rows, so a decided step is never overwritten, and every
decision is one ``StepDecision`` row (who, on whose behalf, what, which revision, when).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.security.text import COMMENT_MAX, REASON_MAX
from gongkai.signoff.states import OPEN_CHAIN_STATES, ChainStatus, Decision, StepStatus


def _bounded(field: str, limit: int, name: str) -> models.CheckConstraint:
    """A TextField's max_length is only a form hint; the database holds the real limit."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


class Purpose(models.TextChoices):
    """Which kind of object a chain template reviews; later modules add their objects here."""

    DISCLOSURE_ITEM = "disclosure_item", "主动公开信息"
    NOTICE_LETTER = "notice_letter", "告知书"
    ANNUAL_REPORT = "annual_report", "年度报告"
    EXTENSION_REQUEST = "extension_request", "延长答复期限审批"


class ChainTemplate(models.Model):
    # agency NULL = the platform default, used when the agency has no template of its own.
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chain_templates",
        verbose_name="机关",
    )
    purpose = models.CharField("适用对象", max_length=40, choices=Purpose.choices)
    name = models.CharField("名称", max_length=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "审核流程模板"
        verbose_name_plural = "审核流程模板"
        constraints = (
            models.UniqueConstraint(
                fields=["agency", "purpose", "name"], name="signoff_template_unique_name"
            ),
            models.UniqueConstraint(
                fields=["purpose", "name"],
                condition=Q(agency__isnull=True),
                name="signoff_default_template_unique_name",
            ),
        )

    def __str__(self) -> str:
        return self.name

    def snapshot(self) -> list[dict[str, Any]]:
        return [
            {
                "order": step.order,
                "name": step.name,
                "role": step.role,
                "forbid_self_approval": step.forbid_self_approval,
            }
            for step in self.steps.order_by("order")
        ]


class StepTemplate(models.Model):
    template = models.ForeignKey(ChainTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("环节名称", max_length=50)
    role = models.CharField("审核角色", max_length=30, choices=Role.choices)
    forbid_self_approval = models.BooleanField("禁止审核本人送审稿件", default=True)

    class Meta:
        verbose_name = "审核环节模板"
        verbose_name_plural = "审核环节模板"
        ordering = ("template", "order")
        constraints = (
            models.UniqueConstraint(fields=["template", "order"], name="signoff_steptpl_order"),
        )

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Chain(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="signoff_chains"
    )
    purpose = models.CharField("适用对象", max_length=40, choices=Purpose.choices)
    template = models.ForeignKey(
        ChainTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="chains"
    )
    template_name = models.CharField("流程名称", max_length=100)
    template_snapshot = models.JSONField("流程环节快照", default=list)
    # Title as submitted: the inbox lists chains without loading every generic object.
    title = models.CharField("标题", max_length=300)
    status = models.CharField(
        "状态", max_length=20, choices=ChainStatus.choices, default=ChainStatus.IN_REVIEW
    )
    round = models.PositiveSmallIntegerField("送审轮次", default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="signoff_submissions",
        verbose_name="送审人",
    )
    revision_hash = models.CharField("送审版本", max_length=64)
    created_at = models.DateTimeField("送审时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "审核流程"
        verbose_name_plural = "审核流程"
        ordering = ("-created_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status__in=sorted(OPEN_CHAIN_STATES)),
                name="signoff_one_open_chain_per_object",
            ),
        )
        indexes = (
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["submitted_by", "status"]),
        )

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CHAIN_STATES

    def current_steps(self) -> models.QuerySet[Step]:
        return self.steps.filter(round=self.round).order_by("order")


class Step(models.Model):
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField("送审轮次")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("环节名称", max_length=50)
    role = models.CharField("审核角色", max_length=30, choices=Role.choices)
    forbid_self_approval = models.BooleanField("禁止审核本人送审稿件", default=True)
    status = models.CharField(
        "状态", max_length=20, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    activated_at = models.DateTimeField("开始时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审核人",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision = models.CharField("审核结论", max_length=20, choices=Decision.choices, blank=True)
    comment = models.TextField("审核意见", blank=True, max_length=COMMENT_MAX)
    revision_hash = models.CharField("审核版本", max_length=64, blank=True)
    delegated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="被委托人",
    )
    delegated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="委托人",
    )
    delegation_reason = models.CharField("委托事由", max_length=REASON_MAX, blank=True)
    delegated_at = models.DateTimeField("委托时间", null=True, blank=True)

    class Meta:
        verbose_name = "审核环节"
        verbose_name_plural = "审核环节"
        ordering = ("chain", "round", "order")
        constraints = (
            models.UniqueConstraint(
                fields=["chain", "round", "order"], name="signoff_step_unique_order"
            ),
            models.UniqueConstraint(
                fields=["chain"],
                condition=Q(status=StepStatus.ACTIVE),
                name="signoff_one_active_step_per_chain",
            ),
            _bounded("comment", COMMENT_MAX, "signoff_step_comment_bounded"),
        )
        indexes = (models.Index(fields=["status", "role"]),)

    def __str__(self) -> str:
        return f"{self.name}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("workspace:step_detail", args=[self.pk])


class StepDecision(models.Model):
    """The audit row of one decision; a step is decided exactly once (DB-enforced)."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="decisions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="审核人"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="代为审核（委托人）",
    )
    decision = models.CharField("审核结论", max_length=20, choices=Decision.choices)
    comment = models.TextField("审核意见", blank=True, max_length=COMMENT_MAX)
    revision_hash = models.CharField("审核版本", max_length=64)
    at = models.DateTimeField("审核时间")

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ("at", "pk")
        constraints = (
            models.UniqueConstraint(fields=["step"], name="signoff_one_decision_per_step"),
            _bounded("comment", COMMENT_MAX, "signoff_decision_comment_bounded"),
        )

    def __str__(self) -> str:
        return f"{self.step.name}: {self.get_decision_display()}"


def content_hash(*parts: str) -> str:
    """SHA-256 over length-prefixed parts, so ("ab", "c") and ("a", "bc") never collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


class RevisionNote(models.Model):
    """One saved revision of a reviewable object and who made it (see ``note_revision``).

    The engine asks these rows who authored the revision under review: every note since the
    object's last approval. Nobody among them may decide a step of it.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    revision_hash = models.CharField("版本", max_length=64)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="修改人"
    )
    noted_at = models.DateTimeField("修改时间")

    class Meta:
        verbose_name = "版本修改记录"
        verbose_name_plural = "版本修改记录"
        ordering = ("noted_at", "pk")
        indexes = (models.Index(fields=["content_type", "object_id", "noted_at"]),)

    def __str__(self) -> str:
        return f"{self.revision_hash[:12]}（{self.author}）"


class EditorGrant(models.Model):
    """The agency admin names someone besides the author who may edit drafts.

    ``section`` NULL = every draft of the agency; otherwise the drafts of that section (for a
    disclosure item, its column's section). Only an active grant counts.
    """

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="机关"
    )
    section = models.ForeignKey(
        "agencies.Section",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="科室（留空为全机关）",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="编辑人员",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="指定人",
    )
    granted_at = models.DateTimeField("指定时间", auto_now_add=True)
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "指定编辑人员"
        verbose_name_plural = "指定编辑人员"
        constraints = (
            models.UniqueConstraint(
                fields=["agency", "section", "user"],
                condition=Q(active=True),
                name="signoff_one_active_editor_grant",
            ),
        )

    def __str__(self) -> str:
        return f"{self.user}（{self.section or self.agency}）"
