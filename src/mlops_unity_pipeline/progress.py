"""The training progress record every trainer backend reports (built-in trainer and ``mlagents-learn``).

It lives apart from ``rl`` so that backends which do not need torch (``unity.mlagents_learn``) share it
without importing the trainer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressEvent:
    """A summary of one behavior's training, sent to ``on_progress`` every ``summary_freq`` steps."""

    behavior: str
    """Behavior name."""
    step: int
    """The behavior's step (agent decisions)."""
    max_steps: int
    """The behavior's ``max_steps``."""
    mean_reward: float | None
    """Mean cumulative reward of the episodes completed since the previous summary (None if none)."""
    std_reward: float | None
    """Their standard deviation."""
    elapsed_s: float
    """Seconds since training started (this process)."""
    eta_s: float | None
    """Estimated seconds left at the current rate."""
