"""world:3DBall: a platform world stepping as the hand-written 3DBall does, keeping 3DBall.onnx's score."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import accel, evaluate, make
from mlops_unity_pipeline.sim.heuristics import heuristic_policy
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.sim.render import render_frame
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import library_worlds, world_from_dict
from tests.conftest import anchor
from tests.world.conftest import base_world

MODEL = "models/3DBall.onnx"
PATHS = [True, False] if accel.kernels() is not None else [False]
"""compiled (numba) and NumPy paths; the NumPy path alone where numba is absent."""


def _actions(env, rng: np.random.Generator, scale: float = 1.0) -> ActionTuple:
    n = env.num_agents
    cont = (scale * rng.uniform(-1.0, 1.0, (n, 2))).astype(np.float32)
    return ActionTuple(cont, np.zeros((n, 0), np.int32))


def _trajectory(name: str, compiled: bool, decisions: int, **kwargs) -> list[np.ndarray]:
    """Every batch of ``decisions`` random decisions, flattened to one array per decision."""
    env = make(name, seed=3, **kwargs)
    env.compiled = compiled and env.compiled
    batch = env.reset(seed=3)
    rng = np.random.default_rng(0)
    out = [np.concatenate(batch.obs, axis=1)]
    for _ in range(decisions):
        batch = env.step(_actions(env, rng))
        flags = np.stack([batch.terminated, batch.truncated, batch.success], axis=1)
        out.append(np.concatenate([*batch.obs, *batch.final_obs, batch.reward[:, None], flags], axis=1))
    return out


def _library_dict(stem: str) -> dict:
    return yaml.safe_load(library_worlds()[stem].read_text(encoding="utf-8"))


def test_signature_and_settings_match_the_hand_written_task():
    """world:3DBall: behavior 3DBall, obs [8], 2 continuous actions, period 5, MaxStep 5000, 12 platforms."""
    env, reference = make("world:3DBall"), make("3DBall")
    assert env.signature.name == "3DBall"
    assert [o.shape for o in env.signature.observation_specs] == [(8,)]
    assert env.signature.action_spec.continuous_size == 2
    assert (env.num_agents, env.max_step, env.decision_period) == (12, 5000, 5)
    assert env.env_parameters == reference.env_parameters == {"mass": 1.0, "scale": 1.0, "gravity": 9.81}


@pytest.mark.parametrize("compiled", PATHS)
def test_trajectory_equals_the_hand_written_3dball(compiled):
    """Same seed and actions: every observation, reward and flag equals the hand-written task's, falls too."""
    world = _trajectory("world:3DBall", compiled, 300)
    reference = _trajectory("3DBall", True, 300)
    ends = sum(int(step[:, -3:-1].sum()) for step in world[1:])
    assert ends > 20  # random tilts drop balls: restarts are compared as well
    for got, want in zip(world, reference, strict=True):
        np.testing.assert_array_equal(got, want)


def test_numba_and_numpy_paths_are_equal():
    """The compiled kernel and its NumPy twin give the same trajectory (falls and restarts included)."""
    if accel.kernels() is None:
        pytest.skip("numba is not installed")
    for got, want in zip(
        _trajectory("world:3DBall", True, 200), _trajectory("world:3DBall", False, 200), strict=True
    ):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("compiled", PATHS)
def test_same_state_gives_the_same_next_state_at_the_rotation_limit(compiled):
    """A state written into both (tilted past the limit, ball rolling) steps to the same next state."""
    world, reference = make("world:3DBall", num_agents=4, seed=1), make("3DBall", num_agents=4, seed=1)
    world.compiled = compiled and world.compiled
    for env in (world, reference):
        env.reset(seed=1)
        half = np.radians([14.0, -15.0, 3.0, 0.0]) * 0.5  # about z: 14 and -15 degrees are past 0.25 in q.z
        env.rotation[:] = np.stack([np.zeros(4), np.zeros(4), np.sin(half), np.cos(half)], axis=1)
        env.ball_position[:] = [[0.5, 3.0, -0.2], [-1.0, 3.0, 1.0], [2.9, 3.5, 0.0], [0.0, 4.0, 0.0]]
        env.ball_velocity[:] = [[0.3, 0.0, 0.1], [0.0, -0.5, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    actions = ActionTuple(np.float32([[1, 1], [-1, 0.5], [0.2, -1], [0, 0]]), np.zeros((4, 0), np.int32))
    for _ in range(3):
        got, want = world.step(actions), reference.step(actions)
        np.testing.assert_allclose(got.obs[0], want.obs[0], rtol=0, atol=1e-6)
        np.testing.assert_array_equal(got.reward, want.reward)
    np.testing.assert_allclose(world.rotation, reference.rotation, rtol=0, atol=1e-12)
    np.testing.assert_allclose(world.ball_position, reference.ball_position, rtol=0, atol=1e-12)


@pytest.mark.parametrize("compiled", PATHS)
def test_env_parameters_change_the_ball_as_in_the_hand_written_task(compiled):
    """scale 2 and gravity 20 (mass 3): the same trajectory as the hand-written task with the same values."""
    params = {"mass": 3.0, "scale": 2.0, "gravity": 20.0}
    world = _trajectory("world:3DBall", compiled, 60, env_parameters=params)
    reference = _trajectory("3DBall", True, 60, env_parameters=params)
    for got, want in zip(world, reference, strict=True):
        np.testing.assert_array_equal(got, want)
    env = make("world:3DBall", env_parameters=params)
    env.reset()
    np.testing.assert_array_equal(env.ball_radius, 1.0)
    np.testing.assert_array_equal(env.gravity, 20.0)
    np.testing.assert_array_equal(env.ball_mass, 3.0)


def test_out_of_range_env_parameter_is_refused():
    """An env parameter outside the world's [low, high] is a clear error naming it."""
    with pytest.raises(SpecError, match="'gravity' must be in"):
        make("world:3DBall", env_parameters={"gravity": 500.0})


def test_uniform_sampler_draws_each_episode_in_range():
    """A uniform gravity parameter gives each platform its own gravity within [low, high]."""
    data = _library_dict("3DBall")
    data["env_parameters"][2]["sampler"] = "uniform"
    env = make_world_dict(data, num_agents=32)
    env.reset(seed=0)
    assert np.all((env.gravity >= 1.0) & (env.gravity <= 30.0)) and np.unique(env.gravity).size == 32


def make_world_dict(data: dict, **kwargs):
    """Build the simulator of a world given as a dict."""
    from mlops_unity_pipeline.sim.catalog import make_world

    return make_world(world_from_dict(data, "test"), **kwargs)


def test_fall_without_end_sets_the_reward_and_goes_on():
    """falls_off with end none: the decision's reward is -1 and the episode continues until MaxStep."""
    data = _library_dict("3DBall")
    data["rewards"][1]["end"] = "none"
    data["max_step"] = 400
    env = make_world_dict(data, num_agents=4)
    env.reset(seed=0)
    env.ball_position[:, 0] = 3.5  # off the side
    batch = env.step(ActionTuple(np.zeros((4, 2), np.float32), np.zeros((4, 0), np.int32)))
    np.testing.assert_array_equal(batch.reward, -1.0)
    assert not batch.terminated.any() and not batch.truncated.any()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["agent"].pop("platform"), "needs a platform agent"),
        (lambda d: d["agent"]["actions"].update(continuous=["move_x", "tilt_x"]), "tilt_z and/or tilt_x"),
        (lambda d: d["rewards"][1].update(what="agent"), "no ball is tagged 'agent'"),
        (lambda d: d["entities"][0].update(shape="box"), "a ball is a sphere"),
        (lambda d: d["entities"][0].update(spawn={}), "starts at 'at' or in 'area'"),
        (lambda d: d["entities"][0].update(size=[6, 6, 6]), "below the platform's size"),
        (lambda d: d["agent"].update(count=2), "one platform per area"),
        (lambda d: d["rewards"].append({"event": "time_penalty", "value": -1}), "alive and falls_off"),
        (
            lambda d: d["agent"]["sensors"][0]["items"].append({"item": "velocity"}),
            "velocity is about a moving agent",
        ),
    ],
)
def test_bad_platform_worlds_name_the_field(edit, message):
    """Platform parts without a platform, or arena parts in a platform world, are refused by field path."""
    data = copy.deepcopy(_library_dict("3DBall"))
    edit(data)
    with pytest.raises(SpecError, match=message):
        world_from_dict(data, "test")


def test_platform_items_need_a_platform_agent():
    """A moving agent observing platform_rotation is refused, naming the item."""
    data = base_world()
    data["agent"]["sensors"][1]["items"].append({"item": "platform_rotation"})
    with pytest.raises(SpecError, match=r"agent.sensors\[1\].items\[2\]: platform_rotation needs a platform"):
        world_from_dict(data, "test")


@pytest.mark.slow
def test_upstream_3dball_model_scores_its_benchmark_through_sim_eval():
    """3DBall.onnx through world:3DBall keeps every ball up: >= 95 over 12 episodes (benchmark 100)."""
    env = make("world:3DBall", seed=0)
    result = evaluate(env, OnnxRuntimePolicy(anchor(MODEL), env.signature), episodes=12, seed=1)
    assert result.episodes == 12
    assert result.mean_reward >= 95.0


@pytest.mark.slow
def test_flipped_tilt_sign_drops_the_ball():
    """Negative control: the model's z tilt with its sign flipped loses every ball (mean < 10)."""
    env = make("world:3DBall", seed=0)
    policy = OnnxRuntimePolicy(anchor(MODEL), env.signature)

    def flipped(batch):
        actions = policy(batch)
        return ActionTuple(actions.continuous * np.float32([-1.0, 1.0]), actions.discrete)

    assert evaluate(env, flipped, episodes=12, seed=1).mean_reward < 10.0


@pytest.mark.parametrize("name", ["world:3DBall", "world:3DBallHard"])
def test_scripted_heuristic_keeps_the_ball_up(name):
    """The heuristic (3DBall's PD law on the platform's true state) scores the full 100."""
    env = make(name, num_agents=4, seed=1)
    result = evaluate(env, heuristic_policy(env), episodes=4, seed=2)
    assert result.mean_reward == pytest.approx(100.0, rel=1e-5)


def test_render_draws_the_same_scene_as_the_hand_written_task():
    """Same seed, same state: world:3DBall's frame is pixel for pixel the hand-written 3DBall's."""
    frames = []
    for name in ("world:3DBall", "3DBall"):
        env = make(name, seed=4)
        env.reset(seed=4)
        frames.append(np.asarray(render_frame(env, caption="3DBall").convert("RGB")))
    np.testing.assert_array_equal(frames[0], frames[1])
