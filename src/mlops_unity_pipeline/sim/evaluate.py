"""Evaluate a policy on a simulator: mean/std episode reward, success rate, episode length."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ..errors import SpecError
from ..spaces import VectorEnv
from .policies import Policy


@dataclass(frozen=True)
class EvalResult:
    """Outcome of ``evaluate`` over complete episodes."""

    mean_reward: float
    """Mean cumulative reward per episode (agent reward plus group reward in multi-agent tasks)."""
    std_reward: float
    """Standard deviation of the cumulative reward per episode."""
    success_rate: float
    """Fraction of episodes that ended in the task's success condition."""
    episodes: int
    """Episodes counted."""
    mean_length: float
    """Mean episode length in decisions (agent steps as ML-Agents counts them)."""

    def __post_init__(self) -> None:
        if self.episodes < 1:
            raise SpecError(f"eval result: episodes must be >= 1, got {self.episodes}")

    def to_dict(self) -> dict[str, float | int]:
        """Return the result as plain JSON-ready values."""
        return asdict(self)


def evaluate(env: VectorEnv, policy: Policy, *, episodes: int, seed: int | None = None) -> EvalResult:
    """Run ``policy`` until ``episodes`` complete episodes are recorded.

    Each agent gets an equal share of the episodes (the first ``episodes % num_agents`` one more), so short
    episodes are not over-counted when agents run in parallel (the scheme of SB3's ``evaluate_policy``).

    Args:
        env: the simulator (reset here).
        policy: maps a batch to actions.
        episodes: complete episodes to record.
        seed: reset seed (same seed and deterministic policy, same result).

    Returns:
        The episode statistics.

    Raises:
        SpecError: ``episodes`` < 1.

    """
    if episodes < 1:
        raise SpecError(f"evaluate: episodes must be >= 1, got {episodes}")
    n = env.num_agents
    quota = np.full(n, episodes // n, dtype=np.int64)
    quota[: episodes % n] += 1
    done_count = np.zeros(n, dtype=np.int64)
    returns = np.zeros(n, dtype=np.float64)
    lengths = np.zeros(n, dtype=np.int64)
    rewards: list[float] = []
    ep_lengths: list[int] = []
    successes: list[bool] = []
    reset_memory = getattr(policy, "reset_memory", None)
    if callable(reset_memory):
        reset_memory()
    batch = env.reset(seed=seed)
    while (done_count < quota).any():
        batch = env.step(policy(batch))
        returns += batch.reward
        if batch.group_reward is not None:  # multi-agent tasks: each member's return includes the group's
            returns += batch.group_reward
        lengths += 1
        ended = batch.terminated | batch.truncated
        if ended.any():
            for i in np.flatnonzero(ended & (done_count < quota)):
                rewards.append(float(returns[i]))
                ep_lengths.append(int(lengths[i]))
                successes.append(bool(batch.success[i]))
            done_count += ended
            returns[ended] = 0.0
            lengths[ended] = 0
    values = np.asarray(rewards)
    return EvalResult(
        mean_reward=float(values.mean()),
        std_reward=float(values.std()),
        success_rate=float(np.mean(successes)),
        episodes=len(rewards),
        mean_length=float(np.mean(ep_lengths)),
    )
