"""``mlops-unity schedule``: add/list/remove/pause/resume/fires/run against a workspace (fake stages)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.scheduler import ManualClock, TrainingScheduler
from mlops_unity_pipeline.specs import TrainingSchedule

from ..output_watcher import OutputWatcher

runner = CliRunner()

SCHEDULE = {
    "schedule_id": "nightly",
    "cron_expression": "0 2 * * *",
    "timezone": "Europe/Paris",
    "asset_specs": [
        {
            "asset_id": "nav-001",
            "name": "NavigationAgent",
            "description": "Navigate around obstacles to reach a target",
            "observation_space": {"raycast": 8, "velocity": 2},
            "action_space": {"type": "continuous", "size": 2},
        }
    ],
    "rl_config": {"max_steps": 1000},
}


@pytest.fixture
def schedule_file(tmp_path):
    path = tmp_path / "nightly.yaml"
    path.write_text(yaml.safe_dump(SCHEDULE))
    return path


def invoke(*args: str):
    return runner.invoke(app, ["schedule", *args])


def test_add_list_pause_resume_remove(tmp_path, schedule_file):
    """The schedule life cycle through the CLI, with --json output parsed."""
    ws = str(tmp_path / "ws")
    result = invoke("add", str(schedule_file), "--workspace", ws, "--json")
    assert result.exit_code == 0, result.output
    added = json.loads(result.stdout)
    assert added["schedule_id"] == "nightly" and added["timezone"] == "Europe/Paris" and not added["paused"]
    next_fire = datetime.fromisoformat(added["next_fire_at"])
    assert next_fire.astimezone(timezone(timedelta(hours=0))).hour in (0, 1)  # 02:00 Paris is 00:00/01:00 UTC

    listed = json.loads(invoke("list", "--workspace", ws, "--json").stdout)
    assert [s["schedule_id"] for s in listed["schedules"]] == ["nightly"]
    assert "nightly" in invoke("list", "--workspace", ws).stdout

    assert invoke("pause", "nightly", "--workspace", ws).exit_code == 0
    assert json.loads(invoke("list", "--workspace", ws, "--json").stdout)["schedules"][0]["paused"] is True
    assert invoke("resume", "nightly", "--workspace", ws).exit_code == 0
    assert invoke("remove", "nightly", "--workspace", ws).exit_code == 0
    assert json.loads(invoke("list", "--workspace", ws, "--json").stdout) == {"schedules": []}


def test_bad_file_and_unknown_id_are_one_line_errors(tmp_path):
    """A schedule file with an unknown key, or an unknown id, exits 2 with one clear stderr line."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**SCHEDULE, "cron": "0 2 * * *"}))
    result = invoke("add", str(bad), "--workspace", str(tmp_path))
    assert result.exit_code == 2
    assert "unknown key 'cron'" in result.output and "Traceback" not in result.output
    result = invoke("remove", "nope", "--workspace", str(tmp_path))
    assert result.exit_code == 2 and "no schedule 'nope'" in result.output
    result = invoke("run", "--workspace", str(tmp_path), "--until", "tomorrow")
    assert result.exit_code == 2 and "--until: expected an ISO 8601 time" in result.output


def _add_due_schedule(workspace, minutes_ago: int = 3) -> None:
    """Add an every-minute schedule as if 3 minutes ago, so a fire is due now (within the grace window)."""
    spec = TrainingSchedule.from_dict({**SCHEDULE, "cron_expression": "* * * * *", "timezone": "UTC"})
    clock = ManualClock(datetime.now(timezone.utc) - timedelta(minutes=minutes_ago))
    with TrainingScheduler(None, db_path=workspace / "scheduler.db", clock=clock) as scheduler:
        scheduler.add_schedule(spec)


def test_run_once_runs_the_due_fire_through_the_orchestrator(tmp_path, fake_pipeline):
    """run --once: the newest due fire runs as a real orchestrator job; older ones are recorded skipped."""
    ws = tmp_path / "ws"
    _add_due_schedule(ws)
    result = invoke("run", "--workspace", str(ws), "--once", "--json")
    assert result.exit_code == 0, result.output
    fires = json.loads(result.stdout)["fires"]
    assert [f["state"] for f in fires][-1] == "succeeded"
    assert all(f["state"] == "skipped" and "superseded" in f["reason"] for f in fires[:-1])
    [job_id] = fires[-1]["job_ids"]
    jobs = runner.invoke(app, ["jobs", "show", job_id, "--workspace", str(ws), "--json"])
    assert jobs.exit_code == 0, jobs.output
    assert json.loads(jobs.stdout)["state"] == "succeeded"
    # a second --once has nothing left to do for the fire times already handled (a minute boundary crossed
    # meanwhile may make exactly one newer fire due: that one is not a repeat)
    again = json.loads(invoke("run", "--workspace", str(ws), "--once", "--json").stdout)["fires"]
    handled = {f["fire_time"] for f in fires}
    assert not [f for f in again if f["fire_time"] in handled]
    assert len(again) <= 1 and all(f["fire_time"] > fires[-1]["fire_time"] for f in again)
    history = json.loads(invoke("fires", "nightly", "--workspace", str(ws), "--json").stdout)["fires"]
    assert history[0]["job_ids"] == [job_id]


def test_run_until_returns(tmp_path, fake_pipeline):
    """run --until a moment just ahead runs the due fire and returns by itself."""
    ws = tmp_path / "ws"
    _add_due_schedule(ws)
    until = (datetime.now(timezone.utc) + timedelta(seconds=2)).isoformat()
    result = invoke("run", "--workspace", str(ws), "--until", until, "--poll-interval", "0.5", "--json")
    assert result.exit_code == 0, result.output
    states = [f["state"] for f in json.loads(result.stdout)["fires"]]
    assert "succeeded" in states


def test_run_stops_cleanly_on_sigterm(tmp_path, schedule_file):
    """`mlops-unity schedule run` as a process: SIGTERM makes it exit 0 (graceful), not die by the signal."""
    import signal
    import subprocess
    import sys

    ws = tmp_path / "ws"
    assert invoke("add", str(schedule_file), "--workspace", str(ws)).exit_code == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "mlops_unity_pipeline", "schedule", "run", "--workspace", str(ws)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watcher = OutputWatcher(process.stdout)
    try:
        # Logged by run_forever once its SIGTERM/SIGINT handlers are installed: the signal is handled.
        assert watcher.wait_for("scheduler running on", timeout=120), watcher.output(0)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        output = watcher.output()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert "received SIGTERM" in output


def test_run_wires_mirrors_from_the_environment(tmp_path, monkeypatch):
    """No variables: no mirrors. A Vertex bucket without a project: one clear error line, no traceback."""
    from mlops_unity_pipeline.registry.env import registry_mirrors_from_env

    for name in (
        "MLFLOW_TRACKING_URI",
        "MLOPS_VERTEX_STAGING_BUCKET",
        "GOOGLE_CLOUD_PROJECT",
        "CLOUDSDK_CORE_PROJECT",
    ):
        monkeypatch.delenv(name, raising=False)
    assert registry_mirrors_from_env() == []
    pytest.importorskip("google.cloud.aiplatform", reason="the [vertex] extra is not installed")
    monkeypatch.setenv("MLOPS_VERTEX_STAGING_BUCKET", "gs://bucket/models")
    result = invoke("run", "--workspace", str(tmp_path), "--once")
    assert result.exit_code == 2
    assert "no Google Cloud project; pass project= or set GOOGLE_CLOUD_PROJECT" in result.output
    assert "Traceback" not in result.output
