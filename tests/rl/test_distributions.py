"""Action distribution helpers against torch.distributions."""

from __future__ import annotations

import math

import pytest
import torch

from mlops_unity_pipeline.rl import distributions as D


def test_gaussian_log_prob_and_entropy_match_torch():
    """Per-dimension log density and entropy equal torch's Normal."""
    mean, log_std = torch.randn(5, 3), torch.randn(3) * 0.3
    x = torch.randn(5, 3)
    ref = torch.distributions.Normal(mean, log_std.exp())
    torch.testing.assert_close(D.gaussian_log_prob(x, mean, log_std), ref.log_prob(x))
    torch.testing.assert_close(D.gaussian_entropy(log_std).expand(5, 3), ref.entropy())


def test_masked_branches_never_sampled_and_have_zero_probability():
    """A masked action gets probability 0, is never sampled, and the entropy ignores it."""
    logits = torch.zeros(1000, 5)
    mask = torch.tensor([[1.0, 0.0, 1.0, 1.0, 1.0]]).expand(1000, 5)
    lps = D.branch_log_softmax(D.mask_logits(logits, mask), (3, 2))
    assert float(lps[0][0, 1].exp()) == 0.0
    samples = D.categorical_sample(lps)
    assert not bool((samples[:, 0] == 1).any())
    ent = D.categorical_entropy(lps)
    torch.testing.assert_close(ent[0], torch.tensor([math.log(2), math.log(2)]))


def test_categorical_log_prob_gathers_per_branch():
    """The log-probability of chosen indices is picked per branch."""
    lps = D.branch_log_softmax(torch.tensor([[0.0, 1.0, 2.0, 0.0, 0.0]]), (3, 2))
    got = D.categorical_log_prob(lps, torch.tensor([[2, 1]]))
    torch.testing.assert_close(got, torch.tensor([[lps[0][0, 2].item(), math.log(0.5)]]))


def test_tanh_squash_log_prob_is_change_of_variables():
    """log p(tanh u) = log N(u) - log(1 - tanh(u)^2) (up to the epsilon)."""
    mean, log_std, u = torch.zeros(1, 1), torch.zeros(1, 1), torch.tensor([[0.5]])
    expected = torch.distributions.Normal(0.0, 1.0).log_prob(u) - torch.log(1 - torch.tanh(u) ** 2)
    torch.testing.assert_close(D.tanh_squash_log_prob(u, mean, log_std), expected, atol=1e-5, rtol=1e-5)


def test_gaussian_entropy_is_mlagents_formula_with_epsilon():
    """Per dimension 0.5*log(2*pi*e*sigma^2 + 1e-7): log std 0 -> 1.4189385; -20 -> floor 0.5*log(1e-7)."""
    got = D.gaussian_entropy(torch.tensor([0.0, -20.0]))
    torch.testing.assert_close(got, torch.tensor([1.4189385, 0.5 * math.log(1e-7)]), rtol=1e-6, atol=1e-6)


def test_continuous_entropy_is_the_mean_over_dimensions():
    """log std [0, log 2] -> mean(1.4189385, 1.4189385 + log 2) = 1.7655121 (ML-Agents averages, not sums)."""
    got = D.continuous_entropy(torch.tensor([0.0, math.log(2.0)]))
    assert float(got) == pytest.approx(1.7655121, rel=1e-6)
    batched = D.continuous_entropy(torch.zeros(4, 3))  # SAC: one log std per row
    torch.testing.assert_close(batched, torch.full((4,), 1.4189385))
