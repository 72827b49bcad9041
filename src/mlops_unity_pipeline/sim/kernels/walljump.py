"""WallJump kernel: a whole decision per call (``tasks.walljump.WallJumpEnv``'s NumPy hooks, per agent).

Each agent runs its physics steps (``_physics_step``: ground checks, the move and the jump, the fall check,
integration, contacts, the goal), stops at the end of its episode or at MaxStep, then casts both ray sensors
(``ray_perception.observe_agent``) and writes its three stacked observations. The formulas and their order
are the NumPy path's, so both give the same trajectories (``tests/sim/test_walljump.py``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..tasks import walljump as wj
from .decision import at_max_step, record_end
from .ray_perception import cast_buffers, no_spheres, observe_agent, stack_into

_AGENT_DAMP = 1.0 - wj.AGENT_DRAG * 0.02
_BLOCK_DAMP = 1.0 - wj.BLOCK_DRAG * 0.02
_FRICTION_STEP = wj.FRICTION * wj.GRAVITY * 0.02
_STEP_REWARD = np.float32(wj.STEP_REWARD)
_LOST = np.float32(-1.0)
_SCORED = np.float32(1.0)
_BLOCK_SHARE = wj.BLOCK_MASS / (wj.AGENT_MASS + wj.BLOCK_MASS)
_MASS_RATIO = wj.AGENT_MASS / wj.BLOCK_MASS
_GX, _GY, _GZ = wj.GROUND_CENTRE
_AGENT_BODY = (wj.AGENT_HALF, wj.AGENT_HALF - wj.REST_SINK, wj.AGENT_HALF)
"""The agent's collider's half extents against static boxes and the block (it rests ``REST_SINK`` in)."""
_GHX, _GHY, _GHZ = wj.GROUND_HALF
_BHX, _BHY, _BHZ = wj.BLOCK_HALF
_OX, _OY, _OZ = wj.GOAL_CENTRE
_DIAGONAL = 1.4143
"""Just above sqrt(2): a turned square of half side h reaches at most h sqrt(2) along any axis."""


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _axis(k: int, cos: float, sin: float) -> tuple[float, float, float]:
    # the five separating axes of ``tasks.walljump._axes``: x, z, the agent's right, its forward, y
    if k == 0:
        return 1.0, 0.0, 0.0
    if k == 1:
        return 0.0, 0.0, 1.0
    if k == 2:
        return cos, 0.0, -sin
    if k == 3:
        return sin, 0.0, cos
    return 0.0, 1.0, 0.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _overlap(k: int, d: tuple, agent: tuple, cos: float, sin: float, box: tuple) -> float:
    # ``tasks.walljump._overlaps`` along axis k, term for term: ``d`` the centres' offset (x, y, z), ``agent``
    # the turned box's half extents, ``box`` the axis-aligned box's
    dx, dy, dz = d
    ahx, ahy, ahz = agent
    hx, hy, hz = box
    ax, ay, az = _axis(k, cos, sin)
    box_reach = (hx * abs(ax) + hz * abs(az)) + hy * ay
    right = abs(ax * cos - az * sin)
    fwd = abs(ax * sin + az * cos)
    agent_reach = (ahx * right * (1.0 - ay) + ahz * fwd * (1.0 - ay)) + ahy * ay
    separation = (ax * dx + ay * dy) + az * dz
    return (box_reach + agent_reach) - abs(separation)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _overlapping(d: tuple, agent: tuple, cos: float, sin: float, box: tuple) -> bool:
    # broad phase: beyond the turned box's largest reach (half a diagonal) some axis separates them
    reach = _DIAGONAL * max(agent[0], agent[2])
    if abs(d[0]) >= box[0] + reach or abs(d[2]) >= box[2] + reach or abs(d[1]) >= box[1] + agent[1]:
        return False
    for k in range(5):
        if _overlap(k, d, agent, cos, sin, box) <= 0.0:
            return False
    return True


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _separation(
    p: np.ndarray, cos: float, sin: float, cx: float, cy: float, cz: float, hx: float, hy: float, hz: float
) -> tuple[float, float, float, float]:
    # least-penetration axis of the agent against an axis-aligned box: depth (0: none) and the normal
    dx, dy, dz = p[0] - cx, p[1] - cy, p[2] - cz
    if hy <= 0.0:
        return 0.0, 0.0, 0.0, 0.0
    # broad phase (see ``_overlapping``)
    reach = _DIAGONAL * wj.AGENT_HALF
    if abs(dx) >= hx + reach or abs(dz) >= hz + reach or abs(dy) >= hy + (wj.AGENT_HALF - wj.REST_SINK):
        return 0.0, 0.0, 0.0, 0.0
    best = math.inf
    best_k = 0
    for k in range(5):
        o = _overlap(k, (dx, dy, dz), _AGENT_BODY, cos, sin, (hx, hy, hz))
        if o <= 0.0:
            return 0.0, 0.0, 0.0, 0.0
        if o < best:
            best, best_k = o, k
    ax, ay, az = _axis(best_k, cos, sin)
    sign = 1.0 if (ax * dx + ay * dy) + az * dz >= 0.0 else -1.0
    return best, ax * sign, ay * sign, az * sign


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _agent_static(
    p: np.ndarray,
    v: np.ndarray,
    support: int,
    cos: float,
    sin: float,
    cx: float,
    cy: float,
    cz: float,
    hx: float,
    hy: float,
    hz: float,
) -> int:
    depth, nx, ny, nz = _separation(p, cos, sin, cx, cy, cz, hx, hy, hz)
    if depth == 0.0:
        return support
    p[0] += nx * depth
    p[1] += ny * depth
    p[2] += nz * depth
    into = min((v[0] * nx + v[1] * ny) + v[2] * nz, 0.0)
    v[0] -= nx * into
    v[1] -= ny * into
    v[2] -= nz * into
    if abs(ny) <= 0.5 and into < 0.0:  # a side: Coulomb friction bounded by the normal impulse
        speed = math.sqrt((v[0] * v[0] + v[1] * v[1]) + v[2] * v[2])
        if speed > 0.0:
            keep = max(speed + wj.FRICTION * into, 0.0) / speed
            v[0] *= keep
            v[1] *= keep
            v[2] *= keep
    if ny > 0.5 and support == 0:
        return 1
    return support


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _agent_block(
    p: np.ndarray, v: np.ndarray, b: np.ndarray, bv: np.ndarray, support: int, cos: float, sin: float
) -> int:
    depth, nx, ny, nz = _separation(p, cos, sin, b[0], b[1], b[2], _BHX, _BHY, _BHZ)
    if depth == 0.0:
        return support
    share = 1.0 if abs(ny) > 0.5 else _BLOCK_SHARE  # the block's height is frozen
    moved = depth * share
    rest = depth * (1.0 - share)
    p[0] += nx * moved
    p[1] += ny * moved
    p[2] += nz * moved
    b[0] -= nx * rest
    b[1] -= ny * rest
    b[2] -= nz * rest
    closing = min(((v[0] - bv[0]) * nx + (v[1] - bv[1]) * ny) + (v[2] - bv[2]) * nz, 0.0)
    a_part, b_part = closing * share, closing * (1.0 - share)
    v[0] -= nx * a_part
    v[1] -= ny * a_part
    v[2] -= nz * a_part
    bv[0] += nx * b_part
    bv[1] += ny * b_part
    bv[2] += nz * b_part
    if abs(ny) <= 0.5 and closing < 0.0:  # a side: Coulomb friction on the horizontal relative slip
        tx, tz = v[0] - bv[0], v[2] - bv[2]
        slip = math.sqrt(tx * tx + tz * tz)
        if slip > 0.0:
            change = min(slip, -wj.FRICTION * closing) / slip
            v[0] -= tx * change * share
            v[2] -= tz * change * share
            bv[0] += tx * change * (1.0 - share)
            bv[2] += tz * change * (1.0 - share)
    return 2 if ny > 0.5 else support


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _slowed(value: float, by: float) -> float:
    # ``value`` moved towards 0 by at most ``by``
    if value > 0.0:
        return max(value - by, 0.0)
    return min(value + by, 0.0)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _block_wall(b: np.ndarray, bv: np.ndarray, wall_height: float) -> None:
    wall_half_y = wall_height / 2.0
    over_x = wj.WALL_HALF_X + _BHX - abs(b[0])
    over_z = wj.WALL_HALF_Z + _BHZ - abs(b[2] - wj.WALL_Z)
    over_y = wall_half_y + _BHY - abs(b[1])
    if not (over_x > 0.0 and over_z > 0.0 and over_y > 0.0 and wall_half_y > 0.0):
        return
    if over_x < over_z:
        sx = 1.0 if b[0] >= 0.0 else -1.0
        b[0] += sx * over_x
        if bv[0] * sx < 0.0:
            bv[2] = _slowed(bv[2], wj.FRICTION * abs(bv[0]))
            bv[0] = 0.0
    else:
        sz = 1.0 if b[2] >= wj.WALL_Z else -1.0
        b[2] += sz * over_z
        if bv[2] * sz < 0.0:
            bv[0] = _slowed(bv[0], wj.FRICTION * abs(bv[2]))
            bv[2] = 0.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _top_hit(
    px: float, origin: float, pz: float, cx: float, cy: float, cz: float, hx: float, hy: float, hz: float
) -> bool:
    # the small ground check's ray against one box's top face (``WallJumpEnv._small_grounded``)
    top = cy + hy
    over = abs(px - cx) <= hx and abs(pz - cz) <= hz
    return over and hy > 0.0 and origin >= top and origin - top <= wj.SMALL_CHECK_LENGTH


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _small_grounded(p: np.ndarray, b: np.ndarray, wall_height: float) -> bool:
    origin = p[1] - wj.SMALL_CHECK_DOWN
    return (
        _top_hit(p[0], origin, p[2], _GX, _GY, _GZ, _GHX, _GHY, _GHZ)
        or _top_hit(
            p[0], origin, p[2], 0.0, 0.0, wj.WALL_Z, wj.WALL_HALF_X, wall_height / 2.0, wj.WALL_HALF_Z
        )
        or _top_hit(p[0], origin, p[2], b[0], b[1], b[2], _BHX, _BHY, _BHZ)
    )


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _large_grounded(p: np.ndarray, b: np.ndarray, wall_height: float, cos: float, sin: float) -> bool:
    check = wj.LARGE_CHECK_HALF
    y = p[1] - wj.SMALL_CHECK_DOWN
    if _overlapping((p[0] - _GX, y - _GY, p[2] - _GZ), check, cos, sin, wj.GROUND_HALF):
        return True
    wall_half_y = wall_height / 2.0
    wall = (wj.WALL_HALF_X, wall_half_y, wj.WALL_HALF_Z)
    if wall_half_y > 0.0 and _overlapping((p[0], y, p[2] - wj.WALL_Z), check, cos, sin, wall):
        return True
    return _overlapping((p[0] - b[0], y - b[1], p[2] - b[2]), check, cos, sin, wj.BLOCK_HALF)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _inside_ground(x: float, z: float) -> bool:
    return abs(x - _GX) <= _GHX and abs(z - _GZ) <= _GHZ


@njit(cache=True, nogil=True, error_model="numpy")
def _physics_step(
    action: np.ndarray,
    p: np.ndarray,
    v: np.ndarray,
    state: np.ndarray,
    b: np.ndarray,
    bv: np.ndarray,
    wall_height: float,
    reward: np.float32,
) -> tuple[np.float32, bool, bool]:
    """One physics step of one agent (``WallJumpEnv._physics_step``); returns reward, ended, scored.

    ``state`` holds the yaw, the jump's remaining steps, the jump's start height and the support.
    """
    dt = 0.02
    yaw = state[0]
    jump_steps = int(state[1])
    support = int(state[3])
    reward = np.float32(reward - _STEP_REWARD)
    # --- MoveAgent ---
    small = _small_grounded(p, b, wall_height)
    theta = math.radians(yaw)
    cos, sin = math.cos(theta), math.sin(theta)
    large = _large_grounded(p, b, wall_height, cos, sin)
    factor = 1.0 if large else wj.AIR_FACTOR
    a0, a1, a2, a3 = action[0], action[1], action[2], action[3]
    forward = (1.0 if a0 == 1 else (-1.0 if a0 == 2 else 0.0)) * factor
    side = (-wj.STRAFE if a2 == 1 else (wj.STRAFE if a2 == 2 else 0.0)) * factor
    if a2 != 0:
        dir_x, dir_z = side * cos, -side * sin
    else:
        dir_x, dir_z = forward * sin, forward * cos
    if a3 == 1 and jump_steps <= 0 and small:
        jump_steps = wj.JUMP_STEPS
        state[2] = p[1]
    turn = -wj.TURN_DEGREES if a1 == 1 else (wj.TURN_DEGREES if a1 == 2 else 0.0)
    state[0] = (yaw + turn) % 360.0
    jumping = jump_steps > 0
    if jumping:
        tx = dir_x * wj.JUMP_GAIN
        ty = ((state[2] + wj.JUMP_HEIGHT) - p[1]) * wj.JUMP_GAIN
        tz = dir_z * wj.JUMP_GAIN
        dx, dy, dz = tx - v[0], ty - v[1], tz - v[2]
        norm = math.sqrt((dx * dx + dy * dy) + dz * dz)
        step = 1.0 if norm <= wj.JUMP_MAX_CHANGE else wj.JUMP_MAX_CHANGE / max(norm, 1e-12)
        v[0] += dx * step
        v[1] += dy * step
        v[2] += dz * step
    extra_fall = wj.FALLING_FORCE if (not jumping and not large) else 0.0
    state[1] = max(jump_steps - 1, 0)
    # --- the fall check ---
    on_block = abs(p[0] - b[0]) <= _BHX and abs(p[2] - b[2]) <= _BHZ and p[1] >= b[1] - _BHY
    fell = not (_inside_ground(p[0], p[2]) or on_block) or not _inside_ground(b[0], b[2])
    if fell:
        reward = _LOST
    # --- physics ---
    v[0] += wj.RUN_SPEED * dir_x
    v[2] += wj.RUN_SPEED * dir_z
    v[1] -= (wj.GRAVITY + extra_fall) * dt
    v[0] *= _AGENT_DAMP
    v[1] *= _AGENT_DAMP
    v[2] *= _AGENT_DAMP
    bv[1] = 0.0
    bv[0] *= _BLOCK_DAMP
    bv[1] *= _BLOCK_DAMP
    bv[2] *= _BLOCK_DAMP
    if support > 0:  # dynamic friction from what held the agent (WallJumpEnv._friction)
        bx = bv[0] if support == 2 else 0.0
        bz = bv[2] if support == 2 else 0.0
        rx, rz = v[0] - bx, v[2] - bz
        speed = math.hypot(rx, rz)
        slow = max(speed - _FRICTION_STEP, 0.0) / max(speed, 1e-12) if speed > 0.0 else 1.0
        cx, cz = rx * (slow - 1.0), rz * (slow - 1.0)
        v[0] += cx
        v[2] += cz
        if support == 2:
            bv[0] -= cx * _MASS_RATIO
            bv[2] -= cz * _MASS_RATIO
    for j in range(3):
        p[j] += v[j] * dt
        b[j] += bv[j] * dt
    theta = math.radians(state[0])
    cos, sin = math.cos(theta), math.sin(theta)
    wall_half_y = wall_height / 2.0
    support = 0
    for _ in range(2):
        support = _agent_static(p, v, support, cos, sin, _GX, _GY, _GZ, _GHX, _GHY, _GHZ)
        support = _agent_static(
            p, v, support, cos, sin, 0.0, 0.0, wj.WALL_Z, wj.WALL_HALF_X, wall_half_y, wj.WALL_HALF_Z
        )
        _block_wall(b, bv, wall_height)
        support = _agent_block(p, v, b, bv, support, cos, sin)
    support = _agent_static(p, v, support, cos, sin, _GX, _GY, _GZ, _GHX, _GHY, _GHZ)
    support = _agent_static(
        p, v, support, cos, sin, 0.0, 0.0, wj.WALL_Z, wj.WALL_HALF_X, wall_half_y, wj.WALL_HALF_Z
    )
    _block_wall(b, bv, wall_height)
    state[3] = support
    # --- OnTriggerStay: standing in the goal ---
    scored = False
    if not fell:
        agent = (wj.AGENT_HALF, wj.AGENT_HALF, wj.AGENT_HALF)
        in_goal = _overlapping((p[0] - _OX, p[1] - _OY, p[2] - _OZ), agent, cos, sin, wj.GOAL_HALF)
        scored = in_goal and _small_grounded(p, b, wall_height)
        if scored:
            reward = _SCORED
    return reward, fell or scored, scored


@njit(cache=True, nogil=True, error_model="numpy")
def walljump_observe(
    idx: np.ndarray,
    agent_position: np.ndarray,
    agent_state: np.ndarray,
    block_position: np.ndarray,
    wall_height: np.ndarray,
    sensing: tuple,
    obs: tuple,
) -> None:
    """Write the observations of agents ``idx`` into their rows of ``obs`` (``WallJumpEnv._observe``).

    ``sensing`` is ``(layouts, boxes, histories)``: per ray sensor ``(start, direction, length, radius,
    num_tags)``; one agent's box colliders ``(center (k, 3), half (k, 3), yaw, tag)`` (rows: ground, wall,
    goal, block; the wall's height and the block's place are filled per agent); per sensor (two rays, then
    the vector) the stacked history ``(n, size * stacks)``.
    """
    layouts, boxes, histories = sensing
    box_center, box_half = boxes[0], boxes[1]
    r = layouts[0][2].shape[0]
    frame_rays = np.zeros(r * (layouts[0][4] + 2), dtype=np.float32)
    frame_vector = np.zeros(wj.VECTOR_SIZE, dtype=np.float32)
    buffers = cast_buffers(r)
    spheres = no_spheres()
    for j in range(idx.shape[0]):
        # CollectObservations of agent i: both ray sensors, then the vector sensor, each stacked
        i = idx[j]
        p = agent_position[i]
        for k in range(3):
            box_center[3, k] = block_position[i, k]
        box_half[1, 1] = wall_height[i] / 2.0
        for s in range(2):
            frame_rays[:] = 0.0
            observe_agent(
                p[0], p[1], p[2], agent_state[i, 0], layouts[s], boxes, spheres, frame_rays, buffers
            )
            stack_into(histories[s][i], frame_rays, obs[s][i])
        frame_vector[0] = p[0] / 20.0
        frame_vector[1] = p[1] / 20.0
        frame_vector[2] = (p[2] - wj.GROUND_ORIGIN_Z) / 20.0
        frame_vector[3] = 1.0 if _small_grounded(p, block_position[i], wall_height[i]) else 0.0
        stack_into(histories[2][i], frame_vector, obs[2][i])


@njit(cache=True, nogil=True, error_model="numpy")
def walljump_decision(
    action: np.ndarray,
    agent_position: np.ndarray,
    agent_velocity: np.ndarray,
    agent_state: np.ndarray,
    block_position: np.ndarray,
    block_velocity: np.ndarray,
    wall_height: np.ndarray,
    step_count: np.ndarray,
    max_step: int,
    period: int,
    sensing: tuple,
    reward: np.ndarray,
    flags: np.ndarray,
    obs: tuple,
    ended_idx: np.ndarray,
) -> int:
    """Advance every WallJump agent by one decision and write its observations.

    Args:
        action: ``(n, 4)`` branch indices.
        agent_position: ``(n, 3)``, updated; likewise the velocity and the block's state.
        agent_velocity: ``(n, 3)``.
        agent_state: ``(n, 4)`` yaw, jump steps left, jump start height, support (updated).
        block_position: ``(n, 3)``.
        block_velocity: ``(n, 3)``.
        wall_height: ``(n,)``.
        step_count: ``(n,)`` agent step counters, updated.
        max_step: agent MaxStep (0 = unlimited).
        period: physics steps per decision.
        sensing: see ``walljump_observe``.
        reward: ``(n,)`` float32 out.
        flags: ``(4, n)`` bool out.
        obs: per sensor ``(n, size * stacks)`` float32 out.
        ended_idx: ``(n,)`` int64 out: the agents whose episode ended, in order.

    Returns:
        How many episodes ended.

    """
    n = action.shape[0]
    ended_count = 0
    for i in range(n):
        r_i = np.float32(0.0)
        ended = False
        scored = False
        truncated = False
        count = step_count[i]
        for _ in range(period):
            count += 1
            r_i, ended, scored = _physics_step(
                action[i],
                agent_position[i],
                agent_velocity[i],
                agent_state[i],
                block_position[i],
                block_velocity[i],
                wall_height[i],
                r_i,
            )
            if ended:
                break
            truncated = at_max_step(count, max_step)
            if truncated:
                break
        step_count[i] = count
        reward[i] = r_i
        ended_count = record_end(i, ended, truncated, scored, flags, ended_idx, ended_count)
    # the agents are independent: observing them after all have stepped is observing each after its step
    walljump_observe(np.arange(n), agent_position, agent_state, block_position, wall_height, sensing, obs)
    return ended_count
