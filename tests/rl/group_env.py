"""A toy group VectorEnv for POCA tests: members must all play their private cue for the group reward.

Each area holds three agent rows sharing one group (``group_id`` = area + 1). Every decision each agent sees
a private cue (one-hot of ``num_cues``), whether it is in the group, the episode clock and whether its area's
bonus is on (see ``sacrifice_bonus``); it answers with one discrete branch of ``num_cues``. The group earns
``1 / episode_length`` at each step where *every* member played its cue (one wrong member spoils it: credit
assignment is the point); nobody earns anything alone. Row 0 always plays in the group; rows 1 and 2 *leave*
the group mid-episode with probability ``leave_prob`` per step (their episode terminates, the group plays on,
and the row starts a fresh, groupless episode) and groupless rows *join* it with probability ``join_prob``
(their ``group_id`` becomes the area's). Every ``episode_length`` decisions the area's episode is interrupted
(``truncated``) for all rows and the group restarts with rows 0-1, plus row 2 with probability 1/2.

With ``sacrifice_bonus`` > 0 (the DungeonEscape pattern, where one agent must die for the others to escape)
the branch gets one more action, *sacrifice*: a member of rows 1-2 taking it leaves the group at once (its
episode terminates) and, the first time in the area's episode, multiplies the group's reward per step by
``1 + sacrifice_bonus`` from the next step on. Only the group gains from it, after the sacrificer is gone:
independent learners never see that gain, POCA's bootstrap from the group value does.

With ``recall`` (a memory task) the right answer at each decision is the cue the agent saw at its
*previous* decision of the episode (its current cue at an episode's first decision): a feed-forward policy
is at chance, a recurrent one can be right every time.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch

ROWS_PER_AREA = 3
"""Agent rows per area (the largest group)."""


class GroupCue:
    """Areas of three cue-matching agents in one group; see the module docstring."""

    def __init__(
        self,
        num_areas: int = 4,
        *,
        num_cues: int = 3,
        episode_length: int = 8,
        leave_prob: float = 0.05,
        join_prob: float = 0.1,
        sacrifice_bonus: float = 0.0,
        recall: bool = False,
        seed: int | None = 0,
        name: str = "GroupCue",
    ) -> None:
        self.num_areas, self.num_cues, self.episode_length = num_areas, num_cues, episode_length
        self.sacrifice_bonus = sacrifice_bonus
        branch = num_cues + 1 if sacrifice_bonus > 0 else num_cues
        self.leave_prob, self.join_prob = leave_prob, join_prob
        self.num_agents = num_areas * ROWS_PER_AREA
        self.signature = BehaviorSignature(
            name, (ObservationSpec((num_cues + 3,)),), ActionSpec(0, (branch,))
        )
        self.rng = np.random.default_rng(seed)
        self.area = np.repeat(np.arange(num_areas), ROWS_PER_AREA)
        self.slot = np.tile(np.arange(ROWS_PER_AREA), num_areas)
        self.member = np.zeros(self.num_agents, bool)
        self.cue = np.zeros(self.num_agents, np.int64)
        self.recall = recall
        self.target = np.zeros(self.num_agents, np.int64)
        """The answer each agent is scored on (its cue, or with ``recall`` its previous one)."""
        self.clock = np.zeros(num_areas, np.int64)
        self.slain = np.zeros(num_areas, bool)
        self.sacrifices = 0
        """Sacrifices that earned the bonus so far."""
        self.group_returns: list[float] = []
        """Group reward of every finished group episode (one value per area episode)."""
        self._area_return = np.zeros(num_areas)
        self.closed = False

    def _restart(self, areas: np.ndarray) -> None:
        rows = np.flatnonzero(np.isin(self.area, areas))
        self.member[rows] = self.slot[rows] < 2
        extra = rows[self.slot[rows] == 2]
        self.member[extra] = self.rng.random(len(extra)) < 0.5
        self.clock[areas] = 0
        self.slain[areas] = False
        self._area_return[areas] = 0.0

    def _obs(self) -> np.ndarray:
        obs = np.zeros((self.num_agents, self.num_cues + 3), np.float32)
        obs[np.arange(self.num_agents), self.cue] = 1.0
        obs[:, self.num_cues] = self.member
        obs[:, self.num_cues + 1] = self.clock[self.area] / self.episode_length
        obs[:, self.num_cues + 2] = self.slain[self.area]
        return obs

    def _group_id(self) -> np.ndarray:
        return np.where(self.member, self.area + 1, 0).astype(np.int32)

    def _batch(self, obs, reward, terminated, truncated, final_obs, group_reward) -> StepBatch:
        n = self.num_agents
        return StepBatch(
            obs=(obs,),
            reward=reward.astype(np.float32),
            terminated=terminated,
            truncated=truncated,
            final_obs=(final_obs,),
            action_mask=np.ones((n, self.signature.action_spec.discrete_branches[0]), bool),
            success=np.zeros(n, bool),
            group_id=self._group_id(),
            group_reward=group_reward.astype(np.float32),
        )

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Start every area's group episode."""
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self._restart(np.arange(self.num_areas))
        self.cue = self.rng.integers(0, self.num_cues, self.num_agents)
        self.target = self.cue.copy()
        obs = self._obs()
        zeros = np.zeros(self.num_agents, bool)
        return self._batch(obs, np.zeros(self.num_agents), zeros, zeros, obs, np.zeros(self.num_agents))

    def step(self, actions: ActionTuple) -> StepBatch:
        """Score the decision, then move members out of and into groups and restart finished episodes."""
        n, unit = self.num_agents, 1.0 / self.episode_length
        action = actions.discrete[:, 0]
        correct = action == self.target
        sacrificing = self.member & (self.slot > 0) & (action == self.num_cues)
        playing = self.member & ~sacrificing
        wrong_members = np.bincount(self.area[playing & ~correct], minlength=self.num_areas)
        has_members = np.bincount(self.area[playing], minlength=self.num_areas) > 0
        scale = np.where(self.slain, 1.0 + self.sacrifice_bonus, 1.0)
        area_reward = np.where(has_members & (wrong_members == 0), unit * scale, 0.0)
        group_reward = np.where(self.member, area_reward[self.area], 0.0)
        heroes = np.bincount(self.area[sacrificing], minlength=self.num_areas) > 0
        self.sacrifices += int((heroes & ~self.slain).sum())
        self.slain |= heroes
        reward = np.zeros(n)
        self._area_return += area_reward
        self.clock += 1
        truncated = self.clock[self.area] >= self.episode_length
        # Rows 1-2 of a group leave it (their episode ends; the group plays on).
        leaving = self.member & (self.slot > 0) & ~truncated & (self.rng.random(n) < self.leave_prob)
        leaving |= sacrificing & ~truncated
        terminated = leaving
        seen = self.cue
        self.cue = self.rng.integers(0, self.num_cues, n)
        # recall: next time the answer is what the agent saw now, unless a new episode starts for it.
        fresh = terminated | truncated
        self.target = np.where(fresh, self.cue, seen) if self.recall else self.cue.copy()
        final_obs = self._obs()
        self.member[leaving] = False
        ended_areas = np.flatnonzero(self.clock >= self.episode_length)
        self.group_returns.extend(self._area_return[ended_areas].tolist())
        if len(ended_areas):
            self._restart(ended_areas)
        # Groupless rows of running areas join their area's group.
        joining = ~self.member & ~truncated & ~leaving & (self.rng.random(n) < self.join_prob)
        self.member[joining] = True
        return self._batch(self._obs(), reward, terminated, truncated, final_obs, group_reward)

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """No parameters."""

    def close(self) -> None:
        """Nothing to release."""
        self.closed = True


class IndependentRewards:
    """The same env for independent learners: the group reward is added to each member's own reward.

    Group fields become None, so a single-agent trainer (PPO) sees a plain environment.
    """

    def __init__(self, env: GroupCue) -> None:
        self.env = env
        self.signature, self.num_agents = env.signature, env.num_agents

    def _plain(self, batch: StepBatch) -> StepBatch:
        reward = batch.reward + (batch.group_reward if batch.group_reward is not None else 0.0)
        return batch._replace(reward=reward.astype(np.float32), group_id=None, group_reward=None)

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Reset the wrapped env."""
        return self._plain(self.env.reset(seed=seed))

    def step(self, actions: ActionTuple) -> StepBatch:
        """Step the wrapped env."""
        return self._plain(self.env.step(actions))

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """No parameters."""

    def close(self) -> None:
        """Close the wrapped env."""
        self.env.close()


def sacrifice_settings(kind: str, max_steps: int):
    """``TrainerSettings`` of ``kind`` (poca or ppo) for the sacrifice task (learning check and bench).

    Args:
        kind: ``trainer_type``.
        max_steps: the run's ``max_steps``.

    Returns:
        The behavior ``GroupCue``'s settings.

    """
    behavior = {
        "trainer_type": kind,
        "hyperparameters": {
            "batch_size": 128,
            "buffer_size": 1024,
            "learning_rate": 3.0e-3,
            "beta": 5.0e-3,
            "num_epoch": 3,
            "lambd": 0.95,
            "learning_rate_schedule": "constant",
        },
        "network_settings": {"normalize": False, "hidden_units": 64, "num_layers": 2},
        "reward_signals": {"extrinsic": {"gamma": 0.9, "strength": 1.0}},
        "max_steps": max_steps,
        "time_horizon": 32,
    }
    return RunOptions.from_dict({"behaviors": {"GroupCue": behavior}}).behavior_settings("GroupCue")
