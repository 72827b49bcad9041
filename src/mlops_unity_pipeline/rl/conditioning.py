"""Goal conditioning (``network_settings.goal_conditioning_type``): a hypernetwork body for goal observations.

ML-Agents Release 22 (``trainers/torch_entities/networks.py`` ``NetworkBody``, ``conditioning.py``): when a
behavior has observations of type ``GOAL_SIGNAL`` and ``goal_conditioning_type`` is ``hyper`` (the default),
the body is a ``ConditionalEncoder`` whose *last* layer's weights are generated from the goal's encoding by a
``HyperNetwork``; every other layer is an ordinary ``Linear`` + Swish. The body's input is still the encoding
of *all* observations, goal included. With ``none`` (or without goal observations) the body is the plain MLP
and goal observations are ordinary inputs. Facts carried over (no code): the hypernetwork has 2 hidden layers
of ``hidden_units`` (Kaiming-He normal, gain 1, zero bias, Swish), a parameter-free layer norm, then a linear
output of ``in * out`` weights whose weights are drawn uniform in ``±sqrt(1 / (hidden_units * in))`` with a
zero bias; the generated layer has its own bias parameter, zero at start; ``out = x @ W(goal) + bias``.

The goal's encoding is its slice of the observation encoding (the normalized vector columns, or a visual
goal's CNN features), as upstream's ``ObservationEncoder.get_goal_encoding`` runs the same processors.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..errors import ConfigError
from ..spaces import BehaviorSignature, ObservationType
from .attention import layer_norm
from .layers import linear_layer

HYPER_LAYERS = 2
"""Hidden layers of each hypernetwork (upstream ``HyperNetwork(..., num_layers=2)``)."""
CONDITIONAL_LAYERS = 1
"""Layers of the body whose weights are generated (upstream ``ConditionalEncoder(..., 1)``: the last one)."""


def goal_columns(signature: BehaviorSignature | None, hidden_units: int) -> tuple[int, ...]:
    """Columns of the goal observations in the observation encoding the body reads.

    The encoding lays sensors out in order (``encoders.ObservationEncoder``): a vector sensor keeps its
    width, a visual one becomes ``hidden_units`` features, variable-length sensors are pooled at the end.

    Args:
        signature: the behavior (None: no goals).
        hidden_units: a visual encoder's output width.

    Returns:
        The goal columns, empty without goal observations.

    Raises:
        ConfigError: a variable-length observation is a goal (upstream refuses it too).

    """
    if signature is None:
        return ()
    columns: list[int] = []
    offset = 0
    for i, spec in enumerate(signature.observation_specs):
        goal = spec.observation_type is ObservationType.GOAL_SIGNAL
        if len(spec.shape) == 2:
            if goal:
                raise ConfigError(
                    f"behavior '{signature.name}': obs_{i} ('{spec.name}') is a variable-length goal "
                    "signal; network_settings.goal_conditioning_type: hyper conditions on vector or visual "
                    "goals only (as ML-Agents); set it to none"
                )
            continue
        width = spec.size if len(spec.shape) == 1 else hidden_units
        if goal:
            columns.extend(range(offset, offset + width))
        offset += width
    return tuple(columns)


class HyperNetwork(nn.Module):
    """A linear layer ``in_size -> out_size`` whose weight matrix is generated from a goal encoding.

    Args:
        in_size: input width of the generated layer.
        out_size: output width of the generated layer.
        goal_size: width of the goal encoding.
        hidden_units: width of the hypernetwork's hidden layers.

    """

    def __init__(self, in_size: int, out_size: int, goal_size: int, hidden_units: int) -> None:
        super().__init__()
        self.in_size, self.out_size = in_size, out_size
        layers: list[nn.Module] = []
        size = goal_size
        for _ in range(HYPER_LAYERS):
            layers += [linear_layer(size, hidden_units, 1.0), nn.SiLU()]
            size = hidden_units
        self.hidden = nn.Sequential(*layers)
        self.weights = linear_layer(hidden_units, in_size * out_size, 0.1)
        bound = math.sqrt(1.0 / (hidden_units * in_size))
        with torch.no_grad():
            self.weights.weight.uniform_(-bound, bound)
        self.bias = nn.Parameter(torch.zeros(out_size))

    def forward(self, x: torch.Tensor, goal: torch.Tensor) -> torch.Tensor:
        """Apply the goal's layer to ``x``.

        Args:
            x: ``(batch, in_size)`` inputs.
            goal: ``(batch, goal_size)`` goal encodings.

        Returns:
            ``(batch, out_size)``: ``x @ W(goal) + bias``, one matrix per row.

        """
        w = self.weights(layer_norm(self.hidden(goal))).reshape(-1, self.in_size, self.out_size)
        return torch.bmm(x.unsqueeze(1), w).squeeze(1) + self.bias


class ConditionalBody(nn.Module):
    """The body of a goal-conditioned network: plain layers, then the last one generated from the goal.

    Drop-in for ``networks.MLP``: ``forward(x)`` takes the whole observation encoding and reads the goal
    from its ``goal_columns``; every layer is followed by Swish.

    Args:
        in_size: width of the observation encoding (plus any actions appended after it).
        hidden_units: width of each layer.
        num_layers: layers in all (the last ``CONDITIONAL_LAYERS`` generated).
        goal: columns of the goal in ``x`` (``goal_columns``).

    """

    def __init__(self, in_size: int, hidden_units: int, num_layers: int, goal: tuple[int, ...]) -> None:
        super().__init__()
        self.register_buffer("goal_index", torch.tensor(goal, dtype=torch.long), persistent=False)
        self.layers = nn.ModuleList()
        size = in_size
        for i in range(num_layers):
            if num_layers - i <= CONDITIONAL_LAYERS:
                self.layers.append(HyperNetwork(size, hidden_units, len(goal), hidden_units))
            else:
                self.layers.append(linear_layer(size, hidden_units, 1.0))
            size = hidden_units
        self.out_size = size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode ``(batch, in_size)`` rows into ``(batch, out_size)`` features conditioned on their goal."""
        goal = x.index_select(1, self.goal_index)
        for layer in self.layers:
            x = torch.nn.functional.silu(layer(x, goal) if isinstance(layer, HyperNetwork) else layer(x))
        return x


__all__ = ["CONDITIONAL_LAYERS", "HYPER_LAYERS", "ConditionalBody", "HyperNetwork", "goal_columns"]
