"""Behavioral cloning: the loss against hand computations, ML-Agents' annealing and batching, learning."""

from __future__ import annotations

import math

import pytest
import torch

from mlops_unity_pipeline.rl.config import BehavioralCloningSettings
from mlops_unity_pipeline.rl.networks import Actor
from mlops_unity_pipeline.rl.offline.bc import BCModule, bc_loss, fit_bc, minibatch_count
from mlops_unity_pipeline.rl.ppo import PPOTrainer

from .helpers import signature, trainer_settings, transitions


def _actor(continuous: int = 1, branches: tuple[int, ...] = (), *, tanh: bool = False) -> Actor:
    torch.manual_seed(0)
    return Actor(signature(continuous, branches), 16, 1, normalize=False, tanh_squash=tanh)


def test_discrete_loss_is_cross_entropy_of_the_masked_softmax():
    """Two branches: loss = mean over branches of -log softmax(masked logits)[expert action]."""
    actor = _actor(0, (3, 2))
    obs = torch.randn(5, 2)
    data = transitions(obs, discrete=torch.tensor([[0, 1], [2, 0], [1, 1], [0, 0], [2, 1]]), branches=(3, 2))
    data = type(data)(
        **{**data.__dict__, "masks": torch.tensor([[1, 1, 1, 1, 1]] * 4 + [[0, 1, 1, 1, 1]]).float()}
    )
    logits = actor.logits(actor.encoder(obs))
    masked = logits - (1 - data.masks) * 1e8
    ce = 0.0
    for b, (lo, hi) in enumerate(((0, 3), (3, 5))):
        lp = torch.log_softmax(masked[:, lo:hi], dim=1)
        ce = ce - lp.gather(1, data.discrete[:, b : b + 1]).mean()
    torch.testing.assert_close(bc_loss(actor, data), ce / 2)


def test_continuous_loss_compares_in_environment_space():
    """With a tiny std the PPO loss is MSE(mean / 3, a); a SAC actor's is MSE(tanh(mean), a)."""
    obs = torch.randn(6, 2)
    target = torch.rand(6, 1) * 2 - 1
    data = transitions(obs, continuous=target)
    ppo = _actor()
    with torch.no_grad():
        ppo.log_std.fill_(-20.0)
    mean = ppo.mu(ppo.encoder(obs))
    torch.testing.assert_close(bc_loss(ppo, data), torch.mean((mean / 3 - target) ** 2), rtol=1e-4, atol=1e-6)
    sac = _actor(tanh=True)
    with torch.no_grad():
        sac.log_std_head.bias.fill_(-20.0)
        sac.log_std_head.weight.zero_()
    mean = sac.mu(sac.encoder(obs))
    torch.testing.assert_close(
        bc_loss(sac, data), torch.mean((torch.tanh(mean) - target) ** 2), rtol=1e-4, atol=1e-6
    )


@pytest.mark.parametrize(
    ("size", "batch", "samples", "expected"),
    [(100, 32, 0, (32, 3)), (100, 32, 64, (32, 2)), (100, 32, 10, (32, 1)), (20, 64, 0, (20, 1))],
)
def test_minibatch_count(size, batch, samples, expected):
    """Batches per pass: all rows by default, capped by samples_per_update, batch capped at the data size."""
    assert minibatch_count(size, batch, samples) == expected


def _module(steps: int = 0, strength: float = 0.5, **kw) -> tuple[BCModule, Actor]:
    actor = _actor(0, (3,))
    obs = torch.randn(64, 2)
    data = transitions(obs, discrete=(obs[:, :1] > 0).long() * 2, branches=(3,))
    settings = BehavioralCloningSettings(demo_path="x.demo", steps=steps, strength=strength, **kw)
    module = BCModule(
        actor,
        settings,
        data,
        learning_rate=1e-2,
        default_batch_size=16,
        default_num_epoch=2,
        generator=torch.Generator().manual_seed(0),
    )
    return module, actor


def test_strength_scales_the_learning_rate_and_anneals_linearly_to_zero():
    """lr = strength * lr, linear to 0 over `steps`; once annealed the update does nothing."""
    module, actor = _module(steps=1000)
    assert module.learning_rate(0) == pytest.approx(5e-3)
    assert module.learning_rate(500) == pytest.approx(2.5e-3)
    before = [p.detach().clone() for p in actor.parameters()]
    stats = module.update(1000)
    assert stats.minibatches == 0 and stats.loss == 0.0
    assert all(torch.equal(a, b) for a, b in zip(before, actor.parameters(), strict=True))


def test_steps_zero_keeps_strength_constant():
    """steps: 0 means no annealing (ML-Agents constant schedule)."""
    module, _ = _module(steps=0)
    assert module.learning_rate(10**9) == pytest.approx(5e-3)


def test_update_batches_follow_num_epoch_and_samples_per_update():
    """Defaults: 2 epochs x 64/16 batches; samples_per_update 32 -> 2 epochs x 2; explicit num_epoch 1."""
    assert _module()[0].update(0).minibatches == 8
    assert _module(samples_per_update=32)[0].update(0).minibatches == 4
    assert _module(num_epoch=1, batch_size=64)[0].update(0).minibatches == 1


def test_updates_learn_the_demonstrated_actions():
    """Repeated BC updates drive the discrete loss from ~log 3 to near 0."""
    module, _ = _module(strength=1.0)
    first = module.update(0).loss
    for _ in range(30):
        last = module.update(0).loss
    assert first > 0.8 * math.log(3) and last < 0.1


def test_bc_on_ppo_flat_parameters_keeps_gradient_views():
    """BC on a PPOTrainer's actor moves its flat parameter tensor and leaves gradient views attached."""
    settings = trainer_settings()
    trainer = PPOTrainer(signature(1), settings, num_agents=2, seed=0)
    flat_before = trainer.flat.param.detach().clone()
    data = transitions(torch.randn(40, 2), continuous=torch.full((40, 1), 0.5))
    module = BCModule(
        trainer.actor,
        BehavioralCloningSettings(demo_path="x.demo"),
        data,
        learning_rate=1e-3,
        default_batch_size=16,
        default_num_epoch=1,
        generator=torch.Generator().manual_seed(0),
    )
    module.update(0)
    assert not torch.equal(flat_before, trainer.flat.param.detach())
    for p in trainer.flat.params:
        assert p.grad is not None
        assert p.grad.untyped_storage().data_ptr() == trainer.flat.param.grad.untyped_storage().data_ptr()
    assert float(trainer.flat.param.grad.abs().sum()) == 0.0


def test_fit_bc_reduces_continuous_error():
    """Offline BC fits a linear expert a = 0.8 * tanh(x0) in env space."""
    torch.manual_seed(0)
    obs = torch.randn(256, 2)
    target = 0.8 * torch.tanh(obs[:, :1])
    actor = _actor()
    data = transitions(obs, continuous=target)
    losses = fit_bc(
        actor,
        data,
        updates=400,
        batch_size=64,
        learning_rate=3e-3,
        generator=torch.Generator().manual_seed(0),
    )
    assert losses[-1] < 0.3 * losses[0]
    with torch.no_grad():
        mean = actor.mu(actor.encoder(obs)) / 3
    assert float(torch.mean((mean - target) ** 2)) < 0.02
