"""The lean PPO update path: flat parameters, hand-written backward, one fused Adam step per minibatch.

With ML-Agents' 3DBall hyperparameters (``batch_size`` 64, ``buffer_size`` 12000, 3 epochs) an update is ~560
tiny minibatches, and autograd's per-operation bookkeeping, not arithmetic, dominates their cost. This module
computes the exact gradients of ``ppo.ppo_losses`` (``policy_loss + 0.5 * value_loss - beta * entropy``) by
hand with a few dozen dense ops, writes them straight into one flat gradient buffer, and steps one fused Adam
over one flat parameter tensor. ``tests/rl/test_fused.py`` checks the gradients against autograd.

``FlatParameters`` re-homes every parameter of the actor and critic into one contiguous tensor (the modules
keep working unchanged: their parameters are views into it), so the same optimizer state serves both paths.
"""

from __future__ import annotations

import torch
from torch import nn

from .distributions import HALF_LOG_2PI, MASK_FILL
from .networks import Actor, Critic

_silu_backward = torch.ops.aten.silu_backward


class FlatParameters:
    """Puts the parameters of ``modules`` (in order, each once) into one flat tensor with a flat gradient.

    Args:
        modules: the networks whose parameters are re-homed.

    """

    def __init__(self, modules: list[nn.Module]) -> None:
        params: list[nn.Parameter] = []
        seen: set[int] = set()
        for module in modules:
            for p in module.parameters():
                if id(p) not in seen:
                    seen.add(id(p))
                    params.append(p)
        total = sum(p.numel() for p in params)
        self.param = nn.Parameter(torch.zeros(total))
        self.param.grad = torch.zeros(total)
        offset = 0
        for p in params:
            n = p.numel()
            self.param.data[offset : offset + n].copy_(p.data.reshape(-1))
            p.data = self.param.data[offset : offset + n].view_as(p)
            # Autograd accumulates into an existing .grad in place, so the fallback path fills the flat buffer
            # too.
            p.grad = self.param.grad[offset : offset + n].view_as(p)
            offset += n
        self.params = params

    def zero_grad(self) -> None:
        """Zero the flat gradient (never ``set_to_none``: that would detach the per-parameter views)."""
        self.param.grad.zero_()


def _linears(mlp_layers: nn.Sequential) -> list[nn.Linear]:
    return [m for m in mlp_layers if isinstance(m, nn.Linear)]


class FusedPPO:
    """Exact PPO minibatch gradients without autograd, for an ``Actor`` and a separate ``Critic``.

    Args:
        actor: the PPO actor (state-independent log std; any mix of continuous and discrete actions).
        critic: a separate ``Critic`` (``shared_critic`` uses the autograd path).

    """

    def __init__(self, actor: Actor, critic: Critic) -> None:
        self.actor = actor
        self.critic = critic
        self.branches = actor.branches
        self.n_cont = actor.continuous_size

    @staticmethod
    def supports(actor: nn.Module, critic: nn.Module) -> bool:
        """Whether this path applies (a PPO ``Actor`` without tanh squashing and a separate ``Critic``)."""
        return isinstance(actor, Actor) and not actor.tanh_squash and type(critic) is Critic

    @staticmethod
    def _forward(layers: list[nn.Linear], x: torch.Tensor) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        inputs, pre = [], []
        h = x
        for lin in layers:
            inputs.append(h)
            z = torch.addmm(lin.bias, h, lin.weight.t())
            pre.append(z)
            h = torch.nn.functional.silu(z)
        inputs.append(h)
        return inputs, pre

    @staticmethod
    def _backward(
        layers: list[nn.Linear], inputs: list[torch.Tensor], pre: list[torch.Tensor], dh: torch.Tensor
    ) -> None:
        for i in range(len(layers) - 1, -1, -1):
            lin = layers[i]
            dz = _silu_backward(dh, pre[i])
            torch.mm(dz.t(), inputs[i], out=lin.weight.grad)
            torch.sum(dz, 0, out=lin.bias.grad)
            if i:
                dh = torch.mm(dz, lin.weight)

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
        actor, critic = self.actor, self.critic
        batch = obs.shape[0]
        a_layers = _linears(actor.encoder.body.layers)
        c_layers = _linears(critic.encoder.body.layers)
        # --- actor forward ---
        a_in, a_pre = self._forward(a_layers, obs)
        feat = a_in[-1]
        parts: list[torch.Tensor] = []
        entropy = obs.new_zeros(())
        if self.n_cont:
            assert actor.mu is not None and actor.log_std is not None  # internal invariant: continuous actor
            log_std = actor.log_std.detach()
            inv_std = torch.exp(-log_std)
            mu = torch.addmm(actor.mu.bias, feat, actor.mu.weight.t())
            zsc = (continuous - mu) * inv_std
            parts.append(-0.5 * zsc * zsc - log_std - HALF_LOG_2PI)
            entropy = entropy + (log_std + (0.5 + HALF_LOG_2PI)).sum()
        if self.branches:
            assert actor.logits is not None
            logits = torch.addmm(actor.logits.bias, feat, actor.logits.weight.t())
            masked = logits - (1.0 - masks) * MASK_FILL
            lps = [torch.log_softmax(x, dim=-1) for x in torch.split(masked, list(self.branches), dim=1)]
            probs = [lp.exp() for lp in lps]
            ents = [-(p * lp).sum(-1) for p, lp in zip(probs, lps, strict=True)]
            parts.append(torch.cat([lp.gather(1, discrete[:, i : i + 1]) for i, lp in enumerate(lps)], dim=1))
            entropy = entropy + torch.stack(ents, 1).sum(1).mean()
        log_prob = torch.cat(parts, dim=1) if len(parts) > 1 else parts[0]
        k = log_prob.shape[1]
        ratio = torch.exp(log_prob - old_log_prob)
        adv = advantages.unsqueeze(1)
        s1 = ratio * adv
        s2 = torch.clamp(ratio, 1.0 - epsilon, 1.0 + epsilon) * adv
        policy_loss = -torch.minimum(s1, s2).mean()
        # d(-mean(min(s1, s2)))/d log_prob: the unclipped branch is the active one where s1 <= s2.
        g_lp = torch.where(s1 <= s2, s1, 0.0) * (-1.0 / (batch * k))
        # --- actor backward ---
        dfeat = None
        if self.n_cont:
            g_c = g_lp[:, : self.n_cont]
            dmu = g_c * zsc * inv_std
            torch.mm(dmu.t(), feat, out=actor.mu.weight.grad)
            torch.sum(dmu, 0, out=actor.mu.bias.grad)
            actor.log_std.grad.copy_((g_c * (zsc * zsc - 1.0)).sum(0) - beta)
            dfeat = torch.mm(dmu, actor.mu.weight)
        if self.branches:
            g_d = g_lp[:, self.n_cont :]
            dlogits = []
            for i, (p, lp, ent) in enumerate(zip(probs, lps, ents, strict=True)):
                onehot = torch.zeros_like(p).scatter_(1, discrete[:, i : i + 1], 1.0)
                # d log p_taken / d logits = onehot - p ; d(-beta * mean H)/d logits = beta/B * p * (lp + H)
                dlogits.append(
                    g_d[:, i : i + 1] * (onehot - p) + (beta / batch) * p * (lp + ent.unsqueeze(1))
                )
            dl = torch.cat(dlogits, dim=1) if len(dlogits) > 1 else dlogits[0]
            torch.mm(dl.t(), feat, out=actor.logits.weight.grad)
            torch.sum(dl, 0, out=actor.logits.bias.grad)
            d = torch.mm(dl, actor.logits.weight)
            dfeat = d if dfeat is None else dfeat + d
        assert dfeat is not None
        self._backward(a_layers, a_in, a_pre, dfeat)
        # --- critic forward/backward (clipped value loss, ML-Agents trust_region_value_loss) ---
        c_in, c_pre = self._forward(c_layers, obs)
        head = critic.head
        values = torch.addmm(head.bias, c_in[-1], head.weight.t()).squeeze(1)
        clipped = old_values + torch.clamp(values - old_values, -epsilon, epsilon)
        e1 = (returns - values) ** 2
        e2 = (returns - clipped) ** 2
        value_loss = torch.maximum(e1, e2).mean()
        # d(0.5 * value_loss)/dv, routed like autograd's max (ties split evenly): the unclipped error gives v
        # - R;
        # the clipped one gives clipped - R where the clamp is not saturated (old + (v - old) can differ from
        # v
        # by rounding, so both branches matter inside the clip range).
        w1 = torch.where(e1 > e2, 1.0, torch.where(e1 == e2, 0.5, 0.0))
        inside = (values - old_values).abs() <= epsilon
        dv = (w1 * (values - returns) + torch.where(inside, (1.0 - w1) * (clipped - returns), 0.0)).unsqueeze(
            1
        )
        dv = dv * (1.0 / batch)
        torch.mm(dv.t(), c_in[-1], out=head.weight.grad)
        torch.sum(dv, 0, out=head.bias.grad)
        self._backward(c_layers, c_in, c_pre, torch.mm(dv, head.weight))
        return torch.stack([policy_loss, value_loss, entropy])
