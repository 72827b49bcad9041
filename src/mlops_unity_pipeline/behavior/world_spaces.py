"""The asset's ``observation_space`` and ``action_space`` honoured exactly as sensors and actions, or refused.

Without them the sensors point at everything the rewards depend on and the actions follow the description.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import SpecError
from ..world.model import (
    VECTOR_ITEM_SIZES,
    Actions,
    Branch,
    ContinuousAction,
    DiscreteAction,
    EntityKind,
    RaySensor,
    Sensor,
    VectorItem,
    VectorItemKind,
    VectorSensor,
)
from .world_concepts import Draft

# --- spaces -------------------------------------------------------------------------------------------------

OBSERVATION_KEYS: dict[str, VectorItemKind | None] = {
    "raycast": None,
    "raycasts": None,
    "rays": None,
    "ray": None,
    "lidar": None,
    "ray_perception": None,
    "velocity": VectorItemKind.VELOCITY,
    "vel": VectorItemKind.VELOCITY,
    "speed": VectorItemKind.VELOCITY,
    "position": VectorItemKind.POSITION,
    "pos": VectorItemKind.POSITION,
    "agent_position": VectorItemKind.POSITION,
    "heading": VectorItemKind.HEADING,
    "rotation": VectorItemKind.HEADING,
    "target_direction": VectorItemKind.DIRECTION_TO,
    "target_dir": VectorItemKind.DIRECTION_TO,
    "goal_direction": VectorItemKind.DIRECTION_TO,
    "direction_to_target": VectorItemKind.DIRECTION_TO,
    "target": VectorItemKind.DIRECTION_TO,
    "goal": VectorItemKind.DIRECTION_TO,
    "target_distance": VectorItemKind.DISTANCE_TO,
    "distance_to_target": VectorItemKind.DISTANCE_TO,
    "distance": VectorItemKind.DISTANCE_TO,
    "goal_distance": VectorItemKind.DISTANCE_TO,
    "step_fraction": VectorItemKind.STEP_FRACTION,
    "time": VectorItemKind.STEP_FRACTION,
}
"""``observation_space`` keys users write -> vector items (None: a ray perception sensor)."""


def _ray_tags(d: Draft) -> list[str]:
    return list(dict.fromkeys([*d.seek, *d.avoid, *d.solid, "wall"]))


def default_sensors(d: Draft) -> tuple[Sensor, ...]:
    """Return sensors for a world whose asset gives no observation_space: directions to all it rewards on.

    A vector sensor (velocity, direction to every tag the agent seeks or avoids, the concepts' extra items);
    a ray sensor too when obstacles, hazard objects or a maze stand in the way.
    """
    items = [VectorItem(VectorItemKind.VELOCITY)]
    items += [VectorItem(VectorItemKind.DIRECTION_TO, t) for t in dict.fromkeys(d.seek + d.avoid)]
    items += d.extra_vector
    sensors: list[Sensor] = [VectorSensor("VectorSensor", tuple(items))]
    d.note(
        "(default)",
        "sensor",
        f"agent.sensors VectorSensor: velocity, direction to {', '.join(dict.fromkeys(d.seek + d.avoid))}"
        + "".join(f", {i.item.value}" + (f" of {i.of}" if i.of else "") for i in d.extra_vector),
        "no observation_space: the agent observes the direction of everything its rewards depend on",
    )
    if d.solid or d.layout is not None or any(e.kind is EntityKind.HAZARD for e in d.entities):
        tags = tuple(_ray_tags(d))
        sensors.append(
            RaySensor("RayPerceptionSensor", tags, rays_per_direction=3, max_ray_degrees=90, ray_length=12.0)
        )
        d.note(
            "(default)",
            "sensor",
            f"agent.sensors RayPerceptionSensor: 7 rays over 180 degrees seeing {list(tags)}",
            "obstacles, walls and hazards block or end the way: rays see them",
        )
    return tuple(sensors)


def user_sensors(d: Draft, space: Mapping[str, Any], where: str) -> tuple[Sensor, ...]:
    """Return sensors giving exactly the asset's ``observation_space`` (names and sizes), or refuse it.

    Args:
        d: the draft (its tags decide what rays and direction items see).
        space: ``{name: size}`` in the asset's order.
        where: names the asset in messages.

    Returns:
        A ray sensor for a ray key (sized exactly), a vector sensor with the other items in order.

    Raises:
        SpecError: an unknown key, a size the item does not have, rays no tag count can give.

    """
    if not space:
        raise SpecError(
            f"{where}: observation_space is empty (give observation names and sizes or leave it out)"
        )
    items: list[VectorItem] = []
    rays: RaySensor | None = None
    for key, size in space.items():
        name = str(key).lower()
        if name not in OBSERVATION_KEYS:
            raise SpecError(
                f"{where}: observation_space key '{key}' is unknown (expected one of "
                f"{sorted(OBSERVATION_KEYS)})"
            )
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise SpecError(f"{where}: observation_space['{key}'] must be a positive integer, got {size!r}")
        kind = OBSERVATION_KEYS[name]
        if kind is None:
            if rays is not None:
                raise SpecError(f"{where}: observation_space names rays twice ('{key}')")
            rays = _fit_rays(d, size, f"{where}: observation_space['{key}']")
            d.note(
                f"observation_space {key}: {size}",
                "sensor",
                f"agent.sensors RayPerceptionSensor: {2 * rays.rays_per_direction + 1} rays x "
                f"{len(rays.detectable_tags)} tags {list(rays.detectable_tags)} + 2 = {size} floats",
                "ML-Agents' ray perception encodes (tags + 2) floats per ray",
            )
            continue
        if size != VECTOR_ITEM_SIZES[kind]:
            raise SpecError(
                f"{where}: observation_space['{key}'] = {size}, but {kind.value} is "
                f"{VECTOR_ITEM_SIZES[kind]} float(s) in the x-z plane the agent moves in"
            )
        of = None
        if kind in (VectorItemKind.DIRECTION_TO, VectorItemKind.DISTANCE_TO):
            if not d.seek:
                raise SpecError(
                    f"{where}: observation_space['{key}'] points at a target, but the description "
                    "names nothing to reach"
                )
            of = d.seek[-1] if d.push else d.seek[0]
        items.append(VectorItem(kind, of))
        d.note(
            f"observation_space {key}: {size}",
            "sensor",
            f"VectorSensor item {kind.value}" + (f" of {of}" if of else ""),
        )
    sensors: list[Sensor] = [] if rays is None else [rays]
    if items:
        sensors.append(VectorSensor("VectorSensor", tuple(items)))
    return tuple(sensors)


def _fit_rays(d: Draft, size: int, where: str) -> RaySensor:
    """Return a ray sensor of exactly ``size`` floats: ``(tags + 2) * (2 r + 1)`` with the world's tags."""
    tags = _ray_tags(d)
    per_ray = len(tags) + 2
    rays = size // per_ray
    if size % per_ray or rays % 2 == 0:
        possible = ", ".join(str(per_ray * (2 * r + 1)) for r in range(0, 5))
        raise SpecError(
            f"{where} = {size} floats cannot be a ray perception sensor seeing {tags}: it gives "
            "(tags + 2) x rays "
            f"floats with an odd number of rays ({possible}, ...)"
        )
    return RaySensor(
        "RayPerceptionSensor",
        tuple(tags),
        rays_per_direction=(rays - 1) // 2,
        max_ray_degrees=70.0 if rays > 1 else 0.0,
        ray_length=20.0,
    )


MOVE_5 = (
    DiscreteAction.NONE,
    DiscreteAction.NORTH,
    DiscreteAction.SOUTH,
    DiscreteAction.EAST,
    DiscreteAction.WEST,
)
MOVE_4 = (DiscreteAction.NORTH, DiscreteAction.SOUTH, DiscreteAction.EAST, DiscreteAction.WEST)
MOVE_3 = (DiscreteAction.FORWARD, DiscreteAction.TURN_LEFT, DiscreteAction.TURN_RIGHT)
MOVE_7 = (
    DiscreteAction.NONE,
    DiscreteAction.FORWARD,
    DiscreteAction.BACK,
    DiscreteAction.TURN_RIGHT,
    DiscreteAction.TURN_LEFT,
    DiscreteAction.STRAFE_LEFT,
    DiscreteAction.STRAFE_RIGHT,
)
DISCRETE_MOVES = {3: MOVE_3, 4: MOVE_4, 5: MOVE_5, 7: MOVE_7}
"""Branch sizes a moving agent's first branch may have, and what each index does."""


def actions_for(d: Draft, space: Mapping[str, Any] | None, where: str) -> Actions:
    """Return the actions the asset's ``action_space`` gives (exactly), or those the description implies.

    Args:
        d: the draft (driving, jumping).
        space: the asset's action space, or None.
        where: names the asset in messages.

    Returns:
        The action space.

    Raises:
        SpecError: a size or branch layout that cannot move this agent, with what would.

    """
    C = ContinuousAction
    if space is None:
        moves = (C.FORWARD, C.ROTATE) if d.drive else (C.MOVE_X, C.MOVE_Z)
        chosen = (*moves, C.JUMP) if d.jump else moves
        d.note(
            "(default)",
            "actions",
            f"agent.actions.continuous {[c.value for c in chosen]}",
            "no action_space: "
            + ("drive: forward and turn" if d.drive else "move along x and z")
            + ("; jump implied by the description" if d.jump else ""),
        )
        return Actions(continuous=chosen)
    unknown = sorted(set(space) - {"type", "size", "branches"})
    if unknown:
        raise SpecError(
            f"{where}: action_space key '{unknown[0]}' is unknown (expected type, size, branches)"
        )
    kind = str(space.get("type", "")).lower()
    if kind == "continuous":
        if "branches" in space:
            raise SpecError(f"{where}: action_space of type continuous has no 'branches'")
        size = space.get("size")
        layouts = {
            2: (C.FORWARD, C.ROTATE) if d.drive else (C.MOVE_X, C.MOVE_Z),
            3: (C.MOVE_X, C.MOVE_Z, C.JUMP) if d.jump else (C.FORWARD, C.STRAFE, C.ROTATE),
            4: (C.FORWARD, C.STRAFE, C.ROTATE, C.JUMP) if d.jump else None,
        }
        chosen = layouts.get(size) if isinstance(size, int) and not isinstance(size, bool) else None
        if chosen is None or (d.jump and C.JUMP not in chosen):
            need = (
                "3 (move x, move z, jump) or 4" if d.jump else "2 (move x and z, or forward and turn), or 3"
            )
            raise SpecError(
                f"{where}: action_space continuous size {size!r} cannot move this agent "
                f"(the description needs size {need})"
            )
        d.note(
            f"action_space continuous {size}",
            "actions",
            f"agent.actions.continuous {[c.value for c in chosen]}",
        )
        return Actions(continuous=chosen)
    if kind == "discrete":
        branches = space.get("branches", [space["size"]] if "size" in space else None)
        if (
            not isinstance(branches, (list, tuple))
            or not branches
            or not all(isinstance(b, int) and not isinstance(b, bool) for b in branches)
        ):
            raise SpecError(
                f"{where}: action_space discrete needs branches, a list of sizes, got {branches!r}"
            )
        first = DISCRETE_MOVES.get(branches[0])
        if first is None:
            raise SpecError(
                f"{where}: action_space discrete branch 0 of {branches[0]} choices cannot move the agent "
                f"(accepted: {sorted(DISCRETE_MOVES)}: 5 = none, north, south, east, west)"
            )
        out = [Branch(first)]
        if len(branches) > 2 or (len(branches) == 2 and (branches[1] != 2 or not d.jump)):
            raise SpecError(
                f"{where}: action_space discrete {list(branches)}: a second branch is only for jumping "
                "(2: none, jump) when the description jumps"
            )
        if d.jump:
            if len(branches) != 2:
                raise SpecError(
                    f"{where}: the description jumps: action_space needs a second branch of 2 "
                    f"(none, jump), e.g. branches [{branches[0]}, 2]"
                )
            out.append(Branch((DiscreteAction.NONE, DiscreteAction.JUMP)))
        d.note(
            f"action_space discrete {list(branches)}",
            "actions",
            "agent.actions.discrete " + "; ".join(str([c.value for c in b.choices]) for b in out),
        )
        return Actions(discrete=tuple(out))
    raise SpecError(
        f"{where}: action_space type must be 'continuous' or 'discrete', got {space.get('type')!r}"
    )
