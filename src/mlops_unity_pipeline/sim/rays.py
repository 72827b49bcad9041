"""Vectorized 2D ray casts in the x-z plane against the arena walls and upright cylinders."""

from __future__ import annotations

import numpy as np


def ray_directions(num_rays: int, degrees: float) -> np.ndarray:
    """Compute the unit (x, z) directions of ``num_rays`` rays.

    360 degrees spreads them evenly around (ray i at ``i * 360 / num_rays`` from +z, clockwise towards +x, as
    Unity's y-up left-handed frame turns); less spreads them evenly from ``-degrees / 2`` to ``+degrees / 2``.

    Args:
        num_rays: number of rays (>= 1).
        degrees: total spread in degrees.

    Returns:
        ``(num_rays, 2)`` float64 unit vectors.

    """
    if degrees >= 360.0:
        angles = np.arange(num_rays) * (2.0 * np.pi / num_rays)
    elif num_rays == 1:
        angles = np.zeros(1)
    else:
        angles = np.radians(np.linspace(-degrees / 2.0, degrees / 2.0, num_rays))
    return np.stack([np.sin(angles), np.cos(angles)], axis=1)


def cast(
    origin_x: np.ndarray,
    origin_z: np.ndarray,
    directions: np.ndarray,
    ray_length: float,
    *,
    half_extent: float | None,
    centres_x: np.ndarray | None,
    centres_z: np.ndarray | None,
    radius: float,
) -> np.ndarray:
    """Distance to the first hit along each ray, capped at ``ray_length``.

    Coordinates come split by axis, with obstacles first (``(k, n)``), so every reduction runs over a leading
    axis, which NumPy does fast; reducing a short trailing axis is several times slower.

    Args:
        origin_x: ``(n,)`` ray origins' x (inside the arena and outside every cylinder).
        origin_z: ``(n,)`` ray origins' z.
        directions: ``(r, 2)`` unit (x, z) directions shared by every origin.
        ray_length: maximum distance.
        half_extent: walls at ``x, z = ±half_extent``; None when walls are not detectable.
        centres_x: ``(k, n)`` cylinder centres' x per origin; None when obstacles are not detectable.
        centres_z: ``(k, n)`` cylinder centres' z.
        radius: cylinder radius.

    Returns:
        ``(n, r)`` hit distances in ``[0, ray_length]``.

    """
    # Work in (ray, agent) layout so the innermost, contiguous axis is the long agent axis.
    r = directions.shape[0]
    hit = np.full((r, origin_x.shape[0]), float(ray_length))
    dx, dz = directions[:, 0:1], directions[:, 1:2]  # (r, 1)
    if half_extent is not None:
        # Distance to the wall each ray points at, per axis: (±half_extent - origin) / direction.
        with np.errstate(divide="ignore"):
            inverse = np.where(directions != 0.0, 1.0 / directions, np.inf)  # (r, 2)
        wall = np.where(directions >= 0.0, half_extent, -half_extent)  # (r, 2); +inf where parallel
        np.minimum(hit, (wall[:, 0:1] - origin_x) * inverse[:, 0:1], out=hit)
        np.minimum(hit, (wall[:, 1:2] - origin_z) * inverse[:, 1:2], out=hit)
    if centres_x is not None and centres_z is not None and centres_x.shape[0]:
        # |o + t d - c|^2 = R^2  ->  t = b - sqrt(b^2 - (|c - o|^2 - R^2)), b = d . (c - o)
        ocx = (centres_x - origin_x)[:, None, :]  # (k, 1, n)
        ocz = (centres_z - origin_z)[:, None, :]
        b = ocx * dx  # (k, r, n)
        b += ocz * dz
        # A cylinder behind the ray (b <= 0) is a miss: clamping b to 0 makes the discriminant negative
        # (origins are outside every cylinder, so |c - o|^2 > R^2), and a negative discriminant gives NaN,
        # which fmin skips.
        np.maximum(b, 0.0, out=b)
        c2 = ocx * ocx + ocz * ocz - radius * radius  # (k, 1, n)
        disc = b * b - c2
        with np.errstate(invalid="ignore"):
            np.sqrt(disc, out=disc)
        b -= disc
        np.fmin(hit, np.fmin.reduce(b, axis=0), out=hit)
    np.maximum(hit, 0.0, out=hit)
    return hit.T
