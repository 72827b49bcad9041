"""Job and stage run states and the transitions allowed between them (one screen, like Prefect's states)."""

from __future__ import annotations

from enum import Enum

from ..errors import InvalidTransition


class RunState(str, Enum):
    """Where a job (or one of its stages) is; values appear verbatim in the store, the CLI and JSON."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"
    """The process running it died (crash, SIGKILL, power loss): found by a dead pid or a stale heartbeat."""
    SKIPPED = "skipped"
    """A stage with nothing to do (e.g. notify without a notifier)."""


TERMINAL = frozenset({RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED, RunState.SKIPPED})
"""No process owns a job in these states."""

RESUMABLE = frozenset({RunState.INTERRUPTED, RunState.FAILED, RunState.CANCELLED})
"""``resume`` continues these from their last finished stage."""

TRANSITIONS: dict[RunState, frozenset[RunState]] = {
    RunState.QUEUED: frozenset(
        {RunState.RUNNING, RunState.CANCELLED, RunState.INTERRUPTED, RunState.SKIPPED}
    ),
    RunState.RUNNING: frozenset(
        {RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED, RunState.INTERRUPTED, RunState.SKIPPED}
    ),
    RunState.INTERRUPTED: frozenset({RunState.RUNNING, RunState.QUEUED, RunState.CANCELLED}),
    RunState.FAILED: frozenset({RunState.RUNNING, RunState.QUEUED}),  # resume retries
    RunState.CANCELLED: frozenset({RunState.RUNNING, RunState.QUEUED}),  # resume after a cancel
    RunState.SUCCEEDED: frozenset(),
    RunState.SKIPPED: frozenset(),
}


def check_transition(current: RunState, new: RunState) -> RunState:
    """Return ``new`` when the edge ``current -> new`` is allowed.

    Args:
        current: the state now.
        new: the state wanted.

    Returns:
        ``new``.

    Raises:
        InvalidTransition: on an edge not in ``TRANSITIONS``.

    """
    if new not in TRANSITIONS[current]:
        raise InvalidTransition(f"cannot go from {current.name} to {new.name}")
    return new
