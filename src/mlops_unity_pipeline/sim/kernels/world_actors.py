"""Scripted actors of the world kernel: chasers, evaders and patrollers steered on every physics step.

``steer_actors`` moves every actor copy of one area (``sim.kernels.world._area_physics`` calls it after the
bodies' integration, before the contacts, which then stop actors at walls, solid regions and obstacles as
they stop blocks). The NumPy twin is ``sim.world_actors.steer_actors``: the same formulas in the same order,
so both paths give the same trajectories (``tests/sim/test_world_actors.py``).

The rules (``docs/simulator.md``, "Scripted actors"): a chaser heads for the nearest thing it follows (the
area's agents by default) at its speed; an evader takes, among ``EVADE_DIRECTIONS`` directions turned from
straight away, the one whose point a few threat distances ahead, kept inside the walls, lies
farthest from the nearest threat (so it slides along a wall and leaves a corner instead of pressing into
it); a patroller heads for its current waypoint and, on arriving within one step, takes the next (cyclic).
Agents are read as
``AP[i, k]`` for every ``k`` of the area, so several agents per area are threats alike.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

CHASER, EVADER, PATROLLER = 0, 1, 2
"""Behavior codes, as ``sim.world_actors`` writes them. That module holds the evader constants, passed in the
``actors`` tuple: code outside this package never imports it, so numba loads only through ``sim.accel``."""


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _threat_distance(
    i: int,
    a: int,
    j: int,
    x: float,
    z: float,
    follow_agent: np.ndarray,
    follow: np.ndarray,
    AP: np.ndarray,
    EP: np.ndarray,
    entity_active: np.ndarray,
) -> float:
    # distance from (x, z) to the nearest thing actor a (copy j) follows (inf: none)
    best = math.inf
    if follow_agent[a]:
        for k in range(AP.shape[1]):
            dx = AP[i, k, 0] - x
            dz = AP[i, k, 2] - z
            best = min(best, math.sqrt(dx * dx + dz * dz))
    for k in range(follow.shape[1]):
        if follow[a, k] and entity_active[i, k] and k != j:
            dx = EP[i, k, 0] - x
            dz = EP[i, k, 2] - z
            best = min(best, math.sqrt(dx * dx + dz * dz))
    return best


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def steer_actors(
    i: int,
    actors: tuple,
    AP: np.ndarray,
    EP: np.ndarray,
    EV: np.ndarray,
    EH: np.ndarray,
    entity_active: np.ndarray,
    dt: float,
    half_x: float,
    half_z: float,
) -> None:
    """Set each active actor copy's velocity in area ``i`` by its rule and advance its position one step.

    Args:
        i: the area.
        actors: ``(index (A,), kind (A,), speed (n, A), follow_agent (A,), follow (A, E), waypoints (A, W, 2),
            waypoint_count (A,), next_waypoint (n, A) updated, turns (K, 2), lookahead (2,): threat distances
            and least seconds an evader looks ahead)``
            (``sim.world_actors.ActorTables``).
        AP: agent positions ``(n, agents, 3)``.
        EP: entity positions ``(n, E, 3)``, updated.
        EV: entity velocities ``(n, E, 3)``, updated.
        EH: entity half extents ``(n, E, 3)``.
        entity_active: ``(n, E)``.
        dt: the physics step.
        half_x: the arena's half width (x).
        half_z: the arena's half depth (z).

    """
    index, kind, speed, follow_agent, follow, waypoints, waypoint_count, next_waypoint, turns = actors[:9]
    lookahead = actors[9]
    for a in range(index.shape[0]):
        j = index[a]
        if not entity_active[i, j]:
            continue
        px, pz = EP[i, j, 0], EP[i, j, 2]
        s = speed[i, a]
        vx, vz = 0.0, 0.0
        if kind[a] == PATROLLER:
            w = next_waypoint[i, a]
            dx = waypoints[a, w, 0] - px
            dz = waypoints[a, w, 1] - pz
            d = math.sqrt(dx * dx + dz * dz)
            if d <= s * dt:  # arrives this step: lands on it and turns to the next
                vx, vz = dx / dt, dz / dt
                next_waypoint[i, a] = (w + 1) % waypoint_count[a]
            else:
                vx, vz = s * (dx / d), s * (dz / d)
        else:
            best, tx, tz = math.inf, px, pz
            if follow_agent[a]:
                for k in range(AP.shape[1]):
                    dx = AP[i, k, 0] - px
                    dz = AP[i, k, 2] - pz
                    d = math.sqrt(dx * dx + dz * dz)
                    if d < best:
                        best, tx, tz = d, AP[i, k, 0], AP[i, k, 2]
            for k in range(follow.shape[1]):
                if follow[a, k] and entity_active[i, k] and k != j:
                    dx = EP[i, k, 0] - px
                    dz = EP[i, k, 2] - pz
                    d = math.sqrt(dx * dx + dz * dz)
                    if d < best:
                        best, tx, tz = d, EP[i, k, 0], EP[i, k, 2]
            if best < math.inf and best > 1e-9:
                ux, uz = (tx - px) / best, (tz - pz) / best
                if kind[a] == CHASER:
                    vx, vz = s * ux, s * uz
                else:
                    # away from the threat, turned by each candidate angle; the point ``reach`` ahead is
                    # kept inside the walls (a blocked direction slides along them) and scored by its
                    # distance to the nearest threat; the first best wins (straight away on ties)
                    reach = max(lookahead[0] * best, s * lookahead[1])
                    lo_x, hi_x = -half_x + EH[i, j, 0], half_x - EH[i, j, 0]
                    lo_z, hi_z = -half_z + EH[i, j, 2], half_z - EH[i, j, 2]
                    top, gx, gz = -1.0, px, pz
                    for c in range(turns.shape[0]):
                        cos, sin = turns[c, 0], turns[c, 1]
                        qx = min(max(px + reach * (-ux * cos + uz * sin), lo_x), hi_x)
                        qz = min(max(pz + reach * (-ux * sin - uz * cos), lo_z), hi_z)
                        score = _threat_distance(i, a, j, qx, qz, follow_agent, follow, AP, EP, entity_active)
                        if score > top:
                            top, gx, gz = score, qx, qz
                    dx, dz = gx - px, gz - pz
                    d = math.sqrt(dx * dx + dz * dz)
                    if d > 1e-9:
                        vx, vz = s * (dx / d), s * (dz / d)
        EV[i, j, 0] = vx
        EV[i, j, 2] = vz
        EP[i, j, 0] = px + vx * dt
        EP[i, j, 2] = pz + vz * dt


@njit(cache=True, nogil=True, error_model="numpy")  # out of line: worlds without near keep a smaller loop
def near_distance(
    i: int,
    e: int,
    ev_entities: np.ndarray,
    AP: np.ndarray,
    EP: np.ndarray,
    entity_active: np.ndarray,
) -> float:
    """Return the distance from area ``i``'s agent to the nearest active copy of event ``e`` (inf: none)."""
    px, pz = AP[i, 0, 0], AP[i, 0, 2]
    best = math.inf
    for j in range(ev_entities.shape[1]):
        if ev_entities[e, j] and entity_active[i, j]:
            dx = EP[i, j, 0] - px
            dz = EP[i, j, 2] - pz
            best = min(best, math.sqrt(dx * dx + dz * dz))
    return best
