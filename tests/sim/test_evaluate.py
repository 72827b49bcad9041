"""evaluate: episode accounting across parallel agents, determinism, result record."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import EvalResult, evaluate, make
from mlops_unity_pipeline.sim.heuristics import heuristic_policy
from mlops_unity_pipeline.sim.policies import random_policy


def test_counts_exactly_the_requested_episodes():
    """evaluate records exactly `episodes` episodes, spread over agents."""
    env = make("Basic", num_agents=3)
    result = evaluate(env, heuristic_policy(env), episodes=7, seed=0)
    assert result == EvalResult(
        mean_reward=pytest.approx(0.93),
        std_reward=pytest.approx(0.0, abs=1e-6),
        success_rate=1.0,
        episodes=7,
        mean_length=7.0,
    )
    assert set(result.to_dict()) == {"mean_reward", "std_reward", "success_rate", "episodes", "mean_length"}


def test_random_policy_is_worse_and_deterministic_given_seed():
    """A random policy scores below the heuristic, and the same seeds give the same result."""
    env = make("Basic", num_agents=4)
    a = evaluate(env, random_policy(env.signature.action_spec, seed=1), episodes=40, seed=2)
    b = evaluate(env, random_policy(env.signature.action_spec, seed=1), episodes=40, seed=2)
    assert a == b
    assert a.mean_reward < 0.8 and a.success_rate < 1.0


def test_rejects_zero_episodes():
    """episodes < 1 is a SpecError."""
    env = make("Basic")
    with pytest.raises(SpecError, match="episodes"):
        evaluate(env, heuristic_policy(env), episodes=0)
