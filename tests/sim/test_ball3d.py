"""3DBall task: observation layout, rotation rules, physics, rewards, MaxStep, env parameters."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.sim import make
from mlops_unity_pipeline.sim.heuristics import heuristic_policy
from mlops_unity_pipeline.sim.tasks.ball3d import _rotate_x, _rotate_z
from mlops_unity_pipeline.spaces import ActionTuple


def _act(env, a0: float, a1: float) -> ActionTuple:
    n = env.num_agents
    return ActionTuple(np.tile(np.float32([a0, a1]), (n, 1)), np.zeros((n, 0), np.int32))


def _level(env) -> None:
    """Put every platform level with the ball at rest on its centre."""
    env.rotation[:] = [0.0, 0.0, 0.0, 1.0]
    env.ball_position[:] = [0.0, 3.0, 0.0]
    env.ball_velocity[:] = 0.0


def test_defaults_match_upstream_scene():
    """12 agents, MaxStep 5000, decision period 5, env params mass/scale/gravity."""
    env = make("3DBall")
    assert env.num_agents == 12
    assert (env.max_step, env.decision_period) == (5000, 5)
    assert env.env_parameter_defaults == {"mass": 1.0, "scale": 1.0, "gravity": 9.81}
    assert env.signature.observation_specs[0].shape == (8,)
    assert env.signature.action_spec.continuous_size == 2


def test_episode_begin_tilt_and_ball_placement():
    """Start tilt is within 10 degrees about X then Z and the ball is 4 above at rest within 1.5 sideways."""
    env = make("3DBall", num_agents=64, seed=3)
    obs = env.reset().obs[0]
    assert np.all(np.abs(obs[:, 0]) <= np.sin(np.radians(5.0)) + 1e-6)
    assert np.all(np.abs(obs[:, 1]) <= np.sin(np.radians(5.0)) + 1e-6)
    assert np.all(np.abs(obs[:, 2]) <= 1.5) and np.all(np.abs(obs[:, 4]) <= 1.5)
    np.testing.assert_allclose(obs[:, 3], 4.0)
    np.testing.assert_allclose(obs[:, 5:], 0.0)


def test_rotate_composes_in_local_space():
    """Rotate about X then Z equals q = AngleAxis(x, X) * AngleAxis(z, Z) (Unity's local-space Rotate)."""
    q = np.array([[0.0, 0.0, 0.0, 1.0]])
    _rotate_x(q, np.array([30.0]))
    _rotate_z(q, np.array([40.0]))
    hx, hz = np.radians(15.0), np.radians(20.0)
    # Hamilton product (sin hx, 0, 0, cos hx) * (0, 0, sin hz, cos hz)
    expected = [
        np.sin(hx) * np.cos(hz),
        -np.sin(hx) * np.sin(hz),
        np.cos(hx) * np.sin(hz),
        np.cos(hx) * np.cos(hz),
    ]
    np.testing.assert_allclose(q[0], expected, atol=1e-12)


def test_ball_rests_three_above_a_level_platform():
    """A ball dropped on a level platform settles with its centre 3 above the platform centre."""
    env = make("3DBall", num_agents=2, seed=0)
    env.reset()
    env.rotation[:] = [0.0, 0.0, 0.0, 1.0]
    env.ball_position[:] = [0.0, 4.0, 0.0]
    for _ in range(20):
        obs = env.step(_act(env, 0.0, 0.0)).obs[0]
    np.testing.assert_allclose(obs[:, 3], 3.0, atol=1e-3)
    np.testing.assert_allclose(obs[:, 5:], 0.0, atol=1e-6)


def test_positive_z_action_tilts_and_ball_rolls_to_negative_x_at_five_sevenths_g():
    """+a0 rotates about Z by 2 degrees per physics step; the ball rolls to -x at (5/7) g sin(theta)."""
    env = make("3DBall", num_agents=1, seed=0)
    env.reset()
    _level(env)
    env._contact[:] = True
    env.step(_act(env, 0.5, 0.0))  # 5 physics steps of +1 degree
    tilt = 2.0 * np.degrees(np.arcsin(env.rotation[0, 2]))
    assert tilt == pytest.approx(5.0, abs=1e-6)
    assert env.rotation[0, 0] == pytest.approx(0.0, abs=1e-9)
    v0 = env.ball_velocity[0].copy()
    batch = env.step(_act(env, 0.0, 0.0))  # 5 more physics steps on the fixed 5 degree slope
    accel = (env.ball_velocity[0] - v0) / (5 * 0.02)
    expected = 5.0 / 7.0 * 9.81 * np.sin(np.radians(5.0))
    assert accel[0] < 0
    assert np.hypot(accel[0], accel[1]) == pytest.approx(expected, rel=0.02)
    assert batch.reward[0] == pytest.approx(0.1)


def test_positive_x_action_sends_ball_to_positive_z():
    """+a1 rotates about X, which lowers the +z edge: the ball rolls towards +z."""
    env = make("3DBall", num_agents=1, seed=0)
    env.reset()
    _level(env)
    env._contact[:] = True
    for _ in range(4):
        obs = env.step(_act(env, 0.0, 1.0)).obs[0]
    assert obs[0, 1] > 0  # rotation.x
    assert obs[0, 7] > 0 and abs(obs[0, 5]) < 1e-6


def test_rotation_stops_at_quaternion_limit():
    """Tilting stops once rotation.z reaches 0.25 (about 29 degrees)."""
    env = make("3DBall", num_agents=1, seed=0)
    env.reset()
    _level(env)
    for _ in range(10):
        env.step(_act(env, 1.0, 0.0))
        env.ball_position[:] = [0.0, 3.0, 0.0]
        env.ball_velocity[:] = 0.0
    assert 0.25 <= env.rotation[0, 2] < 0.25 + np.sin(np.radians(1.0))


def test_fall_gives_minus_one_and_terminates():
    """A ball 3.5 sideways ends the episode with reward -1 (SetReward overwrites the 0.1s)."""
    env = make("3DBall", num_agents=3, seed=0)
    env.reset()
    env.ball_position[1] = [3.5, 3.0, 0.0]
    batch = env.step(_act(env, 0.0, 0.0))
    assert batch.terminated.tolist() == [False, True, False]
    assert batch.reward[1] == pytest.approx(-1.0)
    assert not batch.success[1]
    assert batch.final_obs[0][1, 2] > 3.0  # final observation of the ended episode
    assert batch.obs[0][1, 3] == pytest.approx(4.0)  # a new episode started at the same step


def test_full_episode_scores_100_and_is_interrupted():
    """The heuristic keeps the ball up: 1000 decisions of 0.1, interrupted (truncated) at MaxStep 5000."""
    env = make("3DBall", num_agents=4, seed=1)
    policy = heuristic_policy(env)
    batch = env.reset()
    total = np.zeros(4)
    for _ in range(1000):
        batch = env.step(policy(batch))
        total += batch.reward
    assert batch.truncated.all() and not batch.terminated.any() and batch.success.all()
    np.testing.assert_allclose(total, 100.0, rtol=1e-5)
    assert env.step_count == 5000
    assert (env.agent_step_count == 0).all()


def test_env_parameters_apply_at_next_episode():
    """scale and gravity are read at episode start; changing them mid-episode leaves the current one alone."""
    env = make("3DBall", num_agents=2, seed=0)
    env.reset()
    env.set_env_parameters({"scale": 2.0, "gravity": 20.0})
    assert env.ball_radius.tolist() == [0.5, 0.5]
    env.reset()
    assert env.ball_radius.tolist() == [1.0, 1.0]
    assert env.gravity.tolist() == [20.0, 20.0]
    env.rotation[:] = [0.0, 0.0, 0.0, 1.0]
    env.ball_position[:] = [0.0, 4.0, 0.0]
    for _ in range(20):
        obs = env.step(_act(env, 0.0, 0.0)).obs[0]
    np.testing.assert_allclose(obs[:, 3], 3.5, atol=1e-3)  # a radius-1 ball rests at 2.5 + 1
