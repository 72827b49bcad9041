"""PPO pieces: trajectory bootstrapping, losses, update, trainer."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from mlops_unity_pipeline.rl.buffers import TrajectoryBuffer
from mlops_unity_pipeline.rl.networks import Actor
from mlops_unity_pipeline.rl.optim import FlatAdam, FlatParameters
from mlops_unity_pipeline.rl.ppo import (
    PPOTrainer,
    RolloutBatch,
    SequenceColumns,
    choose_gradients,
    make_networks,
    ppo_losses,
    update,
)
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec, StepBatch

from .helpers import ppo_options
from .toy_env import LineTarget


def _add(buf, n, reward=0.0):
    obs = np.full((n, 2), float(buf.lengths[0]), np.float32)
    buf.add(
        obs,
        np.zeros((n, 1), np.float32),
        np.zeros((n, 0), np.int64),
        None,
        np.zeros((n, 1), np.float32),
        np.full(n, reward, np.float32),
    )


def test_trajectory_buffer_cuts_at_time_horizon_and_on_episode_end():
    """Terminated -> no bootstrap; truncated -> final obs; horizon cut -> next obs."""
    buf = TrajectoryBuffer(3, time_horizon=2, obs_size=2, continuous_size=1, num_branches=0, mask_size=0)
    _add(buf, 3)
    term, trunc = np.array([True, False, False]), np.array([False, True, False])
    nxt, fin = np.full((3, 2), 7.0, np.float32), np.full((3, 2), 5.0, np.float32)
    seg = buf.close(term, trunc, nxt, fin)
    assert seg is not None and list(seg.lengths) == [1, 1]
    assert list(seg.terminated) == [True, False]
    np.testing.assert_array_equal(seg.bootstrap_obs, [[5.0, 5.0], [5.0, 5.0]])
    assert list(buf.lengths) == [0, 0, 1]
    _add(buf, 3)
    seg = buf.close(np.zeros(3, bool), np.zeros(3, bool), nxt, fin)
    assert seg is not None and list(seg.lengths) == [2]  # agent 2 reached the horizon
    assert not seg.terminated[0]
    np.testing.assert_array_equal(seg.bootstrap_obs, [[7.0, 7.0]])


class _ConstantCritic(torch.nn.Module):
    normalizer = None

    def forward(self, obs, normalized=False):
        return torch.full((obs.shape[0],), 0.5)


def _batch(obs, reward, terminated, truncated, final):
    n = len(obs)
    return StepBatch(
        (obs,), reward.astype(np.float32), terminated, truncated, (final,), None, np.zeros(n, bool)
    )


def test_trainer_bootstraps_on_interruption_and_cut_but_not_on_termination(tmp_path):
    """The last advantage is r - V when terminated, r + gamma*V - V when interrupted or cut."""
    env = LineTarget(3)
    settings = ppo_options(results_dir=str(tmp_path), extra={"time_horizon": 1}).behaviors["Line"]
    trainer = PPOTrainer(env.signature, settings, 3, seed=0)
    trainer.critic = _ConstantCritic()
    obs = np.zeros((3, 2), np.float32)
    trainer.act(_batch(obs, np.zeros(3), np.zeros(3, bool), np.zeros(3, bool), obs))
    trainer.observe(
        _batch(obs, np.ones(3), np.array([True, False, False]), np.array([False, True, False]), obs)
    )
    assert trainer.buffer.size == 0 and len(trainer._closed) == 1  # closed, waiting for the buffer to be used
    trainer._process(trainer._closed)
    gamma = trainer.gamma
    adv = trainer.buffer.advantages[: trainer.buffer.size].numpy()
    np.testing.assert_allclose(adv, [1 - 0.5, 1 + gamma * 0.5 - 0.5, 1 + gamma * 0.5 - 0.5], rtol=1e-6)
    assert trainer.step == 3


def _batch_of(actor_critic, n=256, discrete=False):
    g = torch.Generator().manual_seed(0)
    obs = torch.randn(n, 2, generator=g)
    cont = torch.zeros(n, 0) if discrete else torch.randn(n, 1, generator=g)
    disc = torch.randint(0, 3, (n, 1), generator=g) if discrete else torch.zeros(n, 0, dtype=torch.long)
    masks = torch.ones(n, 3) if discrete else torch.ones(n, 0)
    actor, _ = actor_critic
    with torch.no_grad():
        old_lp, _ = actor.evaluate(obs, cont, disc, masks)
    adv = torch.randn(n, generator=g)
    return RolloutBatch(obs, cont, disc, masks, old_lp, adv, torch.randn(n, generator=g), torch.zeros(n))


@pytest.mark.parametrize("discrete", [False, True])
def test_losses_at_ratio_one_equal_minus_mean_advantage(tmp_path, discrete):
    """Before any update the ratio is 1, so the surrogate is -mean(A); the entropy is positive."""
    env = LineTarget(1, discrete=discrete)
    nets = make_networks(env.signature, ppo_options(results_dir=str(tmp_path)).behaviors["Line"])
    batch = _batch_of(nets, discrete=discrete)
    policy_loss, value_loss, entropy = ppo_losses(nets[0], nets[1], batch, epsilon=0.2)
    assert policy_loss.item() == pytest.approx(-batch.advantages.mean().item(), abs=1e-5)
    assert entropy.item() > 0


def test_value_loss_is_clipped_around_old_values(tmp_path):
    """New V far from old V: the clipped estimate old+eps gives the larger (used) squared error."""
    env = LineTarget(1)
    actor, critic = make_networks(env.signature, ppo_options(results_dir=str(tmp_path)).behaviors["Line"])
    with torch.no_grad():
        critic.head.weight.zero_()
        critic.head.bias.fill_(0.5)
    n = 4
    batch = RolloutBatch(
        torch.zeros(n, 2),
        torch.zeros(n, 1),
        torch.zeros(n, 0, dtype=torch.long),
        torch.ones(n, 0),
        torch.zeros(n, 1),
        torch.zeros(n),
        torch.ones(n),
        torch.zeros(n),
    )
    _, value_loss, _ = ppo_losses(actor, critic, batch, epsilon=0.2)
    assert value_loss.item() == pytest.approx((1 - 0.2) ** 2, rel=1e-5)


def test_update_reduces_value_loss_and_changes_policy(tmp_path):
    """A few epochs on a fixed buffer reduce the value loss."""
    env = LineTarget(1)
    actor, critic = make_networks(env.signature, ppo_options(results_dir=str(tmp_path)).behaviors["Line"])
    batch = _batch_of((actor, critic))
    flat = FlatParameters([actor, critic])
    before = ppo_losses(actor, critic, batch, 0.2)[1].item()
    update(
        choose_gradients(actor, critic, flat),
        FlatAdam(flat.param, 3e-3),
        batch,
        num_epoch=5,
        batch_size=32,
        beta=1e-3,
        epsilon=0.2,
        generator=torch.Generator().manual_seed(0),
    )
    after = ppo_losses(actor, critic, batch, 0.2)[1].item()
    assert after < before


def test_trainer_updates_when_buffer_exceeds_buffer_size_and_records_stats(tmp_path):
    """The buffer fills past buffer_size, one update runs, the buffer empties, ML-Agents tags are recorded."""
    env = LineTarget(8)
    settings = ppo_options(results_dir=str(tmp_path)).behaviors["Line"]
    trainer = PPOTrainer(env.signature, settings, 8, seed=0)
    batch = env.reset(seed=0)
    while trainer.update_count == 0:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    assert trainer.buffer.size == 0
    stats = trainer.pop_stats()
    for tag in (
        "Losses/Policy Loss",
        "Losses/Value Loss",
        "Policy/Entropy",
        "Policy/Learning Rate",
        "Policy/Epsilon",
        "Policy/Beta",
        "Policy/Extrinsic Value Estimate",
    ):
        assert tag in stats, tag
    assert stats["Policy/Learning Rate"][0] < 3.0e-3  # linear schedule already decayed a bit


def test_shared_critic_puts_value_head_on_actor_body(tmp_path):
    """shared_critic: the critic has only its head as own parameters."""
    env = LineTarget(1)
    settings = ppo_options(results_dir=str(tmp_path), extra={"hyperparameters": {"shared_critic": True}})
    actor, critic = make_networks(env.signature, settings.behaviors["Line"])
    assert sum(p.numel() for p in critic.parameters()) == 32 + 1


def test_state_dict_restores_weights_optimizer_normalizer_and_step(tmp_path):
    """A PPO checkpoint restores flat weights, Adam moments, normalizer statistics, step and RNG."""
    env = LineTarget(8)
    settings = ppo_options(results_dir=str(tmp_path)).behaviors["Line"]
    trainer = PPOTrainer(env.signature, settings, 8, seed=0)
    batch = env.reset(seed=0)
    while trainer.update_count < 2:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    state = trainer.state_dict()
    other = PPOTrainer(env.signature, settings, 8, seed=5)
    other.load_state_dict(state)
    assert other.step == trainer.step and other.update_count == 2
    torch.testing.assert_close(other.flat.param, trainer.flat.param)
    torch.testing.assert_close(other.optimizer.exp_avg_sq, trainer.optimizer.exp_avg_sq)
    assert float(other.optimizer.step_count) == float(trainer.optimizer.step_count) > 0
    assert float(other.actor.normalizer.count) == float(trainer.actor.normalizer.count) > 1
    torch.testing.assert_close(other.critic.normalizer.mean, trainer.critic.normalizer.mean)
    assert torch.equal(
        torch.randperm(50, generator=other.generator), torch.randperm(50, generator=trainer.generator)
    )


def test_load_state_dict_refreshes_fast_actor(tmp_path):
    """A loaded checkpoint's log std reaches the cached acting constants (resumed runs act with it)."""
    env = LineTarget(num_agents=2, seed=0)
    settings = ppo_options(results_dir=str(tmp_path)).behaviors["Line"]
    trainer = PPOTrainer(env.signature, settings, 2, seed=0)
    assert trainer.fast_actor is not None
    state = trainer.state_dict()
    state["Policy"] = {k: v.clone() for k, v in state["Policy"].items()}
    state["Policy"]["log_std"] += 1.0
    trainer.load_state_dict(state)
    torch.testing.assert_close(trainer.fast_actor._consts[1], trainer.actor.log_std.detach().exp())


def test_entropy_is_mean_over_continuous_dims_plus_sum_over_branches():
    """Hybrid actor, log std [0, log 2], uniform branches (3, 2): 1.7655121 + log 3 + log 2 (hand value)."""
    sig = BehaviorSignature("H", (ObservationSpec((2,)),), ActionSpec(2, (3, 2)))
    actor = Actor(sig, 8, 1, normalize=False)
    with torch.no_grad():
        actor.log_std.copy_(torch.tensor([0.0, math.log(2.0)]))
        actor.logits.weight.zero_()
    n = 5
    obs = torch.randn(n, 2)
    _, entropy = actor.evaluate(obs, torch.zeros(n, 2), torch.zeros(n, 2, dtype=torch.long), torch.ones(n, 5))
    expected = 1.7655121 + math.log(3.0) + math.log(2.0)
    torch.testing.assert_close(entropy, torch.full((n,), expected), rtol=1e-6, atol=1e-6)
    sample = actor.act(obs, torch.ones(n, 5))
    torch.testing.assert_close(sample.entropy, torch.full((n,), expected), rtol=1e-6, atol=1e-6)


def test_value_loss_clips_around_the_old_estimates_stored_at_processing(tmp_path):
    """The buffer's old values are the critic's estimates when a trajectory closed (0.5), not the returns."""
    env = LineTarget(3)
    settings = ppo_options(results_dir=str(tmp_path), extra={"time_horizon": 1}).behaviors["Line"]
    trainer = PPOTrainer(env.signature, settings, 3, seed=0)
    trainer.critic = _ConstantCritic()
    obs = np.zeros((3, 2), np.float32)
    trainer.act(_batch(obs, np.zeros(3), np.zeros(3, bool), np.zeros(3, bool), obs))
    trainer.observe(_batch(obs, np.full(3, 2.0), np.ones(3, bool), np.zeros(3, bool), obs))
    trainer._process(trainer._closed)
    size = trainer.buffer.size
    np.testing.assert_allclose(trainer.buffer.values[:size].numpy(), [0.5, 0.5, 0.5])
    np.testing.assert_allclose(trainer.buffer.returns[:size].numpy(), [2.0, 2.0, 2.0])  # r=2, terminated
    # A value of 1.5 moved 1.0 from the old 0.5: the clipped estimate 0.5 + 0.2 has the larger error, 1.3^2.
    _, critic = make_networks(env.signature, settings)
    with torch.no_grad():
        critic.head.weight.zero_()
        critic.head.bias.fill_(1.5)
    b = trainer.buffer
    batch = RolloutBatch(
        b.obs[:size],
        b.continuous[:size],
        b.discrete[:size],
        b.masks[:size],
        b.log_probs[:size],
        b.advantages[:size],
        b.returns[:size],
        b.values[:size],
    )
    _, value_loss, _ = ppo_losses(trainer.actor, critic, batch, epsilon=0.2)
    assert value_loss.item() == pytest.approx(1.3**2, rel=1e-5)


def test_policy_entropy_is_recorded_at_every_decision(tmp_path):
    """Policy/Entropy comes from acting (ML-Agents' AgentProcessor): there before any update, exact value."""
    env = LineTarget(4)
    settings = ppo_options(results_dir=str(tmp_path)).behaviors["Line"]
    trainer = PPOTrainer(env.signature, settings, 4, seed=0)
    batch = env.reset(seed=0)
    for _ in range(3):
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    assert trainer.update_count == 0
    entropies = trainer.pop_stats()["Policy/Entropy"]
    assert entropies == pytest.approx([0.5 * math.log(2 * math.pi * math.e + 1e-7)] * 3, rel=1e-6)


def _indexed_batch(rows: int) -> RolloutBatch:
    """A buffer whose observation column holds each row's index (to see which rows a minibatch took)."""
    index = torch.arange(rows, dtype=torch.float32)
    return RolloutBatch(
        index[:, None],
        torch.zeros(rows, 1),
        torch.zeros(rows, 0, dtype=torch.long),
        torch.ones(rows, 0),
        torch.zeros(rows, 1),
        torch.zeros(rows),
        torch.zeros(rows),
        torch.zeros(rows),
    )


@pytest.mark.parametrize(("length", "expected_rows"), [(1, 10), (4, 8)])
def test_update_loop_takes_whole_minibatches_of_whole_sequences(length, expected_rows):
    """One loop: 40 rows, batch 10 -> 4 minibatches of 10 rows, or 5 of 2 whole 4-step sequences; hooked."""
    seen: list[torch.Tensor] = []

    def gradients(mb, sequences, epsilon, beta):
        assert (sequences is None) == (length == 1)
        if sequences is not None:
            assert torch.equal(sequences.memories[:, 0], mb.obs[:, 0])  # columns permuted with the rows
        seen.append(mb.obs[:, 0].long())
        return torch.ones(3)

    hooks = []
    param = torch.nn.Parameter(torch.zeros(1))
    param.grad = torch.zeros(1)
    batch = _indexed_batch(40)
    sequences = None
    if length > 1:
        sequences = SequenceColumns(torch.ones(40), batch.obs.clone(), torch.zeros(40, 1), length)
    result = update(
        gradients,
        FlatAdam(param, 1e-3),
        batch,
        num_epoch=2,
        batch_size=10,
        beta=0.0,
        epsilon=0.2,
        generator=torch.Generator().manual_seed(0),
        actor_grad_hook=lambda: hooks.append(1),
        sequences=sequences,
    )
    per_epoch = 40 // expected_rows
    assert len(seen) == len(hooks) == 2 * per_epoch
    assert result == {"policy_loss": 1.0, "value_loss": 1.0, "entropy": 1.0}
    for rows in seen:
        assert len(rows) == expected_rows
        starts = rows.reshape(-1, length)
        assert torch.equal(starts - starts[:, :1], torch.arange(length).expand_as(starts))
        assert bool((starts[:, 0] % length == 0).all())
    first_epoch = torch.cat(seen[:per_epoch])
    assert sorted(first_epoch.tolist()) == list(range(40))  # a permutation of the buffer, not the identity
    assert first_epoch.tolist() != list(range(40))


def test_group_rewards_reach_the_extrinsic_signal(tmp_path):
    """A grouped agent learns its own reward plus its group's (upstream's ExtrinsicRewardProvider)."""
    env = LineTarget(2)
    settings = ppo_options(results_dir=str(tmp_path), extra={"time_horizon": 1}).behaviors["Line"]
    trainer = PPOTrainer(env.signature, settings, 2, seed=0)
    trainer.critic = _ConstantCritic()
    obs = np.zeros((2, 2), np.float32)
    trainer.act(_batch(obs, np.zeros(2), np.zeros(2, bool), np.zeros(2, bool), obs))
    ended = np.ones(2, bool)
    grouped = _batch(obs, np.array([1.0, 0.0]), ended, np.zeros(2, bool), obs)._replace(
        group_id=np.array([1, 1], np.int32), group_reward=np.array([2.0, 2.0], np.float32)
    )
    trainer.observe(grouped)
    trainer._process(trainer._closed)
    adv = trainer.buffer.advantages[: trainer.buffer.size].numpy()
    np.testing.assert_allclose(adv, [3 - 0.5, 2 - 0.5], rtol=1e-6)  # terminated: r + group r - V
