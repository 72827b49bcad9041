"""Generic world kernel: one physics step of every area's bodies (``sim.world_env.WorldEnv._physics_step``).

The action, the agent's and the blocks' integration, then contacts (walls, solid regions, obstacles, agent
against blocks), twice and once more for the static parts, with the same formulas in the same order as the
NumPy reference, so both paths give the same trajectories (``tests/sim/test_world_env.py``). Events and
rewards stay in NumPy (a few array operations per step); this kernel reports which blocks touched a
``push_into_zone`` zone while contacts were resolved.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

CONTACT = 1e-3
REST_SINK = 0.01


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _integrate(
    p: np.ndarray, v: np.ndarray, half_y: float, drag: float, mu: float, gravity: float, dt: float
) -> None:
    # gravity, damping, floor friction, semi-implicit integration, floor contact
    v[1] -= gravity * dt
    damp = min(max(1.0 - drag * dt, 0.0), 1.0)
    v[0] *= damp
    v[1] *= damp
    v[2] *= damp
    rest = half_y - REST_SINK
    grounded = p[1] - rest <= 1e-6
    speed = math.hypot(v[0], v[2])
    if grounded and speed > 0.0:
        slow = max(speed - mu * gravity * dt, 0.0) / max(speed, 1e-12)
        v[0] *= slow
        v[2] *= slow
    p[0] += v[0] * dt
    p[1] += v[1] * dt
    p[2] += v[2] * dt
    if p[1] < rest:
        p[1] = rest
        v[1] = max(v[1], 0.0)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _push_out(
    p: np.ndarray, v: np.ndarray, ex: float, ez: float, lo0: float, lo1: float, hi0: float, hi1: float
) -> None:
    # out of the box [lo, hi] along the axis of least penetration; stop motion into it
    into_x = min(p[0] + ex - lo0, hi0 - (p[0] - ex))
    into_z = min(p[2] + ez - lo1, hi1 - (p[2] - ez))
    if not (into_x > 0.0 and into_z > 0.0):
        return
    if into_x < into_z:
        if p[0] < 0.5 * (lo0 + hi0):
            p[0] = lo0 - ex
            v[0] = min(v[0], 0.0)
        else:
            p[0] = hi0 + ex
            v[0] = max(v[0], 0.0)
    else:
        if p[2] < 0.5 * (lo1 + hi1):
            p[2] = lo1 - ez
            v[2] = min(v[2], 0.0)
        else:
            p[2] = hi1 + ez
            v[2] = max(v[2], 0.0)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _static(
    p: np.ndarray,
    v: np.ndarray,
    ex: float,
    ez: float,
    half_x: float,
    half_z: float,
    region_lo: np.ndarray,
    region_hi: np.ndarray,
    solid: np.ndarray,
    obstacles: np.ndarray,
    ent_pos: np.ndarray,
    ent_half: np.ndarray,
) -> None:
    # walls, then solid regions, then obstacles (the NumPy reference's order)
    lo, hi = -half_x + ex, half_x - ex
    if p[0] <= lo:
        v[0] = max(v[0], 0.0)
    if p[0] >= hi:
        v[0] = min(v[0], 0.0)
    p[0] = min(max(p[0], lo), hi)
    lo, hi = -half_z + ez, half_z - ez
    if p[2] <= lo:
        v[2] = max(v[2], 0.0)
    if p[2] >= hi:
        v[2] = min(v[2], 0.0)
    p[2] = min(max(p[2], lo), hi)
    for s in solid:
        _push_out(p, v, ex, ez, region_lo[s, 0], region_lo[s, 1], region_hi[s, 0], region_hi[s, 1])
    for j in obstacles:
        cx, cz = ent_pos[j, 0], ent_pos[j, 2]
        hx, hz = ent_half[j, 0], ent_half[j, 2]
        _push_out(p, v, ex, ez, cx - hx, cz - hz, cx + hx, cz + hz)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _touching(
    p: np.ndarray,
    ex: float,
    ez: float,
    regions: np.ndarray,
    entities: np.ndarray,
    region_lo: np.ndarray,
    region_hi: np.ndarray,
    ent_pos: np.ndarray,
    ent_half: np.ndarray,
    ent_active: np.ndarray,
) -> bool:
    for r in range(regions.shape[0]):
        if (
            regions[r]
            and p[0] + ex >= region_lo[r, 0] - CONTACT
            and p[0] - ex <= region_hi[r, 0] + CONTACT
            and p[2] + ez >= region_lo[r, 1] - CONTACT
            and p[2] - ez <= region_hi[r, 1] + CONTACT
        ):
            return True
    for j in range(entities.shape[0]):
        if (
            entities[j]
            and ent_active[j]
            and abs(p[0] - ent_pos[j, 0]) <= ex + ent_half[j, 0] + CONTACT
            and abs(p[2] - ent_pos[j, 2]) <= ez + ent_half[j, 2] + CONTACT
        ):
            return True
    return False


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _agent_block(
    ap: np.ndarray,
    av: np.ndarray,
    bp: np.ndarray,
    bv: np.ndarray,
    cos: float,
    sin: float,
    hx: float,
    hz: float,
    agent_half: float,
    agent_share: float,
) -> None:
    # separating axes: the block's x and z, the agent's right and forward
    dx = ap[0] - bp[0]
    dz = ap[2] - bp[2]
    best_overlap = math.inf
    best_x = 0.0
    best_z = 0.0
    best_sep = 0.0
    for k in range(4):
        if k == 0:
            lx, lz = 1.0, 0.0
        elif k == 1:
            lx, lz = 0.0, 1.0
        elif k == 2:
            lx, lz = cos, -sin
        else:
            lx, lz = sin, cos
        block_reach = hx * abs(lx) + hz * abs(lz)
        agent_reach = agent_half * (abs(lx * cos - lz * sin) + abs(lx * sin + lz * cos))
        sep = lx * dx + lz * dz
        overlap = block_reach + agent_reach - abs(sep)
        if overlap <= 0.0:
            return
        if overlap < best_overlap:
            best_overlap, best_x, best_z, best_sep = overlap, lx, lz, sep
    sign = 1.0 if best_sep >= 0.0 else -1.0
    nx, nz = best_x * sign, best_z * sign
    ap[0] += nx * (agent_share * best_overlap)
    ap[2] += nz * (agent_share * best_overlap)
    bp[0] -= nx * ((1.0 - agent_share) * best_overlap)
    bp[2] -= nz * ((1.0 - agent_share) * best_overlap)
    closing = (av[0] - bv[0]) * nx + (av[2] - bv[2]) * nz
    if closing < 0.0:
        av[0] -= nx * (agent_share * closing)
        av[2] -= nz * (agent_share * closing)
        bv[0] += nx * ((1.0 - agent_share) * closing)
        bv[2] += nz * ((1.0 - agent_share) * closing)


@njit(cache=True, nogil=True, error_model="numpy")
def world_physics_step(
    move: np.ndarray,
    speed: np.ndarray,
    kinematic: bool,
    agent: np.ndarray,
    agent_position: np.ndarray,
    agent_velocity: np.ndarray,
    agent_yaw: np.ndarray,
    floor_friction: np.ndarray,
    gravity: np.ndarray,
    entity_position: np.ndarray,
    entity_velocity: np.ndarray,
    entity_half: np.ndarray,
    entity_drag: np.ndarray,
    entity_mass: np.ndarray,
    entity_friction: np.ndarray,
    entity_active: np.ndarray,
    blocks: np.ndarray,
    obstacles: np.ndarray,
    region_lo: np.ndarray,
    region_hi: np.ndarray,
    solid: np.ndarray,
    zone_blocks: np.ndarray,
    zone_regions: np.ndarray,
    zone_entities: np.ndarray,
    zones: np.ndarray,
) -> None:
    """One physics step of every area: the action, the bodies, walls, solid regions, obstacles, contacts.

    Args:
        move: ``(n, 5)`` right, forward, turn (degrees), world x, world z per agent (``WorldEnv._move``).
        speed: ``(n,)`` move speed.
        kinematic: True for ``set_velocity`` motion.
        agent: half size, drag, friction, mass, half width of the arena (x), of the arena (z), dt.
        agent_position: ``(n, 3)``, updated; likewise velocities, yaw and entity state.
        agent_velocity: ``(n, 3)``.
        agent_yaw: ``(n,)`` degrees.
        floor_friction: ``(n,)``.
        gravity: ``(n,)``.
        entity_position: ``(n, E, 3)``.
        entity_velocity: ``(n, E, 3)``.
        entity_half: ``(n, E, 3)``.
        entity_drag: ``(n, E)``.
        entity_mass: ``(n, E)``.
        entity_friction: ``(n, E)``.
        entity_active: ``(n, E)``.
        blocks: indices of block copies.
        obstacles: indices of obstacle copies.
        region_lo: ``(R, 2)`` lower (x, z) corners of the regions.
        region_hi: ``(R, 2)`` upper corners.
        solid: indices of solid regions.
        zone_blocks: ``(V, E)`` per push_into_zone event, the blocks it concerns.
        zone_regions: ``(V, R)`` its zone's regions.
        zone_entities: ``(V, E)`` its zone's entity copies.
        zones: ``(V, n)`` bool out, or-ed: a concerned block touched the zone.

    """
    agent_half, agent_drag, agent_mu, agent_mass, half_x, half_z, dt = agent[:7]
    n = agent_position.shape[0]
    for i in range(n):
        ap, av = agent_position[i], agent_velocity[i]
        theta = math.radians(agent_yaw[i])
        cos, sin = math.cos(theta), math.sin(theta)
        dx = move[i, 0] * cos + move[i, 1] * sin + move[i, 3]
        dz = -move[i, 0] * sin + move[i, 1] * cos + move[i, 4]
        if kinematic:
            av[0] = speed[i] * dx
            av[2] = speed[i] * dz
        else:
            av[0] += speed[i] * dx
            av[2] += speed[i] * dz
        agent_yaw[i] = (agent_yaw[i] + move[i, 2]) % 360.0
        g = gravity[i]
        if kinematic:
            ap[0] += av[0] * dt
            ap[1] += av[1] * dt
            ap[2] += av[2] * dt
        else:
            _integrate(ap, av, agent_half, agent_drag, 0.5 * (floor_friction[i] + agent_mu), g, dt)
        ep, ev, eh = entity_position[i], entity_velocity[i], entity_half[i]
        for j in blocks:
            mu = 0.5 * (floor_friction[i] + entity_friction[i, j])
            _integrate(ep[j], ev[j], eh[j, 1], entity_drag[i, j], mu, g, dt)
        theta = math.radians(agent_yaw[i])
        cos, sin = math.cos(theta), math.sin(theta)
        extent = agent_half * (abs(cos) + abs(sin))
        for rounds in range(3):
            for j in blocks:
                for z in range(zones.shape[0]):
                    if zone_blocks[z, j] and _touching(
                        ep[j],
                        eh[j, 0],
                        eh[j, 2],
                        zone_regions[z],
                        zone_entities[z],
                        region_lo,
                        region_hi,
                        ep,
                        eh,
                        entity_active[i],
                    ):
                        zones[z, i] = True
                _static(
                    ep[j],
                    ev[j],
                    eh[j, 0],
                    eh[j, 2],
                    half_x,
                    half_z,
                    region_lo,
                    region_hi,
                    solid,
                    obstacles,
                    ep,
                    eh,
                )
            _static(ap, av, extent, extent, half_x, half_z, region_lo, region_hi, solid, obstacles, ep, eh)
            if rounds == 2:
                break
            for j in blocks:
                share = entity_mass[i, j] / (agent_mass + entity_mass[i, j])
                _agent_block(ap, av, ep[j], ev[j], cos, sin, eh[j, 0], eh[j, 2], agent_half, share)
