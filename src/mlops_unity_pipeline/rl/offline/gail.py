"""GAIL: a discriminator between the policy's and the demonstrator's behavior, used as a reward signal.

Semantics of ML-Agents' GAIL reward provider (``reward_signals.gail``,
``torch_entities/components/reward_providers/gail_reward_provider.py``), written from its
documented behavior:

- the discriminator ``D(s[, a, done])`` is a Swish MLP (``network_settings`` of the signal; observations
  normalized with the *demonstrations'* running statistics) ending in one sigmoid unit; with ``use_actions``
  the flattened actions (environment-space continuous actions, one-hot discrete branches) and the done flag
  join the input;
- loss: ``-mean(log D(expert) + log(1 - D(policy)))``, plus a gradient penalty ``10 * (|grad D(x)| - 1)^2``
  on random interpolations of policy and expert inputs (Gulrajani et al. 2017); one expert minibatch of the
  same size is drawn for each policy minibatch; Adam at ``learning_rate``;
- ``use_vail`` (Peng et al. 2019, variational discriminator bottleneck): the features go through a 128-d
  stochastic encoding ``z ~ N(mu(x), sigma^2)`` (``sigma`` a learned vector), the loss adds
  ``beta * (KL - 0.5)`` and ``beta`` follows a dual ascent ``beta <- max(0, beta + 5e-4 * (KL - 0.5))``
  from 0; no noise when computing rewards;
- reward: ``-log(1 - D(s, a) * (1 - 1e-7))``, times ``strength``, discounted with the signal's ``gamma``.

Logged: ``Losses/GAIL Loss``, ``Policy/GAIL Policy Estimate``, ``Policy/GAIL Expert Estimate``,
``Policy/GAIL Grad Mag Loss`` and, with VAIL, ``Policy/GAIL Beta``, ``Losses/GAIL KL Loss``.

Continuous actions are compared in environment space on both sides: the recorder stores what the
environment received, so comparing it with raw Gaussian samples (as ML-Agents does with PPO's buffer) would
let the discriminator tell policy from expert by scale alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from ...errors import ConfigError
from ..layers import linear_layer
from ..networks import MLP
from ..normalizer import RunningNormalizer
from .data import Transitions

EPSILON = 1e-7
"""Keeps the logs finite (ML-Agents ``DiscriminatorNetwork.EPSILON``)."""
GRADIENT_PENALTY_WEIGHT = 10.0
"""Weight of the gradient-magnitude penalty."""
Z_SIZE = 128
"""Size of the VAIL encoding."""
VAIL_BETA_RATE = 5e-4
"""Dual-ascent step of the VAIL multiplier beta."""
VAIL_INFORMATION = 0.5
"""Target KL (information constraint I_c) of VAIL."""


class Discriminator(nn.Module):
    """``D(x)`` in (0, 1): 1 = looks like the demonstrations.

    Args:
        obs_size: concatenated observation size.
        action_size: size of the action features (0 without ``use_actions``; includes the done flag).
        hidden_units: layer width.
        num_layers: hidden layers.
        normalize: normalize observations with running statistics of the demonstrations.
        use_vail: variational bottleneck.

    """

    def __init__(
        self,
        obs_size: int,
        action_size: int,
        hidden_units: int,
        num_layers: int,
        normalize: bool,
        use_vail: bool,
    ) -> None:
        super().__init__()
        self.normalizer = RunningNormalizer(obs_size) if normalize else None
        self.body = MLP(obs_size + action_size, hidden_units, max(1, num_layers))
        self.use_vail = use_vail
        size = self.body.out_size
        self.z_mu: nn.Linear | None = None
        if use_vail:
            self.z_mu = linear_layer(size, Z_SIZE, 0.1)
            self.z_sigma = nn.Parameter(torch.ones(Z_SIZE))
            self.register_buffer("beta", torch.zeros(()))
            size = Z_SIZE
        self.estimator = linear_layer(size, 1, 0.2)

    def inputs(self, obs: torch.Tensor, actions: torch.Tensor | None) -> torch.Tensor:
        """Return normalized observations, with the action features appended when given.

        Args:
            obs: ``(batch, obs_size)`` raw observations.
            actions: ``(batch, action_size)`` or None.

        Returns:
            The network input.

        """
        x = self.normalizer(obs) if self.normalizer is not None else obs
        return x if actions is None else torch.cat([x, actions], dim=1)

    def estimate(self, x: torch.Tensor, *, noise: bool) -> tuple[torch.Tensor, torch.Tensor | None]:
        """``D`` of prepared inputs.

        Args:
            x: ``inputs(...)``.
            noise: sample the VAIL encoding (training) instead of taking its mean (rewards).

        Returns:
            ``(D (batch,), z_mu or None)``.

        """
        h = self.body(x)
        mu = None
        if self.z_mu is not None:
            mu = self.z_mu(h)
            h = mu + torch.randn_like(mu) * self.z_sigma if noise else mu
        return torch.sigmoid(self.estimator(h)).squeeze(-1), mu


class GAILRewardSignal:
    """The ``gail`` reward signal: rewards for policy transitions and discriminator updates.

    Args:
        signature_obs_size: concatenated observation size of the behavior.
        branches: discrete branch sizes.
        continuous_size: continuous action size.
        settings: the ``GAILSettings``.
        data: the demonstrations.
        generator: torch generator for expert minibatches.

    Raises:
        ConfigError: an empty demonstration set.

    """

    def __init__(
        self,
        signature_obs_size: int,
        branches: tuple[int, ...],
        continuous_size: int,
        settings: Any,
        data: Transitions,
        generator: torch.Generator,
    ) -> None:
        if len(data) == 0:
            raise ConfigError(
                f"reward_signals.gail.demo_path {settings.demo_path}: no demonstration transitions"
            )
        self.settings = settings
        self.data = data
        self.generator = generator
        self.branches = tuple(branches)
        self.use_actions = bool(settings.use_actions)
        self.strength = float(settings.strength)
        self.gamma = float(settings.gamma)
        action_size = continuous_size + sum(self.branches) + 1 if self.use_actions else 0
        net = settings.network_settings
        self.discriminator = Discriminator(
            signature_obs_size,
            action_size,
            net.hidden_units,
            net.num_layers,
            net.normalize,
            bool(settings.use_vail),
        )
        self.optimizer = torch.optim.Adam(self.discriminator.parameters(), lr=float(settings.learning_rate))

    def _action_input(
        self, continuous: torch.Tensor, discrete: torch.Tensor, dones: torch.Tensor
    ) -> torch.Tensor | None:
        if not self.use_actions:
            return None
        parts = [continuous]
        parts += [
            nn.functional.one_hot(discrete[:, i], n).to(continuous.dtype) for i, n in enumerate(self.branches)
        ]
        return torch.cat([*parts, dones.reshape(-1, 1).to(continuous.dtype)], dim=1)

    @torch.no_grad()
    def rewards(
        self, obs: torch.Tensor, continuous: torch.Tensor, discrete: torch.Tensor, dones: torch.Tensor
    ) -> np.ndarray:
        """GAIL rewards ``-log(1 - D)`` of policy transitions, before ``strength``.

        Args:
            obs: ``(n, obs_size)`` raw observations.
            continuous: ``(n, n_cont)`` environment-space continuous actions.
            discrete: ``(n, n_branches)`` int64 discrete actions.
            dones: ``(n,)`` 1 where the transition ended the episode on its own.

        Returns:
            ``(n,)`` float32 rewards.

        """
        d = self.discriminator
        estimate, _ = d.estimate(d.inputs(obs, self._action_input(continuous, discrete, dones)), noise=False)
        return (-torch.log(1.0 - estimate * (1.0 - EPSILON))).numpy().astype(np.float32)

    def update(
        self, obs: torch.Tensor, continuous: torch.Tensor, discrete: torch.Tensor, dones: torch.Tensor
    ) -> dict[str, float]:
        """One discriminator step on a policy minibatch and an equally large expert minibatch.

        Args:
            obs: ``(n, obs_size)`` raw policy observations.
            continuous: ``(n, n_cont)`` environment-space continuous actions.
            discrete: ``(n, n_branches)`` discrete actions.
            dones: ``(n,)`` termination flags.

        Returns:
            The statistics, keyed by ML-Agents' tag names.

        """
        d = self.discriminator
        expert = self.data.sample(obs.shape[0], self.generator)
        if d.normalizer is not None:
            d.normalizer.update(expert.obs)  # ML-Agents normalizes with the demonstrations' statistics
        x_policy = d.inputs(obs, self._action_input(continuous, discrete, dones))
        x_expert = d.inputs(
            expert.obs, self._action_input(expert.continuous, expert.discrete, expert.terminals)
        )
        policy_estimate, policy_mu = d.estimate(x_policy, noise=True)
        expert_estimate, expert_mu = d.estimate(x_expert, noise=True)
        gail_loss = -(
            torch.log(expert_estimate + EPSILON) + torch.log(1.0 - policy_estimate + EPSILON)
        ).mean()
        stats = {
            "Policy/GAIL Policy Estimate": float(policy_estimate.mean().detach()),
            "Policy/GAIL Expert Estimate": float(expert_estimate.mean().detach()),
            "Losses/GAIL Loss": float(gail_loss.detach()),
        }
        total = gail_loss
        if policy_mu is not None and expert_mu is not None:
            var = d.z_sigma**2
            # KL(N(mu_e, var) || N(0, 1)) + KL(N(mu_p, var) || N(0, 1)), summed over the encoding, batch mean.
            kl = (0.5 * expert_mu**2 + 0.5 * policy_mu**2 + var - 1.0 - torch.log(var)).sum(-1).mean()
            total = total + d.beta.clone() * (kl - VAIL_INFORMATION)
            stats["Losses/GAIL KL Loss"] = float(kl.detach())
        penalty = GRADIENT_PENALTY_WEIGHT * self._gradient_penalty(x_policy.detach(), x_expert.detach())
        stats["Policy/GAIL Grad Mag Loss"] = float(penalty.detach())
        total = total + penalty
        self.optimizer.zero_grad(set_to_none=True)
        total.backward()
        self.optimizer.step()
        if d.use_vail:
            # Dual ascent on beta after the step that used it (beta is a constant of that loss).
            kl_value = stats["Losses/GAIL KL Loss"]
            d.beta.copy_(torch.clamp(d.beta + VAIL_BETA_RATE * (kl_value - VAIL_INFORMATION), min=0.0))
            stats["Policy/GAIL Beta"] = float(d.beta)
        return stats

    def _gradient_penalty(self, x_policy: torch.Tensor, x_expert: torch.Tensor) -> torch.Tensor:
        # WGAN-GP style: (|dD/dx| - 1)^2 at random points between policy and expert inputs.
        eps = torch.rand((x_policy.shape[0], 1), generator=self.generator)
        x = (eps * x_policy + (1.0 - eps) * x_expert).requires_grad_(True)
        estimate, _ = self.discriminator.estimate(x, noise=True)
        (grad,) = torch.autograd.grad(estimate.sum(), x, create_graph=True)
        norm = torch.sqrt((grad**2).sum(-1) + EPSILON)
        return ((norm - 1.0) ** 2).mean()
