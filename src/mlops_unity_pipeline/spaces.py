"""ML-Agents-style behavior signatures and the vectorized env contract shared by sim, trainer and bridge.

ML-Agents' ``mlagents_envs`` calls the pair (observation specs, action spec) a ``BehaviorSpec``; here that
name belongs to the codegen IR (``behavior.spec.BehaviorSpec``), so the environment-side pair is a
``BehaviorSignature``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import NamedTuple, Protocol, runtime_checkable

import numpy as np

from .errors import SpecError


class ObservationType(IntEnum):
    """What a sensor's observation means to the trainer (ML-Agents ``ObservationType``, proto values)."""

    DEFAULT = 0
    """An ordinary observation."""
    GOAL_SIGNAL = 1
    """The agent's current goal (``VectorSensorComponent`` with "Goal Signal"): with
    ``network_settings.goal_conditioning_type: hyper`` it conditions the network through a hypernetwork."""


def observation_type_of(proto: object) -> ObservationType:
    """Read ``ObservationProto.observation_type`` (0 default, 1 goal signal; absent reads as default).

    Args:
        proto: an ``ObservationProto`` (from a player or a ``.demo`` file).

    Returns:
        The sensor's ``ObservationType``.

    """
    value = int(getattr(proto, "observation_type", 0) or 0)
    return ObservationType.GOAL_SIGNAL if value == ObservationType.GOAL_SIGNAL else ObservationType.DEFAULT


@dataclass(frozen=True)
class ObservationSpec:
    """One sensor's observation: its shape (no batch axis), name and type (ML-Agents ``ObservationSpec``)."""

    shape: tuple[int, ...]
    """Shape of one agent's observation, e.g. ``(8,)`` for a vector or ``(3, 84, 84)`` for a visual sensor."""
    name: str = "VectorSensor"
    """Sensor name as Unity reports it."""
    observation_type: ObservationType = ObservationType.DEFAULT
    """``GOAL_SIGNAL`` for a goal sensor, else ``DEFAULT`` (``ObservationProto.observation_type``)."""

    def __post_init__(self) -> None:
        if not self.shape or any(int(d) < 0 for d in self.shape):
            raise SpecError(
                f"observation '{self.name}': shape must be non-empty and non-negative, got {self.shape}"
            )
        object.__setattr__(self, "shape", tuple(int(d) for d in self.shape))
        try:
            object.__setattr__(self, "observation_type", ObservationType(self.observation_type))
        except ValueError:
            raise SpecError(
                f"observation '{self.name}': observation_type must be 0 (default) or 1 (goal signal), "
                f"got {self.observation_type!r}"
            ) from None

    @property
    def size(self) -> int:
        """Number of floats in one observation."""
        return int(np.prod(self.shape))


@dataclass(frozen=True)
class ActionSpec:
    """Continuous size and discrete branch sizes of a behavior's actions (ML-Agents ``ActionSpec``)."""

    continuous_size: int = 0
    """Number of continuous actions, each in [-1, 1]."""
    discrete_branches: tuple[int, ...] = ()
    """Size of each discrete branch."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "discrete_branches", tuple(int(b) for b in self.discrete_branches))
        if self.continuous_size < 0:
            raise SpecError(f"action spec: continuous_size must be >= 0, got {self.continuous_size}")
        if any(b < 1 for b in self.discrete_branches):
            raise SpecError(
                f"action spec: every discrete branch needs >= 1 action, got {self.discrete_branches}"
            )
        if self.continuous_size == 0 and not self.discrete_branches:
            raise SpecError("action spec: needs continuous actions or at least one discrete branch")

    @property
    def discrete_size(self) -> int:
        """Number of discrete branches."""
        return len(self.discrete_branches)

    @property
    def mask_size(self) -> int:
        """Length of the flat discrete action mask (sum of branch sizes)."""
        return int(sum(self.discrete_branches))

    @property
    def is_continuous(self) -> bool:
        """True when the behavior has continuous actions."""
        return self.continuous_size > 0

    @property
    def is_discrete(self) -> bool:
        """True when the behavior has discrete branches."""
        return bool(self.discrete_branches)


@dataclass(frozen=True)
class BehaviorSignature:
    """What a trainer must know of a behavior: its name, observation specs (sensor order) and action spec."""

    name: str
    """Behavior name (``BehaviorParameters.BehaviorName``; the YAML ``behaviors`` key)."""
    observation_specs: tuple[ObservationSpec, ...]
    """One entry per sensor, in the agent's sensor order (ONNX inputs ``obs_0 … obs_{n-1}``)."""
    action_spec: ActionSpec = field(default_factory=lambda: ActionSpec(continuous_size=1))
    """The behavior's actions."""

    def __post_init__(self) -> None:
        if not self.observation_specs:
            raise SpecError(f"behavior '{self.name}': needs at least one observation")
        object.__setattr__(self, "observation_specs", tuple(self.observation_specs))


class ActionTuple(NamedTuple):
    """Actions for a batch of agents (ML-Agents ``ActionTuple``)."""

    continuous: np.ndarray
    """``(n, continuous_size)`` float32, values in [-1, 1] (clipped by the env); ``(n, 0)`` when none."""
    discrete: np.ndarray
    """``(n, num_branches)`` int32 branch indices; ``(n, 0)`` when none."""


class StepBatch(NamedTuple):
    """What every agent sees at one decision (same-step autoreset, like ML-Agents' terminal steps)."""

    obs: tuple[np.ndarray, ...]
    """Per sensor ``(n, *shape)`` float32: the observation for the next decision (of a fresh episode where
    one ended)."""
    reward: np.ndarray
    """``(n,)`` float32: reward accumulated since the previous decision."""
    terminated: np.ndarray
    """``(n,)`` bool: the episode ended on its own (``EndEpisode``): do not bootstrap."""
    truncated: np.ndarray
    """``(n,)`` bool: the episode was interrupted (``MaxStep`` reached): bootstrap the value."""
    final_obs: tuple[np.ndarray, ...]
    """Per sensor ``(n, *shape)``: the last observation of the episode that ended (``obs`` elsewhere)."""
    action_mask: np.ndarray | None
    """``(n, sum(branches))`` bool, True = allowed, for the next decision; None without discrete actions."""
    success: np.ndarray
    """``(n,)`` bool: True where an episode just ended in the task's success condition."""
    group_id: np.ndarray | None = None
    """``(n,)`` int32 multi-agent group of each agent (ML-Agents' ``SimpleMultiAgentGroup``; 0 = no group);
    None for single-agent worlds. Agents of one group share ``group_reward`` and end their episodes together
    when the group's episode ends (``EndGroupEpisode``/``GroupEpisodeInterrupted``)."""
    group_reward: np.ndarray | None = None
    """``(n,)`` float32 group reward accumulated since the previous decision (``AddGroupReward``), the same
    for every member; None for single-agent worlds."""
    team_id: np.ndarray | None = None
    """``(n,)`` int32 team of each agent in an adversarial game (ML-Agents tells teams apart by behavior name,
    ``Name?team=N``, and trains them with self-play: ``rl.selfplay``); None when the behavior has no teams."""

    def select(self, rows: np.ndarray) -> StepBatch:
        """Return the same decision for the agents ``rows`` only (every per-agent field, in ``rows``' order).

        Args:
            rows: agent indices (or a boolean mask over the agents).

        Returns:
            A ``StepBatch`` of ``len(rows)`` agents.

        """

        def pick(values: np.ndarray | None) -> np.ndarray | None:
            return None if values is None else values[rows]

        return StepBatch(
            obs=tuple(o[rows] for o in self.obs),
            reward=self.reward[rows],
            terminated=self.terminated[rows],
            truncated=self.truncated[rows],
            final_obs=tuple(o[rows] for o in self.final_obs),
            action_mask=pick(self.action_mask),
            success=self.success[rows],
            group_id=pick(self.group_id),
            group_reward=pick(self.group_reward),
            team_id=pick(self.team_id),
        )


@runtime_checkable
class VectorEnv(Protocol):
    """A batch of agents of one behavior, stepped one decision at a time (the core the trainer drives)."""

    signature: BehaviorSignature
    num_agents: int

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Start a new episode for every agent; rewards are zero and no flags are set."""
        ...

    def step(self, actions: ActionTuple) -> StepBatch:
        """Apply one decision's actions to every agent and advance to the next decision."""
        ...

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Set environment (reset) parameters; each agent reads them at its next episode start."""
        ...

    def close(self) -> None:
        """Release resources."""
        ...


@runtime_checkable
class MultiBehaviorEnv(Protocol):
    """Several behaviors stepped together, each with its own agents and batch.

    One Academy with several ``BehaviorParameters`` names, as ML-Agents' ``UnityEnvironment`` serves them
    (asymmetric games such as Striker vs Goalie); ``rl.learn`` trains every behavior with its own trainer.
    """

    signatures: Mapping[str, BehaviorSignature]
    """Each behavior's signature, by name, in the environment's order."""
    num_agents: Mapping[str, int]
    """Agents of each behavior."""

    def reset(self, *, seed: int | None = None) -> dict[str, StepBatch]:
        """Start a new episode for every agent of every behavior."""
        ...

    def step(self, actions: Mapping[str, ActionTuple]) -> dict[str, StepBatch]:
        """Apply every behavior's actions at once and advance to the next decision."""
        ...

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Set environment (reset) parameters; each agent reads them at its next episode start."""
        ...

    def close(self) -> None:
        """Release resources."""
        ...
