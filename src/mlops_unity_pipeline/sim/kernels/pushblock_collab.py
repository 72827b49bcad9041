"""PushBlockCollab kernel: one physics step of every area (``tasks.pushblock_collab`` documents the model).

The NumPy reference (``PushBlockCollabEnv._numpy_physics_step``) runs the same operations in the same order,
vectorized over areas; ``tests/sim/test_pushblock_collab.py`` checks that both give the same trajectories.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .contact import box_contact as _contact
from .contact import keep_inside
from .contact import near as _near

AGENTS_PER_AREA = 3
CONTACT_ITERATIONS = 2


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _body(p: np.ndarray, v: np.ndarray, i: int, drag: float, decel: float, dt: float) -> None:
    # linear damping (PhysX's integrator), Coulomb ground friction, then the position (planar)
    damp = min(max(1.0 - drag * dt, 0.0), 1.0)
    v[i, 0] *= damp
    v[i, 2] *= damp
    speed = math.hypot(v[i, 0], v[i, 2])
    if speed > 0.0:
        slow = max(speed - decel, 0.0) / speed
        v[i, 0] *= slow
        v[i, 2] *= slow
    p[i, 0] += v[i, 0] * dt
    p[i, 2] += v[i, 2] * dt


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _walls(p: np.ndarray, v: np.ndarray, i: int, ex: float, ez: float, arena: float) -> None:
    # keep a body of reach (ex, ez) inside the square arena
    keep_inside(p, v, i, ex, ez, -arena, arena, -arena, arena)


@njit(cache=True, nogil=True, error_model="numpy")
def pushblock_collab_physics_step(
    action: np.ndarray,
    moves: np.ndarray,
    turns: np.ndarray,
    agent_position: np.ndarray,
    agent_velocity: np.ndarray,
    agent_yaw: np.ndarray,
    agent_half: np.ndarray,
    block_position: np.ndarray,
    block_velocity: np.ndarray,
    block_half: np.ndarray,
    block_mass: np.ndarray,
    block_value: np.ndarray,
    block_active: np.ndarray,
    constants: np.ndarray,
    group_reward: np.ndarray,
    group_done: np.ndarray,
) -> None:
    """One physics step of every PushBlockCollab area: actions, bodies, walls, contacts, goal, penalty.

    Args:
        action: ``(n,)`` branch index per agent (agents ``3a .. 3a+2`` are area ``a``'s group).
        moves: ``(7, 2)`` velocity change per action in the agent's frame (right, forward).
        turns: ``(7,)`` degrees per action.
        agent_position: ``(n, 3)``, updated; likewise velocities, yaw and the block state.
        agent_velocity: ``(n, 3)``.
        agent_yaw: ``(n,)`` degrees.
        agent_half: ``(3,)`` agent half extents.
        block_position: ``(areas, blocks, 3)`` C-contiguous.
        block_velocity: ``(areas, blocks, 3)`` C-contiguous.
        block_half: ``(blocks, 3)`` half extents.
        block_mass: ``(blocks,)``.
        block_value: ``(blocks,)`` group reward when the block reaches the goal.
        block_active: ``(areas, blocks)`` bool, updated: False once a block scored (``SetActive(false)``).
        constants: run speed, dt, agent drag, block drag, ground deceleration per step (mu g dt), arena
            half size, goal front, agent mass, group reward per physics step (the hurry-up penalty), the
            height inactive blocks are parked at.
        group_reward: ``(areas,)`` float64 out: this physics step's group reward.
        group_done: ``(areas,)`` bool out: every block of the area has scored.

    """
    run, dt, agent_drag, block_drag, decel, arena, goal_front, agent_mass, penalty, parked = constants[:10]
    areas, blocks = block_active.shape
    bp = block_position.reshape(areas * blocks, 3)  # row a * blocks + b
    bv = block_velocity.reshape(areas * blocks, 3)
    agent_radius = math.hypot(agent_half[0], agent_half[2])
    block_radius = np.empty(blocks)
    for b in range(blocks):
        block_radius[b] = math.hypot(block_half[b, 0], block_half[b, 2])
    cos = np.empty(AGENTS_PER_AREA)
    sin = np.empty(AGENTS_PER_AREA)
    for a in range(areas):
        reward = penalty
        first = a * AGENTS_PER_AREA
        row = a * blocks
        for m in range(AGENTS_PER_AREA):
            i = first + m
            act = action[i]
            theta = math.radians(agent_yaw[i])
            c, s = math.cos(theta), math.sin(theta)
            agent_velocity[i, 0] += run * (moves[act, 0] * c + moves[act, 1] * s)
            agent_velocity[i, 2] += run * (-moves[act, 0] * s + moves[act, 1] * c)
            if turns[act] != 0.0:
                agent_yaw[i] = (agent_yaw[i] + turns[act]) % 360.0
            _body(agent_position, agent_velocity, i, agent_drag, decel, dt)
        for b in range(blocks):
            if block_active[a, b]:
                _body(bp, bv, row + b, block_drag, decel, dt)
        for m in range(AGENTS_PER_AREA):
            theta = math.radians(agent_yaw[first + m])
            cos[m], sin[m] = math.cos(theta), math.sin(theta)
        for sweep in range(CONTACT_ITERATIONS + 1):
            for b in range(blocks):
                if block_active[a, b]:
                    _walls(bp, bv, row + b, block_half[b, 0], block_half[b, 2], arena)
            for m in range(AGENTS_PER_AREA):
                extent = agent_half[0] * (abs(cos[m]) + abs(sin[m]))
                _walls(agent_position, agent_velocity, first + m, extent, extent, arena)
            if sweep == CONTACT_ITERATIONS:
                break  # the last sweep only enforces the walls
            for m in range(AGENTS_PER_AREA):
                i = first + m
                for b in range(blocks):
                    j = row + b
                    if block_active[a, b] and _near(agent_position, i, bp, j, agent_radius + block_radius[b]):
                        _contact(
                            agent_position, agent_velocity, i, cos[m], sin[m], agent_half, agent_mass,
                            bp, bv, j, 1.0, 0.0, block_half[b], block_mass[b],
                        )  # fmt: skip
            for m in range(AGENTS_PER_AREA):
                for o in range(m + 1, AGENTS_PER_AREA):
                    i, j = first + m, first + o
                    if _near(agent_position, i, agent_position, j, 2.0 * agent_radius):
                        _contact(
                            agent_position, agent_velocity, i, cos[m], sin[m], agent_half, agent_mass,
                            agent_position, agent_velocity, j, cos[o], sin[o], agent_half, agent_mass,
                        )  # fmt: skip
            for b in range(blocks):
                if not block_active[a, b]:
                    continue
                for o in range(b + 1, blocks):
                    reach = block_radius[b] + block_radius[o]
                    if block_active[a, o] and _near(bp, row + b, bp, row + o, reach):
                        _contact(
                            bp, bv, row + b, 1.0, 0.0, block_half[b], block_mass[b],
                            bp, bv, row + o, 1.0, 0.0, block_half[o], block_mass[o],
                        )  # fmt: skip
        remaining = 0
        for b in range(blocks):
            if not block_active[a, b]:
                continue
            if bp[row + b, 2] - block_half[b, 2] <= goal_front:
                # the goal is a trigger: the block scores on entering it and is disabled
                block_active[a, b] = False
                reward += block_value[b]
                bp[row + b, 1] = parked
                bv[row + b, 0] = 0.0
                bv[row + b, 2] = 0.0
            else:
                remaining += 1
        group_reward[a] = reward
        group_done[a] = remaining == 0
