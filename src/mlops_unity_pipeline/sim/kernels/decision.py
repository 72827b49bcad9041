"""Bookkeeping every decision kernel shares: an agent's decision ends in the outputs of ``sim.kernels``."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def at_max_step(count: int, max_step: int) -> bool:
    """Whether an agent that has taken ``count`` steps is interrupted by ``MaxStep`` (0 = unlimited)."""
    return max_step > 0 and count >= max_step


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def record_end(
    i: int,
    terminated: bool,
    truncated: bool,
    success: bool,
    flags: np.ndarray,
    ended_idx: np.ndarray,
    ended_count: int,
) -> int:
    """Write agent ``i``'s flags for this decision and list it in ``ended_idx`` when its episode ended.

    Args:
        i: the agent.
        terminated: its episode ended on its own (``EndEpisode``).
        truncated: MaxStep interrupted it.
        success: it ended as the task counts a success.
        flags: ``(4, n)`` bool out: ended, terminated, truncated, success (the module docstring of
            ``sim.kernels``).
        ended_idx: ``(n,)`` int64 out: the agents whose episode ended, in order.
        ended_count: how many are listed so far.

    Returns:
        How many are listed now.

    """
    ended = terminated or truncated
    flags[0, i] = ended
    flags[1, i] = terminated
    flags[2, i] = truncated
    flags[3, i] = success
    if ended:
        ended_idx[ended_count] = i
        return ended_count + 1
    return ended_count
