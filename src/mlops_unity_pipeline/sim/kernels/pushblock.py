"""PushBlock kernel: one physics step for every area (``tasks.pushblock.PushBlockEnv._physics_step``)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _walls(
    p: np.ndarray, v: np.ndarray, i: int, ex: float, ez: float, arena: float, goal_front: float
) -> None:
    # keep a body of half reach (ex, ez) inside the walls and out of the goal; stop its motion into them
    lo, hi = -arena + ex, arena - ex
    if p[i, 0] <= lo:
        v[i, 0] = max(v[i, 0], 0.0)
    if p[i, 0] >= hi:
        v[i, 0] = min(v[i, 0], 0.0)
    p[i, 0] = min(max(p[i, 0], lo), hi)
    lo, hi = goal_front + ez, arena - ez
    if p[i, 2] <= lo:
        v[i, 2] = max(v[i, 2], 0.0)
    if p[i, 2] >= hi:
        v[i, 2] = min(v[i, 2], 0.0)
    p[i, 2] = min(max(p[i, 2], lo), hi)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _body(
    p: np.ndarray, v: np.ndarray, i: int, rest: float, drag: float, friction: float, gravity: float, dt: float
) -> None:
    # gravity, damping, ground friction, integration, ground contact
    v[i, 1] -= gravity * dt
    damp = min(max(1.0 - drag * dt, 0.0), 1.0)
    v[i, 0] *= damp
    v[i, 1] *= damp
    v[i, 2] *= damp
    grounded = p[i, 1] - rest <= 1e-6
    speed = math.hypot(v[i, 0], v[i, 2])
    if grounded and speed > 0.0:
        slow = max(speed - friction * gravity * dt, 0.0) / max(speed, 1e-12)
        v[i, 0] *= slow
        v[i, 2] *= slow
    p[i, 0] += v[i, 0] * dt
    p[i, 1] += v[i, 1] * dt
    p[i, 2] += v[i, 2] * dt
    if p[i, 1] < rest:
        p[i, 1] = rest
        v[i, 1] = max(v[i, 1], 0.0)


@njit(cache=True, nogil=True, error_model="numpy")
def _agent_block(
    ap: np.ndarray,
    av: np.ndarray,
    bp: np.ndarray,
    bv: np.ndarray,
    i: int,
    cos: float,
    sin: float,
    hx: float,
    hz: float,
    agent_half: float,
) -> None:
    # separating axes: the block's x and z, the agent's right and forward
    dx = ap[i, 0] - bp[i, 0]
    dz = ap[i, 2] - bp[i, 2]
    # the world axes separate them whenever the agent's reach (at most half a diagonal) cannot close the gap
    diagonal = agent_half * math.sqrt(2.0)
    if abs(dx) >= hx + diagonal or abs(dz) >= hz + diagonal:
        return
    best_overlap = math.inf
    best_x = 0.0
    best_z = 0.0
    best_sep = 0.0
    for k in range(4):
        if k == 0:
            lx, lz = 1.0, 0.0
        elif k == 1:
            lx, lz = 0.0, 1.0
        elif k == 2:
            lx, lz = cos, -sin
        else:
            lx, lz = sin, cos
        reach = hx * abs(lx) + hz * abs(lz)
        reach += agent_half * (abs(lx * cos - lz * sin) + abs(lx * sin + lz * cos))
        sep = lx * dx + lz * dz
        overlap = reach - abs(sep)
        if overlap <= 0.0:
            return
        if overlap < best_overlap:
            best_overlap, best_x, best_z, best_sep = overlap, lx, lz, sep
    sign = 1.0 if best_sep >= 0.0 else -1.0
    nx, nz = best_x * sign, best_z * sign
    half_depth = 0.5 * best_overlap
    ap[i, 0] += nx * half_depth
    ap[i, 2] += nz * half_depth
    bp[i, 0] -= nx * half_depth
    bp[i, 2] -= nz * half_depth
    closing = (av[i, 0] - bv[i, 0]) * nx + (av[i, 2] - bv[i, 2]) * nz
    if closing < 0.0:
        share = 0.5 * closing
        av[i, 0] -= nx * share
        av[i, 2] -= nz * share
        bv[i, 0] += nx * share
        bv[i, 2] += nz * share


@njit(cache=True, nogil=True, error_model="numpy")
def pushblock_physics_step(
    action: np.ndarray,
    moves: np.ndarray,
    turns: np.ndarray,
    agent_position: np.ndarray,
    agent_velocity: np.ndarray,
    agent_yaw: np.ndarray,
    block_position: np.ndarray,
    block_velocity: np.ndarray,
    block_half: np.ndarray,
    block_drag: np.ndarray,
    friction: np.ndarray,
    constants: np.ndarray,
    reward: np.ndarray,
    done: np.ndarray,
) -> None:
    """One physics step of every PushBlock area: the action, both bodies, walls, goal and contact.

    Args:
        action: ``(n,)`` branch index per agent.
        moves: ``(7, 2)`` velocity change per action in the agent's frame (right, forward).
        turns: ``(7,)`` degrees per action.
        agent_position: ``(n, 3)``, updated; likewise the velocities, yaw and block state.
        agent_velocity: ``(n, 3)``.
        agent_yaw: ``(n,)`` degrees.
        block_position: ``(n, 3)``.
        block_velocity: ``(n, 3)``.
        block_half: ``(n, 3)`` block half extents.
        block_drag: ``(n,)``.
        friction: ``(n,)`` combined ground friction.
        constants: run speed, gravity, dt, agent drag, agent half, rest sink, arena half, goal front, step
            reward (negative), goal reward.
        reward: ``(n,)`` float32, added to.
        done: ``(n,)`` bool out: the block touched the goal.

    """
    run, gravity, dt, agent_drag, agent_half, sink, arena, goal_front = constants[:8]
    step_reward = np.float32(constants[8])
    goal_reward = np.float32(constants[9])
    n = action.shape[0]
    for i in range(n):
        a = action[i]
        theta = math.radians(agent_yaw[i])
        cos, sin = math.cos(theta), math.sin(theta)
        mr, mf = moves[a, 0], moves[a, 1]
        agent_velocity[i, 0] += run * (mr * cos + mf * sin)
        agent_velocity[i, 2] += run * (-mr * sin + mf * cos)
        if turns[a] != 0.0:
            agent_yaw[i] = (agent_yaw[i] + turns[a]) % 360.0
        reward[i] = reward[i] - step_reward
        _body(agent_position, agent_velocity, i, agent_half - sink, agent_drag, friction[i], gravity, dt)
        _body(
            block_position,
            block_velocity,
            i,
            block_half[i, 1] - sink,
            block_drag[i],
            friction[i],
            gravity,
            dt,
        )
        if turns[a] != 0.0:
            theta = math.radians(agent_yaw[i])
            cos, sin = math.cos(theta), math.sin(theta)
        extent = agent_half * (abs(cos) + abs(sin))
        hx, hz = block_half[i, 0], block_half[i, 2]
        touched = False
        for _ in range(2):
            touched |= block_position[i, 2] - hz <= goal_front + 1e-3
            _walls(block_position, block_velocity, i, hx, hz, arena, goal_front)
            _walls(agent_position, agent_velocity, i, extent, extent, arena, goal_front)
            _agent_block(
                agent_position,
                agent_velocity,
                block_position,
                block_velocity,
                i,
                cos,
                sin,
                hx,
                hz,
                agent_half,
            )
        touched |= block_position[i, 2] - hz <= goal_front + 1e-3
        _walls(block_position, block_velocity, i, hx, hz, arena, goal_front)
        _walls(agent_position, agent_velocity, i, extent, extent, arena, goal_front)
        done[i] = touched
        if touched:
            reward[i] = reward[i] + goal_reward
