"""Basic kernel: a decision (``tasks.basic``)."""

from __future__ import annotations

import numpy as np
from numba import njit

from .decision import at_max_step, record_end


@njit(cache=True, nogil=True, error_model="numpy")
def basic_decision(
    position: np.ndarray,
    disc: np.ndarray,
    moves: np.ndarray,
    step_count: np.ndarray,
    max_step: int,
    small_goal: int,
    large_goal: int,
    last: int,
    step_reward: float,
    small_reward: float,
    large_reward: float,
    reward: np.ndarray,
    flags: np.ndarray,
    obs: np.ndarray,
    ended_idx: np.ndarray,
) -> int:
    """Advance every Basic agent by one decision (one physics step: ``BasicEnv._physics_step``).

    Args:
        position: ``(n,)`` int64 cell of each agent, updated in place.
        disc: ``(n, 1)`` actions, indices into ``moves``.
        moves: ``(3,)`` int64 cell offset of each action.
        step_count: ``(n,)`` agent step counters, updated in place.
        max_step: agent MaxStep (0 = unlimited).
        small_goal: the small goal's cell.
        large_goal: the large goal's cell.
        last: the last cell (positions are clamped to ``[0, last]``).
        step_reward: reward per step.
        small_reward: reward for the small goal.
        large_reward: reward for the large goal.
        reward: ``(n,)`` float32 out.
        flags: ``(4, n)`` bool out (see the module docstring).
        obs: ``(n, last + 1)`` float32 out: one-hot position.
        ended_idx: ``(n,)`` int64 out: its first entries are the agents whose episode ended, in order.

    Returns:
        How many episodes ended.

    """
    n = position.shape[0]
    ended_count = 0
    for i in range(n):
        cell = min(max(position[i] + moves[disc[i, 0]], 0), last)
        position[i] = cell
        count = step_count[i] + 1
        step_count[i] = count
        small = cell == small_goal
        large = cell == large_goal
        reward[i] = np.float32((step_reward + small_reward * small) + large_reward * large)
        terminated = small or large
        truncated = not terminated and at_max_step(count, max_step)
        ended_count = record_end(i, terminated, truncated, large, flags, ended_idx, ended_count)
        obs[i, :] = 0.0
        obs[i, cell] = 1.0
    return ended_count
