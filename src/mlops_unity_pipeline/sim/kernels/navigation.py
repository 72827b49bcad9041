"""Navigation kernels: a decision, episode starts (placement), observations (``tasks.navigation``)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .decision import at_max_step, record_end

OBS_RAYCAST, OBS_VELOCITY, OBS_TARGET_DIRECTION, OBS_TARGET_DISTANCE, OBS_POSITION = range(5)
"""Observation item codes (``archetypes.OBSERVATION_KINDS`` order is not assumed: tasks map names)."""


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _clamp(value: float, limit: float) -> float:
    # np.maximum(np.minimum(value, limit), -limit), as the NumPy path writes it
    return max(min(value, limit), -limit)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def navigation_observe_one(i: int, row: np.ndarray, scene: tuple, view: tuple) -> None:
    """Write agent ``i``'s observation into ``row`` (``NavigationEnv._observe`` with ``rays.cast``).

    Args:
        i: the agent.
        row: its observation, written.
        scene: ``(pos, vel, target, obstacles, speed)``: ``(2, n)`` agent (x, z), ``(2, n)`` velocity over
            the last physics step, ``(2, n)`` targets, ``(2, k, n)`` obstacle centres (inactive ones parked
            far away), ``(n,)`` move speed of each agent's episode.
        view: ``(kinds, ray_dirs, wall_inverse, wall_at, geometry, rays_walls, rays_obstacles)``: the
            observation item codes in order (``OBS_*``), ``(r, 2)`` unit ray directions, ``(r, 2)``
            1 / direction per axis (inf where parallel), ``(r, 2)`` the wall coordinate each ray points at
            per axis, the geometry (ray_length, 1 / ray_length, obstacle radius, 1 / (2 half extent),
            2 sqrt(2) half extent as the NumPy path computes each, and the half extent), whether rays detect
            walls and whether they detect obstacles.

    """
    pos, vel, target, obstacles, speed = scene
    kinds, ray_dirs, wall_inverse, wall_at, geometry, rays_walls, rays_obstacles = view
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
def navigation_observe(idx: np.ndarray, obs: np.ndarray, scene: tuple, view: tuple) -> None:
    """Write the observations of agents ``idx`` into the rows of ``obs`` (row j for agent ``idx[j]``).

    ``scene`` and ``view`` as ``navigation_observe_one`` takes them.
    """
    for j in range(idx.shape[0]):
        navigation_observe_one(idx[j], obs[j], scene, view)


@njit(cache=True, nogil=True, error_model="numpy")
def navigation_decision(
    scene: tuple,
    cont: np.ndarray,
    disc: np.ndarray,
    moves: np.ndarray,
    continuous: bool,
    step_count: np.ndarray,
    max_step: int,
    period: int,
    dt: float,
    motion: np.ndarray,
    view: tuple,
    reward: np.ndarray,
    flags: np.ndarray,
    obs: np.ndarray,
    ended_idx: np.ndarray,
) -> int:
    """Advance every navigation agent by one decision (``NavigationEnv._physics_step`` x period).

    Args:
        scene: as ``navigation_observe_one`` takes it; positions and velocities are updated in place.
        cont: ``(n, 2)`` float32 continuous actions (when ``continuous``).
        disc: ``(n, 1)`` int64 discrete actions (otherwise), indices into ``moves``.
        moves: ``(5, 2)`` float64 directions of the discrete moves.
        continuous: which of ``cont`` and ``disc`` holds the actions.
        step_count: ``(n,)`` agent step counters, updated in place.
        max_step: agent MaxStep (0 = unlimited).
        period: physics steps per decision.
        dt: physics step in seconds.
        motion: wall limit, contact distance, overlap tolerance, reach distance squared, step reward,
            collision penalty, reach reward, progress reward (per unit of distance closed on the target).
        view: see ``navigation_observe_one``.
        reward: ``(n,)`` float32 out.
        flags: ``(4, n)`` bool out (see the module docstring).
        obs: ``(n, size)`` float32 out: the observation after the decision.
        ended_idx: ``(n,)`` int64 out: its first entries are the agents whose episode ended, in order.

    Returns:
        How many episodes ended.

    """
    pos, vel, target, obstacles, speed = scene
    n = pos.shape[1]
    k = obstacles.shape[1]
    limit, contact, tolerance, reach2 = motion[0], motion[1], motion[2], motion[3]
    step_reward, collision_penalty, reach_reward = motion[4], motion[5], motion[6]
    progress_reward = motion[7]
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
        distance = math.sqrt((tx - px) * (tx - px) + (tz - pz) * (tz - pz))
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
            closer = math.sqrt((tx - nx) * (tx - nx) + (tz - nz) * (tz - nz))
            gain += progress_reward * (distance - closer)  # potential-based shaping
            distance = closer
            if reached:
                break
            truncated = at_max_step(count, max_step)
            if truncated:
                break
        pos[0, i], pos[1, i] = px, pz
        vel[0, i], vel[1, i] = vx, vz
        step_count[i] = count
        reward[i] = gain
        ended_count = record_end(i, reached, truncated, reached, flags, ended_idx, ended_count)
        navigation_observe_one(i, obs[i], scene, view)
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


@njit(cache=True, nogil=True, error_model="numpy")
def navigation_mask(pos: np.ndarray, edge: float, mask: np.ndarray) -> None:
    """Discrete action mask (``NavigationEnv._action_mask``): moves into a touched wall are disabled.

    Args:
        pos: ``(2, n)`` agent (x, z).
        edge: how far from the centre an agent touches a wall.
        mask: ``(n, 5)`` bool out, True = allowed: stay, +z, -z, -x, +x.

    """
    for i in range(pos.shape[1]):
        x, z = pos[0, i], pos[1, i]
        mask[i, 0] = True
        mask[i, 1] = z < edge
        mask[i, 2] = z > -edge
        mask[i, 3] = x > -edge
        mask[i, 4] = x < edge
