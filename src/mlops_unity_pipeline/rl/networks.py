"""Policy and value networks: Swish MLPs of ``hidden_units`` x ``num_layers`` with observation normalization.

Mirrors ML-Agents' torch networks (upstream ``torch_entities/networks.py``, ``layers.py``): every hidden layer
is ``Linear`` + Swish, hidden weights use Kaiming-He normal init, the continuous mean head uses gain 0.2 and
discrete logit heads gain 0.1 so the initial policy is close to uniform; PPO keeps a state-independent log
std, SAC a state-dependent one with tanh squashing. All observations of a behavior arrive as one flat row
(sensors concatenated in order); vector behaviors feed it to the body, visual and variable-length sensors
first go through ``encoders.py``.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from ..errors import TrainError
from ..spaces import BehaviorSignature
from . import distributions as D
from .conditioning import ConditionalBody, goal_columns
from .config import ConditioningType
from .encoders import ObservationEncoder, has_visual, observation_normalizer
from .layers import linear_layer
from .normalizer import RunningNormalizer

LOG_STD_MIN, LOG_STD_MAX = -20.0, 2.0
"""Range of a state-dependent log std (SAC), as ML-Agents clamps its conditional sigma."""


class ActorSample(NamedTuple):
    """What ``Actor.act`` returns for a batch of decisions."""

    continuous: torch.Tensor
    """``(batch, n_cont)`` raw Gaussian samples (PPO) or tanh-squashed actions (SAC)."""
    discrete: torch.Tensor
    """``(batch, n_branches)`` int64 indices."""
    log_prob: torch.Tensor
    """``(batch, n_cont + n_branches)`` per-dimension log-probabilities."""
    entropy: torch.Tensor
    """``(batch,)`` entropy of each agent's action distribution (ML-Agents' ``Policy/Entropy`` source)."""


def observation_size(signature: BehaviorSignature) -> int:
    """Total number of floats of one agent's observations (all sensors flattened and concatenated).

    Args:
        signature: the behavior's signature.

    Returns:
        The concatenated observation size (the length of the flat rows the trainers store).

    """
    return sum(spec.size for spec in signature.observation_specs)


class MLP(nn.Module):
    """``num_layers`` x (Linear + Swish) of width ``hidden_units`` (ML-Agents ``LinearEncoder``)."""

    def __init__(self, in_size: int, hidden_units: int, num_layers: int) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        size = in_size
        for _ in range(num_layers):
            layers += [linear_layer(size, hidden_units, 1.0), nn.SiLU()]
            size = hidden_units
        self.layers = nn.Sequential(*layers)
        self.out_size = size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode a batch of (normalized) observations.

        Args:
            x: ``(batch, in_size)``.

        Returns:
            ``(batch, hidden_units)`` features.

        """
        return self.layers(x)


def make_body(
    in_size: int,
    hidden_units: int,
    num_layers: int,
    signature: BehaviorSignature | None,
    goal_conditioning: ConditioningType,
) -> MLP | ConditionalBody:
    """Build the body after the observation encoding: goal-conditioned or the plain MLP (``NetworkBody``).

    Args:
        in_size: width of the observation encoding (plus any actions appended after it).
        hidden_units: width of each layer.
        num_layers: number of layers.
        signature: the behavior (its goal observations), or None.
        goal_conditioning: ``network_settings.goal_conditioning_type``.

    Returns:
        ``conditioning.ConditionalBody`` with goal observations and ``hyper`` conditioning, else ``MLP``.

    """
    goal = goal_columns(signature, hidden_units)
    if goal and ConditioningType(goal_conditioning) is ConditioningType.HYPER and num_layers > 0:
        return ConditionalBody(in_size, hidden_units, num_layers, goal)
    return MLP(in_size, hidden_units, num_layers)


class Encoder(nn.Module):
    """Optional running normalizer, per-sensor encoders (visual, variable-length sensors), then the body.

    Args:
        obs_size: flat observation row size.
        hidden_units: width of each hidden layer (and of each visual encoder's output).
        num_layers: number of hidden layers.
        normalize: keep running statistics of the vector observations.
        signature: the behavior; a non-vector sensor puts ``encoders.ObservationEncoder`` before the body.
        vis_encode_type: ``network_settings.vis_encode_type`` for visual observations.
        goal_conditioning: ``network_settings.goal_conditioning_type``; with goal observations in
            ``signature`` and ``hyper`` the body is ``conditioning.ConditionalBody``.

    """

    def __init__(
        self,
        obs_size: int,
        hidden_units: int,
        num_layers: int,
        normalize: bool,
        signature: BehaviorSignature | None = None,
        vis_encode_type: object = "simple",
        goal_conditioning: ConditioningType = ConditioningType.HYPER,
    ) -> None:
        super().__init__()
        self.observations: ObservationEncoder | None = None
        self.normalizer: RunningNormalizer | None = None
        in_size = obs_size
        if signature is not None and has_visual(signature):
            self.observations = ObservationEncoder(signature, hidden_units, vis_encode_type)
            self.normalizer = observation_normalizer(signature) if normalize else None
            in_size = self.observations.out_size
        elif normalize:
            self.normalizer = RunningNormalizer(obs_size)
        self.body = make_body(in_size, hidden_units, num_layers, signature, goal_conditioning)

    def forward(self, obs: torch.Tensor, normalized: bool = False) -> torch.Tensor:
        """Normalize (when enabled), encode visual sensors (if any), then run the body.

        Args:
            obs: ``(batch, obs_size)`` concatenated observations.
            normalized: ``obs`` is already normalized (the PPO update normalizes its buffer once).

        Returns:
            ``(batch, hidden_units)`` features.

        """
        if self.normalizer is not None and not normalized:
            obs = self.normalizer(obs)
        if self.observations is not None:
            obs = self.observations(obs)
        return self.body(obs)


class Memory(nn.Module):
    """ML-Agents' LSTM memory: one ``nn.LSTM`` layer whose state ``[h | c]`` is the ``memory_size`` vector.

    As upstream's ``torch_entities/layers.py`` ``LSTM`` (Release 22): the hidden size is ``memory_size // 2``
    (the memory is the concatenation of the hidden and the cell state), weights Xavier-uniform per gate
    block, biases zero plus a forget-gate offset of 1.0 on both bias vectors.

    Args:
        input_size: width of the encoder features fed to it.
        memory_size: length of the memory vector (even).

    """

    FORGET_BIAS = 1.0
    """Added to the forget gate's biases (upstream ``lstm_layer(forget_bias=1.0)``)."""

    def __init__(self, input_size: int, memory_size: int) -> None:
        super().__init__()
        self.hidden_size = memory_size // 2
        self.lstm = nn.LSTM(input_size, self.hidden_size, 1, batch_first=True)
        h = self.hidden_size
        for name, param in self.lstm.named_parameters():
            for gate in range(4):  # torch orders the gate blocks input, forget, cell, output
                block = param.data[gate * h : (gate + 1) * h]
                if "weight" in name:
                    nn.init.xavier_uniform_(block)
                else:
                    nn.init.zeros_(block)
                    if gate == 1:
                        block.add_(self.FORGET_BIAS)

    @property
    def memory_size(self) -> int:
        """Length of the memory vector (``2 * hidden_size``)."""
        return 2 * self.hidden_size

    def forward(
        self, x: torch.Tensor, memories: torch.Tensor, lengths: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Run sequences from their initial memories.

        Args:
            x: ``(batch, seq_len, input_size)`` features.
            memories: ``(batch, memory_size)`` state at each sequence's start.
            lengths: ``(batch,)`` valid steps per sequence (the rest is padding at the end) so the returned
                memory is the state after each sequence's last valid step; None when all are full.

        Returns:
            ``(output (batch, seq_len, hidden_size), memories after the sequence (batch, memory_size))``.

        """
        h0 = memories[:, : self.hidden_size].unsqueeze(0).contiguous()
        c0 = memories[:, self.hidden_size :].unsqueeze(0).contiguous()
        if lengths is None:
            out, (h, c) = self.lstm(x, (h0, c0))
        else:
            packed = nn.utils.rnn.pack_padded_sequence(
                x, lengths.cpu(), batch_first=True, enforce_sorted=False
            )
            out_packed, (h, c) = self.lstm(packed, (h0, c0))
            out, _ = nn.utils.rnn.pad_packed_sequence(out_packed, batch_first=True, total_length=x.shape[1])
        return out, torch.cat([h[0], c[0]], dim=-1)


def _recurrent_features(
    encoder: Encoder,
    memory: Memory | None,
    obs: torch.Tensor,
    memories: torch.Tensor | None,
    sequence_length: int,
    normalized: bool,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Encode ``obs`` and, with a memory, run the LSTM over its sequences (upstream ``NetworkBody``).

    ``obs`` rows are ``sequence_length`` consecutive steps per sequence; ``memories`` one row per sequence.
    """
    h = encoder(obs, normalized)
    if memory is None:
        return h, None
    if memories is None:
        raise TrainError("a recurrent network needs its memories (one row per sequence)")
    out, new = memory(h.reshape(-1, sequence_length, h.shape[-1]), memories)
    return out.reshape(-1, memory.hidden_size), new


class Actor(nn.Module):
    """The policy: encoder + continuous Gaussian head and/or one masked categorical head per discrete branch.

    Args:
        signature: the behavior (observation sizes and action spec).
        hidden_units: width of each hidden layer.
        num_layers: number of hidden layers.
        normalize: keep running observation statistics inside the network.
        tanh_squash: SAC-style actor (state-dependent log std, tanh-squashed actions); False = PPO-style.
        vis_encode_type: encoder of visual observations (``network_settings.vis_encode_type``).
        memory_size: LSTM memory after the encoder (``network_settings.memory.memory_size``); 0 for none.
        goal_conditioning: ``network_settings.goal_conditioning_type`` (``make_body``).

    """

    def __init__(
        self,
        signature: BehaviorSignature,
        hidden_units: int,
        num_layers: int,
        normalize: bool,
        *,
        tanh_squash: bool = False,
        vis_encode_type: object = "simple",
        memory_size: int = 0,
        goal_conditioning: ConditioningType = ConditioningType.HYPER,
    ) -> None:
        super().__init__()
        spec = signature.action_spec
        self.obs_size = observation_size(signature)
        self.continuous_size = spec.continuous_size
        self.branches = tuple(spec.discrete_branches)
        self.tanh_squash = tanh_squash
        self.encoder = Encoder(
            self.obs_size, hidden_units, num_layers, normalize, signature, vis_encode_type, goal_conditioning
        )
        hidden = self.encoder.body.out_size
        # Upstream puts the LSTM after the encoder; the heads then read its hidden_size outputs.
        self.memory = Memory(hidden, memory_size) if memory_size else None
        if self.memory is not None:
            hidden = self.memory.hidden_size
        self.mu: nn.Linear | None = None
        self.log_std_head: nn.Linear | None = None
        self.log_std: nn.Parameter | None = None
        if self.continuous_size:
            self.mu = linear_layer(hidden, self.continuous_size, 0.2)
            if tanh_squash:
                self.log_std_head = linear_layer(hidden, self.continuous_size, 0.2)
            else:
                self.log_std = nn.Parameter(torch.zeros(self.continuous_size))
        self.logits = linear_layer(hidden, sum(self.branches), 0.1) if self.branches else None

    @property
    def normalizer(self) -> RunningNormalizer | None:
        """The running observation normalizer, if any."""
        return self.encoder.normalizer

    @property
    def memory_size(self) -> int:
        """Length of the policy's memory vector, 0 for a feed-forward policy."""
        return 0 if self.memory is None else self.memory.memory_size

    def heads(
        self, obs: torch.Tensor, mask: torch.Tensor | None = None, normalized: bool = False
    ) -> tuple[torch.Tensor | None, torch.Tensor | None, list[torch.Tensor]]:
        """Distribution parameters for a batch of observations.

        Args:
            obs: ``(batch, obs_size)`` raw observations.
            mask: ``(batch, sum(branches))`` action mask (1 allowed), or None.
            normalized: ``obs`` is already normalized.

        Returns:
            ``(mean, log_std, branch_log_probs)``: continuous mean and log std (None without continuous
            actions; log std is ``(n,)`` for PPO, ``(batch, n)`` for SAC) and per-branch log-probabilities.

        """
        if self.memory is not None:
            raise TrainError("a recurrent policy runs through recurrent_heads (it needs its memories)")
        return self._heads_from(self.encoder(obs, normalized), mask)

    def recurrent_heads(
        self,
        obs: torch.Tensor,
        mask: torch.Tensor | None,
        memories: torch.Tensor,
        sequence_length: int = 1,
        normalized: bool = False,
    ) -> tuple[torch.Tensor | None, torch.Tensor | None, list[torch.Tensor], torch.Tensor | None]:
        """``heads`` of a recurrent policy over sequences, with the memories after them.

        Args:
            obs: ``(sequences * sequence_length, obs_size)`` observations, each sequence's steps contiguous.
            mask: action masks of the same rows, or None.
            memories: ``(sequences, memory_size)`` memory at each sequence's start.
            sequence_length: steps per sequence.
            normalized: ``obs`` is already normalized.

        Returns:
            ``heads``' three values and the ``(sequences, memory_size)`` memories after each sequence.

        """
        h, new = _recurrent_features(self.encoder, self.memory, obs, memories, sequence_length, normalized)
        return (*self._heads_from(h, mask), new)

    def _heads_from(
        self, h: torch.Tensor, mask: torch.Tensor | None
    ) -> tuple[torch.Tensor | None, torch.Tensor | None, list[torch.Tensor]]:
        mean = log_std = None
        if self.mu is not None:
            mean = self.mu(h)
            if self.log_std_head is not None:
                log_std = torch.clamp(self.log_std_head(h), LOG_STD_MIN, LOG_STD_MAX)
            else:
                log_std = self.log_std
        branch_lp: list[torch.Tensor] = []
        if self.logits is not None:
            branch_lp = D.branch_log_softmax(D.mask_logits(self.logits(h), mask), self.branches)
        return mean, log_std, branch_lp

    @torch.no_grad()
    def act(
        self, obs: torch.Tensor, mask: torch.Tensor | None = None, *, deterministic: bool = False
    ) -> ActorSample:
        """Choose actions for a batch (no autograd).

        Args:
            obs: ``(batch, obs_size)`` raw observations.
            mask: action mask or None.
            deterministic: take the mean / argmax instead of sampling.

        Returns:
            The actions (raw Gaussian samples for PPO, tanh-squashed for SAC; discrete indices), their
            per-dimension log-probabilities and each agent's policy entropy.

        """
        return self._sample(*self.heads(obs, mask), obs, deterministic)

    @torch.no_grad()
    def act_recurrent(
        self,
        obs: torch.Tensor,
        mask: torch.Tensor | None,
        memories: torch.Tensor,
        *,
        deterministic: bool = False,
    ) -> tuple[ActorSample, torch.Tensor]:
        """``act`` for one step of a recurrent policy.

        Args:
            obs: ``(batch, obs_size)`` raw observations.
            mask: action mask or None.
            memories: ``(batch, memory_size)`` each agent's memory before this step.
            deterministic: take the mean / argmax instead of sampling.

        Returns:
            The sample and the ``(batch, memory_size)`` memories after this step.

        """
        mean, log_std, branch_lp, new = self.recurrent_heads(obs, mask, memories, 1)
        assert new is not None  # a recurrent actor always returns its memory
        return self._sample(mean, log_std, branch_lp, obs, deterministic), new

    def _sample(
        self,
        mean: torch.Tensor | None,
        log_std: torch.Tensor | None,
        branch_lp: list[torch.Tensor],
        obs: torch.Tensor,
        deterministic: bool,
    ) -> ActorSample:
        batch = obs.shape[0]
        log_probs: list[torch.Tensor] = []
        continuous = obs.new_zeros((batch, 0))
        entropy = obs.new_zeros(batch)
        if mean is not None and log_std is not None:
            raw = mean if deterministic else mean + torch.randn_like(mean) * torch.exp(log_std)
            if self.tanh_squash:
                log_probs.append(D.tanh_squash_log_prob(raw, mean, log_std.expand_as(mean)))
                continuous = torch.tanh(raw)
            else:
                log_probs.append(D.gaussian_log_prob(raw, mean, log_std))
                continuous = raw
            # The pre-squash Gaussian's entropy for SAC too (ML-Agents' TanhGaussianDistInstance inherits it).
            entropy = entropy + D.continuous_entropy(log_std)
        discrete = torch.zeros((batch, 0), dtype=torch.long)
        if branch_lp:
            if deterministic:
                discrete = torch.stack([lp.argmax(-1) for lp in branch_lp], dim=1)
            else:
                discrete = D.categorical_sample(branch_lp)
            log_probs.append(D.categorical_log_prob(branch_lp, discrete))
            entropy = entropy + D.categorical_entropy(branch_lp).sum(-1)
        return ActorSample(continuous, discrete, torch.cat(log_probs, dim=1), entropy)

    def evaluate(
        self,
        obs: torch.Tensor,
        continuous: torch.Tensor,
        discrete: torch.Tensor,
        mask: torch.Tensor | None,
        normalized: bool = False,
        memories: torch.Tensor | None = None,
        sequence_length: int = 1,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Log-probabilities and entropy of given actions under the current policy (PPO update).

        Args:
            obs: ``(batch, obs_size)`` raw observations.
            continuous: ``(batch, n_cont)`` raw continuous actions taken.
            discrete: ``(batch, n_branches)`` discrete indices taken.
            mask: the action masks in force when they were taken.
            normalized: ``obs`` is already normalized.
            memories: a recurrent policy's ``(sequences, memory_size)`` memories at each sequence's start.
            sequence_length: steps per sequence (the rows of ``obs`` are whole sequences).

        Returns:
            ``(log_prob, entropy)``: ``(batch, n_cont + n_branches)`` per-dimension log-probabilities and the
            ``(batch,)`` entropy: the mean over continuous dimensions plus the sum over discrete branches
            (ML-Agents ``ActionModel.evaluate``).

        """
        if self.memory is not None:
            if memories is None:
                raise TrainError("a recurrent policy needs its memories to evaluate actions")
            mean, log_std, branch_lp, _ = self.recurrent_heads(
                obs, mask, memories, sequence_length, normalized
            )
        else:
            mean, log_std, branch_lp = self.heads(obs, mask, normalized)
        parts: list[torch.Tensor] = []
        entropy = obs.new_zeros(obs.shape[0])
        if mean is not None and log_std is not None:
            parts.append(D.gaussian_log_prob(continuous, mean, log_std))
            entropy = entropy + D.continuous_entropy(log_std)
        if branch_lp:
            parts.append(D.categorical_log_prob(branch_lp, discrete))
            entropy = entropy + D.categorical_entropy(branch_lp).sum(-1)
        return torch.cat(parts, dim=1), entropy


class Critic(nn.Module):
    """State-value network ``V(s)`` with its own encoder (ML-Agents ``ValueNetwork``: one head per signal).

    Args:
        obs_size: concatenated observation size.
        hidden_units: width of each hidden layer.
        num_layers: number of hidden layers.
        normalize: keep running observation statistics.
        num_heads: value heads (reward signals); 1 gives ``(batch,)`` values, more ``(batch, num_heads)``.
        signature: the behavior, needed when it has visual observations (they get their own encoders).
        vis_encode_type: encoder of visual observations.
        memory_size: the critic's own LSTM memory (upstream's PPO critic has one when the policy does); 0 for
            none.
        goal_conditioning: ``network_settings.goal_conditioning_type`` (``make_body``).

    """

    def __init__(
        self,
        obs_size: int,
        hidden_units: int,
        num_layers: int,
        normalize: bool,
        num_heads: int = 1,
        memory_size: int = 0,
        *,
        signature: BehaviorSignature | None = None,
        vis_encode_type: object = "simple",
        goal_conditioning: ConditioningType = ConditioningType.HYPER,
    ) -> None:
        super().__init__()
        self.encoder = Encoder(
            obs_size, hidden_units, num_layers, normalize, signature, vis_encode_type, goal_conditioning
        )
        hidden = self.encoder.body.out_size
        self.memory = Memory(hidden, memory_size) if memory_size else None
        self.head = nn.Linear(hidden if self.memory is None else self.memory.hidden_size, num_heads)

    @property
    def normalizer(self) -> RunningNormalizer | None:
        """The running observation normalizer, if any."""
        return self.encoder.normalizer

    def forward(
        self,
        obs: torch.Tensor,
        normalized: bool = False,
        memories: torch.Tensor | None = None,
        sequence_length: int = 1,
    ) -> torch.Tensor:
        """Value estimates.

        Args:
            obs: ``(batch, obs_size)`` raw observations (whole sequences when recurrent).
            normalized: ``obs`` is already normalized.
            memories: a recurrent critic's ``(sequences, memory_size)`` memories at each sequence's start.
            sequence_length: steps per sequence.

        Returns:
            ``(batch,)`` values with one head, ``(batch, num_heads)`` with several.

        """
        return self.recurrent(obs, memories, sequence_length, normalized)[0]

    def recurrent(
        self,
        obs: torch.Tensor,
        memories: torch.Tensor | None,
        sequence_length: int = 1,
        normalized: bool = False,
        lengths: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Value estimates and, for a recurrent critic, the memories after each sequence.

        Args:
            obs: ``(sequences * sequence_length, obs_size)`` observations.
            memories: ``(sequences, memory_size)`` memories at each sequence's start (None: feed-forward).
            sequence_length: steps per sequence.
            normalized: ``obs`` is already normalized.
            lengths: ``(sequences,)`` valid steps of each sequence (padding at its end), or None.

        Returns:
            ``(values, memories after the last valid step or None)``.

        """
        h = self.encoder(obs, normalized)
        new = None
        if self.memory is not None:
            if memories is None:
                raise TrainError("a recurrent critic needs its memories (one row per sequence)")
            out, new = self.memory(h.reshape(-1, sequence_length, h.shape[-1]), memories, lengths)
            h = out.reshape(-1, self.memory.hidden_size)
        return _squeeze_single(self.head(h)), new


def _squeeze_single(values: torch.Tensor) -> torch.Tensor:
    # One head (the extrinsic signal alone) keeps the (batch,) shape every caller of a single critic expects.
    return values.squeeze(-1) if values.shape[-1] == 1 else values


class SharedCritic(nn.Module):
    """Value heads on the actor's encoder (``shared_critic: true``): one body for policy and value.

    A recurrent actor's LSTM is part of that body (upstream's ``SharedActorCritic.critic_pass`` runs the
    actor's ``network_body`` with the critic's memories): the value pass runs the actor's encoder and LSTM
    from the *critic's* memories, which the trainer carries apart from the policy's, as for a separate critic.
    """

    def __init__(self, actor: Actor, num_heads: int = 1) -> None:
        super().__init__()
        self.actor_ref = [
            actor
        ]  # a list keeps the actor out of this module's parameters (no double-counting)
        hidden = actor.encoder.body.out_size if actor.memory is None else actor.memory.hidden_size
        self.head = nn.Linear(hidden, num_heads)

    @property
    def normalizer(self) -> RunningNormalizer | None:
        """Shared with the actor (updated once, there)."""
        return None

    def forward(
        self,
        obs: torch.Tensor,
        normalized: bool = False,
        memories: torch.Tensor | None = None,
        sequence_length: int = 1,
    ) -> torch.Tensor:
        """Value estimates from the actor's features.

        Args:
            obs: ``(batch, obs_size)`` raw observations (whole sequences when recurrent).
            normalized: ``obs`` is already normalized.
            memories: with a recurrent actor, the critic's ``(sequences, memory_size)`` memories at each
                sequence's start.
            sequence_length: steps per sequence.

        Returns:
            ``(batch,)`` values with one head, ``(batch, num_heads)`` with several.

        """
        return self.recurrent(obs, memories, sequence_length, normalized)[0]

    def recurrent(
        self,
        obs: torch.Tensor,
        memories: torch.Tensor | None,
        sequence_length: int = 1,
        normalized: bool = False,
        lengths: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Value estimates and, with a recurrent actor, the critic memories after each sequence.

        Args:
            obs: ``(sequences * sequence_length, obs_size)`` observations.
            memories: ``(sequences, memory_size)`` critic memories at each sequence's start (None without).
            sequence_length: steps per sequence.
            normalized: ``obs`` is already normalized.
            lengths: ``(sequences,)`` valid steps of each sequence (padding at its end), or None.

        Returns:
            ``(values, memories after the last valid step or None)``.

        Raises:
            TrainError: a recurrent actor's value pass without memories.

        """
        actor = self.actor_ref[0]
        h = actor.encoder(obs, normalized)
        new = None
        if actor.memory is not None:
            if memories is None:
                raise TrainError("a recurrent shared critic needs its memories (one row per sequence)")
            out, new = actor.memory(h.reshape(-1, sequence_length, h.shape[-1]), memories, lengths)
            h = out.reshape(-1, actor.memory.hidden_size)
        return _squeeze_single(self.head(h)), new


class QNetwork(nn.Module):
    """Q network for SAC: ``Q(s, a)`` for continuous actions and ``Q(s, .)`` for every discrete action.

    Continuous actions are concatenated with the (normalized) observation at the input, as ML-Agents feeds
    actions to its Q networks; discrete Q values come out as one head per action. With several reward signals
    there is one set of outputs per signal (ML-Agents' ``stream_names``).

    Args:
        signature: the behavior.
        hidden_units: width of each hidden layer.
        num_layers: number of hidden layers.
        normalize: keep running observation statistics.
        num_heads: reward signals (extrinsic first).
        vis_encode_type: encoder of visual observations (their features, not pixels, meet the actions).
        goal_conditioning: ``network_settings.goal_conditioning_type`` (``make_body``; upstream's Q networks
            are ``NetworkBody`` too).
        memory_size: an LSTM after the body (recurrent SAC; upstream's Q ``ValueNetwork`` with memory); 0 for
            none.

    """

    def __init__(
        self,
        signature: BehaviorSignature,
        hidden_units: int,
        num_layers: int,
        normalize: bool,
        num_heads: int = 1,
        *,
        vis_encode_type: object = "simple",
        goal_conditioning: ConditioningType = ConditioningType.HYPER,
        memory_size: int = 0,
    ) -> None:
        super().__init__()
        spec = signature.action_spec
        obs_size = observation_size(signature)
        self.continuous_size = spec.continuous_size
        self.branches = tuple(spec.discrete_branches)
        self.num_heads = num_heads
        self.normalizer: RunningNormalizer | None = None
        self.observations: ObservationEncoder | None = None
        if has_visual(signature):
            self.observations = ObservationEncoder(signature, hidden_units, vis_encode_type)
            self.normalizer = observation_normalizer(signature) if normalize else None
            obs_size = self.observations.out_size
        elif normalize:
            self.normalizer = RunningNormalizer(obs_size)
        self.body = make_body(
            obs_size + self.continuous_size, hidden_units, max(num_layers, 1), signature, goal_conditioning
        )
        self.memory = Memory(self.body.out_size, memory_size) if memory_size else None
        out = self.body.out_size if self.memory is None else self.memory.hidden_size
        self.q_cont = nn.Linear(out, num_heads) if self.continuous_size else None
        self.q_disc = nn.Linear(out, num_heads * sum(self.branches)) if self.branches else None

    def forward(
        self,
        obs: torch.Tensor,
        continuous: torch.Tensor | None,
        memories: torch.Tensor | None = None,
        sequence_length: int = 1,
    ) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        """Q values.

        Args:
            obs: ``(batch, obs_size)`` raw observations (whole sequences when recurrent).
            continuous: ``(batch, n_cont)`` squashed continuous actions, or None without continuous actions.
            memories: a recurrent Q network's ``(sequences, memory_size)`` memories at each sequence's start.
            sequence_length: steps per sequence.

        Returns:
            ``(q_continuous (batch, heads), q_discrete (batch, heads, sum(branches)))``, each None when
            absent.

        """
        x = self.normalizer(obs) if self.normalizer is not None else obs
        if self.observations is not None:
            x = self.observations(x)
        if continuous is not None and self.continuous_size:
            x = torch.cat([x, continuous], dim=1)
        h = self.body(x)
        if self.memory is not None:
            if memories is None:
                raise TrainError("a recurrent Q network needs its memories (one row per sequence)")
            out, _ = self.memory(h.reshape(-1, sequence_length, h.shape[-1]), memories)
            h = out.reshape(-1, self.memory.hidden_size)
        q_cont = self.q_cont(h) if self.q_cont is not None else None
        q_disc = None
        if self.q_disc is not None:
            q_disc = self.q_disc(h).view(h.shape[0], self.num_heads, sum(self.branches))
        return q_cont, q_disc


def count_parameters(module: nn.Module) -> int:
    """Count the trainable parameters (for logs and docs).

    Args:
        module: any module.

    Returns:
        The parameter count.

    """
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


__all__ = [
    "Actor",
    "ActorSample",
    "Critic",
    "Encoder",
    "MLP",
    "Memory",
    "QNetwork",
    "SharedCritic",
    "count_parameters",
    "make_body",
    "observation_size",
]
