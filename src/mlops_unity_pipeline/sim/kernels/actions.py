"""Action loading kernels: validate and copy a decision's actions (``SimEnv._load_actions``)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, error_model="numpy")
def load_continuous(src: np.ndarray, dst: np.ndarray) -> bool:
    """Copy continuous actions into ``dst`` clipped to [-1, 1] (as ``SimEnv._load_actions``).

    Args:
        src: ``(n, c)`` float32 or float64 actions.
        dst: ``(n, c)`` float32 buffer.

    Returns:
        False (``dst`` then partly written) when an action is NaN or infinite.

    """
    for i in range(src.shape[0]):
        for j in range(src.shape[1]):
            value = src[i, j]
            if not math.isfinite(value):
                return False
            dst[i, j] = max(min(value, 1.0), -1.0)
    return True


@njit(cache=True, nogil=True, error_model="numpy")
def load_discrete(src: np.ndarray, branch_sizes: np.ndarray, dst: np.ndarray) -> bool:
    """Copy discrete actions into ``dst`` (as ``SimEnv._load_actions``).

    Args:
        src: ``(n, b)`` int32 or int64 branch indices.
        branch_sizes: ``(b,)`` size of each branch.
        dst: ``(n, b)`` int64 buffer.

    Returns:
        False (``dst`` then partly written) when an index is outside its branch.

    """
    for i in range(src.shape[0]):
        for j in range(src.shape[1]):
            value = src[i, j]
            if value < 0 or value >= branch_sizes[j]:
                return False
            dst[i, j] = value
    return True
