"""Workspace-level TensorBoard: every job's events under one log dir, found by TensorBoard itself."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.tensorboard import list_runs, tensorboard_command, workspace_logdir


def write_job_events(workspace: Path, job_id: str, behavior: str, rewards: list[float]) -> Path:
    """Events where the train stage's trainer writes them: jobs/<id>/attempt-1/results/<id>/<Behavior>/."""
    from torch.utils.tensorboard import SummaryWriter

    folder = workspace / "jobs" / job_id / "attempt-1" / "results" / job_id / behavior
    writer = SummaryWriter(log_dir=str(folder))
    for step, reward in enumerate(rewards, start=1):
        writer.add_scalar("Environment/Cumulative Reward", reward, step * 1000)
    writer.close()
    return folder


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace with two jobs' training events (and an unrelated file)."""
    write_job_events(tmp_path, "nightly-20240501T020000Z-agent-001", "3DBall", [0.1, 0.5, 0.9])
    write_job_events(tmp_path, "job-b", "Navigator", [-1.0, 0.0])
    (tmp_path / "jobs" / "job-b" / "attempt-1" / "notes.txt").write_text("not events")
    return tmp_path


def test_list_runs_finds_every_job(workspace):
    """list_runs reports one run per job behavior, with the job id and the name TensorBoard shows."""
    runs = list_runs(workspace)
    assert [(r.job_id, r.behavior) for r in runs] == [
        ("job-b", "Navigator"),
        ("nightly-20240501T020000Z-agent-001", "3DBall"),
    ]
    assert runs[0].name == "job-b/attempt-1/results/job-b/Navigator"
    assert list_runs(workspace / "nowhere") == []


def test_tensorboard_discovers_all_jobs_in_the_workspace_logdir(workspace):
    """TensorBoard's own multiplexer, pointed at workspace_logdir, loads both jobs' reward curves."""
    from tensorboard.backend.event_processing.plugin_event_multiplexer import EventMultiplexer

    multiplexer = EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(workspace_logdir(workspace)))
    multiplexer.Reload()
    runs = {run: multiplexer.GetAccumulator(run) for run in multiplexer.Runs()}
    assert set(runs) == {r.name for r in list_runs(workspace)}
    curve = runs[
        "nightly-20240501T020000Z-agent-001/attempt-1/results/nightly-20240501T020000Z-agent-001/3DBall"
    ]
    points = [
        (e.step, round(float(e.tensor_proto.float_val[0]), 3))
        for e in curve.Tensors("Environment/Cumulative Reward")
    ]
    assert points == [(1000, 0.1), (2000, 0.5), (3000, 0.9)]


def test_command_line(tmp_path):
    """The command runs this interpreter's TensorBoard on <workspace>/jobs, bound to localhost by default."""
    command = tensorboard_command(tmp_path, port=7007)
    assert command == [
        sys.executable,
        "-m",
        "tensorboard.main",
        "--logdir",
        str((tmp_path / "jobs").resolve()),
        "--port",
        "7007",
        "--host",
        "127.0.0.1",
        "--reload_interval",
        "30",
    ]
    with pytest.raises(SpecError, match="--port: expected 0-65535"):
        tensorboard_command(tmp_path, port=70000)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_real_tensorboard_serves_every_job(workspace):
    """The built command starts TensorBoard; its /data/runs lists both jobs; the server is stopped after."""
    port = _free_port()
    process = subprocess.Popen(
        tensorboard_command(workspace, port=port, reload_interval_s=1),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        runs: list = []
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/data/runs", timeout=2) as response:
                    import json

                    runs = json.loads(response.read())
                if len(runs) == 2:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert sorted(runs) == sorted(r.name for r in list_runs(workspace))
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
