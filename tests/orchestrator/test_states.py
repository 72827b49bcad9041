"""The run-state machine: allowed edges, terminal and resumable sets."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.errors import InvalidTransition
from mlops_unity_pipeline.orchestrator.states import (
    RESUMABLE,
    TERMINAL,
    TRANSITIONS,
    RunState,
    check_transition,
)


def test_values_are_lowercase_names():
    """Enum values are the lowercase member names (they appear in YAML, JSON and the CLI)."""
    assert all(state.value == state.name.lower() for state in RunState)


def test_every_state_has_transitions_and_succeeded_is_final():
    """TRANSITIONS covers every state; nothing leaves SUCCEEDED."""
    assert set(TRANSITIONS) == set(RunState)
    assert TRANSITIONS[RunState.SUCCEEDED] == frozenset()


@pytest.mark.parametrize("state", sorted(RESUMABLE, key=lambda s: s.value))
def test_resumable_states_can_run_again(state):
    """Interrupted, failed and cancelled jobs may go back to running."""
    assert check_transition(state, RunState.RUNNING) is RunState.RUNNING


def test_illegal_edge_message():
    """An illegal edge raises InvalidTransition naming both states."""
    with pytest.raises(InvalidTransition, match="cannot go from SUCCEEDED to RUNNING"):
        check_transition(RunState.SUCCEEDED, RunState.RUNNING)
    assert RunState.RUNNING not in TERMINAL
