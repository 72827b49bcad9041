"""Linear layers initialized as ML-Agents initializes them (one helper for networks, encoders and GAIL)."""

from __future__ import annotations

from torch import nn


def linear_layer(in_size: int, out_size: int, gain: float = 1.0) -> nn.Linear:
    """Return ``nn.Linear`` with Kaiming-He normal weights times ``gain`` and a zero bias.

    Upstream's ``linear_layer(..., kernel_init=KaimingHeNormal, kernel_gain=gain)``
    (``ml-agents/mlagents/trainers/torch_entities/layers.py``): hidden layers use gain 1, the PPO mean head
    0.2, logit heads 0.1, the visual encoders' dense layer 1.41.

    Args:
        in_size: input features.
        out_size: output features.
        gain: factor on the Kaiming-He normal weights (``nonlinearity="linear"``).

    Returns:
        The layer.

    """
    layer = nn.Linear(in_size, out_size)
    nn.init.kaiming_normal_(layer.weight, nonlinearity="linear")
    layer.weight.data.mul_(gain)
    nn.init.zeros_(layer.bias)
    return layer
