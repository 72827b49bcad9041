"""Basic task: reward rules, observation, decisions every physics step."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.sim import make
from mlops_unity_pipeline.spaces import ActionTuple


def _act(env, branch_index: int) -> ActionTuple:
    n = env.num_agents
    return ActionTuple(np.zeros((n, 0), np.float32), np.full((n, 1), branch_index, np.int32))


def test_signature_and_first_observation():
    """Basic observes a one-hot of position 10 out of 20 and has one branch of 3."""
    env = make("basic")
    batch = env.reset(seed=0)
    assert env.signature.name == "Basic"
    assert env.signature.action_spec.discrete_branches == (3,)
    assert env.decision_period == 1
    np.testing.assert_array_equal(batch.obs[0][0], np.eye(20, dtype=np.float32)[10])
    assert batch.action_mask.shape == (1, 3) and batch.action_mask.all()


def test_walking_right_reaches_large_goal_with_093():
    """Seven moves right: six steps of -0.01, then +1 - 0.01 and success."""
    env = make("Basic")
    env.reset(seed=0)
    total = 0.0
    for i in range(7):
        batch = env.step(_act(env, 2))
        total += float(batch.reward[0])
        assert bool(batch.terminated[0]) == (i == 6)
    assert abs(total - 0.93) < 1e-5
    assert batch.success[0]
    # same-step autoreset: the next episode starts at 10 and the final observation shows 17
    assert batch.obs[0][0].argmax() == 10
    assert batch.final_obs[0][0].argmax() == 17


def test_walking_left_reaches_small_goal_without_success():
    """Three moves left end at 7 with +0.1 and no success."""
    env = make("Basic")
    env.reset(seed=0)
    rewards = [float(env.step(_act(env, 1)).reward[0]) for _ in range(2)]
    last = env.step(_act(env, 1))
    assert rewards == pytest.approx([-0.01, -0.01])
    assert abs(float(last.reward[0]) - 0.09) < 1e-6
    assert last.terminated[0] and not last.success[0]


def test_staying_costs_and_is_interrupted_at_max_step():
    """Action 0 keeps the position, costs 0.01 per step and ends as interrupted at MaxStep."""
    env = make("Basic")
    env.reset(seed=0)
    for _ in range(env.max_step - 1):
        batch = env.step(_act(env, 0))
        assert not (batch.terminated[0] or batch.truncated[0])
        assert batch.obs[0][0].argmax() == 10
    batch = env.step(_act(env, 0))
    assert batch.truncated[0] and not batch.terminated[0]
