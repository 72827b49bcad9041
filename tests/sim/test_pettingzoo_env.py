"""PettingZoo parallel API over the simulator: the official API and seed checkers, groups, bad input."""

from __future__ import annotations

import importlib
import runpy
import sys
import warnings
from dataclasses import replace

import numpy as np
import pytest

pytest.importorskip("pettingzoo")
from pettingzoo.test import parallel_api_test, parallel_seed_test  # noqa: E402

from mlops_unity_pipeline.errors import InvalidAction, MissingExtraError, ResetNeeded, SpecError  # noqa: E402
from mlops_unity_pipeline.sim import make, make_navigation  # noqa: E402
from mlops_unity_pipeline.sim.archetypes import NavigationParams  # noqa: E402
from mlops_unity_pipeline.sim.pettingzoo_env import SimParallelEnv  # noqa: E402

from ..conftest import REPO_ROOT  # noqa: E402
from .test_groups import FINISH, NOTHING, SCORE, ToyGroupEnv  # noqa: E402

# Basic ends episodes at different times per agent; 3DBall is continuous; PushBlock has two sensors
# (Tuple observations); ReachTarget is continuous navigation and "DiscreteNavigation" brings action masks.
SINGLE_AGENT_CASES = [("Basic", 3), ("3DBall", 2), ("PushBlock", 2), ("ReachTarget", 2), ("Discrete", 2)]


def _sim(task: str, agents: int):
    if task == "Discrete":
        return make_navigation(
            replace(NavigationParams(), continuous_actions=False), num_agents=agents, seed=0
        )
    return make(task, num_agents=agents, seed=0)


@pytest.mark.parametrize(("task", "agents"), SINGLE_AGENT_CASES)
def test_official_parallel_api_test_passes_for_single_agent_tasks(task, agents):
    """pettingzoo.test.parallel_api_test passes with one PettingZoo agent per area agent."""
    env = SimParallelEnv(_sim(task, agents))
    assert env.possible_agents == [f"agent_{i}" for i in range(agents)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the checker's own {"options": 1} reset option
        parallel_api_test(env, num_cycles=60)


def test_official_parallel_api_test_passes_for_a_grouped_task():
    """The checker passes on a grouped task; names carry the group id and the member index."""
    env = SimParallelEnv(ToyGroupEnv(num_agents=4, group_max_step=20))
    assert env.possible_agents == [
        "group_1_agent_0",
        "group_1_agent_1",
        "group_2_agent_0",
        "group_2_agent_1",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        parallel_api_test(env, num_cycles=40)


def test_official_parallel_api_test_passes_for_pushblock_collab():
    """The checker passes on PushBlockCollab with two groups; the agents are named by group and member."""
    env = SimParallelEnv("PushBlockCollab", num_agents=6, seed=0)
    assert env.possible_agents[:4] == [
        "group_1_agent_0",
        "group_1_agent_1",
        "group_1_agent_2",
        "group_2_agent_0",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        parallel_api_test(env, num_cycles=30)


def test_documented_snippet_runs_a_whole_collab_episode():
    """docs/simulator.md's loop runs one PushBlockCollab episode to its end (MaxEnvironmentSteps at most)."""
    env = SimParallelEnv("PushBlockCollab", seed=0)
    obs, infos = env.reset(seed=0)
    decisions = 0
    while env.agents:
        actions = {a: env.action_space(a).sample(infos[a]["action_mask"]) for a in env.agents}
        obs, rewards, terminations, truncations, infos = env.step(actions)
        decisions += 1
    assert 1 <= decisions <= 1000
    assert all(terminations.values()) or all(truncations.values())


@pytest.mark.parametrize("task", ["3DBall", "PushBlock", "PushBlockCollab"])
def test_official_seed_test_passes(task):
    """pettingzoo.test.parallel_seed_test: the same seed gives the same observations, rewards and flags."""
    agents = 3 if task == "PushBlockCollab" else 2
    parallel_seed_test(lambda: SimParallelEnv(task, num_agents=agents), num_cycles=30)


def test_group_members_finish_together_and_get_the_group_reward():
    """Rewards add the group reward; a group's end removes all its members, with their final observations."""
    env = SimParallelEnv(ToyGroupEnv(num_agents=4))
    obs, infos = env.reset(seed=0)
    assert infos["group_2_agent_1"]["group_id"] == 2
    codes = {"group_1_agent_0": SCORE, "group_1_agent_1": NOTHING, "group_2_agent_0": NOTHING}
    codes["group_2_agent_1"] = NOTHING
    obs, rewards, terms, truncs, infos = env.step(codes)
    assert rewards["group_1_agent_1"] == pytest.approx(1.98) and rewards["group_2_agent_0"] == pytest.approx(
        -0.02
    )
    assert infos["group_1_agent_0"]["group_reward"] == pytest.approx(1.98)
    codes["group_2_agent_1"] = FINISH
    codes["group_1_agent_0"] = NOTHING
    obs, rewards, terms, truncs, infos = env.step(codes)
    assert terms == {
        "group_1_agent_0": False,
        "group_1_agent_1": False,
        "group_2_agent_0": True,
        "group_2_agent_1": True,
    }
    assert env.agents == ["group_1_agent_0", "group_1_agent_1"]
    np.testing.assert_array_equal(obs["group_2_agent_0"], [3, 2])  # the ended episode's last observation
    assert rewards["group_2_agent_0"] == pytest.approx(0.99)
    with pytest.raises(InvalidAction, match="group_2_agent_0"):
        env.step(codes)  # finished agents may not act


def test_truncation_and_the_end_of_the_episode():
    """The controller's MaxEnvironmentSteps truncates every agent; stepping with none left needs a reset."""
    env = SimParallelEnv(ToyGroupEnv(num_agents=2, group_max_step=4))
    env.reset()
    for _ in range(2):
        _, _, terms, truncs, _ = env.step({a: NOTHING for a in env.agents})
    assert truncs == {"group_1_agent_0": True, "group_1_agent_1": True} and not any(terms.values())
    assert env.agents == []
    with pytest.raises(ResetNeeded):
        env.step({})
    env.reset()
    assert env.agents == env.possible_agents


def test_action_masks_env_parameters_and_bad_actions():
    """Discrete tasks put masks in infos; env parameters pass through reset; bad actions name the agent."""
    env = SimParallelEnv("Basic", num_agents=2)
    _, infos = env.reset(options={"env_parameters": {}})
    assert infos["agent_0"]["action_mask"].tolist() == [1, 1, 1]
    with pytest.raises(InvalidAction, match="agent_1"):
        env.step({"agent_0": 1, "agent_1": 3})
    with pytest.raises(InvalidAction, match="missing"):
        env.step({"agent_0": 1})
    pb = SimParallelEnv("PushBlock", num_agents=1)
    pb.reset()
    with pytest.raises(SpecError, match="block_scale"):
        pb.reset(options={"env_parameters": {"block_scale": 100.0}})
    with pytest.warns(UserWarning, match="not used"):
        pb.reset(options={"colour": 1})
    ball = SimParallelEnv("3DBall", num_agents=1)
    ball.reset()
    with pytest.raises(InvalidAction, match="agent_0"):
        ball.step({"agent_0": np.zeros(3)})
    with pytest.raises(SpecError, match="render_mode"):
        SimParallelEnv("Basic", render_mode="human")


def test_render_returns_a_frame():
    """render() gives an RGB frame in rgb_array mode."""
    env = SimParallelEnv(make("3DBall", num_agents=1), render_mode="rgb_array")
    env.reset(seed=0)
    frame = env.render()
    assert frame.ndim == 3 and frame.shape[2] == 3


def test_missing_extra_names_it(monkeypatch):
    """Without pettingzoo the module raises MissingExtraError naming the 'multiagent' extra."""
    monkeypatch.setitem(sys.modules, "pettingzoo", None)
    monkeypatch.delitem(sys.modules, "mlops_unity_pipeline.sim.pettingzoo_env", raising=False)
    with pytest.raises(MissingExtraError, match=r"mlops_unity_pipeline\[multiagent\]"):
        importlib.import_module("mlops_unity_pipeline.sim.pettingzoo_env")


def test_example_trains_a_shared_policy_to_basics_optimum(capsys):
    """examples/pettingzoo_shared_policy.py learns Basic's optimum (0.93 per agent) in 40 episodes."""
    example = runpy.run_path(str(REPO_ROOT / "examples" / "pettingzoo_shared_policy.py"))
    history = example["main"](["--task", "Basic", "--num-agents", "3", "--episodes", "40"])
    assert history[0] < 0.5 and np.mean(history[-5:]) >= 0.9
    assert "mean return per agent" in capsys.readouterr().out
