"""The throughput measurement behind `sim bench` and bench/bench_sim.py: rates, engine choice, bad input."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import accel
from mlops_unity_pipeline.sim.bench import measure, measure_median


def test_measure_reports_consistent_rates():
    """Decision rate = agents x batch rate, physics rate = decision rate x period, and the engine is named."""
    result = measure("Navigation", num_agents=4, seconds=0.05)
    assert result["decisions"] >= 16
    assert result["decision_steps_per_sec"] == pytest.approx(4 * result["batch_steps_per_sec"])
    assert result["physics_steps_per_sec"] == pytest.approx(5 * result["decision_steps_per_sec"])
    assert result["steps_per_sec"] == result["decision_steps_per_sec"]
    assert result["compiled"] is (accel.kernels() is not None)


def test_measure_can_force_the_numpy_path():
    """compiled=False measures the NumPy path whatever is installed."""
    assert measure("3DBall", num_agents=2, seconds=0.02, compiled=False)["compiled"] is False


def test_measure_rejects_bad_budgets_and_missing_kernels(monkeypatch):
    """A non-positive budget, or compiled=True without numba, is a SpecError naming the problem."""
    with pytest.raises(SpecError, match="seconds must be > 0"):
        measure("Basic", num_agents=1, seconds=0.0)
    monkeypatch.setenv(accel.ENV_VAR, "0")
    with pytest.raises(SpecError, match="compiled=True needs numba"):
        measure("Basic", num_agents=1, seconds=0.01, compiled=True)


def test_measure_median_returns_the_median_run_and_every_rate():
    """measure_median: the middle run of three by decision rate, every rate listed; repeat < 1 refused."""
    result = measure_median("Basic", num_agents=2, seconds=0.02, repeat=3)
    assert len(result["runs"]) == 3
    assert result["decision_steps_per_sec"] == sorted(result["runs"])[1]
    with pytest.raises(SpecError, match="repeat must be >= 1"):
        measure_median("Basic", num_agents=1, seconds=0.01, repeat=0)
