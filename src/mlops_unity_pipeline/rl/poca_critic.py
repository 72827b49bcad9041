"""MA-POCA's centralised critic: attention over a group's members gives group value and per-agent baseline.

ML-Agents Release 22 (``trainers/torch_entities/networks.py`` ``MultiAgentNetworkBody`` and
``trainers/poca/optimizer_torch.py`` ``POCAValueNetwork``; Cohen et al. 2021, "On the Use and Misuse of
Absorbing States in Multi-agent Reinforcement Learning", the MA-POCA paper) builds one network, two passes:

- **value** ``V(s_1..s_k)``: every present member's observation is an entity ("obs only");
- **baseline** ``b_i(s_i, {(s_j, a_j)}_{j != i})``: agent ``i`` contributes its observation only, every other
  member its observation *and* action — the counterfactual baseline that marginalises ``i``'s own action.

Each entity is the behavior's observation encoding (normalized vector columns, visual / variable-length
sensors through ``encoders.ObservationEncoder``), embedded by ``Linear + Swish`` to ``hidden_units`` (one
embedding for observation entities, another for observation+action entities; actions enter as the raw
continuous values followed by one-hot discrete branches), then residual self-attention with 4 heads and a
masked mean (``attention.ResidualSelfAttention`` at width ``hidden_units``), ``num_layers`` x (``Linear +
Swish``) with weights scaled by ``sqrt(0.125 / hidden_units)``, and the value heads read that encoding plus
one feature: the number of present members mapped to ``[-1, 1]`` by ``2 n / max_n - 1``, where ``max_n`` is
the largest group seen so far (a checkpointed buffer). Absent members (agents that left, or slots of smaller
groups) are masked out of the attention and the pooling, so they change nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from ..errors import TrainError
from ..spaces import BehaviorSignature
from .attention import ResidualSelfAttention, tfixup_linear
from .encoders import ObservationEncoder, has_visual, observation_normalizer
from .networks import MLP, Memory, observation_size
from .normalizer import RunningNormalizer


def flat_actions(continuous: torch.Tensor, discrete: torch.Tensor, branches: tuple[int, ...]) -> torch.Tensor:
    """Return actions as critic inputs: raw continuous values, then one one-hot block per discrete branch.

    Upstream ``AgentAction.to_flat``.

    Args:
        continuous: ``(..., n_cont)`` raw continuous actions.
        discrete: ``(..., n_branches)`` integer indices.
        branches: the branch sizes.

    Returns:
        ``(..., n_cont + sum(branches))`` float tensor.

    """
    parts = [continuous]
    for b, size in enumerate(branches):
        parts.append(nn.functional.one_hot(discrete[..., b].long(), size).to(continuous.dtype))
    return torch.cat(parts, dim=-1)


class GroupCritic(nn.Module):
    """The POCA value network: ``values`` (group value) and ``baselines`` (per-agent counterfactual baseline).

    Args:
        signature: the behavior (every member of a group shares it).
        hidden_units: attention width and body width (``network_settings.hidden_units``).
        num_layers: body layers after the attention.
        normalize: keep running statistics of the vector observations.
        num_heads: value heads (reward signals).
        vis_encode_type: encoder of visual observations.
        memory_size: an LSTM after the body (``network_settings.memory``; upstream's ``MultiAgentNetworkBody``
            runs it before appending the member-count feature); 0 for none. Values and baselines keep
            separate memories (two passes with different entities).

    """

    def __init__(
        self,
        signature: BehaviorSignature,
        hidden_units: int,
        num_layers: int,
        normalize: bool,
        num_heads: int = 1,
        vis_encode_type: object = "simple",
        memory_size: int = 0,
    ) -> None:
        super().__init__()
        spec = signature.action_spec
        self.branches = tuple(spec.discrete_branches)
        self.obs_size = observation_size(signature)
        self.observations = (
            ObservationEncoder(signature, hidden_units, vis_encode_type) if has_visual(signature) else None
        )
        self.normalizer: RunningNormalizer | None = observation_normalizer(signature) if normalize else None
        encoded = self.observations.out_size if self.observations is not None else self.obs_size
        action_size = spec.continuous_size + sum(self.branches)
        h = int(hidden_units)
        self.obs_embedding = nn.Sequential(tfixup_linear(encoded, h, h), nn.SiLU())
        self.obs_action_embedding = nn.Sequential(tfixup_linear(encoded + action_size, h, h), nn.SiLU())
        self.attention = ResidualSelfAttention(0, h)
        self.body = MLP(h, h, num_layers)
        with torch.no_grad():  # upstream LinearEncoder(kernel_gain=(0.125 / h) ** 0.5) after the attention
            for layer in self.body.layers:
                if isinstance(layer, nn.Linear):
                    layer.weight.mul_(math.sqrt(0.125 / h))
        self.memory = Memory(h, memory_size) if memory_size else None
        self.head = nn.Linear((h if self.memory is None else self.memory.hidden_size) + 1, num_heads)
        self.register_buffer("max_agents", torch.ones(()))

    def encode(self, obs: torch.Tensor) -> torch.Tensor:
        """Normalize and encode ``(..., obs_size)`` raw observation rows into ``(..., encoded)`` entities."""
        lead = obs.shape[:-1]
        rows = obs.reshape(-1, self.obs_size)
        if self.normalizer is not None:
            rows = self.normalizer(rows)
        if self.observations is not None:
            rows = self.observations(rows)
        return rows.reshape(*lead, rows.shape[-1])

    def values(
        self,
        obs: torch.Tensor,
        mate_obs: torch.Tensor,
        present: torch.Tensor,
        recurrence: Recurrence | None = None,
    ) -> torch.Tensor:
        """Group value from every present member's observation (upstream ``critic_pass``).

        Args:
            obs: ``(batch, obs_size)`` the agent's own observations.
            mate_obs: ``(batch, m, obs_size)`` its groupmates' observations (any finite value where absent).
            present: ``(batch, m)`` 1 where the groupmate slot holds a member, 0 where absent.
            recurrence: a recurrent critic's memories at each sequence's start (rows are whole sequences);
                its ``after`` receives the memories after them.

        Returns:
            ``(batch,)`` with one head, ``(batch, num_heads)`` with several.

        """
        own = self.obs_embedding(self.encode(obs)).unsqueeze(1)
        mates = self.obs_embedding(self.encode(mate_obs))
        entities = torch.cat([own, mates], dim=1)
        mask = torch.cat([present.new_zeros(len(obs), 1), 1 - present.float()], dim=1)
        return self._pool(entities, mask, recurrence)

    def baselines(
        self,
        obs: torch.Tensor,
        mate_obs: torch.Tensor,
        mate_actions: torch.Tensor,
        present: torch.Tensor,
        recurrence: Recurrence | None = None,
    ) -> torch.Tensor:
        """Counterfactual baseline: own observation, groupmates' observations *with* their actions.

        Upstream ``POCAValueNetwork.baseline``: the entities with actions come first, the agent's own
        observation last.

        Args:
            obs: ``(batch, obs_size)`` the agent's own observations.
            mate_obs: ``(batch, m, obs_size)`` groupmates' observations.
            mate_actions: ``(batch, m, n_cont + sum(branches))`` their actions (``flat_actions``).
            present: ``(batch, m)`` 1 where the slot holds a member.
            recurrence: a recurrent critic's *baseline* memories (see ``values``).

        Returns:
            ``(batch,)`` with one head, ``(batch, num_heads)`` with several.

        """
        own = self.obs_embedding(self.encode(obs)).unsqueeze(1)
        mates = self.obs_action_embedding(torch.cat([self.encode(mate_obs), mate_actions], dim=-1))
        entities = torch.cat([mates, own], dim=1)
        mask = torch.cat([1 - present.float(), present.new_zeros(len(obs), 1)], dim=1)
        return self._pool(entities, mask, recurrence)

    def values_and_baselines(
        self,
        obs: torch.Tensor,
        mate_obs: torch.Tensor,
        mate_actions: torch.Tensor,
        present: torch.Tensor,
        value_recurrence: Recurrence | None = None,
        baseline_recurrence: Recurrence | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """``(values(...), baselines(...))`` in one pass: shared encodings, one attention over both batches.

        The two entity sets are stacked along the batch axis (attention never mixes rows), which halves the
        number of small ops per minibatch; the results equal the separate calls.

        Args:
            obs: ``(batch, obs_size)`` the agent's own observations.
            mate_obs: ``(batch, m, obs_size)`` groupmates' observations.
            mate_actions: ``(batch, m, n_cont + sum(branches))`` their actions (``flat_actions``).
            present: ``(batch, m)`` 1 where the slot holds a member.
            value_recurrence: a recurrent critic's value memories (``values``).
            baseline_recurrence: its baseline memories (``baselines``); both or neither.

        Returns:
            ``(values, baselines)``, each shaped as ``values`` returns.

        """
        own = self.obs_embedding(self.encode(obs)).unsqueeze(1)
        encoded = self.encode(mate_obs)
        as_obs = self.obs_embedding(encoded)
        with_actions = self.obs_action_embedding(torch.cat([encoded, mate_actions], dim=-1))
        absent = 1 - present.float()
        alone = present.new_zeros(len(obs), 1)
        entities = torch.cat([torch.cat([own, as_obs], dim=1), torch.cat([with_actions, own], dim=1)], dim=0)
        mask = torch.cat([torch.cat([alone, absent], dim=1), torch.cat([absent, alone], dim=1)], dim=0)
        recurrence = None
        if value_recurrence is not None and baseline_recurrence is not None:
            # The stacked halves are whole sequences each: one LSTM pass over both sets of memories.
            recurrence = Recurrence(
                torch.cat([value_recurrence.start, baseline_recurrence.start]),
                value_recurrence.sequence_length,
                None
                if value_recurrence.lengths is None or baseline_recurrence.lengths is None
                else torch.cat([value_recurrence.lengths, baseline_recurrence.lengths]),
            )
        both = self._pool(entities, mask, recurrence)
        if recurrence is not None:
            assert (
                value_recurrence is not None
                and baseline_recurrence is not None
                and recurrence.after is not None
            )
            half = len(value_recurrence.start)
            value_recurrence.after, baseline_recurrence.after = (
                recurrence.after[:half],
                recurrence.after[half:],
            )
        return both[: len(obs)], both[len(obs) :]

    def _pool(
        self, entities: torch.Tensor, mask: torch.Tensor, recurrence: Recurrence | None = None
    ) -> torch.Tensor:
        state = self.attention(entities, mask)
        members = torch.sum(1 - mask, dim=1, keepdim=True)
        with torch.no_grad():  # the largest group seen so far scales the member-count feature (upstream)
            self.max_agents.copy_(torch.maximum(self.max_agents, members.max()))
        feature = members * 2.0 / self.max_agents - 1.0
        encoding = self.body(state)
        if self.memory is not None:
            if recurrence is None:
                raise TrainError("a recurrent group critic needs its memories (one row per sequence)")
            out, recurrence.after = self.memory(
                encoding.reshape(-1, recurrence.sequence_length, encoding.shape[-1]),
                recurrence.start,
                recurrence.lengths,
            )
            encoding = out.reshape(-1, self.memory.hidden_size)
        out = self.head(torch.cat([encoding, feature], dim=1))
        return out.squeeze(-1) if out.shape[-1] == 1 else out


@dataclass
class Recurrence:
    """Memories of a recurrent ``GroupCritic`` pass: in at each sequence's start, out after its last step."""

    start: torch.Tensor
    """``(sequences, memory_size)`` memory at each sequence's first step."""
    sequence_length: int = 1
    """Rows per sequence."""
    lengths: torch.Tensor | None = None
    """``(sequences,)`` valid steps per sequence (padding at the end), or None when all are full."""
    after: torch.Tensor | None = None
    """Set by the pass: ``(sequences, memory_size)`` memory after each sequence's last valid step."""


__all__ = ["GroupCritic", "Recurrence", "flat_actions"]
