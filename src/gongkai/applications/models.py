"""依申请公开 cases: the application, its clock events and the per-agency number counter.

The due date is a stored, indexed column (``due_on``) computed by ``gongkai.law.clock`` from the
receipt date and the clock events; ``services.recompute_deadline`` is the only writer. The
outcome is exactly one leaf row of table 三 (2021 format), enforced by a database constraint.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from gongkai.applications.states import Status
from gongkai.eventlog.masking import mask_id_number, mask_phone
from gongkai.law.clock import CHANNEL_LABELS, Channel
from gongkai.law.report_format import FORMATS

FORMAT = FORMATS["2021"]
_GROUP_LABELS = {g.key: f"{g.ordinal}{g.label}" for g in FORMAT.table3_groups if g.key != "outcome"}
# 「（三）不予公开 · 1.属于国家秘密」: the leaf's own label is ambiguous without its group
OUTCOME_CHOICES = [
    (
        row.key,
        f"{_GROUP_LABELS[row.group]} · {row.full_label}"
        if row.group in _GROUP_LABELS
        else row.full_label,
    )
    for row in FORMAT.table3_rows
    if row.leaf
]
OUTCOME_KEYS = tuple(key for key, _ in OUTCOME_CHOICES)
CHANNEL_CHOICES = [(c.value, CHANNEL_LABELS[c]) for c in Channel]

NUMBER_FORMAT = "〔{year}〕第{seq:04d}号"


class ApplicantClass(models.TextChoices):
    """The six applicant columns of table 三."""

    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    SOCIAL_WELFARE = "social_welfare", "社会公益组织"
    LEGAL_SERVICES = "legal_services", "法律服务机构"
    OTHER_ORG = "other_org", "其他组织"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他证件"
    NONE = "none", "未提供"


class FormWanted(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    ANY = "any", "不限"


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", "当面领取"
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上下载"


class ApplicationCounter(models.Model):
    """The last number given per agency and year; intake locks this row (gap-free numbers)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["agency", "year"], name="applications_counter_unique"),
        )

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class TallyKind(models.TextChoices):
    RECEIVED = "received", "收到"
    CLOSED = "closed", "办结"


class CaseTally(models.Model):
    """Running counts behind table 三, kept by the verbs in the same transaction as the case.

    ``received`` rows count cases by the year of their legal receipt date, ``closed`` rows by
    the year of their answer date and their outcome. A case's receipt date, applicant class,
    answer date and outcome never change once set, so adding 1 at intake and 1 at closing keeps
    the tallies equal to a recount (``stats.recount_tallies``; proved by a property test).
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=TallyKind.choices)
    applicant_class = models.CharField(max_length=20)
    outcome = models.CharField(max_length=40, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["agency", "year", "kind", "applicant_class", "outcome"],
                name="applications_tally_unique",
            ),
        )

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.kind}/{self.applicant_class}: {self.count}"


class Application(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="applications"
    )
    year = models.PositiveSmallIntegerField("编号年度")
    seq = models.PositiveIntegerField("序号", null=True, blank=True)
    number = models.CharField("编号", max_length=40)
    status = models.CharField(
        "状态", max_length=24, choices=Status.choices, default=Status.IN_PROGRESS
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_applications",
        verbose_name="承办人",
    )

    channel = models.CharField("申请渠道", max_length=16, choices=CHANNEL_CHOICES)
    oral = models.BooleanField("口头申请（工作人员代为填写，条例第二十九条）", default=False)
    received_on = models.DateField("收到申请日期", db_index=True)
    receipt_explanation = models.TextField("收到日期依据", blank=True)

    applicant_class = models.CharField("申请人类别", max_length=20, choices=ApplicantClass.choices)
    applicant_name = models.CharField("申请人", max_length=200)
    id_type = models.CharField("证件类型", max_length=16, choices=IdType.choices)
    id_number = models.CharField("证件号码", max_length=40, blank=True, db_index=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    contact_email = models.EmailField("电子邮箱", blank=True)
    contact_address = models.CharField("通信地址", max_length=300, blank=True)

    request_text = models.TextField("所需信息的描述", max_length=4000)
    request_doc_number = models.CharField("文号（如知道）", max_length=100, blank=True)
    form_wanted = models.CharField(
        "获取信息的载体形式", max_length=12, choices=FormWanted.choices, default=FormWanted.ANY
    )
    delivery_wanted = models.CharField(
        "获取信息的方式", max_length=12, choices=DeliveryMethod.choices, default=DeliveryMethod.POST
    )

    # the clock (written only by services.recompute_deadline)
    clock_start_on = models.DateField("计时起点", null=True, blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField("期限为暂定", default=False, db_index=True)
    due_explanation = models.JSONField("期限计算过程", default=list, blank=True)
    correction_notice_due_on = models.DateField("补正告知期限", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长工作日数", default=0)
    # the applicant's own deadline while the case waits for them (补正 or fee)
    applicant_due_on = models.DateField("申请人期限", null=True, blank=True)

    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOME_CHOICES, blank=True)
    decision_note = models.TextField("决定理由", max_length=4000, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    closed_on = models.DateField("办结（答复）日期", null=True, blank=True, db_index=True)
    answer_delivery = models.CharField(
        "答复送达方式", max_length=12, choices=DeliveryMethod.choices, blank=True
    )
    answer_delivery_detail = models.CharField("送达凭据", max_length=200, blank=True)

    imported = models.BooleanField("历史导入", default=False)
    # the reminder job's claim: the day this case was last included in a reminder
    reminded_on = models.DateField("最近提醒日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ("-received_on", "-pk")
        constraints = (
            models.UniqueConstraint(fields=["agency", "number"], name="applications_number"),
            models.UniqueConstraint(
                fields=["agency", "year", "seq"],
                condition=Q(seq__isnull=False),
                name="applications_seq",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=OUTCOME_KEYS),
                name="applications_outcome_is_leaf",
            ),
            # closed ⇔ an outcome and an answer date; the answer never precedes receipt
            models.CheckConstraint(
                condition=(
                    Q(status=Status.CLOSED, closed_on__isnull=False)
                    & ~Q(outcome="")
                    & Q(closed_on__gte=models.F("received_on"))
                )
                | (~Q(status=Status.CLOSED) & Q(closed_on__isnull=True)),
                name="applications_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(extension_days__lte=20), name="applications_extension_max"
            ),
        )
        indexes = (
            models.Index(fields=["agency", "status", "due_on"]),
            models.Index(fields=["agency", "received_on"]),
            models.Index(fields=["agency", "closed_on"]),
            models.Index(fields=["handler", "status"]),
            # covers table 三: the count reads only this index (index-only scan), never the
            # wide rows — what keeps a region of 1,000,000 cases under a second
            models.Index(
                fields=["agency", "received_on", "closed_on", "applicant_class", "outcome"],
                name="applications_table3_cover",
            ),
        )

    def __str__(self) -> str:
        return f"{self.number} 政府信息公开申请"

    def get_absolute_url(self) -> str:
        return reverse("workspace:application_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    # -- personal data, masked for lists ------------------------------------------------------
    @property
    def masked_name(self) -> str:
        if self.applicant_class != ApplicantClass.NATURAL_PERSON:
            return self.applicant_name  # organisations are not personal data
        name = self.applicant_name
        return name[:1] + "*" * max(len(name) - 1, 1)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone) if self.contact_phone else ""

    @property
    def masked_email(self) -> str:
        if not self.contact_email:
            return ""
        local, _, domain = self.contact_email.partition("@")
        return f"{local[:1]}***@{domain}"

    def outcome_label(self) -> str:
        return dict(OUTCOME_CHOICES).get(self.outcome, "")


class ClockKind(models.TextChoices):
    CORRECTION_NOTICE = "correction_notice", "补正通知"
    CORRECTION_RECEIVED = "correction_received", "收到补正"
    CONSULTATION = "consultation", "征求意见"
    EXTENSION = "extension", "延长答复期限"
    FEE_NOTICE = "fee_notice", "收费通知"
    FEE_PAID = "fee_paid", "缴纳费用"
    FEE_LAPSED = "fee_lapsed", "逾期未缴费"


class ConsultedParty(models.TextChoices):
    THIRD_PARTY = "third_party", "第三方（条例第三十二条）"
    CO_MAKER = "co_maker", "共同制作机关（条例第三十四条）"
    OTHER_AGENCY = "other_agency", "其他行政机关"


class ClockEvent(models.Model):
    """One event that moves the clock. ``on`` is the legal day of the event; ``until`` closes a
    span (the consultation reply, the fee payment)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="clock_events"
    )
    kind = models.CharField("类型", max_length=24, choices=ClockKind.choices)
    on = models.DateField("日期")
    until = models.DateField("结束日期", null=True, blank=True)
    party = models.CharField("征求对象", max_length=16, choices=ConsultedParty.choices, blank=True)
    party_name = models.CharField("征求对象名称", max_length=200, blank=True)
    days = models.PositiveSmallIntegerField("工作日数", null=True, blank=True)
    amount_yuan = models.PositiveIntegerField("金额（元）", null=True, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    note = models.TextField("说明", max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("on", "pk")
        constraints = (
            # 条例第三十条: one 补正 notice; 第三十三条: one extension
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=Q(kind__in=["correction_notice", "extension"]),
                name="applications_once_per_case",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("on")),
                name="applications_event_span",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on.isoformat()}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "on": self.on.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "party": self.party,
            "days": self.days,
            "amount_yuan": self.amount_yuan,
        }


class LetterKind(models.TextChoices):
    ANSWER = "answer", "政府信息公开申请答复告知书"
    CORRECTION = "correction", "补正申请告知书"
    EXTENSION = "extension", "延长答复期限告知书"
    FEE = "fee", "信息处理费缴费通知书"
    CONSULTATION = "consultation", "征求意见书"


# the 文号 type character of each letter kind: 示信依申答〔2026〕3号
LETTER_CODES = {
    LetterKind.ANSWER: "答",
    LetterKind.CORRECTION: "补",
    LetterKind.EXTENSION: "延",
    LetterKind.FEE: "费",
    LetterKind.CONSULTATION: "征",
}


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "待签发"
    SIGNED = "signed", "已签发"


class LetterCounter(models.Model):
    """The last 文号 per agency, letter kind and year; signing locks this row."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=LetterKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["agency", "kind", "year"], name="applications_letter_counter_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.kind}/{self.year}: {self.last}"


class CaseReviewable:
    """What a case's reviewable (a letter, an extension request) tells the sign-off engine the
    same way: its agency, its author, its title (``str``) and the case page as its page."""

    agency: Any
    application_id: int
    created_by_id: int

    def get_absolute_url(self) -> str:
        return reverse("workspace:application_detail", args=[self.application_id])

    @property
    def signoff_agency(self) -> Any:
        return self.agency

    @property
    def signoff_title(self) -> str:
        return str(self)

    @property
    def signoff_author_id(self) -> int:
        return self.created_by_id


class Letter(CaseReviewable, models.Model):
    """A notice letter (告知书) of a case, reviewed through the sign-off engine
    (``Purpose.NOTICE_LETTER``); it gets its 文号 when the last step signs it."""

    signoff_purpose = "notice_letter"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=16, choices=LetterKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", max_length=20000)
    cited_article = models.CharField("依据", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    doc_year = models.PositiveSmallIntegerField("文号年度", null=True, blank=True)
    doc_seq = models.PositiveIntegerField("文号序号", null=True, blank=True)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "告知书"
        verbose_name_plural = "告知书"
        ordering = ("created_at", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=["agency", "kind", "doc_year", "doc_seq"],
                condition=Q(doc_seq__isnull=False),
                name="applications_letter_number",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(doc_number=""),
                name="applications_signed_letter_has_number",
            ),
        )

    def __str__(self) -> str:
        return f"{self.title}（{self.application.number}）"

    # -- the Reviewable protocol (gongkai/signoff/protocol.py): see CaseReviewable ------------
    def signoff_revision(self) -> str:
        from gongkai.signoff.models import content_hash  # noqa: PLC0415

        return content_hash(self.kind, self.title, self.body, self.cited_article)

    def signoff_preview(self) -> str:
        return self.body


def identity_proof_path(instance: OnlineSubmission, filename: str) -> str:
    # A random name under a private prefix: never derived from the visitor's filename, never
    # guessable, never served under MEDIA_URL (only the handler's logged view streams it).
    agency = instance.application.agency_id
    return f"private/identity/{agency}/{instance.proof_token}.{instance.proof_type}"


class OnlineSubmission(models.Model):
    """What only an application filed on the public portal has: the keyed hash of its tracking
    code (the code itself is shown once and never stored) and the applicant's identity proof."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="online_submission"
    )
    # HMAC-SHA256(SECRET_KEY, code): a database leak does not reveal codes (applications/online.py)
    code_hash = models.CharField("查询码摘要", max_length=64, unique=True)
    proof = models.FileField("身份证明", upload_to=identity_proof_path, max_length=200)
    proof_token = models.CharField(max_length=32, editable=False)
    proof_type = models.CharField("身份证明类型", max_length=10)
    proof_size = models.PositiveIntegerField("身份证明大小（字节）")
    proof_sha256 = models.CharField("身份证明 SHA-256", max_length=64)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "网上申请"
        verbose_name_plural = "网上申请"

    def __str__(self) -> str:
        return f"网上申请 {self.application_id}"


class ExtensionStatus(models.TextChoices):
    IN_REVIEW = "in_review", "审批中"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"
    LAPSED = "lapsed", "未在期限内批准，已失效"


class ExtensionRequest(CaseReviewable, models.Model):
    """A handler's request to extend the answer period (条例第三十三条第二款), approved through
    the sign-off engine (``Purpose.EXTENSION_REQUEST``) by the head of the disclosure office.

    Only the approval (``services.apply_extension``, on ``chain_approved``) moves the clock; a
    return rejects the request and changes nothing; an approval after the current due date, or
    after the case has left the states an extension applies to, lapses it.
    """

    signoff_purpose = "extension_request"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="extension_requests"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField("延长工作日数")
    reason = models.TextField("延长理由", max_length=2000)
    requested_on = models.DateField("申请日期")
    due_before = models.DateField("申请时的答复期限")
    status = models.CharField(
        "状态", max_length=12, choices=ExtensionStatus.choices, default=ExtensionStatus.IN_REVIEW
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审批人",
    )
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decision_note = models.TextField("审批意见或失效原因", max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "延长答复期限申请"
        verbose_name_plural = "延长答复期限申请"
        ordering = ("created_at", "pk")
        constraints = (
            # a request in review blocks a second one; only one extension ever
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["in_review", "approved"]),
                name="applications_one_live_extension_request",
            ),
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=20), name="applications_extension_request_days"
            ),
        )

    def __str__(self) -> str:
        return f"延长答复期限 {self.days} 个工作日（{self.application.number}）"

    # -- the Reviewable protocol (gongkai/signoff/protocol.py): see CaseReviewable ------------
    def signoff_revision(self) -> str:
        from gongkai.signoff.models import content_hash  # noqa: PLC0415

        return content_hash(
            str(self.application_id), str(self.days), self.reason, self.due_before.isoformat()
        )

    def signoff_preview(self) -> str:
        return (
            f"申请编号：{self.application.number}\n"
            f"现答复期限：{self.due_before.isoformat()}\n"
            f"申请延长：{self.days} 个工作日（条例第三十三条第二款：最长不超过20个工作日）\n"
            f"延长理由：{self.reason}\n"
            f"须在 {self.due_before.isoformat()} 前（含当日）批准，逾期批准不产生延长效力。"
        )


class LetterTemplate(models.Model):
    """One uploaded version of an agency's DOCX template for one letter key
    (``docx_templates.TEMPLATE_KEYS``). At most one version is active per agency and key; none
    active = the default template. Versions are kept (reverting to the default deactivates)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    key = models.CharField("模板", max_length=60)
    version = models.PositiveIntegerField("版本")
    content = models.BinaryField("DOCX 文件")
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    filename = models.CharField("上传文件名", max_length=200, blank=True)
    active = models.BooleanField("使用中", default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "告知书模板"
        verbose_name_plural = "告知书模板"
        ordering = ("agency", "key", "-version")
        constraints = (
            models.UniqueConstraint(
                fields=["agency", "key", "version"], name="applications_template_version"
            ),
            models.UniqueConstraint(
                fields=["agency", "key"],
                condition=Q(active=True),
                name="applications_one_active_template",
            ),
        )

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


def answer_document_path(instance: Any, filename: str) -> str:
    # the stored name never comes from the upload: the case and a random part only
    import secrets  # noqa: PLC0415

    return f"answers/{instance.application_id}/{secrets.token_hex(8)}.{instance.kind}"


class AnswerDocument(models.Model):
    """A disclosed document attached to the answer (条例第三十六条、第三十七条), checked by
    content (``disclosure.filetypes``) and size; delivered with the answer letter."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="answer_documents"
    )
    kind = models.CharField("类型", max_length=8)  # pdf | docx | xlsx | png | jpeg | gif
    file = models.FileField("文件", upload_to=answer_document_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("内容类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "答复附件（公开的政府信息）"
        verbose_name_plural = "答复附件（公开的政府信息）"
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.original_name


class OnlineDelivery(models.Model):
    """An expiring download link for a signed answer (送达方式：网上下载). The token is a
    ``django.core.signing`` value with its own timestamp (max age
    ``GONGKAI_LETTER_LINK_DAYS``); the first download is the platform's confirmation that the
    applicant got the answer, so its day is the answer day."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="online_deliveries"
    )
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="+")
    nonce = models.CharField(max_length=32, unique=True)
    token = models.CharField("下载链接令牌", max_length=200)
    expires_at = models.DateTimeField("链接有效期至")
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)
    first_download_at = models.DateTimeField("首次下载时间", null=True, blank=True)
    download_count = models.PositiveIntegerField("下载次数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "网上送达"
        verbose_name_plural = "网上送达"
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"网上送达 {self.application_id}（{self.created_at:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("portal:letter_download", args=[self.token])
