"""Hallway kernel: one whole decision for every area (``tasks.hallway.HallwayEnv``'s NumPy path)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .contact import fall_and_slide, square_box_contact, wall_clamp
from .decision import at_max_step, record_end
from .ray_perception import ray_perception_observe


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _walls(state: np.ndarray, i: int, extent: float, half_x: float, half_z: float) -> None:
    # keep the turned square inside the walls; stop its motion into them (state: position, velocity, yaw)
    state[i, 0], state[i, 3] = wall_clamp(state[i, 0], state[i, 3], -half_x + extent, half_x - extent)
    state[i, 2], state[i, 5] = wall_clamp(state[i, 2], state[i, 5], -half_z + extent, half_z - extent)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _push_out(
    state: np.ndarray,
    i: int,
    centre: np.ndarray,
    half: np.ndarray,
    b: int,
    cos: float,
    sin: float,
    agent_half: float,
    touch: float,
) -> tuple[bool, bool]:
    # separate agent i from box b (static); returns (within ``touch``, pushed)
    hx, hy, hz = half[i, b, 0], half[i, b, 1], half[i, b, 2]
    if abs(state[i, 1] - centre[i, b, 1]) >= hy + agent_half:
        return False, False
    touching, depth, nx, nz = square_box_contact(
        state[i, 0] - centre[i, b, 0], state[i, 2] - centre[i, b, 2], cos, sin, agent_half, hx, hz, touch
    )
    if depth <= 0.0:
        return touching, False
    state[i, 0] += nx * depth
    state[i, 2] += nz * depth
    into = state[i, 3] * nx + state[i, 5] * nz
    if into < 0.0:
        state[i, 3] -= nx * into
        state[i, 5] -= nz * into
    return touching, True


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _physics_step(
    i: int,
    a: int,
    cos: float,
    sin: float,
    moves: np.ndarray,
    state: np.ndarray,
    box_center: np.ndarray,
    box_half: np.ndarray,
    goal_owner: np.ndarray,
    constants: np.ndarray,
    rows: np.ndarray,
    num_rows: int,
) -> tuple[int, float, float]:
    # one physics step of agent i with action a, facing (cos, sin) of its yaw, against the collider rows
    # rows[:num_rows]; returns the goal's owner touched (-1: none) and the (cos, sin) after the step
    # (recomputed only when the action turns)
    run, gravity, dt, drag, agent_half, rest, friction, half_x, half_z = constants[:9]
    touch = constants[12]
    dv = run * moves[0, a]
    if dv != 0.0:
        state[i, 3] += dv * sin
        state[i, 5] += dv * cos
    if moves[1, a] != 0.0:
        state[i, 6] = (state[i, 6] + moves[1, a]) % 360.0
        theta = math.radians(state[i, 6])
        cos, sin = math.cos(theta), math.sin(theta)
    px, py, pz, vx, vy, vz = state[i, 0], state[i, 1], state[i, 2], state[i, 3], state[i, 4], state[i, 5]
    px, py, pz, vx, vy, vz = fall_and_slide(px, py, pz, vx, vy, vz, rest, drag, friction, gravity, dt)
    state[i, 0], state[i, 1], state[i, 2], state[i, 3], state[i, 4], state[i, 5] = px, py, pz, vx, vy, vz
    extent = agent_half * (abs(cos) + abs(sin))
    touched = -1
    for _ in range(2):
        _walls(state, i, extent, half_x, half_z)
        pushed = False
        for m in range(num_rows):
            b = rows[m]
            hit, moved = _push_out(state, i, box_center, box_half, b, cos, sin, agent_half, touch)
            pushed |= moved
            if hit and goal_owner[b] >= 0 and touched < 0:
                touched = goal_owner[b]
        if not pushed:
            break  # nothing moved: another pass (walls, boxes) would find the same
    _walls(state, i, extent, half_x, half_z)
    return touched, cos, sin


@njit(cache=True, nogil=True, error_model="numpy")
def hallway_decision(
    disc: np.ndarray,
    moves: np.ndarray,
    state: np.ndarray,
    selection: np.ndarray,
    box_center: np.ndarray,
    box_half: np.ndarray,
    box_yaw: np.ndarray,
    box_tag: np.ndarray,
    goal_owner: np.ndarray,
    layout: np.ndarray,
    constants: np.ndarray,
    step_count: np.ndarray,
    ray_history: np.ndarray,
    vector_history: np.ndarray,
    reward: np.ndarray,
    flags: np.ndarray,
    ray_obs: np.ndarray,
    vector_obs: np.ndarray,
    ended_idx: np.ndarray,
    frame: np.ndarray,
) -> int:
    """Advance every Hallway agent by one decision (``HallwayEnv``'s NumPy path, step for step).

    Per agent, ``period`` physics steps in the Academy's order (step counter, action and step cost,
    physics and contacts, a goal's ``SetReward`` and ``EndEpisode``, ``MaxStep``), stopping at an episode's
    end; then every agent's rays are cast and both stacks written (oldest frame first) and kept as the
    history of the next decision.

    Args:
        disc: ``(n, 1)`` branch index per agent.
        moves: ``(2, 5)`` per action: velocity change along forward (x run speed), degrees of yaw.
        state: ``(n, 7)`` position, velocity, yaw (degrees), updated in place.
        selection: ``(n,)`` the episode's cue (0 O, 1 X).
        box_center: ``(n, k, 3)`` collider centres (rows from ``constants[13]`` are bumped into).
        box_half: ``(n, k, 3)`` half extents.
        box_yaw: ``(n, k)`` collider yaw (degrees; all 0 here).
        box_tag: ``(k,)`` tag slot per collider.
        goal_owner: ``(k,)`` the symbol each collider is the goal of (-1: none).
        layout: ``(r, 8)`` the rays: local start (3), unit direction (3), cast length, sphere radius.
        constants: run speed, gravity, dt, drag, agent half, rest height, friction, half x, half z, step
            cost, correct reward, wrong reward, touch tolerance, first box row, MaxStep, period, tags.
        step_count: ``(n,)`` agent step counters, updated in place.
        ray_history: ``(n, r * (tags + 2) * stacks)`` the stacked rays handed out last decision; set to
            this decision's.
        vector_history: ``(n, stacks)`` likewise for ``StepCount / MaxStep``.
        reward: ``(n,)`` float32 out.
        flags: ``(4, n)`` bool out: ended, terminated, truncated, success.
        ray_obs: ``(n, r * (tags + 2) * stacks)`` float32 out.
        vector_obs: ``(n, stacks)`` float32 out.
        ended_idx: ``(n,)`` int64 out: its first entries are the agents whose episode ended, in order.
        frame: ``(n, r * (tags + 2))`` float32 scratch for one frame of rays.

    Returns:
        How many episodes ended.

    """
    step_cost = np.float32(constants[9])
    correct_reward = np.float32(constants[10])
    wrong_reward = np.float32(constants[11])
    max_step = int(constants[14])
    period = int(constants[15])
    num_tags = int(constants[16])
    n = state.shape[0]
    ended_count = 0
    run, dt, damp = constants[0], constants[2], min(max(1.0 - constants[3] * constants[2], 0.0), 1.0)
    reach = constants[4] * 1.4142135623730951 + constants[12]
    first_box = int(constants[13])
    rows = np.empty(box_half.shape[1], dtype=np.int64)
    for i in range(n):
        a = disc[i, 0]
        count = step_count[i]
        r = np.float32(0.0)
        terminated = truncated = success = False
        theta = math.radians(state[i, 6])
        cos, sin = math.cos(theta), math.sin(theta)
        # Broad phase: the boxes this decision can reach. Speed grows at most to (v + run) * damp per step
        # (friction and contacts only slow it), and a push-out moves the agent back by no more than that
        # step's own motion, so twice the summed steps bounds how far it gets from where it starts; 0.5
        # more covers a turn widening its square (by at most 0.21) against a box or wall.
        speed = math.hypot(state[i, 3], state[i, 5])
        travel = 0.0
        for _ in range(period):
            speed = (speed + run) * damp
            travel += speed * dt
        margin = reach + 2.0 * travel + 0.5
        num_rows = 0
        for b in range(first_box, box_half.shape[1]):
            if (
                abs(state[i, 0] - box_center[i, b, 0]) < box_half[i, b, 0] + margin
                and abs(state[i, 2] - box_center[i, b, 2]) < box_half[i, b, 2] + margin
            ):
                rows[num_rows] = b
                num_rows += 1
        for _ in range(period):
            count += 1
            r = r - step_cost
            touched, cos, sin = _physics_step(
                i, a, cos, sin, moves, state, box_center, box_half, goal_owner, constants, rows, num_rows
            )
            if touched >= 0:
                terminated = True
                success = touched == selection[i]
                r = correct_reward if success else wrong_reward
                break
            truncated = at_max_step(count, max_step)
            if truncated:
                break
        step_count[i] = count
        reward[i] = r
        ended_count = record_end(i, terminated, truncated, success, flags, ended_idx, ended_count)
    # CollectObservations: one frame of rays per agent, then both stacks shifted by one frame.
    width = frame.shape[1]
    frame[:] = 0.0
    ray_perception_observe(
        state[:, 0:3],
        state[:, 6],
        layout[:, 0:3],
        layout[:, 3:6],
        layout[:, 6],
        layout[:, 7],
        box_center,
        box_half,
        box_yaw,
        box_tag,
        box_center[:, 0:0],
        layout[0:0, 0],
        box_tag[0:0],
        num_tags,
        frame,
    )
    rays = ray_obs.shape[1]
    stacks = vector_obs.shape[1]
    for i in range(n):
        for j in range(rays - width):
            ray_obs[i, j] = ray_history[i, j + width]
        for j in range(width):
            ray_obs[i, rays - width + j] = frame[i, j]
        for j in range(stacks - 1):
            vector_obs[i, j] = vector_history[i, j + 1]
        vector_obs[i, stacks - 1] = np.float32(step_count[i] / float(max_step))
        # the observations handed out become the next decision's history (StackingSensor's ring)
        ray_history[i] = ray_obs[i]
        vector_history[i] = vector_obs[i]
    return ended_count
