"""Sweep report pieces: parameter importances (one parameter without fANOVA, several through Optuna)."""

from __future__ import annotations

import sys

import optuna
import pytest

from mlops_unity_pipeline.sweep.report import parameter_importances


def _study(params: dict[str, tuple[float, float]], trials: int) -> optuna.Study:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    study.optimize(
        lambda t: sum(i * t.suggest_float(n, lo, hi) for i, (n, (lo, hi)) in enumerate(params.items(), 1)),
        n_trials=trials,
    )
    return study


def test_one_parameter_has_all_the_importance_without_fanova(monkeypatch):
    """A one-parameter sweep gets importance 1 without importing optuna.importance (scikit-learn)."""
    monkeypatch.setitem(sys.modules, "optuna.importance", None)  # importing it now raises ImportError
    assert parameter_importances(_study({"lr": (0.0, 1.0)}, 3)) == {"lr": 1.0}


def test_fewer_than_two_complete_trials_have_no_importances():
    """One complete trial says nothing about importance."""
    assert parameter_importances(_study({"lr": (0.0, 1.0), "beta": (0.0, 1.0)}, 1)) is None


def test_several_parameters_are_ranked_by_optunas_fanova():
    """Two parameters: both get an importance, they sum to 1, and the one weighted 10x ranks first."""
    study = _study({"small": (0.0, 0.1), "large": (0.0, 1.0)}, 12)
    importances = parameter_importances(study)
    assert importances is not None and set(importances) == {"small", "large"}
    assert sum(importances.values()) == pytest.approx(1.0)
    assert importances["large"] > importances["small"]
