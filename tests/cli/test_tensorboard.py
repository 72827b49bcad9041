"""``mlops-unity tensorboard``: the command line it builds and runs (no server is left running)."""

from __future__ import annotations

import json
import sys

from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app

runner = CliRunner()


def test_json_prints_command_logdir_and_runs(tmp_path):
    """--json prints one object with the command, the workspace log dir and the runs; nothing starts."""
    events = tmp_path / "jobs" / "j1" / "attempt-1" / "results" / "j1" / "Agent"
    events.mkdir(parents=True)
    (events / "events.out.tfevents.1.host").write_bytes(b"")
    result = runner.invoke(app, ["tensorboard", "--workspace", str(tmp_path), "--port", "7100", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    logdir = str((tmp_path / "jobs").resolve())
    assert data["logdir"] == logdir
    assert data["command"] == [
        sys.executable,
        "-m",
        "tensorboard.main",
        "--logdir",
        logdir,
        "--port",
        "7100",
        "--host",
        "127.0.0.1",
        "--reload_interval",
        "30",
    ]
    assert [r["job_id"] for r in data["runs"]] == ["j1"]


def test_starts_tensorboard_with_that_command(tmp_path, monkeypatch):
    """Without --json the command is started (Popen faked here) and its exit code becomes ours."""
    started = []

    class FakeProcess:
        def __init__(self, command):
            started.append(command)

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr("subprocess.Popen", FakeProcess)
    result = runner.invoke(
        app, ["tensorboard", "--workspace", str(tmp_path), "--port", "0", "--host", "0.0.0.0"]
    )
    assert result.exit_code == 0, result.output
    [command] = started
    assert command[3:] == [
        "--logdir",
        str((tmp_path / "jobs").resolve()),
        "--port",
        "0",
        "--host",
        "0.0.0.0",
        "--reload_interval",
        "30",
    ]


def test_bad_port_is_a_clear_error(tmp_path):
    """An out-of-range port exits non-zero with one line naming --port."""
    result = runner.invoke(app, ["tensorboard", "--workspace", str(tmp_path), "--port", "99999"])
    assert result.exit_code != 0
    assert "--port: expected 0-65535" in result.output
