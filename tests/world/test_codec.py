"""The world loader: types, bounds, unknown keys and variants are checked field by field, naming the path."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.world import world_from_dict, world_to_dict
from mlops_unity_pipeline.world.codec import field_docs
from mlops_unity_pipeline.world.model import RaySensor, VectorSensor, World


def test_minimal_world_loads_with_defaults(world_data):
    """The base world loads; unset fields take their documented defaults."""
    world = world_from_dict(world_data)
    assert world.decision_period == 5
    assert world.arena.walls is not None and world.arena.walls.tag == "wall"
    assert isinstance(world.agent.sensors[0], RaySensor) and isinstance(world.agent.sensors[1], VectorSensor)
    assert world.agent.sensors[0].rays_per_direction == 3  # ML-Agents' default


def test_round_trip_through_plain_data(world_data):
    """``world_to_dict`` gives data that loads back to an equal world."""
    world = world_from_dict(world_data)
    assert world_from_dict(world_to_dict(world)) == world


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("agent", "sensors", 0, "ray_length"), 0.5, "agent.sensors[0].ray_length: must be in [1, 1000]"),
        (("agent", "sensors", 0, "rays_per_direction"), 2.5, "rays_per_direction: expected a whole number"),
        (("agent", "sensors", 0, "kind"), "lidar", "agent.sensors[0].kind: expected one of ray_perception"),
        (("entities", 0, "kind"), "portal", "entities[0].kind: expected one of target, collectible"),
        (("entities", 1, "count"), 1000, "entities[1].count: must be in [1, 64]"),
        (("arena", "size"), [10], "arena.size: expected 2 numbers"),
        (("arena", "size"), [10, 1e6], "arena.size[1]: must be in [1, 500]"),
        (("name",), "my world", "name: 'my world' is not a name"),
        (("description",), "x" * 501, "is not one line of at most 500 characters"),
        (("max_step",), True, "max_step: expected an integer"),
        (("rewards", 0, "value"), float("nan"), "rewards[0].value: expected a finite number"),
        (("agent", "sensors", 0, "alternating_ray_order"), "yes", "expected true or false"),
    ],
)
def test_bad_field_names_its_path(world_data, path, value, message):
    """A wrong type or an out-of-bounds value is a SpecError naming the field path and the expectation."""
    node = world_data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(SpecError, match=message.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        world_from_dict(world_data)


def test_unknown_key_lists_expected_keys(world_data):
    """An unknown key (a typo) is refused, listing the keys the section accepts."""
    world_data["agent"]["sensors"][0]["ray_lenght"] = 10
    with pytest.raises(SpecError, match=r"agent\.sensors\[0\]: unknown key 'ray_lenght' .*ray_length"):
        world_from_dict(world_data)


def test_missing_required_key(world_data):
    """A required key that is missing is named."""
    del world_data["arena"]["size"]
    with pytest.raises(SpecError, match=r"arena\.size: required"):
        world_from_dict(world_data)


def test_list_length_bounded(world_data):
    """Variable-length lists are bounded (a world cannot ask for unbounded memory)."""
    world_data["agent"]["sensors"] = [world_data["agent"]["sensors"][0]] * 9
    with pytest.raises(SpecError, match=r"agent\.sensors: at most 8 items"):
        world_from_dict(world_data)


def test_every_field_is_documented():
    """Every field of every IR dataclass has a docstring line (it becomes the schema's description)."""
    import dataclasses

    seen: set[type] = set()

    def visit(cls: type) -> None:
        if cls in seen:
            return
        seen.add(cls)
        docs = field_docs(cls)
        for f in dataclasses.fields(cls):
            assert docs.get(f.name), f"{cls.__name__}.{f.name} has no docstring"
        import typing

        for hint in typing.get_type_hints(cls).values():
            for arg in _flatten(hint):
                if dataclasses.is_dataclass(arg):
                    visit(arg)

    visit(World)
    assert len(seen) >= 20


def _flatten(hint):
    import typing

    yield hint
    for arg in typing.get_args(hint):
        yield from _flatten(arg)
