"""Gymnasium views: env_checker on the single-agent view, vector API contract and same-step autoreset."""

from __future__ import annotations

import numpy as np
import pytest
from gymnasium import spaces
from gymnasium.utils.env_checker import check_env
from gymnasium.vector import AutoresetMode

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import make
from mlops_unity_pipeline.sim.archetypes import NavigationParams
from mlops_unity_pipeline.sim.gym_env import SimSingleEnv, SimVectorEnv

from .tasks import SINGLE_AGENT_TASKS


@pytest.mark.parametrize("task", SINGLE_AGENT_TASKS)
def test_env_checker_passes_on_every_task(task):
    """gymnasium.utils.env_checker.check_env passes for the single-agent view of every task."""
    env = SimSingleEnv(task, render_mode="rgb_array")
    check_env(env, skip_render_check=False)


def test_env_checker_passes_on_discrete_navigation():
    """The discrete navigation behavior (with action masks in info) passes the checker too."""
    from dataclasses import replace

    env = SimSingleEnv("Navigation", params=replace(NavigationParams(), continuous_actions=False))
    assert isinstance(env.action_space, spaces.Discrete) and env.action_space.n == 5
    check_env(env)
    _, info = env.reset(seed=0)
    assert info["action_mask"].shape == (5,)


def test_vector_env_spaces_and_autoreset_mode():
    """The vector view declares same-step autoreset and batched spaces."""
    env = SimVectorEnv("3DBall", num_envs=4, seed=0)
    assert env.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
    assert env.num_envs == 4
    assert env.single_observation_space.shape == (8,)
    assert env.observation_space.shape == (4, 8)
    assert env.single_action_space == spaces.Box(-1.0, 1.0, (2,), np.float32)
    obs, info = env.reset(seed=3)
    assert obs.shape == (4, 8) and obs.dtype == np.float32
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
    assert reward.shape == (4,) and terminated.dtype == bool and truncated.dtype == bool


def test_vector_env_same_step_autoreset_reports_final_obs():
    """When an episode ends, info carries its final observation and obs is already the next episode's."""
    env = SimVectorEnv("Basic", num_envs=3, seed=0)
    env.reset(seed=0)
    for _ in range(7):
        obs, reward, terminated, truncated, info = env.step(np.array([2, 0, 1]))
    assert terminated.tolist() == [True, False, False]
    assert info["_final_obs"].tolist() == [True, False, False]
    assert info["final_obs"][0].argmax() == 17 and info["final_obs"][1] is None
    assert obs[0].argmax() == 10
    assert info["success"].tolist() == [True, False, False]
    assert info["action_mask"].shape == (3, 3)


def test_vector_env_matches_the_core_trajectory():
    """The vector view and the core give the same trajectory for the same seed and actions."""
    view = SimVectorEnv("3DBall", num_envs=2, seed=0)
    core = make("3DBall", num_agents=2, seed=0)
    obs_v, _ = view.reset(seed=9)
    obs_c = core.reset(seed=9).obs[0]
    np.testing.assert_array_equal(obs_v, obs_c)
    from mlops_unity_pipeline.spaces import ActionTuple

    action = np.float32([[0.3, -0.2], [1.0, 0.5]])
    obs_v = view.step(action)[0]
    obs_c = core.step(ActionTuple(action, np.zeros((2, 0), np.int32))).obs[0]
    np.testing.assert_array_equal(obs_v, obs_c)


def test_env_parameters_via_reset_options():
    """reset(options={'env_parameters': ...}) sets them before the episode begins; unknown ones fail."""
    env = SimVectorEnv("3DBall", num_envs=2)
    env.reset(options={"env_parameters": {"scale": 2.0}})
    assert env.sim.ball_radius.tolist() == [1.0, 1.0]
    with pytest.raises(SpecError, match="unknown environment parameter"):
        env.reset(options={"env_parameters": {"wind": 2.0}})


def test_single_env_rejects_many_agents_and_bad_render_mode():
    """SimSingleEnv needs one agent and a known render mode."""
    with pytest.raises(SpecError, match="one-agent"):
        SimSingleEnv(make("3DBall", num_agents=2))
    with pytest.raises(SpecError, match="render_mode"):
        SimSingleEnv("Basic", render_mode="human")


def test_vector_render_returns_rgb_frame():
    """render() returns an RGB array the size of the env's engine configuration (80x80 training)."""
    env = SimVectorEnv("Navigation", num_envs=2, seed=0)
    env.reset()
    frame = env.render()
    assert frame.shape == (80, 80, 3) and frame.dtype == np.uint8


def test_registered_gymnasium_ids_make_checked_envs():
    """register_gymnasium_envs adds MlopsUnity/<Task>-v0 for single-agent tasks (not PushBlockCollab)."""
    import gymnasium

    from mlops_unity_pipeline.sim.gym_env import register_gymnasium_envs

    ids = register_gymnasium_envs()
    assert ids[: len(SINGLE_AGENT_TASKS)] == [f"MlopsUnity/{t}-v0" for t in SINGLE_AGENT_TASKS]
    assert "MlopsUnity/world-PushBlock-v0" in ids  # shipped worlds follow the hand-written tasks
    assert register_gymnasium_envs() == ids  # idempotent
    env = gymnasium.make("MlopsUnity/3DBall-v0", render_mode="rgb_array")
    check_env(env.unwrapped)
    obs, _ = env.reset(seed=1)
    assert obs.shape == (8,)
    assert env.render().shape == (80, 80, 3)


def test_vector_env_over_a_grouped_task_reports_groups():
    """SimVectorEnv over PushBlockCollab passes group ids and group rewards in info."""
    env = SimVectorEnv("PushBlockCollab", num_envs=6, seed=0)
    _, info = env.reset(seed=0)
    assert info["group_id"].tolist() == [1, 1, 1, 2, 2, 2]
    _, reward, _, _, info = env.step(np.zeros(6, dtype=np.int64))
    np.testing.assert_allclose(info["group_reward"], [-0.0005] * 6, rtol=1e-5)
    assert reward.tolist() == [0.0] * 6  # the agents' own rewards; the team's is in info
