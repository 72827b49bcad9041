"""FlatAdam matches torch.optim.Adam and round-trips its state."""

from __future__ import annotations

import pytest
import torch

from mlops_unity_pipeline.rl.optim import FlatAdam


@pytest.mark.parametrize("fused", [True, False], ids=["fused-kernel", "reference-ops"])
def test_flat_adam_matches_torch_adam(fused):
    """20 steps with changing gradients and a learning-rate change give torch.optim.Adam's parameters."""
    torch.manual_seed(0)
    ours = torch.nn.Parameter(torch.randn(50))
    ref = torch.nn.Parameter(ours.detach().clone())
    opt = FlatAdam(ours, lr=1e-2)
    opt._fused = fused and opt._fused
    ref_opt = torch.optim.Adam([ref], lr=1e-2)
    for i in range(20):
        grad = torch.randn(50)
        ours.grad = grad.clone()
        ref.grad = grad.clone()
        if i == 10:
            opt.param_groups[0]["lr"] = 3e-3
            ref_opt.param_groups[0]["lr"] = 3e-3
        opt.step()
        ref_opt.step()
    torch.testing.assert_close(ours, ref, rtol=1e-5, atol=1e-6)


def test_state_dict_round_trip_continues_identically():
    """A restored optimizer takes the same next step as the original."""
    a = torch.nn.Parameter(torch.ones(4))
    opt = FlatAdam(a, lr=0.1)
    for _ in range(3):
        a.grad = torch.tensor([1.0, -2.0, 3.0, 0.5])
        opt.step()
    b = torch.nn.Parameter(a.detach().clone())
    restored = FlatAdam(b, lr=0.5)
    restored.load_state_dict(opt.state_dict())
    a.grad = b.grad = torch.tensor([0.3, 0.3, -0.3, 1.0])
    opt.step()
    restored.step()
    torch.testing.assert_close(a, b)
    with pytest.raises(ValueError, match="does not fit"):
        FlatAdam(torch.nn.Parameter(torch.ones(3)), lr=0.1).load_state_dict(opt.state_dict())
