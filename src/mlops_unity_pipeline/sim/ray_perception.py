"""ML-Agents' ``RayPerceptionSensorComponent3D`` for a batch of agents: settings, ray layout, casts, encoding.

Semantics follow ``com.unity.ml-agents`` 3.0.0 (``Runtime/Sensors/RayPerceptionSensor.cs``,
``RayPerceptionSensorComponentBase.cs``, ``RayPerceptionSensorComponent3D.cs``; facts, not code):

- **Angles** (degrees, 90 = the agent's forward): ``2 * rays_per_direction + 1`` rays spread by
  ``delta = max_ray_degrees / rays_per_direction``; the alternating order (the default) is
  ``90, 90 - delta, 90 + delta, 90 - 2 delta, ...``, the other ``90 - k delta ... 90 + k delta`` ascending.
- **Extents**, in the agent's local frame: start ``(0, start_vertical_offset, 0)``, end
  ``(L cos a, end_vertical_offset, L sin a)`` with ``L = ray_length`` (so ``a < 90`` leans to local +x, the
  agent's right), both moved to the world by the agent's transform. The cast length is the distance between
  them (``scaledRayLength``) and the sphere radius is scaled by the same ratio to ``L``.
- **Cast**: ``Physics.SphereCast`` (``Physics.Raycast`` when the radius is 0) from the start along the
  extents' direction up to the cast length; the nearest collider counts whatever its tag (untagged objects
  block rays too); colliders the sphere overlaps at its start are not detected (PhysX's initial-overlap rule:
  the agent's own body and anything touching it). ``HitFraction = hit distance / cast length``.
- **Encoding** per ray, ``len(detectable_tags) + 2`` floats in angle order: one-hot of the hit object's tag
  among ``detectable_tags`` (all zero when it has none of them), then 1 if nothing was hit else 0, then the
  hit fraction (1 when nothing was hit).

Colliders here are upright boxes (any yaw: walls, blocks, goal zones, floors) and spheres. The cast is the
exact sphere sweep: the ray against the Minkowski sum of each box and the sphere (three face-expanded boxes,
twelve edge cylinders, eight corner spheres). ``observe`` is the NumPy reference; the compiled kernel
(``sim.kernels.ray_perception``) computes the same, used when ``sim.accel.kernels()`` is available.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import SpecError
from . import accel
from .stacking import ObservationStack

# Inspector ranges of RayPerceptionSensorComponentBase ([Range] attributes), kept as bounds on input.
MAX_RAYS_PER_DIRECTION = 50
MAX_RAY_DEGREES = 180.0
MAX_SPHERE_CAST_RADIUS = 10.0
RAY_LENGTH_RANGE = (1.0, 1000.0)
MAX_OBSERVATION_STACKS = 50
MAX_DETECTABLE_TAGS = 32
"""Not an upstream bound: keeps the per-ray encoding small."""


@dataclass(frozen=True)
class RayPerceptionSettings:
    """One ``RayPerceptionSensorComponent3D`` as configured in a prefab (upstream defaults).

    Attributes:
        detectable_tags: tags that get a one-hot slot, in order.
        rays_per_direction: rays on each side of the centre ray (0..50).
        max_ray_degrees: angle of the outermost rays from the centre (0..180).
        sphere_cast_radius: radius of the swept sphere (0 = a thin ray; 0..10).
        ray_length: length of each ray (1..1000).
        observation_stacks: stacked frames (1..50; ``sim.stacking``).
        start_vertical_offset: height of the ray start above the agent's origin.
        end_vertical_offset: height of the ray end above the agent's origin.
        alternating_ray_order: centre, then -delta, +delta, ... (the default) instead of ascending angles.
        name: the sensor name (ML-Agents sorts an agent's sensors by name).

    """

    detectable_tags: tuple[str, ...]
    rays_per_direction: int = 3
    max_ray_degrees: float = 70.0
    sphere_cast_radius: float = 0.5
    ray_length: float = 20.0
    observation_stacks: int = 1
    start_vertical_offset: float = 0.0
    end_vertical_offset: float = 0.0
    alternating_ray_order: bool = True
    name: str = "RayPerceptionSensor"

    def __post_init__(self) -> None:
        """Check every field against the inspector's ranges; SpecError names the field."""
        tags = tuple(self.detectable_tags)
        if not 0 < len(tags) <= MAX_DETECTABLE_TAGS or any(not isinstance(t, str) or not t for t in tags):
            raise SpecError(
                f"ray sensor '{self.name}': detectable_tags must be 1..{MAX_DETECTABLE_TAGS} non-empty names"
            )
        if len(set(tags)) != len(tags):
            raise SpecError(f"ray sensor '{self.name}': detectable_tags repeat a tag: {list(tags)}")
        object.__setattr__(self, "detectable_tags", tags)
        checks = (
            ("rays_per_direction", self.rays_per_direction, 0, MAX_RAYS_PER_DIRECTION),
            ("max_ray_degrees", self.max_ray_degrees, 0.0, MAX_RAY_DEGREES),
            ("sphere_cast_radius", self.sphere_cast_radius, 0.0, MAX_SPHERE_CAST_RADIUS),
            ("ray_length", self.ray_length, *RAY_LENGTH_RANGE),
            ("observation_stacks", self.observation_stacks, 1, MAX_OBSERVATION_STACKS),
            ("start_vertical_offset", self.start_vertical_offset, -1e3, 1e3),
            ("end_vertical_offset", self.end_vertical_offset, -1e3, 1e3),
        )
        for field, value, low, high in checks:
            if not isinstance(value, (int, float)) or not math.isfinite(value) or not low <= value <= high:
                raise SpecError(
                    f"ray sensor '{self.name}': {field} must be in [{low}, {high}], got {value!r}"
                )
        if self.rays_per_direction != int(self.rays_per_direction) or self.observation_stacks != int(
            self.observation_stacks
        ):
            raise SpecError(
                f"ray sensor '{self.name}': rays_per_direction and observation_stacks are integers"
            )

    @property
    def num_rays(self) -> int:
        """Rays cast: ``2 * rays_per_direction + 1``."""
        return 2 * int(self.rays_per_direction) + 1

    @property
    def frame_size(self) -> int:
        """Floats of one (unstacked) observation: ``(len(detectable_tags) + 2) * num_rays``."""
        return (len(self.detectable_tags) + 2) * self.num_rays

    @property
    def observation_size(self) -> int:
        """Floats of the stacked observation."""
        return self.frame_size * int(self.observation_stacks)

    def angles(self) -> np.ndarray:
        """Ray angles in degrees (90 = forward), in observation order."""
        k = int(self.rays_per_direction)
        if k == 0:
            return np.array([90.0])
        delta = float(self.max_ray_degrees) / k
        steps = np.arange(1, k + 1) * delta
        if self.alternating_ray_order:
            out = np.empty(2 * k + 1)
            out[0] = 90.0
            out[1::2] = 90.0 - steps
            out[2::2] = 90.0 + steps
            return out
        return 90.0 + (np.arange(2 * k + 1) - k) * delta

    def tag_indices(self, object_tags: tuple[str, ...] | list[str]) -> np.ndarray:
        """Slot of each object's tag among ``detectable_tags`` (-1: a tag the sensor does not detect)."""
        lookup = {tag: i for i, tag in enumerate(self.detectable_tags)}
        return np.array([lookup.get(tag, -1) for tag in object_tags], dtype=np.int64)


@dataclass(frozen=True)
class RayLayout:
    """The rays of one sensor in the agent's local frame (what ``RayExtents`` gives before the transform).

    Attributes:
        start: ``(r, 3)`` ray starts.
        direction: ``(r, 3)`` unit directions.
        length: ``(r,)`` cast lengths (``scaledRayLength``).
        radius: ``(r,)`` sphere radii scaled by ``length / ray_length``.

    """

    start: np.ndarray
    direction: np.ndarray
    length: np.ndarray
    radius: np.ndarray

    @classmethod
    def of(cls, settings: RayPerceptionSettings) -> RayLayout:
        """Compute the local extents of ``settings``' rays."""
        angles = np.radians(settings.angles())
        r = angles.size
        start = np.zeros((r, 3))
        start[:, 1] = settings.start_vertical_offset
        end = np.stack(
            [
                settings.ray_length * np.cos(angles),
                np.full(r, float(settings.end_vertical_offset)),
                settings.ray_length * np.sin(angles),
            ],
            axis=1,
        )
        vector = end - start
        length = np.sqrt((vector * vector).sum(axis=1))
        radius = settings.sphere_cast_radius * length / settings.ray_length
        return cls(start, vector / length[:, None], length, radius)


@dataclass(frozen=True)
class Colliders:
    """The colliders rays can hit, per agent (each agent sees its own area).

    Attributes:
        box_center: ``(n, k, 3)`` box centres (world).
        box_half: ``(n, k, 3)`` half extents along the box's own axes.
        box_yaw: ``(n, k)`` rotation about +y in degrees (Unity's, clockwise seen from above).
        box_tag: ``(k,)`` tag slot per box (``RayPerceptionSettings.tag_indices``; -1 none).
        sphere_center: ``(n, m, 3)`` sphere centres.
        sphere_radius: ``(m,)`` radii.
        sphere_tag: ``(m,)`` tag slot per sphere.

    """

    box_center: np.ndarray
    box_half: np.ndarray
    box_yaw: np.ndarray
    box_tag: np.ndarray
    sphere_center: np.ndarray
    sphere_radius: np.ndarray
    sphere_tag: np.ndarray

    @classmethod
    def build(
        cls,
        num_agents: int,
        *,
        boxes: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
        spheres: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> Colliders:
        """Broadcast boxes ``(centre, half, yaw, tag)`` and spheres ``(centre, radius, tag)`` to the agents.

        Raises:
            SpecError: shapes that do not broadcast, or negative sizes.

        """
        n = int(num_agents)
        try:
            if boxes is None:
                bc, bh, by, bt = (
                    np.zeros((n, 0, 3)),
                    np.zeros((n, 0, 3)),
                    np.zeros((n, 0)),
                    np.zeros(0, np.int64),
                )
            else:
                bt = np.asarray(boxes[3], dtype=np.int64).reshape(-1)
                k = bt.size
                bc = np.array(np.broadcast_to(np.asarray(boxes[0], float), (n, k, 3)))
                bh = np.array(np.broadcast_to(np.asarray(boxes[1], float), (n, k, 3)))
                by = np.array(np.broadcast_to(np.asarray(boxes[2], float), (n, k)))
            if spheres is None:
                sc, sr, st = np.zeros((n, 0, 3)), np.zeros(0), np.zeros(0, np.int64)
            else:
                st = np.asarray(spheres[2], dtype=np.int64).reshape(-1)
                sc = np.array(np.broadcast_to(np.asarray(spheres[0], float), (n, st.size, 3)))
                sr = np.array(np.broadcast_to(np.asarray(spheres[1], float), (st.size,)))
        except ValueError as exc:
            raise SpecError(f"ray colliders: shapes do not fit {n} agents ({exc})") from None
        if (bh < 0).any() or (sr < 0).any():
            raise SpecError("ray colliders: box half extents and sphere radii must be >= 0")
        return cls(bc, bh, by, bt, sc, sr, st)

    def of_agents(self, idx: np.ndarray | None) -> Colliders:
        """Return the colliders of agents ``idx`` (copies of their rows); None: these, as they are."""
        if idx is None:
            return self
        return Colliders(
            self.box_center[idx],
            self.box_half[idx],
            self.box_yaw[idx],
            self.box_tag,
            self.sphere_center[idx],
            self.sphere_radius,
            self.sphere_tag,
        )


def observe(
    settings: RayPerceptionSettings,
    position: np.ndarray,
    yaw: np.ndarray,
    colliders: Colliders,
    *,
    layout: RayLayout | None = None,
    compiled: bool | None = None,
) -> np.ndarray:
    """Cast every agent's rays and encode them (one unstacked frame).

    Args:
        settings: the sensor.
        position: ``(n, 3)`` agent origins (world).
        yaw: ``(n,)`` agent rotation about +y in degrees.
        colliders: what the rays can hit.
        layout: the precomputed ``RayLayout.of(settings)`` (computed when None).
        compiled: use the numba kernel (None: when available).

    Returns:
        ``(n, settings.frame_size)`` float32 observations.

    """
    layout = RayLayout.of(settings) if layout is None else layout
    n = position.shape[0]
    out = np.zeros((n, settings.frame_size), dtype=np.float32)
    kernels = accel.kernels() if compiled is not False else None
    if kernels is not None:
        kernels.ray_perception_observe(
            np.ascontiguousarray(position, dtype=np.float64),
            np.ascontiguousarray(yaw, dtype=np.float64),
            layout.start,
            layout.direction,
            layout.length,
            layout.radius,
            colliders.box_center,
            colliders.box_half,
            colliders.box_yaw,
            colliders.box_tag,
            colliders.sphere_center,
            colliders.sphere_radius,
            colliders.sphere_tag,
            len(settings.detectable_tags),
            out,
        )
        return out
    distance, tag = cast(layout, position, yaw, colliders)
    encode(distance, tag, layout.length, len(settings.detectable_tags), out)
    return out


def encode(distance: np.ndarray, tag: np.ndarray, length: np.ndarray, num_tags: int, out: np.ndarray) -> None:
    """Write ``RayOutput.ToFloatArray`` for every ray into the zeroed ``out`` (``(n, r * (num_tags + 2))``).

    Args:
        distance: ``(n, r)`` hit distances (inf: no hit).
        tag: ``(n, r)`` tag slot of the hit object (-1: none or no hit).
        length: ``(r,)`` cast lengths.
        num_tags: detectable tags.
        out: the observations, zeroed.

    """
    n, r = distance.shape
    view = out.reshape(n, r, num_tags + 2)
    hit = np.isfinite(distance)
    agents, rays = np.nonzero(hit & (tag >= 0))
    view[agents, rays, tag[agents, rays]] = 1.0
    view[:, :, num_tags] = ~hit
    view[:, :, num_tags + 1] = np.where(hit, distance / np.where(length > 0, length, 1.0), 1.0)


def cast(
    layout: RayLayout, position: np.ndarray, yaw: np.ndarray, colliders: Colliders
) -> tuple[np.ndarray, np.ndarray]:
    """Sphere-cast every agent's rays against its colliders (NumPy reference).

    Returns:
        ``(n, r)`` distance to the nearest hit (inf: none within the cast length) and ``(n, r)`` its tag slot.

    """
    n = position.shape[0]
    r = layout.length.size
    start, direction = _to_world(layout, position, yaw)  # (n, r, 3)
    best = np.full((n, r), np.inf)
    tag = np.full((n, r), -1, dtype=np.int64)
    radius = layout.radius[None, :, None]
    if colliders.box_tag.size:
        # Into each box's frame: (n, r, k, 3).
        theta = np.radians(colliders.box_yaw)[:, None, :]
        cos, sin = np.cos(theta), np.sin(theta)
        rel = start[:, :, None, :] - colliders.box_center[:, None, :, :]
        o = _unrotate(rel, cos, sin)
        d = _unrotate(np.broadcast_to(direction[:, :, None, :], rel.shape), cos, sin)
        t = _rounded_box(o, d, colliders.box_half[:, None, :, :], radius)
        _keep_nearest(t, colliders.box_tag, layout.length, best, tag)
    if colliders.sphere_tag.size:
        rel = start[:, :, None, :] - colliders.sphere_center[:, None, :, :]
        t = _sphere(rel, direction[:, :, None, :], colliders.sphere_radius[None, None, :] + radius)
        _keep_nearest(t, colliders.sphere_tag, layout.length, best, tag)
    return best, tag


def _to_world(layout: RayLayout, position: np.ndarray, yaw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Unity's rotation about +y by theta: (x, z) -> (x cos + z sin, -x sin + z cos); forward (0, 0, 1) turns
    # to (sin, 0, cos).
    theta = np.radians(yaw)[:, None]
    cos, sin = np.cos(theta), np.sin(theta)

    def rotate(v: np.ndarray) -> np.ndarray:
        out = np.empty((yaw.shape[0], v.shape[0], 3))
        out[..., 0] = v[None, :, 0] * cos + v[None, :, 2] * sin
        out[..., 1] = v[None, :, 1]
        out[..., 2] = -v[None, :, 0] * sin + v[None, :, 2] * cos
        return out

    return rotate(layout.start) + position[:, None, :], rotate(layout.direction)


def _unrotate(v: np.ndarray, cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
    """World vectors ``(..., 3)`` into the frame of a box turned by ``theta`` about +y (the inverse turn)."""
    out = np.empty(v.shape)
    out[..., 0] = v[..., 0] * cos - v[..., 2] * sin
    out[..., 1] = v[..., 1]
    out[..., 2] = v[..., 0] * sin + v[..., 2] * cos
    return out


def _keep_nearest(
    t: np.ndarray, tags: np.ndarray, length: np.ndarray, best: np.ndarray, tag: np.ndarray
) -> None:
    t = np.where(t <= length[None, :, None], t, np.inf)
    nearest = np.argmin(t, axis=2)
    value = np.take_along_axis(t, nearest[..., None], axis=2)[..., 0]
    closer = value < best
    best[closer] = value[closer]
    tag[closer] = tags[nearest[closer]]


def _sphere(rel: np.ndarray, d: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Entry distance of unit rays from ``rel`` (origin - centre) into spheres; inf on a miss or overlap."""
    b = (rel * d).sum(axis=-1)
    c = (rel * rel).sum(axis=-1) - radius * radius
    disc = b * b - c
    with np.errstate(invalid="ignore"):
        t = -b - np.sqrt(disc)
    return np.where((c > 0.0) & (disc >= 0.0) & (t >= 0.0), t, np.inf)


def _slab(o: np.ndarray, d: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Entry distance into the axis-aligned boxes ``[-e, e]``; inf on a miss."""
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = 1.0 / d
        t1 = (-e - o) * inv
        t2 = (e - o) * inv
    parallel = d == 0.0
    inside = np.abs(o) <= e
    low = np.where(parallel, np.where(inside, -np.inf, np.inf), np.minimum(t1, t2))
    high = np.where(parallel, np.where(inside, np.inf, -np.inf), np.maximum(t1, t2))
    enter, leave = low.max(axis=-1), high.min(axis=-1)
    return np.where((enter <= leave) & (leave >= 0.0), np.maximum(enter, 0.0), np.inf)


def _rounded_box(o: np.ndarray, d: np.ndarray, h: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Distance a sphere of ``radius`` travels from ``o`` along unit ``d`` to touch the box ``[-h, h]``.

    inf when it never touches it, or when it overlaps the box at its start (not detected, as in PhysX).
    The sphere touches the box where the ray enters the box grown by the sphere: the union of the box grown
    along one axis at a time, a cylinder on each edge and a sphere on each corner.
    """
    outside = np.maximum(np.abs(o) - h, 0.0)
    overlap = (outside * outside).sum(axis=-1) <= radius * radius
    best = np.full(o.shape[:-1], np.inf)
    for axis in range(3):
        grow = np.zeros(3)
        grow[axis] = 1.0
        np.minimum(best, _slab(o, d, h + radius[..., None] * grow), out=best)
    for axis in range(3):
        b, c = [a for a in range(3) if a != axis]
        for sb in (-1.0, 1.0):
            for sc in (-1.0, 1.0):
                ob = o[..., b] - sb * h[..., b]
                oc = o[..., c] - sc * h[..., c]
                db, dc = d[..., b], d[..., c]
                qa = db * db + dc * dc
                qb = ob * db + oc * dc
                qc = ob * ob + oc * oc - radius * radius
                disc = qb * qb - qa * qc
                with np.errstate(invalid="ignore", divide="ignore"):
                    t = (-qb - np.sqrt(disc)) / qa
                along = o[..., axis] + t * d[..., axis]
                ok = (qa > 0.0) & (disc >= 0.0) & (t >= 0.0) & (np.abs(along) <= h[..., axis])
                np.minimum(best, np.where(ok, t, np.inf), out=best)
    for sx in (-1.0, 1.0):
        for sy in (-1.0, 1.0):
            for sz in (-1.0, 1.0):
                corner = h * np.array([sx, sy, sz])
                np.minimum(best, _sphere(o - corner, d, radius), out=best)
    return np.where(overlap, np.inf, best)


class RayPerceptionSensor:
    """One configured ray sensor on a batch of agents: casts, encodes and stacks (``observation_stacks``).

    Holds what does not change between decisions (the ray layout) and the stacked history
    (``sim.stacking.ObservationStack``), so a task calls ``observe`` for the agents it observes, ``commit``
    with the observations it handed out, and ``reset`` for agents whose episode begins.

    Attributes:
        settings: the sensor's configuration.
        layout: its rays in the agent's frame.
        stack: the stacked history (``settings.observation_stacks`` frames, oldest first).

    """

    def __init__(self, settings: RayPerceptionSettings, num_agents: int) -> None:
        """Prepare the sensor for ``num_agents`` agents (all stacks empty)."""
        self.settings = settings
        self.layout = RayLayout.of(settings)
        self.stack = ObservationStack(num_agents, settings.frame_size, settings.observation_stacks)

    def observe(
        self,
        position: np.ndarray,
        yaw: np.ndarray,
        colliders: Colliders,
        idx: np.ndarray | None = None,
        *,
        compiled: bool | None = None,
    ) -> np.ndarray:
        """Return the stacked observations of agents ``idx`` (None: all) from their poses and colliders.

        Args:
            position: ``(k, 3)`` origins of the agents ``idx`` (of every agent when None).
            yaw: ``(k,)`` their yaw in degrees.
            colliders: their colliders (``k`` agents).
            idx: which agents' histories to stack onto; None for all.
            compiled: use the numba kernel (None: when available).

        Returns:
            ``(k, settings.observation_size)`` float32.

        """
        frame = observe(self.settings, position, yaw, colliders, layout=self.layout, compiled=compiled)
        return self.stack.stacked(frame, idx)

    def commit(self, obs: np.ndarray) -> None:
        """Record the observations handed out at this decision (``(num_agents, observation_size)``)."""
        self.stack.commit(obs)

    def reset(self, idx: np.ndarray) -> None:
        """``Reset`` for agents ``idx`` whose episode begins: their stacks restart from zero frames."""
        self.stack.clear(idx)
