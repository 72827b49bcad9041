"""The root command: one-line usage errors, plain help with flags shown as flags, ``version --json``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app

runner = CliRunner()
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run"], "error: Missing argument 'job_file'."),
        (["jobs", "resume"], "error: Missing argument 'job_id'."),
        (["run", "a.yaml", "b.yaml"], "error: Got unexpected extra argument"),
        (["nosuch"], "error: No such command 'nosuch'."),
        (["schedule", "run", "--poll-interval", "0"], "error: Invalid value for '--poll-interval'"),
    ],
)
def test_usage_errors_are_one_line(args, message):
    """A usage mistake is one 'error: …' line naming the problem and the help to read, exit code 2."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message) and "--help'" in lines[0]
    assert "╭" not in result.output and "Usage:" not in result.output


def test_usage_error_from_the_real_entry_point():
    """The installed entry point behaves the same (one line on stderr, exit 2)."""
    out = subprocess.run(
        [sys.executable, "-m", "mlops_unity_pipeline", "jobs", "show"],
        capture_output=True, text=True, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip().splitlines() == [
        "error: Missing argument 'job_id'. (see 'python -m mlops_unity_pipeline jobs show --help')"
    ]


def test_boolean_flags_show_as_flags():
    """Help lists --resume / --json as flags, never '--resume <bool>', and draws no boxes."""
    learn = runner.invoke(app, ["learn", "--help"]).output
    assert "--resume " in learn and "<bool>" not in learn and "╭" not in learn
    run = runner.invoke(app, ["run", "--help"]).output
    assert "--json " in run and "-q, --quiet" in run and "<bool>" not in run


def test_a_bare_group_prints_its_help():
    """`mlops-unity jobs` alone shows the group's commands (click's no_args_is_help)."""
    result = runner.invoke(app, ["jobs"])
    assert "resume" in result.stdout and "cancel" in result.stdout and "error:" not in result.output


def test_version_json():
    """version --json is one JSON object with the package and ML-Agents versions."""
    result = runner.invoke(app, ["version", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["mlagents_release"] == "22" and data["onnx_model_version"] == 3
    assert data["communicator_api"] == "1.5.0" and data["mlops_unity_pipeline"]
    plain = runner.invoke(app, ["version"]).stdout
    assert plain.startswith("mlops_unity_pipeline ") and "ML-Agents Release 22" in plain
