"""Semantic checks of scripted actors and the near event: each bad field is refused by its path."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.world import world_from_dict


def _with_actor(world_data, actor: dict) -> dict:
    world_data["entities"].append({"name": "bot", "kind": "actor", "tag": "bot", "actor": actor})
    return world_data


def test_patroller_waypoints_must_lie_inside_the_arena(world_data):
    """A waypoint outside the walls is refused with its index."""
    _with_actor(world_data, {"behavior": "patroller", "waypoints": [[0, 0], [9, 0]]})
    with pytest.raises(SpecError, match=r"entities\[3\]\.actor\.waypoints\[1\]: \(9\.0, 0\.0\) lies outside"):
        world_from_dict(world_data)


def test_waypoints_belong_to_patrollers_only(world_data):
    """A chaser given waypoints is refused (the setting would be ignored)."""
    _with_actor(world_data, {"behavior": "chaser", "waypoints": [[0, 0], [1, 0]]})
    with pytest.raises(SpecError, match=r"entities\[3\]\.actor\.waypoints: only a patroller"):
        world_from_dict(world_data)


def test_a_patroller_follows_no_tag(world_data):
    """follows on a patroller is refused (it would be ignored)."""
    _with_actor(world_data, {"behavior": "patroller", "follows": "target", "waypoints": [[0, 0], [1, 0]]})
    with pytest.raises(SpecError, match=r"entities\[3\]\.actor\.follows: a patroller follows its waypoints"):
        world_from_dict(world_data)


def test_an_actor_follows_the_agent_or_another_entity(world_data):
    """follows must tag something that can move or be chased: the agent or another entity, not a region."""
    _with_actor(world_data, {"behavior": "chaser", "follows": "pad"})
    with pytest.raises(SpecError, match=r"entities\[3\]\.actor\.follows: 'pad' tags neither the agent"):
        world_from_dict(world_data)
    world_data["entities"][3]["actor"]["follows"] = "target"
    assert world_from_dict(world_data).entities[3].actor.follows == "target"


def test_near_needs_within_and_within_needs_near(world_data):
    """A near event without ``within`` and a reach event with one are both refused."""
    _with_actor(world_data, {"behavior": "patroller", "waypoints": [[0, 0], [1, 0]]})
    world_data["rewards"].append({"event": "near", "what": "bot", "value": 1.0})
    with pytest.raises(SpecError, match=r"rewards\[\d\]\.within: required for near and only for it"):
        world_from_dict(world_data)
    world_data["rewards"][-1]["within"] = 2.0
    world_data["rewards"][0]["within"] = 2.0
    with pytest.raises(SpecError, match=r"rewards\[0\]\.within: required for near and only for it"):
        world_from_dict(world_data)


def test_near_is_about_an_entity_and_spread_over_max_step(world_data):
    """near on a region tag, or with max_step 0, is refused."""
    world_data["rewards"].append({"event": "near", "what": "pad", "value": 1.0, "within": 2.0})
    with pytest.raises(SpecError, match=r"rewards\[\d\]\.what: near needs an entity tagged 'pad'"):
        world_from_dict(world_data)
    world_data["rewards"] = [world_data["rewards"][0], {**world_data["rewards"][-1], "what": "target"}]
    world_data["max_step"] = 0
    with pytest.raises(SpecError, match=r"near is spread over max_step, which is 0"):
        world_from_dict(world_data)
