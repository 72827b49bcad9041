"""``mlops-unity jobs list|show|resume|cancel`` against a workspace run with FakeStages."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app

runner = CliRunner()


def run_failing(tmp_path, job_file, fake_pipeline):
    fake_pipeline.fail_train = True
    ws = str(tmp_path / "ws")
    assert runner.invoke(app, ["run", str(job_file), "-w", ws, "-q"]).exit_code == 1
    fake_pipeline.fail_train = False
    return ws


def test_list_and_show(tmp_path, job_file, fake_pipeline):
    """list shows the failed job; show lists its stages with the error; both have --json."""
    ws = run_failing(tmp_path, job_file, fake_pipeline)
    listed = runner.invoke(app, ["jobs", "list", "-w", ws])
    assert listed.exit_code == 0 and "cli-job" in listed.output and "failed" in listed.output
    data = json.loads(runner.invoke(app, ["jobs", "list", "-w", ws, "--json"]).stdout)
    assert data["jobs"][0]["state"] == "failed" and data["jobs"][0]["stage"] == "train"
    shown = runner.invoke(app, ["jobs", "show", "cli-job", "-w", ws])
    assert shown.exit_code == 0 and "train" in shown.output and "diverged" in shown.output
    record = json.loads(runner.invoke(app, ["jobs", "show", "cli-job", "-w", ws, "--json"]).stdout)
    assert [s["name"] for s in record["stages"]] == ["codegen", "build", "train"]
    only = json.loads(runner.invoke(app, ["jobs", "list", "-w", ws, "--json", "--state", "succeeded"]).stdout)
    assert only == {"jobs": []}


def test_resume_finishes_the_job(tmp_path, job_file, fake_pipeline):
    """resume continues a failed job to success."""
    ws = run_failing(tmp_path, job_file, fake_pipeline)
    result = runner.invoke(app, ["jobs", "resume", "cli-job", "-w", ws, "--json", "-q"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "succeeded"
    again = runner.invoke(app, ["jobs", "resume", "cli-job", "-w", ws])
    assert again.exit_code == 2 and "only" in again.stderr and "succeeded" in again.stderr


def test_cancel_finished_and_unknown_jobs(tmp_path, job_file, fake_pipeline):
    """Cancelling a failed job is refused clearly; unknown or escaping ids are clear errors."""
    ws = run_failing(tmp_path, job_file, fake_pipeline)
    assert runner.invoke(app, ["jobs", "resume", "cli-job", "-w", ws, "-q"]).exit_code == 0
    done = runner.invoke(app, ["jobs", "cancel", "cli-job", "-w", ws])
    assert done.exit_code == 2 and "SUCCEEDED" in done.stderr
    unknown = runner.invoke(app, ["jobs", "show", "nope", "-w", ws])
    assert unknown.exit_code == 2 and "no job 'nope'" in unknown.stderr
    escaping = runner.invoke(app, ["jobs", "cancel", "../x", "-w", ws])
    assert escaping.exit_code == 2 and "job_id" in escaping.stderr
    bad_state = runner.invoke(app, ["jobs", "list", "-w", ws, "--state", "sleeping"])
    assert bad_state.exit_code == 2 and "--state" in bad_state.stderr


def test_cancel_queued_job(tmp_path):
    """A queued job is cancelled at once."""
    from mlops_unity_pipeline.store.jobs import JobStore

    ws = tmp_path / "ws"
    JobStore(ws / "pipeline.db").create("q1", {"job_id": "q1"}, lambda n: ws / "jobs" / "q1")
    result = runner.invoke(app, ["jobs", "cancel", "q1", "-w", str(ws), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == {
        "job_id": "q1",
        "state": "cancelled",
        "outcome": "cancelled",
    }


def test_missing_workspace(tmp_path):
    """Commands on a workspace without a store say so."""
    result = runner.invoke(app, ["jobs", "list", "-w", str(tmp_path / "none")])
    assert result.exit_code == 2 and "no job store" in result.stderr


def test_show_links_the_report(tmp_path, job_file, fake_pipeline):
    """A packaged job's report.html is printed by run and jobs show, and is in jobs show --json."""
    ws = str(tmp_path / "ws")
    ran = runner.invoke(app, ["run", str(job_file), "-w", ws, "-q"])
    assert "report                 /ws/jobs/cli-job/report.html" in ran.stdout
    shown = runner.invoke(app, ["jobs", "show", "cli-job", "-w", ws])
    assert "report    /ws/jobs/cli-job/report.html" in shown.stdout
    record = json.loads(runner.invoke(app, ["jobs", "show", "cli-job", "-w", ws, "--json"]).stdout)
    assert record["report"] == "/ws/jobs/cli-job/report.html"


def test_list_keeps_long_scheduler_ids_whole(tmp_path, fake_pipeline):
    """A scheduler-style job id (longer than the old 24-character column) prints whole, with its error."""
    import yaml

    from tests.cli.conftest import JOB

    long_id = "nightly-navigation-agent-001-20240501T020000Z"
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump({**JOB, "job_id": long_id}))
    fake_pipeline.fail_train = True
    ws = str(tmp_path / "ws")
    runner.invoke(app, ["run", str(path), "-w", ws, "-q"])
    listed = runner.invoke(app, ["jobs", "list", "-w", ws])
    assert listed.exit_code == 0
    row = next(line for line in listed.stdout.splitlines() if long_id in line)
    assert "failed" in row and "train: diverged" in row
