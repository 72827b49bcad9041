"""Platform-world kernels (``sim.world_platform``): a tilting platform with a ball, one per area.

The physics is 3DBall's (``sim.kernels.ball3d``, the reference it is tested against), with the world's
numbers instead of 3DBall's constants: tilt per action, rotation limit, platform size, fall distances, the
``alive``/``falls_off`` rewards and how a fall ends the episode. A decision writes each agent's 8-float frame
(rotation z, x; ball minus platform; ball velocity) from which ``sim.world_platform`` builds the sensors'
observations.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .ball3d import platform_turn, roll_ball, tilt_platform
from .decision import at_max_step, record_end

# setup rows (``PlatformWorldEnv._setup``)
HALF_ANGLE, LIMIT, HALF_EXTENT, FALL_DISTANCE, FALL_DEPTH, DT, TOLERANCE, ROLLING = range(8)
# how a fall ends the episode (the falls_off event's ``end``)
FALL_CONTINUES, FALL_TERMINATES, FALL_INTERRUPTS = 0, 1, 2


@njit(cache=True, nogil=True, error_model="numpy")
def platform_decision(
    q: np.ndarray,
    p: np.ndarray,
    v: np.ndarray,
    contact: np.ndarray,
    consts: np.ndarray,
    cont: np.ndarray,
    tilt_columns: np.ndarray,
    setup: np.ndarray,
    rewards: np.ndarray,
    outcome: np.ndarray,
    step_count: np.ndarray,
    max_step: int,
    period: int,
    reward: np.ndarray,
    flags: np.ndarray,
    frame: np.ndarray,
    ended_idx: np.ndarray,
) -> int:
    """Advance every platform by one decision (``PlatformWorldEnv._physics_step`` ``period`` times).

    Args:
        q: ``(4, n)`` platform quaternions (x, y, z, w), updated in place.
        p: ``(3, n)`` ball positions relative to the platform, updated in place.
        v: ``(3, n)`` ball velocities, updated in place.
        contact: ``(n,)`` ball touching the top face, updated in place.
        consts: ``(4, n)`` per-episode g·dt, rolling g·dt, rest height, touch height.
        cont: ``(n, c)`` float32 actions in [-1, 1].
        tilt_columns: ``(2,)`` the action columns of tilt_z and tilt_x (-1: none).
        setup: float64 constants, rows named at the top of this module.
        rewards: ``(3,)`` float32: the alive reward, the falls_off reward, 1 where an alive event exists.
        outcome: ``(3,)`` int64: how a fall ends (FALL_*), whether a fall counts as success, whether surviving
            to MaxStep does.
        step_count: ``(n,)`` agent step counters, updated in place.
        max_step: agent MaxStep (0 = unlimited).
        period: physics steps per decision.
        reward: ``(n,)`` float32 out: the decision's reward.
        flags: ``(4, n)`` bool out (``sim.kernels``).
        frame: ``(n, 8)`` float32 out: the frame after the decision.
        ended_idx: ``(n,)`` int64 out: the agents whose episode ended, in order.

    Returns:
        How many episodes ended.

    """
    n = q.shape[1]
    half_angle, limit, half_extent = setup[HALF_ANGLE], setup[LIMIT], setup[HALF_EXTENT]
    fall_distance, fall_depth, dt = setup[FALL_DISTANCE], setup[FALL_DEPTH], setup[DT]
    alive_reward, fall_reward, has_alive = rewards[0], rewards[1], rewards[2] > 0.0
    fall_end, fall_success, survive_success = outcome[0], outcome[1] > 0, outcome[2] > 0
    column_z, column_x = tilt_columns[0], tilt_columns[1]
    ended_count = 0
    for i in range(n):
        qx, qy, qz, qw = q[0, i], q[1, i], q[2, i], q[3, i]
        px, py, pz = p[0, i], p[1, i], p[2, i]
        vx, vy, vz = v[0, i], v[1, i], v[2, i]
        touching = contact[i]
        episode = (consts[0, i], consts[1, i], consts[2, i], consts[3, i])  # see roll_ball
        action_z = np.float64(cont[i, column_z]) if column_z >= 0 else 0.0
        action_x = np.float64(cont[i, column_x]) if column_x >= 0 else 0.0
        angle_z, angle_x = action_z * half_angle, action_x * half_angle
        turn = platform_turn(angle_z, angle_x)
        count = step_count[i]
        ended = terminated = success = False
        r = np.float32(0.0)  # no SetReward: nothing
        for _ in range(period):
            count += 1
            qx, qy, qz, qw = tilt_platform(qx, qy, qz, qw, turn, limit)
            # OnActionReceived: the fall test on the position before this step's integration (SetReward)
            fell = max(abs(px), abs(pz)) > fall_distance or py < -fall_depth
            if fell:
                r = fall_reward
            elif has_alive:
                r = alive_reward
            px, py, pz, vx, vy, vz, touching = roll_ball(
                qx, qy, qz, qw, px, py, pz, vx, vy, vz, touching, episode, half_extent, dt
            )
            if fell and fall_end != FALL_CONTINUES:
                ended = True
                terminated = fall_end == FALL_TERMINATES
                success = fall_success
                break
            if at_max_step(count, max_step):
                ended = True
                success = survive_success
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
        ended_count = record_end(
            i, terminated, ended and not terminated, success, flags, ended_idx, ended_count
        )
        frame[i, 0], frame[i, 1] = qz, qx
        frame[i, 2], frame[i, 3], frame[i, 4] = px, py, pz
        frame[i, 5], frame[i, 6], frame[i, 7] = vx, vy, vz
    return ended_count


@njit(cache=True, nogil=True, error_model="numpy")
def platform_begin(
    idx: np.ndarray,
    draws: np.ndarray,
    values: np.ndarray,
    spawn: np.ndarray,
    setup: np.ndarray,
    start: tuple,
) -> None:
    """``OnEpisodeBegin`` of platforms ``idx`` (``PlatformWorldEnv._begin_numpy`` compiled).

    Args:
        idx: agents beginning an episode.
        draws: ``(4, m)`` standard uniform draws: start tilt about X, about Z, ball x, ball z.
        values: ``(3, m)`` the episode's ball mass, ball diameter and gravity per agent.
        spawn: ``(5,)`` start tilt in degrees, ball x low and high, z low and high (relative to the centre).
        setup: as ``platform_decision``'s (its half extent, contact tolerance, rolling factor, dt are read).
        start: what is written: quaternions, ball positions, velocities, contact, the per-episode constants
            ``(4, n)``, the episode's mass, radius and gravity ``(3, n)``, and the drop height (a float).

    """
    q, p, v, contact, consts, body, drop = start
    half_extent, tolerance, rolling, dt = setup[HALF_EXTENT], setup[TOLERANCE], setup[ROLLING], setup[DT]
    tilt = spawn[0]
    for j in range(idx.shape[0]):
        i = idx[j]
        mass, radius, gravity = values[0, j], 0.5 * values[1, j], values[2, j]
        gdt = gravity * dt
        # identity, Rotate about X by U(-tilt, tilt) degrees, then about Z (Ball3DAgent.OnEpisodeBegin)
        half_x = ((-tilt + 2.0 * tilt * draws[0, j]) * (math.pi / 180.0)) * 0.5
        half_z = ((-tilt + 2.0 * tilt * draws[1, j]) * (math.pi / 180.0)) * 0.5
        c, s = math.cos(half_x), math.sin(half_x)
        x, y, z, w = 0.0 * c + 1.0 * s, 0.0 * c + 0.0 * s, 0.0 * c - 0.0 * s, 1.0 * c - 0.0 * s
        c, s = math.cos(half_z), math.sin(half_z)
        x, y, z, w = x * c + y * s, y * c - x * s, z * c + w * s, w * c - z * s
        q[0, i], q[1, i], q[2, i], q[3, i] = x, y, z, w
        p[0, i] = spawn[1] + (spawn[2] - spawn[1]) * draws[2, j]
        p[1, i] = drop
        p[2, i] = spawn[3] + (spawn[4] - spawn[3]) * draws[3, j]
        v[0, i] = v[1, i] = v[2, i] = 0.0
        contact[i] = False
        body[0, i], body[1, i], body[2, i] = mass, radius, gravity
        consts[0, i] = gdt
        consts[1, i] = rolling * gdt
        consts[2, i] = half_extent + radius
        consts[3, i] = consts[2, i] + tolerance


@njit(cache=True, nogil=True, error_model="numpy")
def platform_restart(
    idx: np.ndarray,
    draws: np.ndarray,
    values: np.ndarray,
    spawn: np.ndarray,
    setup: np.ndarray,
    start: tuple,
    step_count: np.ndarray,
    episode_ids: np.ndarray,
    first_id: int,
    frame: np.ndarray,
) -> None:
    """Next episodes of platforms ``idx`` after a decision (``SimEnv._restart``): counters, begin, frame.

    As ``platform_begin``, and also zeroes their step counters, numbers their episodes from ``first_id`` and
    writes their first frames into their rows of ``frame`` (``(n, 8)`` float32).
    """
    platform_begin(idx, draws, values, spawn, setup, start)
    q, p = start[0], start[1]
    for j in range(idx.shape[0]):
        i = idx[j]
        step_count[i] = 0
        episode_ids[i] = first_id + j
        frame[i, 0], frame[i, 1] = q[2, i], q[0, i]
        frame[i, 2], frame[i, 3], frame[i, 4] = p[0, i], p[1, i], p[2, i]
        frame[i, 5] = frame[i, 6] = frame[i, 7] = 0.0
