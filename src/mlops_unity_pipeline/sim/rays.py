"""Vectorized 2D ray casts in the x-z plane against the arena walls and upright cylinders."""

from __future__ import annotations

import numpy as np


def ray_directions(num_rays: int, degrees: float) -> np.ndarray:
    """Unit (x, z) directions of ``num_rays`` rays.

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
    origins: np.ndarray,
    directions: np.ndarray,
    ray_length: float,
    *,
    half_extent: float | None,
    centres: np.ndarray | None,
    radius: float,
) -> np.ndarray:
    """Distance to the first hit along each ray, capped at ``ray_length``.

    Args:
        origins: ``(n, 2)`` ray origins (inside the arena and outside every cylinder).
        directions: ``(r, 2)`` unit directions shared by every origin.
        ray_length: maximum distance.
        half_extent: walls at ``x, z = ±half_extent``; None when walls are not detectable.
        centres: ``(n, k, 2)`` cylinder centres per origin; None when obstacles are not detectable.
        radius: cylinder radius.

    Returns:
        ``(n, r)`` hit distances in ``[0, ray_length]``.
    """
    n, r = origins.shape[0], directions.shape[0]
    hit = np.full((n, r), float(ray_length))
    if half_extent is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            for axis in (0, 1):
                d = directions[:, axis]  # (r,)
                wall = np.where(d > 0, half_extent, -half_extent)  # (r,)
                t = (wall[None, :] - origins[:, axis : axis + 1]) / d[None, :]
                t = np.where(d[None, :] != 0, t, np.inf)
                np.minimum(hit, t, out=hit)
    if centres is not None and centres.shape[1]:
        # |o + t d - c|^2 = R^2  ->  t = b - sqrt(b^2 - (|c - o|^2 - R^2)), b = d . (c - o)
        oc = centres - origins[:, None, :]  # (n, k, 2)
        b = np.einsum("nkj,rj->nrk", oc, directions)  # (n, r, k)
        c2 = np.einsum("nkj,nkj->nk", oc, oc) - radius * radius  # (n, k)
        disc = b * b - c2[:, None, :]
        valid = (disc >= 0.0) & (b > 0.0)
        t = np.where(valid, b - np.sqrt(np.where(valid, disc, 0.0)), np.inf)
        np.minimum(hit, t.min(axis=2), out=hit)
    np.maximum(hit, 0.0, out=hit)
    return hit
