"""Semantic checks of a platform world (``agent.platform``, ML-Agents' 3DBall), each error naming the field.

A platform world is its own kind of scene: the agent is a box tilted by ``tilt_z``/``tilt_x`` with balls on
it, rewards are 3DBall's ``SetReward`` events (``alive``, ``falls_off``), and it observes the platform's
rotation and the balls through vector items. What belongs to the planar arena (movement, rays, walls,
regions, other entity kinds) has no meaning there and is refused, and the platform's own parts have no
meaning without a platform.
"""

from __future__ import annotations

from ..errors import SpecError
from .model import (
    PLATFORM_ITEMS,
    ContinuousAction,
    EntityKind,
    EventKind,
    Shape,
    VectorSensor,
    World,
)

TILTS = frozenset({ContinuousAction.TILT_Z, ContinuousAction.TILT_X})
PLATFORM_EVENTS = frozenset({EventKind.ALIVE, EventKind.FALLS_OFF})


def validate_platform(world: World) -> None:
    """Check the platform parts of ``world`` (or their absence when the agent is no platform).

    Raises:
        SpecError: the first problem, naming the field path and what was expected.

    """
    if world.agent.platform is None:
        _without_platform(world)
        return
    agent = world.agent
    if agent.count != 1:
        raise SpecError(f"agent.count: a platform world has one platform per area, got {agent.count}")
    if world.groups is not None:
        raise SpecError("groups: a platform world has one agent per area, no groups")
    if world.arena.regions or world.arena.layout is not None:
        raise SpecError("arena: a platform world has no regions or layout (the platform is the whole scene)")
    if agent.actions.discrete or not set(agent.actions.continuous) <= TILTS or not agent.actions.continuous:
        raise SpecError("agent.actions: a platform takes continuous tilt_z and/or tilt_x actions only")
    balls = [e for e in world.entities if e.kind is EntityKind.BALL]
    if not balls:
        raise SpecError("entities: a platform world needs a ball (kind ball) on the platform")
    for i, e in enumerate(world.entities):
        where = f"entities[{i}]"
        if e.kind is not EntityKind.BALL:
            raise SpecError(f"{where}.kind: a platform world holds balls only, got {e.kind}")
        if e.shape is not Shape.SPHERE:
            raise SpecError(f"{where}.shape: a ball is a sphere")
        if (
            (e.spawn.at is None and e.spawn.area is None)
            or e.spawn.region
            or e.spawn.regions
            or e.spawn.rests_on
        ):
            raise SpecError(
                f"{where}.spawn: a ball starts at 'at' or in 'area' (x, z relative to the platform)"
            )
        if e.size[0] >= agent.platform.size:
            raise SpecError(f"{where}.size: the ball's diameter must be below the platform's size")
    for i, s in enumerate(agent.sensors):
        if not isinstance(s, VectorSensor):
            raise SpecError(f"agent.sensors[{i}]: a platform world observes through vector sensors only")
        for j, it in enumerate(s.items):
            if it.item not in PLATFORM_ITEMS:
                raise SpecError(
                    f"agent.sensors[{i}].items[{j}]: {it.item} is about a moving agent; a platform observes "
                    f"{', '.join(sorted(PLATFORM_ITEMS))}"
                )
    ball_tags = {world.tag_of(e) for e in balls}
    for i, r in enumerate(world.rewards):
        if r.event not in PLATFORM_EVENTS:
            raise SpecError(
                f"rewards[{i}].event: a platform world's events are alive and falls_off, got {r.event}"
            )
        if r.event is EventKind.FALLS_OFF and r.what not in ball_tags:
            raise SpecError(f"rewards[{i}].what: no ball is tagged '{r.what}' (balls: {sorted(ball_tags)})")
        if r.event is EventKind.ALIVE and r.what is not None:
            raise SpecError(f"rewards[{i}].what: alive involves no tag; remove 'what'")


def _without_platform(world: World) -> None:
    """Refuse a platform's parts in a world whose agent is no platform."""
    for i, e in enumerate(world.entities):
        if e.kind is EntityKind.BALL:
            raise SpecError(f"entities[{i}].kind: a ball needs a platform agent (agent.platform)")
    for i, a in enumerate(world.agent.actions.continuous):
        if a in TILTS:
            raise SpecError(f"agent.actions.continuous[{i}]: {a} needs a platform agent (agent.platform)")
    for i, s in enumerate(world.agent.sensors):
        for j, it in enumerate(getattr(s, "items", ())):
            if getattr(it, "item", None) in PLATFORM_ITEMS:
                raise SpecError(
                    f"agent.sensors[{i}].items[{j}]: {it.item} needs a platform agent (agent.platform)"
                )
    for i, r in enumerate(world.rewards):
        if r.event in PLATFORM_EVENTS:
            raise SpecError(f"rewards[{i}].event: {r.event} needs a platform agent (agent.platform)")
