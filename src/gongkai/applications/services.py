"""The verbs of 依申请公开 casework; nothing else assigns an application's status or clock.

Each verb takes the actor, locks the application (``select_for_update``), checks the state
against ``states.TRANSITIONS``, saves with ``update_fields``, recomputes the stored deadline,
writes the event in the same transaction and schedules e-mail on commit. Dates are the legal
days of the events (passed in, never "now"), so a clerk can record yesterday's post.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.agencies.access import can_write, has_role
from gongkai.agencies.models import Agency, Membership, Role
from gongkai.applications import actions, docx_templates, letters, notify, tally
from gongkai.applications.deadline import answer_deadline
from gongkai.applications.errors import (
    IllegalTransitionError,
    InvalidInputError,
    LetterFrozenError,
    NotPermittedError,
)
from gongkai.applications.identity import validate_identity
from gongkai.applications.models import (
    LETTER_CODES,
    NUMBER_FORMAT,
    OUTCOME_KEYS,
    AnswerDocument,
    ApplicantClass,
    Application,
    ApplicationCounter,
    ClockEvent,
    ClockKind,
    ConsultedParty,
    DeliveryMethod,
    ExtensionRequest,
    ExtensionStatus,
    IdType,
    Letter,
    LetterCounter,
    LetterKind,
    LetterStatus,
    LetterTemplate,
    OnlineDelivery,
)
from gongkai.applications.states import OPEN_STATES, target_of
from gongkai.eventlog.services import record
from gongkai.law import clock, fees
from gongkai.signoff import services as signoff_services
from gongkai.signoff.errors import SignoffError
from gongkai.signoff.models import Chain, ChainStatus, ChainTemplate, Purpose, StepTemplate
from gongkai.workdays.calendar import current_calendar

NUMBER_RE = re.compile(r"^〔(\d{4})〕第(\d{1,6})号$")
MAX_TEXT = 4000
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# 国办公开办函〔2016〕235号 and LAW.md §2: which day is the answer day for each delivery
ANSWER_DAY_RULES = {
    DeliveryMethod.IN_PERSON: "以申请人签收之日为答复日期",
    DeliveryMethod.POST: "以交邮之日为答复日期（国办公开办函〔2016〕235号）",
    DeliveryMethod.EMAIL: "以电子邮件发出之日为答复日期",
    DeliveryMethod.ONLINE: "以申请人在线获取（平台确认）之日为答复日期",
}


# ---------------------------------------------------------------------------------------------
# helpers


def may_handle(user: Any, agency: Agency) -> bool:
    """Handlers and agency administrators work cases; system administrators may too."""
    if not can_write(user, agency):
        return False
    if user.is_superuser:
        return True
    return has_role(user, agency, Role.HANDLER) or has_role(user, agency, Role.AGENCY_ADMIN)


def _require_handler(actor: Any, agency: Agency) -> None:
    if not may_handle(actor, agency):
        raise NotPermittedError


def _clean_text(value: Any, what: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise InvalidInputError(f"请填写{what}。")
    if len(text) > limit:
        raise InvalidInputError(f"{what}过长（最多 {limit} 字）。")
    if _CONTROL_RE.search(text):
        raise InvalidInputError(f"{what}含有不可见的控制字符。")
    return text


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("agency").get(pk=application.pk)


def _move(application: Application, verb: str) -> str:
    target = target_of(verb, application.status)
    if target is None:
        raise IllegalTransitionError
    before = application.status
    application.status = target
    return before


def _not_before(day: date, earliest: date, what: str, earliest_what: str) -> None:
    if day < earliest:
        raise InvalidInputError(
            f"{what} {day.isoformat()} 早于{earliest_what} {earliest.isoformat()}。"
        )


def _events(application: Application) -> list[ClockEvent]:
    if application.pk is None:  # a new application has no events yet
        return []
    return list(application.clock_events.all())


def recompute_deadline(application: Application, *, calendar: Any = None) -> bool:
    """Recompute and store the due date; True when it changed. Call under the row lock."""
    cal = calendar or current_calendar()
    deadline = answer_deadline(application, _events(application), cal)
    notice = clock.correction_notice_deadline(application.received_on, calendar=cal)
    changed = (
        application.due_on != deadline.due
        or application.due_provisional != deadline.provisional
        or application.due_explanation != list(deadline.explanation)
    )
    application.clock_start_on = deadline.clock_start
    application.due_on = deadline.due
    application.due_provisional = deadline.provisional or notice.provisional
    application.due_explanation = list(deadline.explanation)
    application.correction_notice_due_on = notice.due
    return changed


_CLOCK_FIELDS = [
    "clock_start_on",
    "due_on",
    "due_provisional",
    "due_explanation",
    "correction_notice_due_on",
    "updated_at",
]


def _state(application: Application) -> dict[str, Any]:
    return {
        "number": application.number,
        "status": application.status,
        "due_on": application.due_on.isoformat() if application.due_on else None,
        "provisional": application.due_provisional,
        "outcome": application.outcome or None,
    }


def _next_seq(agency: Agency, year: int) -> int:
    """Lock the agency-year counter and take the next number (gap-free: the counter only moves
    inside the transaction that creates the application)."""
    ApplicationCounter.objects.get_or_create(agency=agency, year=year)
    counter = ApplicationCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _bump_counter(agency: Agency, year: int, seq: int) -> None:
    ApplicationCounter.objects.get_or_create(agency=agency, year=year)
    counter = ApplicationCounter.objects.select_for_update().get(agency=agency, year=year)
    if seq > counter.last:
        counter.last = seq
        counter.save(update_fields=["last"])


def _clean_identity(id_type: str, id_number: str) -> str:
    if id_type not in IdType.values:
        raise InvalidInputError("证件类型无效。")
    try:
        return validate_identity(id_type, id_number or "")
    except ValidationError as exc:
        raise InvalidInputError(" ".join(exc.messages)) from None


def _draft_letter(application: Application, kind: str, text: tuple[str, str], actor: Any) -> Letter:
    cited, body = text
    letter = Letter.objects.create(
        application=application,
        agency=application.agency,
        kind=kind,
        title=LetterKind(kind).label,
        body=body,
        cited_article=cited,
        created_by=actor,
    )
    # The drafter is an author of the letter's first revision: they may not sign it themselves.
    signoff_services.note_revision(letter, actor=actor)
    return letter


LETTER_BODY_LIMIT = 20000


def edit_letter(letter: Letter, *, actor: Any, title: str, body: str) -> Letter:
    """Edit a draft letter's title and text before sign-off (the author or a named editor,
    never while in review). Each change is a new revision noted with its author, so an
    approval given to the old text no longer covers it. A signed letter is frozen: its 文号
    and text went to the applicant."""
    title = _clean_text(title, "告知书标题", required=True, limit=200)
    body = _clean_text(body, "告知书正文", required=True, limit=LETTER_BODY_LIMIT)
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("agency").get(pk=letter.pk)
        if letter.status != LetterStatus.DRAFT:
            raise LetterFrozenError
        signoff_services.check_may_edit(letter, actor=actor)
        if (letter.title, letter.body) == (title, body):
            return letter
        before = {"title": letter.title, "revision": letter.signoff_revision()}
        letter.title, letter.body = title, body
        letter.save(update_fields=["title", "body", "updated_at"])
        signoff_services.note_revision(letter, actor=actor)
        record(
            action=actions.LETTER_EDITED,
            actor=actor,
            obj=letter.application,
            before=before,
            after={"title": title, "revision": letter.signoff_revision()},
        )
    return letter


# ---------------------------------------------------------------------------------------------
# intake


def register_application(
    *,
    actor: Any,
    agency: Agency,
    channel: str,
    event_on: date,
    applicant_class: str,
    applicant_name: str,
    id_type: str = IdType.NONE,
    id_number: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_address: str = "",
    request_text: str,
    request_doc_number: str = "",
    form_wanted: str = "any",
    delivery_wanted: str = DeliveryMethod.POST,
    oral: bool = False,
    public: bool = False,
    notify_receipt: bool = True,
) -> Application:
    """Register an application received on ``channel``; ``event_on`` is the day of the event
    that 条例第三十一条 names for the channel (handed in, signed for, confirmed, e-mail received).

    ``public=True`` is the portal's own intake (``applications/online.py``): no staff actor,
    channel online only. ``notify_receipt=False`` lets that caller send the receipt e-mail
    itself (it carries the tracking code, which only the caller knows).
    """
    if public:
        if actor is not None or channel != clock.Channel.ONLINE:
            raise NotPermittedError
    else:
        _require_handler(actor, agency)
    try:
        receipt = clock.receipt_date(channel, **{_receipt_arg(channel): event_on})
    except clock.ClockError as exc:
        raise InvalidInputError(str(exc)) from None
    if applicant_class not in ApplicantClass.values:
        raise InvalidInputError("申请人类别无效。")
    if oral and channel != clock.Channel.IN_PERSON:
        raise InvalidInputError("口头申请只能当面提出（条例第二十九条）。")
    fields = {
        "applicant_name": _clean_text(applicant_name, "申请人姓名或名称", required=True, limit=200),
        "contact_phone": _clean_text(contact_phone, "联系电话", limit=40),
        "contact_email": _clean_text(contact_email, "电子邮箱", limit=254),
        "contact_address": _clean_text(contact_address, "通信地址", limit=300),
        "request_text": _clean_text(request_text, "所需信息的描述", required=True),
        "request_doc_number": _clean_text(request_doc_number, "文号", limit=100),
    }
    if not (fields["contact_phone"] or fields["contact_email"] or fields["contact_address"]):
        raise InvalidInputError("请至少填写一种联系方式（条例第二十九条）。")
    number_id = _clean_identity(id_type, id_number)
    with transaction.atomic():
        year = receipt.received.year
        seq = _next_seq(agency, year)
        application = Application(
            agency=agency,
            year=year,
            seq=seq,
            number=NUMBER_FORMAT.format(year=year, seq=seq),
            handler=actor if actor is not None and not actor.is_superuser else None,
            channel=receipt.channel.value,
            oral=oral,
            received_on=receipt.received,
            receipt_explanation="\n".join(receipt.explanation),
            applicant_class=applicant_class,
            id_type=id_type,
            id_number=number_id,
            form_wanted=form_wanted,
            delivery_wanted=delivery_wanted,
            **fields,
        )
        recompute_deadline(application)
        application.full_clean(exclude=["handler"])
        application.save(force_insert=True)
        tally.count_received(application)
        record(
            action=actions.REGISTERED,
            actor=actor,
            obj=application,
            after=_state(application) | {"channel": channel, "received_on": str(receipt.received)},
        )
        if notify_receipt:
            notify.applicant_later(application, "receipt")
    return application


def _receipt_arg(channel: str) -> str:
    return {
        clock.Channel.IN_PERSON: "handed_in",
        clock.Channel.POST: "signed_for",
        clock.Channel.EMAIL: "email_received",
    }.get(channel, "confirmed")


def view_personal_data(application: Application, *, actor: Any) -> None:
    """Opening the full, unmasked record is itself logged (personal data)."""
    _require_handler(actor, application.agency)
    with transaction.atomic():
        record(action=actions.PERSONAL_DATA_VIEWED, actor=actor, obj=application)


# ---------------------------------------------------------------------------------------------
# 补正 (条例第三十条)


def request_correction(
    application: Application, *, actor: Any, sent_on: date, reply_by: date, note: str
) -> Application:
    """The one 补正 notice, within 7 working days of receipt; the applicant has until
    ``reply_by``."""
    note = _clean_text(note, "需要补正的事项", required=True)
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        before = _move(application, "request_correction")
        if application.clock_events.filter(kind=ClockKind.CORRECTION_NOTICE).exists():
            raise InvalidInputError("补正通知只能发出一次（条例第三十条）。")
        _not_before(sent_on, application.received_on, "补正通知日期", "收到申请日期")
        limit = application.correction_notice_due_on
        if limit is not None and sent_on > limit:
            raise InvalidInputError(
                f"补正通知应在收到申请之日起7个工作日内发出（条例第三十条），"
                f"本案最迟 {limit.isoformat()}，已超过。"
            )
        if reply_by <= sent_on:
            raise InvalidInputError("补正期限应晚于补正通知日期。")
        ClockEvent.objects.create(
            application=application,
            kind=ClockKind.CORRECTION_NOTICE,
            on=sent_on,
            note=note,
            detail={"reply_by": reply_by.isoformat()},
            created_by=actor,
        )
        application.applicant_due_on = reply_by
        application.save(update_fields=["status", "applicant_due_on", "updated_at"])
        _draft_letter(
            application,
            LetterKind.CORRECTION,
            letters.correction_letter(application, note, reply_by),
            actor,
        )
        record(
            action=actions.CORRECTION_REQUESTED,
            actor=actor,
            obj=application,
            before={"status": before},
            after=_state(application) | {"sent_on": str(sent_on), "reply_by": str(reply_by)},
        )
        notify.applicant_later(application, "correction")
    return application


def record_correction(application: Application, *, actor: Any, received_on: date) -> Application:
    """The corrected application arrived: the 20 working days restart from this day."""
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        before = _move(application, "record_correction")
        notice = application.clock_events.get(kind=ClockKind.CORRECTION_NOTICE)
        _not_before(received_on, notice.on, "收到补正日期", "补正通知日期")
        ClockEvent.objects.create(
            application=application,
            kind=ClockKind.CORRECTION_RECEIVED,
            on=received_on,
            created_by=actor,
        )
        application.applicant_due_on = None
        recompute_deadline(application)
        application.save(update_fields=["status", "applicant_due_on", *_CLOCK_FIELDS])
        record(
            action=actions.CORRECTION_RECEIVED,
            actor=actor,
            obj=application,
            before={"status": before},
            after=_state(application) | {"received_on": str(received_on)},
        )
    return application


def close_no_correction(application: Application, *, actor: Any, on: date) -> Application:
    """No correction by the deadline: not processed further (other_no_correction)."""
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        before = _move(application, "close_no_correction")
        if application.applicant_due_on and on <= application.applicant_due_on:
            raise InvalidInputError(
                f"补正期限 {application.applicant_due_on.isoformat()} 尚未届满，"
                "不能按逾期未补正办结。"
            )
        _close(application, "other_no_correction", on)
        application.save(update_fields=_CLOSE_FIELDS)
        tally.count_closed(application)
        _draft_letter(
            application,
            LetterKind.ANSWER,
            letters.answer_letter(application, "other_no_correction", ""),
            actor,
        )
        record(
            action=actions.CLOSED_NO_CORRECTION,
            actor=actor,
            obj=application,
            before={"status": before},
            after=_state(application),
        )
    return application


_CLOSE_FIELDS = [
    "status",
    "outcome",
    "decided_on",
    "closed_on",
    "applicant_due_on",
    "answer_delivery",
    "answer_delivery_detail",
    "updated_at",
]


def _close(application: Application, outcome: str, on: date) -> None:
    _not_before(on, application.received_on, "办结日期", "收到申请日期")
    application.outcome = outcome
    application.decided_on = application.decided_on or on
    application.closed_on = on
    application.applicant_due_on = None


# ---------------------------------------------------------------------------------------------
# consultation (条例第三十二条、第三十四条; days excluded by 第三十三条第三款)


def start_consultation(
    application: Application,
    *,
    actor: Any,
    party: str,
    party_name: str,
    received_on: date,
    note: str = "",
) -> Application:
    """A consultation letter reached ``party`` on ``received_on``; its 15 working days run."""
    if party not in ConsultedParty.values:
        raise InvalidInputError("征求对象类型无效。")
    party_name = _clean_text(party_name, "征求对象名称", required=True, limit=200)
    note = _clean_text(note, "说明", limit=2000)
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        before = _move(application, "start_consultation")
        _not_before(received_on, application.clock_start_on, "征求意见日期", "计时起点")
        window = clock.third_party_reply_deadline(
            received_on, joint=party == ConsultedParty.CO_MAKER, calendar=current_calendar()
        )
        ClockEvent.objects.create(
            application=application,
            kind=ClockKind.CONSULTATION,
            on=received_on,
            party=party,
            party_name=party_name,
            note=note,
            detail={"reply_due": window.due.isoformat()},
            created_by=actor,
        )
        recompute_deadline(application)
        application.save(update_fields=["status", *_CLOCK_FIELDS])
        _draft_letter(
            application,
            LetterKind.CONSULTATION,
            letters.consultation_letter(
                application, party_name, party == ConsultedParty.CO_MAKER, window.due
            ),
            actor,
        )
        record(
            action=actions.CONSULTATION_STARTED,
            actor=actor,
            obj=application,
            before={"status": before},
            after=_state(application) | {"party": party, "reply_due": str(window.due)},
        )
    return application


def record_consultation_reply(
    application: Application, *, actor: Any, replied_on: date, note: str = ""
) -> Application:
    note = _clean_text(note, "答复意见", limit=2000)
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        before = _move(application, "record_consultation_reply")
        event = (
            application.clock_events.select_for_update()
            .filter(kind=ClockKind.CONSULTATION, until__isnull=True)
            .order_by("-on", "-pk")
            .first()
        )
        if event is None:
            raise IllegalTransitionError
        _not_before(replied_on, event.on, "答复日期", "征求意见日期")
        event.until = replied_on
        event.note = "\n".join(filter(None, [event.note, note]))
        event.save(update_fields=["until", "note"])
        recompute_deadline(application)
        application.save(update_fields=["status", *_CLOCK_FIELDS])
        record(
            action=actions.CONSULTATION_REPLIED,
            actor=actor,
            obj=application,
            before={"status": before},
            after=_state(application) | {"replied_on": str(replied_on)},
        )
    return application


# ---------------------------------------------------------------------------------------------
# extension (条例第三十三条第二款)


EXTENSION_TEMPLATES = {
    # the head of the disclosure office: the agency's signer, or its administrator where the
    # agency has no signer (a one-person office); an agency's own template comes first
    Role.SIGNER: "延长答复期限审批（信息公开工作机构负责人）",
    Role.AGENCY_ADMIN: "延长答复期限审批（单位管理员）",
}


def extension_template(agency: Agency) -> ChainTemplate:
    """The chain for an extension request: the agency's own active template for the purpose,
    else the platform default whose one step is the signer role — or the agency-administrator
    role when the agency has no active signer. The defaults are created on first use."""
    own = (
        ChainTemplate.objects.filter(
            agency=agency, purpose=Purpose.EXTENSION_REQUEST, is_active=True
        )
        .order_by("pk")
        .first()
    )
    if own is not None:
        return own
    has_signer = Membership.objects.filter(
        agency=agency, role=Role.SIGNER, active=True, user__is_active=True
    ).exists()
    role = Role.SIGNER if has_signer else Role.AGENCY_ADMIN
    template, created = ChainTemplate.objects.get_or_create(
        agency=None, purpose=Purpose.EXTENSION_REQUEST, name=EXTENSION_TEMPLATES[role]
    )
    if created:
        StepTemplate.objects.create(
            template=template,
            order=1,
            name="政府信息公开工作机构负责人审批",
            role=role,
            forbid_self_approval=True,
        )
    return template


def extension_blocker(application: Application) -> str:
    """Why no extension can be requested now ('' when one can); one query."""
    if target_of("extend", application.status) is None:
        return "案件当前状态不能延长答复期限。"
    if application.extension_days:
        return "答复期限已延长过一次，不能再次延长（条例第三十三条第二款）。"
    live = {
        r.status
        for r in application.extension_requests.filter(
            status__in=[ExtensionStatus.IN_REVIEW, ExtensionStatus.APPROVED]
        )
    }
    if ExtensionStatus.APPROVED in live:
        return "答复期限已延长过一次，不能再次延长（条例第三十三条第二款）。"
    if ExtensionStatus.IN_REVIEW in live:
        return "已有延长答复期限申请正在审批，审批完成前不能再次申请。"
    return ""


def request_extension(
    application: Application, *, actor: Any, days: int, reason: str, on: date
) -> ExtensionRequest:
    """The handler asks to extend the answer period by ``days`` working days (once, ≤ 20) on
    ``on``, before the current due date. The request goes to the head of the disclosure office
    through the sign-off engine; only its approval moves the clock (``apply_extension``)."""
    reason = _clean_text(reason, "延长理由", required=True, limit=2000)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 20:
        raise InvalidInputError("延长期限应为 1 至 20 个工作日（条例第三十三条第二款）。")
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        blocker = extension_blocker(application)
        if blocker:
            raise InvalidInputError(blocker)
        _not_before(on, application.received_on, "申请延长日期", "收到申请日期")
        if application.due_on is None or on > application.due_on:
            raise InvalidInputError(
                f"答复期限 {application.due_on} 已届满，不能再申请延长；延长须在期限内批准。"
            )
        # an earlier, rejected request may still sit returned in its chain: close it
        returned = Chain.objects.filter(
            content_type=ContentType.objects.get_for_model(ExtensionRequest),
            object_id__in=application.extension_requests.filter(
                status=ExtensionStatus.REJECTED
            ).values("pk"),
            status=ChainStatus.RETURNED,
        )
        for old in returned:
            signoff_services.withdraw(old, actor=actor)
        extension = ExtensionRequest.objects.create(
            application=application,
            agency=application.agency,
            days=days,
            reason=reason,
            requested_on=on,
            due_before=application.due_on,
            created_by=actor,
        )
        signoff_services.note_revision(extension, actor=actor)
        try:
            chain = signoff_services.submit_for_review(
                extension,
                actor=actor,
                revision_hash=extension.signoff_revision(),
                template=extension_template(application.agency),
            )
        except SignoffError as exc:
            raise InvalidInputError(exc.message) from None
        record(
            action=actions.EXTENSION_REQUESTED,
            actor=actor,
            obj=application,
            after=_state(application)
            | {"request": extension.pk, "days": days, "chain": chain.pk, "on": str(on)},
        )
    return extension


def _lock_extension(extension: ExtensionRequest) -> tuple[ExtensionRequest, Application]:
    application = _lock(extension.application)  # the case first, as every verb does
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    return extension, application


def apply_extension(extension: ExtensionRequest, *, approved_by: Any, approved_on: date) -> bool:
    """The chain of ``extension`` was approved on ``approved_on`` by ``approved_by``: extend the
    clock, recompute the due date and draft the extension notice letter. An approval after the
    due date the request was made against, or when the case can no longer be extended, lapses
    the request and changes nothing. Returns whether the extension applied (False also when
    the request was already decided: the receiver may run after a direct call)."""
    with transaction.atomic():
        extension, application = _lock_extension(extension)
        if extension.status != ExtensionStatus.IN_REVIEW:
            return False
        extension.decided_by = approved_by
        extension.decided_on = approved_on
        lapse = ""
        if target_of("extend", application.status) is None:
            lapse = f"批准时案件状态为「{application.get_status_display()}」，不能再延长。"
        elif application.extension_days:
            lapse = "答复期限已延长过一次。"
        elif application.due_on is None or approved_on > application.due_on:
            lapse = (
                f"批准日期 {approved_on.isoformat()} 晚于答复期限 {application.due_on}，"
                "延长未在期限内批准，不产生效力；案件按原期限计算。"
            )
        if lapse:
            extension.status = ExtensionStatus.LAPSED
            extension.decision_note = lapse
            extension.save(
                update_fields=["status", "decided_by", "decided_on", "decision_note", "updated_at"]
            )
            record(
                action=actions.EXTENSION_LAPSED,
                obj=application,
                after=_state(application) | {"request": extension.pk, "reason": lapse},
            )
            return False
        before = _move(application, "extend")
        ClockEvent.objects.create(
            application=application,
            kind=ClockKind.EXTENSION,
            on=application.due_on,
            days=extension.days,
            note=extension.reason,
            detail={
                "request": extension.pk,
                "approved_by": approved_by.pk if approved_by else None,
                "approved_on": approved_on.isoformat(),
            },
            created_by=extension.created_by,
        )
        application.extension_days = extension.days
        recompute_deadline(application)
        application.save(update_fields=["status", "extension_days", *_CLOCK_FIELDS])
        extension.status = ExtensionStatus.APPROVED
        extension.save(update_fields=["status", "decided_by", "decided_on", "updated_at"])
        _draft_letter(
            application,
            LetterKind.EXTENSION,
            letters.extension_letter(
                application, extension.days, extension.reason, application.due_on
            ),
            extension.created_by,
        )
        record(
            action=actions.EXTENDED,
            actor=approved_by,
            obj=application,
            before={"status": before, "due_on": str(extension.due_before)},
            after=_state(application)
            | {
                "days": extension.days,
                "request": extension.pk,
                "approved_by": approved_by.pk if approved_by else None,
                "approved_on": approved_on.isoformat(),
            },
        )
    return True


def reject_extension(
    extension: ExtensionRequest, *, rejected_by: Any, comment: str, on: date
) -> bool:
    """The head of the office returned the request: it is rejected, the clock is unchanged and
    the handler sees the reason on the case page. A new request may be filed."""
    with transaction.atomic():
        extension, application = _lock_extension(extension)
        if extension.status != ExtensionStatus.IN_REVIEW:
            return False
        extension.status = ExtensionStatus.REJECTED
        extension.decided_by = rejected_by
        extension.decided_on = on
        extension.decision_note = comment
        extension.save(
            update_fields=["status", "decided_by", "decided_on", "decision_note", "updated_at"]
        )
        record(
            action=actions.EXTENSION_REJECTED,
            actor=rejected_by,
            obj=application,
            after=_state(application) | {"request": extension.pk, "comment": comment},
        )
    return True


# ---------------------------------------------------------------------------------------------
# fee (国办函〔2020〕109号)


def month_count_before(application: Application) -> int:
    """Items the same applicant applied for earlier in the same calendar month (109号 按件)."""
    if not application.id_number:
        return 0
    day = application.received_on
    return (
        Application.objects.filter(
            agency=application.agency,
            id_number=application.id_number,
            received_on__year=day.year,
            received_on__month=day.month,
        )
        .filter(received_on__lte=day)
        .exclude(pk=application.pk)
        .exclude(received_on=day, pk__gt=application.pk)
        .count()
    )


def send_fee_notice(
    application: Application,
    *,
    actor: Any,
    received_on: date,
    items: int | None = None,
    pages: int | None = None,
) -> Application:
    """The applicant received a fee notice on ``received_on``; 20 working days to pay."""
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        before = _move(application, "send_fee_notice")
        _not_before(received_on, application.received_on, "收到收费通知日期", "收到申请日期")
        already = month_count_before(application) if items is not None else 0
        try:
            fee = fees.fee_for_application(items=items, pages=pages, already_this_month=already)
        except fees.FeeError as exc:
            raise InvalidInputError(str(exc)) from None
        if fee.amount_yuan == 0:
            raise InvalidInputError("按该数量计算不收费（免费档内），无需发出收费通知。")
        window = clock.fee_payment_deadline(received_on, calendar=current_calendar())
        ClockEvent.objects.create(
            application=application,
            kind=ClockKind.FEE_NOTICE,
            on=received_on,
            amount_yuan=fee.amount_yuan,
            detail=fee.as_dict() | {"pay_by": window.due.isoformat()},
            created_by=actor,
        )
        application.applicant_due_on = window.due
        recompute_deadline(application)
        application.save(update_fields=["status", "applicant_due_on", *_CLOCK_FIELDS])
        _draft_letter(
            application,
            LetterKind.FEE,
            letters.fee_letter(application, fee.amount_yuan, list(fee.explanation), window.due),
            actor,
        )
        record(
            action=actions.FEE_NOTICE_SENT,
            actor=actor,
            obj=application,
            before={"status": before},
            after=_state(application) | {"amount_yuan": fee.amount_yuan, "pay_by": str(window.due)},
        )
        notify.applicant_later(application, "fee")
    return application


def record_fee_payment(application: Application, *, actor: Any, paid_on: date) -> Application:
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        before = _move(application, "record_fee_payment")
        notice = application.clock_events.filter(kind=ClockKind.FEE_NOTICE).latest("on", "pk")
        _not_before(paid_on, notice.on, "缴费日期", "收到收费通知日期")
        if application.applicant_due_on and paid_on > application.applicant_due_on:
            raise InvalidInputError("缴费日期已超过缴费期限，应按逾期未缴费办结。")
        ClockEvent.objects.create(
            application=application, kind=ClockKind.FEE_PAID, on=paid_on, created_by=actor
        )
        application.applicant_due_on = None
        recompute_deadline(application)
        application.save(update_fields=["status", "applicant_due_on", *_CLOCK_FIELDS])
        record(
            action=actions.FEE_PAID,
            actor=actor,
            obj=application,
            before={"status": before},
            after=_state(application) | {"paid_on": str(paid_on)},
        )
    return application


def lapse_fee(application: Application, *, actor: Any, on: date) -> Application:
    """Unpaid after the window: not processed further (other_unpaid_fee)."""
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        before = _move(application, "lapse_fee")
        if application.applicant_due_on and on <= application.applicant_due_on:
            raise InvalidInputError(
                f"缴费期限 {application.applicant_due_on.isoformat()} 尚未届满，"
                "不能按逾期未缴费办结。"
            )
        ClockEvent.objects.create(
            application=application, kind=ClockKind.FEE_LAPSED, on=on, created_by=actor
        )
        _close(application, "other_unpaid_fee", on)
        application.save(update_fields=_CLOSE_FIELDS)
        tally.count_closed(application)
        _draft_letter(
            application,
            LetterKind.ANSWER,
            letters.answer_letter(application, "other_unpaid_fee", ""),
            actor,
        )
        record(
            action=actions.FEE_LAPSED,
            actor=actor,
            obj=application,
            before={"status": before},
            after=_state(application),
        )
    return application


# ---------------------------------------------------------------------------------------------
# decision and answer


def decide(
    application: Application, *, actor: Any, outcome: str, decided_on: date, note: str
) -> Application:
    """The outcome is one leaf of table 三; the answer is delivered next (record_answer)."""
    if outcome not in OUTCOME_KEYS:
        raise InvalidInputError("办理结果必须是年度报告表三中的一项具体结果。")
    if outcome in {"other_no_correction", "other_unpaid_fee"}:
        raise InvalidInputError("逾期未补正、逾期未缴费请使用对应的办结操作。")
    note = _clean_text(note, "决定理由", required=outcome != "granted")
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        before = _move(application, "decide")
        _not_before(decided_on, application.received_on, "决定日期", "收到申请日期")
        application.outcome = outcome
        application.decided_on = decided_on
        application.decision_note = note
        application.save(
            update_fields=["status", "outcome", "decided_on", "decision_note", "updated_at"]
        )
        _draft_letter(
            application, LetterKind.ANSWER, letters.answer_letter(application, outcome, note), actor
        )
        record(
            action=actions.DECIDED,
            actor=actor,
            obj=application,
            before={"status": before},
            after=_state(application) | {"decided_on": str(decided_on)},
        )
    return application


def record_answer(
    application: Application, *, actor: Any, delivery: str, on: date, detail: str = ""
) -> Application:
    """The answer was delivered; ``on`` is the answer day under the delivery rule."""
    if delivery not in DeliveryMethod.values:
        raise InvalidInputError("送达方式无效。")
    detail = _clean_text(detail, "送达凭据", limit=200)
    if delivery == DeliveryMethod.POST and not detail:
        raise InvalidInputError("邮寄送达请填写邮件号码（挂号信或EMS）。")
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        before = _move(application, "record_answer")
        if not application.letters.filter(
            kind=LetterKind.ANSWER, status=LetterStatus.SIGNED
        ).exists():
            raise InvalidInputError("答复告知书尚未签发，不能送达。请先将告知书送审签发。")
        _not_before(on, application.decided_on, "答复日期", "决定日期")
        _close(application, application.outcome, on)
        application.answer_delivery = delivery
        application.answer_delivery_detail = detail
        application.save(update_fields=_CLOSE_FIELDS)
        tally.count_closed(application)
        record(
            action=actions.ANSWERED,
            actor=actor,
            obj=application,
            before={"status": before},
            after=_state(application)
            | {"delivery": delivery, "rule": ANSWER_DAY_RULES[DeliveryMethod(delivery)]},
        )
        notify.applicant_later(application, "answer")
    return application


# ---------------------------------------------------------------------------------------------
# calendar changes


def recompute_provisional(year: int) -> int:
    """Recompute open deadlines that were provisional and may touch ``year`` (a year's schedule
    was just loaded); returns how many changed."""
    changed = 0
    pks = list(
        Application.objects.filter(status__in=sorted(OPEN_STATES), due_provisional=True)
        .filter(received_on__year__lte=year)
        .values_list("pk", flat=True)
    )
    calendar = current_calendar()
    for pk in pks:
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=pk)
            old_due = application.due_on
            if recompute_deadline(application, calendar=calendar):
                application.save(update_fields=_CLOCK_FIELDS)
                record(
                    action=actions.DEADLINE_RECOMPUTED,
                    obj=application,
                    before={"due_on": str(old_due)},
                    after=_state(application) | {"calendar_year": year},
                )
                changed += 1
    return changed


# ---------------------------------------------------------------------------------------------
# letters


def sign_letter(letter: Letter) -> Letter:
    """The sign-off chain of ``letter`` was approved: give it the next 文号 of its agency, kind
    and year (gap-free: the counter row is locked in this transaction)."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("agency").get(pk=letter.pk)
        if letter.status != LetterStatus.DRAFT:
            raise IllegalTransitionError("该告知书已签发。")
        now = timezone.now()
        year = timezone.localdate(now).year
        LetterCounter.objects.get_or_create(agency=letter.agency, kind=letter.kind, year=year)
        counter = LetterCounter.objects.select_for_update().get(
            agency=letter.agency, kind=letter.kind, year=year
        )
        counter.last += 1
        counter.save(update_fields=["last"])
        prefix = letter.agency.short_name or letter.agency.name
        letter.doc_year, letter.doc_seq = year, counter.last
        letter.doc_number = f"{prefix}依申{LETTER_CODES[letter.kind]}〔{year}〕{counter.last}号"
        letter.status = LetterStatus.SIGNED
        letter.signed_at = now
        letter.save(
            update_fields=["doc_year", "doc_seq", "doc_number", "status", "signed_at", "updated_at"]
        )
        record(
            action=actions.LETTER_SIGNED,
            obj=letter.application,
            after={"letter": letter.pk, "kind": letter.kind, "doc_number": letter.doc_number},
        )
    return letter


# ---------------------------------------------------------------------------------------------
# DOCX letter templates (agency-editable)


def may_manage_templates(user: Any, agency: Agency) -> bool:
    """Agency administrators (and system administrators) manage the letter templates."""
    if not can_write(user, agency):
        return False
    return bool(user.is_superuser) or has_role(user, agency, Role.AGENCY_ADMIN)


def _template_key(key: str) -> str:
    if key not in docx_templates.template_keys():
        raise InvalidInputError("没有该告知书模板。")
    return key


def upload_letter_template(
    *, actor: Any, agency: Agency, key: str, data: bytes, filename: str = ""
) -> LetterTemplate:
    """A new version of the agency's template for ``key``; it replaces the active one. The
    file is checked by content first (``docx_templates.validate``)."""
    key = _template_key(key)
    if not may_manage_templates(actor, agency):
        raise NotPermittedError
    try:
        docx_templates.validate(data, key)
    except docx_templates.TemplateRefusedError as exc:
        raise InvalidInputError(exc.message) from None
    filename = _CONTROL_RE.sub("", str(filename or ""))[:200]
    with transaction.atomic():
        # lock the agency's rows of this key: two uploads get consecutive versions
        rows = list(
            LetterTemplate.objects.select_for_update()
            .filter(agency=agency, key=key)
            .values_list("pk", "version", "active")
        )
        previous = next((pk for pk, _, active in rows if active), None)
        version = max((v for _, v, _ in rows), default=0) + 1
        if previous is not None:
            LetterTemplate.objects.filter(pk=previous).update(active=False)
        template = LetterTemplate.objects.create(
            agency=agency,
            key=key,
            version=version,
            content=data,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            filename=filename,
            uploaded_by=actor,
        )
        record(
            action=actions.LETTER_TEMPLATE_UPLOADED,
            actor=actor,
            obj=agency,
            before={"key": key, "active_version": _version_of(rows, previous)},
            after={
                "key": key,
                "version": version,
                "size": len(data),
                "sha256": template.sha256,
                "filename": filename,
            },
        )
    return template


def _version_of(rows: list[tuple[int, int, bool]], pk: int | None) -> int | None:
    return next((v for p, v, _ in rows if p == pk), None)


def revert_letter_template(*, actor: Any, agency: Agency, key: str) -> None:
    """Back to the default template for ``key`` (the uploaded versions are kept)."""
    key = _template_key(key)
    if not may_manage_templates(actor, agency):
        raise NotPermittedError
    with transaction.atomic():
        active = (
            LetterTemplate.objects.select_for_update()
            .filter(agency=agency, key=key, active=True)
            .first()
        )
        if active is None:
            raise InvalidInputError("该告知书已在使用默认模板。")
        active.active = False
        active.save(update_fields=["active"])
        record(
            action=actions.LETTER_TEMPLATE_REVERTED,
            actor=actor,
            obj=agency,
            before={"key": key, "active_version": active.version},
            after={"key": key, "active_version": None},
        )


# ---------------------------------------------------------------------------------------------
# disclosed documents and online delivery (送达方式：网上下载)

MAX_ANSWER_DOCUMENT_BYTES = 20 * 1024 * 1024
LINK_SALT = "gongkai.applications.letter-download"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
}


def add_answer_document(
    application: Application, *, actor: Any, data: bytes, filename: str
) -> AnswerDocument:
    """Attach a disclosed document to the decided answer: type by content, size limited."""
    from django.core.files.base import ContentFile  # noqa: PLC0415

    from gongkai.disclosure.filetypes import FileTypeError, detect_type  # noqa: PLC0415

    if not data:
        raise InvalidInputError("请选择要提供的文件。")
    if len(data) > MAX_ANSWER_DOCUMENT_BYTES:
        raise InvalidInputError(
            f"文件过大（最大 {MAX_ANSWER_DOCUMENT_BYTES // 1024 // 1024} MB）。"
        )
    try:
        kind = detect_type(data)
    except FileTypeError as exc:
        raise InvalidInputError(str(exc)) from None
    name = _CONTROL_RE.sub("", str(filename or "")).replace("/", "_").replace("\\", "_").strip()
    name = (name or f"附件.{kind}")[:200]
    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        if application.status != "answering":
            raise InvalidInputError("只有已作出决定、尚未送达的申请可以添加提供的文件。")
        document = AnswerDocument(
            application=application,
            kind=kind,
            original_name=name,
            content_type=CONTENT_TYPES[kind],
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        )
        document.file.save(f"x.{kind}", ContentFile(data), save=False)
        document.save()
        record(
            action=actions.ANSWER_DOCUMENT_ADDED,
            actor=actor,
            obj=application,
            after={"document": document.pk, "name": name, "kind": kind, "size": len(data)},
        )
    return document


def remove_answer_document(document: AnswerDocument, *, actor: Any) -> None:
    with transaction.atomic():
        application = _lock(document.application)
        _require_handler(actor, application.agency)
        if application.status != "answering":
            raise InvalidInputError("答复已送达，提供的文件不能再删除。")
        document = AnswerDocument.objects.select_for_update().get(pk=document.pk)
        name, path = document.original_name, document.file.name
        document.delete()
        record(
            action=actions.ANSWER_DOCUMENT_REMOVED,
            actor=actor,
            obj=application,
            before={"document": document.pk, "name": name},
        )
        storage = AnswerDocument._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(path))


def link_days() -> int:
    from django.conf import settings  # noqa: PLC0415

    return int(getattr(settings, "GONGKAI_LETTER_LINK_DAYS", 30))


def deliver_online(application: Application, *, actor: Any) -> OnlineDelivery:
    """Deliver the signed answer online: a download link valid for ``link_days()`` days (earlier
    links of the case stop working). The case closes at the first download — the day the
    applicant got the answer is the answer day (``record_online_download``)."""
    import secrets  # noqa: PLC0415
    from datetime import timedelta  # noqa: PLC0415

    from django.core import signing  # noqa: PLC0415

    with transaction.atomic():
        application = _lock(application)
        _require_handler(actor, application.agency)
        if application.status != "answering":
            raise InvalidInputError("只有已作出决定、尚未送达的申请可以网上送达。")
        letter = (
            application.letters.filter(kind=LetterKind.ANSWER, status=LetterStatus.SIGNED)
            .order_by("-signed_at", "-pk")
            .first()
        )
        if letter is None:
            raise InvalidInputError("答复告知书尚未签发，不能送达。请先将告知书送审签发。")
        now = timezone.now()
        revoked = list(
            application.online_deliveries.filter(revoked_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        OnlineDelivery.objects.filter(pk__in=revoked).update(revoked_at=now)
        nonce = secrets.token_urlsafe(16)
        delivery = OnlineDelivery.objects.create(
            application=application,
            letter=letter,
            nonce=nonce,
            token="",
            expires_at=now + timedelta(days=link_days()),
            created_by=actor,
        )
        delivery.token = signing.dumps({"d": delivery.pk, "n": nonce}, salt=LINK_SALT)
        delivery.save(update_fields=["token"])
        record(
            action=actions.DELIVERED_ONLINE,
            actor=actor,
            obj=application,
            after={
                "delivery": delivery.pk,
                "letter": letter.pk,
                "expires_at": delivery.expires_at.isoformat(),
                "revoked": revoked,
            },
        )
        notify.applicant_later(application, "online")
    return delivery


class LinkGoneError(Exception):
    """The link expired or was replaced (410)."""


class LinkInvalidError(Exception):
    """The token is not one of ours (404)."""


def delivery_for_token(token: str) -> OnlineDelivery:
    """The delivery behind a download token; ``LinkGoneError`` when expired or replaced,
    ``LinkInvalidError`` when tampered with or unknown."""
    from datetime import timedelta  # noqa: PLC0415

    from django.core import signing  # noqa: PLC0415

    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=timedelta(days=link_days()))
    except signing.SignatureExpired:
        raise LinkGoneError from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkInvalidError from None
    if not isinstance(data, dict) or not isinstance(data.get("d"), int):
        raise LinkInvalidError
    delivery = (
        OnlineDelivery.objects.select_related("application__agency", "letter__agency")
        .filter(pk=data["d"], nonce=str(data.get("n", "")))
        .first()
    )
    if delivery is None:
        raise LinkInvalidError
    if delivery.revoked_at is not None:
        raise LinkGoneError
    return delivery


def record_online_download(delivery: OnlineDelivery, *, what: str, on: date) -> Application:
    """The applicant downloaded ``what`` (the letter or a document) through the link on ``on``.
    Every download is an event; the first one closes the case with ``on`` as the answer day
    (送达方式：网上下载 — the day the applicant got it)."""
    what = _CONTROL_RE.sub("", str(what))[:200]
    with transaction.atomic():
        application = _lock(delivery.application)
        delivery = OnlineDelivery.objects.select_for_update().get(pk=delivery.pk)
        now = timezone.now()
        first = delivery.first_download_at is None
        delivery.download_count += 1
        delivery.first_download_at = delivery.first_download_at or now
        delivery.save(update_fields=["download_count", "first_download_at"])
        record(
            action=actions.LETTER_DOWNLOADED,
            obj=application,
            after={"delivery": delivery.pk, "what": what, "count": delivery.download_count},
        )
        if first and application.status == "answering":
            before = _move(application, "record_answer")
            _close(application, application.outcome, max(on, application.decided_on))
            application.answer_delivery = DeliveryMethod.ONLINE
            application.answer_delivery_detail = f"网上下载（链接 {delivery.pk}，首次下载）"
            application.save(update_fields=_CLOSE_FIELDS)
            tally.count_closed(application)
            record(
                action=actions.ANSWERED,
                obj=application,
                before={"status": before},
                after=_state(application)
                | {
                    "delivery": DeliveryMethod.ONLINE,
                    "rule": ANSWER_DAY_RULES[DeliveryMethod.ONLINE],
                    "online_delivery": delivery.pk,
                },
            )
    return application
