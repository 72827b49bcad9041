"""The shared planar contact (``sim.kernels.contact``, ``sim.tasks._contact``) and decision bookkeeping."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.sim import accel
from mlops_unity_pipeline.sim.tasks import _contact

needs_kernels = pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")


def test_clamp_into_stops_motion_into_a_wall_and_keeps_motion_away():
    """Bodies past a wall are put back on it; only velocities pointing further into it are zeroed."""
    p = np.array([-3.0, -3.0, 0.0, 3.0, 3.0])
    v = np.array([-1.0, 2.0, -5.0, 1.0, -2.0])
    _contact.clamp_into(p, v, -2.0, 2.0)
    np.testing.assert_array_equal(p, [-2.0, -2.0, 0.0, 2.0, 2.0])
    np.testing.assert_array_equal(v, [0.0, 2.0, -5.0, 0.0, -2.0])


def test_clamp_into_leaves_bodies_outside_the_mask_alone():
    """With ``on``, only the masked bodies are clamped."""
    p, v = np.array([-3.0, -3.0]), np.array([-1.0, -1.0])
    _contact.clamp_into(p, v, -2.0, 2.0, np.array([True, False]))
    np.testing.assert_array_equal(p, [-2.0, -3.0])
    np.testing.assert_array_equal(v, [0.0, -1.0])


def test_square_box_overlaps_pick_the_least_penetration_axis():
    """An unturned unit square 0.2 into a box's +x face is pushed out along +x by 0.2."""
    d = np.array([[1.8, 0.3], [5.0, 0.0]])  # agent minus box centre; the second is far away
    cos, sin = np.ones(2), np.zeros(2)
    axes, separation, overlap = _contact.square_box_overlaps(d, cos, sin, 0.5, 1.5, 1.5)
    hit = (overlap > 0.0).all(axis=1)
    assert hit.tolist() == [True, False]
    depth, normal = _contact.least_penetration(axes, separation, overlap, hit)
    np.testing.assert_allclose(depth, [0.2, 0.0])
    np.testing.assert_allclose(normal[0], [1.0, 0.0])


def test_fall_and_slide_lands_on_the_ground_and_friction_slows_a_resting_body():
    """A body below its rest height is put on it; a resting one loses mu g dt of horizontal speed."""
    p = np.array([[0.0, 0.4, 0.0], [0.0, 0.5, 0.0]])
    v = np.array([[0.0, -1.0, 0.0], [2.0, 0.0, 0.0]])
    _contact.fall_and_slide(p, v, 0.5, 0.0, 0.5, 10.0, 0.02)
    assert p[0, 1] == 0.5 and v[0, 1] == 0.0
    np.testing.assert_allclose(v[1, 0], 2.0 - 0.5 * 10.0 * 0.02)


@needs_kernels
def test_kernel_contact_equals_its_numpy_twin():
    """Per-agent kernels give what the vectorized NumPy twins give, bit for bit, on random bodies."""
    from mlops_unity_pipeline.sim.kernels import contact

    rng = np.random.default_rng(0)
    n = 400
    d = rng.uniform(-3.0, 3.0, (n, 2))
    yaw = np.radians(rng.uniform(0.0, 360.0, n))
    cos, sin = np.cos(yaw), np.sin(yaw)
    hx, hz = rng.uniform(0.2, 2.0, n), rng.uniform(0.2, 2.0, n)
    axes, separation, overlap = _contact.square_box_overlaps(d, cos, sin, 0.5, hx, hz)
    hit = (overlap > 0.0).all(axis=1)
    depth, normal = _contact.least_penetration(axes, separation, overlap, hit)
    assert 0 < hit.sum() < n
    for i in range(n):
        touching, k_depth, nx, nz = contact.square_box_contact(
            d[i, 0], d[i, 1], cos[i], sin[i], 0.5, hx[i], hz[i], 0.0
        )
        assert touching == hit[i]
        assert k_depth == depth[i]
        if hit[i]:
            assert (nx, nz) == (normal[i, 0], normal[i, 1])
    p = rng.uniform(-1.0, 1.0, (n, 3))
    v = rng.uniform(-3.0, 3.0, (n, 3))
    p[: n // 2, 1] = 0.5  # half of them rest on the ground
    p_np, v_np = p.copy(), v.copy()
    _contact.fall_and_slide(p_np, v_np, 0.5, 4.0, 0.3, 24.5, 0.02)
    for i in range(n):
        out = contact.fall_and_slide(*p[i], *v[i], 0.5, 4.0, 0.3, 24.5, 0.02)
        assert out == (*p_np[i], *v_np[i])
    x, vx = rng.uniform(-3.0, 3.0, n), rng.uniform(-1.0, 1.0, n)
    x_np, vx_np = x.copy(), vx.copy()
    _contact.clamp_into(x_np, vx_np, -2.0, 2.0)
    for i in range(n):
        assert contact.wall_clamp(x[i], vx[i], -2.0, 2.0) == (x_np[i], vx_np[i])


@needs_kernels
def test_square_box_contact_reports_touch_within_tolerance_without_pushing():
    """A square 0.05 short of a box touches it within a 0.1 tolerance but is not pushed."""
    from mlops_unity_pipeline.sim.kernels import contact

    assert contact.square_box_contact(2.05, 0.0, 1.0, 0.0, 0.5, 1.5, 1.5, 0.1) == (True, 0.0, 0.0, 0.0)
    assert contact.square_box_contact(2.05, 0.0, 1.0, 0.0, 0.5, 1.5, 1.5, 0.0)[0] is False


@needs_kernels
def test_record_end_writes_flags_and_lists_ended_agents_in_order():
    """Ended agents are listed in order; the flags rows are ended, terminated, truncated, success."""
    from mlops_unity_pipeline.sim.kernels import decision

    flags = np.zeros((4, 3), dtype=bool)
    ended = np.full(3, -1, dtype=np.int64)
    count = decision.record_end(0, False, False, False, flags, ended, 0)
    count = decision.record_end(1, True, False, True, flags, ended, count)
    count = decision.record_end(2, False, True, False, flags, ended, count)
    assert count == 2 and ended[:2].tolist() == [1, 2]
    assert flags.T.tolist() == [[False] * 4, [True, True, False, True], [True, False, True, False]]
    assert decision.at_max_step(5, 5) and not decision.at_max_step(4, 5) and not decision.at_max_step(9, 0)
