"""``hyperparameters`` of each trainer type: ``PPOSettings``, ``SACSettings``, ``POCASettings``.

ML-Agents picks the class from the behavior's ``trainer_type`` (``HYPERPARAMETERS`` below is that mapping).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._parse import at_least, bounded, fields_dict, in_range, require, set_frozen
from .enums import ScheduleType, TrainerType


def _check_common(settings: Any) -> None:
    bounded(settings, "batch_size", 1)
    bounded(settings, "buffer_size", 1)
    require(
        settings.learning_rate > 0, settings, "learning_rate", f"must be > 0, got {settings.learning_rate!r}"
    )
    # A buffer smaller than one minibatch would never produce an update.
    require(
        settings.buffer_size >= settings.batch_size,
        settings,
        "buffer_size",
        f"must be >= batch_size ({settings.batch_size}), got {settings.buffer_size!r}",
    )


def _check_on_policy(settings: PPOSettings | POCASettings) -> None:
    _check_common(settings)
    at_least(settings, "beta", 0.0)
    require(settings.epsilon > 0, settings, "epsilon", f"must be > 0, got {settings.epsilon!r}")
    in_range(settings, "lambd", 0.0, 1.0)
    at_least(settings, "num_epoch", 1)
    # ML-Agents copies learning_rate_schedule into beta/epsilon schedules that are not given.
    if settings.beta_schedule is None:
        set_frozen(settings, "beta_schedule", settings.learning_rate_schedule)
    if settings.epsilon_schedule is None:
        set_frozen(settings, "epsilon_schedule", settings.learning_rate_schedule)


@dataclass(frozen=True)
class PPOSettings:
    """Proximal Policy Optimization hyperparameters (``trainer_type: ppo``)."""

    batch_size: int = 1024
    """Experiences per gradient-descent minibatch."""
    buffer_size: int = 10240
    """Experiences collected before each policy update (a multiple of ``batch_size`` is advised)."""
    learning_rate: float = 3.0e-4
    """Initial Adam learning rate."""
    beta: float = 5.0e-3
    """Entropy regularization strength."""
    epsilon: float = 0.2
    """Clipping range of the PPO surrogate objective (and of the value function)."""
    lambd: float = 0.95
    """GAE lambda."""
    num_epoch: int = 3
    """Passes through the buffer per update."""
    shared_critic: bool = False
    """Share one network body between actor and critic."""
    learning_rate_schedule: ScheduleType = ScheduleType.LINEAR
    """constant, or linear decay to 1e-10 over ``max_steps``."""
    beta_schedule: ScheduleType | None = None
    """Schedule of ``beta`` (linear decays to 1e-5); null means ``learning_rate_schedule``."""
    epsilon_schedule: ScheduleType | None = None
    """Schedule of ``epsilon`` (linear decays to 0.1); null means ``learning_rate_schedule``."""

    def __post_init__(self) -> None:
        _check_on_policy(self)

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key (schedules resolved)."""
        return fields_dict(self)


@dataclass(frozen=True)
class POCASettings:
    """MA-POCA hyperparameters (``trainer_type: poca``); PPO's keys without ``shared_critic``."""

    batch_size: int = 1024
    """Experiences per gradient-descent minibatch."""
    buffer_size: int = 10240
    """Experiences collected before each policy update."""
    learning_rate: float = 3.0e-4
    """Initial Adam learning rate."""
    beta: float = 5.0e-3
    """Entropy regularization strength."""
    epsilon: float = 0.2
    """Clipping range of the surrogate objective."""
    lambd: float = 0.95
    """GAE lambda."""
    num_epoch: int = 3
    """Passes through the buffer per update."""
    learning_rate_schedule: ScheduleType = ScheduleType.LINEAR
    """constant, or linear decay to 1e-10 over ``max_steps``."""
    beta_schedule: ScheduleType | None = None
    """Schedule of ``beta`` (linear decays to 1e-5); null means ``learning_rate_schedule``."""
    epsilon_schedule: ScheduleType | None = None
    """Schedule of ``epsilon`` (linear decays to 0.1); null means ``learning_rate_schedule``."""

    def __post_init__(self) -> None:
        _check_on_policy(self)

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key (schedules resolved)."""
        return fields_dict(self)


@dataclass(frozen=True)
class SACSettings:
    """Soft Actor-Critic hyperparameters (``trainer_type: sac``)."""

    batch_size: int = 128
    """Experiences per gradient step."""
    buffer_size: int = 50000
    """Capacity of the replay buffer."""
    learning_rate: float = 3.0e-4
    """Adam learning rate of policy, critics and entropy coefficient."""
    learning_rate_schedule: ScheduleType = ScheduleType.CONSTANT
    """constant, or linear decay over ``max_steps``."""
    buffer_init_steps: int = 0
    """Experiences collected (with the initial policy) before the first update."""
    tau: float = 0.005
    """Polyak averaging rate of the target Q networks."""
    steps_per_update: float = 1.0
    """Environment steps (across agents) per gradient step."""
    save_replay_buffer: bool = False
    """Save the replay buffer with checkpoints so a resumed run keeps it."""
    init_entcoef: float = 1.0
    """Initial entropy coefficient alpha."""
    reward_signal_steps_per_update: float | None = None
    """Steps per reward-signal (GAIL, curiosity) update; null means ``steps_per_update``."""

    def __post_init__(self) -> None:
        _check_common(self)
        at_least(self, "buffer_init_steps", 0)
        require(0.0 < self.tau <= 1.0, self, "tau", f"must be in (0, 1], got {self.tau!r}")
        require(
            self.steps_per_update > 0, self, "steps_per_update", f"must be > 0, got {self.steps_per_update!r}"
        )
        require(self.init_entcoef > 0, self, "init_entcoef", f"must be > 0, got {self.init_entcoef!r}")
        if self.reward_signal_steps_per_update is None:
            set_frozen(self, "reward_signal_steps_per_update", self.steps_per_update)
        value = self.reward_signal_steps_per_update
        require(
            value is not None and value > 0,
            self,
            "reward_signal_steps_per_update",
            f"must be > 0, got {value!r}",
        )

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key (``reward_signal_steps_per_update`` resolved)."""
        return fields_dict(self)


HyperparamSettings = PPOSettings | SACSettings | POCASettings
"""Any trainer's hyperparameters."""

HYPERPARAMETERS: dict[TrainerType, type[PPOSettings] | type[SACSettings] | type[POCASettings]] = {
    TrainerType.PPO: PPOSettings,
    TrainerType.SAC: SACSettings,
    TrainerType.POCA: POCASettings,
}
"""The hyperparameters class of each trainer type."""
