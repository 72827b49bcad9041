"""world:3DBallHard: 3DBall's platform world seen through two 9-frame stacks, as the hand-written task is."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.sim import evaluate, make
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.spaces import ActionTuple
from tests.conftest import anchor

from .test_world_ball import PATHS, _trajectory

MODEL = "models/3DBallHard.onnx"


def test_layout_matches_the_hand_written_task_and_the_model():
    """obs_0 [27] (PositionDelta x 9) then obs_1 [18] (Rotation x 9), 2 continuous, 5000/5, 12 platforms."""
    env, reference = make("world:3DBallHard"), make("3DBallHard")
    assert env.signature.name == "3DBallHard"
    assert [o.shape for o in env.signature.observation_specs] == [(27,), (18,)]
    assert [o.name for o in env.signature.observation_specs] == [
        "StackingSensor_size9_PositionDelta",
        "StackingSensor_size9_Rotation",
    ]
    assert [o.shape for o in reference.signature.observation_specs] == [(27,), (18,)]
    assert (env.num_agents, env.max_step, env.decision_period) == (12, 5000, 5)


def test_first_observation_is_eight_zero_frames_then_the_state():
    """After reset each stack is zeros but its newest frame: ball offset, (rotation.z, rotation.x)."""
    env = make("world:3DBallHard", num_agents=8, seed=3)
    position, rotation = env.reset().obs
    np.testing.assert_array_equal(position[:, :24], 0.0)
    np.testing.assert_array_equal(rotation[:, :16], 0.0)
    np.testing.assert_allclose(position[:, -3:], env.ball_position, atol=1e-6)
    np.testing.assert_allclose(rotation[:, -2], env.rotation[:, 2], atol=1e-7)
    np.testing.assert_allclose(rotation[:, -1], env.rotation[:, 0], atol=1e-7)


@pytest.mark.parametrize("compiled", PATHS)
def test_trajectory_equals_the_hand_written_3dballhard(compiled):
    """Same seed and actions: stacked observations, final observations, rewards and flags are equal."""
    world = _trajectory("world:3DBallHard", compiled, 250)
    reference = _trajectory("3DBallHard", True, 250)
    assert sum(int(step[:, -3:-1].sum()) for step in world[1:]) > 20  # restarts clear the stacks
    for got, want in zip(world, reference, strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.slow
def test_upstream_3dballhard_model_scores_its_benchmark():
    """3DBallHard.onnx through world:3DBallHard: >= 95 over 12 episodes (benchmark 100)."""
    env = make("world:3DBallHard", seed=0)
    result = evaluate(env, OnnxRuntimePolicy(anchor(MODEL), env.signature), episodes=12, seed=1)
    assert result.episodes == 12
    assert result.mean_reward >= 95.0


@pytest.mark.slow
@pytest.mark.parametrize("control", ["newest-first", "flipped-sign"])
def test_wrong_stack_order_or_sign_drops_the_ball(control):
    """Negative controls: reversing the frames or flipping the z tilt's sign loses the balls (mean < 10)."""
    env = make("world:3DBallHard", seed=0)
    policy = OnnxRuntimePolicy(anchor(MODEL), env.signature)

    def broken(batch):
        position, rotation = batch.obs
        if control == "newest-first":
            position = position.reshape(-1, 9, 3)[:, ::-1].reshape(-1, 27).copy()
            rotation = rotation.reshape(-1, 9, 2)[:, ::-1].reshape(-1, 18).copy()
        actions = policy(batch._replace(obs=(position, rotation)))
        if control == "flipped-sign":
            return ActionTuple(actions.continuous * np.float32([-1.0, 1.0]), actions.discrete)
        return actions

    assert evaluate(env, broken, episodes=12, seed=1).mean_reward < 10.0
