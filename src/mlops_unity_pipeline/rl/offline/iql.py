"""Implicit Q-Learning (Kostrikov, Nair & Levine 2021): offline RL from the rewards in demonstrations.

Why IQL (see ``docs/offline_rl.md``): it never evaluates Q on actions outside the dataset, so it needs no
``max_a Q`` (discrete) and no actor-in-the-loop critic (continuous); one formulation serves both action types
and hybrids. Three losses per step:

1. value: expectile regression of ``V(s)`` towards ``min(Q1, Q2)`` of the *dataset* action (eq. 5);
2. Q: ``Q_i(s, a) -> r + gamma * (1 - terminal) * V(s')`` for both Q networks (eq. 6), with Polyak-averaged
   target Q networks feeding step 1;
3. policy extraction: advantage-weighted regression, maximize ``exp(beta * (Q - V)) * log pi(a|s)`` with the
   weight clipped at ``max_weight`` (eq. 7).

The policy is the trainer's own ``Actor`` and the value network the trainer's own ``Critic``, so the result
loads into PPO (or SAC, policy only) as ``init_path``. With ``expectile = 0.5`` the value and Q losses are
plain in-sample policy evaluation (SARSA-style), which ``pretrain`` uses to give a behavioral-cloning policy a
critic.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ...errors import ConfigError
from .. import distributions as D
from ..distributions import CONTINUOUS_CLIP
from ..networks import MLP, Actor, Critic
from .data import Transitions


@dataclass(frozen=True)
class IQLConfig:
    """IQL hyperparameters (the paper's defaults for locomotion, except ``temperature``)."""

    expectile: float = 0.7
    """Expectile tau of the value regression; 0.5 = mean (policy evaluation), near 1 = max over the data."""
    temperature: float = 3.0
    """Inverse temperature beta of the advantage weights; 0 = plain behavioral cloning."""
    max_weight: float = 100.0
    """Advantage weights are clipped at this value (the paper's 100)."""
    tau: float = 0.005
    """Polyak rate of the target Q networks."""
    learning_rate: float = 3.0e-4
    """Adam learning rate of every network."""
    batch_size: int = 256
    """Minibatch size."""

    def __post_init__(self) -> None:
        if not 0.0 < self.expectile < 1.0:
            raise ConfigError(f"iql.expectile: must be in (0, 1), got {self.expectile!r}")
        if self.temperature < 0.0:
            raise ConfigError(f"iql.temperature: must be >= 0, got {self.temperature!r}")
        if self.max_weight <= 0.0:
            raise ConfigError(f"iql.max_weight: must be > 0, got {self.max_weight!r}")
        if not 0.0 < self.tau <= 1.0:
            raise ConfigError(f"iql.tau: must be in (0, 1], got {self.tau!r}")
        if self.learning_rate <= 0.0:
            raise ConfigError(f"iql.learning_rate: must be > 0, got {self.learning_rate!r}")
        if self.batch_size < 1:
            raise ConfigError(f"iql.batch_size: must be >= 1, got {self.batch_size!r}")


def expectile_loss(diff: torch.Tensor, expectile: float) -> torch.Tensor:
    """Asymmetric squared loss ``|tau - 1(diff < 0)| * diff^2``, averaged (IQL eq. 5).

    Args:
        diff: ``target - prediction``.
        expectile: tau in (0, 1).

    Returns:
        The scalar loss.

    """
    weight = torch.where(diff < 0, 1.0 - expectile, expectile)
    return (weight * diff**2).mean()


def action_features(actor: Actor, continuous: torch.Tensor, discrete: torch.Tensor) -> torch.Tensor:
    """Q-network action input: environment-space continuous actions, then one one-hot per discrete branch.

    Args:
        actor: the policy (gives the branch sizes).
        continuous: ``(batch, n_cont)``.
        discrete: ``(batch, n_branches)`` int64.

    Returns:
        ``(batch, n_cont + sum(branches))`` float32.

    """
    parts = [continuous]
    parts += [F.one_hot(discrete[:, i], n).to(continuous.dtype) for i, n in enumerate(actor.branches)]
    return torch.cat(parts, dim=1)


def dataset_log_prob(actor: Actor, batch: Transitions) -> torch.Tensor:
    """``log pi(a|s)`` of the demonstrated actions, summed over action dimensions and branches.

    Continuous actions are recorded in environment space: PPO's ``clamp(x, -3, 3) / 3`` is inverted as
    ``3 * a``, SAC's ``tanh`` as ``atanh`` (clipped inside the open interval).

    Args:
        actor: the policy.
        batch: demonstration rows.

    Returns:
        ``(batch,)`` log-probabilities.

    """
    mask = batch.masks if actor.branches else None
    mean, log_std, branch_lp = actor.heads(batch.obs, mask)
    total = batch.obs.new_zeros(batch.obs.shape[0])
    if mean is not None and log_std is not None:
        if actor.tanh_squash:
            raw = torch.atanh(batch.continuous.clamp(-1.0 + 1e-6, 1.0 - 1e-6))
            total = total + D.tanh_squash_log_prob(raw, mean, log_std.expand_as(mean)).sum(-1)
        else:
            total = total + D.gaussian_log_prob(batch.continuous * CONTINUOUS_CLIP, mean, log_std).sum(-1)
    if branch_lp:
        total = total + D.categorical_log_prob(branch_lp, batch.discrete).sum(-1)
    return total


class ActionValue(nn.Module):
    """``Q(s, a)`` for any action spec: normalized observation and action features into a Swish MLP.

    Args:
        obs_size: concatenated observation size.
        action_size: ``n_cont + sum(branches)``.
        hidden_units: layer width.
        num_layers: hidden layers.

    """

    def __init__(self, obs_size: int, action_size: int, hidden_units: int, num_layers: int) -> None:
        super().__init__()
        self.body = MLP(obs_size + action_size, hidden_units, max(1, num_layers))
        self.head = nn.Linear(self.body.out_size, 1)

    def forward(self, obs: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
        """Q values.

        Args:
            obs: ``(batch, obs_size)`` normalized observations.
            actions: ``(batch, action_size)`` action features.

        Returns:
            ``(batch,)``.

        """
        return self.head(self.body(torch.cat([obs, actions], dim=1))).squeeze(-1)


class IQL:
    """IQL over demonstrations, training the trainer's actor and critic in place.

    Args:
        actor: the policy (its normalizer, if any, should already hold the demonstrations' statistics).
        value: a ``Critic`` (``V(s)``; normalizes raw observations itself when built with ``normalize``).
        gamma: discount (the extrinsic signal's ``gamma``).
        hidden_units: width of the Q networks.
        num_layers: depth of the Q networks.
        config: hyperparameters.

    """

    def __init__(
        self,
        actor: Actor,
        value: Critic,
        *,
        gamma: float,
        hidden_units: int,
        num_layers: int,
        config: IQLConfig | None = None,
    ) -> None:
        self.config = config or IQLConfig()
        self.actor = actor
        self.value = value
        self.gamma = float(gamma)
        action_size = actor.continuous_size + sum(actor.branches)
        self.q1 = ActionValue(actor.obs_size, action_size, hidden_units, num_layers)
        self.q2 = ActionValue(actor.obs_size, action_size, hidden_units, num_layers)
        self.q1_target = copy.deepcopy(self.q1).requires_grad_(False)
        self.q2_target = copy.deepcopy(self.q2).requires_grad_(False)
        lr = self.config.learning_rate
        self.q_optimizer = torch.optim.Adam([*self.q1.parameters(), *self.q2.parameters()], lr=lr)
        self.v_optimizer = torch.optim.Adam(list(value.parameters()), lr=lr)
        self.policy_optimizer = torch.optim.Adam(list(actor.parameters()), lr=lr)

    def _norm(self, obs: torch.Tensor) -> torch.Tensor:
        norm = self.actor.normalizer
        return norm(obs) if norm is not None else obs

    def update(self, batch: Transitions, *, policy: bool = True) -> dict[str, float]:
        """One IQL step on a minibatch.

        Args:
            batch: demonstration rows.
            policy: also take the advantage-weighted policy step (False = critics only).

        Returns:
            ``value_loss``, ``q_loss``, ``policy_loss`` (0 when skipped) and the mean advantage weight.

        """
        cfg = self.config
        obs_n = self._norm(batch.obs)
        act = action_features(self.actor, batch.continuous, batch.discrete)
        # --- value: expectile of the target Q of the dataset action ---
        with torch.no_grad():
            q_target = torch.min(self.q1_target(obs_n, act), self.q2_target(obs_n, act))
        v = self.value(batch.obs)
        value_loss = expectile_loss(q_target - v, cfg.expectile)
        self.v_optimizer.zero_grad(set_to_none=True)
        value_loss.backward()
        self.v_optimizer.step()
        # --- Q: one-step TD towards r + gamma * V(s') ---
        with torch.no_grad():
            backup = batch.rewards + self.gamma * (1.0 - batch.terminals) * self.value(batch.next_obs)
        q_loss = F.mse_loss(self.q1(obs_n, act), backup) + F.mse_loss(self.q2(obs_n, act), backup)
        self.q_optimizer.zero_grad(set_to_none=True)
        q_loss.backward()
        self.q_optimizer.step()
        with torch.no_grad():
            for target, online in ((self.q1_target, self.q1), (self.q2_target, self.q2)):
                torch._foreach_lerp_(list(target.parameters()), list(online.parameters()), cfg.tau)
        # --- policy: advantage-weighted regression on the dataset actions ---
        policy_loss = torch.zeros(())
        weight = torch.ones(())
        if policy:
            with torch.no_grad():
                advantage = q_target - self.value(batch.obs)
                weight = torch.exp(cfg.temperature * advantage).clamp(max=cfg.max_weight)
            policy_loss = -(weight * dataset_log_prob(self.actor, batch)).mean()
            self.policy_optimizer.zero_grad(set_to_none=True)
            policy_loss.backward()
            self.policy_optimizer.step()
        return {
            "value_loss": float(value_loss.detach()),
            "q_loss": float(q_loss.detach()),
            "policy_loss": float(policy_loss.detach()),
            "mean_weight": float(weight.mean()),
        }

    def fit(
        self, data: Transitions, updates: int, generator: torch.Generator, *, policy: bool = True
    ) -> list[dict[str, float]]:
        """Take ``updates`` steps on minibatches drawn uniformly from ``data``.

        Args:
            data: the demonstrations.
            updates: gradient steps.
            generator: torch generator for the draws.
            policy: also train the policy (False = value and Q only).

        Returns:
            The losses of every step.

        """
        size = min(self.config.batch_size, max(1, len(data)))
        return [self.update(data.sample(size, generator), policy=policy) for _ in range(updates)]
