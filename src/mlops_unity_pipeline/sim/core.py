"""Academy semantics shared by every simulated task: decisions, MaxStep, counters, autoreset, env parameters.

One ``SimEnv`` holds a batch of agents of one behavior and advances them together, one *decision* per
``step``; a decision spans ``decision_period`` *physics steps* (Unity ``FixedUpdate`` at ``PHYSICS_DT``) and
the last decided action is applied on every one of them (``DecisionRequester`` with
``TakeActionsBetweenDecisions``). The order inside one physics step follows the Academy's ``EnvironmentStep``:
the agent's step counter grows, its ``OnActionReceived`` runs (the task's rewards and ``EndEpisode``),
``MaxStep`` is checked (``EpisodeInterrupted``), then physics integrates.

An agent whose episode ends between two decisions keeps the reward and observation it had at that moment and
starts its next episode at the next decision, so every episode begins on a decision (Unity begins it at once
and fills the rest of the period with zeroed actions; aligning it keeps the first observation of an episode
the one its first action is decided on). Tasks implement four vectorized hooks; there is no Python loop over
agents.

A task may also provide a compiled decision (``has_kernel``, ``_kernel_decision``): one numba kernel call
(``sim.kernels``) that runs the whole decision per agent and writes rewards, flags and observations. It is
used when ``sim.accel.kernels()`` finds numba (``compiled`` is then True) and computes what the NumPy hooks
compute (``tests/sim/test_kernels.py``); an agent whose episode ends between decisions simply stops being
stepped, which is indistinguishable from the NumPy path (which keeps stepping it and discards that state).

A task may group its agents (``agents_per_group`` > 0): ML-Agents' ``SimpleMultiAgentGroup`` semantics
(``com.unity.ml-agents/Runtime/MultiAgent/SimpleMultiAgentGroup.cs``). Agent ``i`` belongs to group row
``i // agents_per_group`` whose id is that row + 1 (ids count from 1; 0 means "no group", as
``MultiAgentGroupIdCounter`` hands them out). ``add_group_reward``/``set_group_reward`` reach every
registered member whose episode is running, ``end_group_episode`` ends each member's episode as terminated
(``EndEpisode``) and ``group_episode_interrupted`` as interrupted (``EpisodeInterrupted``); the environment
controller's ``MaxEnvironmentSteps`` is ``group_max_step``: a group whose step counter reaches it is
interrupted. A group whose episode ended begins its next one (``_begin_groups``: the controller's
``ResetScene``) at the decision boundary, before its agents' ``OnEpisodeBegin``. Single-agent tasks
(``agents_per_group`` 0) take none of these paths and report ``group_id``/``group_reward`` as None.
"""

from __future__ import annotations

import math
import sys
from abc import ABC, abstractmethod
from collections.abc import Mapping

import numpy as np

from ..errors import InvalidAction, ResetNeeded, SpecError
from ..spaces import ActionTuple, BehaviorSignature, StepBatch
from . import accel
from .archetypes import PHYSICS_DT
from .engine_config import EngineConfig

_NO_LIMIT = 1 << 62
_POOL_MIN_BYTES = 1 << 17
"""Observation arrays from this size up are recycled (``BufferPool``): glibc serves them with ``mmap``
(``M_MMAP_THRESHOLD``'s default is 128 KiB, ``mallopt(3)``), so each fresh one page-faults on first write."""


class BufferPool:
    """Arrays of one shape handed out again once nobody but the pool holds them.

    A fresh large array costs a page fault per 4 KiB page on its first write (GridWorld's 256-area camera
    batch is 16 MB: the faults took longer than rendering it). Reusing an array whose only references are
    the pool's is what ``malloc`` does with freed memory, minus the faults: a caller that still holds an
    array, a view of it (views reference their base) or a tensor sharing its memory keeps it out of reuse,
    so batches handed out never change. The check is CPython's reference count.
    """

    def __init__(self, shape: tuple[int, ...], dtype: type = np.float32, size: int = 4) -> None:
        self.shape = shape
        self.dtype = np.dtype(dtype)
        self.size = size
        self._arrays: list[np.ndarray] = []

    def take(self) -> np.ndarray:
        """Return an array nobody else references (contents undefined), allocating one if none is free."""
        for array in self._arrays:
            # references: the list, the loop variable and getrefcount's own argument
            if sys.getrefcount(array) <= 3:
                return array
        array = np.empty(self.shape, self.dtype)
        if len(self._arrays) < self.size:
            self._arrays.append(array)
        return array

    def clear(self) -> None:
        """Forget every array (those still held elsewhere live on with their holders)."""
        self._arrays.clear()


class SimEnv(ABC):
    """A batch of agents of one behavior in one simulated scene (the ``spaces.VectorEnv`` protocol).

    Attributes:
        signature: observation specs and action spec of the behavior.
        num_agents: agents stepped together.
        decision_period: physics steps per decision.
        max_step: agent ``MaxStep`` in physics steps (0 = unlimited).
        engine: engine configuration (training by default).
        step_count: Academy steps (physics steps) since the last ``reset``.
        total_step_count: Academy steps since construction.
        episode_count: Academy resets (calls to ``reset``).
        completed_episodes: agent episodes finished since construction (terminated or interrupted).
        agent_step_count: ``(num_agents,)`` physics steps of each agent's current episode
            (``Agent.StepCount``).
        episode_ids: ``(num_agents,)`` id of each agent's current episode (ML-Agents reports these as
            agent ids).
        compiled: whether ``step`` runs the task's numba kernel (True when the task has one and
            ``sim.accel.kernels()`` is available); set it False to run the NumPy reference path.

    """

    task_name: str = ""
    """Name of the task in ``sim.list_tasks()``."""
    success_on_interrupt: bool = False
    """Whether reaching ``MaxStep`` counts as success (true for survival tasks such as 3DBall)."""
    has_kernel: bool = False
    """Whether the task implements ``_kernel_decision`` (a compiled decision)."""
    group_id: np.ndarray | None = None
    """``(num_agents,)`` int32 group id of each agent (0 = unregistered); None in single-agent tasks."""

    def __init__(
        self,
        signature: BehaviorSignature,
        num_agents: int,
        *,
        decision_period: int,
        max_step: int,
        env_parameter_defaults: Mapping[str, float],
        seed: int | None = None,
        engine: EngineConfig | None = None,
        agents_per_group: int = 0,
        group_max_step: int = 0,
    ) -> None:
        if int(num_agents) < 1:
            raise SpecError(f"{self.task_name}: num_agents must be >= 1, got {num_agents}")
        if decision_period < 1 or max_step < 0:
            raise SpecError(f"{self.task_name}: decision_period must be >= 1 and max_step >= 0")
        if agents_per_group < 0 or group_max_step < 0:
            raise SpecError(f"{self.task_name}: agents_per_group and group_max_step must be >= 0")
        if agents_per_group and int(num_agents) % agents_per_group:
            raise SpecError(
                f"{self.task_name}: num_agents must be a multiple of {agents_per_group} "
                f"(agents per group), got {num_agents}"
            )
        self.signature = signature
        self.num_agents = int(num_agents)
        self.decision_period = int(decision_period)
        self.max_step = int(max_step)
        self.engine = engine or EngineConfig.training()
        self.physics_dt = PHYSICS_DT
        self._defaults = {k: float(v) for k, v in env_parameter_defaults.items()}
        self._params = dict(self._defaults)
        self._rng = np.random.default_rng(seed)
        self._ready = False
        self.step_count = 0
        self.total_step_count = 0
        self.episode_count = 0
        self.completed_episodes = 0
        n = self.num_agents
        spec = signature.action_spec
        self.agent_step_count = np.zeros(n, dtype=np.int64)
        self.episode_ids = np.zeros(n, dtype=np.int64)
        self._next_episode_id = 0
        # Preallocated per-decision buffers (reused; StepBatch gets copies).
        self._cont = np.zeros((n, spec.continuous_size), dtype=np.float32)
        self._disc = np.zeros((n, spec.discrete_size), dtype=np.int64)
        self._reward = np.zeros(n, dtype=np.float32)
        self._done_now = np.zeros(n, dtype=bool)
        self._success_now = np.zeros(n, dtype=bool)
        self._ended = np.zeros(n, dtype=bool)
        self._terminated = np.zeros(n, dtype=bool)
        self._truncated = np.zeros(n, dtype=bool)
        self._success = np.zeros(n, dtype=bool)
        self._final_reward = np.zeros(n, dtype=np.float32)
        self._final_obs = tuple(
            np.zeros((n, *o.shape), dtype=np.float32) for o in signature.observation_specs
        )
        self._branch_sizes = np.asarray(spec.discrete_branches, dtype=np.int64)
        self._obs_shapes = tuple((n, *o.shape) for o in signature.observation_specs)
        # spec-derived shapes, looked up on every step
        self._cont_shape = (n, spec.continuous_size)
        self._disc_shape = (n, spec.discrete_size)
        self._mask_shape = (n, spec.mask_size) if spec.is_discrete else None
        # copied for each batch: an array copy costs a tenth of np.ones' Python wrapper
        self._all_allowed = np.ones(self._mask_shape, dtype=bool) if spec.is_discrete else None
        self._obs_dtypes = (np.float32,) * len(self._obs_shapes)
        self._obs_pools = tuple(
            BufferPool(shape) if math.prod(shape) * 4 >= _POOL_MIN_BYTES else None
            for shape in self._obs_shapes
        )
        self._pooled = any(pool is not None for pool in self._obs_pools)
        self._ended_idx = np.zeros(n, dtype=np.int64)  # compiled decisions list the ended agents here
        self._kernels = accel.kernels() if self.has_kernel else None
        self.compiled = self._kernels is not None
        self.agents_per_group = int(agents_per_group)
        self.group_max_step = int(group_max_step)
        self._grouped = self.agents_per_group > 0
        if self._grouped:
            self._init_groups()

    def _init_groups(self) -> None:
        """Allocate the group state (only grouped tasks carry it)."""
        n, k = self.num_agents, self.agents_per_group
        self.num_groups = n // k
        self.group_index = np.arange(n, dtype=np.int64) // k
        """``(num_agents,)`` row of each agent's group."""
        self.group_registered = np.ones(n, dtype=bool)
        self.group_step_count = np.zeros(self.num_groups, dtype=np.int64)
        self.group_id = (self.group_index + 1).astype(np.int32)
        self._group_reward = np.zeros(n, dtype=np.float32)
        self._final_group_reward = np.zeros(n, dtype=np.float32)
        self._group_ended = np.zeros(self.num_groups, dtype=bool)

    # --- task hooks ---

    @abstractmethod
    def _begin_episodes(self, idx: np.ndarray) -> None:
        """``OnEpisodeBegin`` for the agents ``idx`` (reads ``self.env_parameters``)."""

    @abstractmethod
    def _physics_step(self) -> None:
        """One physics step for every agent with its last action; add/set ``_reward``, write ``_done_now``."""

    @abstractmethod
    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        """Run ``CollectObservations`` for agents ``idx`` (all when None): new float32 arrays per sensor."""

    def _begin_groups(self, groups: np.ndarray) -> None:  # noqa: B027 - optional hook, single-agent tasks skip it
        """Run the environment controller's ``ResetScene`` for group rows ``groups`` (grouped tasks)."""

    def _observe_into(self, idx: np.ndarray, out: tuple[np.ndarray, ...]) -> None:
        """Write the observations of agents ``idx`` into their rows of ``out`` (one array per sensor)."""
        for buf, rows in zip(out, self._observe(idx), strict=True):
            buf[idx] = rows

    def _restart(self, idx: np.ndarray, obs: tuple[np.ndarray, ...]) -> None:
        """Begin the next episode of agents ``idx`` and write their first observations into ``obs``."""
        self._begin(idx)
        self._observe_into(idx, obs)

    def _kernel_decision(
        self,
        reward: np.ndarray,
        flags: np.ndarray,
        obs: tuple[np.ndarray, ...],
        ended: np.ndarray,
    ) -> int | None:
        """Run one whole decision in the task's compiled kernel (only called when ``compiled``).

        Args:
            reward: ``(n,)`` float32 to fill with each agent's reward for the decision.
            flags: ``(4, n)`` bool to fill: episode ended, terminated, truncated, success.
            obs: per sensor ``(n, *shape)`` float32 to fill with the observation after the decision (for an
                agent whose episode ended: the last observation of that episode).
            ended: ``(n,)`` int64 whose first entries to fill with the agents whose episode ended, in order.

        Returns:
            How many episodes ended, or None when the kernel does not apply (the NumPy path runs instead).

        """
        return None

    def _action_mask(self) -> np.ndarray | None:
        """Run ``WriteDiscreteActionMask`` for every agent (True = allowed); all allowed by default."""
        if self._all_allowed is None:
            return None
        return self._all_allowed.copy()

    # --- public API ---

    @property
    def env_parameters(self) -> dict[str, float]:
        """Current environment (reset) parameters, read by each agent at its next episode start."""
        return dict(self._params)

    @property
    def env_parameter_defaults(self) -> dict[str, float]:
        """The task's environment parameters and their default values."""
        return dict(self._defaults)

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Set environment parameters; agents read them when their next episode begins.

        Args:
            params: name -> value; names must be among ``env_parameter_defaults``.

        Raises:
            SpecError: an unknown name or a non-finite value.

        """
        checked: dict[str, float] = {}
        for key, value in params.items():
            if key not in self._defaults:
                raise SpecError(
                    f"{self.task_name}: unknown environment parameter '{key}' "
                    f"(expected one of {sorted(self._defaults)})"
                )
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise SpecError(
                    f"{self.task_name}: environment parameter '{key}' must be a number, got {value!r}"
                ) from None
            if not math.isfinite(number):
                raise SpecError(
                    f"{self.task_name}: environment parameter '{key}' must be finite, got {value!r}"
                )
            checked[key] = number
        self._params.update(checked)

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Academy reset: every agent begins a new episode; rewards are zero and no flags are set.

        Args:
            seed: reseeds the environment's random generator (same seed, same trajectory).

        Returns:
            The first decision's batch.

        """
        if seed is not None:
            self._rng = np.random.default_rng(seed)
        self.episode_count += 1
        self.step_count = 0
        self.agent_step_count.fill(0)
        if self._grouped:
            self._group_ended.fill(False)
            self._restart_groups(np.arange(self.num_groups))
        self._begin(np.arange(self.num_agents))
        self._ready = True
        obs = self._observe(None)
        zeros = np.zeros(self.num_agents, dtype=bool)
        return StepBatch(
            obs=obs,
            reward=np.zeros(self.num_agents, dtype=np.float32),
            terminated=zeros,
            truncated=zeros.copy(),
            final_obs=obs,
            action_mask=self._action_mask(),
            success=zeros.copy(),
            group_id=self._reported_group_id(),
            group_reward=np.zeros(self.num_agents, dtype=np.float32) if self._grouped else None,
        )

    def step(self, actions: ActionTuple) -> StepBatch:
        """Apply one decision's actions to every agent and advance ``decision_period`` physics steps.

        Args:
            actions: continuous ``(num_agents, continuous_size)`` in [-1, 1] (clipped) and discrete
                ``(num_agents, num_branches)`` integer branch indices.

        Returns:
            The next decision's batch; agents whose episode ended already observe their next episode
            (``final_obs`` holds the last observation of the one that ended).

        Raises:
            ResetNeeded: ``reset`` was never called.
            InvalidAction: wrong shape or dtype, NaN/inf, or a discrete index out of its branch.

        """
        if not self._ready:
            raise ResetNeeded(f"{self.task_name}: call reset() before step()")
        self._load_actions(actions)
        if self.compiled:
            batch = self._compiled_step()
            if batch is not None:
                return batch
        self._reward.fill(0.0)
        self._ended.fill(False)
        self._terminated.fill(False)
        self._truncated.fill(False)
        self._success.fill(False)
        if self._grouped:
            self._group_reward.fill(0.0)
            self._group_ended.fill(False)
        self._advance()
        self.step_count += self.decision_period
        self.total_step_count += self.decision_period
        return self._collect(bool(self._ended.any()))

    def _compiled_step(self) -> StepBatch | None:
        """One decision through ``_kernel_decision``; None when the task's kernel does not apply."""
        # Fresh arrays for every batch: callers may keep a batch while stepping on (rollout buffers do).
        reward = np.empty(self.num_agents, np.float32)
        flags = np.empty((4, self.num_agents), np.bool_)  # ended, terminated, truncated, success
        obs = self._new_obs() if self._pooled else tuple(map(np.empty, self._obs_shapes, self._obs_dtypes))
        ended_count = self._kernel_decision(reward, flags, obs, self._ended_idx)
        if ended_count is None:
            return None
        self.step_count += self.decision_period
        self.total_step_count += self.decision_period
        final_obs = obs
        if ended_count:
            # Ended agents stopped at their last physics step: their rows are the final observations.
            self.completed_episodes += ended_count
            final_obs = self._split_final(obs, self._ended_idx[:ended_count])
        # positional: a NamedTuple's keyword call costs twice as much, noticeable at one area
        return StepBatch(obs, reward, flags[1], flags[2], final_obs, self._action_mask(), flags[3])

    def _new_obs(self) -> tuple[np.ndarray, ...]:
        """Return arrays for one batch's observations (recycled where large: ``BufferPool``)."""
        return tuple(
            np.empty(shape, np.float32) if pool is None else pool.take()
            for shape, pool in zip(self._obs_shapes, self._obs_pools, strict=True)
        )

    def _split_final(self, obs: tuple[np.ndarray, ...], ended: np.ndarray) -> tuple[np.ndarray, ...]:
        """Begin the next episode of agents ``ended`` after a compiled decision; return final observations.

        On entry ``obs`` holds every agent's observation after the decision (an ended agent's: the last of its
        episode); the returned copy keeps that, and the ended rows of ``obs`` get the next episodes' first
        observations.
        """
        final_obs = self._new_obs()
        for final, o in zip(final_obs, obs, strict=True):
            np.copyto(final, o)
        self._restart(ended, obs)
        return final_obs

    def _steps_to_limit(self) -> int:
        """Physics steps until the first agent reaches MaxStep (a large number when unlimited)."""
        return self.max_step - int(self.agent_step_count.max()) if self.max_step > 0 else _NO_LIMIT

    def _advance(self) -> None:
        """Run one decision's physics steps one at a time (tasks may override with an exact faster scheme)."""
        steps_to_limit = self._steps_to_limit()
        for k in range(1, self.decision_period + 1):
            self.agent_step_count += 1
            self._physics_step()
            self._end_flagged()
            if k >= steps_to_limit:
                self._interrupt_at_limit()
            if self._grouped:
                self._group_tick()

    def _end_flagged(self) -> None:
        """End the episodes the physics step flagged in ``_done_now`` (terminated) that are not over yet."""
        if self._done_now.any():
            new = np.flatnonzero(self._done_now & ~self._ended)
            if new.size:
                self._end(new, terminated=True)

    def _interrupt_at_limit(self) -> None:
        """``EpisodeInterrupted`` for every running agent whose step count reached MaxStep."""
        new = np.flatnonzero((self.agent_step_count >= self.max_step) & ~self._ended)
        if new.size:
            self._end(new, terminated=False)

    def close(self) -> None:
        """Release resources (the recycled observation buffers); further steps need a ``reset``."""
        self._ready = False
        for pool in self._obs_pools:
            if pool is not None:
                pool.clear()

    # --- multi-agent groups (SimpleMultiAgentGroup) ---

    def add_group_reward(self, reward: np.ndarray | float) -> None:
        """``AddGroupReward``: add to the group reward of every registered member still in its episode.

        Args:
            reward: one value per group row ``(num_groups,)``, or one value for every group.

        """
        per_group = np.broadcast_to(np.asarray(reward, dtype=np.float32), (self.num_groups,))
        live = self.group_registered & ~self._ended
        self._group_reward += np.where(live, per_group[self.group_index], np.float32(0.0))

    def set_group_reward(self, groups: np.ndarray, reward: np.ndarray | float) -> None:
        """``SetGroupReward``: replace the group reward of this decision for the members of ``groups``.

        Args:
            groups: group rows.
            reward: the new value (one per entry of ``groups``, or one for all).

        """
        groups = np.asarray(groups, dtype=np.int64).reshape(-1)
        per_group = np.zeros(self.num_groups, dtype=np.float32)
        chosen = np.zeros(self.num_groups, dtype=bool)
        per_group[groups] = np.broadcast_to(np.asarray(reward, dtype=np.float32), groups.shape)
        chosen[groups] = True
        members = chosen[self.group_index] & self.group_registered & ~self._ended
        self._group_reward[members] = per_group[self.group_index[members]]

    def end_group_episode(self, groups: np.ndarray, *, success: bool | np.ndarray = False) -> None:
        """``EndGroupEpisode``: every registered member of ``groups`` ends its episode as terminated.

        Args:
            groups: group rows.
            success: whether the episode ended in the task's success (one per entry of ``groups`` or one).

        """
        groups = np.asarray(groups, dtype=np.int64).reshape(-1)
        won = np.zeros(self.num_groups, dtype=bool)
        won[groups] = np.broadcast_to(np.asarray(success, dtype=bool), groups.shape)
        members = self._group_members(groups)
        self._success_now[members] = won[self.group_index[members]]
        self._end_groups(groups, members, terminated=True)

    def group_episode_interrupted(self, groups: np.ndarray) -> None:
        """``GroupEpisodeInterrupted``: every registered member of ``groups`` ends as interrupted.

        Args:
            groups: group rows.

        """
        groups = np.asarray(groups, dtype=np.int64).reshape(-1)
        self._end_groups(groups, self._group_members(groups), terminated=False)

    def register_agents(self, idx: np.ndarray) -> None:
        """``RegisterAgent``: agents ``idx`` (back) in their group: they get its rewards and its end."""
        self.group_registered[idx] = True

    def unregister_agents(self, idx: np.ndarray) -> None:
        """``UnregisterAgent`` (a disabled agent): no more group rewards or group ends; group id 0."""
        self.group_registered[idx] = False

    def _group_members(self, groups: np.ndarray) -> np.ndarray:
        """Return the registered agents of ``groups`` whose episode has not ended in this decision."""
        chosen = np.zeros(self.num_groups, dtype=bool)
        chosen[groups] = True
        return np.flatnonzero(chosen[self.group_index] & self.group_registered & ~self._ended)

    def _end_groups(self, groups: np.ndarray, members: np.ndarray, *, terminated: bool) -> None:
        self._group_ended[groups] = True
        if members.size:
            self._end(members, terminated=terminated)

    def _group_tick(self) -> None:
        """Tick the controller's timer (``FixedUpdate``); interrupt groups that reached ``group_max_step``."""
        self.group_step_count += 1
        if self.group_max_step:
            hit = np.flatnonzero((self.group_step_count >= self.group_max_step) & ~self._group_ended)
            if hit.size:
                self.group_episode_interrupted(hit)

    def _restart_groups(self, groups: np.ndarray) -> None:
        self.group_step_count[groups] = 0
        self._begin_groups(groups)

    def _reported_group_id(self) -> np.ndarray | None:
        if not self._grouped:
            return None
        return np.where(self.group_registered, self.group_id, 0).astype(np.int32)

    # --- Academy machinery ---

    def _begin(self, idx: np.ndarray) -> None:
        self.agent_step_count[idx] = 0
        self.episode_ids[idx] = np.arange(self._next_episode_id, self._next_episode_id + idx.size)
        self._next_episode_id += idx.size
        self._begin_episodes(idx)

    def _end(self, idx: np.ndarray, *, terminated: bool) -> None:
        # The episode's last reward and observation are the ones at this physics step.
        self._ended[idx] = True
        self._final_reward[idx] = self._reward[idx]
        if self._grouped:
            self._final_group_reward[idx] = self._group_reward[idx]
        if terminated:
            self._terminated[idx] = True
            self._success[idx] = self._success_now[idx]
        else:
            self._truncated[idx] = True
            self._success[idx] = self.success_on_interrupt
        for buf, sub in zip(self._final_obs, self._observe(idx), strict=True):
            buf[idx] = sub
        self.completed_episodes += int(idx.size)

    def _collect(self, any_ended: bool) -> StepBatch:
        reward = self._reward.copy()
        group_id = group_reward = None
        if self._grouped:
            group_reward = self._group_reward.copy()
            group_reward[self._ended] = self._final_group_reward[self._ended]
            restarted = np.flatnonzero(self._group_ended)
            if restarted.size:
                self._restart_groups(restarted)  # ResetScene, before the members' OnEpisodeBegin
            group_id = self._reported_group_id()
        if not any_ended:
            obs = self._observe(None)
            final_obs = obs
        else:
            ended = np.flatnonzero(self._ended)
            reward[ended] = self._final_reward[ended]
            self._begin(ended)
            obs = self._observe(None)
            final_obs = tuple(o.copy() for o in obs)
            for final, buf in zip(final_obs, self._final_obs, strict=True):
                final[ended] = buf[ended]
        return StepBatch(
            obs=obs,
            reward=reward,
            terminated=self._terminated.copy(),
            truncated=self._truncated.copy(),
            final_obs=final_obs,
            action_mask=self._action_mask(),
            success=self._success.copy(),
            group_id=group_id,
            group_reward=group_reward,
        )

    def _load_actions(self, actions: ActionTuple) -> None:
        cont = getattr(actions, "continuous", None)
        disc = getattr(actions, "discrete", None)
        if self.compiled and self._load_fast(cont, disc):
            return
        if self._cont_shape[1]:
            cont = self._as_array(cont, "continuous", self._cont_shape)
            if cont.dtype.kind not in "fiu":  # real numbers (dtype.kind is far cheaper than np.issubdtype)
                raise InvalidAction(
                    f"{self.task_name}: continuous actions must be real numbers, got {cont.dtype}"
                )
            if not self._load_continuous(cont):
                bad = sorted({int(i) for i in np.argwhere(~np.isfinite(cont))[:, 0]})
                raise InvalidAction(
                    f"{self.task_name}: continuous actions contain NaN or inf (agents {bad[:10]})"
                )
        elif cont is not None and np.size(cont):
            raise InvalidAction(
                f"{self.task_name}: this behavior has no continuous actions, got shape {np.shape(cont)}"
            )
        if self._disc_shape[1]:
            disc = self._as_array(disc, "discrete", self._disc_shape)
            if disc.dtype.kind not in "iu":
                raise InvalidAction(
                    f"{self.task_name}: discrete actions must be integers, got dtype {disc.dtype}"
                )
            if not self._load_discrete(disc):
                raise InvalidAction(
                    f"{self.task_name}: discrete action out of range; "
                    f"branch sizes are {self.signature.action_spec.discrete_branches}"
                )
        elif disc is not None and np.size(disc):
            raise InvalidAction(
                f"{self.task_name}: this behavior has no discrete actions, got shape {np.shape(disc)}"
            )

    def _load_fast(self, cont: object, disc: object) -> bool:
        """Load well-formed actions (exact shapes, float32/64 and int32/64 C arrays) through the kernels.

        Returns:
            False when anything is off, ``_cont``/``_disc`` then partly written: ``_load_actions``' checks
            run next and name the problem.

        """
        ok = True
        if self._cont_shape[1]:
            ok = (
                type(cont) is np.ndarray
                and cont.shape == self._cont_shape
                and cont.dtype.char in "fd"
                and cont.flags.c_contiguous
                and self._kernels.load_continuous(cont, self._cont)
            )
        elif cont is not None and (type(cont) is not np.ndarray or cont.size):
            return False
        if not ok:
            return False
        if self._disc_shape[1]:
            return bool(
                type(disc) is np.ndarray
                and disc.shape == self._disc_shape
                and disc.dtype.char in "ilq"
                and disc.flags.c_contiguous
                and self._kernels.load_discrete(disc, self._branch_sizes, self._disc)
            )
        return disc is None or (type(disc) is np.ndarray and not disc.size)

    def _load_continuous(self, cont: np.ndarray) -> bool:
        """Clip real-valued actions into ``_cont``; False (``_cont`` then undefined) on NaN or inf."""
        if self.compiled and cont.dtype.char in "fd" and cont.flags.c_contiguous:
            return bool(self._kernels.load_continuous(cont, self._cont))
        if not np.isfinite(cont).all():
            return False
        # np.clip's Python wrapper costs more than the two ufuncs it runs
        np.maximum(np.minimum(cont, 1.0, out=self._cont), -1.0, out=self._cont)
        return True

    def _load_discrete(self, disc: np.ndarray) -> bool:
        """Copy integer actions into ``_disc``; False (``_disc`` then undefined) when one is out of range."""
        if self.compiled and disc.dtype.char in "ilq" and disc.flags.c_contiguous:
            return bool(self._kernels.load_discrete(disc, self._branch_sizes, self._disc))
        if (disc < 0).any() or (disc >= self._branch_sizes).any():
            return False
        self._disc[...] = disc
        return True

    def _as_array(self, value: object, kind: str, shape: tuple[int, int]) -> np.ndarray:
        if value is None:
            raise InvalidAction(f"{self.task_name}: missing {kind} actions, expected shape {shape}")
        array = np.asarray(value)
        if array.shape != shape:
            raise InvalidAction(
                f"{self.task_name}: {kind} actions must have shape {shape}, got {array.shape}"
            )
        return array

    @property
    def rng(self) -> np.random.Generator:
        """The environment's random generator (seeded by ``make(seed=)`` / ``reset(seed=)``)."""
        return self._rng
