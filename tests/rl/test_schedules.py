"""Hyperparameter schedules."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.errors import ConfigError
from mlops_unity_pipeline.rl.config import ScheduleType
from mlops_unity_pipeline.rl.schedules import MIN_EPSILON, MIN_LEARNING_RATE, decayed_value


def test_linear_decays_to_floor_at_max_steps():
    """Linear: initial at 0, halfway at max/2, floor at max and beyond."""
    assert decayed_value(ScheduleType.LINEAR, 3e-4, MIN_LEARNING_RATE, 0, 1000) == pytest.approx(3e-4)
    assert decayed_value(ScheduleType.LINEAR, 0.2, MIN_EPSILON, 500, 1000) == pytest.approx(0.15)
    assert decayed_value(ScheduleType.LINEAR, 0.2, MIN_EPSILON, 1000, 1000) == pytest.approx(0.1)
    assert decayed_value(ScheduleType.LINEAR, 0.2, MIN_EPSILON, 5000, 1000) == pytest.approx(0.1)


def test_constant_never_changes():
    """Constant: the initial value at every step."""
    assert decayed_value(ScheduleType.CONSTANT, 0.005, 1e-5, 999, 1000) == 0.005
    assert decayed_value("constant", 0.005, 1e-5, 0, 1000) == 0.005


def test_unknown_schedule_is_a_config_error():
    """A schedule other than constant/linear is rejected with its name."""
    with pytest.raises(ConfigError, match="cosine"):
        decayed_value("cosine", 1.0, 0.0, 0, 10)


def test_clipped_objective_schedules_decay_each_value_to_its_floor():
    """PPO's and POCA's (lr, beta, epsilon): linear is midway to its floor at mid-run, then at the floor."""
    from types import SimpleNamespace

    from mlops_unity_pipeline.rl.schedules import MIN_BETA, clipped_objective_schedules

    hp = SimpleNamespace(
        learning_rate=3e-4, learning_rate_schedule="linear", beta=5e-3, beta_schedule="linear",
        epsilon=0.2, epsilon_schedule="constant",
    )  # fmt: skip
    lr, beta, eps = clipped_objective_schedules(hp, 500, 1000)
    assert lr == pytest.approx((3e-4 + MIN_LEARNING_RATE) / 2) and eps == 0.2
    assert beta == pytest.approx((5e-3 + MIN_BETA) / 2)
    hp.epsilon_schedule = "linear"
    _, beta, eps = clipped_objective_schedules(hp, 1000, 1000)
    assert beta == pytest.approx(MIN_BETA) and eps == pytest.approx(MIN_EPSILON)
