"""Top-down camera kernel: every area's image (``sim.world_camera.TopDownCamera``'s NumPy path).

Each area's image is the camera's static image (background, walls, floor, regions; already 8-bit values)
with every shown item's glyph painted over the pixels of its footprint's bounding box, in item order; each
pixel test is the NumPy path's, in the same float64 operations (cos and sin come in computed by NumPy), so
both paths give the same image bit for bit.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _glyph(glyph: int, a: float, b: float) -> bool:
    # 0 fill, 1 plus, 2 cross, 3 outline (``world_camera.GLYPH_CODES``)
    if glyph == 1:
        return abs(a) < 0.1 or abs(b) < 0.1
    if glyph == 2:
        return (abs(a - b) < 0.15 or abs(a + b) < 0.15) and abs(a) < 0.38 and abs(b) < 0.4
    if glyph == 3:
        return abs(a) > 0.3 or abs(b) > 0.3
    return True


@njit(cache=True, nogil=True, error_model="numpy")
def world_camera_render(
    out: np.ndarray,
    static: np.ndarray,
    xs: np.ndarray,
    zs: np.ndarray,
    centre: np.ndarray,
    size: np.ndarray,
    cos: np.ndarray,
    sin: np.ndarray,
    shown: np.ndarray,
    glyph: np.ndarray,
    colour: np.ndarray,
) -> None:
    """Write ``m`` areas' images into ``out`` ``(m, C, H, W)``.

    Args:
        out: the images.
        static: ``(C, H, W)`` the image without items.
        xs: ``(W,)`` world x of the pixel columns.
        zs: ``(H,)`` world z of the pixel rows.
        centre: ``(m, K, 2)`` the items' (x, z).
        size: ``(m, K, 2)`` their drawn footprints.
        cos: ``(m, K)`` cos of their yaws.
        sin: ``(m, K)`` sin of their yaws.
        shown: ``(m, K)`` which are drawn.
        glyph: ``(K,)`` glyph codes.
        colour: ``(K, C)`` 8-bit colours in [0, 1].

    """
    channels, height, width = static.shape
    scale = xs[1] - xs[0] if width > 1 else 1.0
    src = static.reshape(-1)
    for i in range(out.shape[0]):
        dst = out[i].reshape(-1)
        for k in range(dst.size):  # one flat loop: a vectorized copy
            dst[k] = src[k]
        img = out[i]
        for j in range(centre.shape[1]):
            if not shown[i, j]:
                continue
            cx, cz = centre[i, j, 0], centre[i, j, 1]
            sx, sz = size[i, j, 0], size[i, j, 1]
            c, s = cos[i, j], sin[i, j]
            hx = 0.5 * (sx * abs(c) + sz * abs(s))  # the footprint's axis-aligned half extents
            hz = 0.5 * (sx * abs(s) + sz * abs(c))
            c_lo = max(int(math.floor((cx - hx - xs[0]) / scale)) - 1, 0)
            c_hi = min(int(math.ceil((cx + hx - xs[0]) / scale)) + 1, width - 1)
            r_lo = max(int(math.floor((zs[0] - (cz + hz)) / scale)) - 1, 0)
            r_hi = min(int(math.ceil((zs[0] - (cz - hz)) / scale)) + 1, height - 1)
            for r in range(r_lo, r_hi + 1):
                dz = zs[r] - cz
                for col in range(c_lo, c_hi + 1):
                    dx = xs[col] - cx
                    a = (dx * c - dz * s) / sx
                    b = (dx * s + dz * c) / sz
                    if a >= -0.5 and a < 0.5 and b >= -0.5 and b < 0.5 and _glyph(glyph[j], a, b):
                        for ch in range(channels):
                            img[ch, r, col] = colour[j, ch]
