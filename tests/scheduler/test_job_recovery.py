"""A killed scheduler's queued jobs are resumable, its fire follows them; its lock sees through symlinks."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import StoreError, TrainError
from mlops_unity_pipeline.orchestrator import FakeStage, UnityMLOpsOrchestrator
from mlops_unity_pipeline.orchestrator.states import RunState
from mlops_unity_pipeline.scheduler import FireState, ManualClock, TrainingScheduler
from mlops_unity_pipeline.scheduler.lock import DatabaseLock
from mlops_unity_pipeline.store.jobs import JobStore

UTC = timezone.utc
FIRE = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
STAGES = ("codegen", "build", "train", "evaluate", "package", "register", "notify")

_CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import datetime
    from mlops_unity_pipeline.orchestrator import FakeStage, UnityMLOpsOrchestrator
    from mlops_unity_pipeline.scheduler import ManualClock, TrainingScheduler
    from mlops_unity_pipeline.specs import TrainingSchedule, UnityAssetSpec

    ws = sys.argv[1]
    stages = [FakeStage(n, sleep_s=120 if n == "train" else 0) for n in {stages!r}]
    orchestrator = UnityMLOpsOrchestrator(ws, stages=stages, max_concurrent_jobs=1, heartbeat_s=0.2)
    scheduler = TrainingScheduler(orchestrator, clock=ManualClock(datetime.fromisoformat(sys.argv[2])))
    scheduler.add_schedule(TrainingSchedule(
        schedule_id="nightly", cron_expression="0 2 * * *",
        asset_specs=[UnityAssetSpec(asset_id=f"agent-{{i}}", name="SimpleAgent") for i in range(3)],
    ))
    asyncio.run(scheduler.run_pending(datetime.fromisoformat(sys.argv[3])))
    """
).format(stages=STAGES)


def _wait_for(predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except StoreError:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")


def _train_running(ws: Path) -> bool:
    if not (ws / "pipeline.db").exists():
        return False
    jobs = JobStore(ws / "pipeline.db").list()
    return any((s := j.stage("train")) is not None and s.state is RunState.RUNNING for j in jobs)


def test_killed_scheduler_queued_jobs_resume_and_fire_follows(tmp_path):
    """max 1 job, 3 assets, SIGKILL mid-train: all 3 jobs resume, and the fire then reads succeeded."""
    ws = tmp_path / "ws"
    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(ws), (FIRE - timedelta(hours=3)).isoformat(), FIRE.isoformat()]
    )
    try:
        _wait_for(lambda: _train_running(ws), 90, "the first job's train stage")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    jobs = JobStore(ws / "pipeline.db").list()
    assert len(jobs) == 3 and all(j.state is RunState.INTERRUPTED for j in jobs)
    never_started = [j for j in jobs if not j.stages]
    assert len(never_started) == 2 and all("stopped before it started" in j.error for j in never_started)

    orchestrator = UnityMLOpsOrchestrator(ws, stages=[FakeStage(n) for n in STAGES], heartbeat_s=0.2)
    scheduler = TrainingScheduler(orchestrator, clock=ManualClock(FIRE + timedelta(minutes=5)))
    try:
        [record] = asyncio.run(scheduler.run_pending(FIRE + timedelta(minutes=5)))
        assert record.state is FireState.INTERRUPTED
        [fire] = scheduler.fires()
        assert fire.state is FireState.INTERRUPTED
        assert fire.reason.count("never started") == 2 and "interrupted in train" in fire.reason

        for job in jobs:
            result = asyncio.run(orchestrator.resume_job(job.job_id))
            assert result.status is RunState.SUCCEEDED, result.error
        [fire] = scheduler.fires()
        assert fire.state is FireState.SUCCEEDED and "then resumed: every job succeeded" in fire.reason
    finally:
        scheduler.close()


def test_fire_follows_a_failed_resume(tmp_path):
    """A resumed job that fails turns its interrupted fire into failed, naming the job."""
    ws = tmp_path / "ws"
    orchestrator = UnityMLOpsOrchestrator(
        ws, stages=[FakeStage(n, error=TrainError("diverged") if n == "train" else None) for n in STAGES]
    )
    scheduler = TrainingScheduler(orchestrator, clock=ManualClock(FIRE))
    try:
        from mlops_unity_pipeline.specs import TrainingJob, UnityAssetSpec

        job = TrainingJob(job_id="j1", asset_spec=UnityAssetSpec(asset_id="a", name="A"))
        asyncio.run(orchestrator.execute_training_job(job))
        with scheduler.store.transaction() as conn:
            conn.execute(
                "INSERT INTO fires (schedule_id, fire_time, state, reason, job_ids, claimed_at) "
                "VALUES ('s', '2024-05-01T02:00:00+00:00', 'interrupted', 'interrupted', '[\"j1\"]', "
                "'2024-05-01T02:00:00+00:00')"
            )
        [fire] = scheduler.fires()
        assert fire.state is FireState.FAILED and fire.error == "j1: failed"
    finally:
        scheduler.close()


def test_lock_is_taken_on_the_resolved_path(tmp_path):
    """A scheduler started through a symlink to the database cannot run beside one started on the file."""
    real = tmp_path / "scheduler.db"
    real.touch()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    first = DatabaseLock(real)
    first.acquire()
    try:
        with pytest.raises(StoreError, match="another scheduler"):
            DatabaseLock(link).acquire()
    finally:
        first.release()
