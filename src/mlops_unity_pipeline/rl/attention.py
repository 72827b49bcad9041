"""Entity attention for variable-length observations (``BufferSensor``: ``(max_entities, entity_size)``).

ML-Agents Release 22 (``trainers/torch_entities/attention.py`` and ``networks.py`` ``ObservationEncoder``,
after Baker et al. 2019, "Emergent tool use from multi-agent autocurricula") encodes such observations so:

1. an entity whose values are all (nearly) zero is padding: ``sum(x^2) < 0.01`` masks it;
2. the other observations' encodings ("self") go through ``Linear + Swish`` to the attention width (128);
3. every entity, with that self embedding concatenated in front, goes through ``Linear + Swish`` to 128;
4. residual self-attention over all entities of all such sensors: parameter-free layer norm, Q/K/V
   projections, 4-head attention with scores divided by ``sqrt(128)`` and masked keys at ``-1e6``, an output
   projection added back to the normed input, a second layer norm, then the mean over unmasked entities.

The 128-wide result is appended to the self encoding before the body. All attention weights start
``N(0, 1) * sqrt(0.125 / 128)`` with zero biases (upstream's T-Fixup scheme, Huang et al. 2020). The facts
(sizes, thresholds, order, initialization) come from upstream; the code is this project's.
"""

from __future__ import annotations

import math

import torch
from torch import nn

EMBEDDING_SIZE = 128
"""Attention width (upstream ``ObservationEncoder.ATTENTION_EMBEDDING_SIZE``)."""
NUM_HEADS = 4
"""Attention heads (upstream ``ResidualSelfAttention`` default)."""
PAD_THRESHOLD = 0.01
"""An entity with ``sum(x^2)`` below this is padding (upstream ``get_zero_entities_mask``)."""
NEG_INF = -1e6
"""Score given to masked keys (upstream ``MultiHeadAttention.NEG_INF``)."""
POOL_EPSILON = 1e-7
"""Keeps the masked mean finite when every entity is padding (upstream ``ResidualSelfAttention.EPSILON``)."""
LAYER_NORM_EPSILON = 1e-5
"""Variance floor of the parameter-free layer norm (upstream ``layers.LayerNorm``)."""


def tfixup_linear(in_size: int, out_size: int, width: int = EMBEDDING_SIZE) -> nn.Linear:
    """``nn.Linear`` with upstream's T-Fixup start: weights ``N(0, 1) * sqrt(0.125 / width)``, zero bias.

    Args:
        in_size: input features.
        out_size: output features.
        width: the attention width the gain is computed from (128 for sensors, ``hidden_units`` in POCA).

    Returns:
        The layer.

    """
    # Upstream ``Initialization.Normal`` with kernel_gain sqrt(0.125 / embedding_size).
    layer = nn.Linear(in_size, out_size)
    nn.init.normal_(layer.weight)
    layer.weight.data.mul_(math.sqrt(0.125 / width))
    nn.init.zeros_(layer.bias)
    return layer


def padding_mask(entities: torch.Tensor) -> torch.Tensor:
    """Return ``(batch, n)``: 1.0 where an entity of ``(batch, n, size)`` is all-zero padding, else 0.0."""
    return (torch.sum(entities**2, dim=2) < PAD_THRESHOLD).float()


def layer_norm(x: torch.Tensor) -> torch.Tensor:
    """Normalize the last axis to zero mean and unit variance, without learned scale or shift."""
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + LAYER_NORM_EPSILON)


class EntityEmbedding(nn.Module):
    """``Linear + Swish`` of each entity, with the self embedding (when there is one) concatenated in front.

    Args:
        max_entities: the sensor's ``max_entities`` (fixed, so the model exports).
        entity_size: floats per entity.
        self_size: width of the self embedding, 0 when the behavior has no other observation.

    """

    def __init__(self, max_entities: int, entity_size: int, self_size: int) -> None:
        super().__init__()
        self.max_entities, self.entity_size, self.self_size = max_entities, entity_size, self_size
        self.encoder = nn.Sequential(tfixup_linear(self_size + entity_size, EMBEDDING_SIZE), nn.SiLU())

    def forward(self, x_self: torch.Tensor | None, entities: torch.Tensor) -> torch.Tensor:
        """Embed ``(batch, max_entities, entity_size)`` entities into ``(batch, max_entities, 128)``."""
        if x_self is not None and self.self_size:
            repeated = x_self.reshape(-1, 1, self.self_size).expand(-1, self.max_entities, -1)
            entities = torch.cat([repeated, entities], dim=2)
        return self.encoder(entities)


class ResidualSelfAttention(nn.Module):
    """Masked multi-head self-attention with a residual connection and masked mean pooling.

    Args:
        num_entities: total entities over every variable-length sensor (fixed, so the graph exports); 0 takes
            the count from each input (POCA's group members vary from batch to batch).
        embedding_size: attention width (128 for sensors; POCA's group critic uses ``hidden_units``).

    """

    def __init__(self, num_entities: int, embedding_size: int = EMBEDDING_SIZE) -> None:
        super().__init__()
        self.num_entities = num_entities
        self.embedding_size = embedding_size
        self.head_size = embedding_size // NUM_HEADS
        self.fc_q, self.fc_k, self.fc_v, self.fc_out = (
            tfixup_linear(embedding_size, embedding_size, embedding_size) for _ in range(4)
        )

    def _split_heads(self, x: torch.Tensor, n: int) -> torch.Tensor:
        # (b, n, emb) -> (b, heads, n, head_size)
        return x.reshape(-1, n, NUM_HEADS, self.head_size).permute(0, 2, 1, 3)

    def forward(self, embeddings: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Pool ``(batch, n, width)`` embeddings (``mask`` ``(batch, n)``, 1 = padding) to ``(batch, width)``.

        Args:
            embeddings: the entity embeddings.
            mask: 1 where an entity is padding.

        Returns:
            The masked mean of the attended entities.

        """
        n = self.num_entities or int(embeddings.shape[1])
        width = self.embedding_size
        x = layer_norm(embeddings)
        q, k, v = (
            self._split_heads(self.fc_q(x), n),
            self._split_heads(self.fc_k(x), n),
            self._split_heads(self.fc_v(x), n),
        )
        scores = torch.matmul(q, k.transpose(2, 3))  # (b, heads, n, n)
        key_mask = mask.reshape(-1, 1, 1, n)
        # Upstream scales by the full width (not the head size) and blends the mask in arithmetically.
        scores = (1 - key_mask) * scores / math.sqrt(width) + key_mask * NEG_INF
        attended = torch.matmul(torch.softmax(scores, dim=3), v)  # (b, heads, n, head_size)
        attended = attended.permute(0, 2, 1, 3).reshape(-1, n, width)
        out = layer_norm(self.fc_out(attended) + x)
        keep = 1 - mask
        pooled = torch.sum(out * keep.reshape(-1, n, 1), dim=1)
        return pooled / (torch.sum(keep, dim=1, keepdim=True) + POOL_EPSILON)


class EntityAttention(nn.Module):
    """The whole variable-length path: self encoder, one ``EntityEmbedding`` per sensor, attention, pooling.

    Args:
        shapes: each variable-length sensor's ``(max_entities, entity_size)``, in sensor order.
        self_size: width of the other observations' encoding (0 when there are none).

    """

    def __init__(self, shapes: list[tuple[int, int]], self_size: int) -> None:
        super().__init__()
        self.self_encoder = (
            nn.Sequential(tfixup_linear(self_size, EMBEDDING_SIZE), nn.SiLU()) if self_size else None
        )
        embedded_self = EMBEDDING_SIZE if self_size else 0
        self.embeddings = nn.ModuleList(EntityEmbedding(n, size, embedded_self) for n, size in shapes)
        self.attention = ResidualSelfAttention(sum(n for n, _ in shapes))
        self.out_size = EMBEDDING_SIZE

    def forward(self, encoded_self: torch.Tensor | None, entities: list[torch.Tensor]) -> torch.Tensor:
        """Encode the sensors' ``(batch, max_entities, entity_size)`` tensors into ``(batch, 128)``."""
        mask = torch.cat([padding_mask(e) for e in entities], dim=1)
        x_self = self.self_encoder(encoded_self) if self.self_encoder is not None else None
        embedded = torch.cat(
            [emb(x_self, e) for emb, e in zip(self.embeddings, entities, strict=True)], dim=1
        )
        return self.attention(embedded, mask)


__all__ = [
    "EMBEDDING_SIZE",
    "EntityAttention",
    "EntityEmbedding",
    "ResidualSelfAttention",
    "layer_norm",
    "padding_mask",
    "tfixup_linear",
]
