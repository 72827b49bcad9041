"""Behavioral cloning with ML-Agents' ``behavioral_cloning`` semantics, offline or next to PPO/SAC updates.

ML-Agents (``trainers/torch_entities/components/bc/module.py``) trains the actor on the
demonstrations with its own Adam optimizer after every policy update: ``strength`` multiplies the trainer's
learning rate, which decays linearly to 0 over ``steps`` (``steps: 0`` keeps it constant); each update makes
``num_epoch`` shuffled passes of ``batch_size`` minibatches, at most ``samples_per_update`` samples per pass
(0 = the whole demonstration buffer); the loss is logged as ``Losses/Pretraining Loss``.

Loss (``bc_loss``):

- continuous actions: mean squared error between the policy's *sampled* action and the demonstrated one, as
  ML-Agents does, but compared in environment space (``clamp(x, -3, 3) / 3`` for PPO, ``tanh(x)`` for SAC,
  without the clamp so the gradient never vanishes). ML-Agents compares the raw, unclipped sample with the
  recorded action, which the recorder stores in environment space; its PPO actor then learns a mean three
  times  too small. The sampled (reparameterized) action also shrinks the log std a little, as upstream.
- discrete actions: cross-entropy of the demonstrated action under the masked per-branch softmax (the masks
  recorded with the step; all allowed when none was recorded), averaged over branches.

A recurrent policy (``network_settings.memory``) learns from sequences, as upstream's ``BCModule`` does with
``demo_to_buffer(..., sequence_length)``: every episode of the demonstrations is cut into sequences of
``sequence_length`` rows, the last one padded at its end (``AgentBuffer.resequence_and_append``); minibatches
are whole shuffled sequences; each sequence runs through the LSTM from a zero memory
(``torch.zeros(1, n_sequences, m_size)`` upstream). Upstream also counts the padded rows (zero
observations, zero actions) in the loss, which teaches "action 0 on a zero observation"; here the loss
averages over the real rows only (``demo_sequences``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from ...errors import ConfigError
from .. import distributions as D
from ..distributions import CONTINUOUS_CLIP
from ..networks import Actor
from ..schedules import decayed_value
from .data import Transitions

PRETRAINING_LOSS = "Losses/Pretraining Loss"
"""ML-Agents' TensorBoard tag of the BC loss (``components/bc/module.py``)."""
MIN_BC_LEARNING_RATE = 1e-10
"""Below this annealed learning rate the BC update is skipped (ML-Agents ``BCModule.update``)."""


def env_space_action(actor: Actor, raw: torch.Tensor) -> torch.Tensor:
    """Map a raw Gaussian sample to what the environment receives, differentiably.

    Args:
        actor: the policy (PPO-style or tanh-squashed SAC-style).
        raw: ``(batch, n_cont)`` raw samples.

    Returns:
        ``tanh(raw)`` for a squashed actor, else ``raw / 3`` (the clamp to [-3, 3] is left out on purpose).

    """
    return torch.tanh(raw) if actor.tanh_squash else raw / CONTINUOUS_CLIP


def bc_loss(
    actor: Actor,
    batch: Transitions,
    *,
    normalized: bool = False,
    sample: bool = True,
    sequence_length: int = 1,
    valid: torch.Tensor | None = None,
) -> torch.Tensor:
    """Behavioral cloning loss of a minibatch of demonstrations (see the module docstring).

    Args:
        actor: the policy being trained.
        batch: demonstration rows; for a recurrent actor whole sequences of ``sequence_length`` rows.
        normalized: ``batch.obs`` already went through the actor's normalizer.
        sample: compare a reparameterized sample (ML-Agents), else the mean action (continuous only).
        sequence_length: rows per sequence (a recurrent actor runs each from a zero memory).
        valid: ``(rows,)`` bool, False for padding rows left out of the loss; None: every row counts.

    Returns:
        The scalar loss (continuous MSE plus mean discrete cross-entropy, averaged over the valid rows).

    """
    mask = batch.masks if actor.branches else None
    if actor.memory_size:
        zero = batch.obs.new_zeros((batch.obs.shape[0] // sequence_length, actor.memory_size))
        heads = actor.recurrent_heads(batch.obs, mask, zero, sequence_length, normalized)
        mean, log_std, branch_lp = heads[:3]
    else:
        mean, log_std, branch_lp = actor.heads(batch.obs, mask, normalized)
    weight = None if valid is None else valid.to(batch.obs.dtype)

    def average(per_row: torch.Tensor) -> torch.Tensor:
        if weight is None:
            return per_row.mean()
        return (per_row * weight).sum() / weight.sum().clamp(min=1.0)

    loss = batch.obs.new_zeros(())
    if mean is not None and log_std is not None:
        raw = mean + torch.randn_like(mean) * torch.exp(log_std) if sample else mean
        squared = (env_space_action(actor, raw) - batch.continuous) ** 2
        loss = loss + average(squared.mean(dim=1))
    if branch_lp:
        loss = loss - average(D.categorical_log_prob(branch_lp, batch.discrete).mean(dim=1))
    return loss


def demo_sequences(data: Transitions, sequence_length: int) -> torch.Tensor:
    """Cut the demonstrations into sequences: row indices, each episode's last sequence padded with -1.

    Args:
        data: the demonstrations (``episode_ends`` marks each episode's last row; None: one stream).
        sequence_length: rows per sequence.

    Returns:
        ``(sequences, sequence_length)`` int64 row indices, -1 where a sequence is padded.

    Raises:
        ConfigError: ``sequence_length`` below 1.

    """
    if sequence_length < 1:
        raise ConfigError(f"network_settings.memory.sequence_length: expected >= 1, got {sequence_length}")
    n = len(data)
    ends = torch.zeros(n, dtype=torch.bool) if data.episode_ends is None else data.episode_ends.clone()
    if n:
        ends[-1] = True
    parts: list[torch.Tensor] = []
    start = 0
    for stop in (torch.nonzero(ends).flatten() + 1).tolist():
        rows = torch.arange(start, stop)
        pad = torch.full(((-len(rows)) % sequence_length,), -1, dtype=torch.int64)
        parts.append(torch.cat([rows, pad]).view(-1, sequence_length))
        start = stop
    return torch.cat(parts) if parts else torch.zeros((0, sequence_length), dtype=torch.int64)


def _zero_grads(params: list[torch.nn.Parameter]) -> None:
    # In place, never set_to_none: PPO's flat parameters keep per-parameter gradient *views* (rl/fused.py).
    for p in params:
        if p.grad is not None:
            p.grad.zero_()


def minibatch_count(size: int, batch_size: int, samples_per_update: int) -> tuple[int, int]:
    """Minibatch size and count of one pass over the demonstrations (ML-Agents ``BCModule.update``).

    Args:
        size: demonstration rows.
        batch_size: configured minibatch size (capped at ``size``).
        samples_per_update: at most this many samples per pass; 0 = all of them.

    Returns:
        ``(batch_size, num_batches)``; at least one batch (ML-Agents would treat a ``samples_per_update``
        smaller than one batch as "all": we take one batch instead).

    """
    bs = max(1, min(batch_size, size))
    possible = max(1, size // bs)
    if samples_per_update <= 0:
        return bs, possible
    return bs, max(1, min(possible, samples_per_update // bs))


@dataclass(frozen=True)
class BCStats:
    """What one BC update did."""

    loss: float
    """Mean loss over its minibatches (0 when skipped)."""
    learning_rate: float
    """The annealed learning rate used."""
    minibatches: int
    """Gradient steps taken."""


class BCModule:
    """Behavioral cloning next to an online trainer (the ``behavioral_cloning`` setting).

    Args:
        actor: the trainer's policy (its parameters are updated in place).
        settings: the ``BehavioralCloningSettings``.
        data: the demonstrations (``data.load_transitions``).
        learning_rate: the trainer's learning rate (BC's is ``strength`` times it).
        default_batch_size: the trainer's ``batch_size`` (used when ``settings.batch_size`` is null).
        default_num_epoch: the trainer's ``num_epoch`` (used when ``settings.num_epoch`` is null; 1 for SAC).
        generator: torch generator for the shuffles.
        sequence_length: a recurrent actor's ``network_settings.memory.sequence_length``: minibatches of whole
            sequences (``demo_sequences``), each from a zero memory.

    Raises:
        ConfigError: an empty demonstration set.

    """

    def __init__(
        self,
        actor: Actor,
        settings: Any,
        data: Transitions,
        *,
        learning_rate: float,
        default_batch_size: int,
        default_num_epoch: int,
        generator: torch.Generator,
        sequence_length: int = 1,
    ) -> None:
        if len(data) == 0:
            raise ConfigError(
                f"behavioral_cloning.demo_path {settings.demo_path}: no demonstration transitions"
            )
        self.actor = actor
        self.data = data
        self.initial_lr = float(learning_rate) * float(settings.strength)
        self.anneal_steps = int(settings.steps)
        self.batch_size = int(settings.batch_size or default_batch_size)
        self.num_epoch = int(settings.num_epoch or default_num_epoch)
        self.samples_per_update = int(settings.samples_per_update)
        # SAC's state-dependent log std belongs to its entropy terms online: the sampled MSE would drive it to
        # the clamp floor (measured: -4.2 on average after 500 offline steps, -20 during fine-tuning), then
        # the entropy coefficient and any KL towards a pretrained policy explode (docs/offline_rl.md).
        self.sample = not actor.tanh_squash
        self.generator = generator
        self.params = [p for p in actor.parameters() if p.requires_grad]
        self.optimizer = torch.optim.Adam(self.params, lr=max(self.initial_lr, MIN_BC_LEARNING_RATE))
        self.sequence_length = int(sequence_length) if actor.memory_size else 1
        self.sequences = demo_sequences(data, self.sequence_length) if actor.memory_size else None
        """A recurrent actor's demonstration sequences (row indices, -1 padding), else None."""

    def learning_rate(self, step: int) -> float:
        """Return the BC learning rate at ``step``: ``strength * lr``, linearly to 0 over ``steps`` (if > 0).

        Args:
            step: the behavior's step.

        Returns:
            The annealed learning rate.

        """
        schedule = "linear" if self.anneal_steps > 0 else "constant"
        return decayed_value(schedule, self.initial_lr, 0.0, step, self.anneal_steps)

    def update(self, step: int, scale: float = 1.0) -> BCStats:
        """``num_epoch`` shuffled passes over (at most ``samples_per_update`` of) the demonstrations.

        Args:
            step: the behavior's step (for the annealing).
            scale: multiplies the annealed learning rate (the fine-tuning guard's evidence,
                ``offline.finetune.FineTuneGuard.bc_scale``; 1 otherwise).

        Returns:
            The mean loss, the learning rate and the number of gradient steps (0 once annealed away).

        """
        lr = self.learning_rate(step) * scale
        if lr <= MIN_BC_LEARNING_RATE:
            return BCStats(0.0, lr, 0)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        if self.sequences is not None:
            return self._update_sequences(lr)
        bs, num_batches = minibatch_count(len(self.data), self.batch_size, self.samples_per_update)

        def loss_of(rows: torch.Tensor) -> torch.Tensor:
            return bc_loss(self.actor, self.data.rows(rows), sample=self.sample)

        return self._epochs(len(self.data), bs, num_batches, loss_of, lr)

    def _epochs(
        self,
        count: int,
        bs: int,
        num_batches: int,
        loss_of: Callable[[torch.Tensor], torch.Tensor],
        lr: float,
    ) -> BCStats:
        """``num_epoch`` shuffled passes over ``count`` items (rows or sequences), one step per minibatch."""
        losses: list[torch.Tensor] = []
        for _ in range(self.num_epoch):
            perm = torch.randperm(count, generator=self.generator)
            for i in range(num_batches):
                loss = loss_of(perm[i * bs : (i + 1) * bs])
                _zero_grads(self.params)
                loss.backward()
                self.optimizer.step()
                losses.append(loss.detach())
        _zero_grads(self.params)
        return BCStats(float(torch.stack(losses).mean()), lr, len(losses))

    def _update_sequences(self, lr: float) -> BCStats:
        # Upstream: batch_size // sequence_length sequences per minibatch (at least one).
        sequences, length = self.sequences, self.sequence_length
        assert sequences is not None  # internal invariant: only called for a recurrent actor
        per_batch = max(1, self.batch_size // length)
        limit = max(1, self.samples_per_update // length) if self.samples_per_update > 0 else 0
        bs, num_batches = minibatch_count(len(sequences), per_batch, limit)

        def loss_of(picked: torch.Tensor) -> torch.Tensor:
            idx = sequences[picked].reshape(-1)
            valid = idx >= 0
            batch = self.data.rows(idx.clamp(min=0))  # padding rows repeat row 0 and are masked out
            return bc_loss(self.actor, batch, sample=self.sample, sequence_length=length, valid=valid)

        return self._epochs(len(sequences), bs, num_batches, loss_of, lr)


def fit_bc(
    actor: Actor,
    data: Transitions,
    *,
    updates: int,
    batch_size: int,
    learning_rate: float,
    generator: torch.Generator,
) -> list[float]:
    """Offline behavioral cloning: ``updates`` Adam steps on shuffled minibatches of the demonstrations.

    The actor's observation normalizer (if any) should already hold the demonstrations' statistics.

    Args:
        actor: the policy to train.
        data: the demonstrations.
        updates: gradient steps.
        batch_size: minibatch size (capped at the number of rows).
        learning_rate: Adam learning rate.
        generator: torch generator for the shuffles.

    Returns:
        The loss of every step.

    """
    params = [p for p in actor.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=learning_rate)
    bs = max(1, min(batch_size, len(data)))
    per_pass = max(1, len(data) // bs)
    losses: list[float] = []
    perm = torch.randperm(len(data), generator=generator)
    for step in range(updates):
        i = step % per_pass
        if i == 0 and step > 0:
            perm = torch.randperm(len(data), generator=generator)
        loss = bc_loss(actor, data.rows(perm[i * bs : (i + 1) * bs]))
        _zero_grads(params)
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    _zero_grads(params)
    return losses
