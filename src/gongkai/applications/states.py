"""Application states and the transitions between them (one verb each in services.py)."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    IN_PROGRESS = "in_progress", "办理中"
    AWAITING_CORRECTION = "awaiting_correction", "待申请人补正"
    CONSULTING = "consulting", "征求意见中"
    AWAITING_FEE = "awaiting_fee", "待申请人缴费"
    ANSWERING = "answering", "已决定，待送达"
    CLOSED = "closed", "已办结"


# verb -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "request_correction": (frozenset({Status.IN_PROGRESS}), Status.AWAITING_CORRECTION),
    "record_correction": (frozenset({Status.AWAITING_CORRECTION}), Status.IN_PROGRESS),
    "close_no_correction": (frozenset({Status.AWAITING_CORRECTION}), Status.CLOSED),
    "start_consultation": (frozenset({Status.IN_PROGRESS}), Status.CONSULTING),
    "record_consultation_reply": (frozenset({Status.CONSULTING}), Status.IN_PROGRESS),
    "extend": (frozenset({Status.IN_PROGRESS, Status.CONSULTING}), Status.IN_PROGRESS),
    "send_fee_notice": (frozenset({Status.IN_PROGRESS}), Status.AWAITING_FEE),
    "record_fee_payment": (frozenset({Status.AWAITING_FEE}), Status.IN_PROGRESS),
    "lapse_fee": (frozenset({Status.AWAITING_FEE}), Status.CLOSED),
    "decide": (frozenset({Status.IN_PROGRESS}), Status.ANSWERING),
    "record_answer": (frozenset({Status.ANSWERING}), Status.CLOSED),
}

OPEN_STATES = frozenset(s for s in Status if s != Status.CLOSED)
# Cases waiting for the applicant: the handler cannot move them on.
AWAITING_APPLICANT = frozenset({Status.AWAITING_CORRECTION, Status.AWAITING_FEE})


def target_of(verb: str, current: str) -> str | None:
    """The state ``verb`` leads to from ``current``, or None when the move is illegal."""
    sources, target = TRANSITIONS[verb]
    if current not in sources:
        return None
    # extend keeps a consultation running
    return current if verb == "extend" else target
