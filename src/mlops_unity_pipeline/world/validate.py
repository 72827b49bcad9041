"""Semantic checks of a world: what the field-by-field loader cannot see, each error naming the field path.

``world.codec`` already refused unknown keys, wrong types and values out of their bounds. Here the world is
checked as a whole (issue 16, item 7): names are unique; every tag a sensor, vector item or reward names
exists in the world; each sensor can see something; each reward can fire; spawns can be satisfied (the
placement is run on trial areas; in a maze or rooms layout, items fit cells and paths fit the agent); env
parameters set fields that exist within those fields' bounds; the world's size stays within the memory bounds
of ``world.model``.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import SpecError
from .layouts import validate_layout
from .model import (
    MAX_BODIES,
    MAX_CAMERA_PIXELS,
    MAX_CELL_ITEM,
    MAX_GRID_CELLS,
    MAX_OBSERVATION_FLOATS,
    TAGGED_ITEMS,
    VECTOR_ITEM_SIZES,
    BufferSensor,
    CameraSensor,
    EndKind,
    EntityKind,
    EventKind,
    GridSensor,
    RaySensor,
    RegionKind,
    RewardEvent,
    Scope,
    Sensor,
    Spawn,
    VectorItemKind,
    VectorSensor,
    World,
)
from .params import resolve
from .spawn import blocked_rects, place, placeables
from .validate_platform import validate_platform

SPAWN_TRIALS = 64
"""Areas the placement is tried on (seeded) before a world is accepted."""
SPAWN_TRIAL_DRAWS = 200
"""Draws per item in the trials (fewer than the simulator's ``MAX_DRAWS``: a world that needs more is too
crowded to start episodes quickly)."""


def validate(world: World) -> World:
    """Check ``world`` as a whole.

    Args:
        world: a world built by the loader (fields already in bounds).

    Returns:
        The same world.

    Raises:
        SpecError: the first problem, naming the field path and what was expected.

    """
    _names(world)
    _laser(world)
    validate_platform(world)
    _entities(world)
    _regions(world)
    _spawns(world)
    _sensors(world)
    _actions(world)
    _rewards(world)
    _parameters(world)
    if world.agent.platform is None:  # balls start over the platform, each on its own: nothing to place
        _placement(world)
    return world


def world_tags(world: World) -> dict[str, str]:
    """Return every tag in ``world`` with what carries it (``tag -> "entity block"``...)."""
    tags: dict[str, str] = {world.arena.floor_tag: "the floor", world.agent.tag: "the agent"}
    if world.arena.walls is not None:
        tags[world.arena.walls.tag] = "the walls"
    if world.agent.laser is not None:
        tags.setdefault(world.agent.laser.frozen_tag, "the agent (frozen)")
    for region in world.arena.regions:
        if region.tag:
            tags.setdefault(region.tag, f"region {region.name}")
    for entity in world.entities:
        tags.setdefault(world.tag_of(entity), f"entity {entity.name}")
        if entity.on_tag is not None:
            tags.setdefault(entity.on_tag, f"entity {entity.name} (on)")
        for value in entity.cue_values:  # a cue is seen with the tag of the value it drew
            tags.setdefault(value, f"entity {entity.name} (value)")
    return tags


def _known_tag(world: World, tag: str | None, where: str) -> str:
    tags = world_tags(world)
    if tag is None:
        raise SpecError(f"{where}: required for this kind")
    if tag not in tags:
        raise SpecError(f"{where}: unknown tag '{tag}' (tags in this world: {', '.join(sorted(tags))})")
    return tag


def _unique(names: list[str], where: str) -> None:
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            raise SpecError(f"{where}[{i}].name: '{name}' is used twice")
        seen.add(name)


def _names(world: World) -> None:
    _unique([e.name for e in world.entities], "entities")
    _unique([r.name for r in world.arena.regions], "arena.regions")
    _unique([s.name for s in world.agent.sensors], "agent.sensors")
    _unique([p.name for p in world.env_parameters], "env_parameters")
    bodies = sum(e.count for e in world.entities) + world.agent.count
    if bodies > MAX_BODIES:
        raise SpecError(f"entities: {bodies} bodies per area (entity counts + agents), at most {MAX_BODIES}")
    if world.groups is not None and world.agent.count % world.groups.size:
        raise SpecError(f"groups.size: {world.groups.size} does not divide agent.count {world.agent.count}")


def _entities(world: World) -> None:
    doors = {e.name for e in world.entities if e.kind is EntityKind.DOOR}
    switches = {e.name for e in world.entities if e.kind is EntityKind.SWITCH}
    opened = {e.opens for e in world.entities if e.opens is not None}
    cue_values = {v for e in world.entities if e.kind is EntityKind.CUE for v in e.cue_values}
    for i, e in enumerate(world.entities):
        where = f"entities[{i}]"
        if e.kind is EntityKind.BLOCK and e.body is None:
            raise SpecError(f"{where}.body: a block needs a body (mass, drag, friction)")
        if e.body is not None and e.kind not in (EntityKind.BLOCK, EntityKind.BALL):
            raise SpecError(f"{where}.body: only blocks and balls are movable bodies, this is a {e.kind}")
        if (e.kind is EntityKind.ACTOR) != (e.actor is not None):
            raise SpecError(f"{where}.actor: required for kind actor and only for it")
        if e.kind is EntityKind.CUE and len(set(e.cue_values)) < 2:
            raise SpecError(f"{where}.cue_values: a cue needs at least 2 distinct values")
        if e.kind is not EntityKind.CUE and e.cue_values:
            raise SpecError(f"{where}.cue_values: only cues have hidden values")
        if e.matches is not None:
            if e.kind is not EntityKind.TARGET:
                raise SpecError(f"{where}.matches: only targets match a cue value")
            if e.matches not in cue_values:
                raise SpecError(
                    f"{where}.matches: '{e.matches}' is no cue's value (cue values: {sorted(cue_values)})"
                )
        if e.opens is not None:
            if e.kind is not EntityKind.SWITCH:
                raise SpecError(f"{where}.opens: only switches open doors")
            if e.opens not in doors:
                raise SpecError(f"{where}.opens: no door entity named '{e.opens}' (doors: {sorted(doors)})")
        elif e.kind is EntityKind.SWITCH and not any(other.appears_on == e.name for other in world.entities):
            raise SpecError(
                f"{where}.opens: a switch must open a door or make an entity appear (appears_on: {e.name})"
            )
        if e.on_tag is not None and e.kind is not EntityKind.SWITCH:
            raise SpecError(f"{where}.on_tag: only switches change their tag")
        if e.appears_on is not None and e.appears_on not in switches:
            raise SpecError(
                f"{where}.appears_on: no switch entity named '{e.appears_on}' (switches: {sorted(switches)})"
            )
        if e.topples and e.kind is not EntityKind.OBSTACLE:
            raise SpecError(f"{where}.topples: only obstacles topple")
        if e.kind is EntityKind.DOOR and e.name not in opened:
            raise SpecError(f"{where}: no switch opens this door (a switch's opens: {e.name})")
        if e.actor is not None and e.actor.follows is not None:
            _known_tag(world, e.actor.follows, f"{where}.actor.follows")
            movers = {world.agent.tag} | {world.tag_of(o) for o in world.entities if o.name != e.name}
            if e.actor.follows not in movers:
                raise SpecError(
                    f"{where}.actor.follows: '{e.actor.follows}' tags neither the agent nor another entity"
                )
        if e.actor is not None and e.actor.behavior.value == "patroller" and len(e.actor.waypoints) < 2:
            raise SpecError(f"{where}.actor.waypoints: a patroller needs at least 2 waypoints")
        if e.actor is not None and e.actor.behavior.value != "patroller" and e.actor.waypoints:
            raise SpecError(f"{where}.actor.waypoints: only a patroller visits waypoints")
        if e.actor is not None and e.actor.behavior.value == "patroller" and e.actor.follows is not None:
            raise SpecError(f"{where}.actor.follows: a patroller follows its waypoints, not a tag")
        for k, point in enumerate(e.actor.waypoints if e.actor is not None else ()):
            _inside(world, *point, f"{where}.actor.waypoints[{k}]")


def _inside(world: World, x: float, z: float, where: str) -> None:
    ax, az = world.arena.size
    if abs(x) > ax / 2 + 1e-9 or abs(z) > az / 2 + 1e-9:
        raise SpecError(f"{where}: ({x}, {z}) lies outside the arena (x in ±{ax / 2}, z in ±{az / 2})")


def _regions(world: World) -> None:
    for i, r in enumerate(world.arena.regions):
        for sx in (-1, 1):
            for sz in (-1, 1):
                _inside(
                    world,
                    r.center[0] + sx * r.size[0] / 2,
                    r.center[1] + sz * r.size[1] / 2,
                    f"arena.regions[{i}] (corner)",
                )
        if r.kind is RegionKind.SPAWN and r.tag is not None:
            raise SpecError(f"arena.regions[{i}].tag: a spawn region is invisible (no tag)")
        if r.kind in (RegionKind.GOAL, RegionKind.HAZARD) and r.tag is None:
            raise SpecError(f"arena.regions[{i}].tag: a {r.kind} region needs a tag for events to see it")


def _spawn(world: World, spawn: Spawn, where: str) -> None:
    regions = {r.name: r for r in world.arena.regions}
    if spawn.at is not None:
        _inside(world, *spawn.at, f"{where}.at")
    if spawn.region is not None and spawn.region not in regions:
        raise SpecError(f"{where}.region: no region named '{spawn.region}' (regions: {sorted(regions)})")
    if spawn.area is not None:
        (x0, z0), (x1, z1) = spawn.area
        if x0 > x1 or z0 > z1:
            raise SpecError(f"{where}.area: expected ((x_min, z_min), (x_max, z_max)) with min <= max")
        _inside(world, x0, z0, f"{where}.area")
        _inside(world, x1, z1, f"{where}.area")
    for j, name in enumerate(spawn.regions):
        if name not in regions:
            raise SpecError(f"{where}.regions[{j}]: no region named '{name}' (regions: {sorted(regions)})")
    if len(set(spawn.regions)) != len(spawn.regions):
        raise SpecError(f"{where}.regions: a region is listed twice")
    given = [v is not None for v in (spawn.at, spawn.area, spawn.region, spawn.rests_on)]
    if sum(given) + bool(spawn.regions) > 1:
        raise SpecError(f"{where}: give one of at, area, region, regions, rests_on")


def _spawns(world: World) -> None:
    before: dict[str, int] = {}
    for i, e in enumerate(world.entities):
        _spawn(world, e.spawn, f"entities[{i}].spawn")
        if e.spawn.at is not None and e.count > 1:
            raise SpecError(f"entities[{i}].spawn.at: {e.count} copies cannot share one fixed point")
        base = e.spawn.rests_on
        if base is not None:
            # placement runs in file order: the base must already stand where this one is put
            if base not in before:
                raise SpecError(
                    f"entities[{i}].spawn.rests_on: no entity named '{base}' before this one (entities are "
                    "placed in file order)"
                )
            if before[base] not in (1, e.count):
                raise SpecError(
                    f"entities[{i}].spawn.rests_on: '{base}' has {before[base]} copies; expected 1 or "
                    f"{e.count} (copy k rests on copy k)"
                )
        before[e.name] = e.count
    _spawn(world, world.agent.spawn, "agent.spawn")
    if world.agent.spawn.rests_on is not None:
        raise SpecError("agent.spawn.rests_on: agents start on the floor")
    if world.agent.spawn.at is not None and world.agent.count > 1:
        raise SpecError(f"agent.spawn.at: {world.agent.count} agents cannot share one fixed point")


def _placement(world: World) -> None:
    items = placeables(world)
    if world.arena.layout is not None:  # items stand at cell centres (world.layouts.place_in_cells)
        validate_layout(world, items)
        return
    _, failed = place(
        items, blocked_rects(world), np.random.default_rng(0), SPAWN_TRIALS, max_draws=SPAWN_TRIAL_DRAWS
    )
    if failed.any():
        item = items[int(np.flatnonzero(failed.any(axis=0))[0])]
        rate = float(failed.any(axis=1).mean())
        raise SpecError(
            f"spawn of {item.name}: no free place found in {rate:.0%} of {SPAWN_TRIALS} trial episodes "
            "(spawn areas too small or crowded, or covered by goal/hazard/solid regions)"
        )


def _tops(world: World) -> dict[str, float]:
    """Highest top (y) of everything carrying each tag (rays pass over what is lower)."""
    tops: dict[str, float] = {world.arena.floor_tag: 0.0, world.agent.tag: world.agent.size}
    if world.agent.laser is not None:
        tops.setdefault(world.agent.laser.frozen_tag, world.agent.size)
    if world.arena.walls is not None:
        tops[world.arena.walls.tag] = world.arena.walls.height
    for r in world.arena.regions:
        if r.tag:
            tops[r.tag] = max(tops.get(r.tag, 0.0), r.height)
    heights: dict[str, float] = {}
    for e in world.entities:
        tag = world.tag_of(e)
        top = e.size[0] if e.shape.value == "sphere" else e.size[1]
        top += heights.get(e.spawn.rests_on or "", 0.0)  # resting on another entity's top
        heights[e.name] = top
        for t in {tag, e.on_tag or tag, *e.cue_values}:
            tops[t] = max(tops.get(t, 0.0), top)
    return tops


def _sensor_size(sensor: Sensor, world: World) -> int:
    if isinstance(sensor, RaySensor):
        return sensor.observation_size
    if isinstance(sensor, VectorSensor):
        return sensor.observation_stacks * sum(_item_size(world, it.item, it.of) for it in sensor.items)
    if isinstance(sensor, GridSensor):
        cells = sensor.grid_size[0] * sensor.grid_size[1]
        return cells * len(sensor.detectable_tags) * sensor.observation_stacks
    if isinstance(sensor, CameraSensor):
        return sensor.width * sensor.height * (1 if sensor.grayscale else 3)
    return sensor.max_entities * sum(_item_size(world, it, sensor.of) for it in sensor.items)


def _item_size(world: World, item: VectorItemKind, of: str | None) -> int:
    if item is VectorItemKind.CUE:
        return max((len(e.cue_values) for e in world.entities if world.tag_of(e) == of), default=0)
    if item is VectorItemKind.CELL:
        return int(world.arena.size[0])
    return VECTOR_ITEM_SIZES[item]


def _sensors(world: World) -> None:
    agent = world.agent
    if not agent.sensors:
        raise SpecError("agent.sensors: the agent has no sensors (it would observe nothing)")
    total = 0
    tops = _tops(world)
    entity_tags = {world.tag_of(e) for e in world.entities}
    cue_tags = {world.tag_of(e) for e in world.entities if e.kind is EntityKind.CUE}
    for i, sensor in enumerate(agent.sensors):
        where = f"agent.sensors[{i}]"
        if isinstance(sensor, (RaySensor, GridSensor)):
            if not sensor.detectable_tags:
                raise SpecError(f"{where}.detectable_tags: a {sensor.KIND} sensor needs at least one tag")
            if len(set(sensor.detectable_tags)) != len(sensor.detectable_tags):
                raise SpecError(f"{where}.detectable_tags: a tag is listed twice")
            for j, tag in enumerate(sensor.detectable_tags):
                _known_tag(world, tag, f"{where}.detectable_tags[{j}]")
        if isinstance(sensor, RaySensor):
            # The swept sphere's lowest point over the whole ray; above every detectable top it sees nothing.
            lowest = agent.size / 2 + min(sensor.start_vertical_offset, sensor.end_vertical_offset)
            highest = max(tops[t] for t in sensor.detectable_tags)
            if lowest - sensor.sphere_cast_radius > highest:
                raise SpecError(
                    f"{where}: the rays pass {lowest - sensor.sphere_cast_radius - highest:.3g} above the "
                    f"highest detectable object (top {highest:g}): the sensor sees nothing; lower "
                    "start_vertical_offset/end_vertical_offset"
                )
        if isinstance(sensor, GridSensor) and sensor.grid_size[0] * sensor.grid_size[1] > MAX_GRID_CELLS:
            raise SpecError(f"{where}.grid_size: at most {MAX_GRID_CELLS} cells")
        if isinstance(sensor, CameraSensor) and sensor.width * sensor.height > MAX_CAMERA_PIXELS:
            raise SpecError(
                f"{where}: at most {MAX_CAMERA_PIXELS} pixels, got {sensor.width * sensor.height}"
            )
        if isinstance(sensor, VectorSensor):
            if not sensor.items:
                raise SpecError(f"{where}.items: a vector sensor needs at least one item")
            for j, item in enumerate(sensor.items):
                _item(world, item.item, item.of, f"{where}.items[{j}]", cue_tags)
                if item.item is not VectorItemKind.OFFSET and (
                    item.origin != (0.0, 0.0, 0.0) or item.scale != 1.0
                ):
                    field = "origin" if item.origin != (0.0, 0.0, 0.0) else "scale"
                    raise SpecError(
                        f"{where}.items[{j}].{field}: only an offset item takes it; remove '{field}'"
                    )
        if isinstance(sensor, BufferSensor):
            _known_tag(world, sensor.of, f"{where}.of")
            if sensor.of not in entity_tags:
                raise SpecError(f"{where}.of: '{sensor.of}' tags no entity: the buffer would stay empty")
            for j, item in enumerate(sensor.items):
                if item not in (VectorItemKind.DIRECTION_TO, VectorItemKind.DISTANCE_TO):
                    raise SpecError(
                        f"{where}.items[{j}]: a buffer row holds direction_to and distance_to only"
                    )
        total += _sensor_size(sensor, world)
    if total > MAX_OBSERVATION_FLOATS:
        raise SpecError(f"agent.sensors: {total} floats per observation, at most {MAX_OBSERVATION_FLOATS}")


def _item(world: World, item: VectorItemKind, of: str | None, where: str, cue_tags: set[str]) -> None:
    if item in (VectorItemKind.FROZEN, VectorItemKind.SHOOTING) and world.agent.laser is None:
        raise SpecError(f"{where}: '{item}' observes the laser, and agent.laser is not set")
    width = world.arena.size[0]
    if item is VectorItemKind.CELL and (width != int(width) or width > MAX_CELL_ITEM):
        raise SpecError(
            f"{where}: a 'cell' item needs arena.size[0] to be a whole number of cells <= {MAX_CELL_ITEM}, "
            f"got {width:g}"
        )
    if item in TAGGED_ITEMS:
        _known_tag(world, of, f"{where}.of")
        if item is VectorItemKind.CUE and of not in cue_tags:
            raise SpecError(f"{where}.of: '{of}' tags no cue entity (cues: {sorted(cue_tags)})")
        switch_tags = {world.tag_of(e) for e in world.entities if e.kind is EntityKind.SWITCH}
        if item is VectorItemKind.SWITCH_STATE and of not in switch_tags:
            raise SpecError(f"{where}.of: '{of}' tags no switch (switches' tags: {sorted(switch_tags)})")
        if item is not VectorItemKind.CUE and of not in {world.tag_of(e) for e in world.entities} | {
            r.tag for r in world.arena.regions if r.tag
        }:
            raise SpecError(f"{where}.of: '{of}' tags no entity or region: there is nothing to point at")
    elif of is not None:
        raise SpecError(f"{where}.of: {item} is about the agent itself; remove 'of'")


def _actions(world: World) -> None:
    actions = world.agent.actions
    if not actions.continuous and not actions.discrete:
        raise SpecError("agent.actions: needs continuous actions or at least one discrete branch")
    if len(set(actions.continuous)) != len(actions.continuous):
        raise SpecError("agent.actions.continuous: an action is listed twice")
    used: set[str] = {a.value for a in actions.continuous}
    for i, branch in enumerate(actions.discrete):
        if not branch.choices:
            raise SpecError(f"agent.actions.discrete[{i}].choices: a branch needs at least one choice")
        if len(set(branch.choices)) != len(branch.choices):
            raise SpecError(f"agent.actions.discrete[{i}].choices: a choice is listed twice")
        used |= {c.value for c in branch.choices}
    if "jump" in used and world.agent.movement.jump_speed <= 0.0:
        raise SpecError("agent.movement.jump_speed: a jump action needs jump_speed > 0")
    if "interact" in used and not any(e.kind in (EntityKind.SWITCH, EntityKind.DOOR) for e in world.entities):
        raise SpecError("agent.actions: 'interact' has nothing to act on (no switch or door entity)")


def _laser(world: World) -> None:
    """Check the laser: ``shoot`` needs one, it needs a ``shoot`` action and other agents to hit."""
    agent = world.agent
    shoots = any(c.value == "shoot" for b in agent.actions.discrete for c in b.choices)
    if shoots and agent.laser is None:
        raise SpecError("agent.laser: a 'shoot' action needs a laser (agent.laser: {length, radius, ...})")
    if agent.laser is None:
        return
    if not shoots:
        raise SpecError("agent.laser: no action fires it (add a discrete choice 'shoot')")
    if agent.count < 2:
        raise SpecError("agent.laser: freezes other agents, so it needs agent.count >= 2 (got 1)")
    if agent.laser.frozen_tag == agent.tag:
        raise SpecError(f"agent.laser.frozen_tag: must differ from agent.tag '{agent.tag}'")


def _rewards(world: World) -> None:
    kinds: dict[str, set[EntityKind]] = {}
    for e in world.entities:
        kinds.setdefault(world.tag_of(e), set()).add(e.kind)
    region_tags = {r.tag for r in world.arena.regions if r.tag}
    ends = world.max_step > 0
    for i, r in enumerate(world.rewards):
        where = f"rewards[{i}]"
        if r.value == 0.0 and r.end is EndKind.NONE:
            raise SpecError(f"{where}: value 0 and end none: the event would do nothing")
        if r.scope is Scope.GROUP and world.groups is None:
            raise SpecError(f"{where}.scope: 'group' needs groups")
        if r.success and r.end is EndKind.NONE:
            raise SpecError(f"{where}.success: only an event that ends the episode can count as success")
        ends = ends or r.end is not EndKind.NONE
        event = r.event
        needs_what = event not in (EventKind.FALL, EventKind.TIME_PENALTY, EventKind.CLEARED, EventKind.ALIVE)
        if r.removes and event is not EventKind.PUSH_INTO_ZONE:
            raise SpecError(f"{where}.removes: only a push_into_zone event removes what it pushed")
        if event is EventKind.CLEARED:
            _cleared(world, r, where, kinds)
        if needs_what:
            _known_tag(world, r.what, f"{where}.what")
        elif (
            event is EventKind.FALL and r.what is not None
        ):  # optional: a block's fall instead of the agent's
            if EntityKind.BLOCK not in kinds.get(r.what, set()):
                raise SpecError(f"{where}.what: no block is tagged '{r.what}' (fall: a block's tag, or none)")
        elif r.what is not None and event is not EventKind.CLEARED:  # cleared: optional (``_cleared``)
            raise SpecError(f"{where}.what: {event} involves no tag; remove 'what'")
        if (r.into is not None) != (event is EventKind.PUSH_INTO_ZONE):
            raise SpecError(f"{where}.into: required for push_into_zone and only for it")
        if (r.within is not None) != (event is EventKind.NEAR):
            raise SpecError(f"{where}.within: required for near and only for it")
        what_kinds = kinds.get(r.what or "", set())
        if event is EventKind.COLLECT and EntityKind.COLLECTIBLE not in what_kinds:
            raise SpecError(f"{where}.what: no collectible is tagged '{r.what}': the reward can never fire")
        if event is EventKind.PUSH_INTO_ZONE:
            if EntityKind.BLOCK not in what_kinds:
                raise SpecError(f"{where}.what: no block is tagged '{r.what}': nothing can be pushed")
            _known_tag(world, r.into, f"{where}.into")
        if event is EventKind.REACH and r.what in (world.agent.tag, world.arena.floor_tag):
            raise SpecError(f"{where}.what: reaching '{r.what}' is always true: the reward fires every step")
        if event is EventKind.WRONG_CHOICE and not any(
            e.matches is not None and world.tag_of(e) == r.what for e in world.entities
        ):
            raise SpecError(f"{where}.what: no target tagged '{r.what}' matches a cue: never a wrong choice")
        if event is EventKind.FALL and world.arena.walls is not None:
            # the floor (y = 0) spans a walled arena, so the centre never drops below fall_height (<= 0);
            # stepping off a raised platform lands on it
            raise SpecError(
                f"{where}: the arena is walled: its floor catches the agent above arena.fall_height, it can "
                "never fall (an open platform, walls: null, can be fallen off)"
            )
        if event in (EventKind.TIME_PENALTY, EventKind.NEAR) and world.max_step == 0:
            raise SpecError(f"{where}: {event} is spread over max_step, which is 0 (unlimited)")
        if event is EventKind.NEAR and r.what not in kinds:
            raise SpecError(f"{where}.what: near needs an entity tagged '{r.what}' (not a region)")
        if (
            event is EventKind.SHAPING
            and r.what not in {world.tag_of(e) for e in world.entities} | region_tags
        ):
            raise SpecError(f"{where}.what: shaping needs an entity or region tagged '{r.what}'")
    if not ends:
        raise SpecError("rewards: no event ends the episode and max_step is 0: episodes would never end")


def _cleared(world: World, r: RewardEvent, where: str, kinds: dict[str, set[EntityKind]]) -> None:
    gone = {EntityKind.BLOCK, EntityKind.COLLECTIBLE}
    if r.what is not None:
        _known_tag(world, r.what, f"{where}.what")
        if not kinds.get(r.what, set()) & gone:
            raise SpecError(
                f"{where}.what: no block or collectible is tagged '{r.what}': nothing can be cleared"
            )
    if r.end is EndKind.NONE:
        raise SpecError(f"{where}.end: cleared holds at every step once true; it must end the episode")
    tags = {r.what} if r.what is not None else set(kinds)
    removable = {o.what for o in world.rewards if o.event is EventKind.PUSH_INTO_ZONE and o.removes} | {
        o.what for o in world.rewards if o.event is EventKind.COLLECT
    }
    stuck = sorted(
        t
        for t in tags
        if kinds.get(t, set()) & gone
        and (t not in removable or any(e.respawn for e in world.entities if world.tag_of(e) == t))
    )
    if stuck:
        raise SpecError(
            f"{where}: nothing removes what is tagged {stuck} (a push_into_zone with removes, a collect "
            "without respawn): the area is never cleared"
        )


def _parameters(world: World) -> None:
    for i, p in enumerate(world.env_parameters):
        if not p.applies_to:
            raise SpecError(f"env_parameters[{i}].applies_to: a parameter must set at least one field")
        for j, path in enumerate(p.applies_to):
            target = resolve(world, path, f"env_parameters[{i}].applies_to[{j}]")
            if p.low < target.low or p.high > target.high:
                raise SpecError(
                    f"env_parameters[{i}]: [{p.low}, {p.high}] exceeds what {path} accepts "
                    f"[{target.low}, {target.high}]"
                )
        if not math.isfinite(p.default):
            raise SpecError(f"env_parameters[{i}].default: must be finite")
