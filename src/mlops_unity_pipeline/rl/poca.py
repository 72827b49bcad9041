"""MA-POCA (``trainer_type: poca``) as ML-Agents Release 22 runs it, readable top to bottom.

Flow: groupmates of each agent at every decision (``group_mates``) -> acting with the PPO actor ->
trajectories that also hold each step's groupmate observations and actions (``GroupColumns``) -> on each
closed trajectory the group value ``V`` and the agent's counterfactual baseline ``b`` (``poca_critic``),
``lambda_returns`` from ``V`` and ``A = G^lambda - b`` -> ``update`` when the buffer holds more than
``buffer_size`` steps.

Faithful to upstream (``trainers/poca/trainer.py``, ``poca/optimizer_torch.py``, the extrinsic reward
provider with ``add_groupmate_rewards``):

- an agent's extrinsic reward is its own reward plus its groupmates' individual rewards plus the group
  reward, times ``strength``;
- an agent whose episode ends while its group plays on (it *left* the group) bootstraps from the group value
  of its last observation and its groupmates' next ones: the group's future still credits it. Only when every
  member's episode ended at that step, terminated and not interrupted, is the value after the last step 0;
- value and baseline both regress to the lambda-returns, each clipped around its own old estimate;
  ``loss = policy + 0.5 * (value + 0.5 * baseline) - beta * entropy``; advantages normalized over the buffer;
- as upstream, the policy ratio is clipped with the configured ``epsilon`` and the value/baseline with the
  scheduled one.

Agents join a group by appearing with its ``group_id`` and leave it by ending their episode (or by changing
``group_id``): membership is read at every decision, so groups of any size, changing mid-episode, work.
Curiosity and RND get their own value and baseline heads (lambda-returns with their ``gamma``, ignoring
episode ends); GAIL and behavioral cloning run through ``rl/offline/components.py`` as with PPO.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import torch

from ..errors import TrainError
from ..spaces import ActionTuple, BehaviorSignature, StepBatch
from .base import Trainer, clipped_env_actions, flatten_obs
from .buffers import Segment, next_observations
from .config import TrainerSettings
from .networks import Actor
from .optim import make_adam
from .poca_critic import GroupCritic, Recurrence, flat_actions
from .poca_memory import POCASequences, group_critic_by_sequence
from .recurrent import to_sequences
from .stats import ENTROPY, EXTRINSIC_REWARD, GROUP_CUMULATIVE_REWARD

BASELINE_LOSS = "Losses/Baseline Loss"
"""Upstream's tag of the baseline's clipped regression loss."""
VALUE_ESTIMATE = "Policy/Extrinsic Value Estimate"
"""Mean group value of processed steps (upstream ``Policy/<Signal> Value Estimate``)."""
BASELINE_ESTIMATE = "Policy/Extrinsic Baseline Estimate"
"""Mean counterfactual baseline of processed steps (upstream ``Policy/<Signal> Baseline Estimate``)."""


# --- groups -------------------------------------------------------------------------------------------------
def group_mates(group_id: np.ndarray | None, num_agents: int) -> np.ndarray:
    """Row indices of each agent's groupmates at one decision, padded with -1.

    Agents sharing a non-zero ``group_id`` form a group; 0 means no group (upstream
    ``SimpleMultiAgentGroup``).

    Args:
        group_id: ``(n,)`` group of each agent, or None (a single-agent world: no groups).
        num_agents: ``n``.

    Returns:
        ``(n, m)`` int64, ``m`` = largest group size - 1; each row lists the other members in row order.

    """
    if group_id is None:
        return np.full((num_agents, 0), -1, np.int64)
    ids = np.asarray(group_id, np.int64).reshape(-1)
    grouped = np.flatnonzero(ids != 0)
    if len(grouped) == 0:
        return np.full((num_agents, 0), -1, np.int64)
    _, which, counts = np.unique(ids[grouped], return_inverse=True, return_counts=True)
    size = int(counts.max())
    order = np.argsort(which, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    slot = np.empty(len(grouped), np.int64)
    slot[order] = np.arange(len(grouped)) - starts[which[order]]
    table = np.full((len(counts), size), -1, np.int64)
    table[which, slot] = grouped
    # others[s]: every slot but s, so a member's row of the table without itself.
    others = np.array([[j for j in range(size) if j != s] for s in range(size)], np.int64).reshape(size, -1)
    mates = np.full((num_agents, size - 1), -1, np.int64)
    mates[grouped] = table[which[:, None], others[slot]]
    return mates


def lambda_returns(
    rewards: np.ndarray,
    values: np.ndarray,
    bootstrap: np.ndarray,
    lengths: np.ndarray,
    gamma: float,
    lambd: float,
) -> np.ndarray:
    """TD(lambda) returns of padded trajectories (upstream ``trainer_utils.lambda_return``).

    ``G_{L-1} = r_{L-1} + gamma * bootstrap`` and ``G_t = r_t + gamma * ((1 - lambd) * V_{t+1} + lambd *
    G_{t+1})``.

    Args:
        rewards: ``(k, L)`` rewards; row i valid for ``t < lengths[i]``.
        values: ``(k, L)`` group values of the same steps.
        bootstrap: ``(k,)`` value after the last valid step (0 where the whole group terminated).
        lengths: ``(k,)`` valid steps per row.
        gamma: discount.
        lambd: lambda.

    Returns:
        ``(k, L)`` float32 returns; cells beyond a row's length are 0.

    """
    k, span = rewards.shape
    valid = np.arange(span)[None, :] < lengths[:, None]
    next_values = np.zeros((k, span + 1), np.float64)
    next_values[:, :span] = np.where(valid, values, 0.0)
    next_values[np.arange(k), lengths] = bootstrap
    last = np.arange(span)[None, :] == (lengths[:, None] - 1)
    returns = np.zeros((k, span), np.float64)
    running = np.zeros(k, np.float64)
    for t in range(span - 1, -1, -1):
        # At a row's last step the continuation is the bootstrap value alone (no G_{t+1} yet).
        follow = np.where(
            last[:, t], next_values[:, t + 1], (1 - lambd) * next_values[:, t + 1] + lambd * running
        )
        running = np.where(valid[:, t], rewards[:, t] + gamma * follow, 0.0)
        returns[:, t] = running
    return returns.astype(np.float32)


# --- trajectories -------------------------------------------------------------------------------------------
class GroupColumns:
    """Each open trajectory's per-step groupmate observations and actions, next to a ``TrajectoryBuffer``.

    Slots grow when a larger group appears (absent slots have ``present`` 0 and zero contents).

    Args:
        num_agents: agents in the environment.
        time_horizon: steps per trajectory at most.
        obs_size: observation row size.
        continuous_size: continuous actions.
        num_branches: discrete branches.

    """

    def __init__(
        self, num_agents: int, time_horizon: int, obs_size: int, continuous_size: int, num_branches: int
    ) -> None:
        self.shape = (num_agents, max(1, int(time_horizon)))
        self.obs_size, self.continuous_size, self.num_branches = obs_size, continuous_size, num_branches
        self.width = 0
        self._allocate(0)

    def _allocate(self, width: int) -> None:
        n, h = self.shape
        self.obs = np.zeros((n, h, width, self.obs_size), np.float32)
        self.continuous = np.zeros((n, h, width, self.continuous_size), np.float32)
        self.discrete = np.zeros((n, h, width, self.num_branches), np.int64)
        self.present = np.zeros((n, h, width), np.float32)
        self.width = width

    def _widen(self, width: int) -> None:
        old = (self.obs, self.continuous, self.discrete, self.present)
        previous = self.width
        self._allocate(width)
        for new, value in zip((self.obs, self.continuous, self.discrete, self.present), old, strict=True):
            new[:, :, :previous] = value

    def add(
        self,
        cols: np.ndarray,
        mates: np.ndarray,
        obs: np.ndarray,
        continuous: np.ndarray,
        discrete: np.ndarray,
    ) -> None:
        """Store one decision's groupmates of every agent at step ``cols`` of its trajectory.

        Args:
            cols: ``(n,)`` each agent's current trajectory length (the step being written).
            mates: ``(n, m)`` groupmate rows, -1 where none (``group_mates``).
            obs: ``(n, obs_size)`` every agent's observation at that decision.
            continuous: ``(n, n_cont)`` raw continuous actions taken.
            discrete: ``(n, n_branches)`` discrete actions taken.

        """
        m = mates.shape[1]
        if m > self.width:
            self._widen(m)
        rows = np.arange(self.shape[0])
        present = mates >= 0
        safe = np.where(present, mates, 0)
        self.present[rows, cols] = 0.0
        self.present[rows, cols, :m] = present
        keep = present[..., None]
        self.obs[rows, cols] = 0.0
        self.obs[rows, cols, :m] = np.where(keep, obs[safe], 0.0)
        self.continuous[rows, cols] = 0.0
        self.continuous[rows, cols, :m] = np.where(keep, continuous[safe], 0.0)
        self.discrete[rows, cols] = 0
        self.discrete[rows, cols, :m] = np.where(keep, discrete[safe], 0)

    def take(self, agents: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Copy ``(obs, continuous, discrete, present)`` of rows ``agents``' first ``span`` steps."""
        return (
            self.obs[agents, :span].copy(),
            self.continuous[agents, :span].copy(),
            self.discrete[agents, :span].copy(),
            self.present[agents, :span].copy(),
        )


class GroupSegment(NamedTuple):
    """A closed ``Segment`` with its groupmate columns and the groupmates' observations after its end."""

    base: Segment
    """Own columns and bootstrap observation; ``terminated`` means the value after the last step is 0."""
    mate_obs: np.ndarray
    """``(k, L, m, obs_size)``."""
    mate_continuous: np.ndarray
    """``(k, L, m, n_cont)``."""
    mate_discrete: np.ndarray
    """``(k, L, m, n_branches)``."""
    mate_present: np.ndarray
    """``(k, L, m)``."""
    bootstrap_mate_obs: np.ndarray
    """``(k, m', obs_size)`` groupmates' observations after the last step (for the bootstrap value)."""
    bootstrap_mate_present: np.ndarray
    """``(k, m')``."""


class POCABatch(NamedTuple):
    """The update buffer's contents, flat over (agent, step) rows."""

    obs: torch.Tensor
    continuous: torch.Tensor
    discrete: torch.Tensor
    masks: torch.Tensor
    old_log_prob: torch.Tensor
    advantages: torch.Tensor
    returns: torch.Tensor
    old_values: torch.Tensor
    old_baselines: torch.Tensor
    mate_obs: torch.Tensor
    mate_actions: torch.Tensor
    mate_present: torch.Tensor


CHUNK_COLUMNS = (
    "obs",
    "continuous",
    "discrete",
    "masks",
    "log_probs",
    "advantages",
    "returns",
    "values",
    "baselines",
    "mate_obs",
    "mate_actions",
    "mate_present",
)
"""The processed buffer's columns, in ``POCABatch`` order."""


# --- update -------------------------------------------------------------------------------------------------
def poca_losses(
    actor: Actor,
    critic: GroupCritic,
    mb: POCABatch,
    policy_epsilon: float,
    value_epsilon: float,
    sequences: POCASequences | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Clipped surrogate, clipped value and baseline losses and mean entropy of one minibatch.

    Args:
        actor: the policy.
        critic: the group critic.
        mb: a minibatch (raw observations).
        policy_epsilon: clip range of the policy ratio (upstream: the configured ``epsilon``).
        value_epsilon: clip range of the value and baseline (upstream: the scheduled ``epsilon``).
        sequences: recurrent POCA's memories and loss masks of the minibatch's whole sequences (means are
            then over real steps only); None for feed-forward networks.

    Returns:
        ``(policy_loss, value_loss, baseline_loss, entropy)`` scalars.

    """
    mean: Callable[[torch.Tensor], torch.Tensor] = torch.mean
    if sequences is None:
        log_prob, entropy = actor.evaluate(mb.obs, mb.continuous, mb.discrete, mb.masks)
        values, baselines = critic.values_and_baselines(mb.obs, mb.mate_obs, mb.mate_actions, mb.mate_present)
    else:  # whole sequences from their stored memories; means over real steps
        mean, length = sequences.mean, sequences.sequence_length
        memories, value_start, baseline_start = sequences.starts()
        log_prob, entropy = actor.evaluate(
            mb.obs, mb.continuous, mb.discrete, mb.masks, memories=memories, sequence_length=length
        )
        values, baselines = critic.values_and_baselines(
            mb.obs,
            mb.mate_obs,
            mb.mate_actions,
            mb.mate_present,
            Recurrence(value_start, length),
            Recurrence(baseline_start, length),
        )
    ratio = torch.exp(log_prob - mb.old_log_prob)
    adv = mb.advantages.unsqueeze(1)
    surrogate = -torch.min(ratio * adv, torch.clamp(ratio, 1.0 - policy_epsilon, 1.0 + policy_epsilon) * adv)
    return (
        mean(surrogate),
        clipped_value_loss(values, mb.old_values, mb.returns, value_epsilon, mean),
        clipped_value_loss(baselines, mb.old_baselines, mb.returns, value_epsilon, mean),
        mean(entropy),
    )


def clipped_value_loss(
    estimates: torch.Tensor,
    old: torch.Tensor,
    returns: torch.Tensor,
    epsilon: float,
    mean: Callable[[torch.Tensor], torch.Tensor] = torch.mean,
) -> torch.Tensor:
    """``mean(max((G - v)^2, (G - clip(v, old +- epsilon))^2))`` (upstream ``poca_value_loss``)."""
    clipped = old + torch.clamp(estimates - old, -epsilon, epsilon)
    return mean(torch.max((returns - estimates) ** 2, (returns - clipped) ** 2))


def update(
    actor: Actor,
    critic: GroupCritic,
    optimizer: torch.optim.Optimizer,
    batch: POCABatch,
    *,
    num_epoch: int,
    batch_size: int,
    beta: float,
    policy_epsilon: float,
    value_epsilon: float,
    generator: torch.Generator,
    sequences: POCASequences | None = None,
) -> dict[str, float]:
    """``num_epoch`` shuffled passes over the buffer in ``batch_size`` minibatches (remainder skipped).

    Args:
        actor: the policy.
        critic: the group critic.
        optimizer: Adam over both (learning rate already scheduled).
        batch: the whole buffer (advantages normalized).
        num_epoch: passes.
        batch_size: minibatch size.
        beta: entropy coefficient (scheduled).
        policy_epsilon: ratio clip range.
        value_epsilon: value and baseline clip range.
        generator: torch generator for the permutations.
        sequences: recurrent POCA's columns (rows are whole sequences): epochs shuffle whole sequences and a
            minibatch holds ``max(batch_size // sequence_length, 1)`` of them (upstream ``buffer.shuffle``).

    Returns:
        Mean ``policy_loss``, ``value_loss``, ``baseline_loss`` and ``entropy`` over the minibatches.

    """
    length = 1 if sequences is None else sequences.sequence_length
    size = batch.obs.shape[0]
    rows = max(batch_size // length, 1) * length
    num_minibatches = size // rows
    totals = torch.zeros(4)
    for _ in range(num_epoch):
        perm = torch.randperm(size // length, generator=generator)
        if length > 1:
            perm = (perm[:, None] * length + torch.arange(length)[None, :]).reshape(-1)
        shuffled = POCABatch(*(t[perm] for t in batch))  # one gather per epoch; minibatches are views
        columns = None if sequences is None else POCASequences(*(t[perm] for t in sequences[:4]), length)
        for i in range(num_minibatches):
            lo, hi = i * rows, (i + 1) * rows
            mb = POCABatch(*(t[lo:hi] for t in shuffled))
            seq = None if columns is None else POCASequences(*(t[lo:hi] for t in columns[:4]), length)
            policy, value, baseline, entropy = poca_losses(
                actor, critic, mb, policy_epsilon, value_epsilon, seq
            )
            # Upstream POCA: loss = policy + 0.5 * (value + 0.5 * baseline) - beta * entropy.
            loss = policy + 0.5 * (value + 0.5 * baseline) - beta * entropy
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            totals += torch.stack([policy.detach(), value.detach(), baseline.detach(), entropy.detach()])
    policy, value, baseline, ent = (totals / max(1, num_epoch * num_minibatches)).tolist()
    return {"policy_loss": policy, "value_loss": value, "baseline_loss": baseline, "entropy": ent}


# --- trainer ------------------------------------------------------------------------------------------------
class POCATrainer(Trainer):
    """MA-POCA for one behavior whose agents play in groups (``StepBatch.group_id``/``group_reward``).

    Args:
        signature: the behavior trained.
        settings: its ``TrainerSettings`` (``hyperparameters`` is a ``POCASettings``).
        num_agents: agents in the environment.
        seed: random seed.

    """

    algorithm = "poca"

    def __init__(
        self, signature: BehaviorSignature, settings: TrainerSettings, num_agents: int, seed: int
    ) -> None:
        super().__init__(signature, settings, seed)
        hp = self.hp
        net = settings.network_settings
        spec = self.action_spec
        # The policy is a NetworkBody upstream (goal-conditioned with goal observations); the group critic's
        # MultiAgentNetworkBody is not (upstream uses a plain LinearEncoder there).
        # network_settings.memory (rl/poca_memory.py): an LSTM in the policy and one in the group critic.
        self.actor = Actor(
            signature,
            net.hidden_units,
            net.num_layers,
            net.normalize,
            vis_encode_type=net.vis_encode_type,
            goal_conditioning=net.goal_conditioning_type,
            memory_size=self.memory_size,
        )
        # curiosity / rnd (``self.signals``, built by the base Trainer): one more value and baseline head
        # each, after the extrinsic one.
        self.critic = GroupCritic(
            signature,
            net.hidden_units,
            net.num_layers,
            net.normalize,
            1 + len(self.signals),
            vis_encode_type=net.vis_encode_type,
            memory_size=self.memory_size,
        )
        self.optimizer = make_adam([*self.actor.parameters(), *self.critic.parameters()], hp.learning_rate)
        # Acting copy, trajectories, policy memories, imitation (rl/base.py), as PPO runs them.
        self.start_on_policy(num_agents, seed)
        self.branches = tuple(spec.discrete_branches)
        self.num_agents = num_agents
        # The critic's value and baseline memories before each agent's next trajectory, zeroed when its
        # episode ends.
        self.value_memories = np.zeros((num_agents, self.memory_size), np.float32)
        self.baseline_memories = np.zeros((num_agents, self.memory_size), np.float32)
        self.group_columns = GroupColumns(
            num_agents, settings.time_horizon, self.obs_size, spec.continuous_size, spec.discrete_size
        )
        self._pending: tuple[np.ndarray, ...] | None = None
        self._closed: list[GroupSegment] = []
        self._closed_rows = 0
        self._chunks: list[dict[str, np.ndarray]] = []
        self._buffered = 0
        self._signal_totals: dict[str, np.ndarray] = {}
        """Per agent, each intrinsic signal's reward this episode so far, by ``Policy/<Signal> Reward``."""
        self._extrinsic = np.zeros(num_agents, np.float64)
        """Per agent, its extrinsic reward (own + groupmates' + group, x strength) this episode so far."""
        self._group_rewards = np.zeros(num_agents, np.float64)
        """Per agent, the group reward of its episode so far (``Environment/Group Cumulative Reward``)."""

    def modules(self) -> dict[str, torch.nn.Module]:
        """Actor as ``"Policy"`` (ML-Agents' key), the group critic as ``"Critic"``, then signal models."""
        extra: dict[str, torch.nn.Module] = self.imitation.modules() if self.imitation is not None else {}
        for signal in self.signals:
            extra.update(signal.modules())
        return {"Policy": self.actor, "Critic": self.critic, **extra}

    def optimizers(self) -> dict[str, Any]:
        """Return the Adam optimizer over actor and critic (and each signal model's own)."""
        extra: dict[str, Any] = self.imitation.optimizers() if self.imitation is not None else {}
        for signal in self.signals:
            extra.update(signal.optimizers())
        return {"Optimizer": self.optimizer, **extra}

    def load_state_dict(self, state: dict[str, Any], *, weights_only: bool = False) -> None:
        """Restore a checkpoint (see ``Trainer.load_state_dict``).

        Raises:
            TrainError: the checkpoint does not fit, or it is an offline-pretrained policy (POCA has no
                fine-tuning guard).

        """
        super().load_state_dict(state, weights_only=weights_only)
        if self.acting_actor is not self.actor:  # threaded: the acting copy acts with the loaded policy
            self.acting_actor.load_state_dict(self.actor.state_dict())
        if self.finetune is not None:
            self.finetune = None
            raise TrainError(
                f"behavior '{self.signature.name}': initializing POCA from an offline-pretrained policy is "
                "not implemented (initialize from a POCA checkpoint)"
            )

    # --- rollout ---
    def act(self, batch: StepBatch) -> ActionTuple:
        """Sample actions for every agent and remember the decision's groups.

        Args:
            batch: the current decision.

        Returns:
            Actions; continuous ones are ``clamp(x, -3, 3) / 3`` of the Gaussian sample.

        """
        obs = flatten_obs(batch.obs)
        mask = None if batch.action_mask is None else batch.action_mask.astype(np.float32)
        cont_np, disc_np, log_prob, entropy = self.sample_actions(obs, mask)
        self.record(ENTROPY, entropy)
        mates = group_mates(batch.group_id, len(obs))
        self._pending = (obs, cont_np, disc_np, mask, log_prob.numpy(), mates)
        return clipped_env_actions(cont_np, disc_np)  # PPO's action mapping

    def observe(self, batch: StepBatch) -> None:
        """Record the step with its groupmates, close finished trajectories, update when the buffer is full.

        Args:
            batch: the decision that followed the last ``act``.

        """
        if self._pending is None:
            return
        obs, cont, disc, mask, log_prob, mates = self._pending
        self._pending = None
        present = mates >= 0
        safe = np.where(present, mates, 0)
        reward = np.asarray(batch.reward, np.float32)
        # Upstream extrinsic signal under POCA: own + groupmates' individual rewards + the group reward.
        mates_reward = np.where(present, reward[safe], 0.0).sum(axis=1)
        group_reward = (
            np.zeros_like(reward)
            if batch.group_reward is None
            else np.asarray(batch.group_reward, np.float32)
        )
        total = (reward + mates_reward + group_reward) * self.strength
        self.group_columns.add(self.trajectories.lengths.copy(), mates, obs, cont, disc)
        self.trajectories.add(
            obs, cont, disc, mask, log_prob, total.astype(np.float32), self._pending_memories
        )
        self._group_rewards += group_reward
        self._extrinsic += total
        done = batch.terminated | batch.truncated
        reported = done.copy()
        self.memories[done] = 0.0  # a new episode starts from a zero memory (upstream drops the agent's)
        if self._dropped is not None:  # their environment restarted: drop the whole open fragment
            self.trajectories.lengths[self._dropped] = 0
            for memory in (self.memories, self.value_memories, self.baseline_memories):
                memory[self._dropped] = 0.0
            reported[self._dropped] = False
            self._group_rewards[self._dropped] = 0.0
            self._extrinsic[self._dropped] = 0.0
            self._dropped = None
        self.step += len(obs)
        # The whole group ended at this step when every member at the decision ended (a groupless agent is
        # its own group); only then, and only when terminated rather than interrupted, is the value after 0.
        group_done = done & np.where(present, done[safe], True).all(axis=1)
        for agent in np.flatnonzero(reported):
            if group_done[agent]:
                self.record(GROUP_CUMULATIVE_REWARD, float(self._group_rewards[agent]))
            # Upstream's Policy/Extrinsic Reward: the signal's reward summed over the agent's episode.
            self.record(EXTRINSIC_REWARD, float(self._extrinsic[agent]))
        self._group_rewards[done] = 0.0  # an agent that left early drops its sum (as upstream)
        self._extrinsic[done] = 0.0
        terminal = batch.terminated & group_done
        next_obs, final_obs = flatten_obs(batch.obs), flatten_obs(batch.final_obs)
        segment = self.trajectories.close(terminal, done & ~terminal, next_obs, final_obs)
        if segment is not None:
            self._closed.append(self._with_group(segment, mates, done, next_obs, final_obs))
            self._closed_rows += int(segment.lengths.sum())
        # Threaded, the processed rows belong to the running update: only the closed rows count.
        filled = 0 if self.background is not None else self._buffered
        if filled + self._closed_rows > self.hp.buffer_size:
            self.settle()  # threaded: the previous update ends here, at a fixed step
            self._process(self._closed)
            self._closed, self._closed_rows = [], 0
            if self.background is not None:
                self.acting_actor.load_state_dict(self.actor.state_dict())
                step = self.step
                self.background.start(lambda: self._update(step))
            else:
                self._update()

    def _with_group(
        self,
        segment: Segment,
        mates: np.ndarray,
        done: np.ndarray,
        next_obs: np.ndarray,
        final_obs: np.ndarray,
    ) -> GroupSegment:
        """Attach the closed rows' groupmate columns and their groupmates' observations after the end."""
        agents = segment.agents if segment.agents is not None else np.arange(len(segment.lengths))
        span = segment.obs.shape[1]
        m_obs, m_cont, m_disc, m_present = self.group_columns.take(agents, span)
        last = mates[agents]
        present = last >= 0
        safe = np.where(present, last, 0)
        # A groupmate that ended at this step is seen at its final observation, the others at their next one.
        after = np.where(done[safe][..., None], final_obs[safe], next_obs[safe])
        after = np.where(present[..., None], after, 0.0).astype(np.float32)
        return GroupSegment(segment, m_obs, m_cont, m_disc, m_present, after, present.astype(np.float32))

    def reset_trajectories(self) -> None:
        """Drop open trajectories and the pending action (after an environment reset)."""
        self.trajectories.clear()
        self._pending = None
        for memory in (self.memories, self.value_memories, self.baseline_memories):
            memory[:] = 0.0
        self._group_rewards[:] = 0.0
        self._extrinsic[:] = 0.0
        for totals in self._signal_totals.values():  # those episodes are gone with their trajectories
            totals[:] = 0.0

    def drop_agents(self, rows: np.ndarray) -> None:
        """Drop the open trajectories of agents ``rows``, this decision included (see ``Trainer``)."""
        self._dropped = np.asarray(rows, np.int64)

    def _process(self, segments: list[GroupSegment]) -> None:
        """Update normalizers; compute group values, baselines, lambda-returns, advantages; buffer them."""
        if not segments:
            return
        width = max(max(s.mate_obs.shape[2], s.bootstrap_mate_obs.shape[1]) for s in segments)
        span = max(s.base.obs.shape[1] for s in segments)

        def pad(array: np.ndarray, axis_sizes: dict[int, int]) -> np.ndarray:
            widths = [(0, axis_sizes.get(a, n) - n) for a, n in enumerate(array.shape)]
            return np.pad(array, widths) if any(w for _, w in widths) else array  # np.pad always copies

        bases = [s.base for s in segments]
        valid = np.concatenate([pad(b.valid(), {1: span}) for b in bases])
        rewards = np.concatenate([pad(b.rewards, {1: span}) for b in bases])
        lengths = np.concatenate([b.lengths for b in bases])
        terminated = np.concatenate([b.terminated for b in bases])

        def rows(values: list[np.ndarray], sizes: dict[int, int] | None = None) -> np.ndarray:
            return np.concatenate(
                [pad(v, sizes or {})[b.valid()] for v, b in zip(values, bases, strict=True)]
            )

        obs_rows = rows([b.obs for b in bases])
        mate_obs = rows([s.mate_obs for s in segments], {2: width})
        mate_cont = rows([s.mate_continuous for s in segments], {2: width})
        mate_disc = rows([s.mate_discrete for s in segments], {2: width})
        mate_present = rows([s.mate_present for s in segments], {2: width})
        boot_obs = np.concatenate([b.bootstrap_obs for b in bases])
        boot_mates = np.concatenate([pad(s.bootstrap_mate_obs, {1: width}) for s in segments])
        boot_present = np.concatenate([pad(s.bootstrap_mate_present, {1: width}) for s in segments])
        for module in (self.actor, self.critic):
            if module.normalizer is not None:
                module.normalizer.update(torch.from_numpy(obs_rows))
        t = torch.from_numpy
        with torch.no_grad():
            mate_actions = flat_actions(t(mate_cont), t(mate_disc), self.branches)
            starts: tuple[np.ndarray, np.ndarray] | None = None
            if self.memory_size:
                value_rows, baseline_rows, bootstrap, starts = self._recurrent_values(segments, width)
            else:
                both = self.critic.values_and_baselines(
                    t(obs_rows), t(mate_obs), mate_actions, t(mate_present)
                )
                value_rows, baseline_rows = (part.numpy() for part in both)
                bootstrap = self.critic.values(t(boot_obs), t(boot_mates), t(boot_present)).numpy()
        heads = value_rows.reshape(len(obs_rows), -1)  # (rows, signals): extrinsic first
        baseline_heads = baseline_rows.reshape(len(obs_rows), -1)
        bootstrap = bootstrap.reshape(len(lengths), -1)
        continuous, discrete = rows([b.continuous for b in bases]), rows([b.discrete for b in bases])
        signal_rewards = [rewards]
        if self.signals:  # curiosity / rnd on the agent's own transitions (rl/intrinsic.py)
            next_rows = rows([next_observations(b) for b in bases])
            for signal in self.signals:
                grid = np.zeros(valid.shape, np.float32)
                grid[valid] = signal.rewards(obs_rows, next_rows, continuous, discrete, keep=True)
                signal_rewards.append(grid)
                self._record_episode_sums(signal.reward_tag, bases, grid.sum(axis=1))
        returns, advantages = [], []
        for j, grid_rewards in enumerate(signal_rewards):
            values = np.zeros(valid.shape, np.float32)
            values[valid] = heads[:, j]
            # Extrinsic: 0 after a terminal step of the whole group; curiosity/rnd ignore episode ends.
            after = np.where(terminated, 0.0, bootstrap[:, j]) if j == 0 else bootstrap[:, j]
            gamma = self.gamma if j == 0 else self.signals[j - 1].gamma
            ret = lambda_returns(grid_rewards, values, after, lengths, gamma, self.hp.lambd)[valid]
            returns.append(ret)
            advantages.append(ret - baseline_heads[:, j])  # upstream: lambda-return minus the baseline
            tag = VALUE_ESTIMATE if j == 0 else self.signals[j - 1].value_tag
            self.record(tag, float(heads[:, j].mean()))
            self.record(
                tag.replace("Value Estimate", "Baseline Estimate"), float(baseline_heads[:, j].mean())
            )
        stacked = np.stack(returns, axis=1)
        advantage = np.mean(advantages, axis=0).astype(np.float32)  # upstream: equal weight per signal
        if self.imitation is not None:
            # GAIL (rl/offline/components.py, its own critic) returns 0.5 * (given + gail); with n signals
            # here every signal keeps an equal weight: ((n - 1) * given + 2 * mixed) / (n + 1), as in PPO.
            n = len(signal_rewards)
            grid = np.zeros(valid.shape, np.float32)
            grid[valid] = advantage
            mixed, stats = self.imitation.process(bases, valid, grid, self.hp.lambd)
            advantage = (((n - 1) * advantage + 2.0 * mixed[valid]) / (n + 1)).astype(np.float32)
            for key, value in stats.items():
                self.record(key, value)
        chunk = {
            "obs": obs_rows,
            "continuous": continuous,
            "discrete": discrete,
            "masks": rows([b.masks for b in bases]),
            "log_probs": rows([b.log_probs for b in bases]),
            "advantages": advantage,
            "returns": stacked[:, 0] if stacked.shape[1] == 1 else stacked,
            "values": value_rows,
            "baselines": baseline_rows,
            "mate_obs": mate_obs,
            "mate_actions": mate_actions.numpy(),
            "mate_present": mate_present,
        }
        if starts is not None:
            # Sequence layout: each trajectory padded at its end to whole sequences (rl/recurrent.py).
            chunk["memories"] = rows([b.memories for b in bases])  # type: ignore[misc]  # set with memory
            chunk["value_memories"], chunk["baseline_memories"] = starts
            chunk = to_sequences(chunk, lengths, self.sequence_length)
        self._chunks.append(chunk)
        self._buffered += len(chunk["obs"])  # upstream counts padded rows too

    def _recurrent_values(
        self, segments: list[GroupSegment], width: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Values, baselines and bootstrap values of closed trajectories by sequence, carrying both memories.

        Segments are processed in the order they closed, so an agent's value and baseline memories flow
        from one trajectory into its next (upstream ``critic_memory_dict`` / ``baseline_memory_dict``) and
        are zeroed when its episode ended.

        Returns:
            ``(value rows, baseline rows, bootstrap values (K, heads), (value, baseline) memory at each
            row's sequence start)``.

        """
        values, baselines, bootstraps, v_starts, b_starts = [], [], [], [], []
        t = torch.from_numpy
        for seg in segments:
            base = seg.base
            agents = base.agents if base.agents is not None else np.arange(len(base.lengths))
            wide = {2: width}

            def pad(a: np.ndarray, sizes: dict[int, int] = wide) -> np.ndarray:
                extra = [(0, sizes.get(i, n) - n) for i, n in enumerate(a.shape)]
                return np.pad(a, extra) if any(w for _, w in extra) else a

            mate_actions = flat_actions(t(pad(seg.mate_continuous)), t(pad(seg.mate_discrete)), self.branches)
            result = group_critic_by_sequence(
                self.critic,
                base.obs,
                pad(seg.mate_obs),
                mate_actions.numpy(),
                pad(seg.mate_present),
                base.lengths,
                self.value_memories[agents],
                self.baseline_memories[agents],
                self.sequence_length,
            )
            valid = base.valid()
            values.append(result.values[valid])
            baselines.append(result.baselines[valid])
            v_starts.append(result.value_starts[valid])
            b_starts.append(result.baseline_starts[valid])
            recurrence = Recurrence(t(result.value_after))
            after = self.critic.values(
                t(base.bootstrap_obs),
                t(pad(seg.bootstrap_mate_obs, {1: width})),
                t(pad(seg.bootstrap_mate_present, {1: width})),
                recurrence,
            )
            bootstraps.append(after.numpy().reshape(len(base.lengths), -1))
            ended = base.ended if base.ended is not None else np.zeros(len(agents), bool)
            self.value_memories[agents] = np.where(ended[:, None], 0.0, result.value_after)
            self.baseline_memories[agents] = np.where(ended[:, None], 0.0, result.baseline_after)
        value_rows, baseline_rows = np.concatenate(values), np.concatenate(baselines)
        if value_rows.shape[1] == 1:  # one head: the (rows,) shape of the feed-forward critic
            value_rows, baseline_rows = value_rows[:, 0], baseline_rows[:, 0]
        return (
            value_rows,
            baseline_rows,
            np.concatenate(bootstraps),
            (np.concatenate(v_starts), np.concatenate(b_starts)),
        )

    def _record_episode_sums(self, tag: str, bases: list[Segment], row_sums: np.ndarray) -> None:
        """Record a signal's reward summed over each ended episode (``Policy/<Signal> Reward``, upstream).

        Trajectories are cut at ``time_horizon`` too, so each agent's sum carries over until its episode ends.
        """
        totals = self._signal_totals.setdefault(tag, np.zeros(self.num_agents))
        start = 0
        for base in bases:
            count = len(base.lengths)
            agents = base.agents if base.agents is not None else np.arange(count)
            ended = base.ended if base.ended is not None else np.ones(count, bool)
            np.add.at(totals, agents, row_sums[start : start + count])
            start += count
            for agent in agents[ended]:
                self.record(tag, float(totals[agent]))
                totals[agent] = 0.0

    def _buffer(self) -> POCABatch:
        """Concatenate the processed chunks (groupmate slots padded to the widest) into one batch."""
        width = max(c["mate_obs"].shape[1] for c in self._chunks)

        def column(name: str) -> torch.Tensor:
            parts = []
            for chunk in self._chunks:
                value = chunk[name]
                if name.startswith("mate_"):
                    value = np.pad(value, [(0, 0), (0, width - value.shape[1])] + [(0, 0)] * (value.ndim - 2))
                parts.append(value)
            return torch.from_numpy(np.ascontiguousarray(np.concatenate(parts)))

        return POCABatch(*(column(name) for name in CHUNK_COLUMNS))

    def _sequences(self) -> POCASequences | None:
        """Return the processed chunks' sequence columns (recurrent POCA), or None."""
        if not self.memory_size:
            return None

        def column(name: str) -> torch.Tensor:
            return torch.from_numpy(np.ascontiguousarray(np.concatenate([c[name] for c in self._chunks])))

        names = ("loss_masks", "memories", "value_memories", "baseline_memories")
        return POCASequences(*(column(name) for name in names), self.sequence_length)

    def _update(self, step: int | None = None) -> None:
        """One POCA update over the whole buffer, then clear it.

        Args:
            step: the step the update belongs to (threaded: the step it started at; default: now).

        """
        if not self._chunks:
            return
        step = self.step if step is None else step
        lr, beta, epsilon = self.scheduled(step)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        batch = self._buffer()
        sequences = self._sequences()
        adv = batch.advantages
        # Over every row, padding included (as recurrent PPO: upstream normalizes the padded buffer).
        batch = batch._replace(advantages=(adv - adv.mean()) / (adv.std() + 1e-10))
        result = update(
            self.actor,
            self.critic,
            self.optimizer,
            batch,
            num_epoch=int(self.hp.num_epoch),
            batch_size=int(self.hp.batch_size),
            beta=beta,
            policy_epsilon=float(self.hp.epsilon),
            value_epsilon=epsilon,
            generator=self.generator,
            sequences=sequences,
        )
        self._chunks, self._buffered = [], 0
        self.record(BASELINE_LOSS, result["baseline_loss"])
        # the side models, PPO's loss and schedule tags and the NaN check, as PPO closes its update (base.py)
        self.finish_clipped_update(result, lr, beta, epsilon, step)


__all__ = [
    "BASELINE_ESTIMATE",
    "BASELINE_LOSS",
    "GROUP_CUMULATIVE_REWARD",
    "VALUE_ESTIMATE",
    "GroupColumns",
    "POCABatch",
    "POCATrainer",
    "group_mates",
    "lambda_returns",
    "poca_losses",
    "update",
]
