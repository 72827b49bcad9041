"""A platform world's Agent and arena bootstrap (``templates/Platform*.cs.j2``), ML-Agents' 3DBall idiom.

The platform is the agent's GameObject, a cube turned with ``transform.Rotate`` in ``OnActionReceived`` (as
``Ball3DAgent`` does) and the ball a ``Rigidbody`` sphere that PhysX rolls; rewards are ``SetReward`` calls
(``alive``, ``falls_off``). Observation items are written one float per ``AddObservation`` in the simulator's
frame order (``sim.world_platform``): rotation z then x, ball minus platform, the ball's velocity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2

from ...sim.archetypes import PHYSICS_DT
from ...world.model import (
    ContinuousAction,
    EntityKind,
    EventKind,
    VectorItem,
    VectorItemKind,
    VectorSensor,
    World,
)
from ...world.params import resolve
from .layout import AGENT_VECTOR_SENSOR, declared_sensors

_ITEM_CODE: dict[VectorItemKind, tuple[str, ...]] = {
    VectorItemKind.PLATFORM_ROTATION: ("gameObject.transform.rotation.z", "gameObject.transform.rotation.x"),
    VectorItemKind.OFFSET_TO: tuple(
        f"(ball.transform.position - gameObject.transform.position).{c}" for c in "xyz"
    ),
    VectorItemKind.VELOCITY_OF: tuple(f"m_BallRb.linearVelocity.{c}" for c in "xyz"),
}
"""The C# expression of each float of an item (``Ball3DAgent.CollectObservations``'s, one per float)."""


def platform_files(
    world: World,
    class_name: str,
    env: jinja2.Environment,
    number: Callable[[float], str],
    string: Callable[[str], str],
) -> tuple[str, str]:
    """Render the Agent and the ``ArenaBootstrap`` of a platform world.

    Args:
        world: a validated platform world the generator supports.
        class_name: the Agent subclass.
        env: the templates' environment.
        number: formats a C# float literal.
        string: formats a C# string literal.

    Returns:
        The Agent's source, then the arena bootstrap's.

    """
    context = _context(world, class_name, number, string)
    return (
        env.get_template("PlatformAgent.cs.j2").render(**context),
        env.get_template("PlatformArena.cs.j2").render(**context),
    )


def _context(
    world: World, class_name: str, number: Callable[[float], str], string: Callable[[str], str]
) -> dict[str, Any]:
    agent = world.agent
    ball = next(e for e in world.entities if e.kind is EntityKind.BALL)
    (x0, z0), (x1, z1) = ball.spawn.area or (ball.spawn.at, ball.spawn.at)  # type: ignore[misc]  # validated
    sensors = list(zip(agent.sensors, declared_sensors(world), strict=True))
    own = next((d for s, d in sensors if s.name == AGENT_VECTOR_SENSOR), None)
    actions = agent.actions.continuous
    return {
        "world": world,
        "class_name": class_name,
        "platform": agent.platform,
        "ball": ball,
        "ball_tag": world.tag_of(ball),
        "ball_mass": ball.body.mass if ball.body is not None else 1.0,
        "spawn": (x0, x1, z0, z1),
        "alive": next((r for r in world.rewards if r.event is EventKind.ALIVE), None),
        "fall": next((r for r in world.rewards if r.event is EventKind.FALLS_OFF), None),
        "tilt_z": actions.index(ContinuousAction.TILT_Z) if ContinuousAction.TILT_Z in actions else None,
        "tilt_x": actions.index(ContinuousAction.TILT_X) if ContinuousAction.TILT_X in actions else None,
        "sensors": sensors,
        "agent_vector": next(
            (s for s in agent.sensors if isinstance(s, VectorSensor) and s.name == AGENT_VECTOR_SENSOR), None
        ),
        "vector_components": [
            s for s in agent.sensors if isinstance(s, VectorSensor) and s.name != AGENT_VECTOR_SENSOR
        ],
        "agent_vector_size": own.frame_size if own is not None else 0,
        "agent_vector_stacks": own.stacks if own is not None else 1,
        "parameters": [
            (p, [resolve(world, path, p.name) for path in p.applies_to]) for p in world.env_parameters
        ],
        "item_code": _item_code,
        "physics_dt": PHYSICS_DT,
        "f": number,
        "q": string,
    }


def _item_code(item: VectorItem) -> tuple[str, ...]:
    return _ITEM_CODE[item.item]
