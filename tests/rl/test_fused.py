"""Hand-written PPO gradients equal autograd's on ppo_losses; flat parameters stay wired to the modules."""

from __future__ import annotations

import pytest
import torch

from mlops_unity_pipeline.rl import fused
from mlops_unity_pipeline.rl.fused import FusedPPO
from mlops_unity_pipeline.rl.networks import Actor, Critic, SharedCritic
from mlops_unity_pipeline.rl.optim import FlatAdam, FlatParameters
from mlops_unity_pipeline.rl.ppo import (
    AutogradGradients,
    FusedGradients,
    RolloutBatch,
    choose_gradients,
    ppo_losses,
    update,
)
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec


def _setup(spec: ActionSpec, layers: int = 2, seed: int = 0, log_std_shift: float = 0.0):
    torch.manual_seed(seed)
    sig = BehaviorSignature("T", (ObservationSpec((5,)),), spec)
    actor = Actor(sig, 16, layers, normalize=True)
    critic = Critic(actor.obs_size, 16, layers, normalize=True)
    if actor.log_std is not None:
        with torch.no_grad():
            actor.log_std.copy_(torch.randn_like(actor.log_std) * 0.3 + log_std_shift)
    flat = FlatParameters([actor, critic])
    n = 48
    obs = torch.randn(n, 5)
    cont = torch.randn(n, spec.continuous_size)
    masks = torch.ones(n, spec.mask_size)
    if spec.mask_size:
        masks[::3, 1] = 0.0  # some actions masked
    disc = (
        torch.stack([torch.randint(0, b, (n,)) for b in spec.discrete_branches], 1)
        if spec.is_discrete
        else torch.zeros(n, 0, dtype=torch.long)
    )
    if spec.mask_size:
        disc[::3, 0] = torch.where(disc[::3, 0] == 1, 0, disc[::3, 0])  # never a masked action
    with torch.no_grad():
        lp, _ = actor.evaluate(obs, cont, disc, masks)
    # Perturb old log-probs so some ratios fall outside the clip range; old values so some values clip.
    old_lp = lp + torch.randn_like(lp) * 0.3
    batch = RolloutBatch(obs, cont, disc, masks, old_lp, torch.randn(n), torch.randn(n), torch.randn(n) * 0.3)
    return actor, critic, flat, batch


@pytest.mark.parametrize(
    ("spec", "layers"),
    [(ActionSpec(2), 2), (ActionSpec(0, (3, 2)), 2), (ActionSpec(1, (3,)), 1), (ActionSpec(3), 3)],
    ids=["continuous", "discrete-masked", "hybrid-1-layer", "continuous-3-layers"],
)
def test_fused_gradients_equal_autograd(spec, layers):
    """Every parameter's gradient and the three losses match autograd on policy + 0.5 value - beta entropy."""
    actor, critic, flat, batch = _setup(spec, layers)
    beta, eps = 0.01, 0.2
    flat.zero_grad()
    p, v, e = ppo_losses(actor, critic, batch, eps)
    (p + 0.5 * v - beta * e).backward()
    expected = flat.param.grad.clone()
    flat.param.grad.fill_(123.0)  # the fused path must overwrite, not accumulate
    losses = FusedPPO(actor, critic).step(*batch, epsilon=eps, beta=beta)
    torch.testing.assert_close(flat.param.grad, expected, rtol=1e-4, atol=1e-6)
    torch.testing.assert_close(
        losses, torch.stack([p.detach(), v.detach(), e.detach()]), rtol=1e-5, atol=1e-6
    )


def test_fused_entropy_gradient_matches_autograd_where_the_epsilon_matters():
    """sigma^2 * 2 pi e near ML-Agents' 1e-7 (log std ~ -9): the entropy gradient still equals autograd's."""
    actor, critic, flat, batch = _setup(ActionSpec(3), log_std_shift=-9.0)
    beta = 0.5
    flat.zero_grad()
    p, v, e = ppo_losses(actor, critic, batch, 0.2)
    (p + 0.5 * v - beta * e).backward()
    expected = actor.log_std.grad.clone()
    FusedPPO(actor, critic).step(*batch, epsilon=0.2, beta=beta)
    torch.testing.assert_close(actor.log_std.grad, expected, rtol=1e-4, atol=1e-6)
    spread = 2 * torch.pi * torch.e * torch.exp(2 * actor.log_std.detach())
    entropy_part = beta * spread / (spread + 1e-7) / 3  # d(beta * mean_i 0.5 log(spread_i + eps))/d log_std_i
    assert float(entropy_part.min()) < 0.9 * beta / 3  # the epsilon visibly damps the entropy push here


def test_flat_parameters_are_views_of_one_tensor():
    """Changing the flat tensor changes module weights (and vice versa through load_state_dict)."""
    actor, critic, flat, _ = _setup(ActionSpec(2))
    with torch.no_grad():
        flat.param.add_(1.0)
    assert actor.mu.weight.data_ptr() >= flat.param.data_ptr()
    state = {k: torch.zeros_like(v) for k, v in critic.state_dict().items()}
    critic.load_state_dict(state)
    assert flat.param.abs().sum().item() > 0 and critic.head.weight.abs().sum().item() == 0
    assert sum(p.numel() for p in [*actor.parameters(), *critic.parameters()]) == flat.param.numel()


def test_fused_and_autograd_updates_train_identically():
    """A full update through each gradient strategy from the same start ends at the same weights."""
    results = []
    for strategy in (FusedGradients, AutogradGradients):
        actor, critic, flat, batch = _setup(ActionSpec(2))
        gradients = (
            strategy(actor, critic, flat) if strategy is AutogradGradients else strategy(actor, critic)
        )
        update(
            gradients,
            FlatAdam(flat.param, 1e-3),
            batch,
            num_epoch=2,
            batch_size=16,
            beta=1e-3,
            epsilon=0.2,
            generator=torch.Generator().manual_seed(0),
        )
        results.append(flat.param.detach().clone())
    torch.testing.assert_close(results[0], results[1], rtol=1e-4, atol=1e-5)


def test_the_strategy_is_chosen_from_the_networks():
    """choose_gradients: fused for an MLP actor with a separate critic, autograd for a shared critic."""
    actor, critic, flat, _ = _setup(ActionSpec(2))
    assert isinstance(choose_gradients(actor, critic, flat), FusedGradients)
    shared = SharedCritic(actor)
    assert isinstance(choose_gradients(actor, shared, FlatParameters([actor, shared])), AutogradGradients)


def test_public_silu_formulations_equal_the_private_ops():
    """The fallbacks used when a torch build lacks the private ops compute the same values."""
    pre, grad = torch.randn(64, 16) * 3, torch.randn(64, 16)
    private = torch.ops.aten.silu_backward(grad, pre)
    torch.testing.assert_close(fused.silu_backward_reference(grad, pre), private, rtol=1e-5, atol=1e-6)
    x = torch.randn(64, 16)
    torch.testing.assert_close(fused.silu_inplace_reference(x.clone()), torch._C._nn.silu_(x.clone()))


def test_private_op_falls_back_when_the_build_lacks_it():
    """A missing private op (AttributeError/RuntimeError on lookup, or not callable) yields the fallback."""

    def missing():
        raise AttributeError("no such op")

    def unregistered():
        raise RuntimeError("No such operator aten::silu_backward")

    fallback = fused.silu_backward_reference
    assert fused.private_op(missing, fallback) is fallback
    assert fused.private_op(unregistered, fallback) is fallback
    assert fused.private_op(lambda: None, fallback) is fallback
    assert fused.private_op(lambda: torch.sigmoid, fallback) is torch.sigmoid


def test_fused_gradients_with_the_public_fallbacks_equal_autograd(monkeypatch):
    """Without the private ops (fallbacks patched in) the hand-written gradients still equal autograd's."""
    monkeypatch.setattr(fused, "_silu_backward", fused.silu_backward_reference)
    monkeypatch.setattr(fused, "_silu_", fused.silu_inplace_reference)
    actor, critic, flat, batch = _setup(ActionSpec(1, (3,)))
    flat.zero_grad()
    p, v, e = ppo_losses(actor, critic, batch, 0.2)
    (p + 0.5 * v - 0.01 * e).backward()
    expected = flat.param.grad.clone()
    FusedPPO(actor, critic).step(*batch, epsilon=0.2, beta=0.01)
    torch.testing.assert_close(flat.param.grad, expected, rtol=1e-4, atol=1e-6)


def test_shared_critic_is_not_fused():
    """shared_critic falls back to autograd (FusedPPO.supports is False)."""
    actor, _, _, _ = _setup(ActionSpec(2))
    assert not FusedPPO.supports(actor, SharedCritic(actor))


def test_fast_actor_matches_actor_act():
    """The lean acting path gives the same means and log-probabilities as Actor.act/evaluate."""
    from mlops_unity_pipeline.rl.fused import FastGaussianActor

    actor, _, _, _ = _setup(ActionSpec(2))
    actor.normalizer.update(torch.randn(100, 5) * 2 + 1)
    fast = FastGaussianActor(actor)
    obs = torch.randn(32, 5) * 3
    raw, log_prob = fast.act(obs, torch.Generator().manual_seed(0))
    expected_lp, _ = actor.evaluate(obs, raw, torch.zeros(32, 0, dtype=torch.long), None)
    torch.testing.assert_close(log_prob, expected_lp.detach(), rtol=1e-5, atol=1e-5)
    with torch.no_grad():
        mean = actor.heads(obs)[0]
    eps = (raw - mean) / actor.log_std.detach().exp()
    assert eps.abs().max() < 6 and eps.std() > 0.5  # a genuine standard-normal draw around the mean
    assert not FastGaussianActor.supports(
        Actor(BehaviorSignature("D", (ObservationSpec((2,)),), ActionSpec(0, (2,))), 8, 1, False)
    )


def test_fast_actor_refresh_follows_new_weights_and_statistics():
    """After the log std and normalizer change, refresh() makes act use them (the trainer calls it)."""
    from mlops_unity_pipeline.rl.fused import FastGaussianActor

    actor, _, _, _ = _setup(ActionSpec(2))
    fast = FastGaussianActor(actor)
    obs = torch.randn(16, 5) * 3
    with torch.no_grad():
        actor.log_std.add_(0.7)
    actor.normalizer.update(torch.randn(50, 5) * 4 - 2)
    fast.refresh()
    raw, log_prob = fast.act(obs, torch.Generator().manual_seed(1))
    expected_lp, _ = actor.evaluate(obs, raw, torch.zeros(16, 0, dtype=torch.long), None)
    torch.testing.assert_close(log_prob, expected_lp.detach(), rtol=1e-5, atol=1e-5)
