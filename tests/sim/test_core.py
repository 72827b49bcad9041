"""Academy semantics of the core: counters, determinism, autoreset, bad input, env parameters."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.errors import InvalidAction, ResetNeeded, SpecError
from mlops_unity_pipeline.sim import make
from mlops_unity_pipeline.sim.core import BufferPool
from mlops_unity_pipeline.sim.policies import random_policy
from mlops_unity_pipeline.spaces import ActionTuple, VectorEnv

from .tasks import HAND_WRITTEN_TASKS, SHIPPED_WORLDS, SINGLE_AGENT_TASKS


def _rollout(task: str, seed: int, steps: int = 60, num_agents: int = 4):
    env = make(task, num_agents=num_agents, seed=seed)
    policy = random_policy(env.signature.action_spec, seed=7)
    batch = env.reset()
    trace = [batch.obs[0].copy()]
    for _ in range(steps):
        batch = env.step(policy(batch))
        flat = batch.obs[0].reshape(batch.reward.shape[0], -1)  # visual observations flattened per agent
        trace.append(np.concatenate([flat, batch.reward[:, None], batch.terminated[:, None]], axis=1))
    return trace


@pytest.mark.parametrize("task", SINGLE_AGENT_TASKS)
def test_same_seed_same_trajectory(task):
    """Same seed and same actions give the same observations, rewards and dones; another seed differs."""
    a, b = _rollout(task, seed=11), _rollout(task, seed=11)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    if task != "Basic":  # Basic has no randomness
        c = _rollout(task, seed=12)
        assert any(not np.array_equal(x, y) for x, y in zip(a, c, strict=True))


@pytest.mark.parametrize("task", SINGLE_AGENT_TASKS)
def test_every_task_is_a_vector_env(task):
    """Every task satisfies the VectorEnv protocol and returns batches shaped by its signature."""
    env = make(task, num_agents=3, seed=0)
    assert isinstance(env, VectorEnv)
    batch = env.reset()
    for obs, spec in zip(batch.obs, env.signature.observation_specs, strict=True):
        assert obs.shape == (3, *spec.shape) and obs.dtype == np.float32
    assert batch.reward.shape == (3,) and batch.reward.dtype == np.float32


def test_unknown_task_lists_known_ones():
    """An unknown task name raises SpecError naming the known tasks."""
    with pytest.raises(SpecError, match="expected one of.*3DBall"):
        make("Pong")


def test_step_before_reset_raises():
    """Gymnasium's contract: step before reset is an error."""
    env = make("3DBall", num_agents=2)
    with pytest.raises(ResetNeeded):
        env.step(ActionTuple(np.zeros((2, 2), np.float32), np.zeros((2, 0), np.int32)))


@pytest.mark.parametrize(
    ("continuous", "match"),
    [
        (np.zeros((2, 3), np.float32), r"shape \(2, 2\), got \(2, 3\)"),
        (np.zeros((3, 2), np.float32), r"shape \(2, 2\), got \(3, 2\)"),
        (np.array([[0.0, np.nan], [0.0, 0.0]], np.float32), "NaN"),
        (np.array([[0.0, np.inf], [0.0, 0.0]], np.float32), "NaN or inf"),
        (None, "missing continuous"),
    ],
)
def test_bad_continuous_actions(continuous, match):
    """Wrong shapes, NaN and inf are InvalidAction naming the expected shape."""
    env = make("3DBall", num_agents=2)
    env.reset()
    with pytest.raises(InvalidAction, match=match):
        env.step(ActionTuple(continuous, np.zeros((2, 0), np.int32)))


@pytest.mark.parametrize(
    ("discrete", "match"),
    [
        (np.array([[3]], np.int32), "out of range"),
        (np.array([[-1]], np.int32), "out of range"),
        (np.array([[1.0]], np.float32), "integers"),
        (np.array([1], np.int32), r"shape \(1, 1\)"),
    ],
)
def test_bad_discrete_actions(discrete, match):
    """Out-of-range indices, float dtypes and wrong shapes are InvalidAction."""
    env = make("Basic")
    env.reset()
    with pytest.raises(InvalidAction, match=match):
        env.step(ActionTuple(np.zeros((1, 0), np.float32), discrete))


def test_out_of_range_continuous_actions_are_clipped():
    """Continuous actions beyond [-1, 1] are clipped, as ML-Agents agents clamp them."""
    a, b = make("3DBall", num_agents=1, seed=0), make("3DBall", num_agents=1, seed=0)
    a.reset(), b.reset()
    x = a.step(ActionTuple(np.float32([[5.0, -7.0]]), np.zeros((1, 0), np.int32)))
    y = b.step(ActionTuple(np.float32([[1.0, -1.0]]), np.zeros((1, 0), np.int32)))
    np.testing.assert_array_equal(x.obs[0], y.obs[0])


def test_unknown_env_parameter_names_known_ones():
    """set_env_parameters and make(env_parameters=) reject unknown names, listing the known ones."""
    env = make("3DBall")
    with pytest.raises(
        SpecError, match=r"unknown environment parameter 'mas'.*\['gravity', 'mass', 'scale'\]"
    ):
        env.set_env_parameters({"mas": 1.0})
    with pytest.raises(SpecError, match="finite"):
        env.set_env_parameters({"mass": float("nan")})
    with pytest.raises(SpecError, match="unknown environment parameter"):
        make("Basic", env_parameters={"gravity": 1.0})


def test_counters_follow_the_academy():
    """step_count counts physics steps since reset, episode_count counts resets, agent steps per agent."""
    env = make("3DBall", num_agents=2, seed=0)
    env.reset()
    env.reset()
    assert env.episode_count == 2
    for _ in range(3):
        env.step(ActionTuple(np.zeros((2, 2), np.float32), np.zeros((2, 0), np.int32)))
    assert env.step_count == 15 and env.total_step_count == 15
    assert env.agent_step_count.tolist() == [15, 15]
    env.reset()
    assert env.step_count == 0 and env.total_step_count == 15


def test_episode_ids_change_when_an_episode_ends():
    """Each new episode gets a fresh id (ML-Agents reports episode ids as agent ids)."""
    env = make("Basic", num_agents=2)
    env.reset()
    first = env.episode_ids.copy()
    actions = ActionTuple(np.zeros((2, 0), np.float32), np.array([[2], [0]], np.int32))
    for _ in range(7):
        batch = env.step(actions)
    assert batch.terminated.tolist() == [True, False]
    assert env.episode_ids[0] not in first and env.episode_ids[1] == first[1]
    assert env.completed_episodes == 1


def test_max_step_inside_a_decision_interrupts_there():
    """MaxStep 7 with decision period 5: the episode is interrupted at physics step 7, mid-decision."""
    from dataclasses import replace

    from mlops_unity_pipeline.sim import make_navigation, reach_target_params

    params = replace(reach_target_params(), max_step=7)
    env = make_navigation(params, num_agents=1, seed=0)
    env.reset()
    env.target[0] = [9.0, 9.0]
    env.position[0] = [-9.0, -9.0]
    still = ActionTuple(np.zeros((1, 2), np.float32), np.zeros((1, 0), np.int32))
    first = env.step(still)
    second = env.step(still)
    assert not first.truncated[0] and second.truncated[0] and not second.terminated[0]
    # 5 + 2 physics steps of time penalty (-1/7 each): the frozen last 3 steps add nothing
    assert first.reward[0] + second.reward[0] == pytest.approx(-1.0, abs=1e-6)
    assert env.agent_step_count[0] == 0  # a new episode began at the decision


def test_list_tasks_describes_every_task():
    """list_tasks gives each task's signature, MaxStep, decision period, env parameters and default agents."""
    from mlops_unity_pipeline.sim import list_tasks

    infos = {info.name: info for info in list_tasks()}
    assert set(infos) == {*HAND_WRITTEN_TASKS, *SHIPPED_WORLDS}
    assert infos["3DBall"].default_num_agents == 12
    assert infos["3DBall"].agents_per_group == 0 and infos["PushBlockCollab"].agents_per_group == 3
    assert infos["PushBlockCollab"].to_dict()["agents_per_group"] == 3
    assert infos["3DBall"].env_parameters == {"mass": 1.0, "scale": 1.0, "gravity": 9.81}
    assert infos["Navigation"].signature.name == "NavigationAgent"
    assert infos["Basic"].to_dict()["discrete_branches"] == [3]


def test_engine_configurations():
    """Training and inference engine settings are ML-Agents' defaults; bad values are SpecErrors."""
    from mlops_unity_pipeline.sim import EngineConfig

    assert EngineConfig.training() == EngineConfig(80, 80, 1, 20.0, -1, 60)
    assert EngineConfig.inference() == EngineConfig(1280, 720, 5, 1.0, 60, 60)
    assert make("3DBall").engine == EngineConfig.training()
    assert make("3DBall", engine=EngineConfig.inference()).engine.width == 1280
    with pytest.raises(SpecError, match="quality_level"):
        EngineConfig(quality_level=9)
    with pytest.raises(SpecError, match="time_scale"):
        EngineConfig(time_scale=0.0)
    with pytest.raises(SpecError, match="target_frame_rate"):
        EngineConfig(target_frame_rate=0)


def test_params_only_for_navigation_tasks():
    """NavigationParams given to 3DBall is a SpecError; num_agents < 1 too."""
    from mlops_unity_pipeline.sim.archetypes import NavigationParams

    with pytest.raises(SpecError, match="params"):
        make("3DBall", params=NavigationParams())
    with pytest.raises(SpecError, match="num_agents"):
        make("Basic", num_agents=0)


@pytest.mark.parametrize("task", HAND_WRITTEN_TASKS)
def test_batches_handed_out_never_change_when_stepping_on(task):
    """A caller keeping every batch sees each unchanged later (only dropped batches are recycled)."""
    env = make(task, num_agents=6, seed=3)
    policy = random_policy(env.signature.action_spec, seed=4)
    kept, copies = [], []
    batch = env.reset()
    for t in range(40):
        if t == 10:  # some episodes end (MaxStep) while earlier batches are held
            if env.max_step:
                env.agent_step_count[:3] = env.max_step - 1
            else:
                env.group_step_count[:1] = env.group_max_step - 1
        batch = env.step(policy(batch))
        kept.append(batch)
        copies.append([o.copy() for o in (*batch.obs, *batch.final_obs)])
    assert any(b.truncated.any() for b in kept)
    for batch, arrays in zip(kept, copies, strict=True):
        for now, then in zip((*batch.obs, *batch.final_obs), arrays, strict=True):
            np.testing.assert_array_equal(now, then)


def test_buffer_pool_reuses_only_arrays_nobody_holds():
    """BufferPool: an array held (or viewed) by a caller is never handed out again; a dropped one is."""
    pool = BufferPool((4, 3), size=2)
    first, second = pool.take(), pool.take()
    assert first is not second
    view = first[1:]
    del first
    third = pool.take()  # both pooled arrays are held, one through a view of it: a fresh array
    assert all(third is not pooled for pooled in pool._arrays) and len(pool._arrays) == 2
    del view
    again = pool.take()
    assert any(again is pooled for pooled in pool._arrays) and again is not second
    pool.clear()
    assert pool.take() is not again  # forgotten: a fresh array


def test_close_releases_the_recycled_buffers():
    """close() empties the observation pools (GridWorld's camera batches are pooled from 2 areas up)."""
    env = make("GridWorld", num_agents=4, seed=0)
    env.reset()
    env.step(ActionTuple(np.zeros((4, 0), np.float32), np.zeros((4, 1), np.int32)))
    assert env._obs_pools[0]._arrays
    env.close()
    assert not env._obs_pools[0]._arrays


@pytest.mark.parametrize(
    "convert",
    [
        lambda a: a.tolist(),
        lambda a: np.asfortranarray(a),
        lambda a: a.astype(np.float16) if a.dtype.kind == "f" else a.astype(np.int16),
        lambda a: a[:, ::-1][:, ::-1],
    ],
    ids=["list", "fortran", "narrow-dtype", "strided-view"],
)
@pytest.mark.parametrize("task", ["3DBall", "PushBlock"])
def test_actions_in_any_array_form_load_as_the_same_actions(task, convert):
    """Lists, Fortran order, other dtypes and views take the checked path and act like C float32/int32."""
    a, b = make(task, num_agents=3, seed=0), make(task, num_agents=3, seed=0)
    policy = random_policy(a.signature.action_spec, seed=1)
    x, y = a.reset(), b.reset()
    for _ in range(5):
        drawn = policy(x)  # in eighths, which float16 holds exactly
        actions = ActionTuple((np.round(drawn.continuous * 8) / 8).astype(np.float32), drawn.discrete)
        x = a.step(actions)
        y = b.step(ActionTuple(convert(actions.continuous), convert(actions.discrete)))
        for p, q in zip(x.obs, y.obs, strict=True):
            np.testing.assert_array_equal(p, q)
