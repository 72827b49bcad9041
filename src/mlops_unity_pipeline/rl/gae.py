"""Generalized advantage estimation of padded trajectories: the one GAE of PPO, reward signals and GAIL."""

from __future__ import annotations

import numpy as np


def compute_gae(
    rewards: np.ndarray,
    values: np.ndarray,
    bootstrap: np.ndarray,
    lengths: np.ndarray,
    gamma: float,
    lambd: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Generalized advantage estimates of padded trajectories (Schulman et al. 2015, eq. 16).

    ``delta_t = r_t + gamma * V_{t+1} - V_t`` with ``V_L = bootstrap`` (0 after a terminated episode) and
    ``A_t = delta_t + gamma * lambd * A_{t+1}``; returns are ``A_t + V_t`` (ML-Agents ``get_gae``).

    Args:
        rewards: ``(k, L)`` rewards, row i valid for ``t < lengths[i]``.
        values: ``(k, L)`` value estimates of the same steps.
        bootstrap: ``(k,)`` value after the last valid step (already 0 where terminated).
        lengths: ``(k,)`` valid steps per row.
        gamma: discount.
        lambd: GAE lambda.

    Returns:
        ``(advantages, returns)``, both ``(k, L)`` float32; cells beyond a row's length are 0.

    """
    k, span = rewards.shape
    valid = np.arange(span)[None, :] < lengths[:, None]
    next_values = np.zeros((k, span + 1), np.float64)
    next_values[:, :span] = np.where(valid, values, 0.0)
    next_values[np.arange(k), lengths] = bootstrap
    deltas = np.where(valid, rewards + gamma * next_values[:, 1:] - next_values[:, :span], 0.0)
    advantages = np.zeros((k, span), np.float64)
    running = np.zeros(k, np.float64)
    discount = gamma * lambd
    for t in range(span - 1, -1, -1):
        running = deltas[:, t] + discount * running
        advantages[:, t] = running
    returns = np.where(valid, advantages + next_values[:, :span], 0.0)
    return advantages.astype(np.float32), returns.astype(np.float32)
