"""Gymnasium views of the simulator: a vector env over the whole batch and a single-agent env.

``SimVectorEnv`` is a ``gymnasium.vector.VectorEnv`` whose sub-environments are the simulator's agents; it
resets finished episodes in the same step (``AutoresetMode.SAME_STEP``: ``info["final_obs"]`` holds the last
observation of each finished episode, ``info["_final_obs"]`` says which). ``SimSingleEnv`` is a
``gymnasium.Env`` over one agent and passes ``gymnasium.utils.env_checker.check_env``.

Spaces: one vector sensor gives a ``Box`` (several sensors a ``Tuple`` of boxes); continuous actions a
``Box(-1, 1)``; one discrete branch ``Discrete``, several ``MultiDiscrete``; both kinds a ``Tuple`` of the
two.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces as gspaces
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from ..errors import InvalidAction, SpecError
from ..spaces import ActionTuple, BehaviorSignature, StepBatch
from .catalog import list_tasks, make
from .core import SimEnv


def observation_space(signature: BehaviorSignature) -> gspaces.Space:
    """Gymnasium space of one agent's observation.

    Args:
        signature: the behavior.

    Returns:
        A float32 ``Box`` per sensor (a ``Tuple`` when there are several).

    """
    boxes = [
        gspaces.Box(-np.inf, np.inf, shape=o.shape, dtype=np.float32) for o in signature.observation_specs
    ]
    return boxes[0] if len(boxes) == 1 else gspaces.Tuple(boxes)


def action_space(signature: BehaviorSignature) -> gspaces.Space:
    """Gymnasium space of one agent's action.

    Args:
        signature: the behavior.

    Returns:
        ``Box(-1, 1)`` for continuous, ``Discrete``/``MultiDiscrete`` for discrete, a ``Tuple`` for both.

    """
    spec = signature.action_spec
    parts: list[gspaces.Space] = []
    if spec.continuous_size:
        parts.append(gspaces.Box(-1.0, 1.0, shape=(spec.continuous_size,), dtype=np.float32))
    if spec.discrete_size == 1:
        parts.append(gspaces.Discrete(spec.discrete_branches[0]))
    elif spec.discrete_size > 1:
        parts.append(gspaces.MultiDiscrete(list(spec.discrete_branches)))
    return parts[0] if len(parts) == 1 else gspaces.Tuple(parts)


def _to_action_tuple(signature: BehaviorSignature, actions: Any, n: int) -> ActionTuple:
    """Batched Gymnasium actions (leading axis ``n``) to an ``ActionTuple``."""
    spec = signature.action_spec
    if spec.continuous_size and spec.discrete_size:
        if not isinstance(actions, (tuple, list)) or len(actions) != 2:
            raise InvalidAction("hybrid actions must be a (continuous, discrete) pair")
        continuous, discrete = actions
    elif spec.continuous_size:
        continuous, discrete = actions, np.zeros((n, 0), dtype=np.int32)
    else:
        continuous, discrete = np.zeros((n, 0), dtype=np.float32), actions
    continuous = np.asarray(continuous, dtype=np.float32)
    discrete = np.asarray(discrete)
    if spec.discrete_size == 1 and discrete.shape == (n,):
        discrete = discrete[:, None]
    return ActionTuple(continuous, discrete)


def _obs(batch_obs: tuple[np.ndarray, ...]) -> Any:
    return batch_obs[0] if len(batch_obs) == 1 else tuple(batch_obs)


def _resolve(task_or_env: str | SimEnv, kwargs: dict[str, Any]) -> SimEnv:
    if isinstance(task_or_env, SimEnv):
        if kwargs:
            raise SpecError(f"make options {sorted(kwargs)} apply only when a task name is given")
        return task_or_env
    return make(task_or_env, **kwargs)


class SimVectorEnv(gym.vector.VectorEnv):
    """The simulator's agents as a Gymnasium vector env (same-step autoreset).

    ``info`` carries ``final_obs``/``_final_obs`` (finished episodes), ``success`` (per agent, where an
    episode just ended in success), ``action_mask`` (True = allowed) for discrete behaviors, and
    ``group_id``/``group_reward`` for multi-agent tasks.
    """

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": ["rgb_array"]}

    def __init__(self, task_or_env: str | SimEnv, num_envs: int | None = None, **make_kwargs: Any) -> None:
        """Wrap a simulator.

        Args:
            task_or_env: a task name (made with ``num_agents=num_envs``) or a simulator.
            num_envs: agents when a task name is given (None = the task's default).
            **make_kwargs: other ``sim.make`` options (seed, params, engine, env_parameters).

        Raises:
            SpecError: options that do not apply, or an unknown task.

        """
        if isinstance(task_or_env, SimEnv) and num_envs is not None and num_envs != task_or_env.num_agents:
            raise SpecError(f"num_envs={num_envs} but the simulator has {task_or_env.num_agents} agents")
        if not isinstance(task_or_env, SimEnv):
            make_kwargs["num_agents"] = num_envs
        self.sim = _resolve(task_or_env, make_kwargs)
        self.num_envs = self.sim.num_agents
        self.single_observation_space = observation_space(self.sim.signature)
        self.single_action_space = action_space(self.sim.signature)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.render_mode = "rgb_array"

    def reset(self, *, seed: int | list[int] | None = None, options: dict[str, Any] | None = None):
        """Reset every agent.

        Args:
            seed: an int seeds the simulator (a list uses its first entry).
            options: ``{"env_parameters": {...}}`` sets environment parameters first.

        Returns:
            ``(obs, info)``.

        """
        if isinstance(seed, (list, tuple)):
            seed = seed[0] if seed else None
        if options and "env_parameters" in options:
            self.sim.set_env_parameters(options["env_parameters"])
        batch = self.sim.reset(seed=seed)
        return _obs(batch.obs), self._info(batch)

    def step(self, actions: Any):
        """Step every agent one decision.

        Args:
            actions: a batch from ``action_space``.

        Returns:
            ``(obs, reward, terminated, truncated, info)``.

        """
        batch = self.sim.step(_to_action_tuple(self.sim.signature, actions, self.num_envs))
        info = self._info(batch)
        ended = batch.terminated | batch.truncated
        if ended.any():
            final = np.full(self.num_envs, None, dtype=object)
            for i in np.flatnonzero(ended):  # object array of per-env observations, as Gymnasium builds it
                final[i] = (
                    batch.final_obs[0][i]
                    if len(batch.final_obs) == 1
                    else tuple(o[i] for o in batch.final_obs)
                )
            info["final_obs"] = final
            info["_final_obs"] = ended
        return (
            _obs(batch.obs),
            batch.reward.astype(np.float64),
            batch.terminated,
            batch.truncated,
            info,
        )

    def _info(self, batch: StepBatch) -> dict[str, Any]:
        info: dict[str, Any] = {"success": batch.success}
        if batch.action_mask is not None:
            info["action_mask"] = batch.action_mask
        if batch.group_id is not None:  # multi-agent tasks: the team's reward stays apart from the agent's
            info["group_id"] = batch.group_id
            info["group_reward"] = batch.group_reward
        return info

    def render(self) -> np.ndarray:
        """Top-down RGB frame of the scene (``render.render_frame``)."""
        from .render import render_frame  # heavy

        return np.asarray(render_frame(self.sim).convert("RGB"))

    def close_extras(self, **kwargs: Any) -> None:
        """Close the simulator."""
        self.sim.close()


class SimSingleEnv(gym.Env):
    """One simulated agent as a ``gymnasium.Env`` (call ``reset`` after an episode ends)."""

    metadata = {"render_modes": ["rgb_array"], "render_fps": 10}

    def __init__(self, task_or_env: str | SimEnv, render_mode: str | None = None, **make_kwargs: Any) -> None:
        """Wrap a one-agent simulator.

        Args:
            task_or_env: a task name (made with one agent) or a one-agent simulator.
            render_mode: None or ``"rgb_array"``.
            **make_kwargs: other ``sim.make`` options.

        Raises:
            SpecError: a simulator with several agents, or a bad render mode.

        """
        if not isinstance(task_or_env, SimEnv):
            make_kwargs["num_agents"] = 1
        self.sim = _resolve(task_or_env, make_kwargs)
        if self.sim.num_agents != 1:
            raise SpecError(f"SimSingleEnv needs a one-agent simulator, got {self.sim.num_agents} agents")
        if render_mode not in (None, "rgb_array"):
            raise SpecError(f"render_mode must be None or 'rgb_array', got {render_mode!r}")
        self.render_mode = render_mode
        self.observation_space = observation_space(self.sim.signature)
        self.action_space = action_space(self.sim.signature)
        self.metadata = {
            **self.metadata,
            "render_fps": round(1.0 / (self.sim.physics_dt * self.sim.decision_period)),
        }

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        """Start a new episode.

        Args:
            seed: seeds the simulator (same seed, same episode).
            options: ``{"env_parameters": {...}}`` sets environment parameters first.

        Returns:
            ``(obs, info)``.

        """
        super().reset(seed=seed)
        if options and "env_parameters" in options:
            self.sim.set_env_parameters(options["env_parameters"])
        batch = self.sim.reset(seed=seed)
        return self._first(batch.obs), self._info(batch)

    def step(self, action: Any):
        """Advance one decision.

        Args:
            action: an element of ``action_space``.

        Returns:
            ``(obs, reward, terminated, truncated, info)``; at an episode end, the episode's last observation.

        """
        batched = (
            np.asarray(action)[None]
            if not isinstance(action, tuple)
            else tuple(np.asarray(a)[None] for a in action)
        )
        batch = self.sim.step(_to_action_tuple(self.sim.signature, batched, 1))
        ended = bool(batch.terminated[0] or batch.truncated[0])
        obs = self._first(batch.final_obs if ended else batch.obs)
        return (
            obs,
            float(batch.reward[0]),
            bool(batch.terminated[0]),
            bool(batch.truncated[0]),
            self._info(batch),
        )

    def _first(self, obs: tuple[np.ndarray, ...]) -> Any:
        return obs[0][0] if len(obs) == 1 else tuple(o[0] for o in obs)

    def _info(self, batch: StepBatch) -> dict[str, Any]:
        info: dict[str, Any] = {"success": bool(batch.success[0])}
        if batch.action_mask is not None:
            info["action_mask"] = batch.action_mask[0].astype(np.int8)
        return info

    def render(self) -> np.ndarray | None:
        """Top-down RGB frame when ``render_mode == "rgb_array"``."""
        if self.render_mode != "rgb_array":
            return None
        from .render import render_frame  # heavy

        return np.asarray(render_frame(self.sim).convert("RGB"))

    def close(self) -> None:
        """Close the simulator."""
        self.sim.close()


def register_gymnasium_envs() -> list[str]:
    """Register every single-agent task as a Gymnasium id ``MlopsUnity/<Task>-v0`` (a ``SimSingleEnv``).

    Multi-agent tasks (groups, such as PushBlockCollab) have no one-agent form; they are served by
    ``sim.pettingzoo_env.SimParallelEnv`` (and ``SimVectorEnv`` over all their agents). Idempotent.

    Shipped worlds (``world:<Name>``) register as ``MlopsUnity/world-<Name>-v0``.

    Returns:
        The registered ids, usable with ``gymnasium.make(id, render_mode=..., seed=...)``.

    """
    ids = []
    for info in list_tasks():
        task = info.name
        if info.agents_per_group:
            continue
        env_id = f"MlopsUnity/{task.replace(':', '-')}-v0"  # gymnasium reads "a:b" as module a, env b
        if env_id not in gym.registry:
            gym.register(env_id, entry_point=f"{__name__}:SimSingleEnv", kwargs={"task_or_env": task})
        ids.append(env_id)
    return ids
