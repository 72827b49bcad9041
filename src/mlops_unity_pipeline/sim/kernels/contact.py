"""Planar contact shared by the hand-written tasks' kernels: walls, an agent's square against a box, falling.

PushBlock and Hallway model an agent as an upright cube of half side ``agent_half`` turned by its yaw (the
cube's footprint is a square) and their walls, blocks and symbols as axis-aligned boxes; PushBlockCollab
clamps its bodies into the same walls and separates every pair of its bodies (``box_contact``), as the
generic world kernel does for its agents and blocks. The NumPy reference paths of those tasks
(``sim.tasks.*``) compute the same formulas vectorized; the kernels call these per agent, so every task
steps through one copy of each.
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


@njit(cache=True, nogil=True, error_model="numpy")
def box_contact(
    pa: np.ndarray,
    va: np.ndarray,
    i: int,
    ca: float,
    sa: float,
    ha: np.ndarray,
    ma: float,
    pb: np.ndarray,
    vb: np.ndarray,
    j: int,
    cb: float,
    sb: float,
    hb: np.ndarray,
    mb: float,
) -> None:
    """Separate bodies ``pa[i]`` and ``pb[j]``, upright boxes turned by their yaws, if they overlap.

    Separating axes (a's right and forward, then b's): they are pushed apart along the axis of least
    penetration in inverse proportion to their masses ``ma``, ``mb`` and share the closing normal velocity
    (an inelastic contact that conserves momentum). ``ha``, ``hb`` are half extents (x, y, z); ``ca``, ``sa``
    the cosine and sine of a's yaw. The caller has checked that their circles overlap (``near``).
    """
    dx = pa[i, 0] - pb[j, 0]
    dz = pa[i, 2] - pb[j, 2]
    best = math.inf
    bx = 0.0
    bz = 0.0
    bsep = 0.0
    for k in range(4):
        if k == 0:
            lx, lz = ca, -sa
        elif k == 1:
            lx, lz = sa, ca
        elif k == 2:
            lx, lz = cb, -sb
        else:
            lx, lz = sb, cb
        ra = ha[0] * abs(lx * ca - lz * sa) + ha[2] * abs(lx * sa + lz * ca)
        rb = hb[0] * abs(lx * cb - lz * sb) + hb[2] * abs(lx * sb + lz * cb)
        sep = lx * dx + lz * dz
        overlap = ra + rb - abs(sep)
        if overlap <= 0.0:
            return
        if overlap < best:
            best, bx, bz, bsep = overlap, lx, lz, sep
    sign = 1.0 if bsep >= 0.0 else -1.0
    nx, nz = bx * sign, bz * sign
    total = ma + mb
    wa = mb / total
    wb = ma / total
    pa[i, 0] += nx * best * wa
    pa[i, 2] += nz * best * wa
    pb[j, 0] -= nx * best * wb
    pb[j, 2] -= nz * best * wb
    closing = (va[i, 0] - vb[j, 0]) * nx + (va[i, 2] - vb[j, 2]) * nz
    if closing < 0.0:
        va[i, 0] -= nx * closing * wa
        va[i, 2] -= nz * closing * wa
        vb[j, 0] += nx * closing * wb
        vb[j, 2] += nz * closing * wb


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def near(pa: np.ndarray, i: int, pb: np.ndarray, j: int, reach: float) -> bool:
    """Broad phase: the bodies' circumscribed circles can touch (both axes closer than their radii summed)."""
    return abs(pa[i, 0] - pb[j, 0]) < reach and abs(pa[i, 2] - pb[j, 2]) < reach
