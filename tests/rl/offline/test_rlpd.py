"""Demonstrations kept in SAC's replay (RLPD): symmetric minibatches, the checkpoint round trip, errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mlops_unity_pipeline.errors import ConfigError, TrainError
from mlops_unity_pipeline.rl.buffers import ReplayBuffer
from mlops_unity_pipeline.rl.offline.pretrain import PretrainConfig, pretrain
from mlops_unity_pipeline.rl.offline.rlpd import DEMO_REPLAY_KEY, DemoReplay, demo_state
from mlops_unity_pipeline.rl.sac import SACTrainer

from .helpers import signature, trainer_settings, transitions
from .test_finetune_guard import _batch

DEMO_OBS = 7.0
"""Every demonstration observation is this, online ones are N(0, 1): a row's origin shows in its obs."""


def _demos(n: int = 40) -> dict[str, torch.Tensor]:
    obs = torch.full((n, 2), DEMO_OBS)
    return demo_state(transitions(obs, continuous=torch.full((n, 1), 1.5), rewards=torch.ones(n)))


def _online(rows: int = 100) -> ReplayBuffer:
    replay = ReplayBuffer(1000, 2, 1, 0, 0)
    rng = np.random.default_rng(1)
    obs = rng.normal(size=(rows, 2)).astype(np.float32)
    replay.add(obs, np.zeros((rows, 1)), np.zeros((rows, 0)), np.zeros(rows), obs, np.zeros(rows), None)
    return replay


def test_minibatch_is_half_demonstrations_with_scaled_rewards():
    """32 rows: 16 online then 16 demonstration rows, whose rewards carry the extrinsic strength."""
    demos = DemoReplay(_demos(), reward_scale=0.5, obs_size=2, continuous_size=1, num_branches=0, mask_size=0)
    batch = demos.sample(_online(), 32, np.random.default_rng(0))
    from_demos = (batch["obs"] == DEMO_OBS).all(dim=1)
    assert from_demos.tolist() == [False] * 16 + [True] * 16
    assert torch.equal(batch["rewards"][16:], torch.full((16,), 0.5))
    assert torch.equal(batch["rewards"][:16], torch.zeros(16))
    assert torch.equal(batch["continuous"][16:], torch.ones(16, 1))  # clamped to the tanh range
    assert all(v.shape[0] == 32 for v in batch.values())


def test_rows_that_do_not_fit_the_behavior_are_a_clear_error():
    """Demonstrations of another observation size name the field and both shapes."""
    with pytest.raises(TrainError, match=r"'obs' has shape \(40, 2\), this behavior expects \(40, 3\)"):
        DemoReplay(_demos(), reward_scale=1.0, obs_size=3, continuous_size=1, num_branches=0, mask_size=0)
    rows = _demos()
    del rows["masks"]
    with pytest.raises(TrainError, match="lack field 'masks'"):
        DemoReplay(rows, reward_scale=1.0, obs_size=2, continuous_size=1, num_branches=0, mask_size=0)


def test_keep_demonstrations_needs_sac(tmp_path):
    """PPO has no replay: keeping demonstrations for it is a config error, not a silently ignored flag."""
    data = transitions(torch.randn(16, 2), continuous=torch.zeros(16, 1))
    with pytest.raises(ConfigError, match="keep_demonstrations.*sac.*'ppo'"):
        pretrain(
            signature(continuous=1),
            trainer_settings("ppo"),
            data,
            tmp_path,
            config=PretrainConfig(updates=1, keep_demonstrations=True),
        )


def test_sac_from_pretrained_keeps_demonstrations_in_every_minibatch_and_across_resume(tmp_path):
    """pretrained.pt carries the rows; SAC's updates see half demonstrations; its checkpoint keeps them."""
    sig, settings = signature(continuous=1), trainer_settings("sac")
    obs = torch.full((40, 2), DEMO_OBS)
    data = transitions(obs, continuous=torch.zeros(40, 1), rewards=torch.ones(40))
    config = PretrainConfig(updates=2, keep_demonstrations=True)
    result = pretrain(sig, settings, data, tmp_path, config=config)
    state = torch.load(result.checkpoint_path, weights_only=False)
    assert state[DEMO_REPLAY_KEY]["obs"].shape == (40, 2)
    trainer = SACTrainer(sig, settings, num_agents=4, seed=0)
    trainer.load_state_dict(state, weights_only=True)
    assert trainer.demo_replay is not None and len(trainer.demo_replay) == 40
    seen: list[dict[str, torch.Tensor]] = []
    update = trainer.update

    def spy(step=None, mb=None):
        mb = trainer._sample() if mb is None else mb
        seen.append(mb)
        return update(step, mb)

    trainer.update = spy
    rng = np.random.default_rng(0)
    batch = _batch(4, rng, False)
    for _ in range(20):
        trainer.act(batch)
        batch = _batch(4, rng, False)
        trainer.observe(batch)
    assert seen, "no SAC update ran"
    for mb in seen:
        assert int((mb["obs"] == DEMO_OBS).all(dim=1).sum()) == 16  # half of batch_size 32
    resumed = SACTrainer(sig, settings, num_agents=4, seed=0)
    resumed.load_state_dict(trainer.state_dict())
    assert resumed.demo_replay is not None
    assert torch.equal(resumed.demo_replay.rows["obs"], trainer.demo_replay.rows["obs"])
    plain = SACTrainer(sig, settings, num_agents=4, seed=0)
    del state[DEMO_REPLAY_KEY]
    plain.load_state_dict(state, weights_only=True)
    assert plain.demo_replay is None
