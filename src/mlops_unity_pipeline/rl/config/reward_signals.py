"""``reward_signals``: extrinsic, curiosity, GAIL and RND settings (the ``RewardSignalSettings`` family)."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from typing import Any

from ._parse import check_keys, fail, fields_dict, in_range, join, require, structure, to_enum, to_mapping
from .enums import RewardSignalType
from .network import NetworkSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RewardSignalSettings:
    """The ``extrinsic`` signal (the environment's reward) and the base of every other signal."""

    gamma: float = 0.99
    """Discount factor of this signal's returns."""
    strength: float = 1.0
    """Multiplier applied to this signal's reward."""
    network_settings: NetworkSettings = field(default_factory=NetworkSettings)
    """Encoder network of the signal (unused by extrinsic)."""

    def __post_init__(self) -> None:
        in_range(self, "gamma", 0.0, 1.0)

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key."""
        return fields_dict(self)


@dataclass(frozen=True)
class CuriositySettings(RewardSignalSettings):
    """Intrinsic curiosity module: reward for transitions the forward model predicts badly."""

    learning_rate: float = 3.0e-4
    """Learning rate of the curiosity model."""
    encoding_size: int | None = None
    """Deprecated: copied into ``network_settings.hidden_units`` when ``network_settings`` is not given."""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_learned_signal(self)


@dataclass(frozen=True)
class RNDSettings(RewardSignalSettings):
    """Random network distillation: reward for observations a trained net fails to predict."""

    learning_rate: float = 1.0e-4
    """Learning rate of the RND predictor."""
    encoding_size: int | None = None
    """Deprecated: copied into ``network_settings.hidden_units`` when ``network_settings`` is not given."""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_learned_signal(self)


@dataclass(frozen=True)
class GAILSettings(RewardSignalSettings):
    """Generative adversarial imitation: reward for behaving like the demonstrations in ``demo_path``."""

    learning_rate: float = 3.0e-4
    """Learning rate of the discriminator."""
    encoding_size: int | None = None
    """Deprecated: copied into ``network_settings.hidden_units`` when ``network_settings`` is not given."""
    use_actions: bool = False
    """Discriminate on observations and actions (true) or observations only (false)."""
    use_vail: bool = False
    """Use a variational information bottleneck in the discriminator."""
    demo_path: str = ""
    """Required: a ``.demo`` file or a folder of ``.demo`` files."""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_learned_signal(self)
        require(
            bool(self.demo_path), self, "demo_path", "is required (a .demo file or a folder of .demo files)"
        )


def _check_learned_signal(settings: CuriositySettings | RNDSettings | GAILSettings) -> None:
    # The checks every signal with its own model shares (curiosity, RND, GAIL).
    require(
        settings.learning_rate > 0, settings, "learning_rate", f"must be > 0, got {settings.learning_rate!r}"
    )
    require(
        settings.encoding_size is None or settings.encoding_size >= 1,
        settings,
        "encoding_size",
        f"must be >= 1, got {settings.encoding_size!r}",
    )


REWARD_SIGNALS: dict[RewardSignalType, type[RewardSignalSettings]] = {
    RewardSignalType.EXTRINSIC: RewardSignalSettings,
    RewardSignalType.CURIOSITY: CuriositySettings,
    RewardSignalType.GAIL: GAILSettings,
    RewardSignalType.RND: RNDSettings,
}
"""The settings class of each reward signal type."""


def default_reward_signals() -> dict[RewardSignalType, RewardSignalSettings]:
    """ML-Agents' default: only the extrinsic signal with gamma 0.99 and strength 1.0."""
    return {RewardSignalType.EXTRINSIC: RewardSignalSettings()}


def parse_reward_signal(kind: RewardSignalType, data: Any, path: str) -> RewardSignalSettings:
    """Strictly build one reward signal's settings, applying the deprecated ``encoding_size`` rule."""
    data = to_mapping(data, path)
    settings = structure(REWARD_SIGNALS[kind], data, path)
    encoding_size = getattr(settings, "encoding_size", None)
    if encoding_size is not None:
        logger.warning("%s.encoding_size is deprecated; use network_settings.hidden_units", path)
        if "network_settings" not in data:
            # ML-Agents: a legacy encoding_size becomes the encoder width when no network_settings is given.
            network = dataclasses.replace(settings.network_settings, hidden_units=encoding_size)
            settings = dataclasses.replace(settings, network_settings=network)
    return settings


def parse_reward_signals(data: Any, path: str) -> dict[RewardSignalType, RewardSignalSettings]:
    """Strictly build the ``reward_signals`` mapping (keys: extrinsic, curiosity, gail, rnd)."""
    data = to_mapping(data, path)
    check_keys(data, [t.value for t in RewardSignalType], path)
    signals: dict[RewardSignalType, RewardSignalSettings] = {}
    for key, value in data.items():
        kind = to_enum(RewardSignalType, key, join(path, key))
        signals[kind] = parse_reward_signal(kind, value, join(path, key))
    if not signals:
        raise fail(path, "needs at least one reward signal (e.g. extrinsic)")
    return signals
