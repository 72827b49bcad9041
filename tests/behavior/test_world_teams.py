"""Team worlds in a job: the behavior steps whole teams and the heuristic's demonstrations record one."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.behavior.world_behavior import WorldBehavior
from mlops_unity_pipeline.behavior.world_training import record_heuristic_demo
from mlops_unity_pipeline.demos.reader import read_demo

from .test_world_rules import dev_world


@pytest.fixture(autouse=True)
def _numpy_simulator(monkeypatch):
    """Run on the NumPy reference path (no numba compile in unit tests)."""
    monkeypatch.setenv("MLOPS_SIM_NUMBA", "0")


def test_a_team_behavior_makes_whole_areas():
    """make_env(n) of BuddyPushers (two per group) gives n areas of two agents; a lone agent never."""
    behavior = WorldBehavior(dev_world("BuddyPushers"))
    one, three = behavior.make_env(1, seed=0), behavior.make_env(3, seed=0)
    assert (one.num_agents, one.num_areas) == (2, 1)
    assert (three.num_agents, three.num_areas) == (6, 3)
    solo = WorldBehavior(dev_world("GoalPusher")).make_env(3, seed=0)
    assert solo.num_agents == solo.num_areas == 3


def test_a_team_worlds_heuristic_is_recorded_from_one_whole_area(tmp_path):
    """BuddyPushers' demonstrations: both members scripted, the first recorded; the pushes score."""
    path = record_heuristic_demo(dev_world("BuddyPushers"), tmp_path / "Buddy.demo", episodes=2, seed=0)
    finals = [step for step in read_demo(path).steps if step.done]
    assert len(finals) == 2 and all(step.group_reward > 1.0 for step in finals)  # the group's +5
