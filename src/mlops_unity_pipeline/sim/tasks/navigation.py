"""The navigation archetype (and reach-target, its obstacle-free preset) run from a ``NavigationParams``.

The agent is a disc moving in the x-z plane of a walled square arena; its velocity is the action times
``move_speed`` (continuous: (x, z) in [-1, 1]; discrete: one branch of ``DISCRETE_MOVES``). A move that would
enter a wall or an obstacle cylinder is cut at the contact surface (the agent slides along it) and costs
``collision_penalty`` for that physics step. Each physics step adds ``time_penalty / max_step`` and
``progress_reward`` times the distance it closed on the target (potential-based shaping: negative when moving
away); reaching the target (centre distance < ``reach_distance``) adds ``reach_reward`` and ends the episode
(terminated, success). Observations follow ``params.observations`` (meanings in
``archetypes.OBSERVATION_KINDS``); rays are cast only at decisions, when observations are collected.
Discrete agents get an action mask that disables moving into a wall they touch (as ML-Agents' GridWorld masks
moves off the grid).
"""

from __future__ import annotations

import numpy as np

from ...errors import SpecError
from ...spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch
from ..archetypes import DISCRETE_MOVES, NavigationParams
from ..core import SimEnv
from ..engine_config import EngineConfig
from ..rays import cast, ray_directions

DETECTABLE_TAGS = ("wall", "obstacle")
"""What rays can detect (the target is observed through ``target_direction``, never by rays)."""
_FAR = 1.0e6
"""Where inactive obstacles are parked (no ray or agent ever reaches them)."""
_CLEARANCE = 0.1
"""Extra gap kept between placed objects, so an agent always fits between obstacles and walls."""
_PLACEMENT_ATTEMPTS = 200
_OVERLAP_TOLERANCE = 1e-9
"""Overlap below this counts as touching, not colliding (a pushed-out disc rests at the contact distance)."""
_MOVES = np.asarray(DISCRETE_MOVES, dtype=np.float64)


def navigation_signature(params: NavigationParams) -> BehaviorSignature:
    """Build the behavior signature of a navigation behavior: one vector sensor and its action spec.

    Args:
        params: the behavior.

    Returns:
        The signature (``obs_0`` of ``params.observation_size`` floats).

    """
    actions = (
        ActionSpec(continuous_size=2) if params.continuous_actions else ActionSpec(discrete_branches=(5,))
    )
    return BehaviorSignature(
        name=params.behavior_name,
        observation_specs=(ObservationSpec((params.observation_size,), "VectorSensor"),),
        action_spec=actions,
    )


class NavigationEnv(SimEnv):
    """Vectorized navigation: one arena per agent.

    State arrays are stored axis-first (``(2, n)``; obstacles ``(2, k, n)``) so the hot loops run over the
    long agent axis; the attributes below are (agent, axis) views of them, writable in place.

    Attributes:
        params: the behavior's parameters.
        position: ``(n, 2)`` agent (x, z).
        velocity: ``(n, 2)`` agent velocity over the last physics step.
        target: ``(n, 2)`` target (x, z).
        obstacles: ``(n, num_obstacles, 2)`` obstacle centres (inactive ones parked far away).
        active_obstacles: ``(n, num_obstacles)`` which obstacles are in the arena this episode.

    """

    task_name = "Navigation"
    has_kernel = True

    def __init__(
        self,
        params: NavigationParams,
        num_agents: int = 1,
        *,
        seed: int | None = None,
        engine: EngineConfig | None = None,
    ) -> None:
        unknown = sorted(set(params.detectable_tags) - set(DETECTABLE_TAGS))
        if unknown or not params.detectable_tags:
            raise SpecError(
                f"navigation '{params.behavior_name}': detectable_tags must be a non-empty subset of "
                f"{list(DETECTABLE_TAGS)}, got {list(params.detectable_tags)}"
            )
        self.task_name = params.behavior_name
        super().__init__(
            navigation_signature(params),
            num_agents,
            decision_period=params.decision_period,
            max_step=params.max_step,
            env_parameter_defaults=params.env_parameter_defaults,
            seed=seed,
            engine=engine,
        )
        self.params = params
        n, k = self.num_agents, params.num_obstacles
        self._pos = np.zeros((2, n))
        self._vel = np.zeros((2, n))
        self._target = np.zeros((2, n))
        self._obstacles = np.full((2, k, n), _FAR)
        self.position = self._pos.T
        self.velocity = self._vel.T
        self.target = self._target.T
        self.obstacles = self._obstacles.transpose(2, 1, 0)
        self.active_obstacles = np.zeros((n, k), dtype=bool)
        self.speed = np.full(n, params.move_speed)
        # True: a decision in one go (the compiled kernel, else the NumPy sweep of _advance); False: the NumPy
        # reference, one physics step at a time
        self.sweep = True
        self._limit = params.arena_half_extent - params.agent_radius
        self._contact = params.obstacle_radius + params.agent_radius
        self._ray_dirs = ray_directions(params.num_rays, params.ray_degrees)
        self._rays_walls = "wall" in params.detectable_tags
        self._rays_obstacles = "obstacle" in params.detectable_tags and k > 0
        self._step_reward = params.time_penalty / params.max_step
        self._ks = np.arange(1, self.decision_period + 1, dtype=np.float64)[:, None]  # (P, 1)
        self._kernel_args = self._kernel_constants() if self.compiled else ()

    def _kernel_constants(self) -> tuple[object, ...]:
        """Constants the compiled kernels take, computed as the NumPy path computes them (``sim.kernels``).

        Sets ``_kernel_motion`` (wall limit, contact distance, overlap tolerance, squared reach distance,
        step reward, collision penalty, reach reward, progress reward) and returns the observation constants.
        """
        p, kernels = self.params, self._kernels
        codes = {
            "raycast": kernels.OBS_RAYCAST,
            "velocity": kernels.OBS_VELOCITY,
            "target_direction": kernels.OBS_TARGET_DIRECTION,
            "target_distance": kernels.OBS_TARGET_DISTANCE,
            "position": kernels.OBS_POSITION,
        }
        kinds = np.array([codes[item.kind] for item in p.observations], dtype=np.int64)
        directions = self._ray_dirs
        with np.errstate(divide="ignore"):  # as rays.cast: +inf where a ray is parallel to a wall
            wall_inverse = np.where(directions != 0.0, 1.0 / directions, np.inf)
        wall_at = np.where(directions >= 0.0, p.arena_half_extent, -p.arena_half_extent)
        self._kernel_motion = np.array(
            [
                self._limit,
                self._contact,
                _OVERLAP_TOLERANCE,
                p.reach_distance * p.reach_distance,
                self._step_reward,
                p.collision_penalty,
                p.reach_reward,
                p.progress_reward,
            ]
        )
        self._kernel_placement = np.array(
            [
                *self._obstacle_placement(),
                self._limit,
                self._contact + _CLEARANCE,
                p.arena_half_extent,
                _FAR,
            ]
        )
        half = p.arena_half_extent
        geometry = np.array(
            [
                p.ray_length,
                1.0 / p.ray_length,
                p.obstacle_radius,
                1.0 / (2.0 * half),
                2.0 * np.sqrt(2.0) * half,
                half,
            ]
        )
        return (
            kinds,
            np.ascontiguousarray(directions),
            np.ascontiguousarray(wall_inverse),
            np.ascontiguousarray(wall_at),
            geometry,
            self._rays_walls,
            self._rays_obstacles,
        )

    # --- OnEpisodeBegin ---

    def _begin_episodes(self, idx: np.ndarray) -> None:
        p = self.params
        m, k = idx.size, p.num_obstacles
        wanted = int(np.clip(self._params.get("num_obstacles", k), 0, k))
        move_speed = self._params.get("move_speed", p.move_speed)
        if self.compiled:  # the same placement and draws, compiled (sim.kernels.navigation_begin)
            self._kernels.navigation_begin(
                idx,
                self._rng,
                self._pos,
                self._vel,
                self._target,
                self._obstacles,
                self.active_obstacles,
                self.speed,
                move_speed,
                wanted,
                self._kernel_placement,
                _PLACEMENT_ATTEMPTS,
            )
            return
        self.speed[idx] = move_speed
        obstacle_limit, gap = self._obstacle_placement()
        obstacles = np.full((m, k, 2), _FAR)
        for j in range(wanted):
            obstacles[:, j] = self._place(m, obstacle_limit, obstacles[:, :j], gap)
        start = self._place(m, self._limit, obstacles, self._contact + _CLEARANCE)
        target = self._place(
            m,
            self._limit,
            obstacles,
            self._contact + _CLEARANCE,
            avoid=start,
            min_distance=p.arena_half_extent,
        )
        self.obstacles[idx] = obstacles
        self.active_obstacles[idx] = obstacles[:, :, 0] < _FAR
        self.position[idx] = start
        self.target[idx] = target
        self.velocity[idx] = 0.0

    def _obstacle_placement(self) -> tuple[float, float]:
        """Limit of obstacle centres and their gap: an agent-wide gap to the walls and to each other."""
        p = self.params
        obstacle_limit = p.arena_half_extent - p.obstacle_radius - 2.0 * p.agent_radius - _CLEARANCE
        return obstacle_limit, 2.0 * self._contact + _CLEARANCE

    def _place(
        self,
        m: int,
        limit: float,
        others: np.ndarray,
        gap: float,
        *,
        avoid: np.ndarray | None = None,
        min_distance: float = 0.0,
    ) -> np.ndarray:
        """Draw uniform points in ``[-limit, limit]^2`` at least ``gap`` from ``others`` (rejection)."""
        points = np.full((m, 2), _FAR)
        pending = np.arange(m)
        for _ in range(_PLACEMENT_ATTEMPTS):
            candidates = self._rng.uniform(-limit, limit, (pending.size, 2))
            ok = np.ones(pending.size, dtype=bool)
            if others.shape[1]:
                d2 = ((candidates[:, None, :] - others[pending]) ** 2).sum(axis=2)
                ok &= (d2 >= gap * gap).all(axis=1)
            if avoid is not None:
                ok &= ((candidates - avoid[pending]) ** 2).sum(axis=1) >= min_distance * min_distance
            points[pending[ok]] = candidates[ok]
            pending = pending[~ok]
            if not pending.size:
                break
        if pending.size and avoid is not None:
            # A crowded arena: drop the distance wish rather than the target (placements without it succeed).
            points[pending] = self._place(pending.size, limit, others[pending], gap)
        return points

    # --- OnActionReceived + physics ---

    def _displacement(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-physics-step (x, z) displacement of every agent under its current action."""
        if self.params.continuous_actions:
            move_x, move_z = self._cont[:, 0], self._cont[:, 1]
        else:
            moves = _MOVES[self._disc[:, 0]]
            move_x, move_z = moves[:, 0], moves[:, 1]
        scale = self.speed * self.physics_dt
        return move_x * scale, move_z * scale

    def _physics_step(self) -> None:
        """One physics step for every agent (the reference the decision sweep reproduces)."""
        p = self.params
        step_x, step_z = self._displacement()
        px, pz = self._pos
        before = np.hypot(self._target[0] - px, self._target[1] - pz)
        nx, nz, blocked = _move(
            px, pz, step_x, step_z, self._obstacles[0], self._obstacles[1], self._limit, self._contact
        )
        np.subtract(nx, px, out=self._vel[0])
        np.subtract(nz, pz, out=self._vel[1])
        self._vel /= self.physics_dt
        px[:] = nx
        pz[:] = nz
        tx, tz = self._target[0] - nx, self._target[1] - nz
        reached = tx * tx + tz * tz < p.reach_distance * p.reach_distance
        self._reward += self._step_reward + p.collision_penalty * blocked + p.reach_reward * reached
        self._reward += p.progress_reward * (before - np.sqrt(tx * tx + tz * tz))
        self._done_now[:] = reached
        self._success_now[:] = reached

    def _kernel_decision(
        self,
        reward: np.ndarray,
        flags: np.ndarray,
        obs: tuple[np.ndarray, ...],
        ended: np.ndarray,
    ) -> int | None:
        if not self.sweep:
            return None  # the NumPy reference, one physics step at a time
        return self._kernels.navigation_decision(
            (self._pos, self._vel, self._target, self._obstacles, self.speed),
            self._cont,
            self._disc,
            _MOVES,
            self.params.continuous_actions,
            self.agent_step_count,
            self.max_step,
            self.decision_period,
            self.physics_dt,
            self._kernel_motion,
            self._kernel_args,
            reward,
            flags,
            obs[0],
            ended,
        )

    def _advance(self) -> None:
        """Advance a whole decision in one sweep over its physics steps.

        With a constant action the agent moves in a straight line; the walls only clamp each axis, so
        positions, blocked steps and the first step within reach of the target have a closed form over all
        ``P`` steps at once. Agents that touch an obstacle during the decision are stepped one physics step at
        a time (their path bends). The result equals ``decision_period`` calls of ``_physics_step`` (tested);
        when MaxStep can fall inside the decision the generic loop runs instead.
        """
        period = self.decision_period
        if not self.sweep or self._steps_to_limit() < period:
            super()._advance()
            return
        p, dt = self.params, self.physics_dt
        step_x, step_z = self._displacement()
        px, pz = self._pos
        limit = self._limit
        raw_x = px + self._ks * step_x  # (P, n) positions without walls
        raw_z = pz + self._ks * step_z
        xs = np.maximum(np.minimum(raw_x, limit), -limit)  # np.clip's Python wrapper costs more than this
        zs = np.maximum(np.minimum(raw_z, limit), -limit)
        blocked = (xs != raw_x) | (zs != raw_z)  # (P, n)
        bent = None
        if p.num_obstacles:
            cx, cz = self._obstacles[0][:, None, :], self._obstacles[1][:, None, :]  # (k, 1, n)
            dx, dz = xs - cx, zs - cz  # (k, P, n)
            touching = (dx * dx + dz * dz < (self._contact - _OVERLAP_TOLERANCE) ** 2).any(axis=(0, 1))
            if touching.any():
                bent = np.flatnonzero(touching)
        tx, tz = self._target[0] - xs, self._target[1] - zs
        reached = tx * tx + tz * tz < p.reach_distance * p.reach_distance  # (P, n)
        ends = reached.any(axis=0)
        # steps actually taken: up to and including the first step within reach
        taken = np.where(ends, reached.argmax(axis=0) + 1, period)
        live = self._ks <= taken  # (P, n)
        n_blocked = (blocked & live).sum(axis=0)
        gain = taken * self._step_reward + p.collision_penalty * n_blocked + p.reach_reward * ends
        last = taken - 1
        cols = np.arange(self.num_agents)
        if p.progress_reward:  # the shaping telescopes: distance at the start minus distance at the last step
            start = np.hypot(self._target[0] - px, self._target[1] - pz)
            gain += p.progress_reward * (start - np.sqrt(tx[last, cols] ** 2 + tz[last, cols] ** 2))
        new_x, new_z = xs[last, cols], zs[last, cols]
        prev_x = np.where(last > 0, xs[last - 1, cols], px)
        prev_z = np.where(last > 0, zs[last - 1, cols], pz)
        vel_x, vel_z = (new_x - prev_x) / dt, (new_z - prev_z) / dt
        if bent is not None:
            exact = self._step_one_by_one(bent, step_x[bent], step_z[bent])
            gain[bent], new_x[bent], new_z[bent], vel_x[bent], vel_z[bent], ends[bent] = exact
        self._reward += gain
        px[:] = new_x
        pz[:] = new_z
        self._vel[0] = vel_x
        self._vel[1] = vel_z
        self.agent_step_count += period
        if ends.any():
            self._success_now[:] = ends
            self._end(np.flatnonzero(ends), terminated=True)
        if self._steps_to_limit() <= 0:
            self._interrupt_at_limit()

    def _step_one_by_one(
        self, idx: np.ndarray, step_x: np.ndarray, step_z: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        """Step the agents ``idx`` one physics step at a time, stopping each where it reaches the target.

        Returns:
            reward gained, final x, final z, velocity x, velocity z, reached — one entry per agent of ``idx``.

        """
        p, dt = self.params, self.physics_dt
        px, pz = self._pos[0][idx], self._pos[1][idx]
        prev_x, prev_z = px, pz
        cx, cz = self._obstacles[0][:, idx], self._obstacles[1][:, idx]
        tx, tz = self._target[0][idx], self._target[1][idx]
        reward = np.zeros(idx.size)
        done = np.zeros(idx.size, dtype=bool)
        end = np.zeros((4, idx.size))  # x, z, vx, vz where the target was reached
        reach2 = p.reach_distance * p.reach_distance
        distance = np.hypot(tx - px, tz - pz)
        for _ in range(self.decision_period):
            nx, nz, blocked = _move(px, pz, step_x, step_z, cx, cz, self._limit, self._contact)
            reached = (tx - nx) ** 2 + (tz - nz) ** 2 < reach2
            gain = self._step_reward + p.collision_penalty * blocked + p.reach_reward * reached
            closer = np.hypot(tx - nx, tz - nz)
            gain += p.progress_reward * (distance - closer)
            distance = closer
            gain[done] = 0.0  # an agent stops at the step it reaches the target
            reward += gain
            first = reached & ~done
            if first.any():  # rare: keep the state of the reaching step
                end[:, first] = nx[first], nz[first], (nx - px)[first] / dt, (nz - pz)[first] / dt
                done |= first
            prev_x, prev_z, px, pz = px, pz, nx, nz
        vx, vz = (px - prev_x) / dt, (pz - prev_z) / dt
        return (
            reward,
            np.where(done, end[0], px),
            np.where(done, end[1], pz),
            np.where(done, end[2], vx),
            np.where(done, end[3], vz),
            done,
        )

    # --- CollectObservations ---

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        p = self.params
        if self.compiled:
            agents = np.arange(self.num_agents) if idx is None else idx
            obs = np.empty((agents.size, p.observation_size), dtype=np.float32)
            scene = (self._pos, self._vel, self._target, self._obstacles, self.speed)
            self._kernels.navigation_observe(agents, obs, scene, self._kernel_args)
            return (obs,)
        sel = slice(None) if idx is None else idx
        px, pz = self._pos[0][sel], self._pos[1][sel]
        n = px.shape[0]
        obs = np.empty((n, p.observation_size), dtype=np.float32)
        column = 0
        for item in p.observations:
            block = obs[:, column : column + item.size]
            column += item.size
            if item.kind == "raycast":
                hits = cast(
                    px,
                    pz,
                    self._ray_dirs,
                    p.ray_length,
                    half_extent=p.arena_half_extent if self._rays_walls else None,
                    centres_x=self._obstacles[0][:, sel] if self._rays_obstacles else None,
                    centres_z=self._obstacles[1][:, sel] if self._rays_obstacles else None,
                    radius=p.obstacle_radius,
                )
                np.multiply(hits, 1.0 / p.ray_length, out=block, casting="unsafe")
            elif item.kind == "velocity":
                speed = self.speed[sel]
                block[:, 0] = self._vel[0][sel] / speed
                block[:, 1] = self._vel[1][sel] / speed
            elif item.kind == "target_direction":
                scale = 1.0 / (2.0 * p.arena_half_extent)
                block[:, 0] = (self._target[0][sel] - px) * scale
                block[:, 1] = (self._target[1][sel] - pz) * scale
            elif item.kind == "target_distance":
                distance = np.hypot(self._target[0][sel] - px, self._target[1][sel] - pz)
                block[:, 0] = distance / (2.0 * np.sqrt(2.0) * p.arena_half_extent)
            else:  # "position"
                block[:, 0] = px / p.arena_half_extent
                block[:, 1] = pz / p.arena_half_extent
        return (obs,)

    # --- WriteDiscreteActionMask ---

    def _action_mask(self) -> np.ndarray | None:
        if self.params.continuous_actions:
            return None
        edge = self._limit - 1e-9
        if self.compiled:
            mask = np.empty((self.num_agents, 5), dtype=bool)
            self._kernels.navigation_mask(self._pos, edge, mask)
            return mask
        mask = np.ones((self.num_agents, 5), dtype=bool)
        px, pz = self._pos
        mask[:, 1] = pz < edge  # forward (+z)
        mask[:, 2] = pz > -edge  # back (-z)
        mask[:, 3] = px > -edge  # left (-x)
        mask[:, 4] = px < edge  # right (+x)
        return mask

    # --- Heuristic ---

    def heuristic(self, batch: StepBatch) -> ActionTuple:
        """Scripted controller: head for the target, turning tangentially around obstacles in the way.

        Args:
            batch: the current decision (its action mask is respected).

        Returns:
            Actions for every agent.

        """
        p = self.params
        to_target = self.target - self.position
        distance = np.linalg.norm(to_target, axis=1, keepdims=True)
        desired = to_target / np.maximum(distance, 1e-9)
        if p.num_obstacles:
            rel = self.position[:, None, :] - self.obstacles  # obstacle -> agent
            dist = np.maximum(np.linalg.norm(rel, axis=2), 1e-9)
            away = rel / dist[..., None]
            ahead = np.einsum("nkj,nj->nk", -away, desired) > 0.0
            closer = dist < distance
            clearance = dist - self._contact
            weight = np.clip(1.0 - clearance / 2.0, 0.0, 1.0) * ahead * closer
            tangent = np.stack([-away[..., 1], away[..., 0]], axis=2)
            side = np.where(np.einsum("nkj,nj->nk", tangent, desired) >= 0.0, 1.0, -1.0)
            steer = tangent * side[..., None] * 1.5 + away * 0.3
            desired = desired + np.einsum("nkj,nk->nj", steer, weight)
        n = self.num_agents
        if p.continuous_actions:
            scale = np.maximum(np.abs(desired).max(axis=1, keepdims=True), 1e-9)
            return ActionTuple((desired / scale).astype(np.float32), np.zeros((n, 0), dtype=np.int32))
        scores = desired @ _MOVES[1:].T  # (n, 4) for moves 1..4
        mask = batch.action_mask if batch.action_mask is not None else self._action_mask()
        scores = np.where(mask[:, 1:], scores, -np.inf)
        return ActionTuple(
            np.zeros((n, 0), dtype=np.float32), (scores.argmax(axis=1) + 1)[:, None].astype(np.int32)
        )


def _move(
    px: np.ndarray,
    pz: np.ndarray,
    step_x: np.ndarray,
    step_z: np.ndarray,
    centres_x: np.ndarray,
    centres_z: np.ndarray,
    limit: float,
    contact: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One physics step of discs: move, clamp to the walls, push out of obstacles (``(k, n)`` centres).

    A disc that would overlap an obstacle is pushed back along the centre line to the contact distance, so
    it slides around the cylinder instead of stopping dead (a frictionless contact).

    Returns:
        New x, new z, and whether the move was blocked.

    """
    raw_x, raw_z = px + step_x, pz + step_z
    new_x = np.maximum(np.minimum(raw_x, limit), -limit)  # np.clip's Python wrapper costs more than this
    new_z = np.maximum(np.minimum(raw_z, limit), -limit)
    blocked = (new_x != raw_x) | (new_z != raw_z)
    if centres_x.shape[0]:
        dx, dz = new_x - centres_x, new_z - centres_z  # (k, n)
        dist2 = dx * dx + dz * dz
        # A disc pushed out last step sits at the contact distance up to rounding: it must not count as
        # inside.
        inside = dist2 < (contact - _OVERLAP_TOLERANCE) ** 2
        if inside.any():
            dist = np.sqrt(dist2)
            push = (contact - dist) / np.maximum(dist, 1e-9) * inside
            new_x = np.maximum(np.minimum(new_x + (dx * push).sum(axis=0), limit), -limit)
            new_z = np.maximum(np.minimum(new_z + (dz * push).sum(axis=0), limit), -limit)
            blocked |= inside.any(axis=0)
    return new_x, new_z, blocked
