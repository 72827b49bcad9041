"""Chase: a toy asymmetric game of two behaviors on a line, a Chaser (team 0) against an Evader (team 1).

Not an ML-Agents example: the smallest game with what Striker vs Goalie has (``StrikersVsGoalie.yaml``), so
several behaviors, asymmetric self-play and per-behavior ELO can be trained and tested in seconds. Each area
holds one Chaser and one Evader on the segment [-1, 1]; they start at least ``MIN_START_GAP`` apart.

- Chaser: observation ``[x, evader_x - x, clock]`` (3 floats); one discrete branch of 3 (0 stay, 1 left,
  2 right), moving ``CHASER_SPEED``.
- Evader: observation ``[x, chaser_x - x, clock, 1 - |x|]`` (4 floats); one continuous action in [-1, 1],
  moving ``EVADER_SPEED`` times it.
- The game ends (``terminated``) when the Chaser comes within ``CATCH_RADIUS`` (Chaser +1, Evader -1) or after
  ``GAME_LENGTH`` decisions without a catch (Evader +1, Chaser -1): every game has a winner, so the sign of
  the last reward is the result self-play's ELO reads. Games restart at once.

Both move at the same speed, so a trained Chaser catches a random Evader most games, a trained Evader that
runs from a random Chaser survives most games, and two trained sides split the games by their start
positions (the Evader needs room behind it): whichever side learns beats the other side's early snapshots.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ...errors import SpecError
from ...spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch

TASK_NAME = "Chase"
CHASER, EVADER = "Chaser", "Evader"
CHASER_TEAM, EVADER_TEAM = 0, 1
CHASER_SPEED = 0.2
EVADER_SPEED = 0.2
CATCH_RADIUS = 0.15
GAME_LENGTH = 6
"""Decisions an Evader must survive to win."""
MIN_START_GAP = 0.8
MOVES = np.array([0.0, -1.0, 1.0])
"""Chaser branch 0: stay, left, right."""

SIGNATURES = {
    CHASER: BehaviorSignature(CHASER, (ObservationSpec((3,), CHASER),), ActionSpec(discrete_branches=(3,))),
    EVADER: BehaviorSignature(EVADER, (ObservationSpec((4,), EVADER),), ActionSpec(continuous_size=1)),
}
"""The two behaviors, in the order the environment reports them."""


class ChaseEnv:
    """``num_areas`` Chase games stepped together: a ``spaces.MultiBehaviorEnv`` of Chaser and Evader.

    ``success`` is each side's win (a catch for the Chaser, a survival for the Evader), so ``learn``'s
    progress reports a success rate per behavior (``reports_success``).

    Args:
        num_areas: games (each holds one agent of each behavior).
        seed: seeds the start positions.

    Raises:
        SpecError: ``num_areas`` below 1.

    """

    reports_success = True
    """``StepBatch.success`` means something here (``rl.learn`` reports its rate, as for simulator tasks)."""

    def __init__(self, num_areas: int = 1, *, seed: int | None = None) -> None:
        if int(num_areas) < 1:
            raise SpecError(f"{TASK_NAME}: num_areas must be >= 1, got {num_areas}")
        self.num_areas = int(num_areas)
        self.signatures: dict[str, BehaviorSignature] = dict(SIGNATURES)
        self.num_agents: dict[str, int] = {CHASER: self.num_areas, EVADER: self.num_areas}
        self.rng = np.random.default_rng(seed)
        self.chaser = np.zeros(self.num_areas)
        self.evader = np.zeros(self.num_areas)
        self.clock = np.zeros(self.num_areas, np.int64)
        self.outcomes: list[int] = []
        """Per finished game: the winning team (0 Chaser, 1 Evader)."""

    # --- episodes ---
    def _start(self, idx: np.ndarray) -> None:
        n = len(idx)
        chaser, evader = self.rng.uniform(-1, 1, n), self.rng.uniform(-1, 1, n)
        close = np.abs(chaser - evader) < MIN_START_GAP
        while close.any():  # redraw the Evader until the gap holds (a quarter of draws on average)
            evader[close] = self.rng.uniform(-1, 1, int(close.sum()))
            close = np.abs(chaser - evader) < MIN_START_GAP
        self.chaser[idx], self.evader[idx], self.clock[idx] = chaser, evader, 0

    def _obs(self) -> dict[str, np.ndarray]:
        clock = self.clock / GAME_LENGTH
        chaser = np.stack([self.chaser, self.evader - self.chaser, clock], axis=1).astype(np.float32)
        evader = np.stack(
            [self.evader, self.chaser - self.evader, clock, 1.0 - np.abs(self.evader)], axis=1
        ).astype(np.float32)
        return {CHASER: chaser, EVADER: evader}

    def _batches(
        self, rewards: dict[str, np.ndarray], ended: np.ndarray, final: dict[str, np.ndarray], wins: dict
    ) -> dict[str, StepBatch]:
        obs = self._obs()
        no = np.zeros(self.num_areas, bool)
        batches = {}
        for name, team in ((CHASER, CHASER_TEAM), (EVADER, EVADER_TEAM)):
            batches[name] = StepBatch(
                obs=(obs[name],),
                reward=rewards[name].astype(np.float32),
                terminated=ended.copy(),
                truncated=no.copy(),
                final_obs=(final[name],),
                action_mask=np.ones((self.num_areas, 3), bool) if name == CHASER else None,
                success=wins[name],
                team_id=np.full(self.num_areas, team, np.int32),
            )
        return batches

    # --- the MultiBehaviorEnv contract ---
    def reset(self, *, seed: int | None = None) -> dict[str, StepBatch]:
        """Start every game."""
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self._start(np.arange(self.num_areas))
        zero, no = np.zeros(self.num_areas), np.zeros(self.num_areas, bool)
        obs = self._obs()
        return self._batches({CHASER: zero, EVADER: zero}, no, obs, {CHASER: no, EVADER: no})

    def step(self, actions: Mapping[str, ActionTuple]) -> dict[str, StepBatch]:
        """Move both sides, score caught or survived games, restart them."""
        missing = [name for name in self.signatures if name not in actions]
        if missing:
            raise SpecError(f"{TASK_NAME}: step needs actions for every behavior, missing {missing}")
        branch = np.asarray(actions[CHASER].discrete, np.int64).reshape(self.num_areas, -1)[:, 0]
        if ((branch < 0) | (branch > 2)).any():
            raise SpecError(f"{TASK_NAME}: Chaser actions must be 0, 1 or 2, got {np.unique(branch)}")
        cont = np.asarray(actions[EVADER].continuous, np.float64).reshape(self.num_areas, -1)
        speed = np.clip(cont[:, 0], -1.0, 1.0)
        self.chaser = np.clip(self.chaser + CHASER_SPEED * MOVES[branch], -1.0, 1.0)
        self.evader = np.clip(self.evader + EVADER_SPEED * speed, -1.0, 1.0)
        self.clock += 1
        caught = np.abs(self.chaser - self.evader) <= CATCH_RADIUS
        survived = ~caught & (self.clock >= GAME_LENGTH)
        ended = caught | survived
        chaser_reward = np.where(caught, 1.0, 0.0) - np.where(survived, 1.0, 0.0)
        final = self._obs()
        self.outcomes.extend(np.where(caught[ended], CHASER_TEAM, EVADER_TEAM).tolist())
        if ended.any():
            self._start(np.flatnonzero(ended))
        rewards = {CHASER: chaser_reward, EVADER: -chaser_reward}
        return self._batches(rewards, ended, final, {CHASER: caught, EVADER: survived})

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Chase has no environment parameters; any given is an error naming it."""
        if params:
            raise SpecError(f"{TASK_NAME}: has no environment parameters, got {sorted(params)}")

    def close(self) -> None:
        """Nothing to release."""
