"""PushBlock kernels: a whole decision per call, one physics step, observations (``tasks.pushblock``).

``pushblock_decision`` runs, per area, the decision's physics steps (``_agent_step``: the action, both
bodies, walls, goal and contact, as ``PushBlockEnv._physics_step``), stops at the goal or MaxStep, then casts
both ray sensors and stacks them (``ray_perception.observe_agent`` and ``stack_into``, shared with WallJump).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .contact import fall_and_slide, keep_inside, square_box_contact
from .decision import at_max_step, record_end
from .ray_perception import cast_buffers, no_spheres, observe_agent, stack_into


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _walls(
    p: np.ndarray, v: np.ndarray, i: int, ex: float, ez: float, arena: float, goal_front: float
) -> None:
    # keep a body of half reach (ex, ez) inside the walls and out of the goal
    keep_inside(p, v, i, ex, ez, -arena, arena, goal_front, arena)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _body(
    p: np.ndarray, v: np.ndarray, i: int, rest: float, drag: float, friction: float, gravity: float, dt: float
) -> None:
    p[i, 0], p[i, 1], p[i, 2], v[i, 0], v[i, 1], v[i, 2] = fall_and_slide(
        p[i, 0], p[i, 1], p[i, 2], v[i, 0], v[i, 1], v[i, 2], rest, drag, friction, gravity, dt
    )


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
    # equal masses: each moves half the penetration and they share the closing normal velocity
    _, depth, nx, nz = square_box_contact(
        ap[i, 0] - bp[i, 0], ap[i, 2] - bp[i, 2], cos, sin, agent_half, hx, hz, 0.0
    )
    if depth <= 0.0:
        return
    half_depth = 0.5 * depth
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
    bodies: tuple,
    constants: np.ndarray,
    cos: float,
    sin: float,
) -> tuple[bool, float, float]:
    # one physics step of area i with action a, ``cos``/``sin`` of its yaw; returns whether the block
    # touched the goal and the cos/sin of the yaw after the step
    (
        agent_position,
        agent_velocity,
        agent_yaw,
        block_position,
        block_velocity,
        block_half,
        block_drag,
        friction,
    ) = bodies
    run, gravity, dt, agent_drag, agent_half, sink, arena, goal_front = constants[:8]
    mr, mf = moves[a, 0], moves[a, 1]
    agent_velocity[i, 0] += run * (mr * cos + mf * sin)
    agent_velocity[i, 2] += run * (-mr * sin + mf * cos)
    if turns[a] != 0.0:
        agent_yaw[i] = (agent_yaw[i] + turns[a]) % 360.0
    _body(agent_position, agent_velocity, i, agent_half - sink, agent_drag, friction[i], gravity, dt)
    _body(block_position, block_velocity, i, block_half[i, 1] - sink, block_drag[i], friction[i], gravity, dt)
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
            agent_position, agent_velocity, block_position, block_velocity, i, cos, sin, hx, hz, agent_half
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
    bodies: tuple,
    constants: np.ndarray,
    reward: np.ndarray,
    done: np.ndarray,
) -> None:
    """One physics step of every PushBlock area: the action, both bodies, walls, goal and contact.

    Args:
        action: ``(n,)`` branch index per agent.
        moves: ``(7, 2)`` velocity change per action in the agent's frame (right, forward).
        turns: ``(7,)`` degrees per action.
        bodies: the areas' state, updated: agent position ``(n, 3)``, velocity ``(n, 3)``, yaw ``(n,)``
            (degrees), block position ``(n, 3)``, velocity ``(n, 3)``, half extents ``(n, 3)``, drag
            ``(n,)``, and the combined ground friction ``(n,)``.
        constants: run speed, gravity, dt, agent drag, agent half, rest sink, arena half, goal front, step
            reward (negative), goal reward.
        reward: ``(n,)`` float32, added to.
        done: ``(n,)`` bool out: the block touched the goal.

    """
    step_reward = np.float32(constants[8])
    goal_reward = np.float32(constants[9])
    agent_yaw = bodies[2]
    for i in range(action.shape[0]):
        reward[i] = reward[i] - step_reward
        theta = math.radians(agent_yaw[i])
        touched, _, _ = _agent_step(
            i, action[i], moves, turns, bodies, constants, math.cos(theta), math.sin(theta)
        )
        done[i] = touched
        if touched:
            reward[i] = reward[i] + goal_reward


@njit(cache=True, nogil=True, error_model="numpy")
def pushblock_observe(
    idx: np.ndarray,
    bodies: tuple,
    sensing: tuple,
    obs: tuple,
) -> None:
    """Write the stacked observations of areas ``idx`` into their rows of ``obs`` (``PushBlockEnv._observe``).

    ``bodies`` as ``pushblock_physics_step`` takes them; ``sensing`` is ``(layouts, boxes, block_row,
    histories)``: per sensor the ray layout ``(start, direction, length, radius, num_tags)``; one area's box
    colliders ``(center (k, 3), half (k, 3), yaw, tag)`` (the block's row is filled per area); per sensor the
    stacked history ``(n, size * stacks)``.
    """
    agent_position, agent_yaw, block_position, block_half = bodies[0], bodies[2], bodies[3], bodies[5]
    layouts, boxes, block_row, histories = sensing
    box_center, box_half = boxes[0], boxes[1]
    r = layouts[0][2].shape[0]
    frame = np.zeros(r * (layouts[0][4] + 2), dtype=np.float32)
    buffers = cast_buffers(r)
    spheres = no_spheres()
    for j in range(idx.shape[0]):
        # CollectObservations of area i: both ray sensors, each stacked
        i = idx[j]
        for k in range(3):
            box_center[block_row, k] = block_position[i, k]
            box_half[block_row, k] = block_half[i, k]
        p = agent_position[i]
        for s in range(2):
            frame[:] = 0.0
            observe_agent(p[0], p[1], p[2], agent_yaw[i], layouts[s], boxes, spheres, frame, buffers)
            stack_into(histories[s][i], frame, obs[s][i])


@njit(cache=True, nogil=True, error_model="numpy")
def pushblock_decision(
    action: np.ndarray,
    moves: np.ndarray,
    turns: np.ndarray,
    bodies: tuple,
    constants: np.ndarray,
    step_count: np.ndarray,
    max_step: int,
    period: int,
    sensing: tuple,
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
    ended_count = 0
    for i in range(action.shape[0]):
        a = action[i]
        r_i = np.float32(0.0)
        touched = False
        truncated = False
        count = step_count[i]
        # the yaw's cos and sin carry from step to step (recomputed only after a turn)
        theta = math.radians(bodies[2][i])
        cos, sin = math.cos(theta), math.sin(theta)
        for _ in range(period):
            count += 1
            r_i = np.float32(r_i - step_reward)
            touched, cos, sin = _agent_step(i, a, moves, turns, bodies, constants, cos, sin)
            if touched:
                r_i = np.float32(r_i + goal_reward)
                break
            truncated = at_max_step(count, max_step)
            if truncated:
                break
        step_count[i] = count
        reward[i] = r_i
        ended_count = record_end(i, touched, truncated, touched, flags, ended_idx, ended_count)
    # the areas are independent: observing them after all have stepped is observing each after its step
    pushblock_observe(np.arange(action.shape[0]), bodies, sensing, obs)
    return ended_count
