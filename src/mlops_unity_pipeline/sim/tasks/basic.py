"""ML-Agents' Basic example: walk a line of 20 cells to the small (7) or the large (17) goal.

Facts (upstream ``Examples/Basic/Scripts/BasicController.cs``): the agent starts at 10; one discrete
branch of 3 (0 stay, 1 left, 2 right); the position is clamped to [0, 19]; every move costs 0.01; reaching 7
gives +0.1 and reaching 17 gives +1, each ending the episode; the observation is a one-hot of the position
[20] (``BasicSensorComponent``); a decision is requested on every physics step while training.
"""

from __future__ import annotations

import numpy as np

from ...spaces import ActionSpec, BehaviorSignature, ObservationSpec
from ._common import AcademySettings, HandWrittenTask

NUM_POSITIONS = 20
START_POSITION = 10
SMALL_GOAL = 7
LARGE_GOAL = 17
SMALL_REWARD = 0.1
LARGE_REWARD = 1.0
STEP_REWARD = -0.01
MOVES = np.array([0, -1, 1], dtype=np.int64)
"""Branch 0: 0 stay, 1 left, 2 right."""
MAX_STEP = 100
"""Upstream sets no MaxStep; 100 keeps a policy that never reaches a goal finite (optimal takes 7 steps)."""

SIGNATURE = BehaviorSignature(
    name="Basic",
    observation_specs=(ObservationSpec((NUM_POSITIONS,), "Basic"),),
    action_spec=ActionSpec(discrete_branches=(3,)),
)


class BasicEnv(HandWrittenTask):
    """Vectorized Basic: each agent walks its own line."""

    task_name = "Basic"
    has_kernel = True

    academy = AcademySettings(SIGNATURE, 1, MAX_STEP)

    def _build(self) -> None:
        self.position = np.full(self.num_agents, START_POSITION, dtype=np.int64)
        self._eye = np.eye(NUM_POSITIONS, dtype=np.float32)

    def _begin_episodes(self, idx: np.ndarray) -> None:
        self.position[idx] = START_POSITION

    def _physics_step(self) -> None:
        position = self.position
        position += MOVES[self._disc[:, 0]]
        np.clip(position, 0, NUM_POSITIONS - 1, out=position)
        small = position == SMALL_GOAL
        large = position == LARGE_GOAL
        self._reward += STEP_REWARD + SMALL_REWARD * small + LARGE_REWARD * large
        np.logical_or(small, large, out=self._done_now)
        self._success_now[:] = large

    def _kernel_decision(
        self,
        reward: np.ndarray,
        flags: np.ndarray,
        obs: tuple[np.ndarray, ...],
        ended: np.ndarray,
    ) -> int | None:
        return self._kernels.basic_decision(
            self.position,
            self._disc,
            MOVES,
            self.agent_step_count,
            self.max_step,
            SMALL_GOAL,
            LARGE_GOAL,
            NUM_POSITIONS - 1,
            STEP_REWARD,
            SMALL_REWARD,
            LARGE_REWARD,
            reward,
            flags,
            obs[0],
            ended,
        )

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        position = self.position if idx is None else self.position[idx]
        return (self._eye[position],)
