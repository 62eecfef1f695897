"""Every verb of the register: its transition, its refusals and its event."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongkai.appeals import actions, services
from gongkai.appeals.errors import IllegalTransitionError, InvalidInputError, NotPermittedError
from gongkai.appeals.states import Outcome, Status
from gongkai.eventlog.models import Event

pytestmark = pytest.mark.django_db


def _events(case: Any) -> list[str]:
    return list(
        Event.objects.filter(object_id=str(case.pk), action__startswith="appeals.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_register_belongs_to_the_application_agency_and_logs(make_appeal: Any) -> None:
    case = make_appeal(answer_due_on=date(2025, 5, 16))
    assert case.agency_id == case.application.agency_id
    assert case.status == Status.PENDING
    assert case.outcome == Outcome.PENDING
    assert case.next_deadline == date(2025, 5, 16)
    assert _events(case) == [actions.REGISTERED]


def test_register_refuses_bad_input(make_appeal: Any, make_application: Any) -> None:
    app = make_application()
    with pytest.raises(InvalidInputError):
        make_appeal(app, kind="petition")
    with pytest.raises(InvalidInputError):
        make_appeal(app, filed_on=date(2025, 1, 1))  # before the application was received
    with pytest.raises(InvalidInputError):
        make_appeal(app, appellant="  ")
    with pytest.raises(InvalidInputError):
        make_appeal(app, answer_due_on=date(2025, 5, 1))  # before filing
    with pytest.raises(InvalidInputError):
        make_appeal(app, body_co_defendant=True)  # only a suit after reconsideration


def test_suit_after_reconsideration_links_its_reconsideration(make_appeal: Any) -> None:
    first = make_appeal()
    suit = make_appeal(
        first.application,
        kind="litigation_after_reconsideration",
        prior=first,
        body="示范市中级人民法院",
        body_co_defendant=True,
        filed_on=date(2025, 8, 1),
    )
    assert suit.prior == first
    assert suit.body_co_defendant
    with pytest.raises(InvalidInputError):
        make_appeal(first.application, kind="litigation_direct", prior=first)


def test_other_agencies_staff_cannot_register(
    make_appeal: Any, make_member: Any, other_agency: Any
) -> None:
    outsider = make_member("outsider", other_agency, "handler")
    with pytest.raises(NotPermittedError):
        make_appeal(actor=outsider)


def test_record_deadlines(make_appeal: Any, handler: Any) -> None:
    case = make_appeal()
    case = services.record_deadlines(
        case, actor=handler, answer_due_on=date(2025, 5, 16), evidence_due_on=date(2025, 5, 20)
    )
    assert (case.answer_due_on, case.evidence_due_on) == (date(2025, 5, 16), date(2025, 5, 20))
    assert _events(case)[-1] == actions.DEADLINES_RECORDED
    with pytest.raises(InvalidInputError):
        services.record_deadlines(case, actor=handler, answer_due_on=None, evidence_due_on=None)


def test_record_decision_upheld_then_no_second_decision(make_appeal: Any, handler: Any) -> None:
    case = make_appeal()
    case = services.record_decision(
        case, actor=handler, outcome="upheld", decided_on=date(2025, 7, 1)
    )
    assert case.status == Status.DECIDED
    assert case.outcome == Outcome.UPHELD
    assert case.reopened_application is None
    assert case.next_deadline is None
    with pytest.raises(IllegalTransitionError):
        services.record_decision(case, actor=handler, outcome="other", decided_on=date(2025, 7, 2))
    with pytest.raises(IllegalTransitionError):
        services.record_deadlines(
            case, actor=handler, answer_due_on=date(2025, 7, 9), evidence_due_on=None
        )
    assert _events(case) == [actions.REGISTERED, actions.DECIDED]


def test_record_decision_refuses_pending_and_early_dates(make_appeal: Any, handler: Any) -> None:
    case = make_appeal()
    with pytest.raises(InvalidInputError):
        services.record_decision(
            case, actor=handler, outcome="pending", decided_on=date(2025, 7, 1)
        )
    with pytest.raises(InvalidInputError):
        services.record_decision(case, actor=handler, outcome="upheld", decided_on=date(2025, 5, 1))
    case.refresh_from_db()
    assert case.status == Status.PENDING


def test_corrected_reopens_the_application_with_a_new_clock(make_appeal: Any, handler: Any) -> None:
    case = make_appeal()
    original = case.application
    case = services.record_decision(
        case, actor=handler, outcome="corrected", decided_on=date(2025, 7, 1), note="责令重新答复"
    )
    again = case.reopened_application
    assert again is not None
    assert again.pk != original.pk
    assert again.agency_id == original.agency_id
    assert again.received_on == date(2025, 7, 1)
    assert again.due_on is not None
    assert again.due_on > date(2025, 7, 1)
    assert again.applicant_name == original.applicant_name
    assert original.number in again.request_text
    assert again.reopened_by_appeal == case
    assert _events(case) == [actions.REGISTERED, actions.REOPENED, actions.DECIDED]


def test_amend_needs_a_reason_and_logs_the_fields(make_appeal: Any, handler: Any) -> None:
    case = make_appeal()
    with pytest.raises(InvalidInputError):
        services.amend(case, actor=handler, reason="", case_number="示政复〔2025〕13号")
    with pytest.raises(InvalidInputError):
        services.amend(case, actor=handler, reason="笔误", outcome="upheld")
    with pytest.raises(InvalidInputError):
        services.amend(case, actor=handler, reason="笔误", case_number=case.case_number)
    case = services.amend(case, actor=handler, reason="笔误", case_number="示政复〔2025〕13号")
    assert case.case_number == "示政复〔2025〕13号"
    event = Event.objects.filter(action=actions.AMENDED).get()
    assert event.after["fields"] == ["case_number"]
    assert event.after["reason"] == "笔误"


def test_amend_works_on_a_decided_case_but_keeps_dates_coherent(
    make_appeal: Any, handler: Any
) -> None:
    case = make_appeal()
    case = services.record_decision(
        case, actor=handler, outcome="other", decided_on=date(2025, 6, 1)
    )
    with pytest.raises(InvalidInputError):
        services.amend(case, actor=handler, reason="更正立案日", filed_on=date(2025, 6, 5))
    case = services.amend(case, actor=handler, reason="更正立案日", filed_on=date(2025, 5, 7))
    assert case.filed_on == date(2025, 5, 7)
