"""``mlops-unity run``: result output, --json, exit codes, bad job files, progress display."""

from __future__ import annotations

import io
import json

from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.cli.run import ProgressDisplay
from mlops_unity_pipeline.progress import ProgressEvent

runner = CliRunner()


def test_run_prints_model_and_version(tmp_path, job_file, fake_pipeline):
    """A successful run prints the model path, sha256 and registry version."""
    result = runner.invoke(app, ["run", str(job_file), "--workspace", str(tmp_path / "ws"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "job cli-job: succeeded" in result.output
    assert "/ws/m.onnx" in result.output and "version 1 (champion)" in result.output


def test_run_json_is_one_object(tmp_path, job_file, fake_pipeline):
    """--json prints exactly one JSON object with status, model and version."""
    result = runner.invoke(app, ["run", str(job_file), "-w", str(tmp_path / "ws"), "--json", "-q"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["status"] == "succeeded" and data["registry_version"] == 1
    assert data["metrics"]["eval/mean_reward"] == 0.9


def test_failed_job_exits_non_zero_with_one_error_line(tmp_path, job_file, fake_pipeline):
    """A failed stage exits 1 with the stage and error on stderr, and a resume hint."""
    fake_pipeline.fail_train = True
    result = runner.invoke(app, ["run", str(job_file), "-w", str(tmp_path / "ws"), "-q"])
    assert result.exit_code == 1
    assert "error: job cli-job failed: train: diverged" in result.stderr
    assert "mlops-unity jobs resume cli-job" in result.stdout


def test_bad_job_file_names_file_and_field(tmp_path, fake_pipeline):
    """An escaping job id in a job file is one clear error line, no traceback."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("job_id: ../../etc\nasset_spec: {asset_id: a, name: A}\n")
    result = runner.invoke(app, ["run", str(bad), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 2
    assert "bad.yaml: job_id" in result.stderr and "Traceback" not in result.output
    missing = runner.invoke(app, ["run", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_unusable_workspace_is_one_error_line(tmp_path, job_file, fake_pipeline):
    """A workspace path that is a file fails clearly."""
    (tmp_path / "ws").write_text("not a folder")
    result = runner.invoke(app, ["run", str(job_file), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 2 and "not a folder" in result.stderr


def test_progress_display_plain_and_tty():
    """Plain mode prints a line per stage and per 10% of training; TTY mode redraws one line."""
    plain = io.StringIO()
    display = ProgressDisplay(plain, tty=False)
    display(ProgressEvent(job_id="j", stage="codegen", message="codegen started"))
    for step in range(0, 1001, 50):
        display(
            ProgressEvent(job_id="j", stage="train", step=step, max_steps=1000, mean_reward=0.5, eta_s=65)
        )
    lines = plain.getvalue().splitlines()
    assert lines[0].startswith("[j] codegen") and len(lines) == 12
    assert "1,000/1,000 steps" in lines[-1] and "mean reward" in lines[-1] and "ETA 1:05" in lines[5]
    tty = io.StringIO()
    display = ProgressDisplay(tty, tty=True)  # rich's live display
    display(ProgressEvent(job_id="j", stage="train", step=10, max_steps=100, mean_reward=None, eta_s=None))
    display(ProgressEvent(job_id="j", stage="train", step=50, max_steps=100, mean_reward=0.25, eta_s=75))
    display.close()
    drawn = tty.getvalue()
    assert "\x1b[" in drawn and "━" in drawn  # ANSI redraws and a rich bar, not plain lines
    assert "50/100" in drawn and "reward 0.250" in drawn and "ETA 1:15" in drawn


def test_json_keeps_stdout_to_one_object_and_reports_progress_on_stderr(tmp_path, job_file, fake_pipeline):
    """--json without --quiet: stdout is exactly one JSON object; the stage lines go to stderr."""
    result = runner.invoke(app, ["run", str(job_file), "-w", str(tmp_path / "ws"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "succeeded"
    stages = [line.split()[1] for line in result.stderr.splitlines() if line.startswith("[cli-job]")]
    assert stages == ["codegen", "build", "train", "evaluate", "package", "register", "notify"]


def test_result_is_printed_before_waiting_for_webhooks(tmp_path, job_file, fake_pipeline, monkeypatch):
    """``run`` prints its result first, then waits (bounded) for webhook deliveries."""
    from mlops_unity_pipeline.cli import run as run_module
    from mlops_unity_pipeline.orchestrator.pipeline import UnityMLOpsOrchestrator

    order: list[str] = []
    summarize = run_module.summarize
    monkeypatch.setattr(run_module, "summarize", lambda r: order.append("print") or summarize(r))
    close = UnityMLOpsOrchestrator.close
    waits: list[float] = []

    def recording_close(self, timeout_s=30.0):
        order.append("close")
        waits.append(timeout_s)
        return close(self, timeout_s)

    monkeypatch.setattr(UnityMLOpsOrchestrator, "close", recording_close)
    result = runner.invoke(app, ["run", str(job_file), "-w", str(tmp_path / "ws"), "-q"])
    assert result.exit_code == 0, result.output
    assert order == ["print", "close"] and waits == [run_module.EXIT_WAIT_S]
