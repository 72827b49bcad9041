"""Policy and value networks: Swish MLPs of ``hidden_units`` x ``num_layers`` with observation normalization.

Mirrors ML-Agents' torch networks (mlagents.md §1.3): every hidden layer is ``Linear`` + Swish, hidden weights
use Kaiming-He normal init, the continuous mean head uses gain 0.2 and discrete logit heads gain 0.1 so the
initial policy is close to uniform; PPO keeps a state-independent log std, SAC a state-dependent one with tanh
squashing. All observations of a behavior arrive as one flat row (sensors concatenated in order); vector
behaviors feed it to the body, visual and variable-length sensors first go through ``encoders.py``.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from ..spaces import BehaviorSignature
from . import distributions as D
from .encoders import ObservationEncoder, has_visual, observation_normalizer
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


def _kaiming(layer: nn.Linear, gain: float) -> nn.Linear:
    # Kaiming-He normal scaled by `gain`, zero bias (ML-Agents `linear_layer(kernel_init=KaimingHeNormal)`).
    nn.init.kaiming_normal_(layer.weight, nonlinearity="linear")
    layer.weight.data.mul_(gain)
    nn.init.zeros_(layer.bias)
    return layer


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
            layers += [_kaiming(nn.Linear(size, hidden_units), 1.0), nn.SiLU()]
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


class Encoder(nn.Module):
    """Optional running normalizer, per-sensor encoders (visual, variable-length sensors), then the MLP body.

    Args:
        obs_size: flat observation row size.
        hidden_units: width of each hidden layer (and of each visual encoder's output).
        num_layers: number of hidden layers.
        normalize: keep running statistics of the vector observations.
        signature: the behavior; a non-vector sensor puts ``encoders.ObservationEncoder`` before the body.
        vis_encode_type: ``network_settings.vis_encode_type`` for visual observations.

    """

    def __init__(
        self,
        obs_size: int,
        hidden_units: int,
        num_layers: int,
        normalize: bool,
        signature: BehaviorSignature | None = None,
        vis_encode_type: object = "simple",
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
        self.body = MLP(in_size, hidden_units, num_layers)

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


class Actor(nn.Module):
    """The policy: encoder + continuous Gaussian head and/or one masked categorical head per discrete branch.

    Args:
        signature: the behavior (observation sizes and action spec).
        hidden_units: width of each hidden layer.
        num_layers: number of hidden layers.
        normalize: keep running observation statistics inside the network.
        tanh_squash: SAC-style actor (state-dependent log std, tanh-squashed actions); False = PPO-style.
        vis_encode_type: encoder of visual observations (``network_settings.vis_encode_type``).

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
    ) -> None:
        super().__init__()
        spec = signature.action_spec
        self.obs_size = observation_size(signature)
        self.continuous_size = spec.continuous_size
        self.branches = tuple(spec.discrete_branches)
        self.tanh_squash = tanh_squash
        self.encoder = Encoder(self.obs_size, hidden_units, num_layers, normalize, signature, vis_encode_type)
        hidden = self.encoder.body.out_size
        self.mu: nn.Linear | None = None
        self.log_std_head: nn.Linear | None = None
        self.log_std: nn.Parameter | None = None
        if self.continuous_size:
            self.mu = _kaiming(nn.Linear(hidden, self.continuous_size), 0.2)
            if tanh_squash:
                self.log_std_head = _kaiming(nn.Linear(hidden, self.continuous_size), 0.2)
            else:
                self.log_std = nn.Parameter(torch.zeros(self.continuous_size))
        self.logits = _kaiming(nn.Linear(hidden, sum(self.branches)), 0.1) if self.branches else None

    @property
    def normalizer(self) -> RunningNormalizer | None:
        """The running observation normalizer, if any."""
        return self.encoder.normalizer

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
        h = self.encoder(obs, normalized)
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
        mean, log_std, branch_lp = self.heads(obs, mask)
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
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Log-probabilities and entropy of given actions under the current policy (PPO update).

        Args:
            obs: ``(batch, obs_size)`` raw observations.
            continuous: ``(batch, n_cont)`` raw continuous actions taken.
            discrete: ``(batch, n_branches)`` discrete indices taken.
            mask: the action masks in force when they were taken.
            normalized: ``obs`` is already normalized.

        Returns:
            ``(log_prob, entropy)``: ``(batch, n_cont + n_branches)`` per-dimension log-probabilities and the
            ``(batch,)`` entropy: the mean over continuous dimensions plus the sum over discrete branches
            (ML-Agents ``ActionModel.evaluate``).

        """
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

    """

    def __init__(
        self,
        obs_size: int,
        hidden_units: int,
        num_layers: int,
        normalize: bool,
        num_heads: int = 1,
        *,
        signature: BehaviorSignature | None = None,
        vis_encode_type: object = "simple",
    ) -> None:
        super().__init__()
        self.encoder = Encoder(obs_size, hidden_units, num_layers, normalize, signature, vis_encode_type)
        self.head = nn.Linear(self.encoder.body.out_size, num_heads)

    @property
    def normalizer(self) -> RunningNormalizer | None:
        """The running observation normalizer, if any."""
        return self.encoder.normalizer

    def forward(self, obs: torch.Tensor, normalized: bool = False) -> torch.Tensor:
        """Value estimates.

        Args:
            obs: ``(batch, obs_size)`` raw observations.
            normalized: ``obs`` is already normalized.

        Returns:
            ``(batch,)`` values with one head, ``(batch, num_heads)`` with several.

        """
        return _squeeze_single(self.head(self.encoder(obs, normalized)))


def _squeeze_single(values: torch.Tensor) -> torch.Tensor:
    # One head (the extrinsic signal alone) keeps the (batch,) shape every caller of a single critic expects.
    return values.squeeze(-1) if values.shape[-1] == 1 else values


class SharedCritic(nn.Module):
    """Value heads on the actor's encoder (``shared_critic: true``): one body for policy and value."""

    def __init__(self, actor: Actor, num_heads: int = 1) -> None:
        super().__init__()
        self.actor_ref = [
            actor
        ]  # a list keeps the actor out of this module's parameters (no double-counting)
        self.head = nn.Linear(actor.encoder.body.out_size, num_heads)

    @property
    def normalizer(self) -> RunningNormalizer | None:
        """Shared with the actor (updated once, there)."""
        return None

    def forward(self, obs: torch.Tensor, normalized: bool = False) -> torch.Tensor:
        """Value estimates from the actor's features.

        Args:
            obs: ``(batch, obs_size)`` raw observations.
            normalized: ``obs`` is already normalized.

        Returns:
            ``(batch,)`` values with one head, ``(batch, num_heads)`` with several.

        """
        return _squeeze_single(self.head(self.actor_ref[0].encoder(obs, normalized)))


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
        self.body = MLP(obs_size + self.continuous_size, hidden_units, max(num_layers, 1))
        self.q_cont = nn.Linear(hidden_units, num_heads) if self.continuous_size else None
        self.q_disc = nn.Linear(hidden_units, num_heads * sum(self.branches)) if self.branches else None

    def forward(
        self, obs: torch.Tensor, continuous: torch.Tensor | None
    ) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        """Q values.

        Args:
            obs: ``(batch, obs_size)`` raw observations.
            continuous: ``(batch, n_cont)`` squashed continuous actions, or None without continuous actions.

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
    "QNetwork",
    "SharedCritic",
    "count_parameters",
    "observation_size",
]
