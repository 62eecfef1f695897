"""States of a review chain and of its steps, with the explicit transition tables.

Kept free of database access so the rules can be tested in microseconds; the services in
``services.py`` are the only code that moves an object from one state to another, and they
ask this module first.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChainStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回修改")
    APPROVED = "approved", _("已签发")
    WITHDRAWN = "withdrawn", _("已撤回")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("待流转")
    ACTIVE = "active", _("待审核")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")
    SKIPPED = "skipped", _("未执行")


class Decision(models.TextChoices):
    APPROVE = "approve", _("通过")
    RETURN = "return", _("退回修改")


# A returned chain is still open: it waits for the drafter to resubmit, and a second chain for the
# same object must not start meanwhile.
OPEN_CHAIN_STATES: frozenset[str] = frozenset({ChainStatus.IN_REVIEW, ChainStatus.RETURNED})

CHAIN_TRANSITIONS: dict[str, frozenset[str]] = {
    ChainStatus.IN_REVIEW: frozenset(
        {ChainStatus.APPROVED, ChainStatus.RETURNED, ChainStatus.WITHDRAWN}
    ),
    ChainStatus.RETURNED: frozenset({ChainStatus.IN_REVIEW, ChainStatus.WITHDRAWN}),
    ChainStatus.APPROVED: frozenset(),
    ChainStatus.WITHDRAWN: frozenset(),
}

STEP_TRANSITIONS: dict[str, frozenset[str]] = {
    StepStatus.PENDING: frozenset({StepStatus.ACTIVE, StepStatus.SKIPPED}),
    StepStatus.ACTIVE: frozenset({StepStatus.APPROVED, StepStatus.RETURNED, StepStatus.SKIPPED}),
    StepStatus.APPROVED: frozenset(),
    StepStatus.RETURNED: frozenset(),
    StepStatus.SKIPPED: frozenset(),
}


def can_chain_move(current: str, target: str) -> bool:
    return target in CHAIN_TRANSITIONS[ChainStatus(current)]


def can_step_move(current: str, target: str) -> bool:
    return target in STEP_TRANSITIONS[StepStatus(current)]


def is_chain_open(status: str) -> bool:
    return status in OPEN_CHAIN_STATES
