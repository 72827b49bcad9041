"""The orchestrator with FakeStages: order, persistence, failure, resume, cancel, concurrency, notify."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from mlops_unity_pipeline.errors import InvalidTransition, SpecError, StoreError, TrainError
from mlops_unity_pipeline.orchestrator import FakeStage, RunState, StageResult, UnityMLOpsOrchestrator
from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingJob, UnityAssetSpec
from tests.orchestrator.fakes import NAMES, fake_outputs


def job(job_id="job-1"):
    return TrainingJob(
        job_id=job_id,
        asset_spec=UnityAssetSpec(asset_id="nav-001", name="NavigationAgent"),
        rl_config=RLTrainingConfig(max_steps=1000),
    )


def fake_stages(**overrides):
    outputs = fake_outputs()
    return [overrides.get(n) or FakeStage(n, output=outputs.get(n)) for n in NAMES]


class RecordingNotifier:
    def __init__(self):
        self.events = []

    def send(self, event, payload):
        self.events.append((event, payload))


def run(coro):
    return asyncio.run(coro)


def test_runs_every_stage_in_order_and_builds_the_result(tmp_path):
    """All stages run once, in order, seeing earlier outputs; the result gathers model, version, metrics."""
    stages = fake_stages()
    orch = UnityMLOpsOrchestrator(tmp_path / "ws", stages=stages, notifier=None)
    result = run(orch.execute_training_job(job()))
    assert result.status is RunState.SUCCEEDED and result.ok
    assert [s.calls for s in stages] == [1] * 7
    assert list(stages[3].seen_outputs[0]) == ["codegen", "build", "train"]
    assert (result.model_path, result.registry_version, result.promoted) == ("/m.onnx", 3, True)
    assert result.metrics["eval/mean_reward"] == 0.9 and result.metrics["train/steps"] == 1000
    assert result.paths["metadata"] == "/meta.json"
    assert set(result.stage_seconds) == set(NAMES)
    record = orch.get_job("job-1")
    assert [s.state for s in record.stages] == [RunState.SUCCEEDED] * 7
    assert "succeeded" in str(result) and "version=3" in str(result).replace("registry_version", "version")


def test_failure_is_recorded_and_resume_continues_from_the_failed_stage(tmp_path):
    """A failing stage marks the job failed; resume skips the finished stages and restores their outputs."""
    train = FakeStage("train", output=fake_outputs()["train"], error=TrainError("diverged"))
    stages = fake_stages(train=train)
    notifier = RecordingNotifier()
    orch = UnityMLOpsOrchestrator(tmp_path, stages=stages, notifier=notifier)
    result = run(orch.execute_training_job(job()))
    assert result.status is RunState.FAILED and result.failed_stage == "train" and "diverged" in result.error
    with pytest.raises(TrainError):
        result.raise_for_status()
    assert [e for e, _ in notifier.events] == ["job.started", "job.failed"]
    assert orch.get_job("job-1").stage("train").state is RunState.FAILED

    train.error = None
    resumed = run(orch.resume_job("job-1"))
    assert resumed.status is RunState.SUCCEEDED
    assert [s.calls for s in stages] == [1, 1, 2, 1, 1, 1, 1]
    assert list(train.seen_outputs[1]) == ["codegen", "build"]  # restored from the store, not re-run
    assert orch.get_job("job-1").stage("train").runs == 2


def test_unexpected_exception_is_recorded_with_traceback(tmp_path):
    """A non-pipeline exception fails the job with its type, and a traceback lands in the job's logs."""
    stages = fake_stages(build=FakeStage("build", error=KeyError("oops")))
    orch = UnityMLOpsOrchestrator(tmp_path, stages=stages)
    result = run(orch.execute_training_job(job()))
    assert result.status is RunState.FAILED and "KeyError" in result.error
    assert (tmp_path / "jobs" / "job-1" / "attempt-1" / "logs" / "build-error.txt").is_file()


def test_resume_refuses_succeeded_jobs(tmp_path):
    """Only interrupted, failed or cancelled jobs resume."""
    orch = UnityMLOpsOrchestrator(tmp_path, stages=fake_stages())
    run(orch.execute_training_job(job()))
    with pytest.raises(InvalidTransition, match="succeeded"):
        run(orch.resume_job("job-1"))


def test_rerun_of_a_finished_job_is_a_new_attempt(tmp_path):
    """Executing the same job id again runs every stage again in attempt-2."""
    stages = fake_stages()
    orch = UnityMLOpsOrchestrator(tmp_path, stages=stages)
    run(orch.execute_training_job(job()))
    result = run(orch.execute_training_job(job()))
    assert result.ok and [s.calls for s in stages] == [2] * 7
    assert result.paths["job_dir"].endswith("attempt-2")


def test_cancel_stops_a_running_job_cleanly(tmp_path):
    """cancel_job from another thread sets the flag; the running stage stops and the job is cancelled."""
    train = FakeStage("train", sleep_s=30)
    stages = fake_stages(train=train)
    orch = UnityMLOpsOrchestrator(tmp_path, stages=stages)

    def cancel_when_training():
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if orch.store.exists("job-1"):
                stage = orch.get_job("job-1").stage("train")
                if stage is not None and stage.state is RunState.RUNNING:
                    orch.cancel_job("job-1")
                    return
            time.sleep(0.05)

    thread = threading.Thread(target=cancel_when_training)
    thread.start()
    started = time.monotonic()
    result = run(orch.execute_training_job(job()))
    thread.join()
    assert result.status is RunState.CANCELLED and time.monotonic() - started < 10
    assert orch.get_job("job-1").stage("train").state is RunState.CANCELLED
    assert stages[3].calls == 0
    train.sleep_s = 0
    assert run(orch.resume_job("job-1")).ok


def test_concurrency_is_limited(tmp_path):
    """With max_concurrent_jobs=2, three jobs never run more than two at a time."""
    active = []
    peak = []
    lock = threading.Lock()
    two_running = threading.Event()

    class Tracking(FakeStage):
        def run(self, ctx):
            with lock:
                active.append(ctx.job.job_id)
                peak.append(len(active))
                if len(active) >= 2:
                    two_running.set()
            # Stay until two jobs have overlapped, however slowly the second one arrives (a loaded CI
            # machine); the third, which may only start once a slot frees, finds the event already set.
            two_running.wait(timeout=60)
            time.sleep(0.2)  # a window in which a third job would show up if the limit leaked
            with lock:
                peak.append(len(active))
                active.remove(ctx.job.job_id)
            return StageResult()

    stages = fake_stages(train=Tracking("train"))
    orch = UnityMLOpsOrchestrator(tmp_path, stages=stages, max_concurrent_jobs=2)

    async def main():
        return await asyncio.gather(*(orch.execute_training_job(job(f"job-{i}")) for i in range(3)))

    results = run(main())
    assert all(r.ok for r in results)
    assert max(peak) == 2


def test_progress_reaches_callback_and_store(tmp_path):
    """Stage progress goes to on_progress and is visible in the store."""
    seen = []

    class Progressing(FakeStage):
        def run(self, ctx):
            from mlops_unity_pipeline.progress import ProgressEvent

            ctx.report_progress(
                ProgressEvent(job_id=ctx.job.job_id, stage="train", step=500, max_steps=1000, mean_reward=0.4)
            )
            return StageResult()

    orch = UnityMLOpsOrchestrator(
        tmp_path, stages=fake_stages(train=Progressing("train")), on_progress=seen.append
    )
    run(orch.execute_training_job(job()))
    assert any(u.step == 500 and u.mean_reward == 0.4 for u in seen)
    assert orch.get_job("job-1").progress is not None


def test_default_progress_is_logged_off_a_terminal(tmp_path, caplog):
    """No on_progress: off a terminal the stages are logged at INFO; None silences; a string is refused."""
    import logging

    caplog.set_level(logging.INFO, logger="mlops_unity_pipeline.progress")
    orch = UnityMLOpsOrchestrator(tmp_path / "a", stages=fake_stages())
    run(orch.execute_training_job(job()))
    lines = [r.getMessage() for r in caplog.records if r.name == "mlops_unity_pipeline.progress"]
    assert any(line.startswith("[job-1] train") for line in lines) and len(lines) == len(NAMES)
    caplog.clear()
    quiet = UnityMLOpsOrchestrator(tmp_path / "b", stages=fake_stages(), on_progress=None)
    run(quiet.execute_training_job(job()))
    assert not [r for r in caplog.records if r.name == "mlops_unity_pipeline.progress"]
    with pytest.raises(SpecError, match="on_progress"):
        UnityMLOpsOrchestrator(tmp_path / "c", stages=fake_stages(), on_progress="loud")


def test_bad_inputs(tmp_path):
    """Non-job input, escaping ids and an unusable workspace give clear errors."""
    orch = UnityMLOpsOrchestrator(tmp_path, stages=fake_stages())
    with pytest.raises(SpecError):
        run(orch.execute_training_job({"job_id": "x"}))
    with pytest.raises(SpecError, match="job_id"):
        run(orch.resume_job("../etc"))
    with pytest.raises(SpecError, match="job_id"):
        orch.cancel_job("/abs")
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a folder"):
        UnityMLOpsOrchestrator(tmp_path / "file")
    with pytest.raises(StoreError, match="max_concurrent_jobs"):
        UnityMLOpsOrchestrator(tmp_path, max_concurrent_jobs=0)


def test_corrupt_store_is_a_clear_error(tmp_path):
    """A corrupt pipeline.db stops the orchestrator with a StoreError naming the file."""
    (tmp_path / "pipeline.db").write_bytes(b"\x00garbage" * 500)
    with pytest.raises(StoreError, match="pipeline.db is corrupt"):
        UnityMLOpsOrchestrator(tmp_path, stages=fake_stages())


def test_notifier_failure_never_fails_the_job(tmp_path):
    """A notifier that raises is logged and ignored."""

    class Broken:
        def send(self, event, payload):
            raise RuntimeError("webhook down")

    orch = UnityMLOpsOrchestrator(tmp_path, stages=fake_stages(), notifier=Broken())
    assert run(orch.execute_training_job(job())).ok


def test_cancel_while_queued_never_starts_the_job(tmp_path):
    """A job waiting for a slot that is cancelled ends cancelled without running any stage."""
    release = threading.Event()

    class Held(FakeStage):
        def run(self, ctx):
            release.wait(timeout=60)  # holds the only slot until the second job has been cancelled
            return super().run(ctx)

    stages = fake_stages(train=Held("train"))
    orch = UnityMLOpsOrchestrator(tmp_path, stages=stages, max_concurrent_jobs=1)

    async def poll_until(predicate, what):
        deadline = time.monotonic() + 60
        while not predicate():
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            await asyncio.sleep(0.02)

    def first_is_training():
        if not orch.store.exists("first"):
            return False
        stage = orch.get_job("first").stage("train")
        return stage is not None and stage.state is RunState.RUNNING

    async def main():
        first = asyncio.create_task(orch.execute_training_job(job("first")))
        await poll_until(first_is_training, "the first job to hold the slot")
        second = asyncio.create_task(orch.execute_training_job(job("second")))
        await poll_until(lambda: orch.store.exists("second"), "the second job to be recorded")
        assert orch.get_job("second").state is RunState.QUEUED
        orch.cancel_job("second")
        release.set()
        return await first, await second

    first, second = run(main())
    assert first.ok and second.status is RunState.CANCELLED
    assert orch.get_job("second").stages == ()


def test_default_notifier_posts_webhooks_from_the_environment(tmp_path, monkeypatch):
    """With MLOPS_WEBHOOK_URLS set, job.started and job.succeeded reach a local HTTP receiver."""
    import json
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("MLOPS_WEBHOOK_URLS", f"http://127.0.0.1:{server.server_port}/hook")
        orch = UnityMLOpsOrchestrator(tmp_path, stages=fake_stages())
        assert orch.notifier is not None
        assert run(orch.execute_training_job(job())).ok
        orch.close(timeout_s=20)
    finally:
        server.shutdown()
    events = sorted(json.dumps(r, sort_keys=True) for r in received)
    assert any('"job.started"' in e for e in events), received
    monkeypatch.delenv("MLOPS_WEBHOOK_URLS")
    assert UnityMLOpsOrchestrator(tmp_path / "other", stages=fake_stages()).notifier is None


def test_limit_holds_across_orchestrators_sharing_a_workspace(tmp_path):
    """Two orchestrators on one workspace (as two CLI processes would be) share max_concurrent_jobs=1."""
    active, peak = [], []
    lock = threading.Lock()

    class Tracking(FakeStage):
        def run(self, ctx):
            with lock:
                active.append(ctx.job.job_id)
                peak.append(len(active))
            time.sleep(0.5)
            with lock:
                active.remove(ctx.job.job_id)
            return StageResult()

    first = UnityMLOpsOrchestrator(
        tmp_path, stages=fake_stages(train=Tracking("train")), max_concurrent_jobs=1
    )
    second = UnityMLOpsOrchestrator(
        tmp_path, stages=fake_stages(train=Tracking("train")), max_concurrent_jobs=1
    )
    second.slot_poll_s = 0.05

    async def main():
        return await asyncio.gather(
            first.execute_training_job(job("a")), second.execute_training_job(job("b"))
        )

    results = run(main())
    assert all(r.ok for r in results) and max(peak) == 1
