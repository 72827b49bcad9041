"""The offline world interpreter: a description's meaning (roles, goals, what to avoid) becomes a ``World``.

Unlike the archetype rules (``rules.py``: one keyword picks one of three fixed tasks), this reads what the
sentence says about the scene: *what* the agent acts on (the noun phrase after a verb), in which *role*
(collect, avoid, push into, reach, chase, flee), and *how* the episode ends. Each recognised phrase becomes
entities, regions, rewards and sensors of a world (``world.model``), and an ``ExplainRecord`` says so.

What the IR cannot express is refused with the missing concept and the nearest expressible behavior
(``REFUSALS``), never mapped onto something else. The asset's ``observation_space`` and ``action_space`` are
honoured exactly (sizes and kinds) or refused with the reason (``SpecError`` naming the field), and every
reward's tag must be perceivable by some sensor (a reward on something the agent cannot sense is refused).
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import SpecError
from ..sim.world_env import unsupported
from ..specs import UnityAssetSpec
from ..world.model import (
    Agent,
    Arena,
    Body,
    ContinuousAction,
    EventKind,
    Groups,
    Motion,
    Movement,
    RewardEvent,
    VectorSensor,
    Walls,
    World,
)
from ..world.validate import validate
from .world_concepts import CONCEPTS, Draft, refusal_of
from .world_records import ExplainRecord, Refusal, WorldInterpretation
from .world_spaces import actions_for, default_sensors, user_sensors
from .world_words import (
    DETERMINERS,
    FUNCTION_WORDS,
    MAX_DESCRIPTION,
    NOTHING_NEAREST,
    STOP,
    WRITING,
    normalize,
)

JUMP_WALL_HEIGHT = 4.0
"""Outer wall height of a world the agent jumps in (WallJump's arena walls stand well above a jump's apex)."""

# --- composition --------------------------------------------------------------------------------------------


def interpret_world(asset: Any) -> WorldInterpretation:
    """Compose a world from an asset's description and spaces, or refuse it with the missing concept.

    Args:
        asset: a ``UnityAssetSpec``, ``UnityAssetSpec`` or mapping with the asset fields.

    Returns:
        The interpretation: a validated world and the records of how it was made, or the refusal.

    Raises:
        SpecError: the asset's ``observation_space``/``action_space`` cannot be honoured exactly (the
            message names the field and what would work), a name is not usable, or a sensor cannot perceive
            what a reward depends on.

    """
    view = UnityAssetSpec.of(asset)
    where = f"asset '{view.asset_id}'"
    if view.asset_type != "behavior":
        raise SpecError(
            f"{where}: asset_type '{view.asset_type}' cannot become a world (expected 'behavior')"
        )
    if len(view.description) > MAX_DESCRIPTION:
        raise SpecError(
            f"{where}: description is {len(view.description)} characters; at most {MAX_DESCRIPTION} "
            "(describe one behavior in a few sentences)"
        )
    text = normalize(view.description)
    refusal = refusal_of(text)
    if refusal is not None:
        return WorldInterpretation(
            view.name, None, refusal, (ExplainRecord(refusal.source, "refused", "-", refusal.message),)
        )
    d = Draft(text)
    d.drive = bool(re.search(r"\b(driv\w*|car|vehicle|steer\w*|park\w*)\b", text))
    for concept in CONCEPTS:
        concept(d)
    if not d.rewards:
        writing = re.search(WRITING, text)
        missing = (
            f"a behavior: the text asks for writing ('{writing.group(0)}'), not for something an agent does"
            if writing
            else "a behavior: the description names nothing to reach, collect, push, avoid or chase"
        )
        refusal = Refusal(missing, NOTHING_NEAREST)
        return WorldInterpretation(
            view.name, None, refusal, (ExplainRecord(view.description[:60], "refused", "-", refusal.message),)
        )
    if d.hurry and not d.survive:
        d.rewards.append(RewardEvent(EventKind.TIME_PENALTY, -1.0))
        d.note(
            "(default)",
            "time penalty",
            "rewards: time_penalty -1 over max_step",
            "ML-Agents' AddReward(-1f / MaxStep) idiom: reaching the goal sooner is better",
        )
    _shaping(d)
    _leftovers(d)
    world = _assemble(d, view, where)
    return WorldInterpretation(view.name, world, None, tuple(d.records), tuple(_unsupported(world)))


def _shaping(d: Draft) -> None:
    """Add ReachTarget's shaping (0.1 per unit of distance closed) towards a single goal the agent reaches.

    Distance closed sums to (start distance - end distance) over an episode, so it cannot be farmed by
    looping; it is left out where the goal is behind a wall, a door or a maze (closing the straight-line
    distance would lead into the wall) and where pushing (the block, not the agent, must reach the zone).
    """
    goals = [r.what for r in d.rewards if r.event is EventKind.REACH and r.success]
    blocked = d.layout is not None or d.jump or bool(d.solid) and any(t != "wall" for t in d.solid)
    if len(goals) != 1 or blocked or d.push or any(r.event is EventKind.WRONG_CHOICE for r in d.rewards):
        return
    d.rewards.append(RewardEvent(EventKind.SHAPING, 0.1, what=goals[0]))
    d.note(
        "(default)",
        "shaping",
        f"rewards: shaping {goals[0]} +0.1 per unit of distance closed",
        "ReachTarget's shaping (world/library/ReachTarget.yaml): the return it adds is bounded by the start "
        "distance",
    )


def _leftovers(d: Draft) -> None:
    """Record the description's words no concept used, so nothing is dropped without saying so."""
    used = {w for r in d.records for w in normalize(r.source).split()}
    left = [
        w
        for w in dict.fromkeys(d.text.split())
        if w not in used
        and w not in FUNCTION_WORDS
        and w not in STOP
        and w not in DETERMINERS
        and len(w) > 2
        and w.isalpha()
    ]
    if left:
        d.note(" ".join(left), "not interpreted", "-", "these words did not change the world")


def compose_world(asset: Any) -> World:
    """Return the world of ``asset`` (``interpret_world``), raising ``DescriptionRefused`` when refused.

    Args:
        asset: the asset.

    Returns:
        The validated world.

    Raises:
        DescriptionRefused: the description asks for something the world IR cannot express.
        SpecError: the asset's spaces cannot be honoured.

    """
    result = interpret_world(asset)
    if result.refusal is not None:
        raise result.refusal.error(f"asset '{UnityAssetSpec.of(asset).asset_id}'")
    assert result.world is not None
    return result.world


def _behavior_name(view: UnityAssetSpec) -> str:
    name = "".join(p[:1].upper() + p[1:] for p in re.findall(r"[A-Za-z0-9]+", view.name)).lstrip("0123456789")
    if not name:
        raise SpecError(
            f"asset '{view.asset_id}': name {view.name!r} has no letters to make a behavior name from"
        )
    return name[:64]


def _assemble(d: Draft, view: UnityAssetSpec, where: str) -> World:
    sensors = (
        default_sensors(d)
        if view.observation_space is None
        else user_sensors(d, view.observation_space, where)
    )
    actions = actions_for(d, view.action_space, where)
    push_physics = d.push
    movement = (
        Movement(Motion.VELOCITY_CHANGE, speed=3.0, strafe_scale=0.75)
        if push_physics
        else Movement(Motion.SET_VELOCITY, speed=5.0)
    )
    body = Body(mass=10.0, drag=4.0) if push_physics else Body()
    if d.jump and not push_physics:
        # A jump needs gravity, so a dynamic body: velocity changes against drag 2 (about 5 units/s on the
        # ground, like the kinematic walk) and 8 units/s up (WallJump's idiom), which clears the 1.5-high
        # wall (an apex near 3) but not the arena's raised walls below.
        movement = Movement(Motion.VELOCITY_CHANGE, speed=0.25, jump_speed=8.0)
        body = Body(mass=1.0, drag=2.0)
    elif d.jump:
        movement = Movement(movement.motion, movement.speed, movement.strafe_scale, jump_speed=8.0)
    agent = Agent(
        name=_behavior_name(view),
        count=d.agent_count,
        body=body,
        movement=movement,
        spawn=d.agent_spawn,
        yaw=None if actions.continuous[:1] == (ContinuousAction.FORWARD,) or d.drive else 0.0,
        sensors=sensors,
        actions=actions,
    )
    world = World(
        name=agent.name,
        description=" ".join(view.description.split())[:500],
        arena=Arena(
            (d.arena_side, d.arena_side),
            walls=None if d.open_arena else Walls(height=JUMP_WALL_HEIGHT if d.jump else 1.5),
            regions=tuple(d.regions),
            layout=d.layout,
        ),
        agent=agent,
        entities=tuple(d.entities),
        groups=Groups(d.agent_count) if d.agent_count > 1 else None,
        rewards=tuple(d.rewards),
        max_step=d.max_step,
    )
    _check_perception(world, where)
    try:
        return validate(world)
    except SpecError as exc:  # a composition bug or an impossible combination: say which description
        raise SpecError(f"{where}: the composed world is invalid: {exc}") from exc


def perceived_tags(world: World) -> set[str]:
    """Return the tags some sensor of the agent detects (rays, grids, direction/distance items, buffers)."""
    seen: set[str] = set()
    for sensor in world.agent.sensors:
        seen |= set(getattr(sensor, "detectable_tags", ()))
        if isinstance(sensor, VectorSensor):
            seen |= {i.of for i in sensor.items if i.of}
        if getattr(sensor, "of", None):
            seen.add(sensor.of)  # type: ignore[union-attr]  # buffer sensors
        if getattr(sensor, "KIND", None) is not None and sensor.KIND.value == "camera":
            seen |= {world.tag_of(e) for e in world.entities} | {r.tag for r in world.arena.regions if r.tag}
    return seen


def _check_perception(world: World, where: str) -> None:
    """Refuse a reward on a tag no sensor perceives (the agent could only find it by chance)."""
    seen = perceived_tags(world)
    for i, reward in enumerate(world.rewards):
        for tag in (reward.what, reward.into):
            if tag is not None and tag not in seen:
                raise SpecError(
                    f"{where}: rewards[{i}] ({reward.event.value} {tag}) depends on '{tag}', which no sensor "
                    f"perceives (sensors see {sorted(seen) or 'no tags'}): add target_direction: 2 or a "
                    "raycast item to observation_space, or leave observation_space out"
                )


def _unsupported(world: World) -> list[str]:
    return unsupported(world)
