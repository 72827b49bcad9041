"""``mlops-unity config check``: resolved YAML/JSON, or one error line and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.rl.config import RunOptions, load_run_options
from tests.conftest import anchor

runner = CliRunner()

GOOD = """\
behaviors:
  3DBall:
    trainer_type: ppo
    hyperparameters:
      batch_size: 64
      buffer_size: 12000
      learning_rate_schedule: constant
    max_steps: 5.0e5
"""


def _write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_check_prints_resolved_yaml(tmp_path: Path) -> None:
    """A valid file exits 0 and prints every resolved key; the output loads back to the same options."""
    path = _write(tmp_path, GOOD)
    result = runner.invoke(app, ["config", "check", str(path)])
    assert result.exit_code == 0, result.output
    printed = yaml.safe_load(result.stdout)
    ball = printed["behaviors"]["3DBall"]
    assert ball["max_steps"] == 500000
    assert ball["hyperparameters"]["beta_schedule"] == "constant"  # copied from learning_rate_schedule
    assert ball["hyperparameters"]["lambd"] == 0.95  # default filled in
    assert printed["engine_settings"]["time_scale"] == 20.0
    assert RunOptions.from_dict(printed) == load_run_options(path)


def test_check_json_prints_one_object(tmp_path: Path) -> None:
    """--json prints exactly one JSON object on stdout."""
    path = _write(tmp_path, GOOD)
    result = runner.invoke(app, ["config", "check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    payload = json.loads(lines[0])
    assert payload["behaviors"]["3DBall"]["trainer_type"] == "ppo"
    assert RunOptions.from_dict(payload) == load_run_options(path)


def test_check_upstream_anchor() -> None:
    """An upstream config (WallJump_curriculum) checks fine and keeps its curriculum."""
    result = runner.invoke(
        app, ["config", "check", str(anchor("config/ppo/WallJump_curriculum.yaml")), "--json"]
    )
    assert result.exit_code == 0, result.output
    lessons = json.loads(result.stdout)["environment_parameters"]["big_wall_height"]["curriculum"]
    assert [lesson["name"] for lesson in lessons] == ["Lesson0", "Lesson1", "Lesson2", "Lesson3"]


def test_check_unknown_key_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    """An unknown key: exit 2, one stderr line naming file, key, section and expected keys."""
    path = _write(tmp_path, GOOD.replace("batch_size: 64", "lr: 0.1"), "bad.yaml")
    result = runner.invoke(app, ["config", "check", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}: unknown key 'lr' in behaviors.3DBall.hyperparameters")
    assert "expected one of: batch_size" in lines[0]


def test_check_bad_value(tmp_path: Path) -> None:
    """A bad value names the field path."""
    path = _write(tmp_path, GOOD.replace("batch_size: 64", "batch_size: -64"), "neg.yaml")
    result = runner.invoke(app, ["config", "check", str(path), "--json"])
    assert result.exit_code == 2
    assert "behaviors.3DBall.hyperparameters.batch_size: must be >= 1, got -64" in result.stderr
    assert result.stdout == ""


def test_check_missing_file(tmp_path: Path) -> None:
    """A missing file exits non-zero with one line naming it."""
    result = runner.invoke(app, ["config", "check", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'absent.yaml'}: no such file"


def test_check_invalid_yaml(tmp_path: Path) -> None:
    """Broken YAML exits non-zero with the line number."""
    path = _write(tmp_path, "behaviors:\n  B: [\n", "broken.yaml")
    result = runner.invoke(app, ["config", "check", str(path)])
    assert result.exit_code == 2
    assert "invalid YAML at line" in result.stderr
