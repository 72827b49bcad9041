"""NumPy twins of ``sim.kernels.contact``: walls, a turned agent square against boxes, a falling body.

The tasks' NumPy reference paths call these vectorized over agents; the kernels call the per-agent
functions of ``sim.kernels.contact``; both compute the same formulas in the same order, so the two paths
give the same trajectories (``tests/sim/test_kernels.py`` and each task's compiled-vs-NumPy test).
"""

from __future__ import annotations

import numpy as np


def clamp_into(
    p: np.ndarray,
    v: np.ndarray,
    lo: np.ndarray | float,
    hi: np.ndarray | float,
    on: np.ndarray | None = None,
) -> None:
    """Clamp coordinates ``p`` into ``[lo, hi]`` in place; velocities ``v`` into a touched wall stop.

    ``p`` and ``v`` are writable views of one axis (``wall_clamp`` of every body at once); ``on`` limits it
    to the bodies where it is True (the others keep their values).
    """
    if on is None:
        v[:] = np.where(p <= lo, np.maximum(v, 0.0), v)
        v[:] = np.where(p >= hi, np.minimum(v, 0.0), v)
        np.clip(p, lo, hi, out=p)
        return
    v[:] = np.where(on & (p <= lo), np.maximum(v, 0.0), v)
    v[:] = np.where(on & (p >= hi), np.minimum(v, 0.0), v)
    p[:] = np.where(on, np.minimum(np.maximum(p, lo), hi), p)


def square_box_overlaps(
    d: np.ndarray,
    cos: np.ndarray,
    sin: np.ndarray,
    agent_half: float,
    hx: np.ndarray | float,
    hz: np.ndarray | float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Overlap of each turned agent square with an axis-aligned box along the four separating axes.

    Args:
        d: ``(n, 2)`` agent centre minus box centre in (x, z).
        cos: ``(n,)`` cosine of each agent's yaw.
        sin: ``(n,)`` its sine.
        agent_half: the square's half side.
        hx: the box's half extent along x (a scalar or one per agent).
        hz: likewise along z.

    Returns:
        ``(axes, separation, overlap)``: ``(n, 4, 2)`` the axes (world x, world z, the agent's right and
        forward), ``(n, 4)`` the centres' separation along each, ``(n, 4)`` the overlap along each (> 0 on
        every axis: they intersect).

    """
    ones, zeros = np.ones_like(cos), np.zeros_like(cos)
    axes = np.stack(
        [
            np.stack([ones, zeros], 1),
            np.stack([zeros, ones], 1),
            np.stack([cos, -sin], 1),
            np.stack([sin, cos], 1),
        ],
        axis=1,
    )
    hx, hz = np.asarray(hx)[..., None], np.asarray(hz)[..., None]
    box_reach = hx * np.abs(axes[..., 0]) + hz * np.abs(axes[..., 1])
    agent_reach = agent_half * (
        np.abs(axes[..., 0] * cos[:, None] - axes[..., 1] * sin[:, None])
        + np.abs(axes[..., 0] * sin[:, None] + axes[..., 1] * cos[:, None])
    )
    separation = (axes * d[:, None, :]).sum(axis=2)
    return axes, separation, box_reach + agent_reach - np.abs(separation)


def least_penetration(
    axes: np.ndarray, separation: np.ndarray, overlap: np.ndarray, hit: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Depth ``(n,)`` (0 where not ``hit``) and unit normal ``(n, 2)`` from the box to the agent.

    Along the axis of least overlap (the first of equals), from ``square_box_overlaps``'s outputs.
    """
    rows = np.arange(overlap.shape[0])
    best = np.argmin(overlap, axis=1)
    depth = np.where(hit, overlap[rows, best], 0.0)
    sign = np.where(separation[rows, best] >= 0.0, 1.0, -1.0)
    return depth, axes[rows, best] * sign[:, None]


def fall_and_slide(
    p: np.ndarray,
    v: np.ndarray,
    rest: np.ndarray | float,
    drag: np.ndarray | float,
    friction: np.ndarray | float,
    gravity: float,
    dt: float,
) -> None:
    """One physics step of free bodies on the ground plane (``sim.kernels.contact.fall_and_slide``).

    ``p`` and ``v`` ``(n, 3)`` are updated in place; ``rest``, ``drag`` and ``friction`` are scalars or
    one per body.
    """
    v[:, 1] -= gravity * dt
    v *= np.clip(1.0 - np.asarray(drag) * dt, 0.0, 1.0)[..., None]
    grounded = p[:, 1] - rest <= 1e-6
    speed = np.hypot(v[:, 0], v[:, 2])
    slow = np.where(
        grounded & (speed > 0),
        np.maximum(speed - friction * gravity * dt, 0.0) / np.maximum(speed, 1e-12),
        1.0,
    )
    v[:, 0] *= slow
    v[:, 2] *= slow
    p += v * dt
    below = p[:, 1] < rest
    p[:, 1] = np.maximum(p[:, 1], rest)
    v[:, 1] = np.where(below, np.maximum(v[:, 1], 0.0), v[:, 1])


def box_contact(on: np.ndarray, first: tuple, second: tuple) -> None:
    """Separate pairs of upright turned boxes where ``on`` (``sim.kernels.contact.box_contact``, vectorized).

    ``first`` and ``second`` are ``(p, v, cos, sin, half, mass)``: positions and velocities ``(n, 3)``
    (updated), yaw cosines and sines ``(n,)``, half extents indexable as ``half[0]``, ``half[2]`` (scalars or
    ``(n,)``), masses (scalar or ``(n,)``).
    """
    pa, va, ca, sa, ha, ma = first
    pb_, vb, cb, sb, hb, mb = second
    dx = pa[:, 0] - pb_[:, 0]
    dz = pa[:, 2] - pb_[:, 2]
    reach = np.hypot(ha[0], ha[2]) + np.hypot(hb[0], hb[2])
    live = on & (np.abs(dx) < reach) & (np.abs(dz) < reach)
    if not live.any():
        return
    best = np.full(dx.shape, np.inf)
    bx, bz, bsep = np.zeros_like(dx), np.zeros_like(dx), np.zeros_like(dx)
    for lx, lz in ((ca, -sa), (sa, ca), (cb, -sb), (sb, cb)):
        ra = ha[0] * np.abs(lx * ca - lz * sa) + ha[2] * np.abs(lx * sa + lz * ca)
        rb = hb[0] * np.abs(lx * cb - lz * sb) + hb[2] * np.abs(lx * sb + lz * cb)
        sep = lx * dx + lz * dz
        overlap = ra + rb - np.abs(sep)
        live &= overlap > 0.0
        better = overlap < best
        best = np.where(better, overlap, best)
        bx, bz, bsep = np.where(better, lx, bx), np.where(better, lz, bz), np.where(better, sep, bsep)
    if not live.any():
        return
    sign = np.where(bsep >= 0.0, 1.0, -1.0)
    nx, nz = bx * sign, bz * sign
    wa, wb = mb / (ma + mb), ma / (ma + mb)
    depth = np.where(live, best, 0.0)
    pa[:, 0] += nx * depth * wa
    pa[:, 2] += nz * depth * wa
    pb_[:, 0] -= nx * depth * wb
    pb_[:, 2] -= nz * depth * wb
    closing = (va[:, 0] - vb[:, 0]) * nx + (va[:, 2] - vb[:, 2]) * nz
    closing = np.where(live & (closing < 0.0), closing, 0.0)
    va[:, 0] -= nx * closing * wa
    va[:, 2] -= nz * closing * wa
    vb[:, 0] += nx * closing * wb
    vb[:, 2] += nz * closing * wb
