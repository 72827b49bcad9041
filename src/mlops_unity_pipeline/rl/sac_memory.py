"""Recurrent SAC (``network_settings.memory`` with ``trainer_type: sac``): sequence replay and batch views.

ML-Agents Release 22 (``trainers/sac/trainer.py``, ``sac/optimizer_torch.py``,
``trainer/off_policy_trainer.py``, ``buffer.py``) runs SAC with memory like this, and so does this module:

- **acting** as recurrent PPO: each agent's policy memory is carried from decision to decision, zeroed when
  its episode ends, and the memory *before* each decision is stored with it.
- **trajectories** (cut at ``time_horizon`` or at an episode end) get their critic memories when they close:
  the value network runs over the trajectory chunk by chunk from the agent's carried critic memory, and every
  step keeps the critic memory at the start of its chunk (``get_trajectory_value_estimates``). The
  trajectory is then cut into ``sequence_length`` chunks, the last one zero-padded at its end, a loss mask
  marking the real steps (``resequence_and_append``), and appended to the replay.
- **replay**: FIFO of whole chunks (its capacity is ``buffer_size`` rounded down to a multiple of
  ``sequence_length``, so chunks never straddle the ring's end). A minibatch is ``max(batch_size //
  sequence_length, 1)`` chunks drawn uniformly (``AgentBuffer.sample_mini_batch``).
- **update**: the policy starts each sequence from the policy memory stored at its first step, the value
  network from the stored critic memory, the Q networks from *zero* memories (upstream: "we don't have them
  during inference"); the target value network runs over the next observations from the critic memory after
  the sequence's first step (one value-network step from the stored one). Every loss is a masked mean over the
  real steps. Upstream keeps ``burn_in_ratio = 0.0``: no burn-in steps are excluded, so none are here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .buffers import Segment, StoredRing, TrajectoryBuffer, next_observations
from .networks import Actor, Critic, QNetwork
from .normalizer import RunningNormalizer
from .recurrent import critic_by_sequence, masked_mean, to_sequences


class SequenceReplay(StoredRing):
    """SAC's replay of ``sequence_length`` chunks (padded at the end, with loss masks and stored memories).

    Args:
        capacity: ``buffer_size`` rows; rounded down to whole chunks (at least one).
        sequence_length: rows per chunk.
        obs_size: concatenated observation size.
        continuous_size: number of continuous actions.
        num_branches: number of discrete branches.
        mask_size: sum of the discrete branch sizes.
        memory_size: the policy's (and the critic's) memory length.

    """

    FIELDS = (
        "obs",
        "next_obs",
        "continuous",
        "discrete",
        "masks",
        "rewards",
        "terminated",
        "loss_masks",
        "memories",
        "critic_memories",
    )

    def __init__(
        self,
        capacity: int,
        sequence_length: int,
        obs_size: int,
        continuous_size: int,
        num_branches: int,
        mask_size: int,
        memory_size: int,
    ) -> None:
        self.sequence_length = max(1, int(sequence_length))
        self.capacity = max(1, int(capacity) // self.sequence_length) * self.sequence_length
        c = self.capacity
        self.obs = np.zeros((c, obs_size), np.float32)
        self.next_obs = np.zeros((c, obs_size), np.float32)
        self.continuous = np.zeros((c, continuous_size), np.float32)
        self.discrete = np.zeros((c, num_branches), np.int64)
        self.masks = np.ones((c, mask_size), np.float32)
        self.rewards = np.zeros(c, np.float32)
        self.terminated = np.zeros(c, np.float32)
        self.loss_masks = np.zeros(c, np.float32)
        self.memories = np.zeros((c, memory_size), np.float32)
        self.critic_memories = np.zeros((c, memory_size), np.float32)
        self.pos = 0
        self.size = 0

    def add_rows(self, **columns: np.ndarray) -> None:
        """Append whole chunks (every field of ``FIELDS``; a multiple of ``sequence_length`` rows).

        Args:
            **columns: one array per field name, in sequence layout.

        Raises:
            ValueError: the rows are not whole chunks, or a field is missing.

        """
        n = len(columns["obs"])
        if n % self.sequence_length or set(columns) != set(self.FIELDS):
            raise ValueError(
                f"sequence replay takes whole chunks of {self.sequence_length} rows of every field, got {n} "
                f"rows of {sorted(columns)}"
            )
        if n > self.capacity:  # only the newest chunks fit, as a FIFO keeps them
            columns = {name: value[n - self.capacity :] for name, value in columns.items()}
            n = self.capacity
        idx = (self.pos + np.arange(n)) % self.capacity
        for name, value in columns.items():
            getattr(self, name)[idx] = value
        self.pos = int((self.pos + n) % self.capacity)
        self.size = int(min(self.size + n, self.capacity))

    def sample(self, batch_size: int, rng: np.random.Generator) -> dict[str, torch.Tensor]:
        """Draw ``max(batch_size // sequence_length, 1)`` chunks uniformly.

        Args:
            batch_size: ``hyperparameters.batch_size`` (rows).
            rng: the trainer's random generator.

        Returns:
            The rows of the chunks (chunk by chunk, in time) keyed as ``ReplayBuffer.sample`` plus
            ``loss_masks`` (per row) and ``memories`` / ``critic_memories`` (one row per chunk: its first
            step's).

        """
        count = max(int(batch_size) // self.sequence_length, 1)
        starts = rng.integers(0, self.size // self.sequence_length, size=count) * self.sequence_length
        idx = (starts[:, None] + np.arange(self.sequence_length)).ravel()
        out = {name: torch.from_numpy(getattr(self, name)[idx]) for name in self.FIELDS[:-2]}
        out["memories"] = torch.from_numpy(self.memories[starts])
        out["critic_memories"] = torch.from_numpy(self.critic_memories[starts])
        return out


class SequenceCollector:
    """Per-agent trajectories and memories of a recurrent SAC behavior; closed ones become replay chunks.

    Args:
        num_agents: agents in the environment.
        time_horizon: trajectory cut length.
        sequence_length: steps per chunk.
        obs_size: concatenated observation size.
        continuous_size: number of continuous actions.
        num_branches: number of discrete branches.
        mask_size: sum of the discrete branch sizes.
        memory_size: the policy's (and critic's) memory length.

    """

    def __init__(
        self,
        num_agents: int,
        time_horizon: int,
        sequence_length: int,
        obs_size: int,
        continuous_size: int,
        num_branches: int,
        mask_size: int,
        memory_size: int,
    ) -> None:
        self.sequence_length = sequence_length
        self.trajectories = TrajectoryBuffer(
            num_agents, time_horizon, obs_size, continuous_size, num_branches, mask_size, memory_size
        )
        self.memories = np.zeros((num_agents, memory_size), np.float32)
        """Each agent's policy memory before its next decision."""
        self.critic_memories = np.zeros((num_agents, memory_size), np.float32)
        """Each agent's critic memory before its open trajectory (carried across ``time_horizon`` cuts)."""
        self._no_log_probs = np.zeros((num_agents, continuous_size + num_branches), np.float32)

    def reset(self) -> None:
        """Forget open trajectories and every memory (the environment was reset)."""
        self.trajectories.clear()
        self.memories[:] = 0.0
        self.critic_memories[:] = 0.0

    def drop(self, rows: np.ndarray) -> None:
        """Forget agents ``rows``' open trajectories and memories (their environment restarted)."""
        self.trajectories.lengths[rows] = 0
        self.memories[rows] = 0.0
        self.critic_memories[rows] = 0.0

    def add(
        self,
        obs: np.ndarray,
        continuous: np.ndarray,
        discrete: np.ndarray,
        masks: np.ndarray | None,
        rewards: np.ndarray,
        memories: np.ndarray,
        terminated: np.ndarray,
        truncated: np.ndarray,
        next_obs: np.ndarray,
        final_obs: np.ndarray,
        critic: Critic,
        normalizer: RunningNormalizer | None,
    ) -> dict[str, np.ndarray] | None:
        """Record one decision of every agent; return the chunks of the trajectories it closed.

        Args:
            obs: ``(n, obs_size)`` observations acted on.
            continuous: ``(n, n_cont)`` squashed continuous actions.
            discrete: ``(n, n_branches)`` discrete actions.
            masks: action masks in force, or None.
            rewards: ``(n,)`` scaled rewards.
            memories: ``(n, memory_size)`` each agent's policy memory before this decision.
            terminated: ``(n,)`` episodes that ended on their own.
            truncated: ``(n,)`` episodes interrupted at their max step.
            next_obs: ``(n, obs_size)`` observations for the next decision.
            final_obs: ``(n, obs_size)`` last observations of the episodes that ended.
            critic: the value network (its memories are computed now, as upstream does at trajectory end).
            normalizer: the actor's normalizer, which SAC's critics read their observations through.

        Returns:
            ``SequenceReplay.add_rows`` columns, or None when no trajectory closed.

        """
        n = len(obs)
        self.trajectories.add(obs, continuous, discrete, masks, self._no_log_probs[:n], rewards, memories)
        ended = terminated | truncated
        self.memories[ended] = 0.0  # a new episode starts from a zero memory (upstream drops the agent's)
        segment = self.trajectories.close(terminated, truncated, next_obs, final_obs)
        if segment is None:
            return None
        assert segment.agents is not None and segment.ended is not None  # TrajectoryBuffer always sets them
        agents = segment.agents
        critic_obs = segment.obs
        if normalizer is not None:
            with torch.no_grad():
                flat = normalizer(
                    torch.from_numpy(np.ascontiguousarray(critic_obs.reshape(-1, obs.shape[1])))
                )
            critic_obs = flat.numpy().reshape(critic_obs.shape)
        _, starts, final = critic_by_sequence(
            critic, critic_obs, segment.lengths, self.critic_memories[agents], self.sequence_length
        )
        self.critic_memories[agents] = np.where(segment.ended[:, None], 0.0, final)
        return self._rows(segment, starts)

    def _rows(self, segment: Segment, critic_starts: np.ndarray) -> dict[str, np.ndarray]:
        valid = segment.valid()
        terminated = np.zeros(valid.shape, np.float32)
        terminated[np.arange(len(segment.lengths)), segment.lengths - 1] = segment.terminated
        assert segment.memories is not None  # a collector's TrajectoryBuffer stores memories
        columns = {
            "obs": segment.obs,
            "next_obs": next_observations(segment),
            "continuous": segment.continuous,
            "discrete": segment.discrete,
            "masks": segment.masks,
            "rewards": segment.rewards,
            "terminated": terminated,
            "memories": segment.memories,
            "critic_memories": critic_starts,
        }
        return to_sequences(
            {name: value[valid] for name, value in columns.items()}, segment.lengths, self.sequence_length
        )


class FlatBatch:
    """How a feed-forward SAC update reads its minibatch: every row on its own, plain means."""

    def mean(self, x: torch.Tensor) -> torch.Tensor:
        """Mean over rows (and heads)."""
        return x.mean()

    def heads(
        self, actor: Actor, obs: torch.Tensor, mask: torch.Tensor | None
    ) -> tuple[torch.Tensor | None, torch.Tensor | None, list[torch.Tensor]]:
        """Return the policy's distribution parameters on normalized ``obs``."""
        return actor.heads(obs, mask, normalized=True)

    def q(
        self, network: QNetwork, obs: torch.Tensor, continuous: torch.Tensor | None
    ) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        """Return a Q network's outputs."""
        return network(obs, continuous)

    def values(self, value: Critic, obs: torch.Tensor) -> torch.Tensor:
        """Return the value network's estimates of normalized ``obs``."""
        return value(obs, normalized=True)

    def target_values(
        self, value: Critic, target: Critic, obs: torch.Tensor, next_obs: torch.Tensor
    ) -> torch.Tensor:
        """Return the target value network's estimates of normalized ``next_obs``."""
        return target(next_obs, normalized=True)


@dataclass(frozen=True)
class SequenceBatch(FlatBatch):
    """How a recurrent SAC update reads a minibatch of chunks: memories at each start, masked means."""

    loss_masks: torch.Tensor
    """``(rows,)`` 1 on real steps, 0 on padding."""
    memories: torch.Tensor
    """``(chunks, memory_size)`` policy memory at each chunk's first step."""
    critic_memories: torch.Tensor
    """``(chunks, memory_size)`` critic memory at each chunk's first step."""
    sequence_length: int
    """Rows per chunk."""

    @classmethod
    def of(cls, mb: dict[str, torch.Tensor], sequence_length: int) -> SequenceBatch:
        """Read the view of a ``SequenceReplay.sample``."""
        return cls(mb["loss_masks"], mb["memories"], mb["critic_memories"], sequence_length)

    def mean(self, x: torch.Tensor) -> torch.Tensor:
        """Masked mean over real rows (mean over heads of ``(rows, heads)``; upstream ``masked_mean``)."""
        return masked_mean(x, self.loss_masks)

    def heads(
        self, actor: Actor, obs: torch.Tensor, mask: torch.Tensor | None
    ) -> tuple[torch.Tensor | None, torch.Tensor | None, list[torch.Tensor]]:
        """Return the recurrent policy's distribution parameters, each chunk from its stored memory."""
        mean, log_std, branch_lp, _ = actor.recurrent_heads(
            obs, mask, self.memories, self.sequence_length, normalized=True
        )
        return mean, log_std, branch_lp

    def q(
        self, network: QNetwork, obs: torch.Tensor, continuous: torch.Tensor | None
    ) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        """Return a recurrent Q network's outputs, each chunk from a zero memory (as upstream)."""
        return network(obs, continuous, torch.zeros_like(self.critic_memories), self.sequence_length)

    def values(self, value: Critic, obs: torch.Tensor) -> torch.Tensor:
        """Return the recurrent value network's estimates, each chunk from its stored critic memory."""
        return value(
            obs, normalized=True, memories=self.critic_memories, sequence_length=self.sequence_length
        )

    def target_values(
        self, value: Critic, target: Critic, obs: torch.Tensor, next_obs: torch.Tensor
    ) -> torch.Tensor:
        """Target values of ``next_obs``, each chunk from the critic memory after its first step."""
        with torch.no_grad():
            first = obs[:: self.sequence_length]
            _, after_first = value.recurrent(first, self.critic_memories, 1, normalized=True)
            return target(
                next_obs, normalized=True, memories=after_first, sequence_length=self.sequence_length
            )

    def valid(self) -> torch.Tensor:
        """``(rows,)`` bool: the real steps."""
        return self.loss_masks > 0


__all__ = ["FlatBatch", "SequenceBatch", "SequenceCollector", "SequenceReplay"]
