"""3DBallHard task: two 9-frame stacks in upstream sensor order, 3DBall physics, upstream model fidelity."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.sim import accel, evaluate, make
from mlops_unity_pipeline.sim.heuristics import heuristic_policy
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.sim.policies import random_policy
from mlops_unity_pipeline.spaces import ActionTuple
from tests.conftest import anchor

MODEL = "models/3DBallHard.onnx"


def _zero(env) -> ActionTuple:
    n = env.num_agents
    return ActionTuple(np.zeros((n, 2), np.float32), np.zeros((n, 0), np.int32))


def test_signature_and_settings_match_the_upstream_prefab():
    """Behavior 3DBallHard: obs [27] (PositionDelta x 9) then [18] (Rotation x 9), 2 continuous, 5000/5."""
    env = make("3DBallHard")
    assert env.signature.name == "3DBallHard"
    assert [o.shape for o in env.signature.observation_specs] == [(27,), (18,)]
    assert env.signature.action_spec.continuous_size == 2
    assert (env.num_agents, env.max_step, env.decision_period) == (12, 5000, 5)


def test_first_observation_is_eight_zero_frames_then_the_state():
    """After reset each stack holds zeros except its newest frame: ball offset, (rotation.z, rotation.x)."""
    env = make("3DBallHard", num_agents=8, seed=3)
    position, rotation = env.reset().obs
    np.testing.assert_array_equal(position[:, :24], 0.0)
    np.testing.assert_array_equal(rotation[:, :16], 0.0)
    np.testing.assert_allclose(position[:, -3:], env.ball_position, atol=1e-6)
    np.testing.assert_allclose(rotation[:, -2], env.rotation[:, 2], atol=1e-7)  # rotation.z first
    np.testing.assert_allclose(rotation[:, -1], env.rotation[:, 0], atol=1e-7)


def test_frames_shift_one_per_decision_oldest_first():
    """Each decision appends the new frame at the end; the previous newest moves one frame left."""
    env = make("3DBallHard", num_agents=4, seed=0)
    previous = env.reset().obs
    for _ in range(3):
        current = env.step(_zero(env)).obs
        np.testing.assert_array_equal(current[0][:, :-3], previous[0][:, 3:])
        np.testing.assert_array_equal(current[1][:, :-2], previous[1][:, 2:])
        np.testing.assert_allclose(current[0][:, -3:], env.ball_position, atol=1e-6)
        previous = current


def test_ended_episode_keeps_its_stack_in_final_obs_and_restarts_from_zeros():
    """A fall ends the episode with -1; final_obs has the full history, the new episode's stack is cleared."""
    env = make("3DBallHard", num_agents=3, seed=0)
    env.reset()
    for _ in range(9):
        env.step(_zero(env))
    env.ball_position[1] = [3.5, 3.0, 0.0]
    batch = env.step(_zero(env))
    assert batch.terminated.tolist() == [False, True, False]
    assert batch.reward[1] == pytest.approx(-1.0)
    assert np.all(batch.final_obs[0][1, :-3] != 0.0)  # nine real frames, the last one off the platform
    assert batch.final_obs[0][1, -3] > 3.0
    np.testing.assert_array_equal(batch.obs[0][1, :24], 0.0)
    assert batch.obs[0][1, -2] == pytest.approx(4.0)  # a new ball 4 above the platform


@pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
def test_compiled_path_equals_numpy_path_through_episode_ends():
    """The 3DBall kernel under the stacks gives the NumPy path's batches, falls and restarts included."""
    fast, slow = make("3DBallHard", num_agents=24, seed=2), make("3DBallHard", num_agents=24, seed=2)
    assert fast.compiled
    slow.compiled = False
    pf, ps = (
        random_policy(fast.signature.action_spec, seed=1),
        random_policy(slow.signature.action_spec, seed=1),
    )
    a, b = fast.reset(), slow.reset()
    ended = 0
    for _ in range(150):
        a, b = fast.step(pf(a)), slow.step(ps(b))
        for i in range(2):
            np.testing.assert_allclose(a.obs[i], b.obs[i], atol=1e-5)
            np.testing.assert_allclose(a.final_obs[i], b.final_obs[i], atol=1e-5)
        np.testing.assert_array_equal(a.terminated, b.terminated)
        np.testing.assert_allclose(a.reward, b.reward, atol=1e-6)
        ended += int(a.terminated.sum())
    assert ended > 20


def test_heuristic_keeps_every_ball_up_from_stacked_observations():
    """The scripted controller (velocity from the two newest frames) scores the full 100."""
    env = make("3DBallHard", num_agents=6, seed=1)
    result = evaluate(env, heuristic_policy(env), episodes=6, seed=2)
    assert result.mean_reward == pytest.approx(100.0, rel=1e-5)


@pytest.mark.slow
def test_upstream_3dballhard_model_scores_its_benchmark():
    """3DBallHard.onnx keeps every ball up: >= 95 over 20 episodes (benchmark 100)."""
    env = make("3DBallHard", num_agents=20, seed=0)
    policy = OnnxRuntimePolicy(anchor(MODEL), env.signature)
    result = evaluate(env, policy, episodes=20, seed=1)
    assert result.episodes == 20
    assert result.mean_reward >= 95.0


@pytest.mark.slow
@pytest.mark.parametrize("control", ["unstacked", "newest-first", "flipped-sign"])
def test_3dballhard_fidelity_breaks_with_wrong_stacking(control):
    """Zeroing older frames, reversing the frame order or flipping an action sign drops the ball."""
    env = make("3DBallHard", num_agents=12, seed=0)
    policy = OnnxRuntimePolicy(anchor(MODEL), env.signature)

    def broken(batch):
        position, rotation = (o.copy() for o in batch.obs)
        if control == "unstacked":
            position[:, :-3] = 0.0
            rotation[:, :-2] = 0.0
        elif control == "newest-first":
            position = position.reshape(-1, 9, 3)[:, ::-1].reshape(-1, 27).copy()
            rotation = rotation.reshape(-1, 9, 2)[:, ::-1].reshape(-1, 18).copy()
        actions = policy(batch._replace(obs=(position, rotation)))
        if control == "flipped-sign":
            return ActionTuple(actions.continuous * np.float32([-1.0, 1.0]), actions.discrete)
        return actions

    assert evaluate(env, broken, episodes=12, seed=1).mean_reward < 10.0
