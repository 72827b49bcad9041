"""A goal-conditioned toy VectorEnv: reach target A or target B, as a one-hot goal signal says."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mlops_unity_pipeline.spaces import (
    ActionSpec,
    ActionTuple,
    BehaviorSignature,
    ObservationSpec,
    ObservationType,
    StepBatch,
)


class GoalReach:
    """Agents on a line start at 0; targets sit at -0.8 (goal A) and +0.8 (goal B).

    Observations: ``obs_0`` the position (a vector sensor), ``obs_1`` the goal one-hot ``(A, B)`` (a
    ``GOAL_SIGNAL`` sensor, as GridWorld's goal). Discrete actions, one branch of 3 (stay, left, right, step
    0.2). Reaching the goal's target pays +1, the other target -1 (both end the episode); -0.01 per step;
    ``max_steps`` decisions interrupt. The same position asks for opposite moves under the two goals, so the
    policy must read the goal: a goal-blind policy earns at most ~0 on average.
    """

    TARGET = 0.8

    def __init__(self, num_agents: int = 8, *, max_steps: int = 12, seed: int | None = 0) -> None:
        self.signature = BehaviorSignature(
            "Goal",
            (
                ObservationSpec((1,), "VectorSensor"),
                ObservationSpec((2,), "GoalSensor", ObservationType.GOAL_SIGNAL),
            ),
            ActionSpec(0, (3,)),
        )
        self.num_agents, self.max_steps = num_agents, max_steps
        self.rng = np.random.default_rng(seed)
        self.x = np.zeros(num_agents)
        self.goal = np.zeros(num_agents, int)
        self.t = np.zeros(num_agents, int)

    def _new(self, idx: np.ndarray) -> None:
        self.x[idx] = 0.0
        self.goal[idx] = self.rng.integers(0, 2, len(idx))
        self.t[idx] = 0

    def _obs(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[:, None].astype(np.float32), np.eye(2, dtype=np.float32)[self.goal]

    def reset(self, *, seed: int | None = None) -> StepBatch:
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self._new(np.arange(self.num_agents))
        obs = self._obs()
        zeros = np.zeros(self.num_agents, bool)
        return StepBatch(
            obs, np.zeros(self.num_agents, np.float32), zeros, zeros.copy(), obs, None, zeros.copy()
        )

    def step(self, actions: ActionTuple) -> StepBatch:
        self.x = np.clip(self.x + np.array([0.0, -0.2, 0.2])[actions.discrete[:, 0]], -1, 1)
        self.t += 1
        at_a, at_b = self.x <= -self.TARGET + 1e-6, self.x >= self.TARGET - 1e-6
        reached = at_a | at_b
        right = np.where(self.goal == 0, at_a, at_b)
        reward = np.where(reached, np.where(right, 1.0, -1.0), 0.0).astype(np.float32) - 0.01
        truncated = ~reached & (self.t >= self.max_steps)
        final = self._obs()
        self._new(np.flatnonzero(reached | truncated))
        return StepBatch(self._obs(), reward, reached, truncated, final, None, reached & right)

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """No parameters."""

    def close(self) -> None:
        """Nothing to release."""
