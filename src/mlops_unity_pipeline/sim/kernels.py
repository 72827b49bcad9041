"""Numba-compiled kernels: one call advances every agent of a task by one decision (or begins episodes).

Each decision kernel loops over agents (compiled, not Python) and, per agent, over the decision's physics
steps in the Academy's order (step counter, ``OnActionReceived``, ``MaxStep``, physics), then writes the
agent's reward, episode flags and next observation. The kernels compute what the tasks' NumPy reference paths
compute, operation for operation where the result could differ (same formulas, same summation order, float32
where NumPy rounds to float32), so both paths give the same trajectories (``tests/sim/test_kernels.py``:
3DBall and Basic bit for bit here; navigation to 1e-7, because its NumPy path sweeps a decision in closed form
where the kernel steps). cos and sin come from the C library (``math``), as NumPy's float64 ones do on common
CPUs. Episode starts draw from the environment's ``np.random.Generator`` inside the kernel (numba shares its
bit generator), the same values in the same order as the NumPy path. ``error_model="numpy"``: a division by
zero gives inf or NaN as in NumPy instead of raising (and the checks cost nothing).

One difference from the NumPy paths is invisible: an agent whose episode ends between decisions stops
being stepped at once (the NumPy paths keep stepping it and discard that state when it begins its next
episode), so its observation at the decision boundary *is* its final observation.

Importing this module imports numba; ``sim.accel`` decides whether it is used.

Flags rows written by every decision kernel (``flags`` is ``(4, n)`` bool): 0 episode ended, 1 terminated,
2 truncated (interrupted at MaxStep), 3 success.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# --- 3DBall ---


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _sign(value: float) -> float:
    # np.sign for finite values
    return 1.0 if value > 0.0 else (-1.0 if value < 0.0 else 0.0)


_BALL_ALIVE = np.float32(0.1)
# SetReward(-1): the NumPy path writes float32(-1.1) then adds 0.1 in float32.
_BALL_FELL = np.float32(np.float32(-1.1) + np.float32(0.1))


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
        gdt, rolling_gdt, rest, touch = consts[0, i], consts[1, i], consts[2, i], consts[3, i]
        # the action's terms, as Ball3DEnv._action_terms computes them
        angle_z, angle_x = np.float64(cont[i, 0]) * half_angle, np.float64(cont[i, 1]) * half_angle
        cz, sz, cx, sx = math.cos(angle_z), math.sin(angle_z), math.cos(angle_x), math.sin(angle_x)
        sign_z, sign_x = _sign(angle_z), _sign(angle_x)
        # q * (AngleAxis(Z) * AngleAxis(X)) as a 4x4 matrix on (x, y, z, w), as Ball3DEnv._advance builds it
        rx, ry, rz, rw = cz * sx, sz * sx, cx * sz, cz * cx
        count = step_count[i]
        ended = False
        terminated = False
        r = _BALL_ALIVE
        for _ in range(period):
            count += 1
            # --- Rotate about Z then X, each only below the quaternion limit ---
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
            # --- OnActionReceived: fall check on the position before this step's integration ---
            fell = max(abs(px), abs(pz)) > 3.0 or py < -2.0
            r = _BALL_FELL if fell else _BALL_ALIVE
            # --- integrate (Ball3DEnv._integrate) ---
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
            if fell:
                ended = terminated = True
                break
            if max_step > 0 and count >= max_step:
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
        flags[0, i] = ended
        flags[1, i] = terminated
        flags[2, i] = ended and not terminated
        flags[3, i] = ended and not terminated  # surviving to MaxStep is 3DBall's success
        if ended:
            ended_idx[ended_count] = i
            ended_count += 1
        obs[i, 0], obs[i, 1] = qz, qx
        obs[i, 2], obs[i, 3], obs[i, 4] = px, py, pz
        obs[i, 5], obs[i, 6], obs[i, 7] = vx, vy, vz
    return ended_count


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _ball3d_start(
    i: int,
    j: int,
    draws: np.ndarray,
    q: np.ndarray,
    p: np.ndarray,
    v: np.ndarray,
    contact: np.ndarray,
    consts: np.ndarray,
    body: np.ndarray,
    params: np.ndarray,
    half_extent: float,
    tolerance: float,
    rolling: float,
    dt: float,
) -> None:
    # OnEpisodeBegin of agent i from its draws draws[:, j] (see ball3d_begin)
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
def ball3d_begin(
    idx: np.ndarray,
    draws: np.ndarray,
    q: np.ndarray,
    p: np.ndarray,
    v: np.ndarray,
    contact: np.ndarray,
    consts: np.ndarray,
    body: np.ndarray,
    params: np.ndarray,
    half_extent: float,
    tolerance: float,
    rolling: float,
    dt: float,
) -> None:
    """``OnEpisodeBegin`` of 3DBall for agents ``idx`` (``Ball3DEnv._begin_episodes``).

    Args:
        idx: agents beginning an episode.
        draws: ``(4, m)`` standard uniform draws: start tilt about X, about Z, ball x, ball z (the order and
            values of ``Generator.uniform``: low + (high - low) u).
        q: ``(4, n)`` quaternions, written.
        p: ``(3, n)`` ball positions, written.
        v: ``(3, n)`` ball velocities, zeroed.
        contact: ``(n,)`` zeroed.
        consts: ``(4, n)`` per-episode constants, written (see ``ball3d_decision``).
        body: ``(3, n)`` mass, radius and gravity of each agent's episode, written.
        params: env parameters mass, scale, gravity.
        half_extent: half the platform box.
        tolerance: contact tolerance above the resting height.
        rolling: rolling acceleration as a fraction of the slope's gravity component.
        dt: physics step in seconds.

    """
    for j in range(idx.shape[0]):
        _ball3d_start(
            idx[j], j, draws, q, p, v, contact, consts, body, params, half_extent, tolerance, rolling, dt
        )


@njit(cache=True, nogil=True, error_model="numpy")
def ball3d_restart(
    idx: np.ndarray,
    draws: np.ndarray,
    q: np.ndarray,
    p: np.ndarray,
    v: np.ndarray,
    contact: np.ndarray,
    consts: np.ndarray,
    body: np.ndarray,
    params: np.ndarray,
    half_extent: float,
    tolerance: float,
    rolling: float,
    dt: float,
    step_count: np.ndarray,
    episode_ids: np.ndarray,
    first_id: int,
    obs: np.ndarray,
) -> None:
    """Next episodes of agents ``idx`` after a decision (``SimEnv._restart``): counters, begin, observation.

    As ``ball3d_begin``, and also zeroes the agents' step counters, numbers their episodes from
    ``first_id`` and writes their first observations into their rows of ``obs`` (``(n, 8)`` float32).
    """
    for j in range(idx.shape[0]):
        i = idx[j]
        step_count[i] = 0
        episode_ids[i] = first_id + j
        _ball3d_start(
            i, j, draws, q, p, v, contact, consts, body, params, half_extent, tolerance, rolling, dt
        )
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


# --- Basic ---


@njit(cache=True, nogil=True, error_model="numpy")
def basic_decision(
    position: np.ndarray,
    disc: np.ndarray,
    moves: np.ndarray,
    step_count: np.ndarray,
    max_step: int,
    small_goal: int,
    large_goal: int,
    last: int,
    step_reward: float,
    small_reward: float,
    large_reward: float,
    reward: np.ndarray,
    flags: np.ndarray,
    obs: np.ndarray,
    ended_idx: np.ndarray,
) -> int:
    """Advance every Basic agent by one decision (one physics step: ``BasicEnv._physics_step``).

    Args:
        position: ``(n,)`` int64 cell of each agent, updated in place.
        disc: ``(n, 1)`` actions, indices into ``moves``.
        moves: ``(3,)`` int64 cell offset of each action.
        step_count: ``(n,)`` agent step counters, updated in place.
        max_step: agent MaxStep (0 = unlimited).
        small_goal: the small goal's cell.
        large_goal: the large goal's cell.
        last: the last cell (positions are clamped to ``[0, last]``).
        step_reward: reward per step.
        small_reward: reward for the small goal.
        large_reward: reward for the large goal.
        reward: ``(n,)`` float32 out.
        flags: ``(4, n)`` bool out (see the module docstring).
        obs: ``(n, last + 1)`` float32 out: one-hot position.
        ended_idx: ``(n,)`` int64 out: its first entries are the agents whose episode ended, in order.

    Returns:
        How many episodes ended.

    """
    n = position.shape[0]
    ended_count = 0
    for i in range(n):
        cell = min(max(position[i] + moves[disc[i, 0]], 0), last)
        position[i] = cell
        count = step_count[i] + 1
        step_count[i] = count
        small = cell == small_goal
        large = cell == large_goal
        reward[i] = np.float32((step_reward + small_reward * small) + large_reward * large)
        terminated = small or large
        truncated = not terminated and max_step > 0 and count >= max_step
        flags[0, i] = terminated or truncated
        flags[1, i] = terminated
        flags[2, i] = truncated
        flags[3, i] = large
        if terminated or truncated:
            ended_idx[ended_count] = i
            ended_count += 1
        obs[i, :] = 0.0
        obs[i, cell] = 1.0
    return ended_count


# --- Navigation ---

OBS_RAYCAST, OBS_VELOCITY, OBS_TARGET_DIRECTION, OBS_TARGET_DISTANCE, OBS_POSITION = range(5)
"""Observation item codes (``archetypes.OBSERVATION_KINDS`` order is not assumed: tasks map names)."""


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _clamp(value: float, limit: float) -> float:
    # np.maximum(np.minimum(value, limit), -limit), as the NumPy path writes it
    return max(min(value, limit), -limit)


@njit(cache=True, nogil=True, error_model="numpy")
def navigation_observe_one(
    i: int,
    row: np.ndarray,
    pos: np.ndarray,
    vel: np.ndarray,
    target: np.ndarray,
    obstacles: np.ndarray,
    speed: np.ndarray,
    kinds: np.ndarray,
    ray_dirs: np.ndarray,
    wall_inverse: np.ndarray,
    wall_at: np.ndarray,
    geometry: np.ndarray,
    rays_walls: bool,
    rays_obstacles: bool,
) -> None:
    """Write agent ``i``'s observation into ``row`` (``NavigationEnv._observe`` with ``rays.cast``).

    ``geometry`` holds ray_length, 1 / ray_length, obstacle radius, 1 / (2 half extent),
    2 sqrt(2) half extent (as the NumPy path computes each), and the half extent.
    """
    ox, oz = pos[0, i], pos[1, i]
    ray_length, inverse_length, radius = geometry[0], geometry[1], geometry[2]
    column = 0
    for item in range(kinds.shape[0]):
        kind = kinds[item]
        if kind == OBS_RAYCAST:
            for r in range(ray_dirs.shape[0]):
                hit = ray_length
                if rays_walls:
                    hit = min(hit, (wall_at[r, 0] - ox) * wall_inverse[r, 0])
                    hit = min(hit, (wall_at[r, 1] - oz) * wall_inverse[r, 1])
                if rays_obstacles:
                    dx, dz = ray_dirs[r, 0], ray_dirs[r, 1]
                    for j in range(obstacles.shape[1]):
                        ocx = obstacles[0, j, i] - ox
                        ocz = obstacles[1, j, i] - oz
                        b = max(ocx * dx + ocz * dz, 0.0)  # behind the ray: a miss (see rays.cast)
                        c2 = (ocx * ocx + ocz * ocz) - radius * radius
                        disc = b * b - c2
                        if disc >= 0.0:
                            t = b - math.sqrt(disc)
                            if t < hit:
                                hit = t
                row[column] = max(hit, 0.0) * inverse_length
                column += 1
        elif kind == OBS_VELOCITY:
            row[column] = vel[0, i] / speed[i]
            row[column + 1] = vel[1, i] / speed[i]
            column += 2
        elif kind == OBS_TARGET_DIRECTION:
            row[column] = (target[0, i] - ox) * geometry[3]
            row[column + 1] = (target[1, i] - oz) * geometry[3]
            column += 2
        elif kind == OBS_TARGET_DISTANCE:
            row[column] = math.hypot(target[0, i] - ox, target[1, i] - oz) / geometry[4]
            column += 1
        else:  # position
            row[column] = ox / geometry[5]
            row[column + 1] = oz / geometry[5]
            column += 2


@njit(cache=True, nogil=True, error_model="numpy")
def navigation_observe(
    idx: np.ndarray,
    obs: np.ndarray,
    pos: np.ndarray,
    vel: np.ndarray,
    target: np.ndarray,
    obstacles: np.ndarray,
    speed: np.ndarray,
    kinds: np.ndarray,
    ray_dirs: np.ndarray,
    wall_inverse: np.ndarray,
    wall_at: np.ndarray,
    geometry: np.ndarray,
    rays_walls: bool,
    rays_obstacles: bool,
) -> None:
    """Write the observations of agents ``idx`` into the rows of ``obs`` (row j for agent ``idx[j]``)."""
    for j in range(idx.shape[0]):
        navigation_observe_one(
            idx[j],
            obs[j],
            pos,
            vel,
            target,
            obstacles,
            speed,
            kinds,
            ray_dirs,
            wall_inverse,
            wall_at,
            geometry,
            rays_walls,
            rays_obstacles,
        )


@njit(cache=True, nogil=True, error_model="numpy")
def navigation_decision(
    pos: np.ndarray,
    vel: np.ndarray,
    target: np.ndarray,
    obstacles: np.ndarray,
    speed: np.ndarray,
    cont: np.ndarray,
    disc: np.ndarray,
    moves: np.ndarray,
    continuous: bool,
    step_count: np.ndarray,
    max_step: int,
    period: int,
    dt: float,
    motion: np.ndarray,
    kinds: np.ndarray,
    ray_dirs: np.ndarray,
    wall_inverse: np.ndarray,
    wall_at: np.ndarray,
    geometry: np.ndarray,
    rays_walls: bool,
    rays_obstacles: bool,
    reward: np.ndarray,
    flags: np.ndarray,
    obs: np.ndarray,
    ended_idx: np.ndarray,
) -> int:
    """Advance every navigation agent by one decision (``NavigationEnv._physics_step`` x period).

    Args:
        pos: ``(2, n)`` agent (x, z), updated in place.
        vel: ``(2, n)`` velocity over the last physics step, updated in place.
        target: ``(2, n)`` targets.
        obstacles: ``(2, k, n)`` obstacle centres (inactive ones parked far away).
        speed: ``(n,)`` move speed of each agent's episode.
        cont: ``(n, 2)`` float32 continuous actions (when ``continuous``).
        disc: ``(n, 1)`` int64 discrete actions (otherwise), indices into ``moves``.
        moves: ``(5, 2)`` float64 directions of the discrete moves.
        continuous: which of ``cont`` and ``disc`` holds the actions.
        step_count: ``(n,)`` agent step counters, updated in place.
        max_step: agent MaxStep (0 = unlimited).
        period: physics steps per decision.
        dt: physics step in seconds.
        motion: wall limit, contact distance, overlap tolerance, reach distance squared, step reward,
            collision penalty, reach reward.
        kinds: observation item codes in order (``OBS_*``).
        ray_dirs: ``(r, 2)`` unit ray directions.
        wall_inverse: ``(r, 2)`` 1 / direction per axis (inf where parallel).
        wall_at: ``(r, 2)`` the wall coordinate each ray points at per axis.
        geometry: see ``navigation_observe_one``.
        rays_walls: rays detect walls.
        rays_obstacles: rays detect obstacles.
        reward: ``(n,)`` float32 out.
        flags: ``(4, n)`` bool out (see the module docstring).
        obs: ``(n, size)`` float32 out: the observation after the decision.
        ended_idx: ``(n,)`` int64 out: its first entries are the agents whose episode ended, in order.

    Returns:
        How many episodes ended.

    """
    n = pos.shape[1]
    k = obstacles.shape[1]
    limit, contact, tolerance, reach2 = motion[0], motion[1], motion[2], motion[3]
    step_reward, collision_penalty, reach_reward = motion[4], motion[5], motion[6]
    inside2 = (contact - tolerance) ** 2
    ended_count = 0
    for i in range(n):
        scale = speed[i] * dt
        if continuous:
            step_x, step_z = np.float64(cont[i, 0]) * scale, np.float64(cont[i, 1]) * scale
        else:
            step_x, step_z = moves[disc[i, 0], 0] * scale, moves[disc[i, 0], 1] * scale
        px, pz = pos[0, i], pos[1, i]
        vx, vz = vel[0, i], vel[1, i]
        tx, tz = target[0, i], target[1, i]
        count = step_count[i]
        gain = 0.0
        reached = False
        truncated = False
        for _ in range(period):
            count += 1
            # --- _move: walls clamp, obstacles push back along the centre line ---
            raw_x, raw_z = px + step_x, pz + step_z
            nx, nz = _clamp(raw_x, limit), _clamp(raw_z, limit)
            blocked = nx != raw_x or nz != raw_z
            push_x = push_z = 0.0
            inside = False
            for j in range(k):
                dx, dz = nx - obstacles[0, j, i], nz - obstacles[1, j, i]
                dist2 = dx * dx + dz * dz
                if dist2 < inside2:
                    dist = math.sqrt(dist2)
                    push = (contact - dist) / max(dist, 1e-9)
                    push_x += dx * push
                    push_z += dz * push
                    inside = True
            if inside:
                nx, nz = _clamp(nx + push_x, limit), _clamp(nz + push_z, limit)
                blocked = True
            vx, vz = (nx - px) / dt, (nz - pz) / dt
            px, pz = nx, nz
            # --- OnActionReceived: time and collision penalties, reaching the target ---
            reached = (tx - nx) * (tx - nx) + (tz - nz) * (tz - nz) < reach2
            gain += (step_reward + collision_penalty * blocked) + reach_reward * reached
            if reached:
                break
            if max_step > 0 and count >= max_step:
                truncated = True
                break
        pos[0, i], pos[1, i] = px, pz
        vel[0, i], vel[1, i] = vx, vz
        step_count[i] = count
        reward[i] = gain
        flags[0, i] = reached or truncated
        flags[1, i] = reached
        flags[2, i] = truncated
        flags[3, i] = reached
        if reached or truncated:
            ended_idx[ended_count] = i
            ended_count += 1
        navigation_observe_one(
            i,
            obs[i],
            pos,
            vel,
            target,
            obstacles,
            speed,
            kinds,
            ray_dirs,
            wall_inverse,
            wall_at,
            geometry,
            rays_walls,
            rays_obstacles,
        )
    return ended_count


@njit(cache=True, nogil=True, error_model="numpy")
def _place(
    rng: np.random.Generator,
    idx: np.ndarray,
    pending: np.ndarray,
    count: int,
    limit: float,
    centres: np.ndarray,
    num_centres: int,
    gap: float,
    avoid: np.ndarray,
    min_distance: float,
    out: np.ndarray,
    attempts: int,
) -> int:
    """Rejection-sample points for the agents ``idx[pending[:count]]`` (``NavigationEnv._place``).

    Rounds as in the NumPy path: each round draws (x, z) = U(-limit, limit) for every still-pending agent in
    order (the same draws, in the same order, as ``Generator.uniform(-limit, limit, (pending, 2))``), keeps
    those at least ``gap`` from the agent's first ``num_centres`` centres (and ``min_distance`` from
    ``avoid`` when it is > 0) and retries the rest. ``out`` is ``(2, n)``; rejected agents keep its values.

    Returns:
        How many agents are still pending (their indices are ``pending[:returned]``, order kept).

    """
    gap2 = gap * gap
    min2 = min_distance * min_distance
    for _ in range(attempts):
        left = 0
        for t in range(count):
            a = pending[t]
            i = idx[a]
            x = rng.uniform(-limit, limit)
            z = rng.uniform(-limit, limit)
            ok = True
            for j in range(num_centres):
                dx, dz = x - centres[0, j, i], z - centres[1, j, i]
                if not dx * dx + dz * dz >= gap2:
                    ok = False
            if min_distance > 0.0:
                dx, dz = x - avoid[0, i], z - avoid[1, i]
                if not dx * dx + dz * dz >= min2:
                    ok = False
            if ok:
                out[0, i], out[1, i] = x, z
            else:
                pending[left] = a
                left += 1
        count = left
        if count == 0:
            break
    return count


@njit(cache=True, nogil=True, error_model="numpy")
def navigation_begin(
    idx: np.ndarray,
    rng: np.random.Generator,
    pos: np.ndarray,
    vel: np.ndarray,
    target: np.ndarray,
    obstacles: np.ndarray,
    active: np.ndarray,
    speed: np.ndarray,
    move_speed: float,
    wanted: int,
    placement: np.ndarray,
    attempts: int,
) -> None:
    """``OnEpisodeBegin`` of navigation for agents ``idx`` (``NavigationEnv._begin_episodes``).

    Draws from ``rng`` exactly what the NumPy path draws: obstacle j for every agent (rounds of rejection
    sampling), then every start, then every target (at least ``min_distance`` from its start; where that
    fails, once more without the distance wish).

    Args:
        idx: agents beginning an episode.
        rng: the environment's generator (advanced in place).
        pos: ``(2, n)`` positions, written.
        vel: ``(2, n)`` velocities, zeroed.
        target: ``(2, n)`` targets, written.
        obstacles: ``(2, k, n)`` obstacle centres, written (unplaced ones parked at ``far``).
        active: ``(n, k)`` bool, written: which obstacles are in the arena.
        speed: ``(n,)`` move speeds, written.
        move_speed: this episode's move speed.
        wanted: obstacles to place (at most k).
        placement: obstacle limit, obstacle gap, agent limit, agent gap, min target distance, far.
        attempts: rejection rounds per placement.

    """
    m, k = idx.shape[0], obstacles.shape[1]
    obstacle_limit, obstacle_gap, limit, agent_gap, min_distance, far = (
        placement[0],
        placement[1],
        placement[2],
        placement[3],
        placement[4],
        placement[5],
    )
    for a in range(m):
        i = idx[a]
        speed[i] = move_speed
        vel[0, i] = vel[1, i] = 0.0
        for j in range(k):
            obstacles[0, j, i] = obstacles[1, j, i] = far
        pos[0, i] = pos[1, i] = target[0, i] = target[1, i] = far
    pending = np.empty(m, dtype=np.int64)
    for j in range(wanted):
        pending[:] = np.arange(m)
        _place(
            rng,
            idx,
            pending,
            m,
            obstacle_limit,
            obstacles,
            j,
            obstacle_gap,
            pos,
            0.0,
            obstacles[:, j],
            attempts,
        )
    pending[:] = np.arange(m)
    _place(rng, idx, pending, m, limit, obstacles, k, agent_gap, pos, 0.0, pos, attempts)
    pending[:] = np.arange(m)
    left = _place(rng, idx, pending, m, limit, obstacles, k, agent_gap, pos, min_distance, target, attempts)
    if left:  # a crowded arena: drop the distance wish rather than the target
        _place(rng, idx, pending, left, limit, obstacles, k, agent_gap, pos, 0.0, target, attempts)
    for a in range(m):
        i = idx[a]
        for j in range(k):
            active[i, j] = obstacles[0, j, i] < far


# --- actions ---


@njit(cache=True, nogil=True, error_model="numpy")
def load_continuous(src: np.ndarray, dst: np.ndarray) -> bool:
    """Copy continuous actions into ``dst`` clipped to [-1, 1] (as ``SimEnv._load_actions``).

    Args:
        src: ``(n, c)`` float32 or float64 actions.
        dst: ``(n, c)`` float32 buffer.

    Returns:
        False (``dst`` then partly written) when an action is NaN or infinite.

    """
    for i in range(src.shape[0]):
        for j in range(src.shape[1]):
            value = src[i, j]
            if not math.isfinite(value):
                return False
            dst[i, j] = max(min(value, 1.0), -1.0)
    return True


@njit(cache=True, nogil=True, error_model="numpy")
def load_discrete(src: np.ndarray, branch_sizes: np.ndarray, dst: np.ndarray) -> bool:
    """Copy discrete actions into ``dst`` (as ``SimEnv._load_actions``).

    Args:
        src: ``(n, b)`` int32 or int64 branch indices.
        branch_sizes: ``(b,)`` size of each branch.
        dst: ``(n, b)`` int64 buffer.

    Returns:
        False (``dst`` then partly written) when an index is outside its branch.

    """
    for i in range(src.shape[0]):
        for j in range(src.shape[1]):
            value = src[i, j]
            if value < 0 or value >= branch_sizes[j]:
                return False
            dst[i, j] = value
    return True
