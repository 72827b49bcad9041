"""An ML-Agents-style behavior API over the simulator (the shape of ``mlagents_envs.base_env.BaseEnv``).

``get_steps`` returns ``DecisionSteps`` (agents waiting for an action: every agent, every step) and
``TerminalSteps`` (agents whose episode ended since the last step, with its last observation and reward, and
``interrupted`` for MaxStep). Multi-agent tasks report each agent's group id and the group reward it
received since its previous decision (``SimpleMultiAgentGroup``); single-agent tasks report group 0 and
reward 0, as Unity does for agents without a group. Agent ids are episode ids, as ML-Agents reports them:
an agent that ends an episode appears in the terminal steps under its old id and in the decision steps under
a new one. Action masks follow ML-Agents' convention: one ``(n, branch_size)`` array per branch, True = the
action is masked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ..errors import InvalidAction, SpecError
from ..spaces import ActionTuple, BehaviorSignature, StepBatch
from .core import SimEnv
from .gym_env import _resolve
from .policies import zero_actions


class DecisionStep(NamedTuple):
    """One agent's decision step (``mlagents_envs`` ``DecisionStep``)."""

    obs: list[np.ndarray]
    reward: float
    agent_id: int
    action_mask: list[np.ndarray] | None
    group_id: int
    group_reward: float


class TerminalStep(NamedTuple):
    """One agent's terminal step (``mlagents_envs`` ``TerminalStep``)."""

    obs: list[np.ndarray]
    reward: float
    interrupted: bool
    agent_id: int
    group_id: int
    group_reward: float


class _AgentRows:
    """Rows indexed by agent id: what ``DecisionSteps`` and ``TerminalSteps`` share."""

    agent_id: np.ndarray

    def __len__(self) -> int:
        return int(self.agent_id.shape[0])

    @property
    def agent_id_to_index(self) -> dict[int, int]:
        """Map from agent id to row."""
        return {int(a): i for i, a in enumerate(self.agent_id)}


@dataclass(frozen=True)
class DecisionSteps(_AgentRows):
    """Agents that need an action (``mlagents_envs`` ``DecisionSteps``)."""

    obs: list[np.ndarray]
    """One ``(n, *shape)`` array per sensor."""
    reward: np.ndarray
    """``(n,)`` reward since the agent's previous decision."""
    agent_id: np.ndarray
    """``(n,)`` int32 agent (episode) ids."""
    action_mask: list[np.ndarray] | None
    """Per branch ``(n, size)`` bool, True = masked; None without discrete actions."""
    group_id: np.ndarray
    """``(n,)`` int32 multi-agent group ids (0 = no group)."""
    group_reward: np.ndarray
    """``(n,)`` float32 group reward since the agent's previous decision (0 without a group)."""

    def __getitem__(self, agent_id: int) -> DecisionStep:
        """Return the decision step of one agent, by agent id."""
        i = self.agent_id_to_index[int(agent_id)]
        mask = None if self.action_mask is None else [m[i] for m in self.action_mask]
        return DecisionStep(
            [o[i] for o in self.obs],
            float(self.reward[i]),
            int(agent_id),
            mask,
            int(self.group_id[i]),
            float(self.group_reward[i]),
        )


@dataclass(frozen=True)
class TerminalSteps(_AgentRows):
    """Agents whose episode ended (``mlagents_envs`` ``TerminalSteps``)."""

    obs: list[np.ndarray]
    """One ``(n, *shape)`` array per sensor: the episode's last observation."""
    reward: np.ndarray
    """``(n,)`` the episode's last reward."""
    interrupted: np.ndarray
    """``(n,)`` True where MaxStep ended the episode (bootstrap the value)."""
    agent_id: np.ndarray
    """``(n,)`` int32 agent (episode) ids."""
    group_id: np.ndarray
    """``(n,)`` int32 multi-agent group ids (0 = no group)."""
    group_reward: np.ndarray
    """``(n,)`` float32 the episode's last group reward (0 without a group)."""

    def __getitem__(self, agent_id: int) -> TerminalStep:
        """Return the terminal step of one agent, by agent id."""
        i = self.agent_id_to_index[int(agent_id)]
        return TerminalStep(
            [o[i] for o in self.obs],
            float(self.reward[i]),
            bool(self.interrupted[i]),
            int(agent_id),
            int(self.group_id[i]),
            float(self.group_reward[i]),
        )


class SimBehaviorEnv:
    """One simulator seen as an ML-Agents environment with a single behavior."""

    def __init__(self, task_or_env: str | SimEnv, **make_kwargs: Any) -> None:
        """Wrap a simulator.

        Args:
            task_or_env: a task name or a simulator.
            **make_kwargs: ``sim.make`` options when a task name is given.

        """
        self.sim = _resolve(task_or_env, make_kwargs)
        self._name = self.sim.signature.name
        self._pending: ActionTuple | None = None
        self._decision: DecisionSteps | None = None
        self._terminal: TerminalSteps | None = None

    @property
    def behavior_specs(self) -> Mapping[str, BehaviorSignature]:
        """Behavior name -> observation specs and action spec."""
        return {self._name: self.sim.signature}

    def reset(self) -> None:
        """Reset the environment (every agent starts an episode)."""
        before = self.sim.episode_ids.copy()
        self._record(self.sim.reset(), before)

    def get_steps(self, behavior_name: str) -> tuple[DecisionSteps, TerminalSteps]:
        """Decision and terminal steps of ``behavior_name`` since the last ``step``/``reset``.

        Args:
            behavior_name: a key of ``behavior_specs``.

        Returns:
            ``(DecisionSteps, TerminalSteps)``.

        Raises:
            SpecError: unknown behavior, or called before ``reset``.

        """
        self._check(behavior_name)
        if self._decision is None or self._terminal is None:
            raise SpecError("call reset() before get_steps()")
        return self._decision, self._terminal

    def set_actions(self, behavior_name: str, action: ActionTuple) -> None:
        """Set the actions of every agent in the current decision steps.

        Args:
            behavior_name: a key of ``behavior_specs``.
            action: one row per agent of the decision steps.

        Raises:
            InvalidAction: wrong batch size.

        """
        self._check(behavior_name)
        n = self.sim.num_agents
        continuous = (
            np.asarray(action.continuous, dtype=np.float32).reshape(n, -1)
            if np.size(action.continuous)
            else np.zeros((n, 0), np.float32)
        )
        discrete = (
            np.asarray(action.discrete).reshape(n, -1)
            if np.size(action.discrete)
            else np.zeros((n, 0), np.int32)
        )
        self._pending = ActionTuple(continuous, discrete)

    def set_action_for_agent(self, behavior_name: str, agent_id: int, action: ActionTuple) -> None:
        """Set one agent's action (batch of one), leaving the others as set (default: zero actions).

        Args:
            behavior_name: a key of ``behavior_specs``.
            agent_id: an id from the current decision steps.
            action: continuous ``(1, c)`` and discrete ``(1, b)``.

        Raises:
            SpecError: unknown agent id.
            InvalidAction: wrong shapes.

        """
        self._check(behavior_name)
        if self._decision is None:
            raise SpecError("call reset() before set_action_for_agent()")
        index = self._decision.agent_id_to_index.get(int(agent_id))
        if index is None:
            raise SpecError(f"agent id {agent_id} is not in the current decision steps of '{behavior_name}'")
        spec = self.sim.signature.action_spec
        if self._pending is None:
            self._pending = zero_actions(spec, self.sim.num_agents)
        continuous = np.asarray(action.continuous, dtype=np.float32).reshape(-1)
        discrete = np.asarray(action.discrete).reshape(-1)
        if continuous.size != spec.continuous_size or discrete.size != spec.discrete_size:
            raise InvalidAction(
                f"agent action must have {spec.continuous_size} continuous and {spec.discrete_size} discrete "
                f"values, got {continuous.size} and {discrete.size}"
            )
        self._pending.continuous[index] = continuous
        self._pending.discrete[index] = discrete

    def step(self) -> None:
        """Advance one decision with the actions set (zero actions for agents without one)."""
        actions = self._pending or zero_actions(self.sim.signature.action_spec, self.sim.num_agents)
        before = self.sim.episode_ids.copy()
        batch = self.sim.step(actions)
        self._pending = None
        self._record(batch, before)

    def close(self) -> None:
        """Close the simulator."""
        self.sim.close()

    def _check(self, behavior_name: str) -> None:
        if behavior_name != self._name:
            raise SpecError(f"unknown behavior '{behavior_name}' (expected one of ['{self._name}'])")

    def _record(self, batch: StepBatch, ids_before: np.ndarray) -> None:
        mask = None
        if batch.action_mask is not None:
            mask, start = [], 0
            for size in self.sim.signature.action_spec.discrete_branches:
                mask.append(~batch.action_mask[:, start : start + size])
                start += size
        reward = batch.reward.copy()
        ended = np.flatnonzero(batch.terminated | batch.truncated)
        reward[ended] = 0.0  # the reward of an ended episode goes to its terminal step
        n = reward.shape[0]
        if batch.group_id is None or batch.group_reward is None:
            group_id, group_reward = np.zeros(n, dtype=np.int32), np.zeros(n, dtype=np.float32)
        else:
            group_id, group_reward = batch.group_id.astype(np.int32), batch.group_reward.astype(np.float32)
        decision_group_reward = group_reward.copy()
        decision_group_reward[ended] = 0.0  # likewise the group reward
        self._decision = DecisionSteps(
            obs=list(batch.obs),
            reward=reward,
            agent_id=self.sim.episode_ids.astype(np.int32),
            action_mask=mask,
            group_id=group_id,
            group_reward=decision_group_reward,
        )
        self._terminal = TerminalSteps(
            obs=[o[ended] for o in batch.final_obs],
            reward=batch.reward[ended],
            interrupted=batch.truncated[ended] & ~batch.terminated[ended],
            agent_id=ids_before[ended].astype(np.int32),
            group_id=group_id[ended],
            group_reward=group_reward[ended],
        )
