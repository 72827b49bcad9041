"""Tests of the sanity checks: sound worlds pass; farmable, blind or mis-sized worlds fail with a fix."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mlops_unity_pipeline.behavior.world_checks import CheckStatus, sanity_check
from mlops_unity_pipeline.behavior.world_rules import compose_world
from mlops_unity_pipeline.world.model import (
    EndKind,
    EventKind,
    RewardEvent,
    VectorItem,
    VectorItemKind,
    VectorSensor,
)

SMALL = {"decisions": 120, "areas": 8}
"""Short rollouts: the NumPy path, about a second each."""


@pytest.fixture(autouse=True)
def _numpy_simulator(monkeypatch):
    """Run the measured checks on the NumPy reference path (no numba compile in unit tests)."""
    monkeypatch.setenv("MLOPS_SIM_NUMBA", "0")


def _lava():
    return compose_world(
        {"asset_id": "l", "name": "Lava", "description": "Reach the goal without stepping on the lava tiles."}
    )


def test_a_sound_world_passes_every_check_with_measured_figures():
    """The LavaWalker world: rewards fire, tags perceived, sizes agree, idling loses, random rarely wins."""
    report = sanity_check(_lava(), **SMALL)
    assert report.passed, [c.line() for c in report.checks]
    assert [c.name for c in report.checks] == [
        "rewards_fire",
        "perception",
        "sizes",
        "idle_farming",
        "random_rollout",
        "heuristic_reach",
    ]
    assert all(c.status is CheckStatus.PASSED for c in report.checks)
    assert "random policy:" in report.by_name("random_rollout").detail


def test_a_reward_that_pays_every_step_without_ending_is_caught_statically_and_measured():
    """A positive reach that never ends the episode farms reward: the static and the rollout check fail."""
    world = _lava()
    rewards = tuple(
        replace(r, end=EndKind.NONE, success=False, value=1.0) if r.event is EventKind.REACH else r
        for r in world.rewards
    )
    report = sanity_check(replace(world, rewards=rewards), **SMALL)
    assert report.by_name("rewards_fire").status is CheckStatus.FAILED
    assert "end: terminated" in report.by_name("rewards_fire").fix
    rollout = report.by_name("random_rollout")
    assert rollout.status is CheckStatus.FAILED and "looping farms it" in rollout.detail


def test_a_survival_bonus_without_a_threat_is_idle_farming():
    """A positive time reward where nothing can end the episode badly pays an idle agent: fails with a fix."""
    world = _lava()
    rewards = tuple(r for r in world.rewards if r.event is not EventKind.TOUCH) + (
        RewardEvent(EventKind.TIME_PENALTY, 1.0),
    )
    rewards = tuple(r for r in rewards if not (r.event is EventKind.TIME_PENALTY and r.value < 0))
    report = sanity_check(replace(world, rewards=rewards), **SMALL)
    idle = report.by_name("idle_farming")
    assert idle.status is CheckStatus.FAILED and "doing nothing pays" in idle.detail and idle.fix


def test_a_reward_on_something_no_sensor_perceives_fails_perception():
    """Velocity alone cannot sense the lava a reward depends on: the perception check names the tag."""
    world = _lava()
    blind = replace(
        world,
        agent=replace(world.agent, sensors=(VectorSensor("V", (VectorItem(VectorItemKind.VELOCITY),)),)),
    )
    check = sanity_check(blind, **SMALL).by_name("perception")
    assert check.status is CheckStatus.FAILED and "'lava'" in check.detail and "direction_to" in check.fix


def test_sizes_compare_the_asset_spaces_with_the_world():
    """An observation_space total or action_space that differs from the world's sensors/actions fails."""
    world = _lava()
    assert sanity_check(world, observation_space={"velocity": 2, "goal": 4}, **SMALL).by_name(
        "sizes"
    ).status is (CheckStatus.PASSED)
    wrong_obs = sanity_check(world, observation_space={"velocity": 2}, **SMALL).by_name("sizes")
    wrong_act = sanity_check(world, action_space={"type": "discrete", "branches": [5]}, **SMALL).by_name(
        "sizes"
    )
    assert wrong_obs.status is CheckStatus.FAILED and "6" in wrong_obs.detail
    assert wrong_act.status is CheckStatus.FAILED


def test_worlds_the_simulator_does_not_run_skip_the_measured_checks_with_the_reason():
    """A world with a turned actor is checked statically; its rollouts are skipped naming the feature."""
    world = compose_world(
        {
            "asset_id": "d",
            "name": "Dodger",
            "description": "Survive while a wolf chases you around the arena.",
        }
    )
    world = replace(world, entities=(replace(world.entities[0], yaw=45.0),))
    report = sanity_check(world, **SMALL)
    assert report.by_name("rewards_fire").status is CheckStatus.PASSED
    skipped = report.by_name("idle_farming")
    assert skipped.status is CheckStatus.SKIPPED and "actor" in skipped.detail
    assert report.passed


def test_every_simulated_dev_set_world_passes_the_sanity_checks():
    """The dev-set descriptions the simulator runs compose into worlds whose checks pass (no farming)."""
    from .test_world_rules import CASES, _asset

    simulated = [name for name, (_, _, expected) in CASES.items() if expected[0] == "world" and expected[3]]
    assert len(simulated) == 13
    for name in simulated:
        description, extra, _ = CASES[name]
        world = compose_world(_asset(name, description, **extra))
        report = sanity_check(
            world,
            observation_space=extra.get("observation_space"),
            action_space=extra.get("action_space"),
            **SMALL,
        )
        assert report.passed, (name, [c.line() for c in report.checks])
        # the generated heuristic plays every one of them but teams (BuddyPushers: two agents in one group):
        # its reachability check says so
        unplayed = {"BuddyPushers"}
        for check in report.checks:
            allowed = {CheckStatus.PASSED, CheckStatus.SKIPPED} if name in unplayed else {CheckStatus.PASSED}
            assert check.status in allowed, (name, check.line())
            if check.status is CheckStatus.SKIPPED:
                assert check.name == "heuristic_reach" and "does not play" in check.line(), check.line()
