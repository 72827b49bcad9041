"""`mlops-unity learn`: flags mirror mlagents-learn, --json prints one object, errors are one stderr line."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app

CONFIG = {
    "behaviors": {
        "Basic": {
            "trainer_type": "ppo",
            "hyperparameters": {
                "batch_size": 32,
                "buffer_size": 256,
                "learning_rate": 3.0e-4,
                "beta": 5.0e-3,
                "epsilon": 0.2,
                "lambd": 0.95,
                "num_epoch": 3,
            },
            "network_settings": {"normalize": False, "hidden_units": 20, "num_layers": 1},
            "reward_signals": {"extrinsic": {"gamma": 0.9, "strength": 1.0}},
            "max_steps": 300,
            "time_horizon": 3,
            "summary_freq": 100,
        }
    }
}


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "Basic.yaml"
    path.write_text(yaml.safe_dump(CONFIG))
    return path


def _learn(config_file, tmp_path, *extra):
    runner = CliRunner()
    args = [
        "learn",
        str(config_file),
        "--env",
        "sim:Basic",
        "--run-id",
        "r1",
        "--results-dir",
        str(tmp_path / "results"),
        "--seed",
        "3",
        *extra,
    ]
    return runner.invoke(app, args)


def test_learn_json_prints_final_figures(config_file, tmp_path):
    """--json: exit 0 and exactly one JSON object with steps, mean reward, wall seconds and paths."""
    result = _learn(config_file, tmp_path, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout.strip())
    basic = payload["behaviors"]["Basic"]
    assert basic["steps"] == 300 and payload["run_id"] == "r1" and payload["wall_seconds"] > 0
    assert basic["onnx_path"].endswith("r1/Basic.onnx")
    run = tmp_path / "results" / "r1"
    assert (run / "Basic.onnx").is_file() and (run / "configuration.yaml").is_file()
    written = yaml.safe_load((run / "configuration.yaml").read_text())
    assert written["env_settings"]["seed"] == 3 and written["checkpoint_settings"]["run_id"] == "r1"
    assert written["env_settings"]["env_path"] == "sim:Basic"


def test_learn_prints_mlagents_console_lines(config_file, tmp_path):
    """Without --json the ML-Agents summary lines and a final line are printed."""
    result = _learn(config_file, tmp_path)
    assert result.exit_code == 0, result.output
    assert "Basic. Step: 100. Time Elapsed: " in result.stdout
    assert "Trained Basic for 300 steps" in result.stdout


def test_existing_run_resume_and_force(config_file, tmp_path):
    """Re-running an id fails with one stderr line; --resume and --force (bare flags) succeed."""
    assert _learn(config_file, tmp_path, "--json").exit_code == 0
    again = _learn(config_file, tmp_path, "--json")
    assert again.exit_code != 0
    assert again.stderr.count("\n") == 1 and "--resume" in again.stderr and "--force" in again.stderr
    resumed = _learn(config_file, tmp_path, "--json", "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert json.loads(resumed.stdout)["behaviors"]["Basic"]["steps"] == 300
    forced = _learn(config_file, tmp_path, "--json", "--force")
    assert forced.exit_code == 0, forced.output


def test_behavior_not_in_config_is_an_error(tmp_path):
    """Training Basic with a 3DBall-only config names the missing behavior."""
    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump({"behaviors": {"3DBall": CONFIG["behaviors"]["Basic"]}}))
    result = _learn(path, tmp_path)
    assert result.exit_code != 0
    assert "'Basic'" in result.stderr and "3DBall" in result.stderr


def test_missing_env_is_an_error(config_file):
    """No --env and no env_settings.env_path -> a clear error."""
    result = CliRunner().invoke(app, ["learn", str(config_file), "--run-id", "x"])
    assert result.exit_code != 0 and "--env" in result.stderr


def test_bad_config_file_is_an_error(tmp_path):
    """An unknown key in the YAML exits non-zero naming it."""
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"behaviors": {"Basic": {"trainer_type": "ppo", "lr": 1}}}))
    result = _learn(path, tmp_path)
    assert result.exit_code != 0 and "lr" in result.stderr


def test_stop_at_reward_ends_training_at_the_first_summary_that_reaches_it(config_file, tmp_path):
    """--stop-at-reward: training ends at the first summary reaching the threshold; its model is written."""
    result = _learn(config_file, tmp_path, "--json", "--stop-at-reward", "-100")
    assert result.exit_code == 0, result.output
    basic = json.loads(result.stdout)["behaviors"]["Basic"]
    assert basic["stopped_at_reward"] is True and basic["steps"] < 300  # Basic's rewards are all > -100
    assert basic["mean_reward"] >= -100 and (tmp_path / "results" / "r1" / "Basic.onnx").is_file()
    never = _learn(config_file, tmp_path, "--json", "--force", "--stop-at-reward", "1000")
    full = json.loads(never.stdout)["behaviors"]["Basic"]
    assert full["stopped_at_reward"] is False and full["steps"] == 300
    plain = _learn(config_file, tmp_path, "--force", "--stop-at-reward", "-100")
    assert "stopped early" in plain.stdout
