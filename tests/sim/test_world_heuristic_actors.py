"""The world heuristic with scripted actors: it flees chasers, runs down evaders and follows a guide."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mlops_unity_pipeline.behavior.world_checks import CheckStatus, sanity_check
from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.sim.world_heuristic import heuristic_plan, world_heuristic
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import world_from_dict

_AGENT = {
    "name": "Player",
    "movement": {"motion": "set_velocity", "speed": 5.0},
    "yaw": 0,
    "actions": {"continuous": ["move_x", "move_z"]},
}


def _world(name: str, actor: dict, rewards: list, sensor_tag: str, **entity) -> dict:
    return {
        "name": name,
        "arena": {"size": [16, 16]},
        "entities": [{"name": sensor_tag, "kind": "actor", "tag": sensor_tag, "actor": actor, **entity}],
        "agent": {
            **copy.deepcopy(_AGENT),
            "sensors": [
                {
                    "kind": "vector",
                    "name": "VectorSensor",
                    "items": [{"item": "direction_to", "of": sensor_tag}],
                }
            ],
        },
        "rewards": rewards,
        "max_step": 1000,
    }


DODGER = _world(
    "Dodger",
    {"behavior": "chaser", "speed": 3.0},
    [
        {"event": "touch", "what": "hunter", "value": -1.0, "end": "terminated"},
        {"event": "time_penalty", "value": 1.0},
    ],
    "hunter",
)
TAGGER = _world(
    "Tagger",
    {"behavior": "evader", "speed": 3.0},
    [
        {"event": "reach", "what": "rabbit", "value": 1.0, "end": "terminated", "success": True},
        {"event": "time_penalty", "value": -1.0},
    ],
    "rabbit",
)
FOLLOWER = _world(
    "Follower",
    {"behavior": "patroller", "speed": 1.5, "waypoints": [[-5, 5], [5, 5], [5, -5], [-5, -5]]},
    [
        {"event": "near", "what": "guide", "within": 3.0, "value": 1.0},
        {"event": "touch", "what": "guide", "value": -0.01},
    ],
    "guide",
    spawn={"at": [-5, -5]},
)


@pytest.fixture(autouse=True)
def _numpy_simulator(monkeypatch):
    """Run on the NumPy reference path (no numba compile in unit tests)."""
    monkeypatch.setenv("MLOPS_SIM_NUMBA", "0")


def _play(data: dict, policy: str, areas: int = 16, decisions: int = 220) -> tuple[float, float]:
    """Return (mean return of the finished episodes, success rate) under the heuristic or standing still."""
    env = make_world(world_from_dict(data), num_agents=areas, seed=2)
    heuristic = world_heuristic(env)
    batch = env.reset()
    total, returns, successes = np.zeros(areas), [], 0
    for _ in range(decisions):
        if policy == "heuristic":
            actions = heuristic(batch)
        else:
            actions = ActionTuple(np.zeros((areas, 2), np.float32), np.zeros((areas, 0), np.int32))
        batch = env.step(actions)
        total += batch.reward
        for i in np.flatnonzero(batch.terminated | batch.truncated):
            returns.append(total[i])
            total[i] = 0.0
        successes += int(batch.success.sum())
    return float(np.mean(returns)), successes / max(len(returns), 1)


def test_the_plan_flees_chasers_and_follows_guides():
    """A hurting chaser is fled, a near reward's tag is followed; neither world is left unscripted."""
    dodger = heuristic_plan(world_from_dict(DODGER))
    assert dodger.flee == ("hunter",) and not dodger.unscripted
    follower = heuristic_plan(world_from_dict(FOLLOWER))
    assert follower.follow == (("guide", 3.0),) and not follower.unscripted
    tagger = heuristic_plan(world_from_dict(TAGGER))
    assert tagger.reach == ("rabbit",) and not tagger.flee


def test_fleeing_survives_where_standing_still_is_caught():
    """Dodger: the heuristic outruns the chaser to MaxStep (+1); standing still is caught (about -1)."""
    fled, _ = _play(DODGER, "heuristic")
    still, _ = _play(DODGER, "still")
    assert fled > 0.9 and still < -0.5


def test_pursuit_tags_the_evader_where_standing_still_never_does():
    """Tagger: the faster agent runs the rabbit down in most episodes; standing still never tags it."""
    _, chased = _play(TAGGER, "heuristic")
    _, still = _play(TAGGER, "still")
    assert chased > 0.9 and still == 0.0


def test_following_stays_near_the_guide_where_standing_still_does_not():
    """Follower: staying behind the guide earns most of the near bonus; standing still earns next to none."""
    followed, _ = _play(FOLLOWER, "heuristic")
    still, _ = _play(FOLLOWER, "still")
    assert followed > 0.7 and still < 0.2


@pytest.mark.parametrize("data", [DODGER, TAGGER, FOLLOWER], ids=["Dodger", "Tagger", "Follower"])
def test_the_reachability_check_plays_actor_worlds(data):
    """heuristic_reach runs (no longer skipped) and passes on each actor world."""
    report = sanity_check(world_from_dict(data), decisions=120, areas=8)
    check = report.by_name("heuristic_reach")
    assert check.status is CheckStatus.PASSED, check.line()


def test_two_agents_per_area_each_flee_their_areas_chaser():
    """Dodger with two agents per area: each agent flees the chaser of its own area and outlasts standing."""
    data = copy.deepcopy(DODGER)
    data["agent"]["count"] = 2
    data["agent"]["spawn"] = {}
    fled, _ = _play(data, "heuristic")
    still, _ = _play(data, "still")
    assert fled > 0.5 and still < -0.5
