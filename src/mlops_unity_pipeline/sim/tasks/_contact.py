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
