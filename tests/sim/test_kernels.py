"""Compiled (numba) decisions equal the NumPy reference paths; the switch between them."""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np
import pytest

from mlops_unity_pipeline.errors import InvalidAction
from mlops_unity_pipeline.sim import accel, make, make_navigation
from mlops_unity_pipeline.sim.archetypes import NavigationParams, ObservationItem
from mlops_unity_pipeline.sim.heuristics import heuristic_policy
from mlops_unity_pipeline.sim.policies import random_policy
from mlops_unity_pipeline.spaces import ActionTuple

needs_kernels = pytest.mark.skipif(
    accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0: only the NumPy paths run"
)

SHORT = {"max_step": 60, "env_parameter_defaults": {"num_obstacles": 8.0, "move_speed": 5.0}}
NAVIGATION_CASES = {
    "navigation": NavigationParams(),
    "discrete": replace(NavigationParams(), continuous_actions=False),
    "short-episodes": replace(NavigationParams(), num_obstacles=8, **SHORT),
    "every-item-walls-only": replace(
        NavigationParams(),
        observations=(
            ObservationItem("position", 2),
            ObservationItem("raycast", 5),
            ObservationItem("target_distance", 1),
            ObservationItem("velocity", 2),
            ObservationItem("target_direction", 2),
        ),
        num_rays=5,
        ray_degrees=120.0,
        detectable_tags=("wall",),
        decision_period=3,
    ),
    "reach-target": replace(
        NavigationParams(), num_obstacles=0, env_parameter_defaults={"num_obstacles": 0.0}
    ),
}


def _pair(factory):
    """The same environment twice: compiled, and forced onto the NumPy path."""
    fast, slow = factory(), factory()
    assert fast.compiled, "numba is installed, so the tasks must use their kernels"
    slow.compiled = False
    return fast, slow


def _compare(fast, slow, decisions: int, *, atol: float, seed: int = 1, nudge=None, policy=None) -> int:
    """Step both with the same random (or ``policy(env)``) actions; assert equal batches; return ends."""
    if policy is None:
        policy_fast = random_policy(fast.signature.action_spec, seed=seed)
        policy_slow = random_policy(slow.signature.action_spec, seed=seed)
    else:
        policy_fast, policy_slow = policy(fast), policy(slow)
    a, b = fast.reset(), slow.reset()
    np.testing.assert_allclose(a.obs[0], b.obs[0], atol=atol)
    ended = 0
    for t in range(decisions):
        if nudge is not None:
            nudge(t, fast)
            nudge(t, slow)
        a, b = fast.step(policy_fast(a)), slow.step(policy_slow(b))
        for name in ("terminated", "truncated", "success"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=f"{name} at {t}")
        np.testing.assert_allclose(a.reward, b.reward, atol=atol, err_msg=f"reward at {t}")
        np.testing.assert_allclose(a.obs[0], b.obs[0], atol=atol, err_msg=f"obs at {t}")
        np.testing.assert_allclose(a.final_obs[0], b.final_obs[0], atol=atol, err_msg=f"final_obs at {t}")
        if a.action_mask is None:
            assert b.action_mask is None
        else:
            np.testing.assert_array_equal(a.action_mask, b.action_mask)
        np.testing.assert_array_equal(fast.agent_step_count, slow.agent_step_count)
        np.testing.assert_array_equal(fast.episode_ids, slow.episode_ids)
        ended += int(a.terminated.sum() + a.truncated.sum())
    assert (fast.step_count, fast.completed_episodes) == (slow.step_count, slow.completed_episodes)
    return ended


@needs_kernels
def test_basic_kernel_equals_numpy():
    """Basic: identical rewards, one-hot observations and flags (goals and MaxStep) over 300 decisions."""
    fast, slow = _pair(lambda: make("Basic", num_agents=24, seed=0))
    assert _compare(fast, slow, 300, atol=0.0) > 100


@needs_kernels
def test_ball3d_kernel_equals_numpy_with_falls_truncations_and_env_parameters():
    """3DBall: same trajectory as the NumPy path through falls, MaxStep and changed env parameters."""
    fast, slow = _pair(lambda: make("3DBall", num_agents=40, seed=2))

    def nudge(t, env):
        if t == 100:
            env.set_env_parameters({"scale": 1.5, "gravity": 15.0, "mass": 3.0})
        if t == 150:
            env.agent_step_count[:8] = env.max_step - 7  # these end by MaxStep inside the next decision

    ended = _compare(fast, slow, 400, atol=1e-6, nudge=nudge)
    assert ended > 100
    np.testing.assert_allclose(fast.ball_radius, slow.ball_radius)
    np.testing.assert_allclose(fast.gravity, slow.gravity)
    np.testing.assert_allclose(fast.ball_mass, slow.ball_mass)


@needs_kernels
def test_ball3d_kernel_rotation_limit_equals_numpy():
    """3DBall: with full actions the platforms hit the 0.25 rotation limit, one axis at a time, alike."""
    fast, slow = _pair(lambda: make("3DBall", num_agents=16, seed=4))
    for env in (fast, slow):
        env.reset()
    full = np.tile(np.float32([[1.0, -1.0], [-1.0, 1.0]]), (8, 1))
    actions = ActionTuple(full, np.zeros((16, 0), np.int32))
    for _ in range(20):
        a, b = fast.step(actions), slow.step(actions)
        np.testing.assert_allclose(a.obs[0], b.obs[0], atol=1e-6)
        np.testing.assert_array_equal(a.terminated, b.terminated)
    np.testing.assert_allclose(fast.rotation, slow.rotation, atol=1e-9)


@pytest.mark.parametrize("name", list(NAVIGATION_CASES))
@needs_kernels
def test_navigation_kernel_equals_numpy(name):
    """Navigation variants: the per-agent kernel equals the NumPy sweep (reaches, MaxStep, every item)."""
    params = NAVIGATION_CASES[name]
    fast, slow = _pair(lambda: make_navigation(params, num_agents=32, seed=5))
    ended = _compare(fast, slow, 150, atol=1e-5)
    if name == "short-episodes":
        assert ended > 50


@needs_kernels
@pytest.mark.parametrize("continuous", [True, False], ids=["continuous", "discrete"])
def test_navigation_kernel_equals_numpy_when_targets_are_reached(continuous):
    """With the scripted controller many episodes end at the target mid-decision, alike in both paths."""
    params = replace(NavigationParams(), continuous_actions=continuous)
    fast, slow = _pair(lambda: make_navigation(params, num_agents=16, seed=6))
    _compare(fast, slow, 120, atol=1e-5, policy=heuristic_policy)
    assert fast.completed_episodes > 16


@needs_kernels
def test_navigation_kernel_equals_step_by_step_physics():
    """The kernel also equals the NumPy reference stepped one physics step at a time (sweep off)."""
    params = replace(NavigationParams(), num_obstacles=10, **{**SHORT, "env_parameter_defaults": {}})
    fast, slow = _pair(lambda: make_navigation(params, num_agents=32, seed=8))
    slow.sweep = False
    assert _compare(fast, slow, 120, atol=1e-6) > 50


@needs_kernels
def test_navigation_blocked_and_sliding_agent_matches():
    """Agents pushed into an obstacle and a wall slide the same way in both paths."""
    fast, slow = _pair(lambda: make("Navigation", num_agents=2, seed=0))
    for env in (fast, slow):
        env.reset()
        env.position[:] = [(0.0, 0.8), (9.2, 0.0)]
        env.obstacles[:] = 1.0e6
        env.obstacles[:, 0] = (2.0, 0.0)
        env.target[:] = (-9.0, -9.0)
    actions = ActionTuple(np.float32([[1.0, 0.0], [1.0, 0.3]]), np.zeros((2, 0), np.int32))
    for _ in range(6):
        a, b = fast.step(actions), slow.step(actions)
        np.testing.assert_allclose(a.obs[0], b.obs[0], atol=1e-6)
        np.testing.assert_allclose(a.reward, b.reward, atol=1e-6)
    np.testing.assert_allclose(fast.position, slow.position, atol=1e-9)
    assert fast.position[1, 0] == fast._limit  # the wall stopped agent 1 (it slid along z)
    assert fast.position[0, 0] > 2.0  # agent 0 slid around the obstacle


@pytest.mark.parametrize("dtype", [np.float64, np.int32], ids=["float64", "int32"])
@needs_kernels
def test_action_loading_equals_numpy_for_other_dtypes(dtype):
    """Continuous actions of other dtypes (and non-contiguous ones) load and clip as on the NumPy path."""
    fast, slow = _pair(lambda: make("3DBall", num_agents=4, seed=0))
    raw = np.array([[2.0, -0.25], [-3.0, 0.5], [0.0, 1.0], [-1.0, 7.0]]).astype(dtype)
    for actions in (raw, np.asfortranarray(raw)):
        fast._load_actions(ActionTuple(actions, np.zeros((4, 0), np.int32)))
        slow._load_actions(ActionTuple(actions, np.zeros((4, 0), np.int32)))
        np.testing.assert_array_equal(fast._cont, slow._cont)
        assert fast._cont.min() >= -1.0 and fast._cont.max() <= 1.0


def test_bad_actions_are_rejected_on_either_path():
    """NaN and out-of-branch actions raise InvalidAction whichever path loads them."""
    ball = make("3DBall", num_agents=2, seed=0)
    ball.reset()
    with pytest.raises(InvalidAction, match=r"NaN or inf \(agents \[1\]\)"):
        ball.step(ActionTuple(np.float64([[0.0, 0.0], [np.inf, 0.0]]), np.zeros((2, 0), np.int32)))
    basic = make("Basic", num_agents=2, seed=0)
    basic.reset()
    with pytest.raises(InvalidAction, match="out of range"):
        basic.step(ActionTuple(np.zeros((2, 0), np.float32), np.array([[0], [3]], np.int64)))
    batch = basic.step(ActionTuple(np.zeros((2, 0), np.float32), np.array([[2], [1]], np.int32)))
    assert batch.obs[0][0, 11] == 1.0 and batch.obs[0][1, 9] == 1.0


def test_env_var_zero_forces_numpy(monkeypatch):
    """MLOPS_SIM_NUMBA=0: no kernels; environments built then run the NumPy path."""
    monkeypatch.setenv(accel.ENV_VAR, "0")
    assert accel.kernels() is None
    env = make("Navigation", num_agents=3, seed=0)
    assert not env.compiled
    env.reset()
    assert env.step(random_policy(env.signature.action_spec, seed=0)(env.reset())).obs[0].shape == (3, 12)


def test_missing_numba_falls_back_to_numpy(monkeypatch):
    """Without numba importable, kernels() is None and tasks run (and stay correct) on NumPy."""
    monkeypatch.setattr(accel, "_kernels", None)
    monkeypatch.setattr(accel, "_import_failed", False)
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba -> ImportError
    for name in [m for m in sys.modules if m.startswith("mlops_unity_pipeline.sim.kernels")]:
        monkeypatch.delitem(sys.modules, name)
    assert accel.kernels() is None
    env = make("3DBall", num_agents=2, seed=0)
    assert not env.compiled
    env.reset()
    batch = env.step(ActionTuple(np.zeros((2, 2), np.float32), np.zeros((2, 0), np.int32)))
    np.testing.assert_allclose(batch.reward, 0.1)


PLACEMENT_CASES = {
    "default": {},
    # one obstacle fits near the centre; the other five are parked (placement fails)
    "obstacles-do-not-fit": {"arena_half_extent": 5.0, "agent_radius": 2.0, "obstacle_radius": 0.4},
    # starts near the centre leave no point 5 away: those targets drop the distance wish
    "targets-fall-back": {
        "arena_half_extent": 5.0,
        "agent_radius": 2.2,
        "obstacle_radius": 0.2,
        "num_obstacles": 0,
        "env_parameter_defaults": {"num_obstacles": 0.0},
    },
}


@needs_kernels
@pytest.mark.parametrize("case", list(PLACEMENT_CASES))
def test_navigation_placement_kernel_draws_what_numpy_draws(case):
    """Episode starts are identical, random draws included, also where placements fail."""
    params = replace(
        NavigationParams(),
        num_obstacles=6,
        env_parameter_defaults={"num_obstacles": 6.0, "move_speed": 3.0},
    )
    params = replace(params, **PLACEMENT_CASES[case])
    fast, slow = _pair(lambda: make_navigation(params, num_agents=64, seed=9))
    fell_back = False
    for _ in range(3):
        fast.reset()
        slow.reset()
        for name in ("position", "target", "obstacles", "active_obstacles", "speed", "velocity"):
            np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
        assert fast.rng.random() == slow.rng.random()  # the generators advanced alike
        fell_back |= bool((np.linalg.norm(fast.position - fast.target, axis=1) < 5.0).any())
    if case == "obstacles-do-not-fit":
        assert (fast.active_obstacles.sum(axis=1) == 1).all()
    if case == "targets-fall-back":
        assert fell_back
