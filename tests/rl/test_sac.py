"""SAC: update mechanics, target network, entropy tuning, update cadence, masks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from mlops_unity_pipeline.rl.sac import SACTrainer

from .helpers import sac_options
from .toy_env import LineTarget


def _trainer(tmp_path, discrete=False, **hp):
    opts = sac_options(results_dir=str(tmp_path))
    data = opts.to_dict()
    data["behaviors"]["Line"]["hyperparameters"].update(hp)
    from mlops_unity_pipeline.rl.config import RunOptions

    settings = RunOptions.from_dict(data).behaviors["Line"]
    env = LineTarget(4, discrete=discrete)
    return SACTrainer(env.signature, settings, 4, seed=0), env


def _fill(trainer, env, decisions):
    batch = env.reset(seed=0)
    for _ in range(decisions):
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)


def test_updates_follow_steps_per_update_after_buffer_init_steps(tmp_path):
    """(step - buffer_init_steps) / steps_per_update gradient steps in total."""
    trainer, env = _trainer(tmp_path, buffer_init_steps=40, steps_per_update=8, batch_size=16)
    _fill(trainer, env, 30)  # 120 agent steps
    assert trainer.step == 120 and trainer.update_count == (120 - 40) // 8


def test_target_value_moves_towards_value_by_tau(tmp_path):
    """After one update target = (1 - tau) * old_target + tau * value (Polyak)."""
    trainer, env = _trainer(tmp_path, tau=0.1, batch_size=16, buffer_init_steps=10**6)
    _fill(trainer, env, 10)
    old_target = [p.clone() for p in trainer.target_value.parameters()]
    trainer.update()
    for old, new, value in zip(
        old_target, trainer.target_value.parameters(), trainer.value.parameters(), strict=True
    ):
        torch.testing.assert_close(new, 0.9 * old + 0.1 * value.detach())


def test_entropy_coefficient_starts_at_init_and_is_tuned(tmp_path):
    """log_alpha starts at log(init_entcoef) and moves after updates; losses are finite."""
    trainer, env = _trainer(tmp_path, init_entcoef=0.5, batch_size=16, buffer_init_steps=10**6)
    assert math.isclose(trainer.log_alpha.exp().item(), 0.5, rel_tol=1e-6)
    _fill(trainer, env, 10)
    losses = [trainer.update() for _ in range(5)]
    assert trainer.log_alpha.exp().item() != 0.5
    assert all(math.isfinite(v) for entry in losses for v in entry.values())
    assert {
        "Losses/Q1 Loss",
        "Losses/Q2 Loss",
        "Losses/Value Loss",
        "Losses/Policy Loss",
        "Policy/Continuous Entropy Coeff",
    } <= set(losses[-1])


def test_discrete_sac_respects_masks_and_updates(tmp_path):
    """Discrete SAC never acts a masked action and its update runs with stored masks."""
    trainer, env = _trainer(tmp_path, discrete=True, batch_size=16, buffer_init_steps=0, steps_per_update=1)
    batch = env.reset(seed=0)
    env.x[:] = -1.0  # at the left wall: action 1 (left) is masked
    batch = env.step(trainer.act(batch))
    for _ in range(20):
        masked_left = ~batch.action_mask[:, 1]
        actions = trainer.act(batch)
        assert not np.any(actions.discrete[masked_left, 0] == 1)
        batch = env.step(actions)
        trainer.observe(batch)
    assert trainer.update_count > 0
    assert "Policy/Discrete Entropy Coeff" in trainer.pop_stats()


def test_state_dict_round_trip(tmp_path):
    """A SAC checkpoint restores networks, entropy coefficient, optimizers and step."""
    trainer, env = _trainer(tmp_path, batch_size=16, buffer_init_steps=0)
    _fill(trainer, env, 20)
    state = trainer.state_dict()
    other, _ = _trainer(tmp_path, batch_size=16, buffer_init_steps=0)
    other.load_state_dict(state)
    assert other.step == trainer.step and other.update_count == trainer.update_count
    torch.testing.assert_close(other.log_alpha, trainer.log_alpha)
    for a, b in zip(other.q1.parameters(), trainer.q1.parameters(), strict=True):
        torch.testing.assert_close(a, b)


def test_policy_entropy_is_recorded_at_every_decision(tmp_path):
    """SAC reports Policy/Entropy too: the pre-squash Gaussian's mean-over-dims entropy of each decision."""
    trainer, env = _trainer(tmp_path, batch_size=16, buffer_init_steps=10**6)
    batch = env.reset(seed=0)
    with torch.no_grad():
        mean, log_std, _ = trainer.actor.heads(torch.from_numpy(batch.obs[0]))
    expected = float((0.5 * torch.log(2 * math.pi * math.e * torch.exp(2 * log_std) + 1e-7)).mean(-1).mean())
    trainer.act(batch)
    assert trainer.pop_stats()["Policy/Entropy"] == [pytest.approx(expected, rel=1e-6)]
    _fill(trainer, env, 4)
    assert len(trainer.pop_stats()["Policy/Entropy"]) == 4


def test_discrete_policy_entropy_sums_branch_entropies(tmp_path):
    """Discrete SAC, uniform logits: each agent's entropy is log(number of allowed actions) (masks apply)."""
    trainer, env = _trainer(tmp_path, discrete=True, batch_size=16, buffer_init_steps=10**6)
    with torch.no_grad():
        trainer.actor.logits.weight.zero_()
    batch = env.reset(seed=0)
    expected = float(np.mean(np.log(batch.action_mask.sum(1))))
    trainer.act(batch)
    assert trainer.pop_stats()["Policy/Entropy"] == [pytest.approx(expected, rel=1e-6)]
