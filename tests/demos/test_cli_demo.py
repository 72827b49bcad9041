"""`mlops-unity demo info|record` through typer's CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from tests.conftest import anchor

runner = CliRunner()


def test_info_json_single_file() -> None:
    """--json prints one object with behavior, counts, mean reward, shapes and action spec."""
    result = runner.invoke(app, ["demo", "info", str(anchor("demos/test_hybrid_visual.demo")), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["behavior_name"] == "VisualFoodCollector?team=0"
    assert data["steps"] == 25 and data["episodes"] == 1 and data["mean_reward"] == 4.0
    assert data["observation_shapes"] == [[3, 84, 84], [1]]
    assert data["action_spec"] == {"continuous_size": 3, "discrete_branches": [2]}


def test_info_text_and_directory(tmp_path: Path) -> None:
    """Text output lists each file; a folder with --json gives a files list."""
    shutil.copy(anchor("demos/ExpertBasic.demo"), tmp_path / "basic.demo")
    shutil.copy(anchor("demos/test_3DBall_25steps.demo"), tmp_path / "ball.demo")
    text = runner.invoke(app, ["demo", "info", str(tmp_path)])
    assert text.exit_code == 0
    assert (
        "BasicLearning" in text.stdout and "discrete=[3]" in text.stdout and "steps:        73" in text.stdout
    )
    as_json = runner.invoke(app, ["demo", "info", str(tmp_path), "--json"])
    data = json.loads(as_json.stdout)
    assert [f["behavior_name"] for f in data["files"]] == ["3DBall", "BasicLearning"]


def test_info_corrupt_file_is_one_line_error(tmp_path: Path) -> None:
    """A truncated file exits non-zero with one stderr line naming the file and offset."""
    bad = tmp_path / "bad.demo"
    bad.write_bytes(anchor("demos/ExpertBasic.demo").read_bytes()[:100])
    result = runner.invoke(app, ["demo", "info", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "at byte" in lines[0]
    missing = runner.invoke(app, ["demo", "info", str(tmp_path / "none.demo")])
    assert missing.exit_code == 2 and "No such file" in missing.stderr


def test_record_then_info(tmp_path: Path) -> None:
    """`demo record Basic` writes a file that `demo info` reads back."""
    out = tmp_path / "rec.demo"
    result = runner.invoke(
        app, ["demo", "record", "Basic", "--episodes", "2", "--out", str(out), "--seed", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["episodes"] == 2 and data["behavior_name"] == "Basic" and data["name"] == "rec"
    info = json.loads(runner.invoke(app, ["demo", "info", str(out), "--json"]).stdout)
    assert info["steps"] == data["steps"]


def test_record_bad_flags(tmp_path: Path) -> None:
    """Bad --out suffix, missing model and unknown task are clean errors."""
    wrong = runner.invoke(
        app, ["demo", "record", "Basic", "--episodes", "1", "--out", str(tmp_path / "x.txt")]
    )
    assert wrong.exit_code == 2 and ".demo" in wrong.stderr
    model = runner.invoke(
        app,
        [
            "demo",
            "record",
            "Basic",
            "--episodes",
            "1",
            "--out",
            str(tmp_path / "x.demo"),
            "--policy",
            "nope.onnx",
        ],
    )
    assert model.exit_code == 2 and "nope.onnx" in model.stderr
    task = runner.invoke(
        app, ["demo", "record", "Nope", "--episodes", "1", "--out", str(tmp_path / "x.demo")]
    )
    assert task.exit_code == 2 and "Nope" in task.stderr
    zero = runner.invoke(
        app, ["demo", "record", "Basic", "--episodes", "0", "--out", str(tmp_path / "x.demo")]
    )
    assert zero.exit_code != 0
