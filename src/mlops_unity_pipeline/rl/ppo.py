"""Proximal Policy Optimization as ML-Agents runs it, readable top to bottom.

The file follows the data: hyperparameters (``rl.config.PPOSettings``) -> networks (``make_networks``) ->
``PPOTrainer``: acting (``act``), trajectories closed in ``observe``, GAE over them (``_process`` with
``rl.gae.compute_gae``) and the update of a full buffer (``_update``) -> the update itself: ``ppo_losses``,
the gradient strategy chosen once per trainer (``choose_gradients``: the hand-written backward of
``rl/fused.py`` or autograd, same gradients) and ``update``'s one minibatch loop.

Faithful to ML-Agents (upstream ``ml-agents/mlagents/trainers/ppo/trainer.py``, ``ppo/optimizer_torch.py``):
trajectories are cut at ``time_horizon`` and bootstrapped with the value of the next observation; interrupted
episodes (max step) bootstrap from their final observation, terminated ones do not; advantages are normalized
over the buffer; the policy ratio is taken per action dimension; the value loss is clipped around the old
value with the same epsilon; ``learning_rate``, ``beta`` and ``epsilon`` follow their schedules over
``max_steps``; one Adam optimizer trains actor and critic with
``loss = policy_loss + 0.5 * value_loss - beta * entropy``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np
import torch

from ..spaces import ActionTuple, BehaviorSignature, StepBatch
from .base import Trainer, clipped_env_actions, extrinsic_reward, flatten_obs
from .buffers import Segment, UpdateBuffer, next_observations
from .config import TrainerSettings
from .fused import FastGaussianActor, FusedPPO
from .gae import compute_gae
from .networks import Actor, Critic, SharedCritic
from .offline.finetune import FineTuneConfig
from .optim import FlatAdam, FlatParameters
from .recurrent import critic_by_sequence, masked_mean, to_sequences
from .stats import ENTROPY

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


class SequenceColumns(NamedTuple):
    """Recurrent PPO's extra columns in ``rl.recurrent``'s sequence layout (rows are whole sequences)."""

    loss_masks: torch.Tensor
    """``(rows,)`` 1 on real steps, 0 on padding."""
    memories: torch.Tensor
    """``(rows, memory_size)`` the policy's memory before each step (a sequence starts from its first)."""
    critic_memories: torch.Tensor
    """``(rows, memory_size)`` the critic's memory at the start of each step's sequence."""
    sequence_length: int
    """Steps per sequence."""


# --- networks -----------------------------------------------------------------------------------------------
def make_networks(
    signature: BehaviorSignature, settings: TrainerSettings, num_heads: int = 1
) -> tuple[Actor, torch.nn.Module]:
    """Build the actor and critic of a PPO behavior from its ``network_settings``.

    Args:
        signature: the behavior.
        settings: its ``TrainerSettings``.
        num_heads: value heads, one per reward signal with a value (extrinsic first, then curiosity/rnd).

    Returns:
        ``(actor, critic)``; with ``shared_critic`` the critic is value heads on the actor's body.

    """
    net = settings.network_settings
    vis = net.vis_encode_type
    memory = 0 if net.memory is None else int(net.memory.memory_size)
    goal = net.goal_conditioning_type
    actor = Actor(
        signature,
        net.hidden_units,
        net.num_layers,
        net.normalize,
        vis_encode_type=vis,
        memory_size=memory,
        goal_conditioning=goal,
    )
    if getattr(settings.hyperparameters, "shared_critic", False):
        return actor, SharedCritic(actor, num_heads)
    # With memory the critic gets its own LSTM of the same size (upstream's PPO ValueNetwork).
    return actor, Critic(
        actor.obs_size,
        net.hidden_units,
        net.num_layers,
        net.normalize,
        num_heads,
        memory_size=memory,
        signature=signature,
        vis_encode_type=vis,
        goal_conditioning=goal,
    )


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

    def __init__(
        self, signature: BehaviorSignature, settings: TrainerSettings, num_agents: int, seed: int
    ) -> None:
        super().__init__(signature, settings, seed)
        hp, spec = self.hp, self.action_spec
        num_values = 1 + len(self.signals)
        self.actor, self.critic = make_networks(signature, settings, num_values)
        # One flat parameter tensor for actor + critic: one fused Adam kernel per minibatch (see fused.py).
        self.flat = FlatParameters([self.actor, self.critic])
        self.optimizer = FlatAdam(self.flat.param, hp.learning_rate)
        self.gradients = choose_gradients(self.actor, self.critic, self.flat)
        """Fused (hand-written backward) or autograd minibatch gradients, fixed with the networks."""
        # Acting copy, trajectories, memories, imitation (rl/base.py); with memory the critic's too.
        self.start_on_policy(num_agents, seed)
        self.critic_memories = np.zeros((num_agents, self.memory_size), np.float32)
        self.fast_actor = (
            FastGaussianActor(self.acting_actor)
            if FastGaussianActor.supports(self.actor) and not self.deterministic
            else None
        )
        # Room for buffer_size plus one round of closed trajectories, capped: it grows if a run ever needs
        # more.
        capacity = min(
            int(hp.buffer_size) + num_agents * max(1, int(settings.time_horizon)) + 1, INITIAL_ROWS_CAP
        )
        self.buffer = UpdateBuffer(
            capacity,
            self.obs_size,
            spec.continuous_size,
            spec.discrete_size,
            spec.mask_size,
            num_values,
            self.memory_size,
        )
        self._pending: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray] | None = None
        self._closed: list[Segment] = []
        self._closed_rows = 0
        self._episode_rewards: dict[str, np.ndarray] = {}
        """Per agent, the intrinsic reward of its episode so far, by ``Policy/<Signal> Reward`` tag."""

    def modules(self) -> dict[str, torch.nn.Module]:
        """Actor as ``"Policy"`` (ML-Agents' key) and the critic as ``"Critic"``."""
        extra = self.imitation.modules() if self.imitation is not None else {}
        for signal in self.signals:
            extra.update(signal.modules())
        return {"Policy": self.actor, "Critic": self.critic, **extra}

    def flat_parameters(self) -> list[torch.Tensor]:
        """Return the one flat tensor holding actor and critic weights."""
        return [self.flat.param]

    def optimizers(self) -> dict[str, Any]:
        """Return the single Adam optimizer (plus any imitation optimizers)."""
        extra = self.imitation.optimizers() if self.imitation is not None else {}
        for signal in self.signals:
            extra.update(signal.optimizers())
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
            cont, log_prob = self.fast_actor.act(torch.from_numpy(obs), self.act_generator)
            cont_np, disc_np = cont.numpy(), np.zeros((len(obs), 0), np.int64)
            entropy = self.fast_actor.entropy
        else:
            cont_np, disc_np, log_prob, entropy = self.sample_actions(obs, mask)
        # ML-Agents reports the acting policy's entropy at every decision (AgentProcessor), so every summary
        # has it, not only those after an update.
        self.record(ENTROPY, entropy)
        self._pending = (obs, cont_np, disc_np, mask, log_prob.numpy())
        return clipped_env_actions(cont_np, disc_np)

    def observe(self, batch: StepBatch) -> None:
        """Record the step, close finished trajectories (GAE) and update when the buffer is full.

        Args:
            batch: the decision that followed the last ``act``.

        """
        if self._pending is None:
            return
        obs, cont, disc, mask, log_prob = self._pending
        self._pending = None
        self.trajectories.add(
            obs, cont, disc, mask, log_prob, extrinsic_reward(batch) * self.strength, self._pending_memories
        )
        if self.memory_size:  # a new episode starts from a zero memory (upstream drops the agent's memory)
            self.memories[batch.terminated | batch.truncated] = 0.0
        if self._dropped is not None:  # their environment restarted: drop the whole open fragment
            self.trajectories.lengths[self._dropped] = 0
            if self.memory_size:  # and their memory: the restarted environment begins a new episode
                self.memories[self._dropped] = 0.0
            self._dropped = None
        self.step += len(obs)
        if self.finetune is not None:
            self.finetune.observe(obs, mask, batch.reward, batch.terminated | batch.truncated)
        segment = self.trajectories.close(
            batch.terminated, batch.truncated, flatten_obs(batch.obs), flatten_obs(batch.final_obs)
        )
        if segment is not None:
            self._closed.append(segment)
            # Upstream's buffer length counts padded rows too (num_experiences of the resequenced buffer).
            rows = segment.lengths
            if self.memory_size:
                rows = -(-rows // self.sequence_length) * self.sequence_length
            self._closed_rows += int(rows.sum())
        # Threaded, the buffer in use belongs to the running update: only the closed rows count.
        filled = 0 if self.background is not None else self.buffer.size
        if filled + self._closed_rows > self.hp.buffer_size:
            self.settle()  # threaded: the previous update ends here, at a fixed step
            self._process(self._closed)
            self._closed, self._closed_rows = [], 0
            if self.background is not None:
                self._sync_acting()
                step = self.step
                self.background.start(lambda: self._update(step))
            else:
                self._update()
            if self.fast_actor is not None:  # normalizer and weights changed: its cached constants too
                self.fast_actor.refresh()

    def _sync_acting(self) -> None:
        """Give the acting copy the learner's weights and normalizer (``threaded: true``)."""
        if self.acting_actor is not self.actor:
            self.acting_actor.load_state_dict(self.actor.state_dict())

    def fine_tune_config(self) -> FineTuneConfig:
        """From a pretrained policy: two critic-only updates (two buffers) before the actor moves."""
        return FineTuneConfig(warmup_steps=2 * int(self.hp.buffer_size))

    def load_state_dict(self, state: dict[str, Any], *, weights_only: bool = False) -> None:
        """Restore a checkpoint (see ``Trainer.load_state_dict``) and refresh the acting path's constants."""
        super().load_state_dict(state, weights_only=weights_only)
        self._sync_acting()
        if self.fast_actor is not None:
            self.fast_actor.refresh()

    def reset_trajectories(self) -> None:
        """Drop open trajectories and the pending action (after an environment reset)."""
        self.trajectories.clear()
        self._pending = None
        self.memories[:] = 0.0
        self.critic_memories[:] = 0.0
        for totals in self._episode_rewards.values():  # those episodes are gone with their trajectories
            totals[:] = 0.0

    def drop_agents(self, rows: np.ndarray) -> None:
        """Drop the open trajectories of agents ``rows``, this decision included (see ``Trainer``)."""
        self._dropped = np.asarray(rows, np.int64)

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
        critic_starts: np.ndarray | None = None
        if self.memory_size:
            value_rows, bootstrap, critic_starts = self._recurrent_values(segments)
        else:
            with torch.no_grad():
                value_rows = self.critic(torch.from_numpy(obs_rows)).numpy()
                bootstrap_obs = np.concatenate([seg.bootstrap_obs for seg in segments])
                bootstrap = self.critic(torch.from_numpy(bootstrap_obs)).numpy()
        heads = value_rows.reshape(len(obs_rows), -1)  # (rows, signals): extrinsic first
        heads_bootstrap = bootstrap.reshape(len(lengths), -1)
        values = np.zeros(valid.shape, np.float32)
        values[valid] = heads[:, 0]
        bootstrap_np = np.where(terminated, 0.0, heads_bootstrap[:, 0])
        advantages, returns = compute_gae(rewards, values, bootstrap_np, lengths, self.gamma, self.hp.lambd)
        self.record("Policy/Extrinsic Value Estimate", float(heads[:, 0].mean()))

        def rows(name: str) -> np.ndarray:
            return np.concatenate([getattr(seg, name)[seg.valid()] for seg in segments])

        continuous, discrete = rows("continuous"), rows("discrete")
        returns_rows = returns[valid]
        if self.signals:
            grid = (segments, valid, lengths)
            transitions = (obs_rows, continuous, discrete)
            advantages, returns_rows = self._intrinsic(
                grid, transitions, heads, heads_bootstrap, [advantages], [returns_rows]
            )
        if self.imitation is not None:
            # GAIL (rl/offline/components.py) returns 0.5 * (given + gail); ML-Agents averages every signal's
            # advantage with equal weight, so with n signals here: ((n - 1) * given + 2 * mixed) / (n + 1).
            n = 1 + len(self.signals)
            mixed, stats = self.imitation.process(segments, valid, advantages, self.hp.lambd)
            advantages = (((n - 1) * advantages + 2.0 * mixed) / (n + 1)).astype(np.float32)
            for key, value in stats.items():
                self.record(key, value)

        columns = {
            "obs": obs_rows,
            "continuous": continuous,
            "discrete": discrete,
            "masks": rows("masks"),
            "log_probs": rows("log_probs"),
            "advantages": advantages[valid],
            "returns": returns_rows,
            "values": value_rows,
        }
        if critic_starts is not None:
            # Sequence layout: each trajectory padded at its end to whole sequences (rl/recurrent.py).
            columns["memories"] = rows("memories")
            columns["critic_memories"] = critic_starts
            columns = to_sequences(columns, lengths, self.sequence_length)
        self.buffer.extend(**columns)

    def _recurrent_values(self, segments: list[Segment]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Critic values of closed trajectories by sequence, carrying each agent's critic memory.

        Segments are processed in the order they closed, so an agent's memory flows from one trajectory into
        its next (upstream ``critic_memory_dict``) and is zeroed when its episode ended.

        Returns:
            ``(value rows, bootstrap values (K, ...), critic memory at each row's sequence start)``.

        """
        values, bootstraps, starts = [], [], []
        for seg in segments:
            agents = seg.agents if seg.agents is not None else np.arange(len(seg.lengths))
            grid, start, final = critic_by_sequence(
                self.critic, seg.obs, seg.lengths, self.critic_memories[agents], self.sequence_length
            )
            valid = seg.valid()
            values.append(grid[valid])
            starts.append(start[valid])
            with torch.no_grad():
                after, _ = self.critic.recurrent(
                    torch.from_numpy(seg.bootstrap_obs), torch.from_numpy(final), 1
                )
            bootstraps.append(after.numpy().reshape(len(seg.lengths), -1))
            ended = seg.ended if seg.ended is not None else np.zeros(len(agents), bool)
            self.critic_memories[agents] = np.where(ended[:, None], 0.0, final)
        value_rows = np.concatenate(values)
        if value_rows.shape[1] == 1:  # one head: the (rows,) shape of the feed-forward critic
            value_rows = value_rows[:, 0]
        return value_rows, np.concatenate(bootstraps), np.concatenate(starts)

    def _intrinsic(
        self,
        grid: tuple[list[Segment], np.ndarray, np.ndarray],
        transitions: tuple[np.ndarray, np.ndarray, np.ndarray],
        heads: np.ndarray,
        heads_bootstrap: np.ndarray,
        advantages: list[np.ndarray],
        returns: list[np.ndarray],
    ) -> tuple[np.ndarray, np.ndarray]:
        """Curiosity / RND rewards, GAE per signal with its own gamma and value head, mean advantage.

        As ML-Agents' ``PPOTrainer._process_trajectory``: each signal's rewards (times ``strength``) get GAE
        with the signal's ``gamma`` against its value head; these signals ignore episode ends (their value
        bootstraps after a terminal step too); the advantage PPO optimizes is the mean over signals.

        Args:
            grid: the closed segments, their ``(K, L)`` valid cells and ``(K,)`` lengths.
            transitions: observation, continuous and discrete action rows of the valid cells.
            heads: ``(rows, signals)`` value estimates, extrinsic first.
            heads_bootstrap: ``(K, signals)`` values after each segment's last step.
            advantages: the extrinsic ``(K, L)`` advantages; each signal's are appended.
            returns: the extrinsic ``(rows,)`` returns; each signal's are appended.

        Returns:
            ``(advantages (K, L), returns (rows, signals))``.

        """
        segments, valid, lengths = grid
        obs_rows, continuous, discrete = transitions
        next_rows = np.concatenate([next_observations(seg)[seg.valid()] for seg in segments])
        for j, signal in enumerate(self.signals, start=1):
            step_rewards = signal.rewards(obs_rows, next_rows, continuous, discrete, keep=True)
            rewards = np.zeros(valid.shape, np.float32)
            rewards[valid] = step_rewards
            values = np.zeros(valid.shape, np.float32)
            values[valid] = heads[:, j]
            adv, ret = compute_gae(
                rewards, values, heads_bootstrap[:, j], lengths, signal.gamma, self.hp.lambd
            )
            advantages.append(adv)
            returns.append(ret[valid])
            self._record_episode_rewards(signal.reward_tag, segments, rewards.sum(1))
            self.record(signal.value_tag, float(heads[:, j].mean()))
        return np.mean(advantages, axis=0).astype(np.float32), np.stack(returns, axis=1)

    def _record_episode_rewards(self, tag: str, segments: list[Segment], row_sums: np.ndarray) -> None:
        """Record a signal's reward summed over each finished episode (ML-Agents' ``Policy/<Signal> Reward``).

        Segments close at ``time_horizon`` cuts too, so each agent's sum carries over until its episode ends.
        """
        totals = self._episode_rewards.setdefault(tag, np.zeros(self.trajectories.num_agents))
        start = 0
        for seg in segments:
            sums = row_sums[start : start + len(seg.lengths)]
            start += len(seg.lengths)
            if seg.agents is None or seg.ended is None:  # no agent identity: one value per segment row
                for value in sums:
                    self.record(tag, float(value))
                continue
            for agent, value, ended in zip(seg.agents, sums, seg.ended, strict=True):
                totals[agent] += value
                if ended:
                    self.record(tag, float(totals[agent]))
                    totals[agent] = 0.0

    def _update(self, step: int | None = None) -> None:
        """One PPO update over the whole buffer, then clear it.

        Args:
            step: the step the update belongs to (threaded: the step it started at; default: now).

        """
        step = self.step if step is None else step
        lr, beta, epsilon = self.scheduled(step)
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
        # Over every row, padding included (upstream normalizes the update buffer's padded ADVANTAGES field).
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
            self.gradients,
            self.optimizer,
            batch,
            num_epoch=int(self.hp.num_epoch),
            batch_size=int(self.hp.batch_size),
            beta=beta,
            epsilon=epsilon,
            generator=self.generator,
            actor_grad_hook=self.finetune.adjust_actor_gradients if self.finetune is not None else None,
            sequences=(
                SequenceColumns(
                    b.loss_masks[:size], b.memories[:size], b.critic_memories[:size], self.sequence_length
                )
                if self.memory_size
                else None
            ),
        )
        self.buffer.clear()
        # curiosity / RND models over the same buffer, GAIL and BC, the loss tags, the NaN check (base.py)
        self.finish_clipped_update(result, lr, beta, epsilon, step)


# --- update -------------------------------------------------------------------------------------------------
def ppo_losses(
    actor: Actor,
    critic: torch.nn.Module,
    mb: RolloutBatch,
    epsilon: float,
    sequences: SequenceColumns | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Clipped surrogate policy loss, clipped value loss and mean entropy of one minibatch.

    ``mb.obs`` must already be normalized (the update normalizes the whole buffer once).

    Args:
        actor: the policy.
        critic: the value network.
        mb: a minibatch.
        epsilon: clip range (scheduled).
        sequences: a recurrent minibatch's masks and memories (whole sequences), or None.

    Returns:
        ``(policy_loss, value_loss, entropy)`` scalars; with ``sequences`` each is the mean over real steps
        only (upstream ``ModelUtils.masked_mean``).

    """
    if sequences is None:
        log_prob, entropy = actor.evaluate(mb.obs, mb.continuous, mb.discrete, mb.masks, normalized=True)
        values = critic(mb.obs, normalized=True)
    else:
        length = sequences.sequence_length
        log_prob, entropy = actor.evaluate(
            mb.obs,
            mb.continuous,
            mb.discrete,
            mb.masks,
            normalized=True,
            memories=sequences.memories[::length],
            sequence_length=length,
        )
        values = critic(
            mb.obs, normalized=True, memories=sequences.critic_memories[::length], sequence_length=length
        )
    # Ratio per action dimension, advantage broadcast over dimensions (ML-Agents trust_region_policy_loss).
    ratio = torch.exp(log_prob - mb.old_log_prob)
    adv = mb.advantages.unsqueeze(1)
    surrogate = -torch.min(ratio * adv, torch.clamp(ratio, 1.0 - epsilon, 1.0 + epsilon) * adv)
    clipped = mb.old_values + torch.clamp(values - mb.old_values, -epsilon, epsilon)
    value_terms = torch.max((mb.returns - values) ** 2, (mb.returns - clipped) ** 2)
    if sequences is None:
        return surrogate.mean(), value_terms.mean(), entropy.mean()
    mask = sequences.loss_masks
    return masked_mean(surrogate, mask), masked_mean(value_terms, mask), masked_mean(entropy, mask)


class AutogradGradients:
    """Minibatch gradients by autograd on ``ppo_losses``: any network (recurrent, visual, shared critic).

    Args:
        actor: the policy.
        critic: the value network.
        flat: the flat parameters of both, whose gradient is zeroed before each backward pass.

    """

    def __init__(self, actor: Actor, critic: torch.nn.Module, flat: FlatParameters) -> None:
        self.actor, self.critic, self.flat = actor, critic, flat

    def __call__(
        self, mb: RolloutBatch, sequences: SequenceColumns | None, epsilon: float, beta: float
    ) -> torch.Tensor:
        """Write the minibatch's gradients of ``policy_loss + 0.5 * value_loss - beta * entropy``.

        Args:
            mb: the minibatch (observations normalized).
            sequences: its recurrent columns, or None.
            epsilon: clip range.
            beta: entropy coefficient.

        Returns:
            ``[policy_loss, value_loss, entropy]``, detached.

        """
        policy_loss, value_loss, entropy = ppo_losses(self.actor, self.critic, mb, epsilon, sequences)
        self.flat.zero_grad()
        (policy_loss + 0.5 * value_loss - beta * entropy).backward()
        return torch.stack([policy_loss.detach(), value_loss.detach(), entropy.detach()])


class FusedGradients:
    """The same gradients written by hand (``fused.FusedPPO``), for the networks ``FusedPPO.supports``.

    A feed-forward MLP actor with a separate one-head critic: the common case, where the hand-written backward
    makes an update ~1.7x faster than autograd (``bench/bench_fused.py``, ``docs/trainer.md``).

    Args:
        actor: the policy.
        critic: the separate critic.

    """

    def __init__(self, actor: Actor, critic: Critic) -> None:
        self.fused = FusedPPO(actor, critic)

    def __call__(
        self, mb: RolloutBatch, sequences: SequenceColumns | None, epsilon: float, beta: float
    ) -> torch.Tensor:
        """Write the minibatch's gradients (as ``AutogradGradients.__call__``; ``sequences`` is None here)."""
        assert sequences is None  # internal invariant: FusedPPO.supports refuses recurrent actors
        return self.fused.step(*mb, epsilon=epsilon, beta=beta)


PPOGradients = AutogradGradients | FusedGradients
"""How an update gets a minibatch's gradients; ``choose_gradients`` picks one per trainer."""


def choose_gradients(actor: Actor, critic: torch.nn.Module, flat: FlatParameters) -> PPOGradients:
    """Pick the gradient strategy once, when the networks are built: fused where it applies, else autograd.

    Both give the same gradients (``tests/rl/test_fused.py``); the networks' kind never changes afterwards.

    Args:
        actor: the policy.
        critic: the value network.
        flat: the flat parameters of both.

    Returns:
        ``FusedGradients`` for a feed-forward MLP actor with a separate one-head critic, else
        ``AutogradGradients``.

    """
    if FusedPPO.supports(actor, critic):
        return FusedGradients(actor, critic)  # type: ignore[arg-type]  # supports() checked the Critic
    return AutogradGradients(actor, critic, flat)


def update(
    gradients: PPOGradients,
    optimizer: FlatAdam,
    batch: RolloutBatch,
    *,
    num_epoch: int,
    batch_size: int,
    beta: float,
    epsilon: float,
    generator: torch.Generator,
    actor_grad_hook: Callable[[], None] | None = None,
    sequences: SequenceColumns | None = None,
) -> dict[str, float]:
    """``num_epoch`` shuffled passes over the buffer in minibatches of ``batch_size``, one Adam step each.

    Args:
        gradients: writes each minibatch's gradients into the flat gradient (``choose_gradients``).
        optimizer: Adam over the flat parameters (its learning rate already set by the schedule).
        batch: the whole buffer (observations normalized, advantages normalized).
        num_epoch: passes over the buffer.
        batch_size: minibatch size (a remainder smaller than this is skipped, as ML-Agents does).
        beta: entropy coefficient (scheduled).
        epsilon: clip range (scheduled).
        generator: torch generator for the permutations.
        actor_grad_hook: called after each minibatch's gradients, before the optimizer step (fine-tuning
            from a pretrained policy: ``offline.finetune.FineTuneGuard.adjust_actor_gradients``).
        sequences: recurrent PPO's columns: the buffer is then shuffled by whole sequences and each minibatch
            holds ``max(batch_size // sequence_length, 1)`` sequences (upstream ``buffer.shuffle`` and
            ``n_sequences``); None for a feed-forward policy.

    Returns:
        Mean ``policy_loss``, ``value_loss`` and ``entropy`` over the minibatches.

    """
    totals = torch.zeros(3)
    count = 0
    for _ in range(num_epoch):
        for mb, columns in _minibatches(batch, sequences, batch_size, generator):
            totals += gradients(mb, columns, epsilon, beta)
            if actor_grad_hook is not None:
                actor_grad_hook()
            optimizer.step()
            count += 1
    policy, value, ent = (totals / max(1, count)).tolist()
    return {"policy_loss": policy, "value_loss": value, "entropy": ent}


def _minibatches(
    batch: RolloutBatch, sequences: SequenceColumns | None, batch_size: int, generator: torch.Generator
) -> Iterator[tuple[RolloutBatch, SequenceColumns | None]]:
    """One epoch's minibatches: the buffer permuted once (by whole sequences), then cut in contiguous slices.

    Permuting once per epoch and slicing means a minibatch costs no gather. A feed-forward buffer is a buffer
    of one-step sequences, so both cases draw the same permutation a per-minibatch gather would.
    """
    length = 1 if sequences is None else sequences.sequence_length
    count_sequences = batch.obs.shape[0] // length
    rows = max(batch_size // length, 1) * length
    order = torch.randperm(count_sequences, generator=generator)
    if length > 1:
        order = (order[:, None] * length + torch.arange(length)[None, :]).reshape(-1)
    num_minibatches = len(order) // rows
    fields = zip(*(torch.split(t[order], rows) for t in batch), strict=True)
    if sequences is None:
        for _, mb in zip(range(num_minibatches), fields, strict=False):
            yield RolloutBatch(*mb), None
        return
    columns = zip(*(torch.split(t[order], rows) for t in sequences[:3]), strict=True)
    for _, mb, cols in zip(range(num_minibatches), fields, columns, strict=False):
        yield RolloutBatch(*mb), SequenceColumns(*cols, sequence_length=length)
