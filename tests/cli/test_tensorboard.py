"""``mlops-unity tensorboard``: the command line it builds and runs (no server is left running)."""

from __future__ import annotations

import json
import sys

import pytest
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


@pytest.mark.slow  # starts a real TensorBoard (a few seconds to import)
def test_sigterm_stops_tensorboard_too(tmp_path):
    """SIGTERM to `mlops-unity tensorboard` stops its TensorBoard child (as Ctrl-C does) and exits 143."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    cli = subprocess.Popen(
        [sys.executable, "-m", "mlops_unity_pipeline", "tensorboard", "-w", str(tmp_path), "--port", "0"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    children_file = Path(f"/proc/{cli.pid}/task/{cli.pid}/children")
    child = None
    try:
        deadline = time.monotonic() + 60
        while child is None and time.monotonic() < deadline and cli.poll() is None:
            pids = children_file.read_text().split() if children_file.exists() else []
            child = int(pids[0]) if pids else None
            time.sleep(0.2)
        assert child is not None, cli.stderr.read() if cli.poll() is not None else "no TensorBoard child"
        time.sleep(1.0)  # let the handler be installed and TensorBoard start importing
        cli.send_signal(signal.SIGTERM)
        assert cli.wait(timeout=30) == 143
        assert "stopped (SIGTERM)" in cli.stderr.read()
        deadline = time.monotonic() + 15
        while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
            stat = Path(f"/proc/{child}/stat").read_text() if Path(f"/proc/{child}/stat").exists() else ""
            if ") Z " in stat:  # a zombie is gone for good (its parent already exited)
                break
            time.sleep(0.2)
        alive = Path(f"/proc/{child}/stat").exists() and ") Z " not in Path(f"/proc/{child}/stat").read_text()
        assert not alive, "TensorBoard outlived the CLI"
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
        if child is not None and Path(f"/proc/{child}").exists():
            try:
                os.kill(child, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
