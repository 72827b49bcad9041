"""Following as a world: a guide actor (patrolling or fleeing) and a ``near`` reward, read by meaning."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.behavior.world_checks import CheckStatus, sanity_check
from mlops_unity_pipeline.behavior.world_rules import compose_world, interpret_world, perceived_tags
from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.sim.world_heuristic import world_heuristic
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world.model import ActorBehavior, EndKind, EntityKind, EventKind


def _world(description: str):
    return compose_world({"asset_id": "f", "name": "Follow", "description": description})


def _near(world):
    return [r for r in world.rewards if r.event is EventKind.NEAR]


@pytest.mark.parametrize(
    ("description", "tag"),
    [
        ("Follow the guide robot and stay close behind it without bumping into it.", "robot"),
        ("Stay close to the patrol drone.", "drone"),
        ("Escort the old man around the park.", "man"),
        ("Keep up with the leader while avoiding the lava.", "leader"),
        ("Shadow the security guard at a short distance.", "guard"),
        ("Stay close to the dog; the dog wanders around the yard.", "dog"),
    ],
)
def test_following_phrasings_become_a_patrolling_guide_and_a_near_reward(description, tag):
    """Ways of saying 'keep close to a moving thing' all give a patroller and a near reward on it."""
    world = _world(description)
    guide = next(e for e in world.entities if e.tag == tag)
    assert guide.kind is EntityKind.ACTOR and guide.actor.behavior is ActorBehavior.PATROLLER
    assert len(guide.actor.waypoints) >= 2 and guide.actor.speed < world.agent.movement.speed
    (near,) = _near(world)
    assert near.what == tag and near.value > 0 and near.within == 3.0 and near.end is EndKind.NONE
    assert tag in perceived_tags(world)


def test_a_fleeing_thing_to_keep_close_to_is_an_evader_and_the_distance_is_read():
    """'Follow the fleeing deer and stay within 4 meters of it': an evader, near within 4."""
    world = _world("Follow the fleeing deer and stay within 4 meters of it.")
    (deer,) = world.entities
    assert deer.actor.behavior is ActorBehavior.EVADER
    assert _near(world)[0].within == 4.0
    assert not any(r.event is EventKind.REACH for r in world.rewards)  # keep close, not catch


def test_staying_near_a_thing_said_not_to_move_keeps_it_still():
    """'Stay near the campfire' is a near reward on a target, not a patrolling campfire."""
    world = _world("Stay near the campfire.")
    (fire,) = world.entities
    assert fire.kind is EntityKind.TARGET and fire.actor is None
    assert _near(world)[0].what == "campfire"


def test_bumping_into_the_guide_is_a_mild_penalty_not_a_hazard_that_ends_the_episode():
    """'without bumping into it' costs a little per step of contact; the guide is not also made a hazard."""
    world = _world("Follow the guide robot and stay close behind it without bumping into it.")
    touches = [r for r in world.rewards if r.event is EventKind.TOUCH]
    assert [(r.what, r.value, r.end) for r in touches] == [("robot", -0.01, EndKind.NONE)]
    assert [e.tag for e in world.entities] == ["robot"]
    plain = _world("Follow the guide robot.")
    assert not any(r.event is EventKind.TOUCH for r in plain.rewards)


@pytest.mark.parametrize(
    "description",
    ["Follow the path to the goal.", "Follow the signs to the exit.", "Follow the road to the flag."],
)
def test_following_a_route_is_a_reach_task_not_a_guide(description):
    """A route ('the path', 'the signs') is not a moving thing: no actor, no near reward, a reach reward."""
    world = _world(description)
    assert not _near(world) and not any(e.kind is EntityKind.ACTOR for e in world.entities)
    assert any(r.event is EventKind.REACH and r.success for r in world.rewards)


@pytest.mark.parametrize(
    ("description", "missing"),
    [
        ("Follow the sound of the bell.", "hearing or smell"),
        ("Find the food by smell.", "hearing or smell"),
        ("Imitate the teacher's movements.", "imitating"),
        ("Stay close to it.", "a behavior"),
    ],
)
def test_what_following_cannot_express_is_still_refused(description, missing):
    """Senses the agent lacks, copying motions and a pronoun with nothing named stay honest refusals."""
    result = interpret_world({"asset_id": "f", "name": "F", "description": description})
    assert result.world is None and missing in result.refusal.message


def test_explain_records_the_follow_concept_and_its_approximation():
    """The explain records say which words became the guide and that 'behind' is approximated."""
    result = interpret_world(
        {"asset_id": "f", "name": "F", "description": "Follow the guide robot and stay close behind it."}
    )
    follow = next(r for r in result.records if r.concept == "follow")
    assert follow.source == "follow the guide robot" and "near robot within 3" in follow.part
    assert "behind" in follow.note


def test_the_follow_world_passes_its_sanity_checks_and_the_heuristic_earns_what_idling_does_not(monkeypatch):
    """Sanity checks pass; the heuristic keeps close for most of the bonus, standing still next to none."""
    monkeypatch.setenv("MLOPS_SIM_NUMBA", "0")
    world = _world("Follow the guide robot and stay close behind it without bumping into it.")
    report = sanity_check(world)
    assert all(c.status is not CheckStatus.FAILED for c in report.checks), [c.line() for c in report.checks]
    returns = {}
    for policy in ("heuristic", "still"):
        env = make_world(world, num_agents=8, seed=3)
        heuristic = world_heuristic(env)
        batch, total = env.reset(), np.zeros(8)
        for _ in range(500):  # one full episode: 2500 steps, a decision every 5
            actions = (
                heuristic(batch)
                if policy == "heuristic"
                else ActionTuple(np.zeros((8, 2), np.float32), np.zeros((8, 0), np.int32))
            )
            batch = env.step(actions)
            total += batch.reward
        returns[policy] = float(total.mean())
    assert returns["heuristic"] > 0.6 and returns["still"] < 0.1, returns
