"""Distributed-rollout pieces without Ray: agent slices, batch concatenation, dropping lost fragments."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.cluster.rollouts import GROUP_ID_STRIDE, concat_batches, split_agents
from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.rl.ppo import PPOTrainer
from mlops_unity_pipeline.spaces import ActionTuple
from tests.rl.group_env import GroupCue
from tests.rl.helpers import ppo_options
from tests.rl.toy_env import LineTarget


def test_split_agents_is_contiguous_and_balanced():
    """10 agents over 4 actors: 3,3,2,2 in order; fewer agents than actors is a named error."""
    slices = split_agents(10, 4)
    assert [(s.start, s.stop) for s in slices] == [(0, 3), (3, 6), (6, 8), (8, 10)]
    with pytest.raises(SpecError, match="num_envs"):
        split_agents(2, 3)


def test_concat_batches_equals_one_env_of_all_agents():
    """Two envs' batches concatenated have the per-agent layout of one batch (obs, flags, masks)."""
    a, b = LineTarget(2, discrete=True, seed=1), LineTarget(3, discrete=True, seed=2)
    both = concat_batches([a.reset(seed=1), b.reset(seed=2)])
    assert both.obs[0].shape == (5, 2) and both.action_mask.shape == (5, 3) and both.reward.shape == (5,)
    step = concat_batches(
        [
            a.step(ActionTuple(np.zeros((2, 0)), np.ones((2, 1), np.int32))),
            b.step(ActionTuple(np.zeros((3, 0)), np.ones((3, 1), np.int32))),
        ]
    )
    assert step.final_obs[0].shape == (5, 2) and step.success.dtype == bool


def test_concat_batches_keeps_each_actors_groups_apart():
    """The second actor's group ids are shifted by the stride; group rewards follow; no groups -> None."""
    first = GroupCue(2, seed=1).reset(seed=1)._replace(group_reward=np.full(6, 0.5, np.float32))
    second = GroupCue(1, seed=2).reset(seed=2)
    both = concat_batches([first, second])
    np.testing.assert_array_equal(
        both.group_id, np.concatenate([first.group_id, np.where(second.group_id, 1 + GROUP_ID_STRIDE, 0)])
    )
    np.testing.assert_allclose(both.group_reward, [0.5] * 6 + [0.0] * 3)
    plain = LineTarget(2, seed=1).reset(seed=1)
    assert concat_batches([plain, plain]).group_id is None


def test_ppo_drops_only_the_lost_agents_open_fragments(tmp_path):
    """drop_agents before observe: those agents' open trajectories (this step included) are gone, not cut."""
    env = LineTarget(3, max_steps=1000)
    settings = ppo_options(results_dir=str(tmp_path), extra={"time_horizon": 64}).behaviors["Line"]
    trainer = PPOTrainer(env.signature, settings, 3, seed=0)
    batch = env.reset(seed=0)
    for _ in range(5):
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    kept = trainer.trajectories.lengths.copy()
    batch = env.step(trainer.act(batch))
    trainer.drop_agents(np.array([1]))
    trainer.observe(batch)
    assert trainer.trajectories.lengths[1] == 0
    np.testing.assert_array_equal(trainer.trajectories.lengths[[0, 2]], (kept + 1)[[0, 2]])


class _LosingEnv(LineTarget):
    """LineTarget whose agent 0 'loses its environment' every 7 steps (like a restarted actor)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lost_events = 0
        self._lost = np.zeros(0, np.int64)

    def step(self, actions):
        batch = super().step(actions)
        if self.calls % 7 == 0:
            self._lost = np.array([0])
            self.lost_events += 1
        return batch

    def pop_lost_agents(self):
        lost, self._lost = self._lost, np.zeros(0, np.int64)
        return lost


def test_learn_drops_fragments_reported_by_the_env(tmp_path, monkeypatch):
    """learn() asks the env for lost agents every step and hands them to the trainer's drop_agents."""
    envs = []

    def factory(num_agents, seed):
        envs.append(_LosingEnv(num_agents, seed=seed))
        return envs[-1]

    dropped = []
    original = PPOTrainer.drop_agents
    monkeypatch.setattr(
        PPOTrainer, "drop_agents", lambda self, rows: (dropped.append(rows.tolist()), original(self, rows))
    )
    options = ppo_options(results_dir=str(tmp_path), max_steps=600)
    result = learn(LearnOptions(run_options=options, env_factory=factory, quiet=True))
    assert result.behaviors["Line"].steps >= 600
    assert envs[0].lost_events > 0 and dropped == [[0]] * envs[0].lost_events
