"""The verbs of the register: register, record deadlines, record the decision, amend.

Each verb takes the actor, locks the row, checks the state against ``states.TRANSITIONS``,
saves only the fields it changes and records one event in the same transaction.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.appeals import actions
from gongkai.appeals.errors import IllegalTransitionError, InvalidInputError, NotPermittedError
from gongkai.appeals.models import AppealCase
from gongkai.appeals.states import DECIDED_OUTCOMES, Kind, Outcome, Status, target_of
from gongkai.applications import services as application_services
from gongkai.applications.errors import ApplicationError
from gongkai.applications.models import Application
from gongkai.eventlog.services import record
from gongkai.law.clock import Channel

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TEXT = 4000
AMENDABLE = (
    "appellant",
    "other_parties",
    "body",
    "body_co_defendant",
    "case_number",
    "filed_on",
    "answer_due_on",
    "evidence_due_on",
    "decision_note",
)


def may_register(user: Any, agency: Agency) -> bool:
    """The people who work the agency's applications keep its register too."""
    return application_services.may_handle(user, agency)


def _require(actor: Any, agency: Agency) -> None:
    if not may_register(actor, agency):
        raise NotPermittedError


def _text(value: Any, what: str, *, required: bool = False, limit: int = 200) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise InvalidInputError(f"请填写{what}。")
    if len(text) > limit:
        raise InvalidInputError(f"{what}过长（最多 {limit} 字）。")
    if _CONTROL_RE.search(text):
        raise InvalidInputError(f"{what}含有不可见的控制字符。")
    return text


def _day(value: Any, what: str, *, required: bool = False) -> date | None:
    if value is None or value == "":
        if required:
            raise InvalidInputError(f"请填写{what}。")
        return None
    if not isinstance(value, date):
        raise InvalidInputError(f"{what}不是有效日期。")
    return value


def _check_dates(filed_on: date, answer: date | None, evidence: date | None) -> None:
    for day, what in ((answer, "答复（答辩）期限"), (evidence, "举证期限")):
        if day is not None and day < filed_on:
            raise InvalidInputError(f"{what}不能早于立案日期。")


def _state(appeal: AppealCase) -> dict[str, Any]:
    return {
        "kind": appeal.kind,
        "outcome": appeal.outcome,
        "case_number": appeal.case_number,
        "body": appeal.body,
        "filed_on": str(appeal.filed_on),
        "answer_due_on": str(appeal.answer_due_on or ""),
        "evidence_due_on": str(appeal.evidence_due_on or ""),
        "decided_on": str(appeal.decided_on or ""),
    }


def _lock(appeal: AppealCase) -> AppealCase:
    return (
        AppealCase.objects.select_for_update()
        .select_related("agency", "application")
        .get(pk=appeal.pk)
    )


def register_appeal(
    *,
    actor: Any,
    application: Application,
    kind: str,
    appellant: str,
    body: str,
    filed_on: date,
    case_number: str = "",
    other_parties: str = "",
    body_co_defendant: bool = False,
    prior: AppealCase | None = None,
    answer_due_on: date | None = None,
    evidence_due_on: date | None = None,
) -> AppealCase:
    """Register a case over ``application``; it belongs to the application's agency."""
    agency = application.agency
    _require(actor, agency)
    if kind not in Kind.values:
        raise InvalidInputError("案件类别无效。")
    filed = _day(filed_on, "立案（申请）日期", required=True)
    assert filed is not None
    if filed < application.received_on:
        raise InvalidInputError("立案日期不能早于原申请的收到日期。")
    answer = _day(answer_due_on, "答复（答辩）期限")
    evidence = _day(evidence_due_on, "举证期限")
    _check_dates(filed, answer, evidence)
    if kind == Kind.LITIGATION_AFTER_RECONSIDERATION:
        if prior is not None and (
            prior.kind != Kind.RECONSIDERATION or prior.application_id != application.pk
        ):
            raise InvalidInputError("复议后起诉须关联同一申请的行政复议案件。")
    elif prior is not None:
        raise InvalidInputError("只有复议后起诉的案件可以关联此前的行政复议。")
    if body_co_defendant and kind != Kind.LITIGATION_AFTER_RECONSIDERATION:
        raise InvalidInputError("只有复议后起诉的案件才可能以复议机关为共同被告。")
    appeal = AppealCase(
        agency=agency,
        application=application,
        kind=kind,
        prior=prior,
        appellant=_text(appellant, "申请人（原告）", required=True),
        other_parties=_text(other_parties, "其他当事人", limit=300),
        body=_text(body, "复议机关或人民法院", required=True),
        body_co_defendant=bool(body_co_defendant),
        case_number=_text(case_number, "案号", limit=100),
        filed_on=filed,
        answer_due_on=answer,
        evidence_due_on=evidence,
        handler=actor if not actor.is_superuser else None,
    )
    with transaction.atomic():
        appeal.save(force_insert=True)
        record(action=actions.REGISTERED, actor=actor, obj=appeal, after=_state(appeal))
    return appeal


def record_deadlines(
    appeal: AppealCase,
    *,
    actor: Any,
    answer_due_on: date | None,
    evidence_due_on: date | None,
) -> AppealCase:
    _require(actor, appeal.agency)
    answer = _day(answer_due_on, "答复（答辩）期限")
    evidence = _day(evidence_due_on, "举证期限")
    if answer is None and evidence is None:
        raise InvalidInputError("请至少填写一个期限。")
    with transaction.atomic():
        appeal = _lock(appeal)
        if not target_of("record_deadlines", appeal.status):
            raise IllegalTransitionError("已审结的案件不再记录期限；如需更正请使用“更正”。")
        _check_dates(appeal.filed_on, answer, evidence)
        before = _state(appeal)
        appeal.answer_due_on = answer
        appeal.evidence_due_on = evidence
        appeal.save(update_fields=["answer_due_on", "evidence_due_on"])
        record(
            action=actions.DEADLINES_RECORDED,
            actor=actor,
            obj=appeal,
            before=before,
            after=_state(appeal),
        )
    return appeal


def record_decision(
    appeal: AppealCase,
    *,
    actor: Any,
    outcome: str,
    decided_on: date,
    note: str = "",
) -> AppealCase:
    """Record the decision or judgment. 纠正 reopens the original application: a new
    application (re-handling) is registered, received on the day the decision was served, and
    linked from this case."""
    _require(actor, appeal.agency)
    if outcome not in DECIDED_OUTCOMES:
        raise InvalidInputError("请选择结果：维持、纠正或其他。")
    decided = _day(decided_on, "审结日期", required=True)
    assert decided is not None
    note_text = _text(note, "结果说明", limit=MAX_TEXT)
    with transaction.atomic():
        appeal = _lock(appeal)
        if not target_of("record_decision", appeal.status):
            raise IllegalTransitionError("该案件已记录结果；如需更正请使用“更正”。")
        if decided < appeal.filed_on:
            raise InvalidInputError("审结日期不能早于立案日期。")
        before = _state(appeal)
        appeal.outcome = outcome
        appeal.decided_on = decided
        appeal.decision_note = note_text
        appeal.status = Status.DECIDED
        fields = ["status", "outcome", "decided_on", "decision_note"]
        if outcome == Outcome.CORRECTED:
            appeal.reopened_application = _reopen(appeal, actor=actor, on=decided)
            fields.append("reopened_application")
        appeal.save(update_fields=fields)
        record(action=actions.DECIDED, actor=actor, obj=appeal, before=before, after=_state(appeal))
    return appeal


def _reopen(appeal: AppealCase, *, actor: Any, on: date) -> Application:
    original = appeal.application
    try:
        # The decision is served on the agency: the day it is handed in starts the new clock.
        again = application_services.register_application(
            actor=actor,
            agency=original.agency,
            channel=Channel.IN_PERSON,
            event_on=on,
            applicant_class=original.applicant_class,
            applicant_name=original.applicant_name,
            id_type=original.id_type,
            id_number=original.id_number,
            contact_phone=original.contact_phone,
            contact_email=original.contact_email,
            contact_address=original.contact_address,
            request_text=(
                f"（依{appeal.get_kind_display()}{appeal.case_number}纠正结果重新办理原申请"
                f"{original.number}）\n{original.request_text}"
            )[:MAX_TEXT],
            request_doc_number=original.request_doc_number,
            form_wanted=original.form_wanted,
            delivery_wanted=original.delivery_wanted,
        )
    except ApplicationError as exc:
        raise InvalidInputError(f"无法重新登记原申请：{exc.message}") from None
    record(
        action=actions.REOPENED,
        actor=actor,
        obj=appeal,
        after={"original": original.number, "reopened": again.number, "received_on": str(on)},
    )
    return again


def amend(appeal: AppealCase, *, actor: Any, reason: str, **changes: Any) -> AppealCase:
    """Correct registered facts (not the outcome: a decision is recorded once); needs a reason."""
    _require(actor, appeal.agency)
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise InvalidInputError("不能更正这些字段：" + "、".join(sorted(unknown)))
    why = _text(reason, "更正理由", required=True, limit=500)
    with transaction.atomic():
        appeal = _lock(appeal)
        if not target_of("amend", appeal.status):
            raise IllegalTransitionError
        before = _state(appeal)
        updated: list[str] = []
        for name, raw in changes.items():
            value: Any
            if name == "filed_on":
                value = _day(raw, "立案（申请）日期", required=True)
            elif name in ("answer_due_on", "evidence_due_on"):
                value = _day(raw, "期限")
            elif name == "body_co_defendant":
                value = bool(raw)
                if value and appeal.kind != Kind.LITIGATION_AFTER_RECONSIDERATION:
                    raise InvalidInputError("只有复议后起诉的案件才可能以复议机关为共同被告。")
            else:
                required = name in ("appellant", "body")
                value = _text(
                    raw,
                    AppealCase._meta.get_field(name).verbose_name,
                    required=required,
                    limit=MAX_TEXT if name == "decision_note" else 300,
                )
            if getattr(appeal, name) != value:
                setattr(appeal, name, value)
                updated.append(name)
        if not updated:
            raise InvalidInputError("没有需要更正的内容。")
        _check_dates(appeal.filed_on, appeal.answer_due_on, appeal.evidence_due_on)
        if appeal.filed_on < appeal.application.received_on:
            raise InvalidInputError("立案日期不能早于原申请的收到日期。")
        if appeal.decided_on is not None and appeal.decided_on < appeal.filed_on:
            raise InvalidInputError("审结日期不能早于立案日期。")
        appeal.save(update_fields=[*updated])
        record(
            action=actions.AMENDED,
            actor=actor,
            obj=appeal,
            before=before,
            after=_state(appeal) | {"reason": why, "fields": updated},
        )
    return appeal
