"""``network_settings`` and its ``memory`` block (ML-Agents ``NetworkSettings``, ``MemorySettings``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._parse import MAX_SIZES, at_most, bounded, fields_dict, require
from .enums import ConditioningType, EncoderType


@dataclass(frozen=True)
class MemorySettings:
    """Recurrent memory (LSTM) of a policy; present only when the behavior uses memory."""

    sequence_length: int = 64
    """Length of the experience sequences the LSTM is trained on; must not exceed ``batch_size``."""
    memory_size: int = 128
    """Size of the LSTM state (``memory_size`` in the ONNX model); a positive even number."""

    def __post_init__(self) -> None:
        bounded(self, "sequence_length", 1)
        # The LSTM state is split into hidden and cell halves, so ML-Agents requires an even size.
        require(
            self.memory_size > 0 and self.memory_size % 2 == 0,
            self,
            "memory_size",
            f"must be a positive even number, got {self.memory_size!r}",
        )
        at_most(self, "memory_size", MAX_SIZES["memory_size"])

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key."""
        return fields_dict(self)


@dataclass(frozen=True)
class NetworkSettings:
    """Shape of the policy/critic networks (also used by GAIL/curiosity/RND encoders)."""

    normalize: bool = False
    """Keep a running mean/variance of vector observations and normalize them (baked into the ONNX)."""
    hidden_units: int = 128
    """Width of each hidden layer (Linear + Swish)."""
    num_layers: int = 2
    """Number of hidden layers."""
    vis_encode_type: EncoderType = EncoderType.SIMPLE
    """Encoder for visual observations: simple, nature_cnn, resnet, match3 or fully_connected."""
    memory: MemorySettings | None = None
    """Recurrent memory settings, or null for a feed-forward policy."""
    goal_conditioning_type: ConditioningType = ConditioningType.HYPER
    """How goal observations condition the network: hyper (hypernetwork) or none."""
    deterministic: bool = False
    """Take the most likely action instead of sampling (also set by ``--deterministic``)."""

    def __post_init__(self) -> None:
        bounded(self, "hidden_units", 1)
        bounded(self, "num_layers", 1)

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key (``memory: null`` when absent)."""
        return fields_dict(self)
