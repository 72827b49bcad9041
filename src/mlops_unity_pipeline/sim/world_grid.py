"""ML-Agents' ``GridSensorComponent`` (one-hot grid) over a world's colliders, for a batch of agents.

Semantics (``com.unity.ml-agents`` 3.0.0, ``Runtime/Sensors/``: ``GridSensorComponent.cs``,
``BoxOverlapChecker.cs``, ``GridSensorBase.cs``, ``OneHotGridSensor.cs``; facts only):

- Cell ``k`` of a ``gx`` x ``gz`` grid sits at the local point ``((k // gz - (gx-1)/2) * cs, 0,
  (k % gz - (gz-1)/2) * cs)`` around the agent; with ``RotateWithAgent`` the point is turned by the agent's
  rotation (``TransformPoint``), else only shifted. Each cell is probed with ``Physics.OverlapBox`` of half
  extents ``(cs/2, cell_y, cs/2)`` (``cell_y`` is the *full* ``CellScale.y``, 0.01 by default) turned like
  the grid.
- Of the colliders found, the agent's own is skipped, and the one with a detectable tag whose
  ``ClosestPointOnBounds(cellCenter)`` (its world axis-aligned bounds) lies nearest the agent's centre is kept
  (``ProcessClosestColliders``); the cell's data is the one-hot of that collider's first matching tag, zero
  when nothing detectable overlaps.
- The observation is ``ObservationSpec.Visual(tags, gx, gz)``: shape ``(tags, gx, gz)``; ``Write`` walks the
  cells in index order with ``h`` from ``gz - 1`` down to 0 and ``w`` from 0 up, so cell ``k`` lands at row
  ``gz - 1 - k // gx``, column ``k % gx``: rows run over x from +x down, columns over z (square grids only:
  upstream's writer indexes past the shape otherwise). The sensor reports ``<name>-OneHot``.
"""

from __future__ import annotations

import numpy as np

from ..world.model import GridSensor
from .ray_perception import Colliders

CELL_HEIGHT = 0.01
"""``GridSensorComponent.CellScale.y`` default: the probe's half height above and below the agent's centre."""
TOUCH = 1e-6
"""Overlaps shallower than this do not count: faces that touch (an object filling the cell beside the probed
one) stay out whatever the rounding of a turned grid's cell centres."""


class GridPerception:
    """The one-hot grid of one ``GridSensor`` for a batch of agents (no stacking: frames are independent).

    Attributes:
        sensor: the IR sensor.
        shape: ``(tags, gx, gz)`` per agent.
        cells: ``(gx * gz, 2)`` the cells' local (x, z) in index order.

    """

    def __init__(self, sensor: GridSensor) -> None:
        """Lay out the cells of ``sensor``.

        Args:
            sensor: a validated grid sensor (square ``grid_size``).

        """
        self.sensor = sensor
        gx, gz = sensor.grid_size
        self.shape = (len(sensor.detectable_tags), gx, gz)
        k = np.arange(gx * gz)
        cs = sensor.cell_size
        self.cells = np.stack([(k // gz - (gx - 1) / 2.0) * cs, (k % gz - (gz - 1) / 2.0) * cs], axis=1)
        # Write's order: cell k at row gz - 1 - k // gx, column k % gx (square grids: gx == gz)
        self._row = gz - 1 - k // gx
        self._col = k % gx

    def tag_indices(self, object_tags: list[str]) -> np.ndarray:
        """Channel of each collider's tag among ``detectable_tags`` (-1: not detected)."""
        lookup = {tag: i for i, tag in enumerate(self.sensor.detectable_tags)}
        return np.array([lookup.get(tag, -1) for tag in object_tags], dtype=np.int64)

    def observe(
        self, position: np.ndarray, yaw: np.ndarray, colliders: Colliders, own: np.ndarray
    ) -> np.ndarray:
        """Return the grids of agents at ``position`` ``(m, 3)`` turned by ``yaw`` ``(m,)`` degrees.

        Args:
            position: the agents' centres.
            yaw: the agents' headings (Unity's: clockwise seen from above; 0 faces +z).
            colliders: the agents' colliders (rows per agent), tags as ``tag_indices``.
            own: ``(m,)`` each agent's own box row in ``colliders`` (skipped), -1 when it has none.

        Returns:
            ``(m, tags, gx, gz)`` float32.

        """
        m = position.shape[0]
        theta = np.radians(yaw) if self.sensor.rotate_with_agent else np.zeros(m)
        cos, sin = np.cos(theta)[:, None], np.sin(theta)[:, None]
        lx, lz = self.cells[:, 0][None, :], self.cells[:, 1][None, :]
        # TransformPoint: local x along the agent's right (cos, -sin), z along its forward (sin, cos)
        cx = position[:, 0:1] + lx * cos + lz * sin  # (m, G)
        cz = position[:, 2:3] - lx * sin + lz * cos
        cy = position[:, 1:2]
        half = self.sensor.cell_size / 2.0
        best = np.full(cx.shape, np.inf)
        channel = np.full(cx.shape, -1, dtype=np.int64)
        boxes = np.flatnonzero(colliders.box_tag >= 0)
        for b in boxes:
            c, h = colliders.box_center[:, b], colliders.box_half[:, b]  # (m, 3)
            yaw_b = np.radians(colliders.box_yaw[:, b])
            hit = np.abs(cy - c[:, 1:2]) < CELL_HEIGHT + h[:, 1:2] - TOUCH
            hit = hit & _boxes_overlap(cx, cz, half, theta, c, h, yaw_b)
            hit &= (own != b)[:, None]  # the agent's own collider (BoxOverlapChecker skips it)
            ext = _aabb_half(h, yaw_b)
            self._keep(hit, c, ext, cx, cy, cz, position, best, channel, colliders.box_tag[b])
        for s in np.flatnonzero(colliders.sphere_tag >= 0):
            c, r = colliders.sphere_center[:, s], colliders.sphere_radius[s]
            # nearest point of the turned cell box to the sphere's centre, in the cell's frame
            dx, dz = c[:, 0:1] - cx, c[:, 2:3] - cz
            u = np.clip(dx * cos - dz * sin, -half, half)
            v = np.clip(dx * sin + dz * cos, -half, half)
            du, dv = dx * cos - dz * sin - u, dx * sin + dz * cos - v
            dy = np.maximum(np.abs(c[:, 1:2] - cy) - CELL_HEIGHT, 0.0)
            hit = np.sqrt(du * du + dv * dv + dy * dy) < r - TOUCH
            ext = np.full((m, 3), r)
            self._keep(hit, c, ext, cx, cy, cz, position, best, channel, colliders.sphere_tag[s])
        out = np.zeros((m, *self.shape), dtype=np.float32)
        a, g = np.nonzero(channel >= 0)
        out[a, channel[a, g], self._row[g], self._col[g]] = 1.0
        return out

    @staticmethod
    def _keep(
        hit: np.ndarray,
        centre: np.ndarray,
        ext: np.ndarray,
        cx: np.ndarray,
        cy: np.ndarray,
        cz: np.ndarray,
        position: np.ndarray,
        best: np.ndarray,
        channel: np.ndarray,
        tag: int,
    ) -> None:
        """Keep a collider where it overlaps and its bounds' point nearest the cell is nearest the agent."""
        px = np.clip(cx, centre[:, 0:1] - ext[:, 0:1], centre[:, 0:1] + ext[:, 0:1])
        py = np.clip(cy, centre[:, 1:2] - ext[:, 1:2], centre[:, 1:2] + ext[:, 1:2])
        pz = np.clip(cz, centre[:, 2:3] - ext[:, 2:3], centre[:, 2:3] + ext[:, 2:3])
        d = (px - position[:, 0:1]) ** 2 + (py - position[:, 1:2]) ** 2 + (pz - position[:, 2:3]) ** 2
        better = hit & (d < best)  # the first of equal distances stays (ParseCollidersClosest's strict <)
        best[better] = d[better]
        channel[better] = tag

    def clear(self, idx: np.ndarray) -> None:
        """Nothing to clear at an episode start (the world env's sensors share this hook with stacks)."""

    def commit(self, obs: np.ndarray) -> None:
        """Nothing to remember between decisions (the world env's sensors share this hook with stacks)."""


def _aabb_half(half: np.ndarray, yaw: np.ndarray) -> np.ndarray:
    """World axis-aligned half extents ``(m, 3)`` of boxes turned by ``yaw`` radians (``Collider.bounds``)."""
    c, s = np.abs(np.cos(yaw)), np.abs(np.sin(yaw))
    return np.stack([half[:, 0] * c + half[:, 2] * s, half[:, 1], half[:, 0] * s + half[:, 2] * c], axis=1)


def _boxes_overlap(
    cx: np.ndarray,
    cz: np.ndarray,
    half: float,
    theta: np.ndarray,
    centre: np.ndarray,
    box_half: np.ndarray,
    box_yaw: np.ndarray,
) -> np.ndarray:
    """Return whether square cells overlap boxes, seen from above.

    The cells: centres ``(m, G)``, half side ``half``, turned by ``theta`` ``(m,)``; the boxes: one per agent,
    ``centre`` ``(m, 3)``, ``box_half``, ``box_yaw``. Separating axes of two rectangles: each one's right and
    forward axes (touching does not overlap).
    """
    dx, dz = centre[:, 0:1] - cx, centre[:, 2:3] - cz
    axes_a = _axes(theta)
    axes_b = _axes(box_yaw)
    hx, hz = box_half[:, 0:1], box_half[:, 2:3]
    overlap = np.ones(cx.shape, dtype=bool)
    for ax, az in axes_a + axes_b:
        ax, az = ax[:, None], az[:, None]
        dist = np.abs(dx * ax + dz * az)
        ra = half * (_dot_abs(axes_a, ax, az))
        rb = hx * np.abs(axes_b[0][0][:, None] * ax + axes_b[0][1][:, None] * az)
        rb = rb + hz * np.abs(axes_b[1][0][:, None] * ax + axes_b[1][1][:, None] * az)
        overlap &= dist < ra + rb - TOUCH
    return overlap


def _axes(yaw: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return a turned rectangle's right ``(cos, -sin)`` and forward ``(sin, cos)`` axes in (x, z)."""
    c, s = np.cos(yaw), np.sin(yaw)
    return [(c, -s), (s, c)]


def _dot_abs(axes: list[tuple[np.ndarray, np.ndarray]], ax: np.ndarray, az: np.ndarray) -> np.ndarray:
    """Sum over a square's two axes of ``|axis . a|`` (its half-width along ``a`` per unit half side)."""
    return sum(np.abs(u[:, None] * ax + v[:, None] * az) for u, v in axes)
