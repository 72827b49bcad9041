"""The world heuristic drives a velocity-change body at a cruise speed instead of full moves."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.behavior.world_rules import compose_world
from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.sim import world_heuristic as heuristic_module
from mlops_unity_pipeline.sim.world_heuristic import CRUISE_SPEED, cruise_throttle, world_heuristic

PUSHER = "Push the box into the highlighted goal area at the end of the room."


@pytest.fixture(autouse=True)
def _numpy_simulator(monkeypatch):
    """Run on the NumPy reference path (no numba compile in unit tests)."""
    monkeypatch.setenv("MLOPS_SIM_NUMBA", "0")


def _world(description: str):
    return compose_world({"asset_id": "c", "name": "Cruise", "description": description})


def test_the_cruise_throttle_holds_a_velocity_change_body_at_the_cruise_speed():
    """GoalPusher's body (3 per step, drag 4) settles at CRUISE_SPEED; set-velocity and slow bodies keep 1."""
    pusher = _world(PUSHER)
    fraction = cruise_throttle(pusher, 0.02)
    speed, keep = pusher.agent.movement.speed * fraction, 1.0 - pusher.agent.body.drag * 0.02
    assert speed * keep / (1.0 - keep) == pytest.approx(CRUISE_SPEED)
    assert 0.2 < fraction < 0.5
    assert cruise_throttle(_world("Reach the goal without stepping on the lava tiles."), 0.02) == 1.0
    assert cruise_throttle(_world("Jump over the wall to reach the target on the other side."), 0.02) == 1.0


def _episodes(world, decisions: int = 300, areas: int = 8) -> tuple[int, int]:
    env = make_world(world, num_agents=areas, seed=4)
    heuristic = world_heuristic(env)
    batch, ended, won = env.reset(), 0, 0
    for _ in range(decisions):
        batch = env.step(heuristic(batch))
        ended += int((batch.terminated | batch.truncated).sum())
        won += int(batch.success.sum())
    return ended, won


def test_cruising_pushes_the_box_home_in_short_episodes_where_full_moves_dawdle(monkeypatch):
    """At the cruise every GoalPusher episode is won within ~40 decisions; full moves win far fewer."""
    world = _world(PUSHER)
    ended, won = _episodes(world)
    assert won == ended and ended >= 8 * 300 / 40
    monkeypatch.setattr(heuristic_module, "CRUISE_SPEED", 1e9)  # negative control: full moves
    full_ended, full_won = _episodes(world)
    assert full_won < won / 2, (full_won, won)
