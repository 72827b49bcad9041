"""The world heuristic walks around hazard tiles without creeping into them."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.behavior.world_rules import compose_world
from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.sim import world_heuristic as heuristic_module
from mlops_unity_pipeline.sim.world_heuristic import world_heuristic

LAVA = "Reach the goal without stepping on the lava tiles."


@pytest.fixture(autouse=True)
def _numpy_simulator(monkeypatch):
    """Run on the NumPy reference path (no numba compile in unit tests)."""
    monkeypatch.setenv("MLOPS_SIM_NUMBA", "0")


def _win_rate(world, decisions: int = 300, areas: int = 16) -> float:
    env = make_world(world, num_agents=areas, seed=7)
    heuristic = world_heuristic(env)
    batch, ended, won = env.reset(), 0, 0
    for _ in range(decisions):
        batch = env.step(heuristic(batch))
        ended += int((batch.terminated | batch.truncated).sum())
        won += int(batch.success.sum())
    return won / max(ended, 1)


def test_lava_walker_heuristic_wins_nine_in_ten_and_the_uncut_bend_does_not(monkeypatch):
    """With the closing motion cut LavaWalker wins >= 85 %; the tangent bend alone (the control) far less."""
    world = compose_world({"asset_id": "l", "name": "LavaWalker", "description": LAVA})
    cut = _win_rate(world)
    assert cut >= 0.85, cut

    monkeypatch.setattr(heuristic_module, "CLOSING_CUT", 0.0)
    uncut = _win_rate(world)
    assert uncut < cut - 0.08, (uncut, cut)
