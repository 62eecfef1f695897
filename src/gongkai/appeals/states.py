"""Kinds, outcomes and states of an appeal case (one verb each in services.py).

The kind values are table 四's block keys and the outcome values its cell keys (LAW.md §1.3),
so counting needs no mapping.
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_RECONSIDERATION = "litigation_after_reconsideration", "行政诉讼（复议后起诉）"


class Outcome(models.TextChoices):
    PENDING = "pending", "尚未审结"
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"


DECIDED_OUTCOMES = frozenset({Outcome.UPHELD, Outcome.CORRECTED, Outcome.OTHER})


class Status(models.TextChoices):
    PENDING = "pending", "审理中"
    DECIDED = "decided", "已审结"


# verb -> states it may start from, state it leads to (None: stays)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "record_deadlines": (frozenset({Status.PENDING}), None),
    "record_decision": (frozenset({Status.PENDING}), Status.DECIDED),
    "amend": (frozenset({Status.PENDING, Status.DECIDED}), None),
}


def target_of(verb: str, current: str) -> str | None:
    """The state ``verb`` leads to from ``current``, or None when the move is illegal."""
    sources, target = TRANSITIONS[verb]
    if current not in sources:
        return None
    return target or current
