"""ML-Agents RayPerceptionSensor3D semantics: ray order, extents, sphere casts, encoding, both engines."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import accel
from mlops_unity_pipeline.sim.ray_perception import (
    Colliders,
    RayLayout,
    RayPerceptionSensor,
    RayPerceptionSettings,
    observe,
)

ENGINES = [False] + ([True] if accel.kernels() is not None else [])
TAGS = ("block", "wall")


def _settings(**overrides) -> RayPerceptionSettings:
    values = {"rays_per_direction": 0, "sphere_cast_radius": 0.0, "ray_length": 10.0}
    values.update(overrides)
    return RayPerceptionSettings(TAGS, **values)


def _box(centre, half=(1.0, 1.0, 1.0), yaw=0.0, tag="block"):
    return centre, half, yaw, tag


def _scene(*boxes, spheres=None, settings=None, agents=1) -> Colliders:
    settings = settings or _settings()
    packed = None
    if boxes:
        packed = (
            np.array([b[0] for b in boxes], float),
            np.array([b[1] for b in boxes], float),
            np.array([b[2] for b in boxes], float),
            settings.tag_indices([b[3] for b in boxes]),
        )
    if spheres is not None:
        spheres = (
            np.array([s[0] for s in spheres], float),
            np.array([s[1] for s in spheres], float),
            settings.tag_indices([s[2] for s in spheres]),
        )
    return Colliders.build(agents, boxes=packed, spheres=spheres)


def _one(settings, colliders, compiled, position=(0.0, 0.0, 0.0), yaw=0.0) -> np.ndarray:
    pose = np.array([position], float), np.array([yaw], float)
    return observe(settings, *pose, colliders, compiled=compiled)[0]


def test_alternating_and_ascending_angles():
    """3 rays per direction over 70 degrees: 90, 90-d, 90+d, ... (alternating) or ascending; 0 rays: [90]."""
    delta = 70.0 / 3
    d2 = 2 * delta
    alternating = RayPerceptionSettings(TAGS).angles()
    np.testing.assert_allclose(alternating, [90, 90 - delta, 90 + delta, 90 - d2, 90 + d2, 20, 160])
    ascending = RayPerceptionSettings(TAGS, alternating_ray_order=False).angles()
    np.testing.assert_allclose(ascending, [20, 90 - d2, 90 - delta, 90, 90 + delta, 90 + d2, 160])
    assert RayPerceptionSettings(TAGS, rays_per_direction=0).angles().tolist() == [90.0]


def test_sizes_follow_tags_rays_and_stacks():
    """(tags + 2) floats per ray, 2k + 1 rays, times the stacks: 3 tags, 3 per direction, 3 stacks = 105."""
    settings = RayPerceptionSettings(("a", "b", "c"), rays_per_direction=3, observation_stacks=3)
    assert (settings.num_rays, settings.frame_size, settings.observation_size) == (7, 35, 105)


def test_ray_extents_point_forward_at_90_and_right_below_90():
    """Angle 90 is local +z, angle 0 local +x; vertical offsets lengthen the cast and scale the radius."""
    layout = RayLayout.of(_settings(rays_per_direction=1, max_ray_degrees=90.0))
    np.testing.assert_allclose(layout.direction, [[0, 0, 1], [1, 0, 0], [-1, 0, 0]], atol=1e-12)
    sloped = _settings(sphere_cast_radius=0.5, start_vertical_offset=1.0, end_vertical_offset=-9.0)
    sloped = RayLayout.of(sloped)
    assert sloped.length[0] == pytest.approx(math.sqrt(200.0))
    assert sloped.radius[0] == pytest.approx(0.5 * math.sqrt(2.0))
    np.testing.assert_allclose(sloped.start, [[0.0, 1.0, 0.0]])


@pytest.mark.parametrize("compiled", ENGINES)
def test_thin_ray_hits_the_near_face_and_encodes_tag_flag_fraction(compiled):
    """A box face 4.5 ahead on a 10-long ray: one-hot 'block', hit flag 0, fraction 0.45."""
    obs = _one(_settings(), _scene(_box((0.0, 0.0, 5.0), (1.0, 1.0, 0.5))), compiled)
    np.testing.assert_allclose(obs, [1.0, 0.0, 0.0, 0.45], atol=1e-6)


@pytest.mark.parametrize("compiled", ENGINES)
def test_miss_is_no_tag_flag_one_fraction_one(compiled):
    """Nothing within the ray length: zeros for the tags, then 1, 1."""
    obs = _one(_settings(), _scene(_box((0.0, 0.0, 12.0))), compiled)
    np.testing.assert_allclose(obs, [0.0, 0.0, 1.0, 1.0])


@pytest.mark.parametrize("compiled", ENGINES)
def test_agent_yaw_turns_the_rays(compiled):
    """An agent turned 90 degrees faces +x: its forward ray hits the wall at x = 4 (fraction 0.4)."""
    scene = _scene(_box((5.0, 0.0, 0.0), tag="wall"), _box((0.0, 0.0, 5.0)))
    obs = _one(_settings(), scene, compiled, yaw=90.0)
    np.testing.assert_allclose(obs, [0.0, 1.0, 0.0, 0.4], atol=1e-6)


@pytest.mark.parametrize("compiled", ENGINES)
def test_sphere_cast_touches_a_face_one_radius_early(compiled):
    """Radius 0.5 stops 0.5 before the face at 4.5: fraction 0.4."""
    settings = _settings(sphere_cast_radius=0.5)
    obs = _one(settings, _scene(_box((0.0, 0.0, 5.0), (1.0, 1.0, 0.5)), settings=settings), compiled)
    np.testing.assert_allclose(obs, [1.0, 0.0, 0.0, 0.4], atol=1e-6)


@pytest.mark.parametrize("compiled", ENGINES)
def test_sphere_cast_grazes_a_box_edge(compiled):
    """A ray 0.3 beside a box's vertical edge at z = 4, radius 0.5: touches at t = 4 - 0.4 = 3.6."""
    settings = _settings(sphere_cast_radius=0.5)
    scene = _scene(_box((0.0, 0.0, 5.0)), settings=settings)
    obs = _one(settings, scene, compiled, position=(1.3, 0.0, 0.0))
    np.testing.assert_allclose(obs, [1.0, 0.0, 0.0, 0.36], atol=1e-6)
    thin = _one(_settings(), _scene(_box((0.0, 0.0, 5.0))), compiled, position=(1.3, 0.0, 0.0))
    np.testing.assert_allclose(thin, [0.0, 0.0, 1.0, 1.0])  # a thin ray passes it


@pytest.mark.parametrize("compiled", ENGINES)
def test_box_yaw_turns_the_box(compiled):
    """A unit box turned 45 degrees shows its vertical edge: hit at 5 - sqrt(2)."""
    obs = _one(_settings(), _scene(_box((0.0, 0.0, 5.0), yaw=45.0)), compiled)
    assert obs[3] == pytest.approx((5.0 - math.sqrt(2.0)) / 10.0, abs=1e-6)


@pytest.mark.parametrize("compiled", ENGINES)
def test_downward_ray_hits_the_floor_with_fraction_of_the_scaled_length(compiled):
    """End offset -10 on a 10-long ray: 45 degrees down, floor top at y = -1 is hit after sqrt(2)."""
    settings = _settings(end_vertical_offset=-10.0)
    floor = _box((0.0, -1.5, 0.0), (50.0, 0.5, 50.0), tag="floor")  # a tag the sensor does not detect
    obs = _one(settings, _scene(floor, settings=settings), compiled)
    np.testing.assert_allclose(obs, [0.0, 0.0, 0.0, 0.1], atol=1e-6)  # untagged hit: no one-hot, flag 0


@pytest.mark.parametrize("compiled", ENGINES)
def test_nearest_collider_wins_and_spheres_are_hit(compiled):
    """A wall sphere at 4 (radius 1) hides the block behind it; the block alone is hit at 7."""
    spheres = [((0.0, 0.0, 5.0), 1.0, "wall")]
    obs = _one(_settings(), _scene(_box((0.0, 0.0, 8.0)), spheres=spheres), compiled)
    np.testing.assert_allclose(obs, [0.0, 1.0, 0.0, 0.4], atol=1e-6)
    alone = _one(_settings(), _scene(_box((0.0, 0.0, 8.0))), compiled)
    np.testing.assert_allclose(alone, [1.0, 0.0, 0.0, 0.7], atol=1e-6)


@pytest.mark.parametrize("compiled", ENGINES)
def test_colliders_overlapping_the_start_are_not_detected(compiled):
    """The agent's own box and a box the start sphere touches are ignored; the wall behind is seen."""
    settings = _settings(sphere_cast_radius=0.5)
    scene = _scene(
        _box((0.0, 0.0, 0.0), (0.5, 0.5, 0.5)),  # the agent's body
        _box((0.0, 0.0, 0.6), (0.5, 0.5, 0.2)),  # its face at 0.4 is inside the start sphere
        _box((0.0, 0.0, 6.0), (5.0, 1.0, 0.5), tag="wall"),
        settings=settings,
    )
    obs = _one(settings, scene, compiled)
    np.testing.assert_allclose(obs, [0.0, 1.0, 0.0, 0.5], atol=1e-6)


@pytest.mark.skipif(len(ENGINES) < 2, reason="numba missing or MLOPS_SIM_NUMBA=0")
@pytest.mark.parametrize("seed", range(8))
def test_kernel_equals_numpy_on_random_scenes(seed):
    """Random sensors, agents, turned boxes, spheres, offsets and radii: kernel and reference agree."""
    rng = np.random.default_rng(seed)
    settings = RayPerceptionSettings(
        ("block", "wall", "goal"),
        rays_per_direction=int(rng.integers(0, 6)),
        max_ray_degrees=float(rng.uniform(10, 180)),
        sphere_cast_radius=float(rng.choice([0.0, 0.3, 0.5, 1.5])),
        ray_length=float(rng.uniform(3, 20)),
        start_vertical_offset=float(rng.uniform(-1, 2)),
        end_vertical_offset=float(rng.uniform(-3, 3)),
    )
    n, k, m = 400, 8, 2
    scene = Colliders.build(
        n,
        boxes=(
            rng.uniform(-8, 8, (n, k, 3)) * [1, 0.2, 1],
            rng.uniform(0.1, 3.0, (n, k, 3)),
            rng.choice([0.0, 30.0, -70.0, 90.0], (n, k)),
            rng.integers(-1, 3, k),
        ),
        spheres=(
            rng.uniform(-8, 8, (n, m, 3)) * [1, 0.2, 1],
            rng.uniform(0.2, 1.0, m),
            rng.integers(-1, 3, m),
        ),
    )
    position = rng.uniform(-4, 4, (n, 3)) * [1, 0.3, 1]
    yaw = rng.uniform(-180, 180, n)
    a = observe(settings, position, yaw, scene, compiled=True)
    b = observe(settings, position, yaw, scene, compiled=False)
    np.testing.assert_allclose(a, b, atol=1e-6)
    hits = b.reshape(n, settings.num_rays, 5)[:, :, 3] == 0.0
    assert 0.05 < hits.mean() < 0.99  # the scenes exercise both hits and misses


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rays_per_direction": 51}, "rays_per_direction"),
        ({"max_ray_degrees": 181.0}, "max_ray_degrees"),
        ({"sphere_cast_radius": -0.1}, "sphere_cast_radius"),
        ({"ray_length": 0.5}, "ray_length"),
        ({"observation_stacks": 0}, "observation_stacks"),
        ({"end_vertical_offset": float("nan")}, "end_vertical_offset"),
    ],
)
def test_bad_settings_name_the_field(overrides, field):
    """Out-of-range settings raise SpecError naming the field."""
    with pytest.raises(SpecError, match=field):
        RayPerceptionSettings(TAGS, **overrides)


def test_bad_tags_and_collider_shapes_are_refused():
    """No tags, a repeated tag, or colliders that do not fit the agents raise SpecError."""
    with pytest.raises(SpecError, match="detectable_tags"):
        RayPerceptionSettings(())
    with pytest.raises(SpecError, match="repeat"):
        RayPerceptionSettings(("wall", "wall"))
    with pytest.raises(SpecError, match="do not fit"):
        Colliders.build(3, boxes=(np.zeros((2, 4, 3)), np.ones(3), np.zeros(4), np.zeros(4)))


def test_sensor_stacks_frames_oldest_first_and_resets():
    """A 3-stack sensor: 3 x frame floats; a wall coming closer appears newest-last; reset zeroes history."""
    settings = RayPerceptionSettings(TAGS, rays_per_direction=0, sphere_cast_radius=0.0, observation_stacks=3)
    sensor = RayPerceptionSensor(settings, num_agents=1)
    scene = _scene(_box((0.0, 0.0, 10.0), (5.0, 1.0, 0.5), tag="wall"), settings=settings)
    fractions = []
    for z in (0.0, 1.0, 2.0):
        obs = sensor.observe(np.array([[0.0, 0.0, z]]), np.zeros(1), scene, compiled=False)
        sensor.commit(obs)
        fractions.append(obs[0, 3::4].tolist())
    assert obs.shape == (1, 12)
    assert fractions[0] == pytest.approx([0.0, 0.0, 0.475])  # zero frames before the first
    assert fractions[2] == pytest.approx([0.475, 0.425, 0.375])
    sensor.reset(np.array([0]))
    again = sensor.observe(np.array([[0.0, 0.0, 0.0]]), np.zeros(1), scene)
    assert again[0, :8].tolist() == [0.0] * 8


def test_colliders_of_agents_copies_the_selected_rows_and_none_keeps_all():
    """``of_agents(idx)`` holds copies of agents ``idx``'s rows; ``of_agents(None)`` is the same object."""
    boxes = (np.arange(18.0).reshape(3, 2, 3), np.ones((2, 3)), np.zeros(2), np.array([0, 1]))
    spheres = (np.arange(9.0).reshape(3, 1, 3), np.ones(1), np.array([1]))
    scene = Colliders.build(3, boxes=boxes, spheres=spheres)
    assert scene.of_agents(None) is scene
    part = scene.of_agents(np.array([2, 0]))
    np.testing.assert_array_equal(part.box_center, scene.box_center[[2, 0]])
    np.testing.assert_array_equal(part.sphere_center, scene.sphere_center[[2, 0]])
    assert part.box_tag is scene.box_tag and part.sphere_radius is scene.sphere_radius
    part.box_center[:] = -1.0
    assert (scene.box_center >= 0.0).all()


def _brute_cast():
    """Compile the cast without a broad phase: every ray against every box and sphere (the old kernel)."""
    from numba import njit

    from mlops_unity_pipeline.sim.kernels.ray_perception import _sphere_entry, rounded_box_entry

    @njit(error_model="numpy")
    def brute(position, yaw, start, direction, length, radius, boxes, spheres, num_tags, out, beyond):
        box_center, box_half, box_yaw, box_tag = boxes
        sphere_center, sphere_radius, sphere_tag = spheres
        r = length.shape[0]
        width = num_tags + 2
        for i in range(position.shape[0]):
            theta = math.radians(yaw[i])
            cos, sin = math.cos(theta), math.sin(theta)
            for j in range(r):
                ox = start[j, 0] * cos + start[j, 2] * sin + position[i, 0]
                oy = start[j, 1] + position[i, 1]
                oz = -start[j, 0] * sin + start[j, 2] * cos + position[i, 2]
                wx = direction[j, 0] * cos + direction[j, 2] * sin
                wy = direction[j, 1]
                wz = -direction[j, 0] * sin + direction[j, 2] * cos
                best, hit = math.inf, -1
                for b in range(box_tag.shape[0]):
                    if box_yaw[i, b] == 0.0:
                        bc, bs = 1.0, 0.0
                    else:
                        phi = math.radians(box_yaw[i, b])
                        bc, bs = math.cos(phi), math.sin(phi)
                    rx, rz = ox - box_center[i, b, 0], oz - box_center[i, b, 2]
                    h = box_half[i, b]
                    t = rounded_box_entry(
                        rx * bc - rz * bs, oy - box_center[i, b, 1], rx * bs + rz * bc,
                        wx * bc - wz * bs, wy, wx * bs + wz * bc, h[0], h[1], h[2], radius[j],
                    )  # fmt: skip
                    if length[j] < t < math.inf:
                        beyond[0] += 1
                    if t <= length[j] and t < best:
                        best, hit = t, box_tag[b]
                for s in range(sphere_tag.shape[0]):
                    c = sphere_center[i, s]
                    grown = sphere_radius[s] + radius[j]
                    t = _sphere_entry(ox - c[0], oy - c[1], oz - c[2], wx, wy, wz, grown)
                    if t <= length[j] and t < best:
                        best, hit = t, sphere_tag[s]
                base = j * width
                if best < math.inf:
                    if hit >= 0:
                        out[i, base + hit] = 1.0
                    out[i, base + num_tags + 1] = best / length[j] if length[j] > 0.0 else 0.0
                else:
                    out[i, base + num_tags] = 1.0
                    out[i, base + num_tags + 1] = 1.0

    return brute


@pytest.mark.skipif(len(ENGINES) < 2, reason="numba missing or MLOPS_SIM_NUMBA=0")
@pytest.mark.parametrize("seed", range(4))
def test_broad_phase_changes_no_bit_of_the_kernel_output(seed):
    """Rays grazing boxes at their length's end, axis-aligned or turned: culled and brute casts are equal."""
    rng = np.random.default_rng(100 + seed)
    settings = RayPerceptionSettings(
        ("block", "wall", "goal"),
        rays_per_direction=int(rng.integers(1, 6)),
        max_ray_degrees=float(rng.choice([90.0, 45.0, float(rng.uniform(10, 180))])),
        sphere_cast_radius=float(rng.choice([0.0, 0.5, 1.5])),
        ray_length=float(rng.uniform(3, 12)),
        start_vertical_offset=float(rng.choice([0.0, 1.5])),
        end_vertical_offset=float(rng.choice([0.0, 1.5, -2.0])),
    )
    layout = RayLayout.of(settings)
    n, k, m = 3000, 6, 2
    position = rng.uniform(-4, 4, (n, 3)) * [1, 0.3, 1]
    yaw = rng.choice([0.0, 90.0, -90.0, 180.0, 45.0, float(rng.uniform(-180, 180))], n)
    # boxes around the rays' ends (ray length + radius from an agent, with jitter), some turned
    reach = settings.ray_length + settings.sphere_cast_radius
    angle = rng.uniform(0, 2 * math.pi, (n, k))
    distance = reach + rng.choice([-4.0, -1.0, 0.0, 0.0, 1.0], (n, k)) + rng.normal(0.0, 0.05, (n, k))
    half = rng.choice([0.25, 1.0, 3.0], (n, k, 3))
    centre = position[:, None, :] + np.stack(
        [
            np.cos(angle) * (distance + half[..., 0]),
            rng.uniform(-1, 2, (n, k)),
            np.sin(angle) * (distance + half[..., 2]),
        ],
        axis=-1,
    )
    box_yaw = rng.choice([0.0, 0.0, 90.0, 30.0], (n, k))
    box_tag = rng.integers(-1, 3, k)
    sphere_centre = position[:, None, :] + rng.uniform(-reach, reach, (n, m, 3))
    sphere = (sphere_centre, rng.uniform(0.2, 1.0, m), rng.integers(-1, 3, m))
    scene = Colliders.build(n, boxes=(centre, half, box_yaw, box_tag), spheres=sphere)
    culled = observe(settings, position, yaw, scene, compiled=True)
    brute = np.zeros_like(culled)
    beyond = np.zeros(1, dtype=np.int64)
    _brute_cast()(
        position, yaw, layout.start, layout.direction, layout.length, layout.radius,
        (scene.box_center, scene.box_half, scene.box_yaw, scene.box_tag),
        (scene.sphere_center, scene.sphere_radius, scene.sphere_tag),
        len(settings.detectable_tags), brute, beyond,
    )  # fmt: skip
    assert np.array_equal(culled, brute)
    hits = brute.reshape(n, settings.num_rays, -1)[:, :, -1] < 1.0
    assert beyond[0] > 100 and 0.05 < hits.mean() < 0.95  # many boxes just past the rays' ends; hits, misses
