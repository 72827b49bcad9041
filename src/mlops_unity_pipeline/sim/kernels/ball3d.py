"""3DBall kernels: a decision, episode starts, observations (``tasks.ball3d``)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .decision import at_max_step, record_end


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _sign(value: float) -> float:
    # np.sign for finite values
    return 1.0 if value > 0.0 else (-1.0 if value < 0.0 else 0.0)


_BALL_ALIVE = np.float32(0.1)
# SetReward(-1): the NumPy path writes float32(-1.1) then adds 0.1 in float32.
_BALL_FELL = np.float32(np.float32(-1.1) + np.float32(0.1))


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def tilt_platform(qx: float, qy: float, qz: float, qw: float, turn: tuple, limit: float) -> tuple:
    """One physics step's rotation of a platform: about Z then X, each only below the quaternion limit.

    ``turn`` is ``platform_turn``'s. Shared by 3DBall and platform worlds (``kernels.world_platform``), so
    the two stay bit-equal.
    """
    cz, sz, cx, sx, sign_z, sign_x, rx, ry, rz, rw = turn
    if qz * sign_z < limit and (qx * cz + qy * sz) * sign_x < limit:
        nx = ((rw * qx + rz * qy) + (-ry) * qz) + rx * qw
        ny = (((-rz) * qx + rw * qy) + rx * qz) + ry * qw
        nz = ((ry * qx + (-rx) * qy) + rw * qz) + rz * qw
        nw = (((-rx) * qx + (-ry) * qy) + (-rz) * qz) + rw * qw
        qx, qy, qz, qw = nx, ny, nz, nw
    else:
        if qz * sign_z < limit:  # q * AngleAxis(Z) = q cos + (y, -x, w, -z) sin
            qx, qy, qz, qw = (
                qx * cz + qy * sz,
                qy * cz + qx * (-sz),
                qz * cz + qw * sz,
                qw * cz + qz * (-sz),
            )
        if qx * sign_x < limit:  # q * AngleAxis(X) = q cos + (w, z, -y, -x) sin
            qx, qy, qz, qw = (
                qx * cx + qw * sx,
                qy * cx + qz * sx,
                qz * cx + qy * (-sx),
                qw * cx + qx * (-sx),
            )
    return qx, qy, qz, qw


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def platform_turn(angle_z: float, angle_x: float) -> tuple:
    """Cosines, sines, signs and the quaternion of ``AngleAxis(Z) * AngleAxis(X)`` for half angles z, x."""
    cz, sz, cx, sx = math.cos(angle_z), math.sin(angle_z), math.cos(angle_x), math.sin(angle_x)
    # q * (AngleAxis(Z) * AngleAxis(X)) as a 4x4 matrix on (x, y, z, w), as Ball3DEnv._advance builds it
    return cz, sz, cx, sx, _sign(angle_z), _sign(angle_x), cz * sx, sz * sx, cx * sz, cz * cx


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def roll_ball(
    qx: float,
    qy: float,
    qz: float,
    qw: float,
    px: float,
    py: float,
    pz: float,
    vx: float,
    vy: float,
    vz: float,
    touching: bool,
    consts: tuple,
    half_extent: float,
    dt: float,
) -> tuple:
    """One physics step of the ball on platform ``q`` (``Ball3DEnv._integrate``): roll or fall, then rest.

    ``consts`` are the episode's gravity x dt, rolling gravity x dt, resting and contact heights. Returns
    the ball's position, velocity and whether it touches the top face.
    """
    gdt, rolling_gdt, rest, touch = consts
    xx, yy, zz, ww = qx * qx, qy * qy, qz * qz, qw * qw
    xy, xz, xw, yz, yw, zw = qx * qy, qx * qz, qx * qw, qy * qz, qy * qw, qz * qw
    a00, a01, a02 = ((xx + ww) - yy) - zz, 2.0 * xy + 2.0 * zw, 2.0 * xz - 2.0 * yw
    a10, a11, a12 = 2.0 * xy - 2.0 * zw, ((yy + ww) - xx) - zz, 2.0 * yz + 2.0 * xw
    a20, a21, a22 = 2.0 * xz + 2.0 * yw, 2.0 * yz - 2.0 * xw, ((zz + ww) - xx) - yy
    if touching:
        roll = rolling_gdt * a11
        vx += roll * a10
        vy += roll * a11
        vz += roll * a12
        vy -= rolling_gdt
    else:
        vy -= gdt
    px += vx * dt
    py += vy * dt
    pz += vz * dt
    local_x = (a00 * px + a01 * py) + a02 * pz
    height = (a10 * px + a11 * py) + a12 * pz
    local_z = (a20 * px + a21 * py) + a22 * pz
    over_face = max(abs(local_x), abs(local_z)) <= half_extent
    touching = over_face and height < touch and height > half_extent
    if touching:
        sink = min(height - rest, 0.0)
        px -= sink * a10
        py -= sink * a11
        pz -= sink * a12
        into = min((vx * a10 + vy * a11) + vz * a12, 0.0)
        vx -= into * a10
        vy -= into * a11
        vz -= into * a12
    return px, py, pz, vx, vy, vz, touching


@njit(cache=True, nogil=True, error_model="numpy")
def ball3d_decision(
    q: np.ndarray,
    p: np.ndarray,
    v: np.ndarray,
    contact: np.ndarray,
    consts: np.ndarray,
    cont: np.ndarray,
    half_angle: float,
    step_count: np.ndarray,
    max_step: int,
    period: int,
    dt: float,
    half_extent: float,
    limit: float,
    reward: np.ndarray,
    flags: np.ndarray,
    obs: np.ndarray,
    ended_idx: np.ndarray,
) -> int:
    """Advance every 3DBall agent by one decision (``Ball3DEnv._advance`` with ``_physics_step``).

    Args:
        q: ``(4, n)`` platform quaternions (x, y, z, w), updated in place.
        p: ``(3, n)`` ball positions relative to the platform, updated in place.
        v: ``(3, n)`` ball velocities, updated in place.
        contact: ``(n,)`` ball touching the top face, updated in place.
        consts: ``(4, n)`` per-episode g·dt, rolling g·dt, rest height, touch height.
        cont: ``(n, 2)`` float32 actions in [-1, 1]: rotation rates about Z, then about X.
        half_angle: half the per-step rotation in radians per unit action.
        step_count: ``(n,)`` agent step counters, updated in place.
        max_step: agent MaxStep (0 = unlimited).
        period: physics steps per decision.
        dt: physics step in seconds.
        half_extent: half the platform box (its top face's height along the normal).
        limit: quaternion component beyond which the platform stops tilting further.
        reward: ``(n,)`` float32 out: the decision's reward.
        flags: ``(4, n)`` bool out (see the module docstring).
        obs: ``(n, 8)`` float32 out: the observation after the decision.
        ended_idx: ``(n,)`` int64 out: its first entries are the agents whose episode ended, in order.

    Returns:
        How many episodes ended.

    """
    n = q.shape[1]
    ended_count = 0
    for i in range(n):
        qx, qy, qz, qw = q[0, i], q[1, i], q[2, i], q[3, i]
        px, py, pz = p[0, i], p[1, i], p[2, i]
        vx, vy, vz = v[0, i], v[1, i], v[2, i]
        touching = contact[i]
        episode = (consts[0, i], consts[1, i], consts[2, i], consts[3, i])  # see roll_ball
        # the action's terms, as Ball3DEnv._action_terms computes them
        angle_z, angle_x = np.float64(cont[i, 0]) * half_angle, np.float64(cont[i, 1]) * half_angle
        turn = platform_turn(angle_z, angle_x)
        count = step_count[i]
        ended = False
        terminated = False
        r = _BALL_ALIVE
        for _ in range(period):
            count += 1
            # --- Rotate about Z then X, each only below the quaternion limit ---
            qx, qy, qz, qw = tilt_platform(qx, qy, qz, qw, turn, limit)
            # --- OnActionReceived: fall check on the position before this step's integration ---
            fell = max(abs(px), abs(pz)) > 3.0 or py < -2.0
            r = _BALL_FELL if fell else _BALL_ALIVE
            # --- integrate (Ball3DEnv._integrate) ---
            px, py, pz, vx, vy, vz, touching = roll_ball(
                qx, qy, qz, qw, px, py, pz, vx, vy, vz, touching, episode, half_extent, dt
            )
            if fell:
                ended = terminated = True
                break
            if at_max_step(count, max_step):
                ended = True
                break
        if not ended:  # keep unit length against rounding drift (an ended episode is discarded)
            norm = math.sqrt(((qx * qx + qy * qy) + qz * qz) + qw * qw)
            qx, qy, qz, qw = qx / norm, qy / norm, qz / norm, qw / norm
        q[0, i], q[1, i], q[2, i], q[3, i] = qx, qy, qz, qw
        p[0, i], p[1, i], p[2, i] = px, py, pz
        v[0, i], v[1, i], v[2, i] = vx, vy, vz
        contact[i] = touching
        step_count[i] = count
        reward[i] = r
        truncated = ended and not terminated  # surviving to MaxStep is 3DBall's success
        ended_count = record_end(i, terminated, truncated, truncated, flags, ended_idx, ended_count)
        obs[i, 0], obs[i, 1] = qz, qx
        obs[i, 2], obs[i, 3], obs[i, 4] = px, py, pz
        obs[i, 5], obs[i, 6], obs[i, 7] = vx, vy, vz
    return ended_count


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _ball3d_start(i: int, j: int, draws: np.ndarray, state: tuple, setup: tuple) -> None:
    # OnEpisodeBegin of agent i from its draws draws[:, j] (see ball3d_begin)
    q, p, v, contact, consts, body = state
    params, half_extent, tolerance, rolling, dt = setup
    mass, radius, gravity = params[0], 0.5 * params[1], params[2]
    gdt = gravity * dt
    # np.radians(U(-10, 10)) * 0.5 about X, then about Z
    half_x = ((-10.0 + 20.0 * draws[0, j]) * (math.pi / 180.0)) * 0.5
    half_z = ((-10.0 + 20.0 * draws[1, j]) * (math.pi / 180.0)) * 0.5
    c, s = math.cos(half_x), math.sin(half_x)
    # identity * AngleAxis(X), as _rotate_x on (0, 0, 0, 1)
    x, y, z, w = 0.0 * c + 1.0 * s, 0.0 * c + 0.0 * s, 0.0 * c - 0.0 * s, 1.0 * c - 0.0 * s
    c, s = math.cos(half_z), math.sin(half_z)
    x, y, z, w = x * c + y * s, y * c - x * s, z * c + w * s, w * c - z * s  # then AngleAxis(Z)
    q[0, i], q[1, i], q[2, i], q[3, i] = x, y, z, w
    p[0, i], p[1, i], p[2, i] = -1.5 + 3.0 * draws[2, j], 4.0, -1.5 + 3.0 * draws[3, j]
    v[0, i] = v[1, i] = v[2, i] = 0.0
    contact[i] = False
    body[0, i], body[1, i], body[2, i] = mass, radius, gravity
    consts[0, i] = gdt
    consts[1, i] = rolling * gdt
    consts[2, i] = half_extent + radius
    consts[3, i] = consts[2, i] + tolerance


@njit(cache=True, nogil=True, error_model="numpy")
def ball3d_begin(idx: np.ndarray, draws: np.ndarray, state: tuple, setup: tuple) -> None:
    """``OnEpisodeBegin`` of 3DBall for agents ``idx`` (``Ball3DEnv._begin_episodes``).

    Args:
        idx: agents beginning an episode.
        draws: ``(4, m)`` standard uniform draws: start tilt about X, about Z, ball x, ball z (the order and
            values of ``Generator.uniform``: low + (high - low) u).
        state: what is written: quaternions ``(4, n)``, ball positions ``(3, n)``, ball velocities
            ``(3, n)`` (zeroed), contact ``(n,)`` (cleared), the per-episode constants ``(4, n)`` (see
            ``ball3d_decision``), and mass, radius and gravity of each agent's episode ``(3, n)``.
        setup: env parameters (mass, scale, gravity), half the platform box, the contact tolerance above
            the resting height, the rolling acceleration as a fraction of the slope's gravity component,
            the physics step in seconds.

    """
    for j in range(idx.shape[0]):
        _ball3d_start(idx[j], j, draws, state, setup)


@njit(cache=True, nogil=True, error_model="numpy")
def ball3d_restart(
    idx: np.ndarray,
    draws: np.ndarray,
    state: tuple,
    setup: tuple,
    step_count: np.ndarray,
    episode_ids: np.ndarray,
    first_id: int,
    obs: np.ndarray,
) -> None:
    """Next episodes of agents ``idx`` after a decision (``SimEnv._restart``): counters, begin, observation.

    As ``ball3d_begin``, and also zeroes the agents' step counters, numbers their episodes from
    ``first_id`` and writes their first observations into their rows of ``obs`` (``(n, 8)`` float32).
    """
    q, p = state[0], state[1]
    for j in range(idx.shape[0]):
        i = idx[j]
        step_count[i] = 0
        episode_ids[i] = first_id + j
        _ball3d_start(i, j, draws, state, setup)
        obs[i, 0], obs[i, 1] = q[2, i], q[0, i]
        obs[i, 2], obs[i, 3], obs[i, 4] = p[0, i], p[1, i], p[2, i]
        obs[i, 5] = obs[i, 6] = obs[i, 7] = 0.0


@njit(cache=True, nogil=True, error_model="numpy")
def ball3d_observe(idx: np.ndarray, q: np.ndarray, p: np.ndarray, v: np.ndarray, obs: np.ndarray) -> None:
    """Write the observations of agents ``idx`` into their rows of ``obs`` (``Ball3DEnv._observe``)."""
    for j in range(idx.shape[0]):
        i = idx[j]
        obs[i, 0], obs[i, 1] = q[2, i], q[0, i]
        obs[i, 2], obs[i, 3], obs[i, 4] = p[0, i], p[1, i], p[2, i]
        obs[i, 5], obs[i, 6], obs[i, 7] = v[0, i], v[1, i], v[2, i]
