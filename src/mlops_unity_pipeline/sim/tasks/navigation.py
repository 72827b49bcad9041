"""The navigation archetype (and reach-target, its obstacle-free preset) run from a ``NavigationParams``.

The agent is a disc moving in the x-z plane of a walled square arena; its velocity is the action times
``move_speed`` (continuous: (x, z) in [-1, 1]; discrete: one branch of ``DISCRETE_MOVES``). A move that would
enter a wall or an obstacle cylinder is cut at the contact surface (the agent slides along it) and costs
``collision_penalty`` for that physics step. Each physics step adds ``time_penalty / max_step``; reaching the
target (centre distance < ``reach_distance``) adds ``reach_reward`` and ends the episode (terminated, success).
Observations follow ``params.observations`` (meanings in ``archetypes.OBSERVATION_KINDS``); rays are cast only
at decisions, when observations are collected. Discrete agents get an action mask that disables moving into a
wall they touch (as ML-Agents' GridWorld masks moves off the grid).
"""

from __future__ import annotations

import numpy as np

from ...spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch
from ..archetypes import DISCRETE_MOVES, NavigationParams
from ..core import SimEnv
from ..engine import EngineConfig
from ..rays import cast, ray_directions

_FAR = 1.0e6
"""Where inactive obstacles are parked (no ray or agent ever reaches them)."""
_CLEARANCE = 0.1
"""Extra gap kept between placed objects, so an agent always fits between obstacles and walls."""
_PLACEMENT_ATTEMPTS = 200
_MOVES = np.asarray(DISCRETE_MOVES, dtype=np.float64)


def navigation_signature(params: NavigationParams) -> BehaviorSignature:
    """The behavior signature of a navigation behavior: one vector sensor and its action spec.

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

    Attributes:
        params: the behavior's parameters.
        position: ``(n, 2)`` agent (x, z).
        velocity: ``(n, 2)`` agent velocity over the last physics step.
        target: ``(n, 2)`` target (x, z).
        obstacles: ``(n, num_obstacles, 2)`` obstacle centres (inactive ones parked far away).
        active_obstacles: ``(n, num_obstacles)`` which obstacles are in the arena this episode.
    """

    task_name = "Navigation"

    def __init__(
        self,
        params: NavigationParams,
        num_agents: int = 1,
        *,
        seed: int | None = None,
        engine: EngineConfig | None = None,
    ) -> None:
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
        self.position = np.zeros((n, 2))
        self.velocity = np.zeros((n, 2))
        self.target = np.zeros((n, 2))
        self.obstacles = np.full((n, k, 2), _FAR)
        self.active_obstacles = np.zeros((n, k), dtype=bool)
        self.speed = np.full(n, params.move_speed)
        self._limit = params.arena_half_extent - params.agent_radius
        self._contact = params.obstacle_radius + params.agent_radius
        self._ray_dirs = ray_directions(params.num_rays, params.ray_degrees)
        self._rays_walls = "wall" in params.detectable_tags
        self._rays_obstacles = "obstacle" in params.detectable_tags and k > 0
        self._step_reward = params.time_penalty / params.max_step
        self._proposed = np.zeros((n, 2))

    # --- OnEpisodeBegin ---

    def _begin_episodes(self, idx: np.ndarray) -> None:
        p, rng = self.params, self._rng
        m, k = idx.size, p.num_obstacles
        wanted = int(np.clip(self._params.get("num_obstacles", k), 0, k))
        self.speed[idx] = self._params.get("move_speed", p.move_speed)
        obstacles = np.full((m, k, 2), _FAR)
        # obstacles keep an agent-wide gap to the walls and to each other
        obstacle_limit = p.arena_half_extent - p.obstacle_radius - 2.0 * p.agent_radius - _CLEARANCE
        gap = 2.0 * self._contact + _CLEARANCE
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
        """Uniform points in ``[-limit, limit]^2`` at least ``gap`` from ``others`` (rejection, vectorized)."""
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

    def _physics_step(self) -> None:
        p = self.params
        dt = self.physics_dt
        if p.continuous_actions:
            move = self._cont.astype(np.float64)
        else:
            move = _MOVES[self._disc[:, 0]]
        proposed = self._proposed
        np.multiply(move, (self.speed * dt)[:, None], out=proposed)
        proposed += self.position
        new = np.clip(proposed, -self._limit, self._limit)
        blocked = (new != proposed).any(axis=1)
        if self._rays_obstacles or p.num_obstacles:
            rel = new[:, None, :] - self.obstacles  # (n, k, 2)
            dist2 = np.einsum("nkj,nkj->nk", rel, rel)
            inside = dist2 < self._contact * self._contact
            if inside.any():
                dist = np.sqrt(dist2)
                push = np.where(inside, (self._contact - dist) / np.maximum(dist, 1e-9), 0.0)
                new += np.einsum("nkj,nk->nj", rel, push)
                np.clip(new, -self._limit, self._limit, out=new)
                blocked |= inside.any(axis=1)
        np.subtract(new, self.position, out=self.velocity)
        self.velocity /= dt
        self.position[...] = new
        to_target = self.target - new
        reached = np.einsum("nj,nj->n", to_target, to_target) < p.reach_distance * p.reach_distance
        self._reward += self._step_reward + p.collision_penalty * blocked + p.reach_reward * reached
        self._done_now[:] = reached
        self._success_now[:] = reached

    # --- CollectObservations ---

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        p = self.params
        sel = slice(None) if idx is None else idx
        position, velocity, target = self.position[sel], self.velocity[sel], self.target[sel]
        parts = []
        for item in p.observations:
            if item.kind == "raycast":
                hits = cast(
                    position,
                    self._ray_dirs,
                    p.ray_length,
                    half_extent=p.arena_half_extent if self._rays_walls else None,
                    centres=self.obstacles[sel] if self._rays_obstacles else None,
                    radius=p.obstacle_radius,
                )
                parts.append(hits / p.ray_length)
            elif item.kind == "velocity":
                parts.append(velocity / self.speed[sel, None])
            elif item.kind == "target_direction":
                parts.append((target - position) / (2.0 * p.arena_half_extent))
            elif item.kind == "target_distance":
                distance = np.linalg.norm(target - position, axis=1, keepdims=True)
                parts.append(distance / (2.0 * np.sqrt(2.0) * p.arena_half_extent))
            else:  # "position"
                parts.append(position / p.arena_half_extent)
        return (np.concatenate(parts, axis=1).astype(np.float32),)

    # --- WriteDiscreteActionMask ---

    def _action_mask(self) -> np.ndarray | None:
        if self.params.continuous_actions:
            return None
        edge = self._limit - 1e-9
        mask = np.ones((self.num_agents, 5), dtype=bool)
        mask[:, 1] = self.position[:, 1] < edge  # forward (+z)
        mask[:, 2] = self.position[:, 1] > -edge  # back (-z)
        mask[:, 3] = self.position[:, 0] > -edge  # left (-x)
        mask[:, 4] = self.position[:, 0] < edge  # right (+x)
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
