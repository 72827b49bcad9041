"""Observation encoders for behaviors with visual observations (``network_settings.vis_encode_type``).

ML-Agents Release 22 (``trainers/torch_entities/networks.py`` ``ObservationEncoder``) builds one processor per
observation spec and concatenates their outputs before the ``num_layers`` x ``hidden_units`` body: a vector
observation passes through (normalized when ``normalize``), a visual one through the chosen CNN whose output
width is ``hidden_units``. Architectures, layer sizes, the ``1.41`` Kaiming gain of the dense layer and the
minimum resolutions are those of upstream ``torch_entities/encoders.py`` and ``torch_entities/utils.py``
(``ModelUtils.MIN_RESOLUTION_FOR_ENCODER``); only the facts carry over, not the code.

The trainer keeps every agent's observations as one flat float row (sensors concatenated in order, see
``base.flatten_obs``), so the encoder slices that row per sensor and reshapes visual slices back to
channels-first ``(C, H, W)``, the layout this project's ``ObservationSpec`` and ML-Agents' exported models use
(``torch_entities/model_serialization.py``: ``obs_i`` visual ``[batch, C, H, W]``). A behavior with vector
observations only keeps the plain normalizer + MLP path (mathematically what upstream computes for several
vector inputs: per-feature normalization commutes with concatenation), so the fused PPO kernels still apply to
it.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ..errors import ConfigError, TrainError
from ..spaces import BehaviorSignature
from .attention import EntityAttention
from .layers import linear_layer
from .normalizer import CLIP, RunningNormalizer

VIS_ENCODE_SETTING = "network_settings.vis_encode_type"
"""The configuration key that chooses the visual encoder (named in resolution errors)."""
MIN_RESOLUTION = {"fully_connected": 1, "match3": 5, "simple": 20, "nature_cnn": 36, "resnet": 15}
"""Smallest height and width each encoder accepts (upstream ``ModelUtils.MIN_RESOLUTION_FOR_ENCODER``)."""
DENSE_GAIN = 1.41
"""Kaiming gain of every visual encoder's dense layer (upstream: "Use ReLU gain")."""


def conv_output_hw(hw: tuple[int, int], kernel: int, stride: int = 1, padding: int = 0) -> tuple[int, int]:
    """Height and width after a square ``nn.Conv2d`` (the formula of torch's ``Conv2d`` docs, dilation 1).

    Args:
        hw: input height and width.
        kernel: kernel side.
        stride: stride.
        padding: zero padding on each side.

    Returns:
        The output height and width.

    """
    return tuple((d + 2 * padding - kernel) // stride + 1 for d in hw)  # type: ignore[return-value]


class _ConvEncoder(nn.Module):
    """Convolutions, flatten, then Linear + LeakyReLU to ``out_size`` (upstream's conv encoders' shape)."""

    def __init__(self, convs: list[tuple[int, int, int]], shape: tuple[int, int, int], out_size: int) -> None:
        super().__init__()
        channels, height, width = shape
        layers: list[nn.Module] = []
        hw = (height, width)
        for out_channels, kernel, stride in convs:
            layers += [nn.Conv2d(channels, out_channels, kernel, stride), nn.LeakyReLU()]
            channels, hw = out_channels, conv_output_hw(hw, kernel, stride)
        self.conv = nn.Sequential(*layers)
        self.flat_size = channels * hw[0] * hw[1]
        self.dense = nn.Sequential(linear_layer(self.flat_size, out_size, DENSE_GAIN), nn.LeakyReLU())
        self.out_size = out_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode ``(batch, C, H, W)`` images into ``(batch, out_size)`` features."""
        return self.dense(self.conv(x).reshape(-1, self.flat_size))


class SimpleVisualEncoder(_ConvEncoder):
    """``simple``: 16 8x8/4 and 32 4x4/2 convolutions (upstream ``SimpleVisualEncoder``)."""

    def __init__(self, shape: tuple[int, int, int], out_size: int) -> None:
        super().__init__([(16, 8, 4), (32, 4, 2)], shape, out_size)


class NatureVisualEncoder(_ConvEncoder):
    """``nature_cnn``: Mnih et al. 2015's 32 8x8/4, 64 4x4/2, 64 3x3/1 (upstream ``NatureVisualEncoder``)."""

    def __init__(self, shape: tuple[int, int, int], out_size: int) -> None:
        super().__init__([(32, 8, 4), (64, 4, 2), (64, 3, 1)], shape, out_size)


class Match3VisualEncoder(_ConvEncoder):
    """``match3``: 35 and 144 3x3/1 convolutions for small boards (upstream ``SmallVisualEncoder``)."""

    def __init__(self, shape: tuple[int, int, int], out_size: int) -> None:
        super().__init__([(35, 3, 1), (144, 3, 1)], shape, out_size)


class FullyConnectedVisualEncoder(nn.Module):
    """``fully_connected``: the flattened image through one Linear + LeakyReLU (upstream's namesake)."""

    def __init__(self, shape: tuple[int, int, int], out_size: int) -> None:
        super().__init__()
        self.flat_size = shape[0] * shape[1] * shape[2]
        self.dense = nn.Sequential(linear_layer(self.flat_size, out_size, DENSE_GAIN), nn.LeakyReLU())
        self.out_size = out_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode ``(batch, C, H, W)`` images into ``(batch, out_size)`` features."""
        return self.dense(x.reshape(-1, self.flat_size))


class ResNetBlock(nn.Module):
    """``x + conv(swish(conv(swish(x))))`` with 3x3 same-padding convolutions (IMPALA's residual block)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.SiLU(),
            nn.Conv2d(channels, channels, 3, 1, 1),
            nn.SiLU(),
            nn.Conv2d(channels, channels, 3, 1, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the residual block."""
        return x + self.layers(x)


class ResNetVisualEncoder(nn.Module):
    """``resnet``: three stacks (16, 32, 32 channels) of conv, 3x3/2 max-pool and two residual blocks.

    Then Swish, flatten and Linear + ReLU to ``out_size`` (upstream ``ResNetVisualEncoder``, after Espeholt et
    al. 2018's IMPALA network).
    """

    STACKS = (16, 32, 32)

    def __init__(self, shape: tuple[int, int, int], out_size: int) -> None:
        super().__init__()
        channels, height, width = shape
        layers: list[nn.Module] = []
        hw = (height, width)
        for out_channels in self.STACKS:
            layers += [nn.Conv2d(channels, out_channels, 3, 1, 1), nn.MaxPool2d(3, 2)]
            layers += [ResNetBlock(out_channels), ResNetBlock(out_channels)]
            channels, hw = out_channels, conv_output_hw(hw, 3, 2)
        layers.append(nn.SiLU())
        self.body = nn.Sequential(*layers)
        self.flat_size = channels * hw[0] * hw[1]
        self.dense = linear_layer(self.flat_size, out_size, DENSE_GAIN)
        self.out_size = out_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode ``(batch, C, H, W)`` images into ``(batch, out_size)`` features."""
        return torch.relu(self.dense(self.body(x).reshape(-1, self.flat_size)))


VISUAL_ENCODERS: dict[str, type[nn.Module]] = {
    "simple": SimpleVisualEncoder,
    "nature_cnn": NatureVisualEncoder,
    "resnet": ResNetVisualEncoder,
    "match3": Match3VisualEncoder,
    "fully_connected": FullyConnectedVisualEncoder,
}
"""``vis_encode_type`` value -> encoder class (every value of the Release 22 schema)."""


def _kind(vis_encode_type: Any) -> str:
    return str(getattr(vis_encode_type, "value", vis_encode_type))


def visual_encoder(vis_encode_type: Any, shape: tuple[int, ...], out_size: int, *, name: str) -> nn.Module:
    """Build the encoder for one visual observation, checking ML-Agents' minimum resolution.

    Args:
        vis_encode_type: a ``VisEncodeType`` or its string value.
        shape: the observation's ``(C, H, W)``.
        out_size: feature width (``hidden_units``).
        name: the observation's input name for messages (``obs_0``).

    Returns:
        The encoder module (``forward((batch, C, H, W)) -> (batch, out_size)``).

    Raises:
        ConfigError: an unknown encoder, or an image smaller than the encoder's minimum side.

    """
    kind = _kind(vis_encode_type)
    if kind not in VISUAL_ENCODERS:
        raise ConfigError(f"{VIS_ENCODE_SETTING}: '{kind}' is not one of {sorted(VISUAL_ENCODERS)}")
    channels, height, width = shape
    minimum = MIN_RESOLUTION[kind]
    if height < minimum or width < minimum:
        raise ConfigError(
            f"{VIS_ENCODE_SETTING}: {name} is {width}x{height} (width x height), too small for '{kind}', "
            f"whose minimum side is {minimum}; choose an encoder with a smaller minimum "
            f"({', '.join(f'{k} {v}' for k, v in MIN_RESOLUTION.items())}) or a larger sensor"
        )
    return VISUAL_ENCODERS[kind]((channels, height, width), out_size)


def has_visual(signature: BehaviorSignature) -> bool:
    """Tell whether a behavior has a visual or variable-length observation (needs ``ObservationEncoder``)."""
    return any(len(spec.shape) != 1 for spec in signature.observation_specs)


def _layout(signature: BehaviorSignature) -> list[tuple[int, int, tuple[int, ...]]]:
    # (start, end, shape) of each sensor's slice of the flat row, in sensor order.
    spans, start = [], 0
    for spec in signature.observation_specs:
        spans.append((start, start + spec.size, spec.shape))
        start += spec.size
    return spans


class VectorNormalizer(RunningNormalizer):
    """A ``RunningNormalizer`` over the vector sensors' columns of a flat row; visual columns pass untouched.

    Upstream normalizes vector inputs only (``VectorInput``); pixels arrive in [0, 1] and go straight to the
    CNN. Same statistics, clamp and checkpoint buffers as ``RunningNormalizer`` (its ``size`` is the number of
    vector columns), and the same ``update(flat)`` / ``forward(flat)`` contract the trainers call.

    Args:
        signature: the behavior; needs at least one vector observation.

    """

    def __init__(self, signature: BehaviorSignature) -> None:
        self.spans = [(a, b, len(shape) == 1) for a, b, shape in _layout(signature)]
        self.row_size = self.spans[-1][1]
        super().__init__(sum(b - a for a, b, vector in self.spans if vector))

    def _vector_columns(self, rows: torch.Tensor) -> torch.Tensor:
        return torch.cat([rows[:, a:b] for a, b, vector in self.spans if vector], dim=1)

    @torch.no_grad()
    def update(self, batch: torch.Tensor) -> None:
        """Fold a batch ``(n, row_size)`` of raw flat rows into the vector columns' statistics."""
        super().update(self._vector_columns(batch.reshape(-1, self.row_size)))

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        """Normalize the vector columns of ``(batch, row_size)`` flat rows, in place of the raw ones."""
        parts, offset = [], 0
        std = torch.sqrt(self.m2 / self.count)
        for a, b, vector in self.spans:
            part = obs[:, a:b]
            if vector:
                n = b - a
                mean, scale = self.mean[offset : offset + n], std[offset : offset + n]
                part = torch.clamp((part - mean) / scale, -CLIP, CLIP)
                offset += n
            parts.append(part)
        return torch.cat(parts, dim=1)


def observation_normalizer(signature: BehaviorSignature) -> RunningNormalizer | None:
    """Build the normalizer of a behavior's flat rows: all columns, vector columns only, or None (no vector).

    Args:
        signature: the behavior.

    Returns:
        A ``RunningNormalizer`` for vector-only behaviors, a ``VectorNormalizer`` when visual sensors are
        mixed in, None when there is no vector observation to normalize.

    """
    if not has_visual(signature):
        return RunningNormalizer(sum(spec.size for spec in signature.observation_specs))
    if all(len(spec.shape) != 1 for spec in signature.observation_specs):
        return None
    return VectorNormalizer(signature)


class ObservationEncoder(nn.Module):
    """One processor per sensor over (normalized) flat rows; outputs concatenated in sensor order.

    Vector slices pass through; each visual slice is reshaped to ``(batch, C, H, W)`` and encoded to
    ``hidden_units`` features by the ``vis_encode_type`` encoder (upstream ``ObservationEncoder``). Variable-
    length slices (rank 2, ``(max_entities, entity_size)``) go through ``attention.EntityAttention`` with the
    other sensors' encoding as "self"; its 128 features come last, as upstream appends them.

    Args:
        signature: the behavior.
        hidden_units: each visual encoder's output width.
        vis_encode_type: ``network_settings.vis_encode_type``.

    Raises:
        ConfigError: a visual observation below the encoder's minimum resolution.
        TrainError: an observation of rank above 3.

    """

    def __init__(self, signature: BehaviorSignature, hidden_units: int, vis_encode_type: Any) -> None:
        super().__init__()
        self.spans: list[tuple[int, int, tuple[int, ...] | None]] = []
        self.visual = nn.ModuleList()
        self.out_size = 0
        self.entity_spans: list[tuple[int, int, tuple[int, ...]]] = []
        for i, (start, end, shape) in enumerate(_layout(signature)):
            if len(shape) == 1:
                self.spans.append((start, end, None))
                self.out_size += end - start
            elif len(shape) == 3:
                self.visual.append(visual_encoder(vis_encode_type, shape, hidden_units, name=f"obs_{i}"))
                self.spans.append((start, end, shape))
                self.out_size += hidden_units
            elif len(shape) == 2:
                self.entity_spans.append((start, end, shape))
            else:
                raise TrainError(
                    f"behavior '{signature.name}': obs_{i} has shape {shape}; the built-in trainer encodes "
                    "vector (N,), variable-length (max_entities, entity_size) and visual (C, H, W) "
                    "observations only"
                )
        self.attention: EntityAttention | None = None
        if self.entity_spans:
            shapes = [(shape[0], shape[1]) for _, _, shape in self.entity_spans]
            self.attention = EntityAttention(shapes, self.out_size)
            self.out_size += self.attention.out_size

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        """Encode ``(batch, row_size)`` flat rows (vector columns already normalized) into features.

        Args:
            obs: the flat rows.

        Returns:
            ``(batch, out_size)``: vector columns and visual features, in sensor order.

        """
        parts = []
        encoders = iter(self.visual)
        for start, end, shape in self.spans:
            part = obs[:, start:end]
            if shape is not None:
                part = next(encoders)(part.reshape(-1, *shape))
            parts.append(part)
        encoded = (torch.cat(parts, dim=1) if len(parts) > 1 else parts[0]) if parts else None
        if self.attention is None:
            assert encoded is not None  # internal invariant: a behavior has at least one observation
            return encoded
        entities = [obs[:, start:end].reshape(-1, *shape) for start, end, shape in self.entity_spans]
        pooled = self.attention(encoded, entities)
        return pooled if encoded is None else torch.cat([encoded, pooled], dim=1)


__all__ = [
    "MIN_RESOLUTION",
    "VISUAL_ENCODERS",
    "FullyConnectedVisualEncoder",
    "Match3VisualEncoder",
    "NatureVisualEncoder",
    "ObservationEncoder",
    "ResNetBlock",
    "ResNetVisualEncoder",
    "SimpleVisualEncoder",
    "VectorNormalizer",
    "conv_output_hw",
    "has_visual",
    "observation_normalizer",
    "visual_encoder",
]
