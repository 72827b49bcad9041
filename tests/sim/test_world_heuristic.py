"""Tests of the scripted heuristic generated from a world's IR: its plan, its play, the reachability check."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mlops_unity_pipeline.behavior.world_checks import CheckStatus, rollout, sanity_check
from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.sim.heuristics import heuristic_policy
from mlops_unity_pipeline.sim.world_heuristic import heuristic_plan, world_heuristic

from ..behavior.test_world_rules import dev_world

SMALL = {"decisions": 120, "areas": 8}
"""Short rollouts on the NumPy path."""


@pytest.fixture(autouse=True)
def _numpy_simulator(monkeypatch):
    """Run the rollouts on the NumPy reference path (no numba compile in unit tests)."""
    monkeypatch.setenv("MLOPS_SIM_NUMBA", "0")


def test_the_plan_reads_what_to_seek_push_and_avoid_from_the_rewards():
    """Apples are collected and rotten ones avoided; the box is pushed into the goal; lava is avoided."""
    apples = heuristic_plan(dev_world("AppleCollector"))
    assert "apple" in apples.collect and "rotten_apple" in apples.avoid and not apples.unscripted
    pusher = heuristic_plan(dev_world("GoalPusher"))
    assert pusher.push and pusher.push[0][0] == "box" and not pusher.unscripted
    lava = heuristic_plan(dev_world("LavaWalker"))
    assert lava.reach == ("goal",) and "lava" in lava.avoid


def _edges_world():
    """A world on an open platform (no walls, a fall ends the episode): a feature the heuristic skips."""
    from mlops_unity_pipeline.behavior.world_rules import compose_world

    return compose_world(
        {"asset_id": "e", "name": "Edge", "description": "Reach the goal without falling off the edges."}
    )


def test_features_it_cannot_play_are_named_in_the_plan():
    """Open platforms are listed as unscripted, so no check judges that world by it; mazes (breadth-first
    through their cells: tests/sim/test_world_maze.py), teams (tests/sim/test_world_heuristic_teams.py), cues,
    doors and jumps are played."""
    assert not heuristic_plan(dev_world("MazeRunner")).unscripted
    assert not heuristic_plan(dev_world("BuddyPushers")).unscripted
    assert "an open platform's edges" in heuristic_plan(_edges_world()).unscripted


@pytest.mark.parametrize("name", ["LavaWalker", "GoalPusher", "Parker"])
def test_the_heuristic_succeeds_far_more_often_than_random(name):
    """World-frame moves (LavaWalker, GoalPusher) and driving (Parker): many more successes than random."""
    world = dev_world(name)
    scripted = rollout(world, "heuristic", decisions=240, areas=8, seed=3)
    rand = rollout(world, "random", decisions=240, areas=8, seed=3)
    assert scripted.episodes >= 8 and scripted.success_rate >= 0.6, scripted
    successes = scripted.episodes * scripted.success_rate
    random_successes = rand.episodes * (rand.success_rate if rand.episodes else 0.0)
    assert successes >= 3 * random_successes + 4, (scripted, rand)


def test_a_discrete_collector_takes_every_coin():
    """CoinSweeper's discrete [5] branch: the heuristic collects all six coins per episode, random few."""
    world = dev_world("CoinSweeper")
    scripted = rollout(world, "heuristic", decisions=400, areas=4, seed=1)
    rand = rollout(world, "random", decisions=400, areas=4, seed=1)
    assert scripted.return_per_area >= 5.0 > rand.return_per_area, (scripted, rand)


def test_the_simulator_heuristic_policy_dispatches_worlds():
    """``sim.heuristics.heuristic_policy`` gives a world env its generated controller (the evaluate stage)."""
    env = make_world(dev_world("LavaWalker"), num_agents=2, seed=0)
    try:
        batch = env.reset(seed=0)
        action = heuristic_policy(env)(batch)
        assert action.continuous.shape == (2, 2) and abs(action.continuous).max() == pytest.approx(1.0)
        assert type(world_heuristic(env)) is type(heuristic_policy(env))
    finally:
        env.close()


def test_reachability_passes_with_the_measured_fraction():
    """The sanity check reports the heuristic's success fraction next to random's."""
    report = sanity_check(dev_world("LavaWalker"), **SMALL)
    check = report.by_name("heuristic_reach")
    assert check.status is CheckStatus.PASSED and "heuristic: success in" in check.detail


def test_an_unreachable_goal_fails_naming_it():
    """With a MaxStep too short to get anywhere the goal is unreachable: the check fails naming 'goal'."""
    world = replace(dev_world("LavaWalker"), max_step=10)
    check = sanity_check(world, **SMALL).by_name("heuristic_reach")
    assert check.status is CheckStatus.FAILED
    assert "'goal'" in check.detail and "not reachable" in check.detail and "max_step" in check.fix


def test_unscripted_worlds_skip_the_reachability_check(monkeypatch):
    """A world whose features the heuristic does not play is skipped with those features named."""
    from mlops_unity_pipeline.behavior import world_checks

    monkeypatch.setattr(world_checks, "rollout", lambda *a, **k: pytest.fail("no rollout expected"))
    rand = world_checks.Rollout("random", 8, 0.0, 0.0, 0.0, 120, 8)
    check = world_checks._reachable(_edges_world(), rand, 0, 240)
    assert check.status is CheckStatus.SKIPPED and "open platform" in check.detail
