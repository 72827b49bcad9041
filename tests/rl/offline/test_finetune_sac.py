"""SAC fine-tuning from a pretrained policy: floored KL, reference entropy, scaled anchor, entropy target."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from mlops_unity_pipeline.rl.config import BehavioralCloningSettings
from mlops_unity_pipeline.rl.networks import Actor
from mlops_unity_pipeline.rl.offline.bc import BCModule
from mlops_unity_pipeline.rl.offline.finetune import FineTuneConfig, FineTuneGuard, Phase, policy_kl
from mlops_unity_pipeline.rl.sac import FINE_TUNE_MIN_LOG_STD, SACTrainer

from .helpers import signature, transitions
from .test_finetune_guard import _batch, _pretrained


def _sac_actor(continuous: int = 2, branches: tuple[int, ...] = (), log_std: float = -13.0) -> Actor:
    """A tanh actor whose mean is 0 and whose log std is ``log_std`` everywhere."""
    actor = Actor(signature(continuous, branches), 16, 1, normalize=False, tanh_squash=True)
    with torch.no_grad():
        if actor.mu is not None:
            actor.mu.weight.zero_()
            actor.mu.bias.zero_()
            actor.log_std_head.weight.zero_()
            actor.log_std_head.bias.fill_(log_std)
    return actor


def _guard(actor: Actor, **config) -> FineTuneGuard:
    defaults = {"warmup_steps": 4, "min_episodes": 4, "anchor_batch": 8}
    return FineTuneGuard(actor, FineTuneConfig(**{**defaults, **config}), torch.Generator().manual_seed(0))


def test_floored_kl_stays_finite_for_a_near_deterministic_reference():
    """With a reference std of e^-13 a 0.01 mean shift costs ~10^7 nats; floored at log 0.05 it is the
    closed form at std 0.05."""
    ref, cur = _sac_actor(), _sac_actor()
    with torch.no_grad():
        cur.mu.bias.fill_(0.01)
    obs = torch.randn(6, 2)
    assert float(policy_kl(ref, cur, obs).detach()) > 1e7
    floored = float(policy_kl(ref, cur, obs, min_log_std=math.log(0.05)).detach())
    assert floored == pytest.approx(2 * 0.01**2 / (2 * 0.05**2), rel=1e-4)


def test_reference_entropy_matches_closed_forms():
    """Continuous: a narrow tanh-Gaussian at 0 has the Gaussian entropy; discrete: the categorical entropy."""
    guard = _guard(_sac_actor(log_std=math.log(0.01)))
    guard.observe(
        np.random.default_rng(0).normal(size=(32, 2)).astype(np.float32),
        None,
        np.zeros(32),
        np.zeros(32, bool),
    )
    gaussian = 2 * (0.5 * math.log(2 * math.pi * math.e) + math.log(0.01))
    assert float(guard.reference_entropy()[0]) == pytest.approx(gaussian, abs=0.15)  # Monte-Carlo, 512 draws
    discrete = Actor(signature(0, (3, 2)), 16, 1, normalize=False)
    guard = _guard(discrete)
    assert guard.reference_entropy() is None  # no state seen yet
    obs = np.random.default_rng(1).normal(size=(8, 2)).astype(np.float32)
    guard.observe(obs, np.ones((8, 5), np.float32), np.zeros(8), np.zeros(8, bool))
    _, _, branch_lp = discrete.heads(torch.from_numpy(obs))
    by_hand = torch.stack([-(lp.exp() * lp).sum(-1).mean() for lp in branch_lp])
    torch.testing.assert_close(guard.reference_entropy(), by_hand.detach())


def test_anchor_gradient_scales_with_the_actor_loss_unit():
    """``adjust_actor_gradients(scale=s)`` adds exactly s times the unscaled anchor gradient."""
    grads = []
    for scale in (1.0, 7.0):
        torch.manual_seed(0)
        actor = _sac_actor(log_std=-1.0)
        guard = _guard(actor)
        guard.observe(np.ones((4, 2), np.float32), None, np.ones(4), np.ones(4, bool))
        guard.before_update()
        assert guard.phase is Phase.ANCHORED
        with torch.no_grad():
            actor.mu.bias.add_(0.3)
        for p in actor.parameters():
            p.grad = torch.zeros_like(p)
        guard.adjust_actor_gradients(scale=scale)
        grads.append(actor.mu.bias.grad.clone())
    torch.testing.assert_close(grads[1], 7.0 * grads[0])
    assert float(grads[0].abs().sum()) > 0


def test_sac_holds_the_entropy_coefficient_then_aims_at_the_pretrained_entropy(tmp_path):
    """During warm-up SAC's entropy coefficient does not move; then its target is min(default, pretrained)."""
    sig, settings, state = _pretrained(tmp_path, "sac")
    trainer = SACTrainer(sig, settings, num_agents=4, seed=0)
    trainer.load_state_dict(state, weights_only=True)
    assert trainer.finetune is not None
    config = trainer.finetune.config
    assert (config.kl_min_log_std, config.reverse_kl, config.hold_normalizer, config.kl_free_narrowing) == (
        FINE_TUNE_MIN_LOG_STD,
        True,
        True,
        True,
    )
    trainer.finetune.config = FineTuneConfig(warmup_steps=400, min_episodes=4)
    default = trainer.target_entropy.clone()
    alpha = trainer.log_alpha.detach().clone()
    rng = np.random.default_rng(0)
    batch = _batch(4, rng, False)
    for i in range(90):  # 360 steps: still warming up
        trainer.act(batch)
        batch = _batch(4, rng, done=i % 5 == 4)
        trainer.observe(batch)
    assert trainer.update_count > 0 and trainer.finetune.actor_frozen
    torch.testing.assert_close(trainer.log_alpha.detach(), alpha)
    for _ in range(20):
        trainer.act(batch)
        batch = _batch(4, rng, False)
        trainer.observe(batch)
    assert trainer.finetune.phase is Phase.ANCHORED
    assert not torch.equal(trainer.log_alpha.detach(), alpha)
    reference = trainer.finetune.reference_entropy()
    assert reference is not None
    torch.testing.assert_close(trainer.target_entropy, torch.minimum(default, reference), atol=0.2, rtol=0)
    resumed = SACTrainer(sig, settings, num_agents=4, seed=0)
    resumed.load_state_dict(trainer.state_dict())
    resumed.act(batch)
    resumed.observe(_batch(4, rng, False))
    torch.testing.assert_close(resumed.target_entropy, trainer.target_entropy)  # --resume keeps the target


def test_sac_behavioral_cloning_leaves_the_log_std_to_sac():
    """SAC's BC moves the mean only (a sampled MSE drives the state-dependent std to its floor); PPO's
    samples, as ML-Agents."""
    data = transitions(torch.randn(64, 2), continuous=torch.full((64, 1), 0.5))
    settings = BehavioralCloningSettings(demo_path="x.demo")
    for tanh in (True, False):
        torch.manual_seed(0)
        actor = Actor(signature(1), 16, 1, normalize=False, tanh_squash=tanh)
        std_param = actor.log_std_head.bias if tanh else actor.log_std
        before = std_param.detach().clone()
        mean_before = actor.mu.bias.detach().clone()
        module = BCModule(
            actor,
            settings,
            data,
            learning_rate=1e-2,
            default_batch_size=16,
            default_num_epoch=2,
            generator=torch.Generator().manual_seed(0),
        )
        assert module.update(0).minibatches > 0
        assert not torch.equal(actor.mu.bias.detach(), mean_before)
        assert torch.equal(std_param.detach(), before) is tanh


def test_reverse_kl_matches_the_closed_form_and_costs_width_quadratically():
    """KL(cur || ref) by hand; a std 10x the reference's costs far more than under the forward KL."""
    ref, cur = _sac_actor(log_std=math.log(0.1)), _sac_actor(log_std=math.log(1.0))
    with torch.no_grad():
        cur.mu.bias.fill_(0.2)
    obs = torch.randn(5, 2)
    # per dim: log(0.1 / 1) + (1 + 0.04) / (2 * 0.01) - 0.5, two dims
    expected = 2 * (math.log(0.1) + 1.04 / 0.02 - 0.5)
    reverse = float(policy_kl(ref, cur, obs, reverse=True).detach())
    assert reverse == pytest.approx(expected, rel=1e-5)
    assert reverse > 10 * float(policy_kl(ref, cur, obs).detach())
    discrete_ref, discrete_cur = (Actor(signature(0, (3,)), 16, 1, normalize=False) for _ in range(2))
    mask = torch.tensor([[1.0, 0.0, 1.0]]).expand(5, 3)
    _, _, lp0 = discrete_ref.heads(obs, mask)
    _, _, lp1 = discrete_cur.heads(obs, mask)
    keep = [0, 2]
    by_hand = (lp1[0].exp()[:, keep] * (lp1[0][:, keep] - lp0[0][:, keep])).sum(-1).mean()
    got = policy_kl(discrete_ref, discrete_cur, obs, mask, reverse=True)
    assert float(got.detach()) == pytest.approx(float(by_hand.detach()), rel=1e-5)


def test_free_narrowing_charges_a_narrower_std_nothing_and_the_rest_as_before():
    """With free_narrowing a narrower std costs 0 (no gradient), a wider one and a mean shift as before."""
    ref = _sac_actor(log_std=math.log(0.5))
    narrow, wide = _sac_actor(log_std=math.log(0.1)), _sac_actor(log_std=math.log(1.0))
    obs = torch.randn(5, 2)
    for reverse in (False, True):
        assert float(policy_kl(ref, narrow, obs, reverse=reverse).detach()) > 0.5  # charged without it
        kl = policy_kl(ref, narrow, obs, reverse=reverse, free_narrowing=True)
        assert float(kl.detach()) == pytest.approx(0.0, abs=1e-6)
        kl.backward()
        assert float(narrow.log_std_head.bias.grad.abs().sum()) == 0.0
        narrow.zero_grad()
        plain = float(policy_kl(ref, wide, obs, reverse=reverse).detach())
        assert float(policy_kl(ref, wide, obs, reverse=reverse, free_narrowing=True).detach()) == plain
    with torch.no_grad():
        narrow.mu.bias.fill_(0.25)
    # A mean shift of half the reference's std, measured at the reference's std: 0.125 nats per dim.
    shifted = float(policy_kl(ref, narrow, obs, reverse=True, free_narrowing=True).detach())
    assert shifted == pytest.approx(2 * 0.25**2 / (2 * 0.25), rel=1e-5)


def test_trust_region_with_free_narrowing_leaves_a_narrowed_actor_alone():
    """An actor that only narrowed its std stays bit-identical in a tight region; a shifted mean is pulled."""
    actor = _sac_actor(log_std=math.log(0.5))
    guard = _anchored(actor, kl_bound=0.01, reverse_kl=True, kl_free_narrowing=True)
    with torch.no_grad():
        actor.log_std_head.bias.fill_(math.log(0.05))
    before = [p.detach().clone() for p in actor.parameters()]
    assert guard.project() == 0.0
    assert all(torch.equal(a, b) for a, b in zip(before, actor.parameters(), strict=True))
    with torch.no_grad():
        actor.mu.bias.fill_(0.5)
    assert guard.project() > 0.0


def test_hold_normalizer_keeps_the_pretrained_statistics_while_anchored():
    """With ``hold_normalizer`` the actor normalizer is reset to the pretrained one after the warm-up too."""
    actor = Actor(signature(1), 16, 1, normalize=True, tanh_squash=True)
    actor.normalizer.update(torch.randn(32, 2))
    pretrained = {k: v.clone() for k, v in actor.normalizer.state_dict().items()}
    for hold in (True, False):
        actor.normalizer.load_state_dict(pretrained)
        guard = _guard(actor, hold_normalizer=hold)
        guard.observe(np.ones((4, 2), np.float32), None, np.ones(4), np.ones(4, bool))
        guard.before_update()
        assert guard.phase is Phase.ANCHORED
        actor.normalizer.update(torch.randn(64, 2) * 5 + 3)
        guard.before_update()
        held = all(torch.equal(v, pretrained[k]) for k, v in actor.normalizer.state_dict().items())
        assert held is hold


def _anchored(actor: Actor, **config) -> FineTuneGuard:
    """A guard past its warm-up (level 1) whose anchor pool holds a few states."""
    guard = _guard(actor, **config)
    guard.observe(np.ones((4, 2), np.float32), None, np.ones(4), np.ones(4, bool))
    guard.before_update()
    assert guard.phase is Phase.ANCHORED
    return guard


def test_trust_region_pulls_the_actor_back_inside_the_bound():
    """A mean shifted by 1 at std 0.05 (KL 400) ends inside the bound, on the line to the reference."""
    actor = _sac_actor(log_std=math.log(0.05))
    guard = _anchored(actor, kl_bound=0.5, reverse_kl=True, kl_min_log_std=FINE_TUNE_MIN_LOG_STD)
    with torch.no_grad():
        actor.mu.bias.fill_(1.0)
    obs = torch.zeros(1, 2)
    before = float(policy_kl(guard.reference, actor, obs, reverse=True).detach())
    assert before == pytest.approx(400.0, rel=1e-4)
    pull = guard.project()
    kl = float(policy_kl(guard.reference, actor, obs, reverse=True).detach())
    assert 0.5 / 4.1 <= kl <= 0.5 * 1.0001
    shift = actor.mu.bias.detach()
    assert torch.allclose(shift, shift[0].expand_as(shift)) and 0 < float(shift[0]) < 1
    assert pull == pytest.approx(1.0 - float(shift[0]), abs=1e-6)
    assert guard.before_update()["Policy/Trust Region Pull"] == pytest.approx(pull)


def test_trust_region_leaves_an_actor_inside_it_and_narrows_with_the_weight():
    """Inside the bound nothing moves; a doubled weight halves the bound; no bound or warm-up: no-op."""
    actor = _sac_actor(log_std=math.log(0.05))
    guard = _anchored(actor, kl_bound=1.0, reverse_kl=True)
    with torch.no_grad():
        actor.mu.bias.fill_(0.05)  # KL 2 * 0.05^2 / (2 * 0.05^2) = 1.0 minus float error: inside
        actor.mu.bias.mul_(0.99)
    before = actor.mu.bias.detach().clone()
    assert guard.project() == 0.0
    assert torch.equal(actor.mu.bias.detach(), before)
    guard.weight = 2.0 * guard.config.initial_weight  # regression evidence: the bound halves to 0.5
    assert guard.project() > 0
    assert float(policy_kl(guard.reference, actor, torch.zeros(1, 2), reverse=True).detach()) <= 0.5 * 1.0001
    for other in (_anchored(_sac_actor(), kl_bound=None), _guard(_sac_actor(), kl_bound=0.1)):
        with torch.no_grad():
            other.actor.mu.bias.fill_(1.0)
        assert other.project() == 0.0
        assert float(other.actor.mu.bias[0].detach()) == 1.0
    with pytest.raises(Exception, match="kl_bound"):
        FineTuneConfig(kl_bound=0.0)


def test_sac_fine_tuning_keeps_the_actor_inside_its_trust_region(tmp_path):
    """SAC's guard has a trust region, and after every update round the actor is inside it."""
    sig, settings, state = _pretrained(tmp_path, "sac")
    trainer = SACTrainer(sig, settings, num_agents=4, seed=0)
    trainer.load_state_dict(state, weights_only=True)
    assert trainer.finetune is not None and trainer.finetune.config.kl_bound is not None
    bound = 1e-4  # tight, so the SAC and BC steps do leave it
    trainer.finetune.config = FineTuneConfig(
        warmup_steps=40,
        min_episodes=4,
        kl_bound=bound,
        reverse_kl=True,
        kl_min_log_std=FINE_TUNE_MIN_LOG_STD,
    )
    rng = np.random.default_rng(0)
    batch = _batch(4, rng, True)
    pulls = []
    for i in range(60):
        trainer.act(batch)
        batch = _batch(4, rng, done=i % 5 == 4)
        trainer.observe(batch)
        pulls.extend(trainer.finetune._pulls)
        if trainer.finetune.phase is Phase.ANCHORED:
            guard = trainer.finetune
            obs = guard._pool[: guard._pool_size]
            kl = policy_kl(guard.reference, trainer.actor, obs, None, FINE_TUNE_MIN_LOG_STD, True)
            assert float(kl.detach()) <= 3 * bound  # all recent states; the check uses a draw of them
    assert trainer.finetune.phase is Phase.ANCHORED and max(pulls) > 0
