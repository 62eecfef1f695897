"""Public forms: the online application (条例第二十九条) and the tracking lookup.

Every error is Chinese and sits beside its field; after validation each invalid input carries
``aria-invalid`` and ``aria-describedby`` pointing at its error text (and its help text).
The domain verb (``applications.online.submit_online``) checks everything again.
"""

from __future__ import annotations

import re
from typing import Any

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.applications import online
from gongkai.applications.identity import validate_identity
from gongkai.applications.models import ApplicantClass, DeliveryMethod, FormWanted, IdType

REQUEST_TEXT_MAX = 2000
_PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,19}$")


class PortalCaptchaInput(CaptchaTextInput):
    """The library's image captcha, its image served by ``portal:captcha_image`` (a view with
    a declared method set) and rendered by our own accessible template."""

    template_name = "portal/apply/_captcha.html"

    def fetch_captcha_store(self, name: str, value: Any, attrs: Any = None, generator: Any = None):
        key = CaptchaStore.generate_key(generator)
        self._value = [key, ""]
        self._key = key
        self.id_ = self.build_attrs(attrs).get("id", None)

    def image_url(self) -> str:
        return reverse("portal:captcha_image", kwargs={"key": self._key})

    def audio_url(self) -> None:
        return None


def _required(what: str) -> dict[str, str]:
    return {"required": f"请填写{what}。", "max_length": f"{what}过长（最多 %(limit_value)d 字）。"}


class AccessibleForm(forms.Form):
    """Adds aria-invalid / aria-describedby to the widgets of fields that have errors."""

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            ids = []
            if field.help_text:
                ids.append(f"{self[name].auto_id}-help")
            if name in self.errors:
                ids.append(f"{self[name].auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-help"


class DescribeForm(AccessibleForm):
    """Step 1: what information is wanted (the matching published items are shown next)."""

    request_text = forms.CharField(
        label="所需政府信息的名称、文号或者便于查询的其他特征性描述",
        max_length=REQUEST_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required("所需信息的描述"),
        help_text="请尽量写明信息的名称、文号、形成时间等，便于准确查找（条例第二十九条）。",
    )

    def clean_request_text(self) -> str:
        text = self.cleaned_data["request_text"].strip()
        if len(text) < 5:
            raise ValidationError("描述过短，请至少写 5 个字，说明需要哪一份信息。")
        if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in text):
            raise ValidationError("描述中含有不可见的控制字符。")
        return text


ID_TYPE_CHOICES = [
    (IdType.RESIDENT_ID, IdType.RESIDENT_ID.label),
    (IdType.PASSPORT, IdType.PASSPORT.label),
    (IdType.OTHER, "其他身份证件"),
    (IdType.CREDIT_CODE, IdType.CREDIT_CODE.label + "（法人或其他组织）"),
]


class ApplyForm(DescribeForm):
    """Step 2: the whole application of 条例第二十九条."""

    applicant_class = forms.ChoiceField(
        label="申请人类型",
        choices=[
            (ApplicantClass.NATURAL_PERSON, "公民（自然人）"),
            *[(c, ApplicantClass(c).label) for c in online.ORGANISATION_CLASSES],
        ],
        initial=ApplicantClass.NATURAL_PERSON,
        error_messages={"required": "请选择申请人类型。", "invalid_choice": "申请人类型无效。"},
    )
    applicant_name = forms.CharField(
        label="姓名或名称", max_length=100, error_messages=_required("姓名或名称")
    )
    id_type = forms.ChoiceField(
        label="证件类型",
        choices=ID_TYPE_CHOICES,
        error_messages={"required": "请选择证件类型。", "invalid_choice": "证件类型无效。"},
    )
    id_number = forms.CharField(
        label="证件号码或统一社会信用代码", max_length=40, error_messages=_required("证件号码")
    )
    contact_person = forms.CharField(
        label="联系人（法人或其他组织填写）",
        max_length=50,
        required=False,
        error_messages=_required("联系人"),
    )
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        error_messages=_required("联系电话"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label="电子邮箱",
        max_length=254,
        required=False,
        error_messages={"invalid": "电子邮箱格式不正确。", "max_length": "电子邮箱过长。"},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="填写后会收到受理回执和查询码。联系电话和电子邮箱至少填写一项。",
    )
    contact_address = forms.CharField(
        label="通信地址", max_length=200, required=False, error_messages=_required("通信地址")
    )
    request_doc_number = forms.CharField(
        label="文号（如知道）", max_length=100, required=False, error_messages=_required("文号")
    )
    form_wanted = forms.ChoiceField(
        label="获取信息的载体形式",
        choices=FormWanted.choices,
        initial=FormWanted.ELECTRONIC,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择载体形式。", "invalid_choice": "载体形式无效。"},
    )
    delivery_wanted = forms.ChoiceField(
        label="获取信息的方式",
        choices=DeliveryMethod.choices,
        initial=DeliveryMethod.ONLINE,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择获取方式。", "invalid_choice": "获取方式无效。"},
    )
    proof = forms.FileField(
        label="身份证明",
        help_text="公民上传身份证件，法人或其他组织上传营业执照等证明的照片或扫描件；"
        "JPEG、PNG 或 PDF，不超过 5 MB。",
        error_messages={
            "required": "请上传身份证明。",
            "empty": "上传的文件是空的。",
            "invalid": "上传失败，请重新选择文件。",
            "missing": "请上传身份证明。",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )
    captcha = CaptchaField(
        label="验证码",
        widget=PortalCaptchaInput(),
        help_text="请输入图片中的字母或数字（不区分大小写）。",
        error_messages={"invalid": "验证码不正确，请重新输入新图片中的字符。"},
    )

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not _PHONE_RE.match(phone):
            raise ValidationError("联系电话格式不正确，请只填写数字（可含区号和「-」）。")
        return phone

    def clean_proof(self) -> Any:
        proof = self.cleaned_data["proof"]
        if proof.size > online.MAX_PROOF_BYTES:
            raise ValidationError("身份证明文件不能超过 5 MB。")
        return proof

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        klass, id_type = data.get("applicant_class"), data.get("id_type")
        if klass and id_type:
            if klass == ApplicantClass.NATURAL_PERSON and id_type == IdType.CREDIT_CODE:
                self.add_error("id_type", "公民申请请选择居民身份证、护照或其他身份证件。")
            elif klass != ApplicantClass.NATURAL_PERSON and id_type != IdType.CREDIT_CODE:
                self.add_error("id_type", "法人或其他组织申请请选择统一社会信用代码。")
            elif data.get("id_number"):
                try:
                    data["id_number"] = validate_identity(id_type, data["id_number"])
                except ValidationError as exc:
                    self.add_error("id_number", exc)
        if klass and klass != ApplicantClass.NATURAL_PERSON and not data.get("contact_person"):
            self.add_error("contact_person", "法人或其他组织申请请填写联系人姓名。")
        phone, email = data.get("contact_phone"), data.get("contact_email")
        if phone == "" and email == "":  # both given and blank (not merely invalid)
            self.add_error("contact_phone", "联系电话和电子邮箱至少填写一项（查询进度时需要）。")
        delivery = data.get("delivery_wanted")
        if delivery == DeliveryMethod.POST and not data.get("contact_address"):
            self.add_error("contact_address", "选择邮寄时请填写通信地址。")
        if delivery == DeliveryMethod.EMAIL and data.get("contact_email") == "":
            self.add_error("contact_email", "选择电子邮件方式时请填写电子邮箱。")
        return data


class TrackForm(AccessibleForm):
    code = forms.CharField(
        label="查询码",
        max_length=40,
        error_messages=_required("查询码"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text="提交申请后页面显示的查询码，例如 ABCDE-FGHJK-MNPQR-STUVW。",
    )
    contact = forms.CharField(
        label="联系电话或电子邮箱",
        max_length=254,
        error_messages=_required("联系电话或电子邮箱"),
        help_text="提交申请时填写的联系电话或电子邮箱。",
    )
