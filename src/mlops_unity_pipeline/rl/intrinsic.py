"""Intrinsic reward signals: ``curiosity`` (forward + inverse model) and ``rnd`` (random net distillation).

Facts from ML-Agents Release 22 (``torch_entities/components/reward_providers/``
``curiosity_reward_provider.py`` and ``rnd_reward_provider.py``; signatures and constants only, no code):

- **curiosity** (Pathak et al. 2017): a state encoder (``network_settings`` of the signal: ``num_layers`` x
  Linear+Swish of ``hidden_units``) embeds ``s`` and ``s'``; the inverse model (one 256-unit Swish layer on
  ``[phi(s), phi(s')]``) predicts the action (squared error for continuous actions, cross-entropy of a
  per-branch softmax for discrete ones); the forward model (one 256-unit Swish layer on ``[phi(s), a]`` with
  discrete actions one-hot, then a linear layer back to ``hidden_units``) predicts ``phi(s')``. The reward is
  ``min(0.5 * sum((phi(s') - f(phi(s), a))^2), 1 / strength)``, zero until the first update, times
  ``strength``. The loss is ``10 * (0.2 * forward + 0.8 * inverse)`` with Adam at the signal's
  ``learning_rate``; the encoder is trained by both terms (the target embedding is not detached).
- **rnd** (Burda et al. 2018): a fixed random encoder and a trained predictor of the same shape on ``s``; the
  reward is ``sum((predictor(s) - target(s))^2)`` (no clipping) times ``strength``; the loss is its mean.
  With ``network_settings.normalize`` both networks normalize observations with running statistics that every
  forward pass updates (after using them).
- Both ignore episode ends in GAE (``_ignore_done``): their value bootstraps even after a terminal step.

Two deliberate differences, both documented in ``docs/trainer.md``: the curiosity encoder does not normalize
observations (ML-Agents builds a normalizer but never updates it, so it only clamps at ±5), and PPO trains
the signals after the policy update over their own shuffled minibatches of the same buffer (same count and
size as ML-Agents' per-minibatch updates).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..spaces import BehaviorSignature
from .conditioning import goal_columns
from .config import ConditioningType, RewardSignalType, TrainerSettings
from .encoders import has_visual
from .networks import MLP, Encoder
from .normalizer import RunningNormalizer

CURIOSITY_FORWARD_WEIGHT = 0.2
"""``beta`` of ML-Agents' ``CuriosityRewardProvider``: forward vs inverse loss weight."""
CURIOSITY_LOSS_MULTIPLIER = 10.0
"""``loss_multiplier`` of ML-Agents' ``CuriosityRewardProvider``."""
CURIOSITY_MODEL_UNITS = 256
"""Width of the forward and inverse models' hidden layer (ML-Agents ``LinearEncoder(..., 1, 256)``)."""
CROSS_ENTROPY_EPS = 1.0e-10
"""Inside ``log(p + eps)`` of the inverse model's cross-entropy (ML-Agents ``CuriosityNetwork.EPSILON``)."""


def _xavier(layer: nn.Linear) -> nn.Linear:
    # ML-Agents' linear_layer default: Xavier-Glorot uniform weights, zero bias.
    nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


def flatten_actions(
    continuous: torch.Tensor, discrete: torch.Tensor, branches: tuple[int, ...]
) -> torch.Tensor:
    """Continuous actions followed by one one-hot vector per discrete branch (ML-Agents ``ActionFlattener``).

    Args:
        continuous: ``(n, n_cont)`` actions.
        discrete: ``(n, n_branches)`` indices.
        branches: the branch sizes.

    Returns:
        ``(n, n_cont + sum(branches))`` float32.

    """
    parts = [continuous.float()]
    parts += [F.one_hot(discrete[:, i].long(), size).float() for i, size in enumerate(branches)]
    return torch.cat(parts, dim=1)


class CuriosityNetwork(nn.Module):
    """State encoder, inverse model and forward model of the intrinsic curiosity module.

    Args:
        obs_size: concatenated observation size.
        continuous_size: continuous actions.
        branches: discrete branch sizes.
        hidden_units: encoder width (the signal's ``network_settings.hidden_units``).
        num_layers: encoder depth.
        signature: the behavior; visual and variable-length sensors get their encoders (``rl/encoders.py``)
            in front of the MLP, as upstream's curiosity state encoder is a full ``NetworkBody``.
        vis_encode_type: the signal's ``network_settings.vis_encode_type``.
        goal_conditioning: the signal's ``network_settings.goal_conditioning_type``.

    """

    def __init__(
        self,
        obs_size: int,
        continuous_size: int,
        branches: tuple[int, ...],
        hidden_units: int,
        num_layers: int,
        *,
        signature: BehaviorSignature | None = None,
        vis_encode_type: object = "simple",
        goal_conditioning: ConditioningType = ConditioningType.HYPER,
    ) -> None:
        super().__init__()
        self.continuous_size = continuous_size
        self.branches = branches
        self.encoder: nn.Module = MLP(obs_size, hidden_units, num_layers)
        # Upstream's state encoder is a full NetworkBody: visual encoders and goal conditioning included.
        if signature is not None and (has_visual(signature) or goal_columns(signature, hidden_units)):
            self.encoder = Encoder(
                obs_size, hidden_units, num_layers, False, signature, vis_encode_type, goal_conditioning
            )
        units = CURIOSITY_MODEL_UNITS
        self.inverse_body = MLP(2 * hidden_units, units, 1)
        self.inverse_continuous = _xavier(nn.Linear(units, continuous_size)) if continuous_size else None
        self.inverse_discrete = _xavier(nn.Linear(units, sum(branches))) if branches else None
        self.forward_body = MLP(hidden_units + continuous_size + sum(branches), units, 1)
        self.forward_head = _xavier(nn.Linear(units, hidden_units))
        # ML-Agents' _has_updated_once, kept in the state dict so a resumed run keeps giving rewards.
        self.register_buffer("updated_once", torch.zeros((), dtype=torch.bool))

    def prediction_error(
        self, obs: torch.Tensor, next_obs: torch.Tensor, continuous: torch.Tensor, discrete: torch.Tensor
    ) -> torch.Tensor:
        """``0.5 * sum((phi(s') - forward(phi(s), a))^2)`` per row: the raw reward and the forward loss term.

        Args:
            obs: ``(n, obs_size)``.
            next_obs: ``(n, obs_size)`` the observation after the action.
            continuous: ``(n, n_cont)`` actions taken.
            discrete: ``(n, n_branches)`` actions taken.

        Returns:
            ``(n,)`` errors.

        """
        state, next_state = self.encoder(obs), self.encoder(next_obs)
        actions = flatten_actions(continuous, discrete, self.branches)
        predicted = self.forward_head(self.forward_body(torch.cat([state, actions], dim=1)))
        return 0.5 * ((next_state - predicted) ** 2).sum(dim=1)

    def inverse_loss(
        self, obs: torch.Tensor, next_obs: torch.Tensor, continuous: torch.Tensor, discrete: torch.Tensor
    ) -> torch.Tensor:
        """Mean action-prediction error: squared error (continuous) plus cross-entropy (discrete branches).

        Args:
            obs: ``(n, obs_size)``.
            next_obs: ``(n, obs_size)``.
            continuous: ``(n, n_cont)`` actions taken.
            discrete: ``(n, n_branches)`` actions taken.

        Returns:
            The scalar loss.

        """
        hidden = self.inverse_body(torch.cat([self.encoder(obs), self.encoder(next_obs)], dim=1))
        loss = hidden.new_zeros(())
        if self.inverse_continuous is not None:
            loss = loss + ((continuous - self.inverse_continuous(hidden)) ** 2).sum(dim=1).mean()
        if self.inverse_discrete is not None:
            logits = torch.split(self.inverse_discrete(hidden), list(self.branches), dim=1)
            probs = torch.cat([torch.softmax(part, dim=1) for part in logits], dim=1)
            onehot = flatten_actions(continuous[:, :0], discrete, self.branches)
            loss = loss + (-torch.log(probs + CROSS_ENTROPY_EPS) * onehot).sum(dim=1).mean()
        return loss


class RNDNetwork(nn.Module):
    """One RND network: the trainer's observation ``Encoder`` whose normalizer learns from what it embeds.

    The encoder is the policy's (optional running normalizer, visual or variable-length sensors through
    ``rl/encoders.py``, ``num_layers`` x Linear+Swish), as upstream's RND state encoder is a full
    ``NetworkBody``; unlike the policy's, its normalizer is updated on every forward pass.
    """

    def __init__(
        self,
        obs_size: int,
        hidden_units: int,
        num_layers: int,
        normalize: bool,
        *,
        signature: BehaviorSignature | None = None,
        vis_encode_type: object = "simple",
        goal_conditioning: ConditioningType = ConditioningType.HYPER,
    ) -> None:
        super().__init__()
        self.encoder = Encoder(
            obs_size, hidden_units, num_layers, normalize, signature, vis_encode_type, goal_conditioning
        )

    @property
    def normalizer(self) -> RunningNormalizer | None:
        """The running observation normalizer, if any."""
        return self.encoder.normalizer

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        """Embed observations, then fold them into the normalizer (ML-Agents ``RNDNetwork.forward``).

        Args:
            obs: ``(n, obs_size)`` raw observations.

        Returns:
            ``(n, hidden_units)`` embeddings.

        """
        hidden = self.encoder(obs)
        if self.normalizer is not None:
            self.normalizer.update(obs)
        return hidden


class IntrinsicSignal:
    """A learned reward signal: rewards for transitions, and its own model update.

    Args:
        name: ``"curiosity"`` or ``"rnd"`` (the ``reward_signals`` key).
        settings: the signal's settings (``gamma``, ``strength``, ``learning_rate``, ``network_settings``).

    """

    ignore_done = True
    """ML-Agents' ``_ignore_done``: the signal's value bootstraps even after a terminal step."""

    def __init__(self, name: str, settings: Any) -> None:
        self.name = name
        self.gamma = float(settings.gamma)
        self.strength = float(settings.strength)
        self.reward_tag = f"Policy/{name.capitalize()} Reward"
        """ML-Agents' ``BaseRewardProvider.stat_name``."""
        self.value_tag = f"Policy/{name.capitalize()} Value Estimate"
        self._rows: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    # --- subclass API ---
    def raw_rewards(
        self, obs: torch.Tensor, next_obs: torch.Tensor, continuous: torch.Tensor, discrete: torch.Tensor
    ) -> torch.Tensor:
        """Rewards before ``strength`` (no gradient).

        Args:
            obs: ``(n, obs_size)``.
            next_obs: ``(n, obs_size)``.
            continuous: ``(n, n_cont)``.
            discrete: ``(n, n_branches)``.

        Returns:
            ``(n,)`` rewards.

        """
        raise NotImplementedError

    def update(
        self, obs: torch.Tensor, next_obs: torch.Tensor, continuous: torch.Tensor, discrete: torch.Tensor
    ) -> dict[str, float]:
        """One gradient step of the signal's model on a minibatch.

        Args:
            obs: ``(n, obs_size)``.
            next_obs: ``(n, obs_size)``.
            continuous: ``(n, n_cont)``.
            discrete: ``(n, n_branches)``.

        Returns:
            Losses keyed by ML-Agents tag names.

        """
        raise NotImplementedError

    def modules(self) -> dict[str, nn.Module]:
        """Return the networks saved in checkpoints."""
        raise NotImplementedError

    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        """Return the optimizers saved in checkpoints."""
        raise NotImplementedError

    # --- shared ---
    def rewards(
        self,
        obs: np.ndarray,
        next_obs: np.ndarray,
        continuous: np.ndarray,
        discrete: np.ndarray,
        *,
        keep: bool = False,
    ) -> np.ndarray:
        """Scaled rewards ``strength * raw`` of transitions; ``keep`` stores them for ``train``.

        Args:
            obs: ``(n, obs_size)``.
            next_obs: ``(n, obs_size)`` observations after the actions.
            continuous: ``(n, n_cont)`` actions taken (PPO: raw Gaussian samples, as ML-Agents stores them).
            discrete: ``(n, n_branches)`` actions taken.
            keep: remember the rows for the next ``train`` (PPO's update buffer).

        Returns:
            ``(n,)`` float32 rewards.

        """
        if keep:
            self._rows.append((obs, next_obs, continuous, discrete))
        with torch.no_grad():
            raw = self.raw_rewards(
                torch.from_numpy(obs),
                torch.from_numpy(next_obs),
                torch.from_numpy(np.ascontiguousarray(continuous, np.float32)),
                torch.from_numpy(np.ascontiguousarray(discrete, np.int64)),
            )
        return (raw * self.strength).numpy().astype(np.float32)

    def train(self, num_epoch: int, batch_size: int, generator: torch.Generator) -> dict[str, float]:
        """Update on the rows kept since the last call: ``num_epoch`` shuffled passes, ``batch_size`` slices.

        Args:
            num_epoch: passes (PPO's ``num_epoch``).
            batch_size: minibatch size (PPO's ``batch_size``; a smaller remainder is skipped).
            generator: torch generator for the permutations.

        Returns:
            Mean losses over the minibatches, keyed by ML-Agents tag names.

        """
        if not self._rows:
            return {}
        obs, next_obs, cont, disc = (
            torch.from_numpy(np.ascontiguousarray(np.concatenate(part)))
            for part in zip(*self._rows, strict=True)
        )
        self._rows = []
        size = obs.shape[0]
        bs = max(1, min(batch_size, size))
        totals: dict[str, list[float]] = {}
        for _ in range(num_epoch):
            perm = torch.randperm(size, generator=generator)
            for i in range(size // bs):
                idx = perm[i * bs : (i + 1) * bs]
                for key, value in self.update(
                    obs[idx], next_obs[idx], cont[idx].float(), disc[idx].long()
                ).items():
                    totals.setdefault(key, []).append(value)
        return {key: float(np.mean(values)) for key, values in totals.items()}


class CuriositySignal(IntrinsicSignal):
    """``reward_signals.curiosity``.

    Args:
        obs_size: concatenated observation size.
        continuous_size: continuous actions.
        branches: discrete branch sizes.
        settings: ``CuriositySettings``.
        signature: the behavior (its visual sensors get encoders), or None for vector rows.

    """

    def __init__(
        self,
        obs_size: int,
        continuous_size: int,
        branches: tuple[int, ...],
        settings: Any,
        signature: BehaviorSignature | None = None,
    ) -> None:
        super().__init__("curiosity", settings)
        net = settings.network_settings
        self.network = CuriosityNetwork(
            obs_size,
            continuous_size,
            branches,
            net.hidden_units,
            net.num_layers,
            signature=signature,
            vis_encode_type=getattr(net, "vis_encode_type", "simple"),  # schema default
            goal_conditioning=getattr(net, "goal_conditioning_type", ConditioningType.HYPER),
        )
        self.optimizer = torch.optim.Adam(self.network.parameters(), lr=float(settings.learning_rate))

    def raw_rewards(
        self, obs: torch.Tensor, next_obs: torch.Tensor, continuous: torch.Tensor, discrete: torch.Tensor
    ) -> torch.Tensor:
        """``min(prediction error, 1 / strength)``, or zeros before the first update."""
        if not bool(self.network.updated_once):  # ML-Agents: no reward before the model was trained once
            return obs.new_zeros(obs.shape[0])
        error = self.network.prediction_error(obs, next_obs, continuous, discrete)
        return torch.clamp(error, max=1.0 / self.strength) if self.strength > 0 else error

    def update(
        self, obs: torch.Tensor, next_obs: torch.Tensor, continuous: torch.Tensor, discrete: torch.Tensor
    ) -> dict[str, float]:
        """``10 * (0.2 * forward + 0.8 * inverse)`` and one Adam step."""
        self.network.updated_once.fill_(True)
        forward_loss = self.network.prediction_error(obs, next_obs, continuous, discrete).mean()
        inverse_loss = self.network.inverse_loss(obs, next_obs, continuous, discrete)
        loss = CURIOSITY_LOSS_MULTIPLIER * (
            CURIOSITY_FORWARD_WEIGHT * forward_loss + (1.0 - CURIOSITY_FORWARD_WEIGHT) * inverse_loss
        )
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return {
            "Losses/Curiosity Forward Loss": float(forward_loss.detach()),
            "Losses/Curiosity Inverse Loss": float(inverse_loss.detach()),
        }

    def modules(self) -> dict[str, nn.Module]:
        """Return the curiosity network (with its ``updated_once`` flag)."""
        return {"Curiosity": self.network}

    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        """Return the curiosity optimizer."""
        return {"Curiosity": self.optimizer}


class RNDSignal(IntrinsicSignal):
    """``reward_signals.rnd``.

    Args:
        obs_size: concatenated observation size.
        settings: ``RNDSettings``.
        signature: the behavior (its visual sensors get encoders), or None for vector rows.

    """

    def __init__(self, obs_size: int, settings: Any, signature: BehaviorSignature | None = None) -> None:
        super().__init__("rnd", settings)
        net = settings.network_settings
        shape = (obs_size, net.hidden_units, net.num_layers, net.normalize)
        encoders = {
            "signature": signature,
            "vis_encode_type": getattr(net, "vis_encode_type", "simple"),
            "goal_conditioning": getattr(net, "goal_conditioning_type", ConditioningType.HYPER),
        }
        self.target = RNDNetwork(*shape, **encoders).requires_grad_(False)
        self.predictor = RNDNetwork(*shape, **encoders)
        self.optimizer = torch.optim.Adam(self.predictor.parameters(), lr=float(settings.learning_rate))

    def raw_rewards(
        self, obs: torch.Tensor, next_obs: torch.Tensor, continuous: torch.Tensor, discrete: torch.Tensor
    ) -> torch.Tensor:
        """``sum((predictor(s) - target(s))^2)`` per row."""
        return ((self.predictor(obs) - self.target(obs)) ** 2).sum(dim=1)

    def update(
        self, obs: torch.Tensor, next_obs: torch.Tensor, continuous: torch.Tensor, discrete: torch.Tensor
    ) -> dict[str, float]:
        """Mean squared distillation error and one Adam step of the predictor."""
        with torch.no_grad():
            target = self.target(obs)
        loss = ((self.predictor(obs) - target) ** 2).sum(dim=1).mean()
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return {"Losses/RND Loss": float(loss.detach())}

    def modules(self) -> dict[str, nn.Module]:
        """Return the predictor and the fixed target."""
        return {"RNDPredictor": self.predictor, "RNDTarget": self.target}

    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        """Return the predictor's optimizer."""
        return {"RND": self.optimizer}


def make_signals(
    obs_size: int,
    continuous_size: int,
    branches: tuple[int, ...],
    settings: TrainerSettings,
    *,
    signature: BehaviorSignature | None = None,
) -> list[IntrinsicSignal]:
    """Build the ``curiosity`` and ``rnd`` signals a behavior's ``reward_signals`` asks for, in config order.

    Args:
        obs_size: concatenated observation size.
        continuous_size: continuous actions.
        branches: discrete branch sizes.
        settings: the behavior's ``TrainerSettings``.
        signature: the behavior; visual and variable-length sensors get their encoders in the signal models.

    Returns:
        The signals (empty without curiosity and rnd).

    """
    signals: list[IntrinsicSignal] = []
    for kind, value in settings.reward_signals.items():
        if kind is RewardSignalType.CURIOSITY:
            signals.append(CuriositySignal(obs_size, continuous_size, branches, value, signature))
        elif kind is RewardSignalType.RND:
            signals.append(RNDSignal(obs_size, value, signature))
    return signals
