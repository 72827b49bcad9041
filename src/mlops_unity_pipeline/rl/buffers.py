"""Experience storage: per-agent trajectories (cut at ``time_horizon``), PPO's update buffer, SAC's replay.

ML-Agents' ``AgentProcessor`` keeps one open trajectory per agent and hands it to the trainer when the episode
ends or the trajectory reaches ``time_horizon`` steps; the trainer then estimates values, computes GAE and
appends the trajectory to its update buffer (upstream ``agent_processor.py``,
``trajectory.py``). ``TrajectoryBuffer`` does the same for all
agents of a ``VectorEnv`` at once with preallocated ``(num_agents, time_horizon, ...)`` arrays.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import torch


class Segment(NamedTuple):
    """Closed trajectories of ``k`` agents, padded to the longest (rows beyond ``lengths[i]`` are garbage)."""

    obs: np.ndarray
    """``(k, L, obs_size)`` observations the actions were taken on."""
    continuous: np.ndarray
    """``(k, L, n_cont)`` raw continuous actions."""
    discrete: np.ndarray
    """``(k, L, n_branches)`` discrete actions."""
    masks: np.ndarray
    """``(k, L, mask_size)`` action masks (1 allowed)."""
    log_probs: np.ndarray
    """``(k, L, n_cont + n_branches)`` log-probabilities at acting time."""
    rewards: np.ndarray
    """``(k, L)`` rewards received after each action (already scaled by the signal's strength)."""
    lengths: np.ndarray
    """``(k,)`` valid steps per row."""
    bootstrap_obs: np.ndarray
    """``(k, obs_size)`` observation whose value closes the trajectory (unused where ``terminated``)."""
    terminated: np.ndarray
    """``(k,)`` True where the episode ended on its own: the value after the last step is 0."""
    agents: np.ndarray | None = None
    """``(k,)`` agent index of each row (None when unknown)."""
    ended: np.ndarray | None = None
    """``(k,)`` True where the episode ended (terminated or interrupted), False at a ``time_horizon`` cut."""
    memories: np.ndarray | None = None
    """``(k, L, memory_size)`` a recurrent policy's memory before each step (None without memory)."""

    def valid(self) -> np.ndarray:
        """``(k, L)`` bool mask of the valid (agent, step) cells; row-major: agent by agent, in time."""
        return np.arange(self.obs.shape[1])[None, :] < self.lengths[:, None]


def next_observations(segment: Segment) -> np.ndarray:
    """Return ``(k, L, obs_size)``: the observation after each step (the next step's; ``bootstrap_obs`` last).

    Args:
        segment: closed trajectories.

    Returns:
        The observations that followed each action (intrinsic rewards use them as ``s'``).

    """
    after = np.empty_like(segment.obs)
    after[:, :-1] = segment.obs[:, 1:]
    after[np.arange(len(segment.lengths)), segment.lengths - 1] = segment.bootstrap_obs
    return after


class TrajectoryBuffer:
    """One open trajectory per agent, closed on episode end or when it reaches ``time_horizon`` steps.

    Args:
        num_agents: agents in the environment.
        time_horizon: maximum trajectory length before it is cut (and bootstrapped).
        obs_size: concatenated observation size.
        continuous_size: number of continuous actions.
        num_branches: number of discrete branches.
        mask_size: sum of the discrete branch sizes.
        memory_size: a recurrent policy's memory length (stored per step); 0 for none.

    """

    def __init__(
        self,
        num_agents: int,
        time_horizon: int,
        obs_size: int,
        continuous_size: int,
        num_branches: int,
        mask_size: int,
        memory_size: int = 0,
    ) -> None:
        n, h = num_agents, max(1, int(time_horizon))
        self.num_agents, self.time_horizon = n, h
        self.obs = np.zeros((n, h, obs_size), np.float32)
        self.continuous = np.zeros((n, h, continuous_size), np.float32)
        self.discrete = np.zeros((n, h, num_branches), np.int64)
        self.masks = np.ones((n, h, mask_size), np.float32)
        self.log_probs = np.zeros((n, h, continuous_size + num_branches), np.float32)
        self.rewards = np.zeros((n, h), np.float32)
        self.memories = np.zeros((n, h, memory_size), np.float32) if memory_size else None
        self.lengths = np.zeros(n, np.int64)
        self._rows = np.arange(n)

    def add(
        self,
        obs: np.ndarray,
        continuous: np.ndarray,
        discrete: np.ndarray,
        masks: np.ndarray | None,
        log_probs: np.ndarray,
        rewards: np.ndarray,
        memories: np.ndarray | None = None,
    ) -> None:
        """Append one decision of every agent.

        Args:
            obs: ``(n, obs_size)`` observations acted on.
            continuous: ``(n, n_cont)`` raw continuous actions.
            discrete: ``(n, n_branches)`` discrete actions.
            masks: ``(n, mask_size)`` masks in force, or None (all allowed).
            log_probs: ``(n, k)`` log-probabilities.
            rewards: ``(n,)`` rewards that followed.
            memories: ``(n, memory_size)`` the policy's memory before this decision (recurrent only).

        """
        rows, cols = self._rows, self.lengths
        if self.memories is not None and memories is not None:
            self.memories[rows, cols] = memories
        self.obs[rows, cols] = obs
        self.continuous[rows, cols] = continuous
        self.discrete[rows, cols] = discrete
        if masks is not None:
            self.masks[rows, cols] = masks
        self.log_probs[rows, cols] = log_probs
        self.rewards[rows, cols] = rewards
        self.lengths += 1

    def close(
        self, terminated: np.ndarray, truncated: np.ndarray, next_obs: np.ndarray, final_obs: np.ndarray
    ) -> Segment | None:
        """Close the trajectories that ended or reached ``time_horizon`` and reset those agents' slots.

        Args:
            terminated: ``(n,)`` episodes that ended on their own (no bootstrap).
            truncated: ``(n,)`` episodes interrupted at max step (bootstrap from ``final_obs``).
            next_obs: ``(n, obs_size)`` observations for the next decision (bootstrap at a horizon cut).
            final_obs: ``(n, obs_size)`` last observations of episodes that just ended.

        Returns:
            The closed trajectories, or None when none closed.

        """
        done = terminated | truncated
        closing = done | (self.lengths >= self.time_horizon)
        if not closing.any():
            return None
        idx = np.flatnonzero(closing)
        lengths = self.lengths[idx].copy()
        span = int(lengths.max())
        bootstrap = np.where(done[idx, None], final_obs[idx], next_obs[idx])
        segment = Segment(
            obs=self.obs[idx, :span],
            continuous=self.continuous[idx, :span],
            discrete=self.discrete[idx, :span],
            masks=self.masks[idx, :span],
            log_probs=self.log_probs[idx, :span],
            rewards=self.rewards[idx, :span],
            lengths=lengths,
            bootstrap_obs=bootstrap.astype(np.float32, copy=False),
            terminated=terminated[idx].copy(),
            agents=idx,
            ended=done[idx].copy(),
            memories=None if self.memories is None else self.memories[idx, :span].copy(),
        )
        self.lengths[idx] = 0
        return segment

    def clear(self) -> None:
        """Drop every open trajectory (after a reset)."""
        self.lengths[:] = 0


class UpdateBuffer:
    """PPO's flat update buffer: preallocated torch tensors filled trajectory by trajectory.

    Args:
        capacity: rows it can hold (``buffer_size`` plus one full batch of closed trajectories).
        obs_size: concatenated observation size.
        continuous_size: number of continuous actions.
        num_branches: number of discrete branches.
        mask_size: sum of the discrete branch sizes.
        num_values: reward signals (value heads) per row.
        memory_size: recurrent PPO's memory length: adds ``loss_masks`` (1 real step, 0 padding),
            ``memories`` and ``critic_memories`` per row; 0 for none.

    """

    FIELDS = ("obs", "continuous", "discrete", "masks", "log_probs", "advantages", "returns", "values")
    SEQUENCE_FIELDS = ("loss_masks", "memories", "critic_memories")

    def __init__(
        self,
        capacity: int,
        obs_size: int,
        continuous_size: int,
        num_branches: int,
        mask_size: int,
        num_values: int = 1,
        memory_size: int = 0,
    ) -> None:
        self.capacity = capacity
        self.fields = self.FIELDS + (self.SEQUENCE_FIELDS if memory_size else ())
        if memory_size:
            self.loss_masks = torch.zeros(capacity)
            self.memories = torch.zeros(capacity, memory_size)
            self.critic_memories = torch.zeros(capacity, memory_size)
        self.obs = torch.zeros(capacity, obs_size)
        self.continuous = torch.zeros(capacity, continuous_size)
        self.discrete = torch.zeros(capacity, num_branches, dtype=torch.long)
        self.masks = torch.ones(capacity, mask_size)
        self.log_probs = torch.zeros(capacity, continuous_size + num_branches)
        self.advantages = torch.zeros(capacity)
        # One return and old value per reward signal (value head); (capacity,) for the extrinsic one alone.
        value_shape = (capacity,) if num_values == 1 else (capacity, num_values)
        self.returns = torch.zeros(value_shape)
        self.values = torch.zeros(value_shape)
        self.size = 0

    def extend(self, **columns: np.ndarray) -> None:
        """Append rows (every field of ``fields``, same length); grows the storage if ever needed.

        Args:
            **columns: one array per field name.

        """
        n = len(columns["obs"])
        if self.size + n > self.capacity:
            self._grow(self.size + n)
        for name, value in columns.items():
            getattr(self, name)[self.size : self.size + n] = torch.from_numpy(np.ascontiguousarray(value))
        self.size += n

    def _grow(self, needed: int) -> None:
        new_capacity = max(needed, 2 * self.capacity)
        for name in self.fields:
            old = getattr(self, name)
            new = old.new_zeros((new_capacity, *old.shape[1:]))
            new[: self.size] = old[: self.size]
            setattr(self, name, new)
        self.capacity = new_capacity

    def clear(self) -> None:
        """Forget every row (PPO discards its buffer after each update)."""
        self.size = 0


class StoredRing:
    """Replay storage whose arrays are named in ``FIELDS``, saved and restored by name (save_replay_buffer).

    Subclasses hold one ``(capacity, ...)`` array per name in ``FIELDS`` plus ``capacity``, ``size`` (rows
    filled) and ``pos`` (the next row written).
    """

    FIELDS: tuple[str, ...] = ()
    capacity: int
    size: int
    pos: int

    def state_dict(self) -> dict[str, Any]:
        """Return the stored rows (storage order) and the write position."""
        state: dict[str, Any] = {name: getattr(self, name)[: self.size].copy() for name in self.FIELDS}
        state.update(pos=self.pos, size=self.size, capacity=self.capacity)
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore ``state_dict``'s rows.

        Args:
            state: what ``state_dict`` returned (possibly from another run with the same behavior).

        Raises:
            ValueError: the arrays do not fit this buffer (other sizes or capacity, or another kind of replay:
                a feed-forward SAC's flat transitions vs a recurrent SAC's sequence chunks).

        """
        missing = [name for name in self.FIELDS if name not in state]
        if missing:
            raise ValueError(
                f"replay has no {missing}: a feed-forward and a recurrent SAC keep different replays "
                "(written by a run with other network_settings.memory?)"
            )
        size = int(state["size"])
        if int(state["capacity"]) != self.capacity or size > self.capacity:
            raise ValueError(f"replay capacity {state['capacity']} differs from buffer_size {self.capacity}")
        for name in self.FIELDS:
            value = np.asarray(state[name])
            target = getattr(self, name)
            if value.shape[1:] != target.shape[1:] or len(value) != size:
                raise ValueError(
                    f"replay field {name} has shape {value.shape}, expected (n, *{target.shape[1:]})"
                )
            target[:size] = value
        self.size, self.pos = size, int(state["pos"])


class ReplayBuffer(StoredRing):
    """SAC's FIFO replay of transitions ``(obs, mask, action, reward, next_obs, terminated)``.

    Args:
        capacity: ``buffer_size`` transitions kept, oldest dropped first.
        obs_size: concatenated observation size.
        continuous_size: number of continuous actions.
        num_branches: number of discrete branches.
        mask_size: sum of the discrete branch sizes.

    """

    def __init__(
        self, capacity: int, obs_size: int, continuous_size: int, num_branches: int, mask_size: int
    ) -> None:
        self.capacity = max(1, int(capacity))
        c = self.capacity
        self.obs = np.zeros((c, obs_size), np.float32)
        self.next_obs = np.zeros((c, obs_size), np.float32)
        self.continuous = np.zeros((c, continuous_size), np.float32)
        self.discrete = np.zeros((c, num_branches), np.int64)
        self.masks = np.ones((c, mask_size), np.float32)
        self.rewards = np.zeros(c, np.float32)
        self.terminated = np.zeros(c, np.float32)
        self.pos = 0
        self.size = 0

    def add(
        self,
        obs: np.ndarray,
        continuous: np.ndarray,
        discrete: np.ndarray,
        rewards: np.ndarray,
        next_obs: np.ndarray,
        terminated: np.ndarray,
        masks: np.ndarray | None,
    ) -> None:
        """Store one decision of every agent.

        Args:
            obs: ``(n, obs_size)``.
            continuous: ``(n, n_cont)`` squashed continuous actions.
            discrete: ``(n, n_branches)``.
            rewards: ``(n,)`` scaled rewards.
            next_obs: ``(n, obs_size)`` the following observation (``final_obs`` where an episode ended).
            terminated: ``(n,)`` 1 where the episode ended on its own (no bootstrap).
            masks: ``(n, mask_size)`` action masks in force when the actions were chosen, or None.

        """
        n = len(obs)
        idx = (self.pos + np.arange(n)) % self.capacity
        self.obs[idx] = obs
        self.next_obs[idx] = next_obs
        self.continuous[idx] = continuous
        self.discrete[idx] = discrete
        self.rewards[idx] = rewards
        self.terminated[idx] = terminated
        if masks is not None:
            self.masks[idx] = masks
        self.pos = int((self.pos + n) % self.capacity)
        self.size = int(min(self.size + n, self.capacity))

    def sample(self, batch_size: int, rng: np.random.Generator) -> dict[str, torch.Tensor]:
        """Uniformly sample a minibatch.

        Args:
            batch_size: rows to draw (with replacement across calls, without within one).
            rng: the trainer's random generator.

        Returns:
            Tensors keyed ``obs, next_obs, continuous, discrete, rewards, terminated, masks``.

        """
        idx = rng.integers(0, self.size, size=batch_size)
        names = ("obs", "next_obs", "continuous", "discrete", "rewards", "terminated", "masks")
        return {name: torch.from_numpy(getattr(self, name)[idx]) for name in names}

    FIELDS = ("obs", "next_obs", "continuous", "discrete", "masks", "rewards", "terminated")
