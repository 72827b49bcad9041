"""Planar contact shared by the hand-written tasks' kernels: walls, an agent's square against a box, falling.

PushBlock and Hallway model an agent as an upright cube of half side ``agent_half`` turned by its yaw (the
cube's footprint is a square) and their walls, blocks and symbols as axis-aligned boxes; PushBlockCollab
clamps its bodies into the same walls. The NumPy reference paths of those tasks (``sim.tasks.*``) compute the
same formulas vectorized; the kernels call these per agent, so every task steps through one copy of each.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

_SQRT2 = math.sqrt(2.0)
"""A turned square of half side h reaches at most h sqrt(2) along any world axis (half its diagonal)."""


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def wall_clamp(x: float, v: float, lo: float, hi: float) -> tuple[float, float]:
    """``x`` clamped into ``[lo, hi]``, and its velocity ``v`` stopped from moving into a wall it touches.

    A static contact without bounce: the body stays at the wall and keeps any motion away from it.
    """
    if x <= lo:
        v = max(v, 0.0)
    if x >= hi:
        v = min(v, 0.0)
    return min(max(x, lo), hi), v


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def keep_inside(
    p: np.ndarray,
    v: np.ndarray,
    i: int,
    ex: float,
    ez: float,
    west: float,
    east: float,
    south: float,
    north: float,
) -> None:
    """Keep body ``i`` (reach ``ex`` on x, ``ez`` on z) within walls at x = west, east; z = south, north.

    ``p`` and ``v`` are ``(n, 3)`` positions and velocities, updated (``wall_clamp`` per axis).
    """
    p[i, 0], v[i, 0] = wall_clamp(p[i, 0], v[i, 0], west + ex, east - ex)
    p[i, 2], v[i, 2] = wall_clamp(p[i, 2], v[i, 2], south + ez, north - ez)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def square_box_contact(
    dx: float, dz: float, cos: float, sin: float, agent_half: float, hx: float, hz: float, touch: float
) -> tuple[bool, float, float, float]:
    """Separating axes of a turned agent square and an axis-aligned box (half sides ``hx``, ``hz``).

    Args:
        dx: agent centre minus box centre along x.
        dz: likewise along z.
        cos: cosine of the agent's yaw.
        sin: sine of the agent's yaw.
        agent_half: the square's half side.
        hx: the box's half extent along x.
        hz: the box's half extent along z.
        touch: how close counts as touching (0: only an overlap touches).

    Returns:
        ``(touching, depth, nx, nz)``: whether they are within ``touch`` of each other on every axis; when
        they overlap, the least penetration ``depth > 0`` and the unit normal from the box to the agent along
        it (the world's x and z axes, then the agent's right and forward, the first least one wins);
        otherwise ``depth`` is 0.

    """
    # the world axes separate them whenever the agent's reach (at most half a diagonal) cannot close the gap
    diagonal = agent_half * _SQRT2 + touch
    if abs(dx) >= hx + diagonal or abs(dz) >= hz + diagonal:
        return False, 0.0, 0.0, 0.0
    best_overlap = math.inf
    best_x = 0.0
    best_z = 0.0
    best_sep = 0.0
    hit = True
    for k in range(4):
        if k == 0:
            lx, lz = 1.0, 0.0
        elif k == 1:
            lx, lz = 0.0, 1.0
        elif k == 2:
            lx, lz = cos, -sin
        else:
            lx, lz = sin, cos
        reach = hx * abs(lx) + hz * abs(lz)
        reach += agent_half * (abs(lx * cos - lz * sin) + abs(lx * sin + lz * cos))
        sep = lx * dx + lz * dz
        overlap = reach - abs(sep)
        if overlap <= -touch:
            return False, 0.0, 0.0, 0.0
        if overlap <= 0.0:
            hit = False
        if overlap < best_overlap:
            best_overlap, best_x, best_z, best_sep = overlap, lx, lz, sep
    if not hit:
        return True, 0.0, 0.0, 0.0
    sign = 1.0 if best_sep >= 0.0 else -1.0
    return True, best_overlap, best_x * sign, best_z * sign


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def fall_and_slide(
    px: float,
    py: float,
    pz: float,
    vx: float,
    vy: float,
    vz: float,
    rest: float,
    drag: float,
    friction: float,
    gravity: float,
    dt: float,
) -> tuple[float, float, float, float, float, float]:
    """One physics step of a free body on the ground plane; returns its position and velocity after it.

    Gravity, linear damping (PhysX's ``1 - drag dt``), Coulomb friction while it rests on the ground (its
    centre within 1e-6 of ``rest``), explicit integration, then the ground stops it at ``rest``.
    """
    vy -= gravity * dt
    damp = min(max(1.0 - drag * dt, 0.0), 1.0)
    vx *= damp
    vy *= damp
    vz *= damp
    grounded = py - rest <= 1e-6
    speed = math.hypot(vx, vz)
    if grounded and speed > 0.0:
        slow = max(speed - friction * gravity * dt, 0.0) / max(speed, 1e-12)
        vx *= slow
        vz *= slow
    px += vx * dt
    py += vy * dt
    pz += vz * dt
    if py < rest:
        py = rest
        vy = max(vy, 0.0)
    return px, py, pz, vx, vy, vz
