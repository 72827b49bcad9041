"""Proximal Policy Optimization as ML-Agents runs it, readable top to bottom.

Flow: hyperparameters (``rl.config.PPOSettings``) -> networks (``make_networks``) -> acting and trajectory
collection (``PPOTrainer.act`` / ``observe``) -> ``compute_gae`` on each closed trajectory -> ``update`` when
the buffer holds more than ``buffer_size`` steps.

Faithful to ML-Agents (mlagents.md §1.2-1.4): trajectories are cut at ``time_horizon`` and bootstrapped with
the value of the next observation; interrupted episodes (max step) bootstrap from their final observation,
terminated ones do not; advantages are normalized over the buffer; the policy ratio is taken per action
dimension; the value loss is clipped around the old value with the same epsilon; ``learning_rate``, ``beta``
and
``epsilon`` follow their schedules over ``max_steps``; one Adam optimizer trains actor and critic with
``loss = policy_loss + 0.5 * value_loss - beta * entropy``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import torch

from ..spaces import ActionTuple, BehaviorSignature, StepBatch
from .base import Trainer, env_actions, flatten_obs
from .buffers import Segment, TrajectoryBuffer, UpdateBuffer
from .fused import FastGaussianActor, FlatParameters, FusedPPO
from .networks import Actor, Critic, SharedCritic
from .offline.finetune import FineTuneConfig
from .optim import FlatAdam
from .schedules import MIN_BETA, MIN_EPSILON, MIN_LEARNING_RATE, decayed_value

CONTINUOUS_CLIP = 3.0
"""PPO actions go to the environment as ``clamp(x, -3, 3) / 3`` (the same op is in the ONNX graph, §3)."""
INITIAL_ROWS_CAP = 1 << 17
"""Rows preallocated for PPO's update buffer at most (it doubles on demand beyond)."""


class RolloutBatch(NamedTuple):
    """The update buffer's contents, flat over (agent, step) rows."""

    obs: torch.Tensor
    continuous: torch.Tensor
    discrete: torch.Tensor
    masks: torch.Tensor
    old_log_prob: torch.Tensor
    advantages: torch.Tensor
    returns: torch.Tensor
    old_values: torch.Tensor


# --- networks -----------------------------------------------------------------------------------------------
def make_networks(signature: BehaviorSignature, settings: Any) -> tuple[Actor, torch.nn.Module]:
    """Build the actor and critic of a PPO behavior from its ``network_settings``.

    Args:
        signature: the behavior.
        settings: its ``TrainerSettings``.

    Returns:
        ``(actor, critic)``; with ``shared_critic`` the critic is a value head on the actor's body.

    """
    net = settings.network_settings
    actor = Actor(signature, net.hidden_units, net.num_layers, net.normalize)
    if getattr(settings.hyperparameters, "shared_critic", False):
        return actor, SharedCritic(actor)
    return actor, Critic(actor.obs_size, net.hidden_units, net.num_layers, net.normalize)


# --- GAE ----------------------------------------------------------------------------------------------------
def compute_gae(
    rewards: np.ndarray,
    values: np.ndarray,
    bootstrap: np.ndarray,
    lengths: np.ndarray,
    gamma: float,
    lambd: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Generalized advantage estimates of padded trajectories (Schulman et al. 2015, eq. 16).

    ``delta_t = r_t + gamma * V_{t+1} - V_t`` with ``V_L = bootstrap`` (0 after a terminated episode) and
    ``A_t = delta_t + gamma * lambd * A_{t+1}``; returns are ``A_t + V_t`` (ML-Agents ``get_gae``).

    Args:
        rewards: ``(k, L)`` rewards, row i valid for ``t < lengths[i]``.
        values: ``(k, L)`` value estimates of the same steps.
        bootstrap: ``(k,)`` value after the last valid step (already 0 where terminated).
        lengths: ``(k,)`` valid steps per row.
        gamma: discount.
        lambd: GAE lambda.

    Returns:
        ``(advantages, returns)``, both ``(k, L)`` float32; cells beyond a row's length are 0.

    """
    k, span = rewards.shape
    valid = np.arange(span)[None, :] < lengths[:, None]
    next_values = np.zeros((k, span + 1), np.float64)
    next_values[:, :span] = np.where(valid, values, 0.0)
    next_values[np.arange(k), lengths] = bootstrap
    deltas = np.where(valid, rewards + gamma * next_values[:, 1:] - next_values[:, :span], 0.0)
    advantages = np.zeros((k, span), np.float64)
    running = np.zeros(k, np.float64)
    discount = gamma * lambd
    for t in range(span - 1, -1, -1):
        running = deltas[:, t] + discount * running
        advantages[:, t] = running
    returns = np.where(valid, advantages + next_values[:, :span], 0.0)
    return advantages.astype(np.float32), returns.astype(np.float32)


# --- update -------------------------------------------------------------------------------------------------
def ppo_losses(
    actor: Actor, critic: torch.nn.Module, mb: RolloutBatch, epsilon: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Clipped surrogate policy loss, clipped value loss and mean entropy of one minibatch.

    ``mb.obs`` must already be normalized (the update normalizes the whole buffer once).

    Args:
        actor: the policy.
        critic: the value network.
        mb: a minibatch.
        epsilon: clip range (scheduled).

    Returns:
        ``(policy_loss, value_loss, entropy)`` scalars.

    """
    log_prob, entropy = actor.evaluate(mb.obs, mb.continuous, mb.discrete, mb.masks, normalized=True)
    # Ratio per action dimension, advantage broadcast over dimensions (ML-Agents trust_region_policy_loss).
    ratio = torch.exp(log_prob - mb.old_log_prob)
    adv = mb.advantages.unsqueeze(1)
    policy_loss = -torch.min(ratio * adv, torch.clamp(ratio, 1.0 - epsilon, 1.0 + epsilon) * adv).mean()
    values = critic(mb.obs, normalized=True)
    clipped = mb.old_values + torch.clamp(values - mb.old_values, -epsilon, epsilon)
    value_loss = torch.max((mb.returns - values) ** 2, (mb.returns - clipped) ** 2).mean()
    return policy_loss, value_loss, entropy.mean()


def update(
    actor: Actor,
    critic: torch.nn.Module,
    optimizer: torch.optim.Optimizer | FlatAdam,
    batch: RolloutBatch,
    *,
    num_epoch: int,
    batch_size: int,
    beta: float,
    epsilon: float,
    generator: torch.Generator,
    flat: FlatParameters | None = None,
    actor_grad_hook: Callable[[], None] | None = None,
) -> dict[str, float]:
    """``num_epoch`` shuffled passes over the buffer in minibatches of ``batch_size``.

    Each epoch permutes the buffer once and then takes contiguous slices, so a minibatch costs no gather. With
    ``flat`` parameters (``PPOTrainer``) and a separate critic the gradients come from the hand-written
    ``fused.FusedPPO`` (no autograd); otherwise from autograd on ``ppo_losses``. Both give the same gradients.

    Args:
        actor: the policy.
        critic: the value network.
        optimizer: Adam over actor and critic (its learning rate already set by the schedule).
        batch: the whole buffer (observations normalized, advantages normalized).
        num_epoch: passes over the buffer.
        batch_size: minibatch size (a remainder smaller than this is skipped, as ML-Agents does).
        beta: entropy coefficient (scheduled).
        epsilon: clip range (scheduled).
        generator: torch generator for the permutations.
        flat: the trainer's flat parameters (enables the fused path), or None.
        actor_grad_hook: called after each minibatch's gradients, before the optimizer step (fine-tuning
            from a pretrained policy: ``offline.finetune.FineTuneGuard.adjust_actor_gradients``).

    Returns:
        Mean ``policy_loss``, ``value_loss`` and ``entropy`` over the minibatches.

    """
    size = batch.obs.shape[0]
    num_minibatches = size // batch_size
    totals = torch.zeros(3)
    fused = FusedPPO(actor, critic) if flat is not None and FusedPPO.supports(actor, critic) else None
    for _ in range(num_epoch):
        perm = torch.randperm(size, generator=generator)
        shuffled = RolloutBatch(*(t[perm] for t in batch))
        if fused is not None:
            # All minibatch views of the epoch at once (one split per field, not eight slices per minibatch).
            minibatches = zip(*(torch.split(t, batch_size) for t in shuffled), strict=True)
            for _, minibatch in zip(range(num_minibatches), minibatches, strict=False):
                totals += fused.step(*minibatch, epsilon=epsilon, beta=beta)
                if actor_grad_hook is not None:
                    actor_grad_hook()
                optimizer.step()
            continue
        for i in range(num_minibatches):
            lo, hi = i * batch_size, (i + 1) * batch_size
            mb = RolloutBatch(*(t[lo:hi] for t in shuffled))
            policy_loss, value_loss, entropy = ppo_losses(actor, critic, mb, epsilon)
            loss = policy_loss + 0.5 * value_loss - beta * entropy
            if flat is not None:
                flat.zero_grad()
            else:
                optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if actor_grad_hook is not None:
                actor_grad_hook()
            optimizer.step()
            totals += torch.stack([policy_loss.detach(), value_loss.detach(), entropy.detach()])
    count = max(1, num_epoch * num_minibatches)
    policy, value, ent = (totals / count).tolist()
    return {"policy_loss": policy, "value_loss": value, "entropy": ent}


# --- trainer ------------------------------------------------------------------------------------------------
class PPOTrainer(Trainer):
    """PPO for one behavior: acts for every agent, closes trajectories, updates when the buffer is full.

    Args:
        signature: the behavior trained.
        settings: its ``TrainerSettings`` (``hyperparameters`` is a ``PPOSettings``).
        num_agents: agents in the environment.
        seed: random seed.

    """

    algorithm = "ppo"

    def __init__(self, signature: BehaviorSignature, settings: Any, num_agents: int, seed: int) -> None:
        super().__init__(signature, settings, seed)
        hp = settings.hyperparameters
        self.hp = hp
        self.actor, self.critic = make_networks(signature, settings)
        # One flat parameter tensor for actor + critic: one fused Adam kernel per minibatch (see fused.py).
        self.flat = FlatParameters([self.actor, self.critic])
        self.optimizer = FlatAdam(self.flat.param, hp.learning_rate)
        self.fast_actor = FastGaussianActor(self.actor) if FastGaussianActor.supports(self.actor) else None
        # behavioral_cloning and reward_signals.gail (rl/offline/components.py); None when neither is set.
        from .offline.components import ImitationComponents  # deferred: that module imports this one

        self.imitation = ImitationComponents.from_settings(signature, settings, self.actor, self.generator)
        spec = self.action_spec
        n_branches, mask_size = spec.discrete_size, spec.mask_size
        self.trajectories = TrajectoryBuffer(
            num_agents, settings.time_horizon, self.obs_size, spec.continuous_size, n_branches, mask_size
        )
        # Room for buffer_size plus one round of closed trajectories, capped: it grows if a run ever needs
        # more.
        capacity = min(
            int(hp.buffer_size) + num_agents * max(1, int(settings.time_horizon)) + 1, INITIAL_ROWS_CAP
        )
        self.buffer = UpdateBuffer(capacity, self.obs_size, spec.continuous_size, n_branches, mask_size)
        self._pending: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray] | None = None
        self._closed: list[Segment] = []
        self._closed_rows = 0

    def modules(self) -> dict[str, torch.nn.Module]:
        """Actor as ``"Policy"`` (ML-Agents' key) and the critic as ``"Critic"``."""
        extra = self.imitation.modules() if self.imitation is not None else {}
        return {"Policy": self.actor, "Critic": self.critic, **extra}

    def flat_parameters(self) -> list[torch.Tensor]:
        """Return the one flat tensor holding actor and critic weights."""
        return [self.flat.param]

    def optimizers(self) -> dict[str, Any]:
        """Return the single Adam optimizer (plus any imitation optimizers)."""
        extra = self.imitation.optimizers() if self.imitation is not None else {}
        return {"Optimizer": self.optimizer, **extra}

    # --- rollout ---
    def act(self, batch: StepBatch) -> ActionTuple:
        """Sample actions for every agent (no autograd) and keep what the trajectory needs.

        Args:
            batch: the current decision.

        Returns:
            Actions; continuous ones are ``clamp(x, -3, 3) / 3`` of the Gaussian sample.

        """
        obs = flatten_obs(batch.obs)
        mask = None if batch.action_mask is None else batch.action_mask.astype(np.float32)
        if self.fast_actor is not None:  # continuous PPO: the lean acting path (same numbers, no Modules)
            cont, log_prob = self.fast_actor.act(torch.from_numpy(obs), self.generator)
            cont_np, disc_np = cont.numpy(), np.zeros((len(obs), 0), np.int64)
        else:
            cont, disc, log_prob = self.actor.act(
                torch.from_numpy(obs), None if mask is None else torch.from_numpy(mask)
            )
            cont_np, disc_np = cont.numpy(), disc.numpy()
        self._pending = (obs, cont_np, disc_np, mask, log_prob.numpy())
        # Two ufuncs instead of np.clip (same values; np.clip's dispatch costs more than the clamp here).
        clipped = np.maximum(np.minimum(cont_np, CONTINUOUS_CLIP), -CONTINUOUS_CLIP)
        return env_actions(clipped / CONTINUOUS_CLIP, disc_np)

    def observe(self, batch: StepBatch) -> None:
        """Record the step, close finished trajectories (GAE) and update when the buffer is full.

        Args:
            batch: the decision that followed the last ``act``.

        """
        if self._pending is None:
            return
        obs, cont, disc, mask, log_prob = self._pending
        self._pending = None
        self.trajectories.add(obs, cont, disc, mask, log_prob, batch.reward * self.strength)
        self.step += len(obs)
        if self.finetune is not None:
            self.finetune.observe(obs, mask, batch.reward, batch.terminated | batch.truncated)
        segment = self.trajectories.close(
            batch.terminated, batch.truncated, flatten_obs(batch.obs), flatten_obs(batch.final_obs)
        )
        if segment is not None:
            self._closed.append(segment)
            self._closed_rows += int(segment.lengths.sum())
        if self.buffer.size + self._closed_rows > self.hp.buffer_size:
            self._process(self._closed)
            self._closed, self._closed_rows = [], 0
            self._update()
            if self.fast_actor is not None:  # normalizer and weights changed: its cached constants too
                self.fast_actor.refresh()

    def fine_tune_config(self) -> FineTuneConfig:
        """From a pretrained policy: two critic-only updates (two buffers) before the actor moves."""
        return FineTuneConfig(warmup_steps=2 * int(self.hp.buffer_size))

    def load_state_dict(self, state: dict[str, Any], *, weights_only: bool = False) -> None:
        """Restore a checkpoint (see ``Trainer.load_state_dict``) and refresh the acting path's constants."""
        super().load_state_dict(state, weights_only=weights_only)
        if self.fast_actor is not None:
            self.fast_actor.refresh()

    def reset_trajectories(self) -> None:
        """Drop open trajectories and the pending action (after an environment reset)."""
        self.trajectories.clear()
        self._pending = None

    def _process(self, segments: list[Segment]) -> None:
        """Update the normalizer, estimate values and run GAE on closed trajectories; fill the update buffer.

        Closed trajectories wait until the buffer is about to be used and are then processed together (one
        critic pass over all of them); the critic cannot change in between, so the values are the same ones
        ML-Agents computes trajectory by trajectory.
        """
        if not segments:
            return
        span = max(seg.obs.shape[1] for seg in segments)
        valid = np.concatenate(
            [np.pad(seg.valid(), ((0, 0), (0, span - seg.obs.shape[1]))) for seg in segments]
        )
        rewards = np.concatenate(
            [np.pad(seg.rewards, ((0, 0), (0, span - seg.obs.shape[1]))) for seg in segments]
        )
        lengths = np.concatenate([seg.lengths for seg in segments])
        terminated = np.concatenate([seg.terminated for seg in segments])
        obs_rows = np.concatenate([seg.obs[seg.valid()] for seg in segments])
        for module in (self.actor, self.critic):
            if module.normalizer is not None:
                module.normalizer.update(torch.from_numpy(obs_rows))
        with torch.no_grad():
            value_rows = self.critic(torch.from_numpy(obs_rows)).numpy()
            bootstrap = self.critic(torch.from_numpy(np.concatenate([seg.bootstrap_obs for seg in segments])))
        values = np.zeros(valid.shape, np.float32)
        values[valid] = value_rows
        bootstrap_np = np.where(terminated, 0.0, bootstrap.numpy())
        advantages, returns = compute_gae(rewards, values, bootstrap_np, lengths, self.gamma, self.hp.lambd)
        self.record("Policy/Extrinsic Value Estimate", float(value_rows.mean()))
        if self.imitation is not None:  # GAIL: the mean of extrinsic and GAIL advantages (ML-Agents)
            advantages, stats = self.imitation.process(segments, valid, advantages, self.hp.lambd)
            for key, value in stats.items():
                self.record(key, value)

        def rows(name: str) -> np.ndarray:
            return np.concatenate([getattr(seg, name)[seg.valid()] for seg in segments])

        self.buffer.extend(
            obs=obs_rows,
            continuous=rows("continuous"),
            discrete=rows("discrete"),
            masks=rows("masks"),
            log_probs=rows("log_probs"),
            advantages=advantages[valid],
            returns=returns[valid],
            values=value_rows,
        )

    def scheduled(self) -> tuple[float, float, float]:
        """Return the current ``(learning_rate, beta, epsilon)`` from their schedules."""
        hp, max_steps = self.hp, int(self.settings.max_steps)
        lr = decayed_value(
            hp.learning_rate_schedule, hp.learning_rate, MIN_LEARNING_RATE, self.step, max_steps
        )
        beta = decayed_value(hp.beta_schedule, hp.beta, MIN_BETA, self.step, max_steps)
        eps = decayed_value(hp.epsilon_schedule, hp.epsilon, MIN_EPSILON, self.step, max_steps)
        return lr, beta, eps

    def _update(self) -> None:
        """One PPO update over the whole buffer, then clear it."""
        lr, beta, epsilon = self.scheduled()
        if self.finetune is not None:  # critic warm-up / anchor weight from the latest episodes
            for key, value in self.finetune.before_update().items():
                self.record(key, value)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        size = self.buffer.size
        b = self.buffer
        obs = b.obs[:size]
        if self.actor.normalizer is not None:
            # Normalizer statistics are frozen during an update: normalize the buffer once, not per minibatch.
            obs = self.actor.normalizer(obs)
        adv = b.advantages[:size]
        adv = (adv - adv.mean()) / (adv.std() + 1e-10)
        batch = RolloutBatch(
            obs,
            b.continuous[:size],
            b.discrete[:size],
            b.masks[:size],
            b.log_probs[:size],
            adv,
            b.returns[:size],
            b.values[:size],
        )
        result = update(
            self.actor,
            self.critic,
            self.optimizer,
            batch,
            num_epoch=int(self.hp.num_epoch),
            batch_size=int(self.hp.batch_size),
            beta=beta,
            epsilon=epsilon,
            generator=self.generator,
            flat=self.flat,
            actor_grad_hook=self.finetune.adjust_actor_gradients if self.finetune is not None else None,
        )
        self.buffer.clear()
        self.update_count += 1
        if self.imitation is not None:  # GAIL discriminator/critic steps, then the annealed BC update
            for key, value in self.imitation.update(self.step, self.bc_scale()).items():
                self.record(key, value)
        self.record("Losses/Policy Loss", abs(result["policy_loss"]))
        self.record("Losses/Value Loss", result["value_loss"])
        self.record("Policy/Entropy", result["entropy"])
        self.record("Policy/Learning Rate", lr)
        self.record("Policy/Epsilon", epsilon)
        self.record("Policy/Beta", beta)
        self.check_finite(result.values())


def make_adam(params: list[torch.nn.Parameter], lr: float) -> torch.optim.Optimizer:
    """Adam over ``params``, using the fused CPU kernel when this torch build has it (one kernel per step).

    Args:
        params: parameters to optimize.
        lr: initial learning rate.

    Returns:
        The optimizer.

    """
    try:
        return torch.optim.Adam(params, lr=lr, fused=True)
    except (RuntimeError, TypeError, ValueError):
        return torch.optim.Adam(params, lr=lr, foreach=True)
