"""A SIGKILLed job shows as interrupted; ``jobs resume`` finishes it from its last stage and checkpoint."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.orchestrator.jobs import JobStore
from mlops_unity_pipeline.orchestrator.states import RunState

runner = CliRunner()

# The runner stands in for `mlops-unity run` in a terminal, where Ctrl-C meets the default SIGINT handler.
# A child inherits an ignored or blocked SIGINT from its parent, and asyncio.run installs its Ctrl-C handler
# only over the default one: twice this session the runner, started from an xdist worker whose signal state an
# earlier test had changed, never saw the SIGINT (its stage still polling 30 s later). So it sets the default.
FAKE_RUNNER = """
import asyncio, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
from mlops_unity_pipeline.orchestrator import FakeStage, UnityMLOpsOrchestrator
from mlops_unity_pipeline.specs import TrainingJob, UnityAssetSpec
stages = [FakeStage(n, sleep_s=60 if n == "train" else 0)
          for n in ("codegen", "build", "train", "evaluate", "package", "register", "notify")]
orch = UnityMLOpsOrchestrator(sys.argv[1], stages=stages, heartbeat_s=0.2)
job = TrainingJob(job_id="crash", asset_spec=UnityAssetSpec(asset_id="a", name="A"))
asyncio.run(orch.execute_training_job(job))
"""


def wait_for(predicate, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")


def stage_state(store, name):
    if not store.path.exists() or not store.exists("crash"):
        return None
    stage = store.get("crash").stage(name)
    return stage.state if stage else None


def test_sigkill_mid_stage_then_resume_with_fake_stages(tmp_path):
    """SIGKILL during a stage: the job reads as interrupted, and resume skips the finished stages."""
    ws = tmp_path / "ws"
    proc = subprocess.Popen([sys.executable, "-c", FAKE_RUNNER, str(ws)])
    try:
        store = wait_for(
            lambda: (ws / "pipeline.db").exists() and JobStore(ws / "pipeline.db"), 60, "the store"
        )
        wait_for(lambda: stage_state(store, "train") is RunState.RUNNING, 60, "the train stage")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    record = store.get("crash")
    assert record.state is RunState.INTERRUPTED and record.stage("train").state is RunState.INTERRUPTED
    listed = json.loads(runner.invoke(app, ["jobs", "list", "-w", str(ws), "--json"]).stdout)
    assert listed["jobs"][0]["state"] == "interrupted"

    import asyncio

    from mlops_unity_pipeline.orchestrator import FakeStage, UnityMLOpsOrchestrator

    stages = [
        FakeStage(n) for n in ("codegen", "build", "train", "evaluate", "package", "register", "notify")
    ]
    result = asyncio.run(UnityMLOpsOrchestrator(ws, stages=stages).resume_job("crash"))
    assert result.ok
    assert [s.calls for s in stages] == [0, 0, 1, 1, 1, 1, 1]


@pytest.mark.slow
def test_sigkill_mid_training_then_jobs_resume_continues_from_checkpoint(tmp_path):
    """Real pipeline in a subprocess, killed mid-training; `jobs resume` finishes from the checkpoint."""
    ws = tmp_path / "ws"
    job = {
        "job_id": "crash",
        "asset_spec": {"asset_id": "reach-1", "name": "ReachAgent", "description": "Reach a target position"},
        "rl_config": {
            "max_steps": 30_000,
            "num_envs": 4,
            "seed": 5,
            "evaluation_episodes": 4,
            # checkpoint.pt is rewritten every summary (1,000 steps), so the kill lands after one exists
            "mlagents_overrides": {"default_settings": {"summary_freq": 1000, "checkpoint_interval": 5000}},
        },
    }
    job_file = tmp_path / "job.yaml"
    job_file.write_text(yaml.safe_dump(job))
    cli = Path(sys.executable).with_name("mlops-unity")
    proc = subprocess.Popen(
        [str(cli), "run", str(job_file), "-w", str(ws), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        store = wait_for(
            lambda: (ws / "pipeline.db").exists() and JobStore(ws / "pipeline.db"), 120, "the store"
        )
        checkpoint_glob = "jobs/crash/attempt-1/results/crash/*/checkpoint.pt"
        wait_for(lambda: list(ws.glob(checkpoint_glob)), 240, "a training checkpoint")
        wait_for(
            lambda: ((store.get("crash").progress or {}).get("step") or 0) >= 3000, 240, "training progress"
        )
        assert stage_state(store, "train") is RunState.RUNNING
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()

    shown = json.loads(runner.invoke(app, ["jobs", "show", "crash", "-w", str(ws), "--json"]).stdout)
    assert shown["state"] == "interrupted"
    killed_at = shown["progress"]["step"]
    assert killed_at < 30_000

    result = runner.invoke(app, ["jobs", "resume", "crash", "-w", str(ws), "--json", "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "succeeded" and data["registry_version"] == 1
    record = store.get("crash")
    runs = {s.name: s.runs for s in record.stages}
    assert runs["codegen"] == 1 and runs["build"] == 1 and runs["train"] == 2
    train = record.stage("train").outputs
    assert train["resumed_from_checkpoint"] is True
    assert train["train/steps"] >= 30_000
    status = json.loads(
        next(ws.glob("jobs/crash/attempt-1/results/crash/run_logs/training_status.json")).read_text()
    )
    assert status, "training_status.json survives the resume"


def test_ctrl_c_cancels_cleanly_instead_of_leaving_a_zombie_job(tmp_path):
    """SIGINT to a running job stops its stage via the cancel flag: the job ends cancelled and resumable."""
    ws = tmp_path / "ws"
    log = tmp_path / "runner.log"  # the runner's stderr (its KeyboardInterrupt), shown if it hangs
    with log.open("wb") as stderr:
        command = [sys.executable, "-X", "faulthandler", "-c", FAKE_RUNNER, str(ws)]
        proc = subprocess.Popen(command, stderr=stderr)
    try:
        store = wait_for(
            lambda: (ws / "pipeline.db").exists() and JobStore(ws / "pipeline.db"), 60, "the store"
        )
        wait_for(lambda: stage_state(store, "train") is RunState.RUNNING, 60, "the train stage")
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)  # faulthandler writes every thread's stack to the log
            proc.wait(timeout=10)
            raise AssertionError("the runner ignored SIGINT for 30 s:\n" + log.read_text()[-4000:]) from None
        assert time.monotonic() - started < 20
    finally:
        if proc.poll() is None:
            proc.kill()
    record = store.get("crash")
    assert record.state is RunState.CANCELLED and record.stage("train").state is RunState.CANCELLED
