"""The world heuristic plays teams: BuddyPushers' two members push the heavy crate home together."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.behavior.world_checks import CheckStatus, sanity_check
from mlops_unity_pipeline.behavior.world_rules import compose_world
from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.sim.world_heuristic import heuristic_plan, world_heuristic
from mlops_unity_pipeline.spaces import ActionTuple

BUDDIES = "Two robots must work together to push a heavy crate onto the target pad; one alone is too weak."


@pytest.fixture(autouse=True)
def _numpy_simulator(monkeypatch):
    """Run on the NumPy reference path (no numba compile in unit tests)."""
    monkeypatch.setenv("MLOPS_SIM_NUMBA", "0")


@pytest.fixture(scope="module")
def buddies():
    """The rules world of the dev set's BuddyPushers: two agents in one group, a heavy crate."""
    return compose_world({"asset_id": "b", "name": "BuddyPushers", "description": BUDDIES})


def _group_wins(world, mode: str, decisions: int = 400, areas: int = 4) -> int:
    """Episodes the first member's group won: both members scripted, the second idle, or random moves."""
    env = make_world(world, num_agents=areas, seed=5)
    heuristic, rng = world_heuristic(env), np.random.default_rng(0)
    batch, won = env.reset(), 0
    for _ in range(decisions):
        actions = heuristic(batch)
        moves = actions.continuous.copy()
        if mode == "one idle":
            moves[1::2] = 0.0
        elif mode == "random":
            moves = rng.uniform(-1.0, 1.0, moves.shape).astype(np.float32)
        batch = env.step(ActionTuple(moves, actions.discrete))
        won += int(batch.success[::2].sum())
    return won


def test_the_plan_scripts_teams(buddies):
    """A world with a group of two is played, not listed as unscripted."""
    assert buddies.agent.count == 2
    assert heuristic_plan(buddies).unscripted == ()


def test_both_members_pushing_win_more_than_one_alone_and_random_wins_next_to_none(buddies):
    """Two pushers beat one pusher with an idle teammate (negative control) by far; random barely scores."""
    together = _group_wins(buddies, "both")
    alone = _group_wins(buddies, "one idle")
    random = _group_wins(buddies, "random")
    assert together >= 1.3 * alone and together >= 20, (together, alone)
    assert random <= together / 5, (random, together)


def test_heuristic_reach_now_judges_the_team_world(buddies):
    """The reachability check measures BuddyPushers (no longer skipped for teams) and passes."""
    check = sanity_check(buddies).by_name("heuristic_reach")
    assert check.status is CheckStatus.PASSED and "success in" in check.detail, check.line()
