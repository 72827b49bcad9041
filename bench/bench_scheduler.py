"""Scheduler figures: next_fire throughput; 1,000 schedules through a simulated day (fake orchestrator).

Run: .venv/bin/python bench/bench_scheduler.py [--schedules 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

from mlops_unity_pipeline.scheduler import ManualClock, TrainingScheduler, next_fire
from mlops_unity_pipeline.specs import TrainingSchedule, UnityAssetSpec

UTC = timezone.utc
ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe"]


class Orchestrator:
    async def execute_training_job(self, job):
        return SimpleNamespace(status="succeeded")


def bench_next_fire(n: int = 5000) -> None:
    for tz in ("UTC", "America/New_York"):
        schedule = SimpleNamespace(cron_expression="*/7 * * * *", timezone=tz)
        moment = datetime(2024, 3, 9, tzinfo=UTC)
        start = time.perf_counter()
        for _ in range(n):
            moment = next_fire(schedule, moment)
        elapsed = time.perf_counter() - start
        print(f"next_fire ({tz:<16}): {n / elapsed:10.0f} calls/s ({elapsed / n * 1e6:.0f} us/call)")


def bench_day(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = datetime(2024, 3, 10, tzinfo=UTC)
        clock = ManualClock(start)
        scheduler = TrainingScheduler(Orchestrator(), db_path=Path(tmp) / "s.db", clock=clock)
        asset = UnityAssetSpec(asset_id="a1", name="Agent")
        t0 = time.perf_counter()
        for i in range(count):
            scheduler.add_schedule(
                TrainingSchedule(
                    schedule_id=f"s{i:05d}",
                    cron_expression=f"{(i * 7) % 60} {(i // 7) % 24} * * *",
                    asset_specs=[asset],
                    timezone=ZONES[i % len(ZONES)],
                )
            )
        added = time.perf_counter() - t0
        t0 = time.perf_counter()
        polls = 0
        now = start
        while now < start + timedelta(days=1):
            now += timedelta(minutes=1)
            asyncio.run(scheduler.run_pending(now))
            polls += 1
        ran = time.perf_counter() - t0
        fires = len(scheduler.fires())
        scheduler.close()
    print(f"{count} schedules: add {added:.2f} s ({count / added:.0f}/s)")
    print(
        f"one simulated day polled every minute: {polls} polls, {fires} fires in {ran:.2f} s "
        f"({ran / polls * 1000:.1f} ms/poll, {fires / ran:.0f} fires/s)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schedules", type=int, default=1000)
    args = parser.parse_args()
    bench_next_fire()
    bench_day(args.schedules)
