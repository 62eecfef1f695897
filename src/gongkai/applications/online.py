"""Applications filed by the public on the portal, and tracking them by code.

``submit_online`` registers the application through ``services.register_application``
(channel online, receipt date 条例第三十一条第（三）项: the platform's automatic receipt on
submission is the confirmation by both sides), keeps the identity proof privately and creates a
tracking code. The code is random (``secrets``, 20 characters of a 31-letter alphabet without
0/O/1/I/L: about 99 bits), shown once on the receipt page and in the receipt e-mail; only its
keyed hash (HMAC-SHA256 with SECRET_KEY) is stored, under a unique index.

``track`` finds a case by code and contact: the hash is looked up, then the normalised contact
is compared with ``hmac.compare_digest`` against the phone and the e-mail on file. An unknown
code still does the same comparisons against dummies, and a wrong code and a wrong contact both
return None, so a caller cannot tell them apart (the portal adds per-IP rate limits).

This module is domain side: it never imports the portal.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.applications import actions, notify, services
from gongkai.applications.errors import InvalidInputError, NotPermittedError
from gongkai.applications.models import (
    ApplicantClass,
    Application,
    DeliveryMethod,
    FormWanted,
    IdType,
    Letter,
    LetterKind,
    LetterStatus,
    OnlineSubmission,
)
from gongkai.applications.states import Status
from gongkai.disclosure.filetypes import FileTypeError, detect_type
from gongkai.eventlog.services import record
from gongkai.law.clock import Channel

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0 O 1 I L
CODE_LENGTH = 20
CODE_GROUP = 5
PROOF_TYPES = ("jpeg", "png", "pdf")
MAX_PROOF_BYTES = 5 * 1024 * 1024
_SEPARATORS = re.compile(r"[\s\-－—_·.]+")

ORGANISATION_CLASSES = tuple(c for c in ApplicantClass.values if c != ApplicantClass.NATURAL_PERSON)
# what each applicant may identify with on the public form
PERSON_ID_TYPES = (IdType.RESIDENT_ID, IdType.PASSPORT, IdType.OTHER)

PUBLIC_STATUS = {
    Status.IN_PROGRESS: "正在办理",
    Status.AWAITING_CORRECTION: "需要您补正申请：请按补正告知书的要求在期限内补正",
    Status.CONSULTING: "正在征求第三方或其他机关的意见（征求意见期间不计入答复期限）",
    Status.AWAITING_FEE: "需要您缴纳信息处理费：请按收费通知在期限内缴纳",
    Status.ANSWERING: "已作出答复决定，正在送达",
    Status.CLOSED: "已办结",
}
# letters the applicant receives (consultation letters go to third parties, never to them)
APPLICANT_LETTERS = (
    LetterKind.ANSWER,
    LetterKind.CORRECTION,
    LetterKind.EXTENSION,
    LetterKind.FEE,
)


# ---------------------------------------------------------------------------------------------
# codes


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def normalize_code(value: str) -> str:
    """Upper case without separators; what a visitor types with spaces or dashes still works."""
    return _SEPARATORS.sub("", str(value or "")).upper()[:64]


def code_hash(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    message = b"gongkai.tracking-code:" + normalize_code(code).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def normalize_contact(value: str) -> str:
    """An e-mail address in lower case, or a phone number as its digits only."""
    text = str(value or "").strip()[:254]
    if "@" in text:
        return text.lower()
    return "".join(ch for ch in text if ch.isdigit())


# ---------------------------------------------------------------------------------------------
# submitting


@dataclass(frozen=True)
class Submitted:
    application: Application
    code: str  # shown once; never stored


def _check_proof(data: bytes) -> str:
    if not data:
        raise InvalidInputError("请上传身份证明（身份证或营业执照等的照片或扫描件）。")
    if len(data) > MAX_PROOF_BYTES:
        raise InvalidInputError(f"身份证明文件不能超过 {MAX_PROOF_BYTES // (1024 * 1024)} MB。")
    try:
        kind = detect_type(data)
    except FileTypeError:
        kind = ""
    if kind not in PROOF_TYPES:
        raise InvalidInputError("身份证明只接受 JPEG、PNG 图片或 PDF 文件（按文件内容识别）。")
    return kind


def _check_identity_rules(applicant_class: str, id_type: str) -> None:
    if applicant_class not in ApplicantClass.values:
        raise InvalidInputError("申请人类别无效。")
    if applicant_class == ApplicantClass.NATURAL_PERSON:
        if id_type not in PERSON_ID_TYPES:
            raise InvalidInputError("公民申请请选择居民身份证、护照或其他身份证件。")
    elif id_type != IdType.CREDIT_CODE:
        raise InvalidInputError("法人或其他组织申请请填写统一社会信用代码。")


def submit_online(
    *,
    agency: Any,
    applicant_class: str,
    applicant_name: str,
    id_type: str,
    id_number: str,
    contact_person: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_address: str = "",
    request_text: str,
    request_doc_number: str = "",
    form_wanted: str = FormWanted.ANY,
    delivery_wanted: str = DeliveryMethod.ONLINE,
    proof_data: bytes,
    submitted_on: date | None = None,
    code: str | None = None,
) -> Submitted:
    """Register an application from the public form; returns it with its tracking code.

    ``code`` is for the demo data only (a documented, fixed code); real submissions draw one.
    """
    if not agency.active:
        raise NotPermittedError
    _check_identity_rules(applicant_class, id_type)
    if not (str(contact_phone).strip() or str(contact_email).strip()):
        raise InvalidInputError("请至少填写联系电话或电子邮箱中的一项（查询办理进度时需要）。")
    if form_wanted not in FormWanted.values:
        raise InvalidInputError("获取信息的载体形式无效。")
    if delivery_wanted not in DeliveryMethod.values:
        raise InvalidInputError("获取信息的方式无效。")
    if delivery_wanted == DeliveryMethod.POST and not str(contact_address).strip():
        raise InvalidInputError("选择邮寄时请填写通信地址。")
    if delivery_wanted == DeliveryMethod.EMAIL and not str(contact_email).strip():
        raise InvalidInputError("选择电子邮件时请填写电子邮箱。")
    proof_type = _check_proof(proof_data)
    name = str(applicant_name or "").strip()
    person = str(contact_person or "").strip()
    if applicant_class != ApplicantClass.NATURAL_PERSON:
        if not person:
            raise InvalidInputError("法人或其他组织申请请填写联系人姓名。")
        if len(person) > 50:
            raise InvalidInputError("联系人姓名过长（最多 50 字）。")
        # the model has one name field: the organisation, with its contact person
        name = f"{name}（联系人：{person}）"
    code = code or new_code()
    digest = code_hash(code)
    day = submitted_on or timezone.localdate()
    submission: OnlineSubmission | None = None
    try:
        with transaction.atomic():
            application = services.register_application(
                actor=None,
                public=True,
                notify_receipt=False,
                agency=agency,
                channel=Channel.ONLINE,
                event_on=day,
                applicant_class=applicant_class,
                applicant_name=name,
                id_type=id_type,
                id_number=id_number,
                contact_phone=contact_phone,
                contact_email=contact_email,
                contact_address=contact_address,
                request_text=request_text,
                request_doc_number=request_doc_number,
                form_wanted=form_wanted,
                delivery_wanted=delivery_wanted,
            )
            submission = OnlineSubmission(
                application=application,
                code_hash=digest,
                proof_token=secrets.token_hex(16),
                proof_type=proof_type,
                proof_size=len(proof_data),
                proof_sha256=hashlib.sha256(proof_data).hexdigest(),
            )
            submission.proof.save("proof", ContentFile(proof_data), save=False)
            submission.save(force_insert=True)
            record(
                action=actions.SUBMITTED_ONLINE,
                obj=application,
                after={
                    "number": application.number,
                    "proof_type": proof_type,
                    "size": len(proof_data),
                },
            )
            notify.applicant_later(application, "receipt", tracking_code=code)
    except Exception:
        # the file was written inside the transaction that failed: do not leave it behind
        if submission is not None and submission.proof.name:
            submission.proof.storage.delete(submission.proof.name)
        raise
    return Submitted(application=application, code=code)


# ---------------------------------------------------------------------------------------------
# tracking

_DUMMY = "\x00" * 16


def track(code: str, contact: str) -> Application | None:
    """The application whose code and contact both match, else None (same work either way)."""
    digest = code_hash(code)
    given = normalize_contact(contact).encode()
    submission = (
        OnlineSubmission.objects.filter(code_hash=digest)
        .select_related("application", "application__agency")
        .first()
    )
    application = submission.application if submission is not None else None
    phone = normalize_contact(application.contact_phone) if application else _DUMMY
    email = normalize_contact(application.contact_email) if application else _DUMMY
    # both comparisons always run, in constant time; an empty contact never matches
    phone_ok = hmac.compare_digest(given, phone.encode()) and bool(given) and bool(phone)
    email_ok = hmac.compare_digest(given, email.encode()) and bool(given) and bool(email)
    if application is None or not (phone_ok or email_ok):
        return None
    return application


def applicant_letters(application: Application) -> list[Letter]:
    """Letters the applicant may download: signed notices sent to them, and the answer once
    its delivery is recorded (the case is closed)."""
    kinds = [k for k in APPLICANT_LETTERS if k != LetterKind.ANSWER]
    if application.status == Status.CLOSED:
        kinds.append(LetterKind.ANSWER)
    return list(
        application.letters.filter(status=LetterStatus.SIGNED, kind__in=kinds).order_by(
            "signed_at", "pk"
        )
    )


def get_applicant_letter(application: Application, pk: Any) -> Letter | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return next((letter for letter in applicant_letters(application) if letter.pk == pk), None)


def note_applicant_download(letter: Letter) -> None:
    """The applicant downloaded a letter through tracking: logged, so receipt is provable."""
    with transaction.atomic():
        record(
            action=actions.LETTER_DOWNLOADED_BY_APPLICANT,
            obj=letter.application,
            after={"letter": letter.pk, "kind": letter.kind, "doc_number": letter.doc_number},
        )


# ---------------------------------------------------------------------------------------------
# staff side


def take_case(application: Application, *, actor: Any) -> Application:
    """A handler takes an unassigned case (filed on the portal) as its 承办人."""
    with transaction.atomic():
        application = services._lock(application)
        services._require_handler(actor, application.agency)
        if application.handler_id is not None:
            raise InvalidInputError("该申请已有承办人。")
        if application.status == Status.CLOSED:
            raise InvalidInputError("该申请已办结。")
        application.handler = actor
        application.save(update_fields=["handler", "updated_at"])
        record(
            action=actions.CASE_TAKEN,
            actor=actor,
            obj=application,
            before={"handler": None},
            after={"handler": actor.pk},
        )
    return application


def view_identity_proof(application: Application, *, actor: Any) -> OnlineSubmission:
    """The handler opens the identity proof: personal data, so the access is logged."""
    services._require_handler(actor, application.agency)
    submission = OnlineSubmission.objects.filter(application=application).first()
    if submission is None:
        raise InvalidInputError("该申请没有网上提交的身份证明。")
    with transaction.atomic():
        record(
            action=actions.IDENTITY_PROOF_VIEWED,
            actor=actor,
            obj=application,
            after={"proof_type": submission.proof_type},
        )
    return submission
