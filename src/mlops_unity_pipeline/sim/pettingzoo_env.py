"""The PettingZoo parallel API over any simulator task (``pip install 'mlops_unity_pipeline[multiagent]'``).

``SimParallelEnv`` is a ``pettingzoo.ParallelEnv`` whose agents are the simulator's agents: every member of
every group in a multi-agent task (``group_<id>_agent_<member>``), every area's agent in a single-agent task
(``agent_<i>``). It passes ``pettingzoo.test.parallel_api_test`` and ``parallel_seed_test``
(``tests/sim/test_pettingzoo_env.py``).

PettingZoo has no autoreset: an agent whose episode ends (``terminations``/``truncations``) leaves
``agents`` with its episode's last observation, and the episode of the environment is over when no agent is
left; call ``reset`` then. (The simulator underneath resets finished agents at once, as Unity does; the rows
of agents that already left keep running with zero actions and are not reported.) Rewards are each agent's
own reward plus its group reward, so a team objective reaches every member; ``infos`` keep the two apart
(``group_reward``) and carry ``group_id``, ``success`` and, for discrete actions, ``action_mask``
(int8, 1 = allowed). ``reset(options={"env_parameters": {...}})`` sets environment parameters first.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..errors import InvalidAction, MissingExtraError, ResetNeeded, SpecError
from ..spaces import ActionTuple, StepBatch
from .core import SimEnv
from .gym_env import _resolve, action_space, observation_space
from .policies import zero_actions

try:
    from pettingzoo import ParallelEnv
except ImportError as exc:  # the optional extra is missing: say which one to install
    raise MissingExtraError("multiagent", "the PettingZoo parallel API (sim.pettingzoo_env)") from exc


def agent_names(sim: SimEnv) -> list[str]:
    """PettingZoo names of a simulator's agents, in row order.

    Args:
        sim: the simulator.

    Returns:
        ``group_<id>_agent_<member>`` for grouped tasks (ids from 1, members from 0), else ``agent_<i>``.

    """
    if sim.group_id is None:
        return [f"agent_{i}" for i in range(sim.num_agents)]
    k = sim.agents_per_group
    return [f"group_{int(sim.group_id[i])}_agent_{i % k}" for i in range(sim.num_agents)]


class SimParallelEnv(ParallelEnv):
    """A simulator task as a PettingZoo ``ParallelEnv`` (one PettingZoo agent per simulated agent)."""

    metadata = {"name": "mlops_unity_sim_v0", "render_modes": ["rgb_array"], "is_parallelizable": True}

    def __init__(self, task_or_env: str | SimEnv, render_mode: str | None = None, **make_kwargs: Any) -> None:
        """Wrap a simulator.

        Args:
            task_or_env: a task name (``sim.make`` builds it) or a simulator.
            render_mode: None or ``"rgb_array"``.
            **make_kwargs: ``sim.make`` options when a task name is given (``num_agents``, ``seed``, ...).

        Raises:
            SpecError: a bad render mode, options given with a simulator, or an unknown task.

        """
        if render_mode not in (None, "rgb_array"):
            raise SpecError(f"render_mode must be None or 'rgb_array', got {render_mode!r}")
        self.sim = _resolve(task_or_env, make_kwargs)
        self.render_mode = render_mode
        self.possible_agents = agent_names(self.sim)
        self.agents: list[str] = []
        self._row = {name: i for i, name in enumerate(self.possible_agents)}
        # One space object per agent, so seeding one agent's space leaves the others' streams alone.
        self._observation_spaces = {a: observation_space(self.sim.signature) for a in self.possible_agents}
        self._action_spaces = {a: action_space(self.sim.signature) for a in self.possible_agents}
        self._spec = self.sim.signature.action_spec
        self.metadata = {
            **self.metadata,
            "render_fps": round(1.0 / (self.sim.physics_dt * self.sim.decision_period)),
        }

    def observation_space(self, agent: str):
        """Gymnasium space of ``agent``'s observation (a ``Box``, or a ``Tuple`` for several sensors)."""
        return self._observation_spaces[agent]

    def action_space(self, agent: str):
        """Gymnasium space of ``agent``'s action (``Box``, ``Discrete``, ``MultiDiscrete`` or a ``Tuple``)."""
        return self._action_spaces[agent]

    def reset(self, seed: int | None = None, options: dict[str, Any] | None = None):
        """Start a new episode for every agent.

        Args:
            seed: seeds the simulator (same seed and actions, same episode).
            options: ``{"env_parameters": {...}}`` sets environment parameters first; other keys are
                reported with a warning and have no effect.

        Returns:
            ``(observations, infos)`` keyed by agent name.

        """
        options = dict(options or {})
        params = options.pop("env_parameters", None)
        if options:
            warnings.warn(
                f"SimParallelEnv.reset: options {sorted(options)} are not used (only 'env_parameters' is)",
                stacklevel=2,
            )
        if params:
            self.sim.set_env_parameters(params)
        batch = self.sim.reset(seed=seed)
        self.agents = list(self.possible_agents)
        return self._per_agent_obs(batch.obs), self._infos(batch, self.agents)

    def step(self, actions: dict[str, Any]):
        """Advance every live agent one decision.

        Args:
            actions: one action (an element of ``action_space(agent)``) per live agent.

        Returns:
            ``(observations, rewards, terminations, truncations, infos)`` for the agents that were live.

        Raises:
            ResetNeeded: no live agent (call ``reset``).
            InvalidAction: an action for an agent that is not live, a live agent without an action, or an
                action outside its space.

        """
        if not self.agents:
            raise ResetNeeded("no live agents: call reset() first (or again, after every agent finished)")
        unknown = sorted(set(actions) - set(self.agents))
        missing = [a for a in self.agents if a not in actions]
        if unknown or missing:
            raise InvalidAction(
                f"actions must name exactly the live agents; unknown or finished: {unknown[:5]}, "
                f"missing: {missing[:5]}"
            )
        live = self.agents
        batch = self.sim.step(self._action_tuple(actions))
        rows = np.array([self._row[a] for a in live], dtype=np.int64)
        ended = batch.terminated[rows] | batch.truncated[rows]
        # a finished agent leaves with its episode's last observation (final_obs), not the next one's first
        observations = {
            a: self._one_obs(batch.final_obs if ended[j] else batch.obs, rows[j]) for j, a in enumerate(live)
        }
        reward = batch.reward[rows].astype(np.float64)
        if batch.group_reward is not None:
            reward = reward + batch.group_reward[rows]
        rewards = {a: float(reward[j]) for j, a in enumerate(live)}
        terminations = {a: bool(batch.terminated[rows[j]]) for j, a in enumerate(live)}
        truncations = {
            a: bool(batch.truncated[rows[j]] and not batch.terminated[rows[j]]) for j, a in enumerate(live)
        }
        infos = self._infos(batch, live)
        self.agents = [a for j, a in enumerate(live) if not ended[j]]
        return observations, rewards, terminations, truncations, infos

    def render(self) -> np.ndarray | None:
        """Top-down RGB frame of the scene when ``render_mode == "rgb_array"``."""
        if self.render_mode != "rgb_array":
            return None
        from .render import render_frame  # heavy

        return np.asarray(render_frame(self.sim).convert("RGB"))

    def close(self) -> None:
        """Close the simulator."""
        self.sim.close()

    # --- conversions ---

    def _action_tuple(self, actions: dict[str, Any]) -> ActionTuple:
        """Per-agent actions to one batch (zero actions on the rows of agents that already finished)."""
        spec = self._spec
        batch = zero_actions(spec, self.sim.num_agents)
        branches = np.asarray(spec.discrete_branches, dtype=np.int64)
        for agent, action in actions.items():
            row = self._row[agent]
            if spec.continuous_size and spec.discrete_size:
                if not isinstance(action, (tuple, list)) or len(action) != 2:
                    raise InvalidAction(f"action of '{agent}' must be a (continuous, discrete) pair")
                continuous, discrete = action
            elif spec.continuous_size:
                continuous, discrete = action, None
            else:
                continuous, discrete = None, action
            try:
                if continuous is not None:
                    # values outside [-1, 1] are clipped by the simulator, as agents clamp them upstream
                    batch.continuous[row] = np.asarray(continuous, dtype=np.float32).reshape(-1)
                if discrete is not None:
                    values = np.asarray(discrete).reshape(-1)
                    if values.dtype.kind not in "iu" or ((values < 0) | (values >= branches)).any():
                        raise ValueError(f"branch sizes are {spec.discrete_branches}")
                    batch.discrete[row] = values
            except (TypeError, ValueError) as exc:
                raise InvalidAction(
                    f"action of '{agent}' does not fit its space {self._action_spaces[agent]}: {exc}"
                ) from None
        return batch

    def _one_obs(self, obs: tuple[np.ndarray, ...], row: int) -> Any:
        return obs[0][row].copy() if len(obs) == 1 else tuple(o[row].copy() for o in obs)

    def _per_agent_obs(self, obs: tuple[np.ndarray, ...]) -> dict[str, Any]:
        return {a: self._one_obs(obs, self._row[a]) for a in self.agents}

    def _infos(self, batch: StepBatch, agents: list[str]) -> dict[str, dict[str, Any]]:
        infos = {}
        for agent in agents:
            row = self._row[agent]
            info: dict[str, Any] = {
                "success": bool(batch.success[row]),
                "group_id": 0 if batch.group_id is None else int(batch.group_id[row]),
                "group_reward": 0.0 if batch.group_reward is None else float(batch.group_reward[row]),
            }
            if batch.action_mask is not None:
                info["action_mask"] = batch.action_mask[row].astype(np.int8)
            infos[agent] = info
        return infos
