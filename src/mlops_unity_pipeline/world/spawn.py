"""Episode-start placement of a world's entities and agents, vectorized over areas.

The rule (ML-Agents examples' ``GetRandomSpawnPos`` idiom: draw, then redraw while ``Physics.CheckBox``
hits a collider): items are placed in order (entities in file order, each copy in turn, then the agents); a
point is drawn uniformly in the item's spawn rectangle and redrawn while the check square around it (half
side ``clearance``, or the item's own half size when 0) overlaps a goal or hazard region, a solid region, or
the body of an item already placed this episode. ``world.validate`` runs this placement on trial areas, so a
world whose spawns cannot be satisfied is refused before anything runs it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Entity, RegionKind, Spawn, World

MAX_DRAWS = 1000
"""Draws per item before placement gives up (the simulator keeps the last draw; validation refuses)."""


@dataclass(frozen=True)
class Placeable:
    """One item to place: where it may go and how big its body and its check square are.

    Attributes:
        name: entity or agent name with the copy index (``block[0]``), for errors.
        low: (x, z) lower corner of its spawn rectangle (its centre's range).
        high: (x, z) upper corner.
        fixed: True when ``low == high`` (a fixed point: never redrawn).
        body_half: (x, z) half extents of its body.
        check_half: half side of its check square.
        choices: named spawn rectangles, one drawn per episode among those no earlier item took
            (``Spawn.regions``); ``low``/``high`` are unused when given.
        on: index of the item it rests on (``Spawn.rests_on``): it takes that item's (x, z), unchecked.
        snap: lattice spacing of its draws (``Spawn.snap``; 0: anywhere).

    """

    name: str
    low: tuple[float, float]
    high: tuple[float, float]
    fixed: bool
    body_half: tuple[float, float]
    check_half: float
    choices: tuple[tuple[str, tuple[float, float], tuple[float, float]], ...] = ()
    on: int | None = None
    snap: float = 0.0


def _region_rect(world: World, name: str) -> tuple[tuple[float, float], tuple[float, float]]:
    region = next(r for r in world.arena.regions if r.name == name)
    cx, cz = region.center
    sx, sz = region.size
    return ((cx - sx / 2, cz - sz / 2), (cx + sx / 2, cz + sz / 2))


def _choices(world: World, spawn: Spawn) -> tuple[tuple[str, tuple[float, float], tuple[float, float]], ...]:
    return tuple((name, *_region_rect(world, name)) for name in spawn.regions)


def _rect(world: World, spawn: Spawn, half: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    if spawn.at is not None:
        return (spawn.at, spawn.at)
    if spawn.region is not None:
        return _region_rect(world, spawn.region)
    if spawn.area is not None:
        return spawn.area
    ax, az = world.arena.size
    return ((-ax / 2 + half[0], -az / 2 + half[1]), (ax / 2 - half[0], az / 2 - half[1]))


def entity_half(entity: Entity) -> tuple[float, float]:
    """Return an entity's (x, z) half extents (a sphere's radius twice)."""
    if entity.shape.value == "sphere":
        return (entity.size[0] / 2, entity.size[0] / 2)
    return (entity.size[0] / 2, entity.size[2] / 2)


def placeables(world: World, entity_sizes: dict[str, tuple[float, float]] | None = None) -> list[Placeable]:
    """List the items of ``world`` in placement order.

    Args:
        world: the world.
        entity_sizes: (x, z) half extents overriding an entity's (env parameters that resize it).

    Returns:
        One ``Placeable`` per entity copy, then per agent.

    """
    sizes = entity_sizes or {}
    out: list[Placeable] = []
    first: dict[str, tuple[int, int]] = {}  # entity name -> (index of its first copy, copies)
    for entity in world.entities:
        half = sizes.get(entity.name, entity_half(entity))
        low, high = _rect(world, entity.spawn, half)
        first[entity.name] = (len(out), entity.count)
        for k in range(entity.count):
            on = None
            if entity.spawn.rests_on is not None:
                start, copies = first[entity.spawn.rests_on]
                on = start + (k if copies > 1 else 0)
            out.append(
                Placeable(
                    f"{entity.name}[{k}]",
                    tuple(low),
                    tuple(high),
                    entity.spawn.at is not None,
                    half,
                    entity.spawn.clearance or max(half),
                    _choices(world, entity.spawn),
                    on,
                    entity.spawn.snap or 0.0,
                )
            )
    agent = world.agent
    half = (agent.size / 2, agent.size / 2)
    low, high = _rect(world, agent.spawn, half)
    for k in range(agent.count):
        out.append(
            Placeable(
                f"agent[{k}]",
                tuple(low),
                tuple(high),
                agent.spawn.at is not None,
                half,
                agent.spawn.clearance or agent.size / 2,
                _choices(world, agent.spawn),
                snap=agent.spawn.snap or 0.0,
            )
        )
    return out


def blocked_rects(world: World) -> np.ndarray:
    """Return the ``(k, 4)`` rectangles (x_min, z_min, x_max, z_max) no check square may overlap."""
    rects = [
        (
            r.center[0] - r.size[0] / 2,
            r.center[1] - r.size[1] / 2,
            r.center[0] + r.size[0] / 2,
            r.center[1] + r.size[1] / 2,
        )
        for r in world.arena.regions
        if r.kind in (RegionKind.GOAL, RegionKind.HAZARD) or r.height > 0.0
    ]
    return np.array(rects, dtype=np.float64).reshape(-1, 4)


def place(
    items: list[Placeable],
    blocked: np.ndarray,
    rng: np.random.Generator,
    num_areas: int,
    *,
    max_draws: int = MAX_DRAWS,
) -> tuple[np.ndarray, np.ndarray]:
    """Place every item in ``num_areas`` areas at once.

    Args:
        items: in placement order (``placeables``).
        blocked: ``(k, 4)`` forbidden rectangles (``blocked_rects``).
        rng: the environment's generator (draws in a fixed order: same seed, same placement).
        num_areas: areas placed together.
        max_draws: draws per item before it counts as failed.

    Returns:
        ``(num_areas, len(items), 2)`` (x, z) centres, and ``(num_areas, len(items))`` True where an item
        found no free point within ``MAX_DRAWS`` draws (it keeps its last draw).

    """
    n = int(num_areas)
    out = np.zeros((n, len(items), 2))
    failed = np.zeros((n, len(items)), dtype=bool)
    halves = np.array([item.body_half for item in items]).reshape(-1, 2)
    taken: dict[str, np.ndarray] = {}  # region name -> (n,) taken this episode by an item's ``choices``
    for j, item in enumerate(items):
        low, high = np.asarray(item.low), np.asarray(item.high)
        if item.on is not None:
            out[:, j] = out[:, item.on]
            continue
        if item.fixed:
            out[:, j] = low
            continue
        if item.choices:
            low, high = _choose(item, taken, rng, n)
        todo = np.arange(n)
        for _ in range(max_draws):
            if item.snap:  # whole lattice points, each equally likely
                lo = low[todo] if low.ndim == 2 else np.broadcast_to(low, (todo.size, 2))
                hi = high[todo] if low.ndim == 2 else np.broadcast_to(high, (todo.size, 2))
                steps = np.floor((hi - lo) / item.snap + 1e-9).astype(np.int64) + 1
                draw = lo + rng.integers(0, steps) * item.snap
            elif low.ndim == 2:
                draw = rng.uniform(low[todo], high[todo])
            else:
                draw = rng.uniform(low, high, (todo.size, 2))
            ok = np.ones(todo.size, dtype=bool)
            c = item.check_half
            for x0, z0, x1, z1 in blocked:
                apart = (
                    (draw[:, 0] + c <= x0)
                    | (draw[:, 0] - c >= x1)
                    | (draw[:, 1] + c <= z0)
                    | (draw[:, 1] - c >= z1)
                )
                ok &= apart
            if j:
                gap = np.abs(draw[:, None, :] - out[todo, :j]) - (c + halves[:j])  # (t, j, 2)
                ok &= (gap >= 0.0).any(axis=2).all(axis=1)
            out[todo, j] = draw
            todo = todo[~ok]
            if not todo.size:
                break
        failed[todo, j] = True
    return out, failed


def _choose(
    item: Placeable, taken: dict[str, np.ndarray], rng: np.random.Generator, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Draw one of ``item.choices`` per area among those not taken yet; mark it taken.

    Returns:
        ``(n, 2)`` lower and upper corners of the chosen rectangles (an area where every choice is taken
        falls back to a random one of them).

    """
    names = [name for name, _, _ in item.choices]
    busy = np.stack([taken.get(name, np.zeros(n, dtype=bool)) for name in names], axis=1)  # (n, m)
    score = rng.random((n, len(names)))
    pick = np.argmax(np.where(busy & ~busy.all(axis=1, keepdims=True), -1.0, score), axis=1)
    lows = np.array([lo for _, lo, _ in item.choices], dtype=np.float64)
    highs = np.array([hi for _, _, hi in item.choices], dtype=np.float64)
    for c, name in enumerate(names):
        taken[name] = taken.get(name, np.zeros(n, dtype=bool)) | (pick == c)
    return lows[pick], highs[pick]
