"""The lean PPO update path: flat parameters, hand-written backward, one fused Adam step per minibatch.

With ML-Agents' 3DBall hyperparameters (``batch_size`` 64, ``buffer_size`` 12000, 3 epochs) an update is ~560
tiny minibatches, and autograd's per-operation bookkeeping, not arithmetic, dominates their cost. This module
computes the exact gradients of ``ppo.ppo_losses`` (``policy_loss + 0.5 * value_loss - beta * entropy``) by
hand with a few dozen dense ops, writes them straight into one flat gradient buffer, and steps one fused Adam
over one flat parameter tensor. ``tests/rl/test_fused.py`` checks the gradients against autograd.
The actor's and critic's parameters live in one ``optim.FlatParameters`` (the modules keep working unchanged:
their parameters are views into it), so the same optimizer state serves this path and autograd's.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from .distributions import ENTROPY_EPS, HALF_LOG_2PI, MASK_FILL, TWO_PI_E, continuous_entropy
from .networks import MLP, Actor, Critic
from .normalizer import CLIP

OpFn = Callable[..., torch.Tensor]
"""A tensor op such as ``silu_backward(grad, pre)`` or ``silu_(x)``."""


def silu_backward_reference(grad: torch.Tensor, pre: torch.Tensor) -> torch.Tensor:
    """Gradient of ``silu(pre)`` times ``grad`` by public ops: ``grad * s * (1 + pre * (1 - s))``, s sigmoid.

    Args:
        grad: gradient with respect to the activation's output.
        pre: the activation's input.

    Returns:
        Gradient with respect to ``pre``.

    """
    sig = torch.sigmoid(pre)
    return grad * sig * (1.0 + pre * (1.0 - sig))


def silu_inplace_reference(x: torch.Tensor) -> torch.Tensor:
    """``silu`` in place through the public functional API (what ``torch._C._nn.silu_`` is called by)."""
    return torch.nn.functional.silu(x, inplace=True)


def private_op(resolve: Callable[[], OpFn], fallback: OpFn) -> OpFn:
    """Return the private torch op ``resolve()`` finds, else ``fallback`` (its public formulation).

    Private entry points skip the public wrappers' Python dispatch, costly at ~560 minibatches an update,
    but they are not API: a torch build without one must still train (as ``optim.FlatAdam`` does without
    ``torch._fused_adam_``).

    Args:
        resolve: looks the op up (raises ``AttributeError`` or ``RuntimeError`` when this build lacks it).
        fallback: the same computation through public ops.

    Returns:
        The op to call.

    """
    try:
        op = resolve()
    except (AttributeError, RuntimeError):
        return fallback
    return op if callable(op) else fallback


_silu_backward = private_op(lambda: torch.ops.aten.silu_backward, silu_backward_reference)
_silu_ = private_op(lambda: torch._C._nn.silu_, silu_inplace_reference)


class _Layer:
    """Cached tensors of one ``nn.Linear``: weight, its transpose view, bias, and their gradient views.

    Every tensor here is a view into the flat parameter/gradient storage, so in-place optimizer steps show
    through without re-reading module attributes (``nn.Module.__getattr__`` is slow on a hot path).
    """

    __slots__ = ("weight", "weight_t", "bias", "grad_weight", "grad_bias")

    def __init__(self, linear: nn.Linear) -> None:
        self.weight = linear.weight.data
        self.weight_t = linear.weight.data.t()
        self.bias = linear.bias.data
        self.grad_weight = linear.weight.grad
        self.grad_bias = linear.bias.grad


def _layers(mlp_layers: nn.Sequential) -> list[_Layer]:
    return [_Layer(m) for m in mlp_layers if isinstance(m, nn.Linear)]


def _forward(layers: list[_Layer], x: torch.Tensor) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    inputs, pre = [], []
    h = x
    for layer in layers:
        inputs.append(h)
        z = torch.addmm(layer.bias, h, layer.weight_t)
        pre.append(z)
        h = torch.nn.functional.silu(z)
    inputs.append(h)
    return inputs, pre


def _backward(
    layers: list[_Layer], inputs: list[torch.Tensor], pre: list[torch.Tensor], dh: torch.Tensor
) -> None:
    for i in range(len(layers) - 1, -1, -1):
        layer = layers[i]
        dz = _silu_backward(dh, pre[i])
        torch.mm(dz.t(), inputs[i], out=layer.grad_weight)
        torch.sum(dz, 0, out=layer.grad_bias)
        if i:
            dh = torch.mm(dz, layer.weight)


class FusedPPO:
    """Exact PPO minibatch gradients without autograd, for an ``Actor`` and a separate ``Critic``.

    Both networks' parameters must live in an ``optim.FlatParameters`` (their ``.grad`` views are written).

    Args:
        actor: the PPO actor (state-independent log std; any mix of continuous and discrete actions).
        critic: a separate ``Critic`` (``shared_critic`` uses the autograd path).

    """

    def __init__(self, actor: Actor, critic: Critic) -> None:
        self.branches = list(actor.branches)
        self.n_cont = actor.continuous_size
        self.a_layers = _layers(actor.encoder.body.layers)
        self.c_layers = _layers(critic.encoder.body.layers)
        self.mu = _Layer(actor.mu) if actor.mu is not None else None
        self.logits = _Layer(actor.logits) if actor.logits is not None else None
        self.head = _Layer(critic.head)
        self.log_std = actor.log_std.data if actor.log_std is not None else None
        self.grad_log_std = actor.log_std.grad if actor.log_std is not None else None

    @staticmethod
    def supports(actor: nn.Module, critic: nn.Module) -> bool:
        """Tell whether this path applies: a PPO ``Actor`` (no tanh) and a separate one-head ``Critic``."""
        return (
            isinstance(actor, Actor)
            and actor.memory is None  # recurrent policies train through autograd (ppo.update)
            and not actor.tanh_squash
            and type(critic) is Critic
            and critic.head.out_features == 1  # intrinsic signals' extra value heads use autograd
            and actor.encoder.observations is None  # visual encoders take the autograd path
            and critic.encoder.observations is None
            and isinstance(actor.encoder.body, MLP)  # goal-conditioned bodies too
            and isinstance(critic.encoder.body, MLP)
        )

    @torch.no_grad()
    def step(
        self,
        obs: torch.Tensor,
        continuous: torch.Tensor,
        discrete: torch.Tensor,
        masks: torch.Tensor,
        old_log_prob: torch.Tensor,
        advantages: torch.Tensor,
        returns: torch.Tensor,
        old_values: torch.Tensor,
        epsilon: float,
        beta: float,
    ) -> torch.Tensor:
        """Write the gradients of ``policy_loss + 0.5 * value_loss - beta * entropy`` into the grads.

        ``obs`` must already be normalized. Every parameter's ``.grad`` is overwritten (not accumulated).

        Args:
            obs: ``(B, obs_size)`` normalized observations.
            continuous: ``(B, n_cont)`` raw actions taken.
            discrete: ``(B, n_branches)`` discrete actions taken.
            masks: ``(B, sum(branches))`` action masks.
            old_log_prob: ``(B, n_cont + n_branches)`` log-probabilities at acting time.
            advantages: ``(B,)`` normalized advantages.
            returns: ``(B,)`` GAE returns.
            old_values: ``(B,)`` values at acting time.
            epsilon: clip range.
            beta: entropy coefficient.

        Returns:
            ``[policy_loss, value_loss, entropy]`` as a detached tensor of 3.

        """
        batch = obs.shape[0]
        # --- actor forward ---
        a_in, a_pre = _forward(self.a_layers, obs)
        feat = a_in[-1]
        parts: list[torch.Tensor] = []
        entropy: torch.Tensor | None = None
        mu_layer, logit_layer = self.mu, self.logits
        if mu_layer is not None:
            log_std = self.log_std
            inv_std = torch.exp(-log_std)
            mu = torch.addmm(mu_layer.bias, feat, mu_layer.weight_t)
            zsc = (continuous - mu).mul_(inv_std)
            zsq = zsc * zsc  # shared with the log-std gradient (scaling by -0.5 is exact in either order)
            parts.append(zsq.mul(-0.5).sub_(log_std).sub_(HALF_LOG_2PI))
            # ML-Agents' entropy: mean over dimensions of 0.5 * log(2 pi e sigma^2 + eps) (distributions.py);
            # its derivative in log_std is (2 pi e sigma^2) / (2 pi e sigma^2 + eps) / n per dimension.
            spread = torch.exp(2.0 * log_std).mul_(TWO_PI_E)
            entropy = torch.log(spread + ENTROPY_EPS).mean().mul_(0.5)
            d_entropy = spread.div_(spread + ENTROPY_EPS).mul_(beta / self.n_cont)
        if logit_layer is not None:
            logits = torch.addmm(logit_layer.bias, feat, logit_layer.weight_t)
            masked = logits - (1.0 - masks) * MASK_FILL
            lps = [torch.log_softmax(x, dim=-1) for x in torch.split(masked, self.branches, dim=1)]
            probs = [lp.exp() for lp in lps]
            ents = [-(p * lp).sum(-1) for p, lp in zip(probs, lps, strict=True)]
            parts.append(torch.cat([lp.gather(1, discrete[:, i : i + 1]) for i, lp in enumerate(lps)], dim=1))
            discrete_entropy = torch.stack(ents, 1).sum(1).mean()
            entropy = discrete_entropy if entropy is None else entropy + discrete_entropy
        log_prob = torch.cat(parts, dim=1) if len(parts) > 1 else parts[0]
        k = log_prob.shape[1]
        ratio = torch.exp(log_prob - old_log_prob)
        adv = advantages.unsqueeze(1)
        s1 = ratio * adv
        s2 = torch.clamp(ratio, 1.0 - epsilon, 1.0 + epsilon) * adv
        policy_loss = -torch.minimum(s1, s2).mean()
        # d(-mean(min(s1, s2)))/d log_prob: the unclipped branch is the active one where s1 <= s2.
        g_lp = torch.where(s1 <= s2, s1, 0.0).mul_(-1.0 / (batch * k))
        # --- actor backward ---
        dfeat = None
        if mu_layer is not None:
            g_c = g_lp[:, : self.n_cont] if logit_layer is not None else g_lp
            dmu = (g_c * zsc).mul_(inv_std)
            torch.mm(dmu.t(), feat, out=mu_layer.grad_weight)
            torch.sum(dmu, 0, out=mu_layer.grad_bias)
            torch.sub((g_c * zsq.sub_(1.0)).sum(0), d_entropy, out=self.grad_log_std)
            dfeat = torch.mm(dmu, mu_layer.weight)
        if logit_layer is not None:
            g_d = g_lp[:, self.n_cont :]
            dlogits = []
            for i, (p, lp, ent) in enumerate(zip(probs, lps, ents, strict=True)):
                onehot = torch.zeros_like(p).scatter_(1, discrete[:, i : i + 1], 1.0)
                # d log p_taken / d logits = onehot - p ; d(-beta * mean H)/d logits = beta/B * p * (lp + H)
                dlogits.append(
                    g_d[:, i : i + 1] * (onehot - p) + (beta / batch) * p * (lp + ent.unsqueeze(1))
                )
            dl = torch.cat(dlogits, dim=1) if len(dlogits) > 1 else dlogits[0]
            torch.mm(dl.t(), feat, out=logit_layer.grad_weight)
            torch.sum(dl, 0, out=logit_layer.grad_bias)
            d = torch.mm(dl, logit_layer.weight)
            dfeat = d if dfeat is None else dfeat + d
        # internal invariant: an actor has continuous or discrete actions
        assert dfeat is not None and entropy is not None
        _backward(self.a_layers, a_in, a_pre, dfeat)
        # --- critic forward/backward (clipped value loss, ML-Agents trust_region_value_loss) ---
        c_in, c_pre = _forward(self.c_layers, obs)
        head = self.head
        values = torch.addmm(head.bias, c_in[-1], head.weight_t).squeeze(1)
        change = values - old_values
        clipped = old_values + torch.clamp(change, -epsilon, epsilon)
        e1 = (returns - values) ** 2
        e2 = (returns - clipped) ** 2
        value_loss = torch.maximum(e1, e2).mean()
        # d(0.5 * value_loss)/dv, routed like autograd's max (ties split evenly): the unclipped error gives
        # v - R; the clipped one gives clipped - R where the clamp is not saturated (old + (v - old) can
        # differ from v by rounding, so both branches matter inside the clip range).
        w1 = torch.where(e1 > e2, 1.0, torch.where(e1 == e2, 0.5, 0.0))
        inside = change.abs_() <= epsilon
        dv = (w1 * (values - returns) + torch.where(inside, (1.0 - w1) * (clipped - returns), 0.0)).unsqueeze(
            1
        )
        dv = dv.mul_(1.0 / batch)
        torch.mm(dv.t(), c_in[-1], out=head.grad_weight)
        torch.sum(dv, 0, out=head.grad_bias)
        _backward(self.c_layers, c_in, c_pre, torch.mm(dv, head.weight))
        return torch.stack([policy_loss, value_loss, entropy])


class FastGaussianActor:
    """Acting path of a continuous PPO actor without ``nn.Module`` calls or ``torch.distributions``.

    Same numbers as ``Actor.act`` (normalize, Swish MLP, Gaussian sample, per-dimension log-probability), with
    the log-probability taken from the standard-normal draw directly: ``log p = -eps^2 / 2 - log std - log
    sqrt(2 pi)``. Constants that change only with the weights are cached: call ``refresh`` after changing
    them.

    Args:
        actor: a PPO ``Actor`` with continuous actions only.

    """

    def __init__(self, actor: Actor) -> None:
        norm = actor.normalizer
        self.norm = (norm.mean, norm.m2, norm.count) if norm is not None else None
        self.layers = _layers(actor.encoder.body.layers)
        assert actor.mu is not None and actor.log_std is not None  # internal invariant: see ``supports``
        self.mu = _Layer(actor.mu)
        self.log_std = actor.log_std.data
        self.refresh()

    def refresh(self) -> None:
        """Recompute the per-update constants ``1 / std_obs``, ``std``, ``log_std + log sqrt(2 pi)``, entropy.

        They change only when the weights or the normalizer do (an update, ``load_state_dict``), not per
        decision, so ``act`` reuses them; whoever changes the actor calls this afterwards (``PPOTrainer`` does
        after every normalizer fold, update and checkpoint load). Same ops as computing them per call, so the
        same numbers.
        """
        scale = None
        if self.norm is not None:
            _, m2, count = self.norm
            scale = torch.rsqrt(m2 / count)
        self._consts = (scale, torch.exp(self.log_std), self.log_std + HALF_LOG_2PI)
        self.entropy = float(continuous_entropy(self.log_std))
        """The policy's entropy, the same for every observation (state-independent sigma)."""

    @staticmethod
    def supports(actor: Actor) -> bool:
        """Tell whether the actor is PPO-style with continuous actions only."""
        return (
            actor.memory is None
            and not actor.tanh_squash
            and actor.continuous_size > 0
            and not actor.branches
            and actor.encoder.observations is None  # flat MLP only
            and isinstance(actor.encoder.body, MLP)
        )

    @torch.no_grad()
    def act(
        self, obs: torch.Tensor, generator: torch.Generator | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Sample raw actions and their per-dimension log-probabilities.

        Args:
            obs: ``(n, obs_size)`` raw observations.
            generator: optional torch generator.

        Returns:
            ``(raw_actions, log_prob)``, both ``(n, n_cont)``.

        """
        scale, std, log_norm = self._consts
        x = obs
        # In place on fresh intermediates: same ops and values, fewer allocations (silu_ = in-place F.silu).
        if self.norm is not None:
            x = torch.sub(x, self.norm[0]).mul_(scale).clamp_(-CLIP, CLIP)
        for layer in self.layers:
            x = _silu_(torch.addmm(layer.bias, x, layer.weight_t))
        mu = torch.addmm(self.mu.bias, x, self.mu.weight_t)
        eps = torch.randn(mu.shape, generator=generator)
        raw = torch.addcmul(mu, eps, std)
        log_prob = eps.square().mul_(-0.5).sub_(log_norm)
        return raw, log_prob
