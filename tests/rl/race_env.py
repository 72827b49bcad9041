"""A symmetric two-team toy game for self-play tests: a cue-matching race.

Each match holds two teams (``team_id`` 0 and 1) of ``team_size`` runners. At every decision each runner sees
a private cue (one-hot of ``NUM_CUES``), its team's and the other team's progress (as fractions of the goal)
and the match clock; it answers with one discrete branch of ``NUM_CUES`` actions, and playing its cue moves
its team one step forward. A team reaching ``team_size * track_length`` steps wins: +1 for each of its
runners, -1 for each runner of the other team, both at the match's last step (a tie is 0 for all). A match
still open after ``max_length`` decisions is interrupted (``truncated``, reward 0: a draw). Matches restart
at once.

A random runner plays its cue one time in three, a trained one every time, so a trained team beats a random
(or an early snapshot) almost always; the opponent's play changes how often the learner wins, which is what
the ELO measures. With ``team_size`` > 1 the teams are ``SimpleMultiAgentGroup``-style groups (the win/loss is
a *group* reward, as in SoccerTwos) for POCA.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import torch

from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.networks import Actor
from mlops_unity_pipeline.spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch

from .helpers import ppo_options

NUM_CUES = 3
"""Actions (and cues) of a runner."""


class CueRace:
    """``num_matches`` matches of two teams racing; see the module docstring."""

    def __init__(
        self,
        num_matches: int = 8,
        *,
        team_size: int = 1,
        track_length: int = 4,
        max_length: int = 16,
        seed: int | None = 0,
        name: str = "CueRace",
    ) -> None:
        self.num_matches, self.team_size = num_matches, team_size
        self.track_length, self.max_length = track_length, max_length
        self.goal = team_size * track_length
        self.num_agents = num_matches * 2 * team_size
        self.signature = BehaviorSignature(
            name, (ObservationSpec((NUM_CUES + 3,)),), ActionSpec(0, (NUM_CUES,))
        )
        self.match = np.repeat(np.arange(num_matches), 2 * team_size)
        self.team = np.tile(np.repeat(np.arange(2), team_size), num_matches).astype(np.int32)
        self.grouped = team_size > 1
        self.rng = np.random.default_rng(seed)
        self.progress = np.zeros((num_matches, 2), np.int64)
        self.clock = np.zeros(num_matches, np.int64)
        self.cue = np.zeros(self.num_agents, np.int64)
        self.outcomes: list[int] = []
        """Per finished match: 0 or 1 (the winning team), -1 for a tie or an interrupted match."""

    def _obs(self) -> np.ndarray:
        obs = np.zeros((self.num_agents, NUM_CUES + 3), np.float32)
        obs[np.arange(self.num_agents), self.cue] = 1.0
        own = self.progress[self.match, self.team]
        other = self.progress[self.match, 1 - self.team]
        obs[:, NUM_CUES] = own / self.goal
        obs[:, NUM_CUES + 1] = other / self.goal
        obs[:, NUM_CUES + 2] = self.clock[self.match] / self.max_length
        return obs

    def _batch(self, obs, reward, terminated, truncated, final_obs, success) -> StepBatch:
        n = self.num_agents
        zeros = np.zeros(n, np.float32)
        group_id = (self.match * 2 + self.team + 1).astype(np.int32) if self.grouped else None
        return StepBatch(
            obs=(obs,),
            reward=zeros if self.grouped else reward.astype(np.float32),
            terminated=terminated,
            truncated=truncated,
            final_obs=(final_obs,),
            action_mask=np.ones((n, NUM_CUES), bool),
            success=success,
            group_id=group_id,
            group_reward=reward.astype(np.float32) if self.grouped else None,
            team_id=self.team.copy(),
        )

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Start every match."""
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self.progress[:] = 0
        self.clock[:] = 0
        self.cue = self.rng.integers(0, NUM_CUES, self.num_agents)
        obs = self._obs()
        no = np.zeros(self.num_agents, bool)
        return self._batch(obs, np.zeros(self.num_agents), no, no, obs, no)

    def step(self, actions: ActionTuple) -> StepBatch:
        """Advance the teams whose runners played their cues; score and restart finished matches."""
        correct = actions.discrete[:, 0] == self.cue
        np.add.at(self.progress, (self.match[correct], self.team[correct]), 1)
        self.clock += 1
        home, away = self.progress[:, 0] >= self.goal, self.progress[:, 1] >= self.goal
        won = home | away
        interrupted = ~won & (self.clock >= self.max_length)
        margin = np.where(home & ~away, 1.0, np.where(away & ~home, -1.0, 0.0))  # team 0's result
        reward = margin[self.match] * np.where(self.team == 0, 1.0, -1.0)
        self.cue = self.rng.integers(0, NUM_CUES, self.num_agents)
        final_obs = self._obs()
        for m in np.flatnonzero(won | interrupted):
            self.outcomes.append(0 if margin[m] > 0 else 1 if margin[m] < 0 else -1)
        ended = won | interrupted
        self.progress[ended] = 0
        self.clock[ended] = 0
        terminated, truncated = won[self.match], interrupted[self.match]
        return self._batch(self._obs(), reward, terminated, truncated, final_obs, terminated & (reward > 0))

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """No parameters."""

    def close(self) -> None:
        """Nothing to release."""


def race_options(
    results_dir, *, kind: str = "ppo", self_play=None, max_steps: int = 20000, **kwargs
) -> RunOptions:
    """A small PPO (or POCA) self-play configuration of behavior ``CueRace`` (tests and bench)."""
    extra = {
        "self_play": self_play or {},
        "network_settings": {"normalize": False},
        "hyperparameters": {"buffer_size": 512, "batch_size": 128},
    }
    data = ppo_options(
        "CueRace", results_dir=str(results_dir), max_steps=max_steps, extra=extra, **kwargs
    ).to_dict()
    if kind == "poca":
        data["behaviors"]["CueRace"]["trainer_type"] = "poca"
        data["behaviors"]["CueRace"]["hyperparameters"].pop("shared_critic", None)
    return RunOptions.from_dict(data)


def win_rate(env: CueRace, learner: Actor, opponent: Actor, decisions: int) -> float:
    """Team 0 plays ``learner``, team 1 ``opponent`` (both sampling): team 0's share of decided games."""
    batch = env.reset(seed=123)
    for _ in range(decisions):
        obs = torch.from_numpy(batch.obs[0])
        own, other = learner.act(obs).discrete.numpy(), opponent.act(obs).discrete.numpy()
        discrete = np.where(env.team[:, None] == 0, own, other).astype(np.int32)
        batch = env.step(ActionTuple(np.zeros((env.num_agents, 0), np.float32), discrete))
    decided = [o for o in env.outcomes if o >= 0]
    return sum(o == 0 for o in decided) / max(1, len(decided))
