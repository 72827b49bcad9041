"""Ray perception kernel: every agent's sphere casts and their encoding (``sim.ray_perception``)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

_INF = math.inf
_CULL_MARGIN = 1e-6
"""Slack of the reach test (``observe_agent``): far above the rounding of coordinates below 1e6, so a
collider it skips is one the exact cast would miss or find beyond the ray's length."""


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _sphere_entry(rx: float, ry: float, rz: float, dx: float, dy: float, dz: float, radius: float) -> float:
    # rel = origin - centre; unit direction; inf on a miss, behind, or an origin inside (overlap)
    b = rx * dx + ry * dy + rz * dz
    c = rx * rx + ry * ry + rz * rz - radius * radius
    disc = b * b - c
    if c <= 0.0 or disc < 0.0:
        return _INF
    t = -b - math.sqrt(disc)
    return t if t >= 0.0 else _INF


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _axis(o: float, d: float, e: float, enter: float, leave: float) -> tuple[float, float]:
    # one slab of a box [-e, e]: narrows (enter, leave); an empty interval means a miss
    if d == 0.0:
        if abs(o) > e:
            return _INF, -_INF
        return enter, leave
    t1 = (-e - o) / d
    t2 = (e - o) / d
    if t1 > t2:
        t1, t2 = t2, t1
    return max(enter, t1), min(leave, t2)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _slab(
    ox: float, oy: float, oz: float, dx: float, dy: float, dz: float, ex: float, ey: float, ez: float
) -> float:
    enter, leave = _axis(ox, dx, ex, -_INF, _INF)
    enter, leave = _axis(oy, dy, ey, enter, leave)
    enter, leave = _axis(oz, dz, ez, enter, leave)
    if enter <= leave and leave >= 0.0:
        return max(enter, 0.0)
    return _INF


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _edge(
    oa: float, ob: float, oc: float, da: float, db: float, dc: float, ha: float, radius: float
) -> float:
    # a cylinder of ``radius`` along axis a (half length ha) through (b, c) = (0, 0), in shifted coordinates
    qa = db * db + dc * dc
    qb = ob * db + oc * dc
    qc = ob * ob + oc * oc - radius * radius
    disc = qb * qb - qa * qc
    if qa > 0.0 and disc >= 0.0:
        t = (-qb - math.sqrt(disc)) / qa
        if t >= 0.0 and abs(oa + t * da) <= ha:
            return t
    return _INF


@njit(cache=True, nogil=True, error_model="numpy")
def _all_pieces(
    ox: float,
    oy: float,
    oz: float,
    dx: float,
    dy: float,
    dz: float,
    hx: float,
    hy: float,
    hz: float,
    radius: float,
) -> float:
    # the sphere-swept box as its 23 pieces: three face-grown boxes, twelve edge cylinders, eight corners
    best = _slab(ox, oy, oz, dx, dy, dz, hx + radius, hy, hz)
    best = min(best, _slab(ox, oy, oz, dx, dy, dz, hx, hy + radius, hz))
    best = min(best, _slab(ox, oy, oz, dx, dy, dz, hx, hy, hz + radius))
    for sb in (-1.0, 1.0):
        for sc in (-1.0, 1.0):
            best = min(best, _edge(ox, oy - sb * hy, oz - sc * hz, dx, dy, dz, hx, radius))  # along x
            best = min(best, _edge(oy, ox - sb * hx, oz - sc * hz, dy, dx, dz, hy, radius))  # along y
            best = min(best, _edge(oz, ox - sb * hx, oy - sc * hy, dz, dx, dy, hz, radius))  # along z
    for sx in (-1.0, 1.0):
        for sy in (-1.0, 1.0):
            for sz in (-1.0, 1.0):
                best = min(best, _sphere_entry(ox - sx * hx, oy - sy * hy, oz - sz * hz, dx, dy, dz, radius))
    return best


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def rounded_box_entry(
    ox: float,
    oy: float,
    oz: float,
    dx: float,
    dy: float,
    dz: float,
    hx: float,
    hy: float,
    hz: float,
    radius: float,
) -> float:
    """Distance a sphere travels from ``o`` along unit ``d`` to touch the box ``[-h, h]`` (inf: none).

    The box grown by the sphere (``sim.ray_perception._rounded_box``) lies inside the box grown by the radius
    along every axis: a ray missing that misses; one entering it where at most one coordinate lies beyond the
    box enters through a face (the common case, exact); otherwise only the capsules of the edge (or the
    three edges of the corner) next to that entry point can be touched first. A start inside the grown
    box (but outside the swept one) tries every piece.
    """
    qx = max(abs(ox) - hx, 0.0)
    qy = max(abs(oy) - hy, 0.0)
    qz = max(abs(oz) - hz, 0.0)
    if qx * qx + qy * qy + qz * qz <= radius * radius:
        return _INF  # overlapping at the start: not detected
    t = _slab(ox, oy, oz, dx, dy, dz, hx + radius, hy + radius, hz + radius)
    if t == _INF:
        return _INF
    qx, qy, qz = ox + t * dx, oy + t * dy, oz + t * dz
    bx, by, bz = abs(qx) > hx, abs(qy) > hy, abs(qz) > hz
    beyond = int(bx) + int(by) + int(bz)
    if beyond <= 1:
        return t
    if t <= 0.0:  # the start lies inside the grown box (near an edge or corner): try every piece
        return _all_pieces(ox, oy, oz, dx, dy, dz, hx, hy, hz, radius)
    # The entry point lies in an edge or a corner region of the grown box: the sphere first touches the
    # capsule of that edge, or one of the three capsules meeting at that corner, or nothing (Ericson,
    # Real-Time Collision Detection, 5.5.7, "Intersecting moving sphere against AABB").
    sx = hx if qx >= 0.0 else -hx
    sy = hy if qy >= 0.0 else -hy
    sz = hz if qz >= 0.0 else -hz
    best = _INF
    if not bx or beyond == 3:  # the edge along x at (sy, sz)
        best = min(best, _edge(ox, oy - sy, oz - sz, dx, dy, dz, hx, radius))
        best = min(best, _sphere_entry(ox - hx, oy - sy, oz - sz, dx, dy, dz, radius))
        best = min(best, _sphere_entry(ox + hx, oy - sy, oz - sz, dx, dy, dz, radius))
    if not by or beyond == 3:  # the edge along y at (sx, sz)
        best = min(best, _edge(oy, ox - sx, oz - sz, dy, dx, dz, hy, radius))
        best = min(best, _sphere_entry(ox - sx, oy - hy, oz - sz, dx, dy, dz, radius))
        best = min(best, _sphere_entry(ox - sx, oy + hy, oz - sz, dx, dy, dz, radius))
    if not bz or beyond == 3:  # the edge along z at (sx, sy)
        best = min(best, _edge(oz, ox - sx, oy - sy, dz, dx, dy, hz, radius))
        best = min(best, _sphere_entry(ox - sx, oy - sy, oz - hz, dx, dy, dz, radius))
        best = min(best, _sphere_entry(ox - sx, oy - sy, oz + hz, dx, dy, dz, radius))
    return best


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def cast_buffers(rays: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scratch for ``observe_agent``: each ray's world start and direction, nearest hit, its tag, reach.

    The reach is the world box ``(lo x, y, z, hi x, y, z)`` the ray's swept sphere can touch in its length.
    """
    return np.empty((rays, 6)), np.empty(rays), np.empty(rays, dtype=np.int64), np.empty((rays, 6))


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def no_spheres() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the sphere colliders of a scene that has none: centres ``(0, 3)``, radii, tags."""
    return np.zeros((0, 3)), np.zeros(0), np.zeros(0, dtype=np.int64)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def observe_agent(
    px: float,
    py: float,
    pz: float,
    yaw: float,
    layout: tuple,
    boxes: tuple,
    spheres: tuple,
    out: np.ndarray,
    buffers: tuple,
) -> None:
    """Cast and encode one agent's rays into its zeroed frame ``out`` (``r * (num_tags + 2)`` float32).

    Args:
        px: the agent's origin x (world).
        py: origin y.
        pz: origin z.
        yaw: the agent's rotation about +y in degrees.
        layout: the sensor's rays ``(start, direction, length, radius, num_tags)`` (``RayLayout``'s arrays).
        boxes: the agent's box colliders ``(center (k, 3), half (k, 3), yaw (k,), tag (k,))``.
        spheres: its sphere colliders ``(center (m, 3), radius (m,), tag (m,))`` (``no_spheres()``: none).
        out: the frame, written.
        buffers: ``cast_buffers(r)``.

    Decision kernels of ray-sensing tasks call this per agent; ``ray_perception_observe`` for every agent.

    """
    start, direction, length, radius, num_tags = layout
    box_center, box_half, box_yaw, box_tag = boxes
    sphere_center, sphere_radius, sphere_tag = spheres
    world, best, tag, reach = buffers
    r = length.shape[0]
    k = box_tag.shape[0]
    m = sphere_tag.shape[0]
    width = num_tags + 2
    theta = math.radians(yaw)
    cos, sin = math.cos(theta), math.sin(theta)
    # the reach of all rays together, to skip a collider no ray can touch with one test
    all_lo_x = all_lo_y = all_lo_z = _INF
    all_hi_x = all_hi_y = all_hi_z = -_INF
    for j in range(r):
        # Unity's turn about +y: (x, z) -> (x cos + z sin, -x sin + z cos)
        world[j, 0] = start[j, 0] * cos + start[j, 2] * sin + px
        world[j, 1] = start[j, 1] + py
        world[j, 2] = -start[j, 0] * sin + start[j, 2] * cos + pz
        world[j, 3] = direction[j, 0] * cos + direction[j, 2] * sin
        world[j, 4] = direction[j, 1]
        world[j, 5] = -direction[j, 0] * sin + direction[j, 2] * cos
        best[j] = _INF
        tag[j] = -1
        # Broad phase: every point the swept sphere touches lies in the box around the segment from the start
        # to its end grown by the radius; a collider outside that box is missed or hit beyond the length.
        grow = radius[j] + _CULL_MARGIN
        for a in range(3):
            near = world[j, a]
            far = near + length[j] * world[j, 3 + a]
            reach[j, a] = min(near, far) - grow
            reach[j, 3 + a] = max(near, far) + grow
        all_lo_x, all_hi_x = min(all_lo_x, reach[j, 0]), max(all_hi_x, reach[j, 3])
        all_lo_y, all_hi_y = min(all_lo_y, reach[j, 1]), max(all_hi_y, reach[j, 4])
        all_lo_z, all_hi_z = min(all_lo_z, reach[j, 2]), max(all_hi_z, reach[j, 5])
    for b in range(k):
        if box_yaw[b] == 0.0:  # most boxes are not turned: skip the trigonometry
            bc, bs = 1.0, 0.0
        else:
            phi = math.radians(box_yaw[b])
            bc, bs = math.cos(phi), math.sin(phi)
        cx, cy, cz = box_center[b, 0], box_center[b, 1], box_center[b, 2]
        hx, hy, hz = box_half[b, 0], box_half[b, 1], box_half[b, 2]
        # the turned box's extent along the world axes
        ex = abs(bc) * hx + abs(bs) * hz
        ez = abs(bs) * hx + abs(bc) * hz
        lo_x, hi_x, lo_y, hi_y, lo_z, hi_z = cx - ex, cx + ex, cy - hy, cy + hy, cz - ez, cz + ez
        if (
            hi_x < all_lo_x
            or lo_x > all_hi_x
            or hi_y < all_lo_y
            or lo_y > all_hi_y
            or hi_z < all_lo_z
            or lo_z > all_hi_z
        ):
            continue
        for j in range(r):
            if (
                hi_x < reach[j, 0]
                or lo_x > reach[j, 3]
                or hi_y < reach[j, 1]
                or lo_y > reach[j, 4]
                or hi_z < reach[j, 2]
                or lo_z > reach[j, 5]
            ):
                continue
            # into the box's frame (the inverse turn)
            rx = world[j, 0] - cx
            rz = world[j, 2] - cz
            wx, wz = world[j, 3], world[j, 5]
            t = rounded_box_entry(
                rx * bc - rz * bs,
                world[j, 1] - cy,
                rx * bs + rz * bc,
                wx * bc - wz * bs,
                world[j, 4],
                wx * bs + wz * bc,
                hx,
                hy,
                hz,
                radius[j],
            )
            if t <= length[j] and t < best[j]:
                best[j] = t
                tag[j] = box_tag[b]
    for s in range(m):
        sx, sy, sz, sr = sphere_center[s, 0], sphere_center[s, 1], sphere_center[s, 2], sphere_radius[s]
        if (
            sx + sr < all_lo_x
            or sx - sr > all_hi_x
            or sy + sr < all_lo_y
            or sy - sr > all_hi_y
            or sz + sr < all_lo_z
            or sz - sr > all_hi_z
        ):
            continue
        for j in range(r):
            if (
                sx + sr < reach[j, 0]
                or sx - sr > reach[j, 3]
                or sy + sr < reach[j, 1]
                or sy - sr > reach[j, 4]
                or sz + sr < reach[j, 2]
                or sz - sr > reach[j, 5]
            ):
                continue
            t = _sphere_entry(
                world[j, 0] - sphere_center[s, 0],
                world[j, 1] - sphere_center[s, 1],
                world[j, 2] - sphere_center[s, 2],
                world[j, 3],
                world[j, 4],
                world[j, 5],
                sphere_radius[s] + radius[j],
            )
            if t <= length[j] and t < best[j]:
                best[j] = t
                tag[j] = sphere_tag[s]
    for j in range(r):
        base = j * width
        if best[j] < _INF:
            if tag[j] >= 0:
                out[base + tag[j]] = 1.0
            out[base + num_tags + 1] = best[j] / length[j] if length[j] > 0.0 else 0.0
        else:
            out[base + num_tags] = 1.0
            out[base + num_tags + 1] = 1.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def stack_into(history: np.ndarray, frame: np.ndarray, out: np.ndarray) -> None:
    """``StackingSensor``: ``out`` = the older frames of one agent's ``history`` row, then ``frame``."""
    size = frame.shape[0]
    older = history.shape[0] - size
    for j in range(older):
        out[j] = history[j + size]
    for j in range(size):
        out[older + j] = frame[j]


@njit(cache=True, nogil=True, error_model="numpy")
def ray_perception_observe(
    position: np.ndarray,
    yaw: np.ndarray,
    start: np.ndarray,
    direction: np.ndarray,
    length: np.ndarray,
    radius: np.ndarray,
    box_center: np.ndarray,
    box_half: np.ndarray,
    box_yaw: np.ndarray,
    box_tag: np.ndarray,
    sphere_center: np.ndarray,
    sphere_radius: np.ndarray,
    sphere_tag: np.ndarray,
    num_tags: int,
    out: np.ndarray,
) -> None:
    """Cast and encode every agent's rays into the zeroed ``out`` (``(n, r * (num_tags + 2))`` float32).

    Arguments are those of ``sim.ray_perception.observe`` with the layout (local ``start``, unit
    ``direction``, cast ``length``, scaled ``radius``) and the colliders' arrays spelled out.
    """
    n = position.shape[0]
    layout = (start, direction, length, radius, num_tags)
    buffers = cast_buffers(length.shape[0])
    for i in range(n):
        observe_agent(
            position[i, 0],
            position[i, 1],
            position[i, 2],
            yaw[i],
            layout,
            (box_center[i], box_half[i], box_yaw[i], box_tag),
            (sphere_center[i], sphere_radius, sphere_tag),
            out[i],
            buffers,
        )
