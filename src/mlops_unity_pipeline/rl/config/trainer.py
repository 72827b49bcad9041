"""Per-behavior settings: ``TrainerSettings`` with its ``self_play`` and ``behavioral_cloning`` blocks."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...errors import ConfigError
from ._parse import (
    Converter,
    at_least,
    bounded,
    deep_merge,
    fail,
    fields_dict,
    in_range,
    join,
    require,
    set_frozen,
    structure,
    to_enum,
    to_float,
    to_mapping,
)
from .enums import RewardSignalType, TrainerType
from .hyperparameters import HYPERPARAMETERS, HyperparamSettings
from .network import NetworkSettings
from .reward_signals import RewardSignalSettings, default_reward_signals, parse_reward_signals

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SelfPlaySettings:
    """Self-play with a ghost trainer (adversarial games; ML-Agents ``SelfPlaySettings``)."""

    save_steps: int = 20000
    """Trainer steps between snapshots of the learning policy added to the opponent pool."""
    team_change: int | None = None
    """Trainer steps between switches of the learning team; null means ``save_steps * 5``."""
    swap_steps: int = 2000
    """Ghost steps between swaps of the opponent's policy."""
    window: int = 10
    """Number of past snapshots opponents are sampled from."""
    play_against_latest_model_ratio: float = 0.5
    """Probability of playing against the latest policy instead of a past snapshot."""
    initial_elo: float = 1200.0
    """Initial ELO rating."""

    def __post_init__(self) -> None:
        at_least(self, "save_steps", 1)
        if self.team_change is None:
            set_frozen(self, "team_change", self.save_steps * 5)
        at_least(self, "team_change", 1)
        at_least(self, "swap_steps", 1)
        at_least(self, "window", 1)
        in_range(self, "play_against_latest_model_ratio", 0.0, 1.0)

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key (``team_change`` resolved)."""
        return fields_dict(self)


@dataclass(frozen=True)
class BehavioralCloningSettings:
    """Behavioral cloning from demonstrations, as an auxiliary loss of PPO/SAC/POCA."""

    demo_path: str = ""
    """Required: a ``.demo`` file or a folder of ``.demo`` files."""
    steps: int = 0
    """Trainer steps over which the BC strength decays linearly to 0; 0 means constant strength."""
    strength: float = 1.0
    """Weight of the BC loss relative to the RL loss."""
    samples_per_update: int = 0
    """Demonstration samples per update; 0 means all of them."""
    num_epoch: int | None = None
    """Passes over the demonstrations per update; null means the trainer's ``num_epoch``."""
    batch_size: int | None = None
    """Demonstration minibatch size; null means the trainer's ``batch_size``."""

    def __post_init__(self) -> None:
        require(
            bool(self.demo_path), self, "demo_path", "is required (a .demo file or a folder of .demo files)"
        )
        at_least(self, "steps", 0)
        at_least(self, "strength", 0.0)
        at_least(self, "samples_per_update", 0)
        require(
            self.num_epoch is None or self.num_epoch >= 1,
            self,
            "num_epoch",
            f"must be >= 1, got {self.num_epoch!r}",
        )
        require(
            self.batch_size is None or self.batch_size >= 1,
            self,
            "batch_size",
            f"must be >= 1, got {self.batch_size!r}",
        )

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key."""
        return fields_dict(self)


@dataclass(frozen=True)
class TrainerSettings:
    """Everything about training one behavior (one entry under ``behaviors:``)."""

    trainer_type: TrainerType = TrainerType.PPO
    """ppo, sac or poca."""
    hyperparameters: HyperparamSettings | None = None
    """The trainer's hyperparameters; null means the defaults of ``trainer_type`` (resolved at init)."""
    network_settings: NetworkSettings = field(default_factory=NetworkSettings)
    """Policy and critic network shape."""
    reward_signals: dict[RewardSignalType, RewardSignalSettings] = field(
        default_factory=default_reward_signals
    )
    """Reward signals by type; the default is extrinsic only (gamma 0.99, strength 1.0)."""
    init_path: str | None = None
    """Checkpoint (``.pt``) to initialize from; a bare file name is looked up in the initialize-from run."""
    keep_checkpoints: int = 5
    """How many ``<Behavior>-<step>`` checkpoints to keep (older ones are deleted)."""
    even_checkpoints: bool = False
    """Space checkpoints evenly: interval = ``max_steps / keep_checkpoints`` (see ``checkpoint_every``)."""
    checkpoint_interval: int = 500000
    """Trainer steps between checkpoints (ignored when ``even_checkpoints``)."""
    max_steps: int = 500000
    """Trainer steps (agent decisions over all agents of the behavior) before training ends."""
    time_horizon: int = 64
    """Steps per agent collected before a trajectory is cut (and bootstrapped) for the buffer."""
    summary_freq: int = 50000
    """Trainer steps between statistics summaries (console line, TensorBoard)."""
    threaded: bool = False
    """Update the policy while the environment steps (ML-Agents' threaded trainer)."""
    self_play: SelfPlaySettings | None = None
    """Self-play settings, or null."""
    behavioral_cloning: BehavioralCloningSettings | None = None
    """Behavioral cloning settings, or null."""

    def __post_init__(self) -> None:
        expected = HYPERPARAMETERS[self.trainer_type]
        if self.hyperparameters is None:
            set_frozen(self, "hyperparameters", expected())
        require(
            type(self.hyperparameters) is expected,
            self,
            "hyperparameters",
            f"trainer_type {self.trainer_type.value} needs {expected.__name__}, "
            f"got {type(self.hyperparameters).__name__}",
        )
        require(bool(self.reward_signals), self, "reward_signals", "needs at least one reward signal")
        at_least(self, "keep_checkpoints", 0)
        at_least(self, "checkpoint_interval", 1)
        at_least(self, "max_steps", 1)
        bounded(self, "time_horizon", 1)
        at_least(self, "summary_freq", 1)
        require(
            not (self.even_checkpoints and self.keep_checkpoints < 1),
            self,
            "keep_checkpoints",
            "must be >= 1 when even_checkpoints is true",
        )
        memory = self.network_settings.memory
        if memory is not None:
            batch_size = self.hp.batch_size
            require(
                memory.sequence_length <= batch_size,
                self,
                "network_settings.memory.sequence_length",
                f"must be <= hyperparameters.batch_size ({batch_size}), got {memory.sequence_length}",
            )

    @property
    def hp(self) -> HyperparamSettings:
        """The hyperparameters, typed as never null (they are resolved at construction)."""
        assert self.hyperparameters is not None  # invariant: resolved in __post_init__
        return self.hyperparameters

    @property
    def checkpoint_every(self) -> int:
        """The effective checkpoint interval: ``int(max_steps / keep_checkpoints)`` with ``even_checkpoints``.

        ML-Agents' ``RLTrainer`` derives it the same way; otherwise it is ``checkpoint_interval``.
        """
        if self.even_checkpoints:
            return max(1, int(self.max_steps / self.keep_checkpoints))
        return self.checkpoint_interval

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key, as ``mlagents-learn`` writes it in ``configuration.yaml``."""
        return fields_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, path: str = "behavior") -> TrainerSettings:
        """Strictly build a behavior's settings from its YAML mapping (see ``parse_trainer_settings``)."""
        return parse_trainer_settings(data, path)


def _max_steps(value: Any, path: str) -> int:
    # ML-Agents parses max_steps as int(float(v)): "5.0e5" and 1.0e7 are accepted, fractions truncated.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(to_float(value, path))
    except ConfigError:
        raise fail(path, f"expected a number of steps, got {value!r}") from None


_TOLERATED = ("framework",)


def parse_trainer_settings(
    data: Mapping[str, Any] | None,
    path: str,
    default: TrainerSettings | None = None,
) -> TrainerSettings:
    """Strictly build ``TrainerSettings`` from one behavior's YAML mapping.

    Args:
        data: the behavior's mapping (``None`` = all defaults).
        path: section path for error messages (``behaviors.3DBall``).
        default: ``default_settings`` to deep-merge under ``data`` (ML-Agents ``default_override``). When the
            behavior names another ``trainer_type`` than the default, the default's hyperparameters are not
            merged (they belong to another trainer).

    Returns:
        The validated settings.

    Raises:
        ConfigError: unknown key, bad value, hyperparameters without trainer_type, missing demo_path, ….

    """
    data = dict(to_mapping(data if data is not None else {}, path))
    if "framework" in data:
        logger.warning(
            "%s.framework is ignored: only PyTorch is supported (as in ML-Agents Release 22)", path
        )
    if "hyperparameters" in data and "trainer_type" not in data and default is None:
        raise fail(
            join(path, "hyperparameters"), "given without trainer_type (needed to know which keys apply)"
        )
    if default is not None:
        base = default.to_dict()
        if "trainer_type" in data:
            kind = to_enum(TrainerType, data["trainer_type"], join(path, "trainer_type"))
            if kind is not default.trainer_type:
                base.pop("hyperparameters")
        data = deep_merge(base, data)
    kind = to_enum(TrainerType, data.get("trainer_type", TrainerType.PPO.value), join(path, "trainer_type"))

    def hyperparameters(value: Any, p: str) -> Any:
        return structure(HYPERPARAMETERS[kind], value, p)

    converters: dict[str, Converter] = {
        "hyperparameters": hyperparameters,
        "reward_signals": parse_reward_signals,
        "max_steps": _max_steps,
        "trainer_type": lambda v, p: kind,
    }
    return structure(TrainerSettings, data, path, converters=converters, tolerated=_TOLERATED)
