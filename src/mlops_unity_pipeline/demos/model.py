"""The in-memory form of a demonstration: its meta record, one ``DemoStep`` per recorded agent step."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import SpecError
from ..spaces import BehaviorSignature


@dataclass(frozen=True)
class DemoMeta:
    """The ``DemonstrationMetaProto`` record at byte 0 of a ``.demo`` file."""

    name: str
    """``demonstration_name`` (Unity's recorder keeps at most 16 characters)."""
    api_version: int
    """Demonstration format version (ML-Agents reads versions 0 and 1)."""
    number_steps: int
    """Number of recorded agent steps (pairs) in the file."""
    number_episodes: int
    """Number of episodes that ended in the recording."""
    mean_reward: float
    """Sum of the recorded rewards divided by ``number_episodes``."""

    def __post_init__(self) -> None:
        if self.number_steps < 0 or self.number_episodes < 0:
            raise SpecError(
                f"demo meta: counts must be >= 0, got steps={self.number_steps} "
                f"episodes={self.number_episodes}"
            )


@dataclass(frozen=True, eq=False)
class DemoStep:
    """One recorded agent step: what the agent saw and the action stored with it.

    Equality compares every array exactly (``numpy.array_equal``), so a round trip can be checked with ``==``.
    """

    obs: tuple[np.ndarray, ...]
    """Per sensor, float32 of the sensor's shape (PNG observations decoded to [0, 1])."""
    reward: float = 0.0
    """Reward received since the previous step (rounded to float32, as stored)."""
    done: bool = False
    """The episode ended at this step."""
    max_step_reached: bool = False
    """The episode was interrupted by ``MaxStep`` (only meaningful with ``done``)."""
    continuous_actions: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    """``(continuous_size,)`` float32."""
    discrete_actions: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    """``(num_branches,)`` int32 branch indices."""
    action_mask: np.ndarray | None = None
    """``(sum(branches),)`` bool, True = allowed (the proto stores the inverse); None when not recorded."""
    agent_id: int = 0
    """Unity's agent id."""
    group_id: int = 0
    """Multi-agent group id (0 = none)."""
    group_reward: float = 0.0
    """Group reward received since the previous step."""

    def __post_init__(self) -> None:
        # rewards travel as float32 in AgentInfoProto: round here so a step equals what reads back
        object.__setattr__(self, "reward", float(np.float32(self.reward)))
        object.__setattr__(self, "group_reward", float(np.float32(self.group_reward)))
        object.__setattr__(self, "obs", tuple(np.asarray(o, dtype=np.float32) for o in self.obs))
        object.__setattr__(
            self, "continuous_actions", np.asarray(self.continuous_actions, np.float32).reshape(-1)
        )
        object.__setattr__(self, "discrete_actions", np.asarray(self.discrete_actions, np.int32).reshape(-1))
        if self.action_mask is not None:
            object.__setattr__(self, "action_mask", np.asarray(self.action_mask, bool).reshape(-1))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DemoStep):
            return NotImplemented
        same_mask = (self.action_mask is None and other.action_mask is None) or (
            self.action_mask is not None
            and other.action_mask is not None
            and np.array_equal(self.action_mask, other.action_mask)
        )
        return (
            len(self.obs) == len(other.obs)
            and all(
                a.shape == b.shape and np.array_equal(a, b) for a, b in zip(self.obs, other.obs, strict=True)
            )
            and _same_float(self.reward, other.reward)
            and self.done == other.done
            and self.max_step_reached == other.max_step_reached
            and np.array_equal(self.continuous_actions, other.continuous_actions)
            and np.array_equal(self.discrete_actions, other.discrete_actions)
            and same_mask
            and self.agent_id == other.agent_id
            and self.group_id == other.group_id
            and _same_float(self.group_reward, other.group_reward)
        )

    __hash__ = None  # type: ignore[assignment]  # mutable arrays inside: not hashable, like numpy arrays


def _same_float(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@dataclass(frozen=True)
class Demonstration:
    """A whole ``.demo`` file: where it came from, its meta record, the behavior and the steps."""

    path: Path | None
    """The file read (None for one built in memory)."""
    meta: DemoMeta
    """The meta record."""
    signature: BehaviorSignature
    """Behavior name (``brain_name``), observation specs (from the first step) and action spec."""
    steps: list[DemoStep]
    """Every recorded step, in file order."""

    @property
    def behavior_name(self) -> str:
        """The recorded behavior's name (``BrainParametersProto.brain_name``)."""
        return self.signature.name

    @property
    def observation_shapes(self) -> list[tuple[int, ...]]:
        """Shape of each sensor's observation."""
        return [spec.shape for spec in self.signature.observation_specs]

    def summary(self) -> dict[str, object]:
        """Describe the file as JSON-ready data (what ``mlops-unity demo info --json`` prints)."""
        spec = self.signature.action_spec
        return {
            "path": str(self.path) if self.path is not None else None,
            "name": self.meta.name,
            "behavior_name": self.behavior_name,
            "api_version": self.meta.api_version,
            "steps": self.meta.number_steps,
            "episodes": self.meta.number_episodes,
            "mean_reward": float(self.meta.mean_reward),
            "observation_shapes": [list(s) for s in self.observation_shapes],
            "observation_names": [s.name for s in self.signature.observation_specs],
            "action_spec": {
                "continuous_size": spec.continuous_size,
                "discrete_branches": list(spec.discrete_branches),
            },
        }
