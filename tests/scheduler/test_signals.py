"""run_forever stops gracefully on SIGTERM/SIGINT: running fires finish; a second signal cancels them."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import datetime, timezone

import pytest

from mlops_unity_pipeline.errors import ScheduleError
from mlops_unity_pipeline.scheduler import FireState, ManualClock, TrainingScheduler

from .conftest import FakeOrchestrator, make_schedule

UTC = timezone.utc
START = datetime(2024, 5, 1, 1, 59, tzinfo=UTC)


async def wait_until(predicate, limit: int = 10_000) -> None:
    for _ in range(limit):
        if predicate():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition not reached")


def make(tmp_path, orchestrator: FakeOrchestrator) -> TrainingScheduler:
    clock = ManualClock(START)
    scheduler = TrainingScheduler(orchestrator, db_path=tmp_path / "s.db", clock=clock)
    scheduler.add_schedule(make_schedule(cron="0 2 * * *"))
    return scheduler


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_first_signal_waits_for_the_running_fire(tmp_path, signum):
    """One signal: run_forever stops claiming, lets the running job finish, and returns cleanly."""
    orchestrator = FakeOrchestrator()

    async def scenario(scheduler: TrainingScheduler) -> bool:
        orchestrator.gate = asyncio.Event()
        loop_task = asyncio.ensure_future(scheduler.run_forever(poll_interval_s=3600))
        await wait_until(lambda: orchestrator.running == 1)
        os.kill(os.getpid(), signum)
        await wait_until(lambda: scheduler._stop is not None and scheduler._stop.is_set())
        for _ in range(50):
            await asyncio.sleep(0)
        still_waiting = not loop_task.done()
        orchestrator.gate.set()
        await asyncio.wait_for(loop_task, timeout=10)
        return still_waiting

    with make(tmp_path, orchestrator) as scheduler:
        assert asyncio.run(scenario(scheduler)) is True
        records = scheduler.fires()
    assert [(r.fire_time.hour, r.state) for r in records] == [(2, FireState.SUCCEEDED)]
    assert orchestrator.finished == ["nightly-20240501T020000Z-agent-001"]
    assert signal.getsignal(signum) in (signal.SIG_DFL, signal.default_int_handler)  # handlers removed


def test_second_signal_cancels_and_records_interrupted(tmp_path):
    """Two SIGTERMs: the running fire is cancelled and recorded as interrupted; run_forever returns."""
    orchestrator = FakeOrchestrator()

    async def scenario(scheduler: TrainingScheduler) -> None:
        orchestrator.gate = asyncio.Event()  # never released
        loop_task = asyncio.ensure_future(scheduler.run_forever(poll_interval_s=3600))
        await wait_until(lambda: orchestrator.running == 1)
        os.kill(os.getpid(), signal.SIGTERM)
        await wait_until(lambda: scheduler._stop is not None and scheduler._stop.is_set())
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(loop_task, timeout=10)

    with make(tmp_path, orchestrator) as scheduler:
        asyncio.run(scenario(scheduler))
        [record] = scheduler.fires()
    assert record.state is FireState.INTERRUPTED
    assert record.reason == "interrupted: cancelled at scheduler shutdown"
    assert orchestrator.finished == []


def test_shutdown_timeout_cancels_running_fires(tmp_path):
    """With shutdown_timeout_s, a fire still running at the deadline is cancelled (interrupted)."""
    orchestrator = FakeOrchestrator()

    async def scenario(scheduler: TrainingScheduler) -> None:
        orchestrator.gate = asyncio.Event()
        loop_task = asyncio.ensure_future(
            scheduler.run_forever(poll_interval_s=3600, shutdown_timeout_s=0.05, handle_signals=False)
        )
        await wait_until(lambda: orchestrator.running == 1)
        scheduler.stop()
        await asyncio.wait_for(loop_task, timeout=10)

    with make(tmp_path, orchestrator) as scheduler:
        asyncio.run(scenario(scheduler))
        assert scheduler.fires()[0].state is FireState.INTERRUPTED


def test_until_bounds_run_forever(tmp_path):
    """run_forever(until=...) returns at that (simulated) instant, having run the fires before it."""
    orchestrator = FakeOrchestrator()
    with make(tmp_path, orchestrator) as scheduler:
        asyncio.run(scheduler.run_forever(until=datetime(2024, 5, 4, 0, 0, tzinfo=UTC), handle_signals=False))
        assert scheduler.clock.now() == datetime(2024, 5, 4, 0, 0, tzinfo=UTC)
        assert [r.fire_time.day for r in scheduler.fires()] == [3, 2, 1]


def test_queued_fire_is_not_started_during_shutdown(tmp_path):
    """queue policy: a fire queued behind a running one stays claimed on stop; a restart settles it once."""
    orchestrator = FakeOrchestrator()
    clock = ManualClock(START)
    scheduler = TrainingScheduler(orchestrator, db_path=tmp_path / "s.db", clock=clock)
    scheduler.add_schedule(make_schedule("q", "0 * * * *", overlap_policy="queue"))

    async def scenario() -> None:
        orchestrator.gate = asyncio.Event()
        loop_task = asyncio.ensure_future(scheduler.run_forever(poll_interval_s=3600, handle_signals=False))
        queued = FireState.CLAIMED, 3
        await wait_until(lambda: any((r.state, r.fire_time.hour) == queued for r in scheduler.fires("q")))
        scheduler.stop()
        orchestrator.gate.set()
        await asyncio.wait_for(loop_task, timeout=10)

    asyncio.run(scenario())
    assert orchestrator.job_ids == ["q-20240501T020000Z-agent-001"]  # the queued 03:00 never started
    claimed = [r for r in scheduler.fires("q") if r.state is FireState.CLAIMED]
    assert [r.fire_time.hour for r in claimed] == [3]
    scheduler.close()

    again = TrainingScheduler(orchestrator, db_path=tmp_path / "s.db", clock=ManualClock(clock.now()))
    records = asyncio.run(again.run_pending())
    history = again.fires("q")
    again.close()
    settled = {r.fire_time: r.state for r in records}
    assert settled[claimed[0].fire_time] in (FireState.SUCCEEDED, FireState.SKIPPED)
    assert all(r.state is not FireState.CLAIMED for r in history)
    assert len(orchestrator.job_ids) == len(set(orchestrator.job_ids))


def test_naive_until_is_rejected(tmp_path):
    """run_forever refuses a naive ``until``."""
    with make(tmp_path, FakeOrchestrator()) as scheduler:
        with pytest.raises(ScheduleError, match="until: expected a timezone-aware"):
            asyncio.run(scheduler.run_forever(until=datetime(2024, 5, 2), handle_signals=False))
