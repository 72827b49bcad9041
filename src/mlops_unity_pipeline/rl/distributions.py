"""Action distributions as plain tensor functions (no ``torch.distributions`` objects on the hot path).

Continuous PPO actions are a Gaussian with a state-independent log std; SAC squashes the Gaussian with tanh;
discrete actions are one categorical per branch with the action mask applied before the softmax
(ML-Agents ``GaussianDistribution`` / ``MultiCategoricalDistribution``,
``ml-agents/mlagents/trainers/torch_entities/distributions.py``).
"""

from __future__ import annotations

import math

import torch

HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
TWO_PI_E = 2.0 * math.pi * math.e
ENTROPY_EPS = 1.0e-7
"""Inside ML-Agents' Gaussian entropy ``0.5 * log(2 pi e sigma^2 + 1e-7)`` (``EPSILON`` of
``torch_entities/distributions.py``): it floors the entropy of a collapsing sigma at ``0.5 * log(1e-7)``."""
MASK_FILL = 1.0e8
"""Subtracted from the logit of a masked action: its probability underflows to exactly 0."""
CONTINUOUS_CLIP = 3.0
"""PPO's Gaussian actions reach the environment (and the ONNX outputs) as ``clamp(x, -3, 3) / 3``: upstream
``ml-agents/mlagents/trainers/torch_entities/agent_action.py`` (``to_action_tuple``) and ``action_model.py``
(``get_action_out``)."""
TANH_EPS = 1.0e-6
"""Keeps ``log(1 - tanh(u)^2)`` finite at the squashing boundary (SAC, Haarnoja et al. 2018, appendix C)."""


def gaussian_log_prob(actions: torch.Tensor, mean: torch.Tensor, log_std: torch.Tensor) -> torch.Tensor:
    """Per-dimension log density of ``actions`` under ``N(mean, exp(log_std)^2)``.

    Args:
        actions: ``(batch, n)`` raw (unclipped) actions.
        mean: ``(batch, n)`` means.
        log_std: ``(n,)`` or ``(batch, n)`` log standard deviations.

    Returns:
        ``(batch, n)`` log densities.

    """
    return -0.5 * ((actions - mean) * torch.exp(-log_std)) ** 2 - log_std - HALF_LOG_2PI


def gaussian_entropy(log_std: torch.Tensor) -> torch.Tensor:
    """Per-dimension entropy ``0.5 * log(2 pi e sigma^2 + 1e-7)`` of a Gaussian, as ML-Agents computes it.

    Without the epsilon this is the textbook ``log_std + 0.5 * log(2 pi e)``; ML-Agents'
    ``GaussianDistInstance.entropy`` adds ``1e-7`` inside the log and then takes the *mean* over action
    dimensions (``continuous_entropy`` below), which is what PPO's ``beta`` multiplies.

    Args:
        log_std: log standard deviations of any shape.

    Returns:
        Entropies of the same shape.

    """
    return 0.5 * torch.log(torch.exp(2.0 * log_std) * TWO_PI_E + ENTROPY_EPS)


def continuous_entropy(log_std: torch.Tensor) -> torch.Tensor:
    """Entropy of the continuous action distribution: the mean over action dimensions (ML-Agents).

    ML-Agents' ``GaussianDistInstance.entropy`` averages the per-dimension entropies (``dim=1``), and its
    ``ActionModel`` then sums that one value with each discrete branch's entropy.

    Args:
        log_std: ``(n,)`` (PPO, state-independent) or ``(batch, n)`` (SAC) log standard deviations.

    Returns:
        A scalar for ``(n,)``, else ``(batch,)``.

    """
    return gaussian_entropy(log_std).mean(-1)


def mask_logits(logits: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    """Push the logits of masked actions (mask 0) to ``-1e8`` so they are never chosen.

    Args:
        logits: ``(batch, sum(branches))`` raw logits.
        mask: ``(batch, sum(branches))`` float or bool, 1 = allowed; None = everything allowed.

    Returns:
        Masked logits (same shape). ONNX-exportable (Sub/Mul only).

    """
    if mask is None:
        return logits
    return logits - (1.0 - mask.to(logits.dtype)) * MASK_FILL


def branch_log_softmax(logits: torch.Tensor, branches: tuple[int, ...]) -> list[torch.Tensor]:
    """Split masked logits per branch and return each branch's log-probabilities.

    Args:
        logits: ``(batch, sum(branches))`` masked logits.
        branches: the branch sizes.

    Returns:
        One ``(batch, branch_size)`` tensor of log-probabilities per branch.

    """
    return [torch.log_softmax(part, dim=-1) for part in torch.split(logits, list(branches), dim=-1)]


def categorical_log_prob(log_probs: list[torch.Tensor], actions: torch.Tensor) -> torch.Tensor:
    """Log-probability of the chosen index in each branch.

    Args:
        log_probs: per-branch ``(batch, size)`` log-probabilities.
        actions: ``(batch, n_branches)`` integer indices.

    Returns:
        ``(batch, n_branches)`` log-probabilities.

    """
    picked = [lp.gather(1, actions[:, i : i + 1].long()) for i, lp in enumerate(log_probs)]
    return torch.cat(picked, dim=1)


def categorical_entropy(log_probs: list[torch.Tensor]) -> torch.Tensor:
    """Per-branch entropy ``-sum p log p`` (masked actions contribute 0).

    Args:
        log_probs: per-branch ``(batch, size)`` log-probabilities.

    Returns:
        ``(batch, n_branches)`` entropies.

    """
    return torch.stack([-(lp.exp() * lp).sum(-1) for lp in log_probs], dim=1)


def categorical_sample(
    log_probs: list[torch.Tensor], generator: torch.Generator | None = None
) -> torch.Tensor:
    """Sample one index per branch.

    Args:
        log_probs: per-branch ``(batch, size)`` log-probabilities.
        generator: optional torch generator (seeded sampling).

    Returns:
        ``(batch, n_branches)`` int64 indices.

    """
    samples = [torch.multinomial(lp.exp(), 1, generator=generator) for lp in log_probs]
    return torch.cat(samples, dim=1)


def tanh_squash_log_prob(raw: torch.Tensor, mean: torch.Tensor, log_std: torch.Tensor) -> torch.Tensor:
    """Per-dimension log density of ``tanh(raw)`` where ``raw ~ N(mean, std)`` (change of variables).

    Args:
        raw: ``(batch, n)`` pre-squash samples.
        mean: ``(batch, n)`` means.
        log_std: ``(batch, n)`` log standard deviations.

    Returns:
        ``(batch, n)`` log densities of the squashed actions.

    """
    squashed = torch.tanh(raw)
    return gaussian_log_prob(raw, mean, log_std) - torch.log(1.0 - squashed**2 + TANH_EPS)
