"""World → Unity project files: the Agent, the arena bootstrap, the block contact forwarder, the skeleton.

Everything the C# needs is computed here from the world and the simulator's own tables, so the two sides
read one source: the sensors and their sizes (``layout``), the placement rectangles and forbidden regions
(``world.spawn``, the rule the simulator places with), what each discrete choice and continuous channel does
(``sim.world_env``'s ``(right, forward, turn, world x, world z)`` rows), and the per-step time penalty. The
templates (``templates/World*.cs.j2``) only lay the values out as idiomatic Unity: Rigidbody physics
(``AddForce(…, ForceMode.VelocityChange)`` or a set velocity, ``MoveRotation``), primitives with tags,
colliders and ``PhysicsMaterial``s, trigger and collision callbacks for events, ML-Agents' own sensor
components.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import CodegenError
from ...sim.archetypes import PHYSICS_DT
from ...sim.world_actors import (
    CHASER,
    EVADE_LOOKAHEAD,
    EVADE_MIN_LOOKAHEAD,
    EVADER,
    PATROLLER,
    ActorTables,
    evade_turns,
)
from ...sim.world_camera import GLYPH_CODES, KIND_COLOURS, REGION_COLOURS
from ...sim.world_env import (  # the simulator's action tables: one meaning for both sides
    _CHANNELS,
    _CHOICES,
    item_size,
)
from ...world.layouts import Grid, fixed_seed
from ...world.model import (
    SOLID_KINDS,
    BufferSensor,
    CameraSensor,
    ContinuousAction,
    DiscreteAction,
    EndKind,
    EntityKind,
    EventKind,
    Look,
    Motion,
    RaySensor,
    RegionKind,
    Scope,
    Shape,
    VectorItemKind,
    VectorSensor,
    World,
)
from ...world.params import resolve
from ...world.spawn import blocked_rects, placeables
from ..csharp import (
    EDITOR_DIR,
    MLAGENTS_PACKAGE_VERSION,
    SENTIS_PACKAGE_VERSION,
    UNITY_EDITOR_VERSION,
    _env,
    csharp_float,
)
from .layout import AGENT_VECTOR_SENSOR, check_layout, declared_sensors, refusals
from .platform import platform_files

SCRIPTS_DIR = "Assets/Scripts"
ARENA_CLASS = "ArenaBootstrap"
CONTACT_CLASS = "WorldContact"
LAYOUT_CLASS = "ArenaLayout"
ACTOR_CLASS = "WorldActor"

# keyboard → choice, in preference order (vertical axis up, down; horizontal right, left)
_KEYS: dict[str, tuple[DiscreteAction, ...]] = {
    "up": (DiscreteAction.FORWARD, DiscreteAction.NORTH),
    "down": (DiscreteAction.BACK, DiscreteAction.SOUTH),
    "right": (DiscreteAction.TURN_RIGHT, DiscreteAction.EAST, DiscreteAction.STRAFE_RIGHT),
    "left": (DiscreteAction.TURN_LEFT, DiscreteAction.WEST, DiscreteAction.STRAFE_LEFT),
}
_AXIS: dict[ContinuousAction, str] = {
    ContinuousAction.FORWARD: "vertical",
    ContinuousAction.MOVE_Z: "vertical",
    ContinuousAction.ROTATE: "horizontal",
    ContinuousAction.MOVE_X: "horizontal",
    ContinuousAction.STRAFE: "0f",
    ContinuousAction.JUMP: "Input.GetKey(KeyCode.Space) ? 1f : 0f",
}


@dataclass(frozen=True)
class WorldProject:
    """The files of a world's Unity project.

    Attributes:
        class_name: the Agent subclass.
        files: path relative to the project root → text.

    """

    class_name: str
    files: dict[str, str]


def class_name_for(world: World) -> str:
    """Return the Agent subclass name: the behavior name with ``Agent`` appended unless it ends so.

    A C# identifier cannot start with a digit: a leading ``3D`` moves behind the first word, as upstream
    names 3DBall's agent ``Ball3DAgent`` (``3DBallHard``: ``Ball3DHardAgent``); other digit-led names get
    ``Behavior`` in front.
    """
    name = world.behavior_name
    if name[0].isdigit():
        lead = re.match(r"(\d+[A-Z]*?)([A-Z][a-z][A-Za-z0-9]*?)(?=[A-Z_]|$)(.*)", name)
        name = f"{lead[2]}{lead[1]}{lead[3]}" if lead else "Behavior" + name
    return name if name.endswith("Agent") and name != "Agent" else name + "Agent"


def render_world_project(world: World) -> WorldProject:
    """Render every file of the Unity project for ``world``.

    Args:
        world: a validated world.

    Returns:
        The project's files.

    Raises:
        CodegenError: the world uses features the generator does not write (each named by its field path),
            or the declared observation layout would differ from the simulator's.

    """
    refused = refusals(world)
    if refused:
        raise CodegenError(
            f"world '{world.name}' uses features the C# generator does not write yet: " + "; ".join(refused)
        )
    check_layout(world)
    if world.agent.platform is not None:  # a tilting platform and its ball: its own Agent and arena
        return _platform_project(world)
    context = _context(world)
    env = _env()
    name = context["class_name"]
    files = {
        f"{SCRIPTS_DIR}/{name}.cs": env.get_template("WorldAgent.cs.j2").render(**context),
        f"{SCRIPTS_DIR}/{ARENA_CLASS}.cs": env.get_template("WorldArena.cs.j2").render(**context),
        f"{SCRIPTS_DIR}/{CONTACT_CLASS}.cs": env.get_template("WorldContact.cs.j2").render(**context),
        **(
            {f"{SCRIPTS_DIR}/{LAYOUT_CLASS}.cs": env.get_template("WorldLayout.cs.j2").render(**context)}
            if world.arena.layout is not None
            else {}
        ),
        **_skeleton(world, env),
    }
    if context["has_actors"]:
        files[f"{SCRIPTS_DIR}/{ACTOR_CLASS}.cs"] = env.get_template("WorldActor.cs.j2").render(**context)
    return WorldProject(name, files)


def _platform_project(world: World) -> WorldProject:
    """Render a platform world's project (``codegen.world.platform``): Agent, arena, the skeleton."""
    env, name = _env(), class_name_for(world)
    agent, arena = platform_files(world, name, env, csharp_float, _string)
    files = {
        f"{SCRIPTS_DIR}/{name}.cs": agent,
        f"{SCRIPTS_DIR}/{ARENA_CLASS}.cs": arena,
        **_skeleton(world, env),
    }
    return WorldProject(name, files)


def _skeleton(world: World, env: Any) -> dict[str, str]:
    """Render the files every world project has: the build script, packages, editor version, tags."""
    return {
        f"{EDITOR_DIR}/BuildPlayer.cs": env.get_template("BuildPlayer.cs.j2").render(
            spec={"behavior_name": world.behavior_name}
        ),
        "Packages/manifest.json": env.get_template("manifest.json.j2").render(
            mlagents_version=MLAGENTS_PACKAGE_VERSION, sentis_version=SENTIS_PACKAGE_VERSION
        ),
        "ProjectSettings/ProjectVersion.txt": env.get_template("ProjectVersion.txt.j2").render(
            editor_version=UNITY_EDITOR_VERSION
        ),
        "ProjectSettings/TagManager.asset": env.get_template("TagManager.asset.j2").render(tags=_tags(world)),
    }


# --- context ---


def _context(world: World) -> dict[str, Any]:
    agent = world.agent
    return {
        "world": world,
        "class_name": class_name_for(world),
        "arena_class": ARENA_CLASS,
        "contact_class": CONTACT_CLASS,
        "actor_class": ACTOR_CLASS,
        "has_actors": any(e.actor is not None for e in world.entities),
        "actor_codes": {"chaser": CHASER, "evader": EVADER, "patroller": PATROLLER},
        "turns": evade_turns().tolist(),
        "lookahead": EVADE_LOOKAHEAD,
        "min_lookahead": EVADE_MIN_LOOKAHEAD,
        "near_events": [r for r in world.rewards if r.event is EventKind.NEAR],
        "f": csharp_float,
        "q": _string,
        "physics_dt": PHYSICS_DT,
        "half": (world.arena.size[0] / 2, world.arena.size[1] / 2),
        "set_velocity": agent.movement.motion is Motion.SET_VELOCITY,
        "tags": _tags(world),
        "regions": [r for r in world.arena.regions if r.tag is not None],
        "static_boxes": static_boxes(world),
        "entities": [_entity(world, e) for e in world.entities],
        "placements": placeables(world),
        "spawn_rules": _spawn_rules(world),
        "choice_rects": _choice_rects(world),
        "has_topples": any(e.topples for e in world.entities),
        "blocked": [tuple(row) for row in blocked_rects(world).tolist()],
        "sensors": [(s, d) for s, d in zip(agent.sensors, declared_sensors(world), strict=True)],
        "agent_vector": next(
            (s for s in agent.sensors if isinstance(s, VectorSensor) and s.name == AGENT_VECTOR_SENSOR), None
        ),
        "vector_components": [
            s for s in agent.sensors if isinstance(s, VectorSensor) and s.name != AGENT_VECTOR_SENSOR
        ],
        "item_code": lambda item: _item_code(item, world),
        "buffer_sensors": [s for s in agent.sensors if isinstance(s, BufferSensor)],
        "has_camera": any(isinstance(s, CameraSensor) for s in agent.sensors),
        "grid_motion": agent.movement.motion is Motion.GRID,
        "agent_look": _look(agent.look, (agent.size, agent.size)),
        "static_colour": lambda box: _static_colour(world, box),
        "camera_frame": (
            world.arena.size[1] / 2.0,
            (world.arena.walls.height if world.arena.walls is not None else 1.0) + 10.0,
        ),
        "buffer_row": _buffer_row,
        "branches": [[_CHOICES[c] for c in b.choices] for b in agent.actions.discrete],
        "branch_keys": [_branch_keys(b.choices) for b in agent.actions.discrete],
        "channels": [_CHANNELS[c] for c in agent.actions.continuous],
        "channel_axes": [_AXIS[c] for c in agent.actions.continuous],
        "time_penalty": sum(
            r.value / world.max_step
            for r in world.rewards
            if r.event is EventKind.TIME_PENALTY and world.max_step > 0 and r.scope is Scope.AGENT
        ),
        "group_time_penalty": sum(
            r.value / world.max_step
            for r in world.rewards
            if r.event is EventKind.TIME_PENALTY and world.max_step > 0 and r.scope is Scope.GROUP
        ),
        "agent_count": agent.count,
        "grouped": world.groups is not None,
        "scene_zone_events": [
            r
            for r in world.rewards
            if r.event is EventKind.PUSH_INTO_ZONE and (r.removes or r.scope is Scope.GROUP)
        ],
        "cleared_events": [r for r in world.rewards if r.event is EventKind.CLEARED],
        "Scope": Scope,
        "shaping": [r for r in world.rewards if r.event is EventKind.SHAPING],
        "contact_events": [
            r
            for r in world.rewards
            if r.event in (EventKind.REACH, EventKind.TOUCH, EventKind.COLLECT, EventKind.WRONG_CHOICE)
        ],
        "zone_events": [
            r
            for r in world.rewards
            if r.event is EventKind.PUSH_INTO_ZONE and not r.removes and r.scope is Scope.AGENT
        ],
        "has_blocks": any(e.kind is EntityKind.BLOCK for e in world.entities),
        "has_switches": any(e.kind is EntityKind.SWITCH for e in world.entities),
        "has_cues": any(e.kind is EntityKind.CUE for e in world.entities),
        "jump_speed": agent.movement.jump_speed if _jumps(world) else 0.0,
        "uses_ground": _jumps(world) or _uses_item(world, VectorItemKind.GROUNDED),
        "fall_events": [r for r in world.rewards if r.event is EventKind.FALL],
        "parameters": [_parameter(world, p) for p in world.env_parameters],
        "EndKind": EndKind,
        "EventKind": EventKind,
        "EntityKind": EntityKind,
        "Shape": Shape,
        "RaySensor": RaySensor,
        **_layout_context(world),
    }


def _layout_context(world: World) -> dict[str, Any]:
    """Return the layout's constants for ``WorldLayout.cs.j2`` and the bootstrap (``layout`` None: none)."""
    layout = world.arena.layout
    if layout is None:
        return {"layout": None}
    grid = Grid.of(world)
    goals = [r.center for r in world.arena.regions if r.kind is RegionKind.GOAL]
    cells = grid.cell_of(np.array(goals, dtype=np.float64).reshape(-1, 2))
    targets = [e.kind is EntityKind.TARGET for e in world.entities for _ in range(e.count)]
    return {
        "layout": layout,
        "layout_class": LAYOUT_CLASS,
        "fixed_seed": fixed_seed(world),
        "max_walls": max(grid.max_walls(layout.kind), 1),
        "goal_cells": sorted({int(c) for c in cells}),
        "target_items": [*targets, False],  # the agent last
    }


@dataclass(frozen=True)
class StaticBox:
    """A fixed box of the scene: a wall, the floor or a region (a ``Cube`` primitive in the arena).

    Attributes:
        name: GameObject name.
        tag: its tag.
        center: (x, y, z) local to the arena.
        size: (x, y, z) extent.
        trigger: a floor marking the agent passes through (events and rays still see it).
        rays: False for a tagless solid region (a platform): on the ``Ignore Raycast`` layer, so the sensors
            do not see it (the simulator's rays skip it) while it still holds the agent up.

    """

    name: str
    tag: str
    center: tuple[float, float, float]
    size: tuple[float, float, float]
    trigger: bool = False
    rays: bool = True


def static_boxes(world: World) -> list[StaticBox]:
    """Return the walls (west, east, south, north), the floor and the tagged regions, as the rays see them.

    The geometry is the simulator's ray colliders (``WorldEnv._collider_tags``): walls reach from 0.5 below
    the floor to their top, around the floor's ``size``; the floor is 1 thick with its top at y = 0; a region
    is a box from ``sink`` to ``height``, a floor marking (height 0) a trigger 0.01 high.
    """
    arena = world.arena
    hx, hz = arena.size[0] / 2, arena.size[1] / 2
    out = []
    if arena.walls is not None:
        t, h, tag = arena.walls.thickness, arena.walls.height, arena.walls.tag
        y, height = (h - 0.5) / 2, h + 0.5
        out += [
            StaticBox("WallWest", tag, (-hx - t / 2, y, 0.0), (t, height, 2 * hz + 2 * t)),
            StaticBox("WallEast", tag, (hx + t / 2, y, 0.0), (t, height, 2 * hz + 2 * t)),
            StaticBox("WallSouth", tag, (0.0, y, -hz - t / 2), (2 * hx, height, t)),
            StaticBox("WallNorth", tag, (0.0, y, hz + t / 2), (2 * hx, height, t)),
        ]
    out.append(StaticBox("Floor", arena.floor_tag, (0.0, -0.5, 0.0), (2 * hx, 1.0, 2 * hz)))
    for r in arena.regions:
        if r.tag is None and r.height > 0.0:  # solid but unseen (WorldEnv._solid_regions)
            out.append(
                StaticBox(
                    r.name,
                    "Untagged",
                    (r.center[0], (r.height + r.sink) / 2, r.center[1]),
                    (r.size[0], r.height - r.sink, r.size[1]),
                    rays=False,
                )
            )
            continue
        if r.tag is None:
            continue
        top = max(r.height, 0.01)
        out.append(
            StaticBox(
                r.name,
                r.tag,
                (r.center[0], (top + r.sink) / 2, r.center[1]),
                (r.size[0], top - r.sink, r.size[1]),
                trigger=r.height <= 0.0,
            )
        )
    return out


def _spawn_rules(world: World) -> list[tuple[bool, float]]:
    """Return per placed item (``placeables`` order): default rectangle?, ``clearance``.

    A default rectangle is the arena less the item's own half size, recomputed at run time when an env
    parameter resizes it; a clearance of 0 means the item's own half size.
    """
    rules = []
    for entity in world.entities:
        spawn = entity.spawn
        default = spawn.at is None and spawn.area is None and spawn.region is None and not spawn.regions
        rules += [(default, spawn.clearance)] * entity.count
    spawn = world.agent.spawn
    default = spawn.at is None and spawn.area is None and spawn.region is None and not spawn.regions
    return rules + [(default, spawn.clearance)] * world.agent.count


def _choice_rects(world: World) -> list[tuple[str, tuple[float, float], tuple[float, float]]]:
    """Return every region some item's ``spawn.regions`` names, once, in first-use order (name, low, high).

    ``ArenaBootstrap`` marks each taken per episode, as ``world.spawn.place`` does by name.
    """
    seen: dict[str, tuple[str, tuple[float, float], tuple[float, float]]] = {}
    for item in placeables(world):
        for choice in item.choices:
            seen.setdefault(choice[0], choice)
    return list(seen.values())


def _string(text: str) -> str:
    """Return a C# string literal of a validated name or tag (letters, digits, '_': nothing to escape)."""
    if not text.replace("_", "").isalnum():
        raise CodegenError(f"cannot write {text!r} as a C# string literal")
    return f'"{text}"'


UNITY_BUILTIN_TAGS = frozenset(
    {"Untagged", "Respawn", "Finish", "EditorOnly", "MainCamera", "Player", "GameController"}
)
"""Tags every Unity project has (``TagManager.asset`` lists only the project's own)."""


def _tags(world: World) -> list[str]:
    """Return every tag the scene uses, for ``TagManager.asset`` (Unity refuses an undeclared tag)."""
    arena = world.arena
    tags = [arena.floor_tag, world.agent.tag]
    if arena.walls is not None:
        tags.append(arena.walls.tag)
    tags += [r.tag for r in arena.regions if r.tag]
    tags += [world.tag_of(e) for e in world.entities]
    tags += [e.on_tag for e in world.entities if e.on_tag]
    tags += [v for e in world.entities for v in e.cue_values]
    for sensor in world.agent.sensors:
        if isinstance(sensor, RaySensor):
            tags += sensor.detectable_tags
    tags += [t for r in world.rewards for t in (r.what, r.into) if t]
    return [t for t in dict.fromkeys(tags) if t not in UNITY_BUILTIN_TAGS]


def _entity(world: World, entity: Any) -> dict[str, Any]:
    """One entity definition's template values; ``opens``/``appears_on`` as definition indices (-1: none).

    An actor's code and what it follows are the simulator's (``sim.world_actors.ActorTables``).
    """
    index = {e.name: i for i, e in enumerate(world.entities)}
    tag = world.tag_of(entity)
    actor = ActorTables.build(world, [entity], 1) if entity.actor is not None else None
    follows = entity.actor.follows if entity.actor is not None else None
    return {
        "actor": actor is not None,
        "actor_code": int(actor.kind[0]) if actor is not None else -1,
        "follows_agent": bool(actor.follow_agent[0]) if actor is not None else False,
        "follows": follows if follows is not None and follows != world.agent.tag else None,
        "e": entity,
        "tag": tag,
        "solid": entity.kind in SOLID_KINDS,
        "block": entity.kind is EntityKind.BLOCK,
        "sphere": entity.shape is Shape.SPHERE,
        "switch": entity.kind is EntityKind.SWITCH,
        "on_tag": entity.on_tag or tag,
        "opens": index[entity.opens] if entity.opens is not None else -1,
        "appears_on": index[entity.appears_on] if entity.appears_on is not None else -1,
        "look": _look(
            entity.look or Look(colour=KIND_COLOURS[entity.kind]),
            (entity.size[0], entity.size[0] if entity.shape is Shape.SPHERE else entity.size[2]),
        ),
    }


def _look(look: Look, size: tuple[float, float]) -> dict[str, Any]:
    """Return a look for the C#: glyph code, colour, and the drawn footprint over the collider's (x, z)."""
    drawn = look.size or size
    return {
        "glyph": GLYPH_CODES[look.glyph],
        "colour": look.colour,
        "scale": (drawn[0] / size[0], drawn[1] / size[1]),
    }


def _static_colour(world: World, box: Any) -> tuple[float, float, float]:
    """Return the colour a camera sees of a static box (``sim.world_camera``'s walls, floor and regions)."""
    arena = world.arena
    if arena.walls is not None and box.tag == arena.walls.tag:
        return arena.walls.colour
    if box.tag == arena.floor_tag:
        return arena.floor_colour
    region = next((r for r in arena.regions if r.tag == box.tag), None)
    return REGION_COLOURS.get(region.kind, arena.floor_colour) if region is not None else arena.floor_colour


def _jumps(world: World) -> bool:
    """Return whether an action can jump (a ``jump`` choice or channel) with ``movement.jump_speed`` set."""
    actions = world.agent.actions
    used = set(actions.continuous) | {c for b in actions.discrete for c in b.choices}
    return world.agent.movement.jump_speed > 0 and bool(used & {ContinuousAction.JUMP, DiscreteAction.JUMP})


def _uses_item(world: World, kind: VectorItemKind) -> bool:
    """Return whether a vector sensor of the agent has an item of ``kind``."""
    return any(it.item is kind for s in world.agent.sensors if isinstance(s, VectorSensor) for it in s.items)


def _branch_keys(choices: tuple[DiscreteAction, ...]) -> dict[str, int]:
    """Index of the choice each arrow key picks in one branch (-1: none), and of ``none`` (else 0)."""
    keys = {}
    for key, wanted in _KEYS.items():
        keys[key] = next((choices.index(w) for w in wanted if w in choices), -1)
    keys["idle"] = choices.index(DiscreteAction.NONE) if DiscreteAction.NONE in choices else 0
    keys["jump"] = choices.index(DiscreteAction.JUMP) if DiscreteAction.JUMP in choices else -1
    return keys


def _item_code(item: Any, world: World | None = None) -> list[str]:
    """C# expressions of one vector item's floats (the simulator's ``WorldEnv._vector``, same order).

    A ``cue`` item needs the world: its size is its cue's number of values (``sim.world_env.item_size``).
    """
    kind = item.item
    if kind is VectorItemKind.VELOCITY:
        return ["m_Body.linearVelocity.x / m_Speed", "m_Body.linearVelocity.z / m_Speed"]
    if kind is VectorItemKind.POSITION:
        return [
            f"transform.localPosition.x / {ARENA_CLASS}.k_HalfX",
            f"transform.localPosition.z / {ARENA_CLASS}.k_HalfZ",
        ]
    if kind is VectorItemKind.OFFSET:
        # the simulator's (position - origin) / scale; the area's local frame has the floor's top at y = 0
        return [
            f"(transform.localPosition.{axis} - ({value!r}f)) / {item.scale!r}f"
            for axis, value in zip("xyz", item.origin, strict=True)
        ]
    if kind is VectorItemKind.HEADING:
        return [
            "Mathf.Sin(transform.localEulerAngles.y * Mathf.Deg2Rad)",
            "Mathf.Cos(transform.localEulerAngles.y * Mathf.Deg2Rad)",
        ]
    if kind is VectorItemKind.STEP_FRACTION:
        return ["StepCount / (float)Mathf.Max(MaxStep, 1)"]
    if kind is VectorItemKind.CUE:
        if world is None:
            raise CodegenError("a cue item's size depends on the world")
        size = item_size(world, kind, item.of)
        return [f"arena.CueValue({_string(item.of)}) == {v} ? 1f : 0f" for v in range(size)]
    if kind is VectorItemKind.GROUNDED:
        return ["Grounded() ? 1f : 0f"]
    if kind is VectorItemKind.LOCAL_VELOCITY:
        # Unity's transform.InverseTransformDirection(rb.velocity): (right, up, forward), unscaled
        local = "transform.InverseTransformDirection(m_Body.linearVelocity)"
        return [f"{local}.x", f"{local}.y", f"{local}.z"]
    if kind is VectorItemKind.SWITCH_STATE:
        return [f"arena.SwitchOn({_string(item.of)}) ? 1f : 0f"]
    if kind is VectorItemKind.CELL:
        if world is None:
            raise CodegenError("a cell item's size depends on the world")
        width = int(world.arena.size[0])
        # the simulator's floor(x + half_x), clamped to the arena's cells (BasicSensor's one-hot)
        x = f"transform.localPosition.x + {ARENA_CLASS}.k_HalfX"
        cell = f"Mathf.Clamp(Mathf.FloorToInt({x}), 0, {width - 1})"
        return [f"{cell} == {i} ? 1f : 0f" for i in range(width)]
    nearest = f"(arena.Nearest({_string(item.of)}, transform.localPosition) - transform.localPosition)"
    if kind is VectorItemKind.DIRECTION_TO:
        return [f"{nearest}.x / (2f * {ARENA_CLASS}.k_HalfX)", f"{nearest}.z / (2f * {ARENA_CLASS}.k_HalfZ)"]
    if kind is VectorItemKind.DISTANCE_TO:
        return [f"Planar({nearest}) / {ARENA_CLASS}.k_Diagonal"]
    raise CodegenError(f"vector item {kind} is not written by the generator")


def _buffer_row(sensor: BufferSensor) -> list[str]:
    """C# expressions of one buffer row about the offset ``d`` to an entity (``sim.world_buffer``'s items)."""
    out = []
    for item in sensor.items:
        if item is VectorItemKind.DIRECTION_TO:
            out += [f"d.x / (2f * {ARENA_CLASS}.k_HalfX)", f"d.z / (2f * {ARENA_CLASS}.k_HalfZ)"]
        elif item is VectorItemKind.DISTANCE_TO:
            out.append(f"Planar(d) / {ARENA_CLASS}.k_Diagonal")
        else:
            raise CodegenError(f"buffer item {item} is not written by the generator")
    return out


def _parameter(world: World, parameter: Any) -> dict[str, Any]:
    targets = [resolve(world, path, parameter.name) for path in parameter.applies_to]
    index = {e.name: i for i, e in enumerate(world.entities)}
    return {
        "p": parameter,
        "uniform": parameter.sampler.value == "uniform",
        "targets": [(t.field, index.get(t.entity, -1) if t.entity else -1) for t in targets],
    }
