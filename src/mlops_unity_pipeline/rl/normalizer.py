"""Running observation normalization, kept inside the policy so it is exported with the ONNX graph."""

from __future__ import annotations

import torch
from torch import nn

CLIP = 5.0
"""Normalized observations are clamped to ±CLIP (ML-Agents ``Normalizer``, ``torch_entities/encoders.py``)."""


class RunningNormalizer(nn.Module):
    """Per-feature running mean and variance (parallel Welford), applied as ``clamp((x - mean) / std, ±5)``.

    The state lives in buffers (``count``, ``mean``, ``m2``) so it is saved in checkpoints and baked into the
    exported graph as constants. Like ML-Agents, the statistics start from one pseudo-sample with mean 0 and
    variance 1, so a normalizer that never saw data is the identity (then clamped).
    """

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self.register_buffer("count", torch.ones(()))
        self.register_buffer("mean", torch.zeros(size))
        self.register_buffer("m2", torch.ones(size))

    @torch.no_grad()
    def update(self, batch: torch.Tensor) -> None:
        """Fold a batch ``(n, size)`` of raw observations into the running statistics.

        Args:
            batch: raw observations, one row per sample.

        """
        batch = batch.reshape(-1, self.size).to(self.mean.dtype)
        n = batch.shape[0]
        if n == 0:
            return
        total = self.count + n
        delta_old = batch - self.mean
        new_mean = self.mean + delta_old.sum(0) / total
        # Welford/Chan: M2 += sum((x - new_mean) * (x - old_mean)) keeps the update exact for any batch size.
        self.m2.add_(((batch - new_mean) * delta_old).sum(0))
        self.mean.copy_(new_mean)
        self.count.copy_(total)

    @property
    def variance(self) -> torch.Tensor:
        """Current per-feature variance estimate."""
        return self.m2 / self.count

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        """Normalize observations (the same ops run in torch and in the exported ONNX graph).

        Args:
            obs: raw observations ``(batch, size)``.

        Returns:
            The normalized, clamped observations.

        """
        return torch.clamp((obs - self.mean) / torch.sqrt(self.m2 / self.count), -CLIP, CLIP)
