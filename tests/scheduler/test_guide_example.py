"""The setup guide's scheduling example runs verbatim and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

from ..output_watcher import OutputWatcher

# Runs the guide's file unchanged, with INFO logging on so that run_forever's "scheduler running on ..."
# (logged once its SIGTERM/SIGINT handlers are installed) tells the test when the signal can be sent.
RUN_WITH_INFO_LOGS = (
    "import logging, runpy, sys; logging.basicConfig(level=logging.INFO); "
    "runpy.run_path(sys.argv[1], run_name='__main__')"
)

GUIDE_EXAMPLE = """
import asyncio
from mlops_unity_pipeline import (
    RLTrainingConfig,
    TrainingSchedule,
    TrainingScheduler,
    UnityAssetSpec,
    UnityMLOpsOrchestrator,
)


async def run_forever() -> None:
    orchestrator = UnityMLOpsOrchestrator()
    scheduler = TrainingScheduler(orchestrator)

    schedule = TrainingSchedule(
        schedule_id="nightly",
        cron_expression="0 2 * * *",
        asset_specs=[
            UnityAssetSpec(
                asset_id="agent-001",
                name="SimpleAgent",
                asset_type="behavior",
                description="Reach target position",
            )
        ],
        rl_config=RLTrainingConfig(algorithm="PPO", max_steps=200_000),
    )

    scheduler.add_schedule(schedule)
    await scheduler.run_forever()


asyncio.run(run_forever())
"""


def test_guide_scheduling_example_runs_verbatim(tmp_path):
    """The guide's code stores the schedule in ./artifacts/scheduler.db, waits, and exits 0 on SIGTERM."""
    script = tmp_path / "guide_schedule.py"
    script.write_text(GUIDE_EXAMPLE)
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_WITH_INFO_LOGS, str(script)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watcher = OutputWatcher(process.stdout)
    db = tmp_path / "artifacts" / "scheduler.db"
    try:
        deadline = time.monotonic() + 120
        stored = []
        while time.monotonic() < deadline and process.poll() is None:
            if db.exists():
                try:
                    with sqlite3.connect(db) as conn:
                        stored = conn.execute("SELECT schedule_id, next_fire_at FROM schedules").fetchall()
                except sqlite3.Error:
                    stored = []
                if stored:
                    break
            time.sleep(0.2)
        assert process.poll() is None, watcher.output()
        assert [row[0] for row in stored] == ["nightly"] and stored[0][1].endswith("T02:00:00+00:00")
        assert watcher.wait_for("scheduler running on", timeout=120), watcher.output(0)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        output = watcher.output()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
