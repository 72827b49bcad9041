"""Evaluate a policy on a simulator: mean/std episode reward, success rate, episode length."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np

from ..errors import SpecError
from ..spaces import MultiBehaviorEnv, StepBatch, VectorEnv
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
    reset_memory = getattr(policy, "reset_memory", None)
    if callable(reset_memory):
        reset_memory()
    tally = _Tally(env.num_agents, episodes)
    batch = env.reset(seed=seed)
    while not tally.done:
        batch = env.step(policy(batch))
        tally.add(batch)
    return tally.result()


def evaluate_behaviors(
    env: MultiBehaviorEnv,
    policies: Mapping[str, Policy],
    *,
    episodes: int,
    seed: int | None = None,
) -> dict[str, EvalResult]:
    """Run every behavior's policy together until each behavior recorded ``episodes`` complete episodes.

    The behaviors of an asymmetric game play each other (one model per behavior, as a Unity scene runs
    them); each behavior's statistics are its own agents' (shares as in ``evaluate``).

    Args:
        env: the multi-behavior simulator (reset here).
        policies: each behavior's policy, by name.
        episodes: complete episodes to record per behavior.
        seed: reset seed.

    Returns:
        Each behavior's statistics, in the environment's order.

    Raises:
        SpecError: ``episodes`` < 1, or a behavior without a policy (or a policy for no behavior).

    """
    if episodes < 1:
        raise SpecError(f"evaluate: episodes must be >= 1, got {episodes}")
    missing = [name for name in env.signatures if name not in policies]
    unknown = [name for name in policies if name not in env.signatures]
    if missing or unknown:
        raise SpecError(
            f"evaluate: the environment's behaviors are {list(env.signatures)}; "
            + (f"no policy for {missing}" if missing else f"policies for unknown behaviors {unknown}")
        )
    for policy in policies.values():
        reset_memory = getattr(policy, "reset_memory", None)
        if callable(reset_memory):
            reset_memory()
    tallies = {name: _Tally(int(env.num_agents[name]), episodes) for name in env.signatures}
    batches = env.reset(seed=seed)
    while not all(t.done for t in tallies.values()):
        batches = env.step({name: policies[name](batches[name]) for name in env.signatures})
        for name, tally in tallies.items():
            tally.add(batches[name])
    return {name: tally.result() for name, tally in tallies.items()}


class _Tally:
    """Episode returns, lengths and successes of one behavior's agents, each up to its share."""

    def __init__(self, num_agents: int, episodes: int) -> None:
        self.quota = np.full(num_agents, episodes // num_agents, dtype=np.int64)
        self.quota[: episodes % num_agents] += 1
        self.done_count = np.zeros(num_agents, dtype=np.int64)
        self.returns = np.zeros(num_agents, dtype=np.float64)
        self.lengths = np.zeros(num_agents, dtype=np.int64)
        self.rewards: list[float] = []
        self.ep_lengths: list[int] = []
        self.successes: list[bool] = []

    @property
    def done(self) -> bool:
        return not (self.done_count < self.quota).any()

    def add(self, batch: StepBatch) -> None:
        self.returns += batch.reward
        if batch.group_reward is not None:  # multi-agent tasks: each member's return includes the group's
            self.returns += batch.group_reward
        self.lengths += 1
        ended = batch.terminated | batch.truncated
        if ended.any():
            for i in np.flatnonzero(ended & (self.done_count < self.quota)):
                self.rewards.append(float(self.returns[i]))
                self.ep_lengths.append(int(self.lengths[i]))
                self.successes.append(bool(batch.success[i]))
            self.done_count += ended
            self.returns[ended] = 0.0
            self.lengths[ended] = 0

    def result(self) -> EvalResult:
        values = np.asarray(self.rewards)
        return EvalResult(
            mean_reward=float(values.mean()),
            std_reward=float(values.std()),
            success_rate=float(np.mean(self.successes)),
            episodes=len(self.rewards),
            mean_length=float(np.mean(self.ep_lengths)),
        )
