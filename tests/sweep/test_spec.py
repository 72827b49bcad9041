"""SweepSpec: strict loading, search-space validation against the ML-Agents schema, trial configs."""

from __future__ import annotations

import pytest
import yaml

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sweep import ParamKind, SweepSpec, load_sweep

ASSET = {"asset_id": "reach-001", "name": "ReachAgent", "description": "Reach a target position"}


def sweep_dict(**extra):
    data = {
        "sweep_id": "s1",
        "asset_spec": ASSET,
        "rl_config": {"max_steps": 1000, "mlagents_overrides": {"default_settings": {"time_horizon": 32}}},
        "search_space": {
            "hyperparameters.learning_rate": {"type": "float", "low": 1e-4, "high": 1e-2, "log": True},
            "network_settings.hidden_units": {"type": "categorical", "choices": [32, 64]},
            "hyperparameters.num_epoch": {"type": "int", "low": 1, "high": 4},
            "environment_parameters.target_distance": {"type": "float", "low": 1.0, "high": 3.0, "step": 0.5},
        },
    }
    data.update(extra)
    return data


def test_the_executor_is_the_jobs_executor_enum(monkeypatch):
    """A sweep's executor is specs.Executor (any case); auto picks Ray only when RAY_ADDRESS is set."""
    from mlops_unity_pipeline.specs import Executor
    from mlops_unity_pipeline.sweep import executors

    class FakeRay:  # RayExecutor connects to a cluster when made
        def __init__(self, execution):
            self.execution = execution

    monkeypatch.setattr(executors, "RayExecutor", FakeRay)
    spec = SweepSpec.from_dict(sweep_dict(executor="AUTO"))
    assert spec.executor is Executor.AUTO and spec.to_dict()["executor"] == "auto"
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    assert isinstance(executors.make_executor(spec.executor, 1), executors.InlineExecutor)
    monkeypatch.setenv("RAY_ADDRESS", "127.0.0.1:6379")
    assert isinstance(executors.make_executor(spec.executor, 1, spec.ray), FakeRay)
    assert SweepSpec.from_dict(sweep_dict(executor="Ray")).executor is Executor.RAY


def test_round_trip_and_defaults():
    """A sweep loads with defaults (TPE, median pruner, local, eval/mean_reward) and round-trips."""
    spec = SweepSpec.from_dict(sweep_dict())
    assert (
        spec.metric == "eval/mean_reward"
        and spec.sampler.value == "tpe"
        and spec.pruner.kind.value == "median"
    )
    assert spec.executor.value == "local" and spec.n_trials == 8 and spec.parallelism == 1
    assert [p.kind for p in spec.search_space] == [
        ParamKind.FLOAT,
        ParamKind.CATEGORICAL,
        ParamKind.INT,
        ParamKind.FLOAT,
    ]
    assert SweepSpec.from_dict(spec.to_dict()) == spec


def test_trial_config_applies_behavior_and_environment_parameters():
    """Behavior paths merge into default_settings (keeping base overrides); env params become constants."""
    spec = SweepSpec.from_dict(sweep_dict())
    job = spec.trial_job(
        3, {"hyperparameters.learning_rate": 5e-4, "environment_parameters.target_distance": 2.5}
    )
    assert job.job_id == "s1-t0003"
    overrides = job.rl_config.mlagents_overrides
    assert overrides["default_settings"] == {"time_horizon": 32, "hyperparameters": {"learning_rate": 5e-4}}
    assert overrides["environment_parameters"] == {"target_distance": 2.5}
    options = job.rl_config.to_run_options("ReachAgent")
    settings = options.behavior_settings("ReachAgent")
    assert settings.hyperparameters.learning_rate == 5e-4 and settings.time_horizon == 32
    assert spec.rl_config.mlagents_overrides == {"default_settings": {"time_horizon": 32}}  # base untouched


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"search_space": {"hyperparameters.learnin_rate": {"type": "float", "low": 0.1, "high": 1}}},
            "learnin_rate",
        ),
        (
            {"search_space": {"hyperparameters.learning_rate": {"type": "float", "low": 1, "high": 0.1}}},
            "low",
        ),
        (
            {
                "search_space": {
                    "hyperparameters.learning_rate": {"type": "float", "low": 0, "high": 1, "log": True}
                }
            },
            "log-scale",
        ),
        (
            {"search_space": {"hyperparameters.learning_rate": {"type": "normal", "low": 0, "high": 1}}},
            "type",
        ),
        (
            {
                "search_space": {
                    "hyperparameters.learning_rate": {"type": "float", "low": 0, "high": 1, "mu": 1}
                }
            },
            "mu",
        ),
        ({"search_space": {"x": {"type": "categorical", "choices": []}}}, "choices"),
        ({"search_space": {}}, "search_space"),
        ({"n_trials": 0}, "n_trials"),
        ({"n_trials": 10**9}, "n_trials"),
        ({"parallelism": 1000}, "parallelism"),
        ({"executor": "k8s"}, "executor"),
        ({"metric": "loss"}, "metric"),
        ({"pruner": {"kind": "hyperband"}}, "pruner.kind"),
        ({"sweep_id": "../x"}, "sweep_id"),
        ({"trials": 3}, "unknown key 'trials'"),
    ],
)
def test_bad_specs_name_the_field(change, message):
    """Every bad field raises SpecError naming it (a misspelt ML-Agents key is caught at load time)."""
    with pytest.raises(SpecError, match=message):
        SweepSpec.from_dict(sweep_dict(**change))


def test_load_sweep_names_the_file(tmp_path):
    """load_sweep reads YAML and prefixes errors with the file."""
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(sweep_dict()))
    assert load_sweep(path).sweep_id == "s1"
    path.write_text(yaml.safe_dump(sweep_dict(n_trials="many")))
    with pytest.raises(SpecError, match=r"sweep.yaml: n_trials"):
        load_sweep(path)
