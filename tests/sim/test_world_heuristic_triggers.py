"""Tests of the scripted heuristic in worlds with switches and doors, and with a cue to match."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mlops_unity_pipeline.behavior.world_checks import CheckStatus, rollout, sanity_check
from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.sim import world_heuristic as wh
from mlops_unity_pipeline.world.model import EntityKind

from ..behavior.test_world_rules import dev_world

ROLL = {"decisions": 240, "areas": 8, "seed": 3}
"""Rollouts long enough for a few episodes per area (NumPy path)."""


@pytest.fixture(autouse=True)
def _numpy_simulator(monkeypatch):
    """Run the rollouts on the NumPy reference path (no numba compile in unit tests)."""
    monkeypatch.setenv("MLOPS_SIM_NUMBA", "0")


def _without(monkeypatch, **fields):
    """Make the heuristic's plan forget a feature (the negative control of a test)."""
    plan = wh.heuristic_plan
    monkeypatch.setattr(wh, "heuristic_plan", lambda world: replace(plan(world), **fields))


def test_the_plan_turns_switches_on_and_matches_cues():
    """SwitchOpener's plate is a switch to seek; SignReader's pillars are matched against the sign."""
    switch = wh.heuristic_plan(dev_world("SwitchOpener"))
    assert switch.switches == ("plate",) and switch.reach == ("flag",) and not switch.unscripted
    cue = wh.heuristic_plan(dev_world("SignReader"))
    assert cue.matched == ("pillar",) and cue.reach == ("pillar",) and not cue.unscripted


def test_a_cue_without_a_target_for_each_value_is_unscripted():
    """A cue value no target matches cannot be played: the plan names the cue instead of guessing."""
    world = dev_world("SignReader")
    entities = tuple(
        replace(e, cue_values=(*e.cue_values, "blue")) if e.kind is EntityKind.CUE else e
        for e in world.entities
    )
    plan = wh.heuristic_plan(replace(world, entities=entities))
    assert "a cue to remember and match" in plan.unscripted and plan.matched == ()


def test_the_heuristic_opens_the_door_and_reaches_the_flag(monkeypatch):
    """With the switch it succeeds in nearly every episode; forgetting it, never (the door stays shut)."""
    world = dev_world("SwitchOpener")
    scripted = rollout(world, "heuristic", **ROLL)
    assert scripted.episodes >= 16 and scripted.success_rate >= 0.9, scripted
    _without(monkeypatch, switches=())
    blind = rollout(world, "heuristic", **ROLL)
    assert blind.episodes == 0 or blind.success_rate == 0.0, blind


def test_the_heuristic_reads_the_cue_and_picks_the_matching_pillar(monkeypatch):
    """Reading the cue it picks the right pillar every time; ignoring it, about half the time."""
    world = dev_world("SignReader")
    scripted = rollout(world, "heuristic", **ROLL)
    assert scripted.episodes >= 16 and scripted.success_rate == 1.0, scripted
    _without(monkeypatch, matched=())
    guessing = rollout(world, "heuristic", **ROLL)
    assert guessing.episodes >= 16 and 0.2 <= guessing.success_rate <= 0.8, guessing


def test_the_plate_comes_first_and_an_open_door_is_passed_through_its_doorway():
    """Shut door: head for the plate. Open door between agent and flag: head for the doorway, not the flag."""
    env = make_world(dev_world("SwitchOpener"), num_agents=2, seed=0)
    try:
        env.reset(seed=0)
        controller = wh.world_heuristic(env)
        p = env.agent_position[:, 0::2].copy()
        plate = controller._nearest(("plate",), p)[0]
        assert (((plate - p) * controller._desired()).sum(axis=1) > 0).all()
        # the plate pressed: the gate (x 0, z 2, 3 wide) is open; the agent stands below the right divider
        env.switch_on[:, controller.switch_copies] = True
        env.entity_active[:, controller.door_copies] = False
        env.agent_position[:, 0], env.agent_position[:, 2] = 6.0, 0.5
        desired = controller._desired()
        assert (desired[:, 0] < -0.8).all(), desired  # toward the doorway at x 0, along the wall
        env.agent_position[:, 0] = 0.2  # lined up with the opening: straight through it
        desired = controller._desired()
        assert (desired[:, 1] > 0.9).all(), desired
    finally:
        env.close()


def test_switch_and_cue_worlds_pass_the_reachability_check():
    """The reachability check judges these worlds by the heuristic now (passed, not skipped)."""
    for name in ("SwitchOpener", "SignReader"):
        check = sanity_check(dev_world(name), decisions=160, areas=8).by_name("heuristic_reach")
        assert check.status is CheckStatus.PASSED, check.line()


def test_the_heuristic_jumps_the_wall_and_never_passes_without_jumping(monkeypatch):
    """WallHopper: jumping the low wall it reaches the target every time; not jumping, never."""
    world = dev_world("WallHopper")
    assert wh.heuristic_plan(world).jump_over == ("low_wall",)
    scripted = rollout(world, "heuristic", **ROLL)
    assert scripted.episodes >= 16 and scripted.success_rate == 1.0, scripted
    _without(monkeypatch, jump_over=())
    grounded = rollout(world, "heuristic", **ROLL)
    assert grounded.episodes == 0 or grounded.success_rate == 0.0, grounded


def test_a_wall_too_high_to_jump_is_not_planned_as_a_jump():
    """An obstacle above the jump's reach (or an agent without gravity) gets no jump in the plan."""
    world = dev_world("WallHopper")
    tall = tuple(replace(e, size=(e.size[0], 4.0, e.size[2])) for e in world.entities)
    assert wh.heuristic_plan(replace(world, entities=tall)).jump_over == ()
    assert "jumping" in wh.heuristic_plan(replace(world, entities=tall)).unscripted
