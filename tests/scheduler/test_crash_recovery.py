"""SIGKILL the scheduler between claiming a fire and running it: a restart neither loses nor repeats it."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import ScheduleError
from mlops_unity_pipeline.scheduler import FireState, ManualClock, TrainingScheduler

from .conftest import FakeOrchestrator, make_schedule

UTC = timezone.utc
FIRE = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)

_CHILD = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from datetime import datetime
    from types import SimpleNamespace
    from mlops_unity_pipeline.scheduler import ManualClock, TrainingScheduler
    from mlops_unity_pipeline.specs import TrainingSchedule, UnityAssetSpec

    db, where = sys.argv[1], sys.argv[2]
    now = datetime.fromisoformat(sys.argv[3])

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no finally: like a power cut

    class Orchestrator:
        async def execute_training_job(self, job):
            if where == "running":
                die()
            return SimpleNamespace(status="succeeded")

    if where == "claimed":  # dies right after the claim transaction commits, before the run starts
        TrainingScheduler._launch = die
    clock = ManualClock(datetime.fromisoformat(sys.argv[4]))
    scheduler = TrainingScheduler(Orchestrator(), db_path=db, clock=clock)
    scheduler.add_schedule(TrainingSchedule(
        schedule_id="nightly", cron_expression="0 2 * * *",
        asset_specs=[UnityAssetSpec(asset_id="agent-001", name="SimpleAgent")],
    ))
    asyncio.run(scheduler.run_pending(now))
    print("not killed")
    """
)


def crash(tmp_path: Path, where: str) -> Path:
    """Run a scheduler in a child process that SIGKILLs itself at ``where``; return the database."""
    db = tmp_path / "scheduler.db"
    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    added = FIRE - timedelta(hours=3)
    proc = subprocess.run(
        [sys.executable, str(script), str(db), where, FIRE.isoformat(), added.isoformat()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr
    return db


def fire_rows(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT fire_time, state FROM fires ORDER BY fire_time").fetchall()


def restart(db: Path, now: datetime) -> tuple[TrainingScheduler, FakeOrchestrator, list]:
    orchestrator = FakeOrchestrator()
    scheduler = TrainingScheduler(orchestrator, db_path=db, clock=ManualClock(now))
    scheduler.add_schedule(make_schedule())  # the guide's program re-adds its schedule at every start
    records = asyncio.run(scheduler.run_pending(now))
    return scheduler, orchestrator, records


def test_killed_after_claim_runs_once_after_restart(tmp_path):
    """Killed between claim and run: the restarted scheduler runs that fire exactly once (within grace)."""
    db = crash(tmp_path, "claimed")
    assert fire_rows(db) == [("2024-05-01T02:00:00+00:00", "claimed")]
    scheduler, orchestrator, records = restart(db, FIRE + timedelta(minutes=5))
    try:
        assert [(r.fire_time, r.state) for r in records] == [(FIRE, FireState.SUCCEEDED)]
        assert orchestrator.job_ids == ["nightly-20240501T020000Z-agent-001"]
        # polling again, or restarting again, never repeats it
        assert asyncio.run(scheduler.run_pending(FIRE + timedelta(minutes=10))) == []
    finally:
        scheduler.close()
    scheduler, orchestrator, records = restart(db, FIRE + timedelta(minutes=15))
    scheduler.close()
    assert records == [] and orchestrator.jobs == []
    assert fire_rows(db) == [("2024-05-01T02:00:00+00:00", "succeeded")]


def test_killed_after_claim_past_grace_is_recorded_skipped(tmp_path):
    """Restarted after the grace window: the orphaned claim is recorded as a skipped misfire, not run."""
    db = crash(tmp_path, "claimed")
    scheduler, orchestrator, records = restart(db, FIRE + timedelta(hours=2))
    scheduler.close()
    assert orchestrator.jobs == []
    [record] = records
    assert record.state is FireState.SKIPPED
    assert record.reason == "misfire: claimed before a restart, 7200 s late (grace 3600 s)"


def test_killed_after_claim_superseded_by_a_newer_fire(tmp_path):
    """Restarted a day later: the newer due fire runs once and the orphaned claim is recorded superseded."""
    db = crash(tmp_path, "claimed")
    scheduler, orchestrator, records = restart(db, FIRE + timedelta(days=1, minutes=1))
    scheduler.close()
    assert [(r.fire_time, r.state) for r in records] == [
        (FIRE, FireState.SKIPPED),
        (FIRE + timedelta(days=1), FireState.SUCCEEDED),
    ]
    assert "superseded" in records[0].reason
    assert orchestrator.job_ids == ["nightly-20240502T020000Z-agent-001"]


def test_killed_while_running_is_interrupted_not_rerun(tmp_path):
    """Killed after its jobs started: the fire becomes interrupted (resumable), and is not started again."""
    db = crash(tmp_path, "running")
    assert fire_rows(db) == [("2024-05-01T02:00:00+00:00", "running")]
    scheduler, orchestrator, records = restart(db, FIRE + timedelta(minutes=5))
    scheduler.close()
    assert orchestrator.jobs == []
    [record] = records
    assert record.state is FireState.INTERRUPTED
    assert (
        "mlops-unity jobs resume" in record.reason and "nightly-20240501T020000Z-agent-001" in record.reason
    )


def test_manual_clock_never_goes_back():
    """ManualClock.set refuses to move time backwards."""
    with pytest.raises(ScheduleError, match="cannot move a ManualClock back"):
        ManualClock(FIRE).set(FIRE - timedelta(seconds=1))
