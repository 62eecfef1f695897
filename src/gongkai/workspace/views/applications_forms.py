"""Forms of the application pages: they validate at the boundary, services decide the rest."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.utils import timezone

from gongkai.applications.models import (
    CHANNEL_CHOICES,
    OUTCOME_CHOICES,
    ApplicantClass,
    ConsultedParty,
    DeliveryMethod,
    FormWanted,
    IdType,
)

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class DayField(forms.DateField):
    """A date that cannot lie in the future: events are recorded after they happen."""

    widget = DATE_WIDGET

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError("日期不能晚于今天。")


class CleanForm(forms.Form):
    """Refuse control characters in every text field (NUL and friends never reach a service)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str) and _CONTROL_RE.search(value):
                self.add_error(name, "含有不可见的控制字符。")
        return data


class IntakeForm(CleanForm):
    channel = forms.ChoiceField(label="申请渠道", choices=CHANNEL_CHOICES)
    event_on = DayField(
        label="收到日期依据日",
        help_text="当面：提交之日；邮寄：签收之日；平常信函、网络、传真：双方确认之日；"
        "电子邮件：邮件系统收到之日（条例第三十一条）",
    )
    oral = forms.BooleanField(
        label="口头申请（书面确有困难，由工作人员代为填写，条例第二十九条）", required=False
    )
    applicant_class = forms.ChoiceField(label="申请人类别", choices=ApplicantClass.choices)
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=200)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices)
    id_number = forms.CharField(label="证件号码", max_length=40, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=40, required=False)
    contact_email = forms.EmailField(label="电子邮箱", required=False)
    contact_address = forms.CharField(label="通信地址", max_length=300, required=False)
    request_text = forms.CharField(
        label="所需信息的描述",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="名称、文号或者便于查询的其他特征性描述",
    )
    request_doc_number = forms.CharField(label="文号（如知道）", max_length=100, required=False)
    form_wanted = forms.ChoiceField(label="载体形式", choices=FormWanted.choices)
    delivery_wanted = forms.ChoiceField(label="获取方式", choices=DeliveryMethod.choices)


class CorrectionRequestForm(CleanForm):
    sent_on = DayField(label="补正通知发出日期")
    reply_by = forms.DateField(label="补正期限", widget=DATE_WIDGET)
    note = forms.CharField(
        label="需要补正的事项", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CorrectionReceivedForm(CleanForm):
    received_on = DayField(label="收到补正后申请的日期")


class CloseForm(CleanForm):
    on = DayField(label="办结日期")


class ConsultationForm(CleanForm):
    party = forms.ChoiceField(label="征求对象", choices=ConsultedParty.choices)
    party_name = forms.CharField(label="征求对象名称", max_length=200)
    received_on = DayField(label="对方收到征求意见书的日期")
    note = forms.CharField(label="说明", max_length=2000, required=False)


class ConsultationReplyForm(CleanForm):
    replied_on = DayField(label="收到答复的日期")
    note = forms.CharField(
        label="答复意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionForm(CleanForm):
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20, initial=20)
    reason = forms.CharField(
        label="延长理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = DayField(
        label="申请日期",
        initial=timezone.localdate,
        help_text="送政府信息公开工作机构负责人审批；须在答复期限内批准，批准后才延长。",
    )


class FeeNoticeForm(CleanForm):
    METHODS: ClassVar = [("items", "按件计收"), ("pages", "按量计收")]
    method = forms.ChoiceField(label="计收方式", choices=METHODS)
    quantity = forms.IntegerField(label="件数或页数", min_value=1, max_value=100_000)
    received_on = DayField(label="申请人收到收费通知的日期")


class FeePaidForm(CleanForm):
    paid_on = DayField(label="缴费日期")


class DecisionForm(CleanForm):
    outcome = forms.ChoiceField(
        label="办理结果（年度报告表三）",
        choices=[
            c for c in OUTCOME_CHOICES if c[0] not in {"other_no_correction", "other_unpaid_fee"}
        ],
    )
    decided_on = DayField(label="决定日期")
    note = forms.CharField(
        label="决定理由与依据",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(CleanForm):
    delivery = forms.ChoiceField(label="送达方式", choices=DeliveryMethod.choices)
    on = DayField(
        label="答复日期",
        help_text="直接送达：签收之日；邮寄：交邮之日（国办公开办函〔2016〕235号）；"
        "电子邮件：发出之日；网上：申请人获取之日",
    )
    detail = forms.CharField(label="送达凭据（邮件号码、签收人等）", max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV 或 XLSX 文件")
    dry_run = forms.BooleanField(label="只检查，不写入", required=False, initial=True)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("只接受 .csv 或 .xlsx 文件。")
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError("文件过大（超过 50 MB）。")
        return upload


class StatsForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2008, max_value=2100)


def today() -> date:
    return timezone.localdate()


class LetterEditForm(CleanForm):
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(
        label="正文", max_length=20000, widget=forms.Textarea(attrs={"rows": 18})
    )
