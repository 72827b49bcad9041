"""Scripted actors of a world, compiled to arrays, and the NumPy reference of their steering.

``ActorTables.build`` turns the world's actor entities into the arrays ``sim.kernels.world_actors`` reads;
``steer_actors`` here is the NumPy twin of that kernel (``MLOPS_SIM_NUMBA=0``): the same rules, formulas and
order, vectorized over areas, so both paths give the same trajectories. The rules are documented in the
kernel module and in ``docs/simulator.md`` ("Scripted actors").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..world.model import ActorBehavior, Entity, World

CHASER, EVADER, PATROLLER = 0, 1, 2
"""Behavior codes (``sim.kernels.world_actors`` reads the same)."""
EVADE_LOOKAHEAD = 2.0
"""An evader scores points this many threat distances ahead: far enough that, cornered, the far end of a wall
beats the corner before the threat is upon it (with 1, a threat coming along the diagonal pins it there)."""
EVADE_MIN_LOOKAHEAD = 0.5
"""Seconds of motion an evader looks ahead at least."""
EVADE_DIRECTIONS = 16
"""Directions an evader weighs: straight away, then turned by ±22.5°, ±45°, ... up to 180°."""
_CODES = {ActorBehavior.CHASER: CHASER, ActorBehavior.EVADER: EVADER, ActorBehavior.PATROLLER: PATROLLER}


def evade_turns(count: int = EVADE_DIRECTIONS) -> np.ndarray:
    """Return ``(count, 2)`` (cos, sin) of the evader's turns: 0, +d, -d, +2d, ... (d = 360 / count)."""
    step = 360.0 / count
    angles = [0.0]
    k = 1
    while len(angles) < count:
        angles.append(k * step)
        if len(angles) < count:
            angles.append(-k * step)
        k += 1
    radians = np.radians(np.array(angles))
    return np.stack([np.cos(radians), np.sin(radians)], axis=1)


@dataclass(frozen=True)
class ActorTables:
    """The actor copies of a world as arrays (one row per actor copy, ``A`` rows).

    Attributes:
        index: ``(A,)`` entity copy index of each actor.
        kind: ``(A,)`` ``CHASER``, ``EVADER`` or ``PATROLLER``.
        speed: ``(A,)`` units per second, as the world gives it.
        speed_now: ``(n, A)`` each area's speed this episode (state: ``speed``, or an env parameter's value).
        follow_agent: ``(A,)`` True when it chases or evades the agents (``follows`` unset or their tag).
        follow: ``(A, E)`` the entity copies it chases or evades (those tagged ``follows``, unless that is
            the agent's tag).
        waypoints: ``(A, W, 2)`` (x, z) patrol points, padded with zeros.
        waypoint_count: ``(A,)`` waypoints of each (0 for chasers and evaders).
        next_waypoint: ``(n, A)`` the waypoint each patroller heads for, per area (state; 0 at episode start).
        turns: ``(K, 2)`` the evader's candidate turns (``evade_turns``).

    """

    index: np.ndarray
    kind: np.ndarray
    speed: np.ndarray
    speed_now: np.ndarray
    follow_agent: np.ndarray
    follow: np.ndarray
    waypoints: np.ndarray
    waypoint_count: np.ndarray
    next_waypoint: np.ndarray
    turns: np.ndarray

    @classmethod
    def build(cls, world: World, copies: list[Entity], num_areas: int) -> ActorTables:
        """Compile the actors of ``world`` whose entity copies (file order) are ``copies``."""
        rows = [j for j, e in enumerate(copies) if e.actor is not None]
        tags = [world.tag_of(e) for e in copies]
        actors = [copies[j].actor for j in rows]
        width = max((len(a.waypoints) for a in actors if a is not None), default=0)
        waypoints = np.zeros((len(rows), max(width, 1), 2))
        for a, actor in enumerate(actors):
            assert actor is not None
            if actor.waypoints:
                waypoints[a, : len(actor.waypoints)] = actor.waypoints
        follows = [a.follows if a is not None else None for a in actors]
        return cls(
            index=np.array(rows, dtype=np.int64),
            kind=np.array([_CODES[a.behavior] for a in actors if a is not None], dtype=np.int64),
            speed=np.array([a.speed for a in actors if a is not None], dtype=np.float64),
            speed_now=np.tile(
                np.array([a.speed for a in actors if a is not None], dtype=np.float64), (num_areas, 1)
            ),
            follow_agent=np.array(
                [
                    a is not None
                    and a.behavior is not ActorBehavior.PATROLLER
                    and f in (None, world.agent.tag)
                    for a, f in zip(actors, follows, strict=True)
                ],
                dtype=bool,
            ),
            follow=np.array(
                [[f is not None and f != world.agent.tag and t == f for t in tags] for f in follows],
                dtype=bool,
            ).reshape(len(rows), len(copies)),
            waypoints=waypoints,
            waypoint_count=np.array([len(a.waypoints) for a in actors if a is not None], dtype=np.int64),
            next_waypoint=np.zeros((num_areas, len(rows)), dtype=np.int64),
            turns=evade_turns(),
        )

    def kernel_arguments(self) -> tuple:
        """Return the ``actors`` tuple of ``sim.kernels.world_actors.steer_actors``."""
        return (
            self.index,
            self.kind,
            self.speed_now,
            self.follow_agent,
            self.follow,
            self.waypoints,
            self.waypoint_count,
            self.next_waypoint,
            self.turns,
            np.array([EVADE_LOOKAHEAD, EVADE_MIN_LOOKAHEAD]),
        )


def _threat_distance(
    tables: ActorTables,
    a: int,
    q: np.ndarray,
    agents: np.ndarray,
    entity_position: np.ndarray,
    entity_active: np.ndarray,
) -> np.ndarray:
    """Per area, the distance from ``q`` ``(n, 2)`` to the nearest thing actor ``a`` follows (inf: none)."""
    j = tables.index[a]
    best = np.full(q.shape[0], np.inf)
    if tables.follow_agent[a]:
        for k in range(agents.shape[1]):
            dx = agents[:, k, 0] - q[:, 0]
            dz = agents[:, k, 2] - q[:, 1]
            best = np.minimum(best, np.sqrt(dx * dx + dz * dz))
    for k in np.flatnonzero(tables.follow[a]):
        if k == j:
            continue
        dx = entity_position[:, k, 0] - q[:, 0]
        dz = entity_position[:, k, 2] - q[:, 1]
        best = np.minimum(best, np.where(entity_active[:, k], np.sqrt(dx * dx + dz * dz), np.inf))
    return best


def _nearest_threat(
    tables: ActorTables,
    a: int,
    p: np.ndarray,
    agents: np.ndarray,
    entity_position: np.ndarray,
    entity_active: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per area: the distance to the nearest followed thing (inf: none) and its (x, z) (first on ties)."""
    j = tables.index[a]
    best = np.full(p.shape[0], np.inf)
    target = p.copy()
    points = []
    if tables.follow_agent[a]:
        points += [(agents[:, k, 0], agents[:, k, 2], None) for k in range(agents.shape[1])]
    points += [
        (entity_position[:, k, 0], entity_position[:, k, 2], entity_active[:, k])
        for k in np.flatnonzero(tables.follow[a])
        if k != j
    ]
    for x, z, active in points:
        dx, dz = x - p[:, 0], z - p[:, 1]
        d = np.sqrt(dx * dx + dz * dz)
        closer = d < best if active is None else active & (d < best)
        best = np.where(closer, d, best)
        target = np.where(closer[:, None], np.stack([x, z], axis=1), target)
    return best, target


def evade_points(
    turns: np.ndarray,
    p: np.ndarray,
    away: np.ndarray,
    reach: np.ndarray,
    bounds: tuple[np.ndarray, np.ndarray],
    threat_of: object,
) -> np.ndarray:
    """Return per area the evader's chosen point: of the turned candidates, the one farthest from threats.

    ``turns`` are ``evade_turns()``; ``away`` ``(n, 2)`` unit vectors away from the threat, ``reach`` ``(n,)``
    how far ahead, ``bounds`` the (lo, hi) ``(n, 2)`` corners the point is kept in, ``threat_of(q)`` the
    distance of points ``q`` to the nearest threat. Also used by the world heuristic to flee a chaser.
    """
    lo, hi = bounds
    top = np.full(p.shape[0], -1.0)
    goal = p.copy()
    for cos, sin in turns:
        qx = np.minimum(
            np.maximum(p[:, 0] + reach * (away[:, 0] * cos - away[:, 1] * sin), lo[:, 0]), hi[:, 0]
        )
        qz = np.minimum(
            np.maximum(p[:, 1] + reach * (away[:, 0] * sin + away[:, 1] * cos), lo[:, 1]), hi[:, 1]
        )
        q = np.stack([qx, qz], axis=1)
        score = threat_of(q)  # type: ignore[operator]
        better = score > top
        top = np.where(better, score, top)
        goal = np.where(better[:, None], q, goal)
    return goal


def steer_actors(
    tables: ActorTables,
    agents: np.ndarray,
    entity_position: np.ndarray,
    entity_velocity: np.ndarray,
    entity_half: np.ndarray,
    entity_active: np.ndarray,
    dt: float,
    half: tuple[float, float],
) -> None:
    """NumPy reference of ``sim.kernels.world_actors.steer_actors``, every area at once.

    Args:
        tables: the world's actors (``next_waypoint`` is updated).
        agents: agent positions ``(n, agents, 3)``.
        entity_position: ``(n, E, 3)``, updated.
        entity_velocity: ``(n, E, 3)``, updated.
        entity_half: ``(n, E, 3)``.
        entity_active: ``(n, E)``.
        dt: the physics step.
        half: the arena's half sizes (x, z).

    """
    n = entity_position.shape[0]
    rows = np.arange(n)
    for a in range(tables.index.size):
        j = tables.index[a]
        active = entity_active[:, j]
        p = entity_position[:, j, 0::2].copy()
        s = tables.speed_now[:, a]
        v = np.zeros((n, 2))
        if tables.kind[a] == PATROLLER:
            w = tables.next_waypoint[:, a]
            d_xz = tables.waypoints[a, w] - p
            d = np.sqrt(d_xz[:, 0] * d_xz[:, 0] + d_xz[:, 1] * d_xz[:, 1])
            arrive = d <= s * dt
            safe = np.where(arrive, 1.0, d)
            v = np.where(
                arrive[:, None],
                d_xz / dt,
                np.stack([s * (d_xz[:, 0] / safe), s * (d_xz[:, 1] / safe)], axis=1),
            )
            advance = arrive & active
            tables.next_waypoint[advance, a] = (w[advance] + 1) % tables.waypoint_count[a]
        else:
            best, target = _nearest_threat(tables, a, p, agents, entity_position, entity_active)
            moving = (best < np.inf) & (best > 1e-9)
            safe = np.where(moving, best, 1.0)
            u = np.stack([(target[:, 0] - p[:, 0]) / safe, (target[:, 1] - p[:, 1]) / safe], axis=1)
            if tables.kind[a] == CHASER:
                v = np.where(moving[:, None], s[:, None] * u, 0.0)
            else:
                reach = np.maximum(EVADE_LOOKAHEAD * np.where(moving, best, 0.0), s * EVADE_MIN_LOOKAHEAD)
                h = entity_half[rows, j][:, 0::2]
                bounds = (np.array([-half[0], -half[1]]) + h, np.array([half[0], half[1]]) - h)
                goal = evade_points(
                    tables.turns,
                    p,
                    -u,
                    reach,
                    bounds,
                    lambda q, a=a: _threat_distance(tables, a, q, agents, entity_position, entity_active),
                )
                dx, dz = goal[:, 0] - p[:, 0], goal[:, 1] - p[:, 1]
                d = np.sqrt(dx * dx + dz * dz)
                go = moving & (d > 1e-9)
                safe = np.where(go, d, 1.0)
                v = np.where(go[:, None], np.stack([s * (dx / safe), s * (dz / safe)], axis=1), 0.0)
        v = np.where(active[:, None], v, entity_velocity[:, j, 0::2])
        entity_velocity[:, j, 0] = v[:, 0]
        entity_velocity[:, j, 2] = v[:, 1]
        entity_position[:, j, 0] = np.where(active, p[:, 0] + v[:, 0] * dt, entity_position[:, j, 0])
        entity_position[:, j, 2] = np.where(active, p[:, 1] + v[:, 1] * dt, entity_position[:, j, 2])


def near_distance(
    entities: np.ndarray, agents: np.ndarray, entity_position: np.ndarray, entity_active: np.ndarray
) -> np.ndarray:
    """Return per area the distance from ``agents`` (one per area) to the nearest active ``entities`` copy.

    Inf where there is none.
    """
    best = np.full(agents.shape[0], np.inf)
    for j in np.flatnonzero(entities):
        dx = entity_position[:, j, 0] - agents[:, 0]
        dz = entity_position[:, j, 2] - agents[:, 2]
        best = np.minimum(best, np.where(entity_active[:, j], np.sqrt(dx * dx + dz * dz), np.inf))
    return best
