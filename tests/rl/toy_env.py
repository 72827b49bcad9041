"""A tiny VectorEnv for trainer tests: agents on a line walk to a target (continuous or masked discrete)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mlops_unity_pipeline.spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch


class LineTarget:
    """Each agent sits at x in [-1, 1] and must reach a random target; obs = (x, target - x).

    Reward: -0.01 per step, +1 on reaching the target (terminated); ``max_steps`` decisions -> truncated.
    Discrete: one branch of 3 (stay, left, right); moving out of [-1, 1] is masked.
    """

    def __init__(
        self,
        num_agents: int = 4,
        *,
        discrete: bool = False,
        max_steps: int = 20,
        seed: int | None = 0,
        name: str = "Line",
        nan_after: int | None = None,
    ) -> None:
        spec = ActionSpec(0, (3,)) if discrete else ActionSpec(1)
        self.signature = BehaviorSignature(name, (ObservationSpec((2,)),), spec)
        self.num_agents = num_agents
        self.discrete = discrete
        self.max_steps = max_steps
        self.rng = np.random.default_rng(seed)
        self.nan_after = nan_after
        self.calls = 0
        self.params: dict[str, float] = {}
        self.closed = False

    def _new(self, idx: np.ndarray) -> None:
        self.x[idx] = self.rng.uniform(-1, 1, len(idx))
        self.target[idx] = self.rng.uniform(-1, 1, len(idx))
        self.t[idx] = 0

    def _obs(self) -> np.ndarray:
        return np.stack([self.x, self.target - self.x], 1).astype(np.float32)

    def _mask(self) -> np.ndarray | None:
        if not self.discrete:
            return None
        mask = np.ones((self.num_agents, 3), bool)
        mask[:, 1] = self.x > -0.95
        mask[:, 2] = self.x < 0.95
        return mask

    def reset(self, *, seed: int | None = None) -> StepBatch:
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        n = self.num_agents
        self.x, self.target, self.t = np.zeros(n), np.zeros(n), np.zeros(n, int)
        self._new(np.arange(n))
        obs = self._obs()
        zeros = np.zeros(n, bool)
        return StepBatch(
            (obs,), np.zeros(n, np.float32), zeros, zeros.copy(), (obs.copy(),), self._mask(), zeros.copy()
        )

    def step(self, actions: ActionTuple) -> StepBatch:
        self.calls += 1
        if self.discrete:
            move = np.array([0.0, -0.2, 0.2])[actions.discrete[:, 0]]
        else:
            move = 0.2 * np.clip(actions.continuous[:, 0], -1, 1)
        self.x = np.clip(self.x + move, -1, 1)
        self.t += 1
        reward = np.full(self.num_agents, -0.01, np.float32)
        reached = np.abs(self.target - self.x) < 0.15
        reward[reached] += 1.0
        if self.nan_after is not None and self.calls > self.nan_after:
            reward[:] = np.nan
        truncated = ~reached & (self.t >= self.max_steps)
        final = self._obs()
        done = np.flatnonzero(reached | truncated)
        self._new(done)
        return StepBatch((self._obs(),), reward, reached, truncated, (final,), self._mask(), reached.copy())

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        self.params.update(params)

    def close(self) -> None:
        self.closed = True


class SparseChain:
    """A deceptive hard-exploration chain: start at 0, +1 on reaching cell ``length`` (terminated).

    Discrete actions: one branch of 2 (left, right); the left end is a wall where every step pays ``lure``
    (a local optimum worth less than the goal). Observation: one-hot of the cell. A random walk of
    ``max_steps`` rarely reaches the end, so extrinsic PPO settles at the wall, while an exploration bonus
    (curiosity, RND) drives the agents to new cells and to the goal.
    """

    def __init__(
        self,
        num_agents: int = 8,
        *,
        length: int = 16,
        max_steps: int = 32,
        lure: float = 0.01,
        seed: int | None = 0,
    ) -> None:
        self.signature = BehaviorSignature("Chain", (ObservationSpec((length + 1,)),), ActionSpec(0, (2,)))
        self.num_agents, self.length, self.max_steps, self.lure = num_agents, length, max_steps, lure
        self.rng = np.random.default_rng(seed)
        self.pos = np.zeros(num_agents, int)
        self.t = np.zeros(num_agents, int)
        self.successes = 0
        self.episodes = 0

    def _obs(self) -> np.ndarray:
        obs = np.zeros((self.num_agents, self.length + 1), np.float32)
        obs[np.arange(self.num_agents), self.pos] = 1.0
        return obs

    def reset(self, *, seed: int | None = None) -> StepBatch:
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self.pos[:] = 0
        self.t[:] = 0
        obs = self._obs()
        zeros = np.zeros(self.num_agents, bool)
        n = self.num_agents
        return StepBatch(
            (obs,), np.zeros(n, np.float32), zeros, zeros.copy(), (obs.copy(),), None, zeros.copy()
        )

    def step(self, actions: ActionTuple) -> StepBatch:
        self.pos = np.clip(self.pos + np.where(actions.discrete[:, 0] == 1, 1, -1), 0, self.length)
        self.t += 1
        reached = self.pos == self.length
        reward = reached.astype(np.float32) + np.where(self.pos == 0, self.lure, 0.0).astype(np.float32)
        truncated = ~reached & (self.t >= self.max_steps)
        final = self._obs()
        done = reached | truncated
        self.successes += int(reached.sum())
        self.episodes += int(done.sum())
        self.pos[done] = 0
        self.t[done] = 0
        return StepBatch((self._obs(),), reward, reached, truncated, (final,), None, reached.copy())

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """No parameters."""

    def close(self) -> None:
        """Nothing to release."""


class CueRecall:
    """A memory task: a cue (+1 or -1) is shown at the first step only; the last step pays for recalling it.

    Observation: ``(cue at step 0 else 0, step / length)``. Discrete actions: one branch of 2; only the action
    of the last step counts: +1 when it matches the cue (action 1 for +1, 0 for -1), else -1 (terminated).
    A feed-forward policy sees no cue at the last step, so its expected reward is 0 (chance); a policy with
    memory can earn +1 every episode.
    """

    def __init__(self, num_agents: int = 8, *, length: int = 4, seed: int | None = 0) -> None:
        self.signature = BehaviorSignature("Cue", (ObservationSpec((2,)),), ActionSpec(0, (2,)))
        self.num_agents, self.length = num_agents, length
        self.rng = np.random.default_rng(seed)
        self.cue = np.zeros(num_agents)
        self.t = np.zeros(num_agents, int)

    def _obs(self) -> np.ndarray:
        shown = np.where(self.t == 0, self.cue, 0.0)
        return np.stack([shown, self.t / self.length], 1).astype(np.float32)

    def _new(self, idx: np.ndarray) -> None:
        self.cue[idx] = self.rng.choice([-1.0, 1.0], len(idx))
        self.t[idx] = 0

    def reset(self, *, seed: int | None = None) -> StepBatch:
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self._new(np.arange(self.num_agents))
        obs = self._obs()
        zeros = np.zeros(self.num_agents, bool)
        n = self.num_agents
        return StepBatch(
            (obs,), np.zeros(n, np.float32), zeros, zeros.copy(), (obs.copy(),), None, zeros.copy()
        )

    def step(self, actions: ActionTuple) -> StepBatch:
        self.t += 1
        done = self.t >= self.length
        right = (actions.discrete[:, 0] == 1) == (self.cue > 0)
        reward = np.where(done, np.where(right, 1.0, -1.0), 0.0).astype(np.float32)
        final = self._obs()
        self._new(np.flatnonzero(done))
        zeros = np.zeros(self.num_agents, bool)
        return StepBatch((self._obs(),), reward, done, zeros, (final,), None, done.copy())

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """No parameters."""

    def close(self) -> None:
        """Nothing to release."""
