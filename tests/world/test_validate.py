"""Semantic checks of a world (issue 16 item 7): each rule refuses a bad world with the field path named."""

from __future__ import annotations

import re

import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.world import world_from_dict


def _refused(data, pattern: str) -> None:
    with pytest.raises(SpecError, match=pattern):
        world_from_dict(data)


def test_unknown_detectable_tag(world_data):
    """A ray sensor detecting a tag nothing in the world carries is refused, listing the world's tags."""
    world_data["agent"]["sensors"][0]["detectable_tags"] = ["target", "wal"]
    _refused(
        world_data,
        r"agent\.sensors\[0\]\.detectable_tags\[1\]: unknown tag 'wal' \(tags in this world: .*wall",
    )


def test_unknown_reward_tag(world_data):
    """A reward about an unknown tag is refused."""
    world_data["rewards"][0]["what"] = "flag"
    _refused(world_data, r"rewards\[0\]\.what: unknown tag 'flag'")


def test_sensor_above_everything_sees_nothing(world_data):
    """Rays that pass above every detectable object's top are a sensor that sees nothing."""
    world_data["agent"]["sensors"][0]["start_vertical_offset"] = 5.0
    world_data["agent"]["sensors"][0]["end_vertical_offset"] = 5.0
    _refused(world_data, r"agent\.sensors\[0\]: the rays pass .* the sensor sees nothing")


def test_sensor_grazing_tops_is_accepted(world_data):
    """PushBlock's offset sensor (sphere bottom just below the wall tops) sees the walls: accepted."""
    world_data["agent"]["sensors"][0]["start_vertical_offset"] = 1.5
    world_data["agent"]["sensors"][0]["end_vertical_offset"] = 1.5
    world_from_dict(world_data)


def test_no_sensors(world_data):
    """An agent without sensors is refused."""
    world_data["agent"]["sensors"] = []
    _refused(world_data, r"agent\.sensors: the agent has no sensors")


def test_vector_item_needs_target_tag(world_data):
    """``direction_to`` without ``of`` is refused; ``velocity`` with ``of`` too."""
    world_data["agent"]["sensors"][1]["items"] = [{"item": "direction_to"}]
    _refused(world_data, r"agent\.sensors\[1\]\.items\[0\]\.of: required")
    world_data["agent"]["sensors"][1]["items"] = [{"item": "velocity", "of": "target"}]
    _refused(world_data, r"items\[0\]\.of: velocity is about the agent itself")


def test_collect_reward_without_collectible_never_fires(world_data):
    """A collect reward on a tag no collectible carries can never fire."""
    world_data["rewards"].append({"event": "collect", "what": "target", "value": 1.0})
    _refused(world_data, r"rewards\[2\]\.what: no collectible is tagged 'target': the reward can never fire")


def test_push_into_zone_needs_a_block(world_data):
    """push_into_zone of something that is not a block can never fire."""
    world_data["rewards"].append({"event": "push_into_zone", "what": "target", "into": "pad", "value": 1.0})
    _refused(world_data, r"rewards\[2\]\.what: no block is tagged 'target'")
    world_data["rewards"][2]["what"] = "block"
    world_from_dict(world_data)


def test_fall_in_walled_arena_never_fires(world_data):
    """A fall reward in a walled arena can never fire (its floor catches the agent, raised platforms or not);
    an open platform accepts it."""
    world_data["rewards"].append({"event": "fall", "value": -1.0, "end": "terminated"})
    _refused(world_data, r"rewards\[2\]: the arena is walled: its floor catches the agent")
    world_data["arena"]["regions"].append(
        {"name": "ledge", "kind": "platform", "center": [-3, -3], "size": [2, 2], "height": 1.0}
    )
    _refused(world_data, r"rewards\[2\]: the arena is walled: its floor catches the agent")
    world_data["arena"]["regions"].pop()
    world_data["arena"]["walls"] = None
    world_data["agent"]["sensors"][0]["detectable_tags"] = ["target"]  # no walls to see any more
    world_from_dict(world_data)


def test_wrong_choice_needs_cue_matching_targets(world_data):
    """wrong_choice needs targets that match a cue's value."""
    world_data["rewards"].append(
        {"event": "wrong_choice", "what": "target", "value": -0.1, "end": "terminated"}
    )
    _refused(world_data, r"no target tagged 'target' matches a cue")
    world_data["entities"].append({"name": "sign", "kind": "cue", "cue_values": ["red", "green"]})
    world_data["entities"][0]["matches"] = "red"
    world_from_dict(world_data)


def test_reward_that_does_nothing(world_data):
    """An event with value 0 and no episode end is refused."""
    world_data["rewards"].append({"event": "touch", "what": "wall"})
    _refused(world_data, r"rewards\[2\]: value 0 and end none")


def test_time_penalty_needs_max_step(world_data):
    """time_penalty is spread over MaxStep, so MaxStep 0 is refused."""
    world_data["max_step"] = 0
    _refused(world_data, r"rewards\[1\]: time_penalty is spread over max_step")


def test_episodes_must_end(world_data):
    """Without an ending event and with MaxStep 0 episodes never end."""
    world_data["rewards"] = [{"event": "touch", "what": "wall", "value": -0.1}]
    world_data["max_step"] = 0
    _refused(world_data, r"rewards: no event ends the episode")


def test_group_scope_needs_groups(world_data):
    """A group reward without groups is refused; groups must divide the agent count."""
    world_data["rewards"][0]["scope"] = "group"
    _refused(world_data, r"rewards\[0\]\.scope: 'group' needs groups")
    world_data["groups"] = {"size": 2}
    world_data["agent"]["count"] = 3
    _refused(world_data, r"groups\.size: 2 does not divide agent\.count 3")
    world_data["agent"]["count"] = 4
    world_from_dict(world_data)


def test_unsatisfiable_spawn(world_data):
    """Spawns that cannot all be placed (the goal region covers the spawn area) are refused."""
    world_data["entities"][2]["spawn"] = {"area": [[-1, 3.6], [1, 4.4]]}
    _refused(world_data, r"spawn of crate\[0\]: no free place found in 100% of 64 trial episodes")


def test_crowded_spawn(world_data):
    """Too many copies for the spawn area are refused."""
    world_data["entities"][1]["count"] = 12
    world_data["entities"][1]["spawn"] = {"area": [[-4, -4], [-1, -1]], "clearance": 0.8}
    _refused(world_data, r"spawn of coin\[\d+\]: no free place found")


def test_spawn_outside_arena_and_unknown_region(world_data):
    """A spawn point outside the arena or naming no region is refused."""
    world_data["agent"]["spawn"] = {"at": [7, 0]}
    _refused(world_data, r"agent\.spawn\.at: \(7\.0, 0\.0\) lies outside the arena")
    world_data["agent"]["spawn"] = {"region": "lobby"}
    _refused(world_data, r"agent\.spawn\.region: no region named 'lobby'")


def test_duplicate_names(world_data):
    """Entity names are unique."""
    world_data["entities"][1]["name"] = "goal"
    _refused(world_data, r"entities\[1\]\.name: 'goal' is used twice")


def test_entity_kind_requirements(world_data):
    """A block needs a body; a switch must open a door; an actor needs its motion."""
    del world_data["entities"][2]["body"]
    _refused(world_data, r"entities\[2\]\.body: a block needs a body")
    world_data["entities"][2] = {"name": "lever", "kind": "switch"}
    _refused(world_data, r"entities\[2\]\.opens: a switch must open a door or make an entity appear")
    world_data["entities"][2] = {"name": "bot", "kind": "actor"}
    _refused(world_data, r"entities\[2\]\.actor: required for kind actor")


def test_jump_and_interact_need_means(world_data):
    """A jump action needs jump_speed; interact needs a switch or door."""
    world_data["agent"]["actions"] = {"discrete": [{"choices": ["none", "jump"]}]}
    _refused(world_data, r"agent\.movement\.jump_speed: a jump action needs jump_speed > 0")
    world_data["agent"]["actions"] = {"continuous": ["forward", "interact"]}
    _refused(world_data, r"'interact' has nothing to act on")


def test_memory_bounds(world_data):
    """A camera or grid too large, or too many bodies, is refused before anything allocates."""
    world_data["agent"]["sensors"].append(
        {
            "kind": "grid",
            "name": "Grid",
            "detectable_tags": ["wall"],
            "grid_size": [64, 64],
            "observation_stacks": 50,
        }
    )
    _refused(world_data, r"agent\.sensors: \d+ floats per observation, at most 65536")
    world_data["agent"]["sensors"].pop()
    world_data["entities"] = [
        {"name": f"rock{i}", "kind": "obstacle", "count": 64, "size": [0.01, 1, 0.01]} for i in range(5)
    ]
    world_data["rewards"] = [{"event": "time_penalty", "value": -1.0}]
    world_data["agent"]["sensors"] = [world_data["agent"]["sensors"][0] | {"detectable_tags": ["wall"]}]
    _refused(world_data, r"entities: 321 bodies per area .* at most 256")


def test_env_parameter_targets(world_data):
    """An env parameter must set an existing field, within that field's bounds."""
    param = {
        "name": "crate_drag",
        "default": 0.5,
        "low": 0.0,
        "high": 5.0,
        "applies_to": ["entities.crate.body.drag"],
    }
    world_data["env_parameters"] = [param]
    world_from_dict(world_data)
    param["applies_to"] = ["entities.box.body.drag"]
    _refused(world_data, r"env_parameters\[0\]\.applies_to\[0\]: no entity named 'box'")
    param["applies_to"] = ["entities.crate.colour"]
    _refused(
        world_data, re.escape("cannot set 'entities.crate.colour' (expected one of: entities.<name>.size.x")
    )
    param["applies_to"] = ["entities.crate.body.friction"]
    _refused(
        world_data,
        r"env_parameters\[0\]: \[0\.0, 5\.0\] exceeds what entities\.crate\.body\.friction accepts",
    )
    param.update(applies_to=["entities.crate.body.drag"], default=9.0)
    _refused(world_data, r"needs low <= default <= high")
