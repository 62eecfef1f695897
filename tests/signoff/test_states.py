"""The transition tables, without a database."""

import pytest

from gongkai.signoff.states import (
    CHAIN_TRANSITIONS,
    OPEN_CHAIN_STATES,
    STEP_TRANSITIONS,
    ChainStatus,
    StepStatus,
    can_chain_move,
    can_step_move,
    is_chain_open,
)

CHAIN_ALLOWED = {
    ("in_review", "approved"),
    ("in_review", "returned"),
    ("in_review", "withdrawn"),
    ("returned", "in_review"),
    ("returned", "withdrawn"),
}
STEP_ALLOWED = {
    ("pending", "active"),
    ("pending", "skipped"),
    ("active", "approved"),
    ("active", "returned"),
    ("active", "skipped"),
}


def test_tables_cover_every_state() -> None:
    assert set(CHAIN_TRANSITIONS) == set(ChainStatus.values)
    assert set(STEP_TRANSITIONS) == set(StepStatus.values)


@pytest.mark.parametrize("current", ChainStatus.values)
@pytest.mark.parametrize("target", ChainStatus.values)
def test_chain_transition_matrix(current: str, target: str) -> None:
    assert can_chain_move(current, target) is ((current, target) in CHAIN_ALLOWED)


@pytest.mark.parametrize("current", StepStatus.values)
@pytest.mark.parametrize("target", StepStatus.values)
def test_step_transition_matrix(current: str, target: str) -> None:
    assert can_step_move(current, target) is ((current, target) in STEP_ALLOWED)


def test_open_states_are_exactly_the_non_terminal_ones() -> None:
    non_terminal = {state for state, targets in CHAIN_TRANSITIONS.items() if targets}
    assert non_terminal == OPEN_CHAIN_STATES
    assert is_chain_open("returned")
    assert not is_chain_open("approved")


def test_unknown_state_is_an_error() -> None:
    with pytest.raises(ValueError, match="bogus"):
        can_chain_move("bogus", "approved")
