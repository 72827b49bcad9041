"""PushBlock kernels: a whole decision per call, one physics step, observations (``tasks.pushblock``).

``pushblock_decision`` runs, per area, the decision's physics steps (``_agent_step``: the action, both
bodies, walls, goal and contact, as ``PushBlockEnv._physics_step``), stops at the goal or MaxStep, then casts
both ray sensors and stacks them (``ray_perception.observe_agent`` and ``stack_into``, shared with WallJump).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .ray_perception import observe_agent, stack_into


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


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _agent_step(
    i: int,
    a: int,
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
    cos: float,
    sin: float,
) -> tuple[bool, float, float]:
    # one physics step of area i with action a, ``cos``/``sin`` of its yaw; returns whether the block
    # touched the goal and the cos/sin of the yaw after the step
    run, gravity, dt, agent_drag, agent_half, sink, arena, goal_front = constants[:8]
    mr, mf = moves[a, 0], moves[a, 1]
    agent_velocity[i, 0] += run * (mr * cos + mf * sin)
    agent_velocity[i, 2] += run * (-mr * sin + mf * cos)
    if turns[a] != 0.0:
        agent_yaw[i] = (agent_yaw[i] + turns[a]) % 360.0
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
    return touched, cos, sin


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
    step_reward = np.float32(constants[8])
    goal_reward = np.float32(constants[9])
    for i in range(action.shape[0]):
        reward[i] = reward[i] - step_reward
        theta = math.radians(agent_yaw[i])
        touched, _, _ = _agent_step(
            i,
            action[i],
            moves,
            turns,
            agent_position,
            agent_velocity,
            agent_yaw,
            block_position,
            block_velocity,
            block_half,
            block_drag,
            friction,
            constants,
            math.cos(theta),
            math.sin(theta),
        )
        done[i] = touched
        if touched:
            reward[i] = reward[i] + goal_reward


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _observe_agent(
    i: int,
    agent_position: np.ndarray,
    agent_yaw: np.ndarray,
    block_position: np.ndarray,
    block_half: np.ndarray,
    layouts: tuple,
    box_center: np.ndarray,
    box_half: np.ndarray,
    box_yaw: np.ndarray,
    box_tag: np.ndarray,
    block_row: int,
    histories: tuple,
    obs: tuple,
    frame: np.ndarray,
    world: np.ndarray,
    best: np.ndarray,
    tag: np.ndarray,
    no_spheres: np.ndarray,
    no_radii: np.ndarray,
    no_tags: np.ndarray,
) -> None:
    # CollectObservations of area i: both ray sensors, each stacked (PushBlockEnv._observe)
    for j in range(3):
        box_center[block_row, j] = block_position[i, j]
        box_half[block_row, j] = block_half[i, j]
    for s in range(2):
        start, direction, length, radius, num_tags = layouts[s]
        frame[:] = 0.0
        observe_agent(
            agent_position[i, 0],
            agent_position[i, 1],
            agent_position[i, 2],
            agent_yaw[i],
            start,
            direction,
            length,
            radius,
            box_center,
            box_half,
            box_yaw,
            box_tag,
            no_spheres,
            no_radii,
            no_tags,
            num_tags,
            frame,
            world,
            best,
            tag,
        )
        stack_into(histories[s][i], frame, obs[s][i])


@njit(cache=True, nogil=True, error_model="numpy")
def pushblock_observe(
    idx: np.ndarray,
    agent_position: np.ndarray,
    agent_yaw: np.ndarray,
    block_position: np.ndarray,
    block_half: np.ndarray,
    layouts: tuple,
    box_center: np.ndarray,
    box_half: np.ndarray,
    box_yaw: np.ndarray,
    box_tag: np.ndarray,
    block_row: int,
    histories: tuple,
    obs: tuple,
) -> None:
    """Write the stacked observations of areas ``idx`` into their rows of ``obs`` (``PushBlockEnv._observe``).

    ``box_center`` / ``box_half`` ``(k, 3)`` are one area's colliders (the block's row is filled per area),
    ``layouts`` per sensor ``(start, direction, length, radius, num_tags)``, ``histories`` the stacks.
    """
    r = layouts[0][2].shape[0]
    frame = np.zeros(r * (layouts[0][4] + 2), dtype=np.float32)
    world = np.empty((r, 6))
    best = np.empty(r)
    tag = np.empty(r, dtype=np.int64)
    no_spheres, no_radii, no_tags = np.zeros((0, 3)), np.zeros(0), np.zeros(0, dtype=np.int64)
    for j in range(idx.shape[0]):
        _observe_agent(
            idx[j],
            agent_position,
            agent_yaw,
            block_position,
            block_half,
            layouts,
            box_center,
            box_half,
            box_yaw,
            box_tag,
            block_row,
            histories,
            obs,
            frame,
            world,
            best,
            tag,
            no_spheres,
            no_radii,
            no_tags,
        )


@njit(cache=True, nogil=True, error_model="numpy")
def pushblock_decision(
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
    step_count: np.ndarray,
    max_step: int,
    period: int,
    layouts: tuple,
    box_center: np.ndarray,
    box_half: np.ndarray,
    box_yaw: np.ndarray,
    box_tag: np.ndarray,
    block_row: int,
    histories: tuple,
    reward: np.ndarray,
    flags: np.ndarray,
    obs: tuple,
    ended_idx: np.ndarray,
) -> int:
    """Advance every PushBlock area by one decision: physics steps, goal and MaxStep, casts and stacks.

    Arguments are ``pushblock_physics_step``'s, the Academy's (``step_count``, ``max_step``, ``period``),
    ``pushblock_observe``'s, and the outputs of every decision kernel (``sim.kernels``): ``reward``,
    ``flags``, ``obs`` and ``ended_idx``. An area whose episode ends stops at that physics step.

    Returns:
        How many episodes ended.

    """
    step_reward = np.float32(constants[8])
    goal_reward = np.float32(constants[9])
    r = layouts[0][2].shape[0]
    frame = np.zeros(r * (layouts[0][4] + 2), dtype=np.float32)
    world = np.empty((r, 6))
    best = np.empty(r)
    tag = np.empty(r, dtype=np.int64)
    no_spheres, no_radii, no_tags = np.zeros((0, 3)), np.zeros(0), np.zeros(0, dtype=np.int64)
    ended_count = 0
    for i in range(action.shape[0]):
        a = action[i]
        r_i = np.float32(0.0)
        touched = False
        truncated = False
        count = step_count[i]
        # the yaw's cos and sin carry from step to step (recomputed only after a turn)
        theta = math.radians(agent_yaw[i])
        cos, sin = math.cos(theta), math.sin(theta)
        for _ in range(period):
            count += 1
            r_i = np.float32(r_i - step_reward)
            touched, cos, sin = _agent_step(
                i,
                a,
                moves,
                turns,
                agent_position,
                agent_velocity,
                agent_yaw,
                block_position,
                block_velocity,
                block_half,
                block_drag,
                friction,
                constants,
                cos,
                sin,
            )
            if touched:
                r_i = np.float32(r_i + goal_reward)
                break
            if max_step > 0 and count >= max_step:
                truncated = True
                break
        step_count[i] = count
        reward[i] = r_i
        flags[0, i] = touched or truncated
        flags[1, i] = touched
        flags[2, i] = truncated
        flags[3, i] = touched
        if touched or truncated:
            ended_idx[ended_count] = i
            ended_count += 1
        _observe_agent(
            i,
            agent_position,
            agent_yaw,
            block_position,
            block_half,
            layouts,
            box_center,
            box_half,
            box_yaw,
            box_tag,
            block_row,
            histories,
            obs,
            frame,
            world,
            best,
            tag,
            no_spheres,
            no_radii,
            no_tags,
        )
    return ended_count
