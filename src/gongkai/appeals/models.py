"""One appeal case: a 行政复议 or 行政诉讼 brought against an agency over an application it
handled. The case belongs to the original agency (the respondent); see docs/appeals.md for why
that alone implements 30号's co-defendant note."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models

from gongkai.appeals.states import Kind, Outcome, Status


class AppealCase(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="appeal_cases"
    )
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="appeal_cases",
        verbose_name="所涉申请",
    )
    kind = models.CharField("类型", max_length=40, choices=Kind.choices)
    # a suit after reconsideration points at the reconsideration it follows, when registered
    prior = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name="前置复议案件",
    )
    appellant = models.CharField("申请人（原告）", max_length=200)
    other_parties = models.CharField("第三人及其他当事人", max_length=500, blank=True)
    body = models.CharField("复议机关或法院", max_length=200)
    body_co_defendant = models.BooleanField("复议机关为共同被告", default=False)
    case_number = models.CharField("案号", max_length=100, blank=True)
    filed_on = models.DateField("立案（受理）日期", db_index=True)
    answer_due_on = models.DateField("答复（答辩）期限", null=True, blank=True)
    evidence_due_on = models.DateField("举证期限", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    outcome = models.CharField(
        "结果", max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    decided_on = models.DateField("审结日期", null=True, blank=True, db_index=True)
    decision_note = models.TextField("结果说明", blank=True)
    # a 纠正 outcome: the new application (re-handling) registered on the decision date
    reopened_application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reopened_by_appeal",
        verbose_name="重新办理的申请",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办人",
    )
    reminded_on = models.DateField("最近提醒日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "复议诉讼案件"
        verbose_name_plural = "复议诉讼案件"
        ordering: ClassVar = ["-filed_on", "-pk"]
        indexes: ClassVar = [models.Index(fields=["agency", "filed_on"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                name="appeal_decided_has_date_and_outcome",
                condition=(
                    models.Q(status=Status.PENDING, outcome=Outcome.PENDING, decided_on=None)
                    | (
                        models.Q(status=Status.DECIDED, decided_on__isnull=False)
                        & ~models.Q(outcome=Outcome.PENDING)
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.pk}"

    @property
    def masked_appellant(self) -> str:
        """Lists mask a natural person's name like the application lists do."""
        if self.application.applicant_class != "natural_person":
            return self.appellant
        return self.appellant[:1] + "*" * max(len(self.appellant) - 1, 1)

    @property
    def next_deadline(self) -> date | None:
        if self.status != Status.PENDING:
            return None
        days = [d for d in (self.answer_due_on, self.evidence_due_on) if d is not None]
        return min(days) if days else None
