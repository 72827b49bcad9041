"""Adam over one flat parameter tensor (``FlatAdam``) and the tensor itself (``FlatParameters``).

With ~560 minibatches per PPO update, ``torch.optim.Optimizer.step``'s Python wrapper (hooks, grad-mode and
profiler contexts) costs more than the fused kernel itself, and constructing the first ``torch.optim.Adam``
imports ``torch._dynamo`` (over a second). ``FlatAdam`` calls the same kernel (``torch._fused_adam_``)
directly; ``tests/rl/test_optim.py`` checks it matches ``torch.optim.Adam`` step for step.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn


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


class FlatAdam:
    """Adam (Kingma & Ba 2015, no weight decay, no AMSGrad) over a single tensor with a ``.grad``.

    Mirrors the parts of the ``torch.optim`` API the trainers use: ``param_groups[0]["lr"]`` (set by the
    learning-rate schedule), ``step()``, ``state_dict()`` and ``load_state_dict()``.

    Args:
        param: the flat parameter (``FlatParameters.param``) or any leaf tensor with a gradient.
        lr: initial learning rate.
        betas: Adam's moment decay rates.
        eps: denominator epsilon.

    """

    def __init__(
        self, param: torch.Tensor, lr: float, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
    ) -> None:
        self.param = param
        self.param_groups: list[dict[str, Any]] = [{"lr": float(lr), "betas": betas, "eps": eps}]
        self.exp_avg = torch.zeros_like(param.data)
        self.exp_avg_sq = torch.zeros_like(param.data)
        self.step_count = torch.zeros((), dtype=torch.float32)
        self._fused = hasattr(torch, "_fused_adam_")

    @torch.no_grad()
    def step(self) -> None:
        """Apply one Adam update with the current gradient."""
        group = self.param_groups[0]
        beta1, beta2 = group["betas"]
        grad = self.param.grad
        if grad is None:
            return
        self.step_count.add_(1.0)
        if self._fused:
            torch._fused_adam_(
                [self.param.data], [grad], [self.exp_avg], [self.exp_avg_sq], [], [self.step_count],
                amsgrad=False, lr=group["lr"], beta1=beta1, beta2=beta2, weight_decay=0.0, eps=group["eps"],
                maximize=False, grad_scale=None, found_inf=None,
            )  # fmt: skip
            return
        # Reference formulation (same as torch.optim.Adam's single-tensor path).
        step = float(self.step_count)
        self.exp_avg.lerp_(grad, 1.0 - beta1)
        self.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1.0 - beta2)
        denom = (self.exp_avg_sq.sqrt() / (1.0 - beta2**step) ** 0.5).add_(group["eps"])
        self.param.data.addcdiv_(self.exp_avg, denom, value=-group["lr"] / (1.0 - beta1**step))

    def state_dict(self) -> dict[str, Any]:
        """Return the moments, step count and hyperparameters (for checkpoints)."""
        return {
            "exp_avg": self.exp_avg.clone(),
            "exp_avg_sq": self.exp_avg_sq.clone(),
            "step": float(self.step_count),
            "param_groups": [dict(g) for g in self.param_groups],
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore a ``state_dict``.

        Args:
            state: what ``state_dict`` returned.

        Raises:
            ValueError: the moments do not fit this parameter.

        """
        if state["exp_avg"].shape != self.exp_avg.shape:
            raise ValueError(f"optimizer state of shape {tuple(state['exp_avg'].shape)} does not fit "
                             f"{tuple(self.exp_avg.shape)}")  # fmt: skip
        self.exp_avg.copy_(state["exp_avg"])
        self.exp_avg_sq.copy_(state["exp_avg_sq"])
        self.step_count.fill_(float(state["step"]))
        self.param_groups = [dict(g) for g in state["param_groups"]]


def make_adam(params: list[torch.nn.Parameter], lr: float) -> torch.optim.Optimizer:
    """``torch.optim.Adam`` over ``params`` for trainers that step through autograd (POCA's critic).

    Uses the fused CPU kernel when this torch build has it (one kernel per step), else ``foreach``.

    Args:
        params: parameters to optimize.
        lr: initial learning rate.

    Returns:
        The optimizer.

    """
    try:
        return torch.optim.Adam(params, lr=lr, fused=True)
    except (RuntimeError, TypeError, ValueError):
        return torch.optim.Adam(params, lr=lr, foreach=True)
