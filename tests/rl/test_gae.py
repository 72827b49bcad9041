"""GAE against hand-computed values (Schulman et al. 2015, eq. 16)."""

from __future__ import annotations

import numpy as np

from mlops_unity_pipeline.rl.gae import compute_gae


def test_gae_terminated_matches_hand_computation():
    """r=[1,0,2], V=[.5,.4,.3], terminated, gamma .9, lambda .8 -> A=[1.64768, 1.094, 1.7]."""
    adv, ret = compute_gae(
        np.array([[1.0, 0.0, 2.0]]),
        np.array([[0.5, 0.4, 0.3]]),
        np.array([0.0]),
        np.array([3]),
        gamma=0.9,
        lambd=0.8,
    )
    np.testing.assert_allclose(adv[0], [1.64768, 1.094, 1.7], rtol=1e-5)
    np.testing.assert_allclose(ret[0], [2.14768, 1.494, 2.0], rtol=1e-5)


def test_gae_bootstraps_from_value_after_the_last_step():
    """With bootstrap V=1 (interrupted or cut), the last delta is r + gamma*1 - V."""
    adv, _ = compute_gae(
        np.array([[1.0, 0.0, 2.0]]),
        np.array([[0.5, 0.4, 0.3]]),
        np.array([1.0]),
        np.array([3]),
        gamma=0.9,
        lambd=0.8,
    )
    np.testing.assert_allclose(adv[0], [2.11424, 1.742, 2.6], rtol=1e-5)


def test_gae_single_terminal_reward_lambda_one_is_discounted_return():
    """lambda=1, V=0, one terminal reward of 1 -> A_t = gamma^(T-1-t)."""
    adv, ret = compute_gae(
        np.array([[0.0, 0.0, 1.0]]), np.zeros((1, 3)), np.array([0.0]), np.array([3]), gamma=0.9, lambd=1.0
    )
    np.testing.assert_allclose(adv[0], [0.81, 0.9, 1.0], rtol=1e-6)
    np.testing.assert_allclose(ret[0], [0.81, 0.9, 1.0], rtol=1e-6)


def test_gae_padded_rows_are_independent():
    """Rows of different lengths in one call equal separate calls; padding stays 0."""
    rewards = np.array([[1.0, 0.0, 2.0], [3.0, 9.0, 9.0]])
    values = np.array([[0.5, 0.4, 0.3], [1.0, 9.0, 9.0]])
    adv, _ = compute_gae(rewards, values, np.array([0.0, 2.0]), np.array([3, 1]), gamma=0.9, lambd=0.8)
    np.testing.assert_allclose(adv[0], [1.64768, 1.094, 1.7], rtol=1e-5)
    np.testing.assert_allclose(adv[1], [3.0 + 0.9 * 2.0 - 1.0, 0.0, 0.0], rtol=1e-6)
