"""``mlops-unity sweep``: summary and --json output, overrides, bad files, a real tiny sweep (slow)."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from tests.sweep.fakes import fake_stages

runner = CliRunner()

SWEEP = {
    "sweep_id": "cli-sweep",
    "asset_spec": {"asset_id": "reach-001", "name": "ReachAgent", "description": "Reach a target position"},
    "rl_config": {"max_steps": 600, "num_envs": 2, "seed": 1, "evaluation_episodes": 2},
    "search_space": {
        "hyperparameters.learning_rate": {"type": "float", "low": 1e-4, "high": 1e-2, "log": True}
    },
    "n_trials": 2,
    "seed": 0,
}


@pytest.fixture
def sweep_file(tmp_path):
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(SWEEP))
    return path


@pytest.fixture
def fake_trials(monkeypatch):
    monkeypatch.setattr("mlops_unity_pipeline.sweep.trial._stages", lambda task: fake_stages(sleep_s=0.0))


def test_sweep_prints_best_trial_version_and_report(tmp_path, sweep_file, fake_trials):
    """The summary names the best trial, its registry version (candidate/champion) and the report files."""
    result = runner.invoke(app, ["sweep", str(sweep_file), "-w", str(tmp_path / "ws"), "--n-trials", "3"])
    assert result.exit_code == 0, result.output
    assert "sweep cli-sweep: 3 complete" in result.output
    assert "registry   version 1 (champion)" in result.output  # the first version passes the gate
    assert "report.html" in result.output and "trial 2 complete [3/3]" in result.output


def test_sweep_json_is_one_object(tmp_path, sweep_file, fake_trials):
    """--json prints one object with counts, best trial and trials; progress lines go to stderr only."""
    result = runner.invoke(app, ["sweep", str(sweep_file), "-w", str(tmp_path / "ws"), "--json", "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"] == {"complete": 2} and len(data["trials"]) == 2
    assert data["best"]["job_id"].startswith("cli-sweep-t") and data["registered_version"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sweep_id: x\n", "missing required key 'asset_spec'"),
        ("[1, 2]", "expected a mapping"),
        (yaml.safe_dump({**SWEEP, "parallelism": 0}), "parallelism: must be >= 1"),
    ],
)
def test_bad_sweep_file_is_one_line_error(tmp_path, content, message):
    """A bad sweep file exits 2 with one line naming the file and field, no traceback."""
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    result = runner.invoke(app, ["sweep", str(path), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_bad_override_is_one_line_error(tmp_path, sweep_file):
    """--executor with an unknown value is rejected like the same key in the file."""
    result = runner.invoke(app, ["sweep", str(sweep_file), "-w", str(tmp_path / "ws"), "--executor", "k8s"])
    assert result.exit_code == 2 and "executor: expected one of auto, local, ray" in result.output


@pytest.mark.slow
def test_real_tiny_sweep_trains_evaluates_and_registers(tmp_path, sweep_file):
    """Two real trials (simulator, built-in PPO, 600 steps): both evaluated, the best registered."""
    result = runner.invoke(app, ["sweep", str(sweep_file), "-w", str(tmp_path / "ws"), "--json", "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"] == {"complete": 2}
    values = [t["value"] for t in data["trials"]]
    assert data["best"]["value"] == max(values) and data["registered_version"] == 1
    models = json.loads(runner.invoke(app, ["models", "list", "-w", str(tmp_path / "ws"), "--json"]).stdout)
    assert "reach-001" in json.dumps(models)
