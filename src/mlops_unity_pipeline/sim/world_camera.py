"""A top-down camera sensor over a world's areas: ML-Agents' ``CameraSensor`` image of an orthographic camera.

What Unity would render, drawn analytically per pixel centre (as ``tasks/gridworld.py``, whose camera is
this one with GridWorld's colours): the camera's clear colour, the walls and then the floor (axis-aligned
rectangles), visible regions, the active entities in file order and the area's agents last, each a glyph
(``Glyph``) on its footprint turned by its yaw, in its ``look`` colour. A footprint holds the points with
offsets ``(a, b)`` from its centre, in its own frame and divided by its size, in ``[-0.5, 0.5)``.

ML-Agents facts (``com.unity.ml-agents`` 3.0.0, ``Runtime/Sensors/CameraSensor.cs`` and
``ObservationWriter.WriteTexture``): the observation is ``ObservationSpec.Visual(channels, height, width)``
(channels first; 1 channel when grayscale), row 0 the image's top; pixels are 8-bit (``Color32``, and PNG on
the wire), so values are multiples of 1/255; grayscale is ``(r + g + b) / 3`` of those. The orthographic
camera covers ``2 * orthographicSize`` of height and as much more across as the aspect ratio gives; row ``r``,
column ``c`` sees world ``x = (c + 0.5 - W/2) * s``, ``z = (H/2 - r - 0.5) * s`` around its centre with
``s = 2 * orthographicSize / H`` (+z up the image, +x to the right).
"""

from __future__ import annotations

import numpy as np

from ..world.model import CameraSensor, EntityKind, Glyph, Look, RegionKind, World
from . import accel

KIND_COLOURS: dict[EntityKind, tuple[float, float, float]] = {
    EntityKind.TARGET: (0.549, 0.933, 0.592),
    EntityKind.COLLECTIBLE: (0.984, 0.816, 0.267),
    EntityKind.HAZARD: (0.933, 0.361, 0.294),
    EntityKind.OBSTACLE: (0.40, 0.40, 0.42),
    EntityKind.BLOCK: (0.80, 0.55, 0.30),
    EntityKind.SWITCH: (0.60, 0.30, 0.80),
    EntityKind.DOOR: (0.30, 0.20, 0.10),
    EntityKind.CUE: (0.95, 0.95, 0.95),
    EntityKind.ACTOR: (0.85, 0.20, 0.60),
}
"""An entity's colour when it has no ``look`` (target: GridWorld's green, hazard: its red)."""
REGION_COLOURS: dict[RegionKind, tuple[float, float, float]] = {
    RegionKind.GOAL: (0.549, 0.933, 0.592),
    RegionKind.HAZARD: (0.933, 0.361, 0.294),
    RegionKind.PLATFORM: (0.45, 0.45, 0.50),
}
"""A tagged region's colour (spawn regions and untagged ones are not drawn)."""


def glyph_mask(glyph: Glyph, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return where glyph ``glyph`` covers footprint offsets ``(a, b)`` (inside the footprint already).

    The widths are GridWorld's, measured on Unity's frames (``tasks/gridworld.py``).
    """
    if glyph is Glyph.PLUS:
        return (np.abs(a) < 0.1) | (np.abs(b) < 0.1)
    if glyph is Glyph.CROSS:
        return ((np.abs(a - b) < 0.15) | (np.abs(a + b) < 0.15)) & (np.abs(a) < 0.38) & (np.abs(b) < 0.4)
    if glyph is Glyph.OUTLINE:
        return (np.abs(a) > 0.3) | (np.abs(b) > 0.3)
    return np.ones(np.broadcast_shapes(a.shape, b.shape), dtype=bool)


GLYPH_CODES = {Glyph.FILL: 0, Glyph.PLUS: 1, Glyph.CROSS: 2, Glyph.OUTLINE: 3}
"""Glyph numbers of the kernel (``sim.kernels.world_camera``)."""


class TopDownCamera:
    """The image of one top-down ``CameraSensor`` for a batch of areas.

    Colours are turned into the sensor's 8-bit values once (``pixel``), so painting them is the whole render
    (the numba kernel ``world_camera_render`` and the NumPy path paint the same values on the same pixels).

    Attributes:
        sensor: the IR sensor.
        shape: ``(channels, height, width)`` per agent.
        x: ``(width,)`` world x of each column's pixel centres.
        z: ``(height,)`` world z of each row's pixel centres.

    """

    def __init__(self, sensor: CameraSensor, world: World) -> None:
        """Frame the camera over ``world``'s arena.

        Args:
            sensor: a ``top_down`` camera sensor.
            world: the world (colours, arena).

        """
        self.sensor = sensor
        self.world = world
        h, w = sensor.height, sensor.width
        self.shape = (1 if sensor.grayscale else 3, h, w)
        ortho = sensor.orthographic_size or world.arena.size[1] / 2.0
        scale = 2.0 * ortho / h
        self.x = (np.arange(w) + 0.5 - w / 2) * scale
        self.z = (h / 2 - (np.arange(h) + 0.5)) * scale
        self._static = self.pixel(self._static_image())
        agent = world.agent
        looks = [e.look or Look(colour=KIND_COLOURS[e.kind]) for e in world.entities for _ in range(e.count)]
        looks += [agent.look] * agent.count
        self._looks = looks
        self._glyph = np.array([GLYPH_CODES[look.glyph] for look in looks], dtype=np.int64)
        colours = np.array([look.colour for look in looks], dtype=np.float64).reshape(-1, 3)
        self._colour = self.pixel(colours.T[:, :, None])[:, :, 0].T.copy()  # (K, C)
        self._agent_size = np.asarray(agent.look.size or (agent.size, agent.size), dtype=np.float64)

    def pixel(self, rgb: np.ndarray) -> np.ndarray:
        """Return the sensor's values of colours ``rgb`` ``(3, ...)`` in [0, 1]: ``(C, ...)`` float32.

        ``Color32`` holds 8 bits a channel; grayscale is ``(r + g + b) / 3`` of those, written back as 8 bits
        (PNG on the wire).
        """
        levels = np.round(np.asarray(rgb, dtype=np.float64) * 255.0)
        if self.sensor.grayscale:
            levels = np.round(levels.sum(axis=0, keepdims=True) / 3.0)
        return (levels / 255.0).astype(np.float32)

    def _static_image(self) -> np.ndarray:
        """Return ``(3, H, W)``: background, walls, floor and visible regions (what never moves)."""
        arena = self.world.arena
        img = np.empty((3, *self.shape[1:]))
        img[:] = np.asarray(self.sensor.background)[:, None, None]
        hx, hz = arena.size[0] / 2.0, arena.size[1] / 2.0
        if arena.walls is not None:
            t = arena.walls.thickness
            self._paint_rect(img, (-hx - t, -hz - t, hx + t, hz + t), arena.walls.colour)
        self._paint_rect(img, (-hx, -hz, hx, hz), arena.floor_colour)
        for region in arena.regions:
            if region.tag is None or region.kind not in REGION_COLOURS:
                continue
            (cx, cz), (sx, sz) = region.center, region.size
            self._paint_rect(
                img, (cx - sx / 2, cz - sz / 2, cx + sx / 2, cz + sz / 2), REGION_COLOURS[region.kind]
            )
        return img

    def _paint_rect(self, img: np.ndarray, rect: tuple[float, float, float, float], colour: tuple) -> None:
        """Paint the pixels whose centre lies in ``[x0, x1) x [z0, z1)`` of ``img`` ``(3, H, W)``."""
        x0, z0, x1, z1 = rect
        inside = ((self.z >= z0) & (self.z < z1))[:, None] & ((self.x >= x0) & (self.x < x1))[None, :]
        for ch in range(3):
            img[ch][inside] = colour[ch]

    def observe(
        self,
        entity_position: np.ndarray,
        entity_half: np.ndarray,
        entity_yaw: np.ndarray,
        entity_shown: np.ndarray,
        agent_position: np.ndarray,
        agent_yaw: np.ndarray,
        *,
        compiled: bool = True,
    ) -> np.ndarray:
        """Return the images of ``m`` areas.

        Args:
            entity_position: ``(m, E, 3)`` entity copies' centres.
            entity_half: ``(m, E, 3)`` their half extents.
            entity_yaw: ``(E,)`` their yaws, degrees.
            entity_shown: ``(m, E)`` which are in the scene.
            agent_position: ``(m, k, 3)`` the areas' agents.
            agent_yaw: ``(m, k)`` their yaws, degrees.
            compiled: use the numba kernel when available (else the NumPy path; both give the same image).

        Returns:
            ``(m, channels, H, W)`` float32 in multiples of 1/255 (grayscale: the mean of the 8-bit channels).

        """
        m, e = entity_position.shape[:2]
        k = agent_position.shape[1]
        centre = np.concatenate([entity_position[..., 0::2], agent_position[..., 0::2]], axis=1)
        size = np.empty((m, e + k, 2))
        size[:, :e] = 2.0 * entity_half[..., 0::2]
        for j, look in enumerate(self._looks[:e]):
            if look.size is not None:
                size[:, j] = look.size
        size[:, e:] = self._agent_size
        theta = np.radians(np.concatenate([np.broadcast_to(entity_yaw, (m, e)), agent_yaw], axis=1))
        cos, sin = np.cos(theta), np.sin(theta)
        shown = np.concatenate([entity_shown, np.ones((m, k), dtype=bool)], axis=1)
        out = np.empty((m, *self.shape), dtype=np.float32)
        kernels = accel.kernels() if compiled else None
        if kernels is not None:
            kernels.world_camera_render(
                out, self._static, self.x, self.z, centre, size, cos, sin, shown, self._glyph, self._colour
            )
            return out
        out[:] = self._static
        for j in range(e + k):
            # offsets along the item's right (cos, -sin) and forward (sin, cos) axes, per unit of its size
            dx = self.x[None, None, :] - centre[:, j, 0, None, None]  # (m, 1, W)
            dz = self.z[None, :, None] - centre[:, j, 1, None, None]  # (m, H, 1)
            c, s = cos[:, j, None, None], sin[:, j, None, None]
            a = (dx * c - dz * s) / size[:, j, 0, None, None]
            b = (dx * s + dz * c) / size[:, j, 1, None, None]
            inside = (a >= -0.5) & (a < 0.5) & (b >= -0.5) & (b < 0.5) & shown[:, j, None, None]
            hit = inside & glyph_mask(self._looks[j].glyph, a, b)
            for ch in range(self.shape[0]):
                out[:, ch][hit] = self._colour[j, ch]
        return out

    def clear(self, idx: np.ndarray) -> None:
        """Nothing to clear at an episode start (the world env's sensors share this hook with stacks)."""

    def commit(self, obs: np.ndarray) -> None:
        """Nothing to remember between decisions (no stacking)."""
