"""TrainingScheduler: one run per fire, misfire and overlap policies, pause/remove, simulated clocks."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mlops_unity_pipeline.errors import ScheduleError, StoreError
from mlops_unity_pipeline.scheduler import FireState, ManualClock, TrainingScheduler, job_id_for
from mlops_unity_pipeline.specs import UnityAssetSpec

from .conftest import FakeOrchestrator, make_schedule

UTC = timezone.utc
T0 = datetime(2024, 5, 1, 0, 0, tzinfo=UTC)


def at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    return datetime(2024, 5, day, hour, minute, tzinfo=UTC)


def new_scheduler(tmp_path: Path, orchestrator: FakeOrchestrator, start: datetime = T0) -> TrainingScheduler:
    clock = ManualClock(start)
    orchestrator.clock = clock
    return TrainingScheduler(orchestrator, db_path=tmp_path / "scheduler.db", clock=clock)


async def settle() -> None:
    """Let started tasks reach their first real wait."""
    for _ in range(5):
        await asyncio.sleep(0)


def states(records) -> list[tuple[str, str]]:
    return [(r.fire_time.strftime("%H:%M"), r.state.value) for r in records]


def test_fires_once_at_the_cron_time(tmp_path, orchestrator):
    """Nothing before 02:00; at 02:00 one job with the deterministic id; polling again does not re-run it."""
    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule())
        assert asyncio.run(scheduler.run_pending(at(1, 59))) == []
        records = asyncio.run(scheduler.run_pending(at(2, 0)))
        assert states(records) == [("02:00", "succeeded")]
        assert records[0].job_ids == ("nightly-20240501T020000Z-agent-001",)
        assert asyncio.run(scheduler.run_pending(at(2, 5))) == []
        assert orchestrator.job_ids == ["nightly-20240501T020000Z-agent-001"]
        job = orchestrator.jobs[0]
        assert job.asset_spec.asset_id == "agent-001" and job.rl_config.max_steps == 1000


def test_one_job_per_asset(tmp_path, orchestrator):
    """A schedule with two assets starts two jobs per fire; one failing job fails the fire with its error."""
    assets = [UnityAssetSpec(asset_id="a1", name="A"), UnityAssetSpec(asset_id="a2", name="B")]
    orchestrator.fail.add("a2")
    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule(asset_specs=assets))
        [record] = asyncio.run(scheduler.run_pending(at(2)))
    assert sorted(orchestrator.job_ids) == ["nightly-20240501T020000Z-a1", "nightly-20240501T020000Z-a2"]
    assert record.state is FireState.FAILED
    assert record.error == "nightly-20240501T020000Z-a2: failed: boom"


def test_orchestrator_exception_fails_the_fire_not_the_scheduler(tmp_path, orchestrator):
    """An exception from the orchestrator is recorded on the fire; the next fire still runs."""
    orchestrator.raise_for.add("nightly-20240501T020000Z-agent-001")
    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule())
        [first] = asyncio.run(scheduler.run_pending(at(2)))
        [second] = asyncio.run(scheduler.run_pending(at(2, day=2)))
    assert first.state is FireState.FAILED and "RuntimeError: trainer exploded" in first.error
    assert second.state is FireState.SUCCEEDED


def test_restart_does_not_duplicate(tmp_path, orchestrator):
    """A new scheduler on the same database at the same instant finds the fire already done."""
    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule())
        asyncio.run(scheduler.run_pending(at(2)))
    with new_scheduler(tmp_path, orchestrator, at(2)) as again:
        again.add_schedule(make_schedule())  # the guide re-adds at every start: idempotent
        assert asyncio.run(again.run_pending(at(2, 1))) == []
    assert len(orchestrator.jobs) == 1


def test_misfire_within_grace_runs_once_after_downtime(tmp_path, orchestrator):
    """Down from 00:30 to 05:20 with an hourly schedule: 05:00 runs once, 01:00-04:00 are recorded skipped."""
    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule("hourly", "0 * * * *"))
        asyncio.run(scheduler.run_pending(at(0, 30)))
    with new_scheduler(tmp_path, orchestrator, at(5, 20)) as scheduler:
        scheduler.add_schedule(make_schedule("hourly", "0 * * * *"))
        records = asyncio.run(scheduler.run_pending(at(5, 20)))
    assert states(records) == [
        ("01:00", "skipped"),
        ("02:00", "skipped"),
        ("03:00", "skipped"),
        ("04:00", "skipped"),
        ("05:00", "succeeded"),
    ]
    assert all("superseded by the 2024-05-01T05:00:00+00:00 fire" in r.reason for r in records[:4])
    assert orchestrator.job_ids == ["hourly-20240501T050000Z-agent-001"]


def test_misfire_beyond_grace_is_recorded_skipped(tmp_path, orchestrator):
    """The 02:00 fire seen at 04:30 with a 1 h grace is skipped, lateness in the reason; no job runs."""
    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule(misfire_grace_seconds=3600))
        [record] = asyncio.run(scheduler.run_pending(at(4, 30)))
        assert record.state is FireState.SKIPPED
        assert record.reason == "misfire: 9000 s late (grace 3600 s)"
        assert orchestrator.jobs == []
        assert scheduler.list_schedules()[0].next_fire_at == at(2, day=2)


def test_overlap_skip_is_the_default(tmp_path, orchestrator):
    """While the 01:00 run is still going, the 02:00 fire is skipped (overlap); 01:00 then finishes."""

    async def scenario(scheduler):
        orchestrator.gate = asyncio.Event()
        first = await scheduler.run_pending(at(1), wait=False)
        await settle()
        second = await scheduler.run_pending(at(2))
        orchestrator.gate.set()
        await scheduler.drain()
        return first, second

    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule("hourly", "0 * * * *"))
        first, second = asyncio.run(scenario(scheduler))
        assert states(second) == [("02:00", "skipped")]
        assert second[0].reason == "overlap: the 2024-05-01T01:00:00+00:00 fire is still running"
        assert states(scheduler.fires("hourly")) == [("02:00", "skipped"), ("01:00", "succeeded")]
    assert orchestrator.job_ids == ["hourly-20240501T010000Z-agent-001"]


def test_overlap_queue_runs_after_previous_and_queues_at_most_one(tmp_path, orchestrator):
    """queue: 02:00 waits for 01:00 to finish, 03:00 is skipped (one already queued); never two at once."""

    async def scenario(scheduler):
        orchestrator.gate = asyncio.Event()
        await scheduler.run_pending(at(1), wait=False)
        await settle()
        queued = await scheduler.run_pending(at(2), wait=False)
        skipped = await scheduler.run_pending(at(3), wait=False)
        assert orchestrator.job_ids == ["q-20240501T010000Z-agent-001"]  # 02:00 has not started
        orchestrator.gate.set()
        await scheduler.drain()
        return queued, skipped

    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule("q", "0 * * * *", overlap_policy="queue"))
        queued, skipped = asyncio.run(scenario(scheduler))
        assert states(queued) == [("02:00", "claimed")]
        assert skipped[0].reason == "overlap: the 2024-05-01T02:00:00+00:00 fire is already queued"
        assert states(scheduler.fires("q")) == [
            ("03:00", "skipped"),
            ("02:00", "succeeded"),
            ("01:00", "succeeded"),
        ]
    assert orchestrator.job_ids == ["q-20240501T010000Z-agent-001", "q-20240501T020000Z-agent-001"]
    assert orchestrator.max_running == 1


def test_overlap_allow_runs_side_by_side(tmp_path, orchestrator):
    """allow: 02:00 starts while 01:00 is still running."""

    async def scenario(scheduler):
        orchestrator.gate = asyncio.Event()
        await scheduler.run_pending(at(1), wait=False)
        await scheduler.run_pending(at(2), wait=False)
        for _ in range(3):
            await settle()
        running = orchestrator.running
        orchestrator.gate.set()
        await scheduler.drain()
        return running

    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule("a", "0 * * * *", overlap_policy="allow"))
        assert asyncio.run(scenario(scheduler)) == 2
        assert states(scheduler.fires("a")) == [("02:00", "succeeded"), ("01:00", "succeeded")]


def test_pause_resume_and_remove(tmp_path, orchestrator):
    """Paused schedules do not fire and owe nothing on resume; remove deletes; unknown ids raise."""
    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule())
        scheduler.pause_schedule("nightly")
        assert scheduler.list_schedules()[0].paused and scheduler.list_schedules()[0].next_fire_at is None
        assert asyncio.run(scheduler.run_pending(at(3))) == []
        scheduler.clock.set(at(12))
        scheduler.resume_schedule("nightly")
        assert scheduler.list_schedules()[0].next_fire_at == at(2, day=2)
        assert asyncio.run(scheduler.run_pending(at(12))) == []  # 02:00 was during the pause: not owed
        assert states(asyncio.run(scheduler.run_pending(at(2, day=2)))) == [("02:00", "succeeded")]
        scheduler.remove_schedule("nightly")
        assert scheduler.list_schedules() == []
        for action in (scheduler.remove_schedule, scheduler.pause_schedule, scheduler.resume_schedule):
            with pytest.raises(ScheduleError, match="no schedule 'nightly'"):
                action("nightly")


def test_disabled_schedule_never_fires(tmp_path, orchestrator):
    """enabled=False keeps the schedule listed but without a next fire."""
    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule(enabled=False))
        assert asyncio.run(scheduler.run_pending(at(3))) == []
        [status] = scheduler.list_schedules()
        assert status.next_fire_at is None and status.schedule.enabled is False


def test_re_adding_with_a_new_cron_keeps_history(tmp_path, orchestrator):
    """Updating a schedule's cron keeps its fires and moves its next fire."""
    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule())
        asyncio.run(scheduler.run_pending(at(2)))
        scheduler.clock.set(at(2, 30))
        scheduler.add_schedule(make_schedule(cron="0 6 * * *"))
        [status] = scheduler.list_schedules()
        assert status.schedule.cron_expression == "0 6 * * *"
        assert status.next_fire_at == at(6)
        assert status.last_fire_state is FireState.SUCCEEDED


def test_second_scheduler_on_the_same_database_is_refused(tmp_path, orchestrator):
    """Only one scheduler runs per database: the second gets a StoreError naming the holder's pid."""
    with new_scheduler(tmp_path, orchestrator) as first, new_scheduler(tmp_path, orchestrator) as second:
        first.add_schedule(make_schedule())
        asyncio.run(first.run_pending(at(1)))
        with pytest.raises(StoreError, match=r"another scheduler \(pid \d+\) is running"):
            asyncio.run(second.run_pending(at(1)))


def test_naive_now_and_bad_schedule_are_rejected(tmp_path, orchestrator):
    """run_pending refuses naive datetimes; add_schedule refuses non-schedules."""
    with new_scheduler(tmp_path, orchestrator) as scheduler:
        with pytest.raises(ScheduleError, match="now: expected a timezone-aware"):
            asyncio.run(scheduler.run_pending(datetime(2024, 5, 1)))
        with pytest.raises(ScheduleError, match="expected a TrainingSchedule"):
            scheduler.add_schedule({"schedule_id": "x"})


def test_job_ids_stay_valid_when_ids_are_long():
    """Long schedule and asset ids are shortened with a hash to stay within 128 characters."""
    job_id = job_id_for("s" * 128, T0, "a" * 128)
    assert len(job_id) <= 128
    assert job_id != job_id_for("s" * 128, T0, "a" * 127 + "b")


def test_default_database_lives_in_the_orchestrators_workspace(tmp_path):
    """TrainingScheduler(orchestrator) puts scheduler.db in orchestrator.workspace_dir (the guide's call)."""
    orchestrator = FakeOrchestrator()
    orchestrator.workspace_dir = tmp_path / "ws"
    with TrainingScheduler(orchestrator) as scheduler:
        assert scheduler.db_path == tmp_path / "ws" / "scheduler.db"


# --- simulated clocks ------------------------------------------------------------------------------------


def test_run_forever_on_a_simulated_dst_day(tmp_path, orchestrator):
    """run_forever with a ManualClock across New York's spring-forward day wakes exactly at each fire."""
    ny = ZoneInfo("America/New_York")
    start = datetime(2024, 3, 9, 23, 0, tzinfo=ny)
    with new_scheduler(tmp_path, orchestrator, start) as scheduler:
        scheduler.add_schedule(make_schedule("ny", "30 * * * *", timezone="America/New_York"))
        asyncio.run(scheduler.run_forever(until=datetime(2024, 3, 10, 5, 0, tzinfo=ny), handle_signals=False))
        records = sorted(scheduler.fires("ny"), key=lambda r: r.fire_time)
    fires = [r.fire_time for r in records]
    local = [f.astimezone(ny).strftime("%H:%M") for f in fires]
    assert local == ["23:30", "00:30", "01:30", "03:00", "03:30", "04:30"]
    # each fire was claimed exactly at its instant (the loop sleeps until the next fire, no polling lag)
    assert [r.claimed_at for r in records] == fires
    assert all(r.state is FireState.SUCCEEDED for r in records)
    assert orchestrator.job_ids == [job_id_for("ny", f, "agent-001") for f in fires]


def test_one_thousand_schedules_fire_at_the_right_times(tmp_path, orchestrator):
    """1,000 schedules in 5 zones over New York's DST day: every fire matches a brute-force oracle, once."""
    zones = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe"]
    start = datetime(2024, 3, 10, 0, 0, tzinfo=UTC)
    end = start + timedelta(hours=30)
    with new_scheduler(tmp_path, orchestrator, start) as scheduler:
        schedules = []
        for i in range(1000):
            minute, hour, tz = (i * 7) % 60, (i // 7) % 24, zones[i % len(zones)]
            schedules.append(make_schedule(f"s{i:04d}", f"{minute} {hour} * * *", timezone=tz))
        for schedule in schedules:
            scheduler.add_schedule(schedule)
        now = start
        while now < end:
            now += timedelta(minutes=10)
            asyncio.run(scheduler.run_pending(now))
        got: dict[str, list[datetime]] = {}
        for record in scheduler.fires():
            assert record.state is FireState.SUCCEEDED, record
            got.setdefault(record.schedule_id, []).append(record.fire_time)
    oracle = _brute_force_fires(zones, start, end)
    for schedule in schedules:
        minute, hour = (int(x) for x in schedule.cron_expression.split()[:2])
        expected = sorted(oracle[(schedule.timezone, hour, minute)])
        assert sorted(got.get(schedule.schedule_id, [])) == expected, schedule.schedule_id
    assert len(orchestrator.jobs) == len(set(orchestrator.job_ids)) == sum(len(v) for v in got.values())


def _brute_force_fires(zones, start, end):
    """Walk every UTC minute; a wall time fires at its first occurrence, or at the instant a gap closes."""
    oracle: dict[tuple[str, int, int], list[datetime]] = {}
    for name in zones:
        tz = ZoneInfo(name)
        t = start + timedelta(minutes=1)
        previous = start.astimezone(tz)
        while t <= end:
            local = t.astimezone(tz)
            gap = local.utcoffset() - previous.utcoffset()
            if gap > timedelta(0):  # spring forward: wall times skipped between previous and local fire now
                skipped = previous.replace(tzinfo=None) + timedelta(minutes=1)
                while skipped < local.replace(tzinfo=None):
                    oracle.setdefault((name, skipped.hour, skipped.minute), []).append(t)
                    skipped += timedelta(minutes=1)
            if local.fold == 0 or local.replace(fold=0).utcoffset() == local.utcoffset():
                oracle.setdefault((name, local.hour, local.minute), []).append(t)
            previous = local
            t += timedelta(minutes=1)
    return oracle


def test_schedule_removed_while_its_fire_runs(tmp_path, orchestrator):
    """Removing a schedule during a run does not break the run or the scheduler."""

    async def scenario(scheduler):
        orchestrator.gate = asyncio.Event()
        await scheduler.run_pending(at(2), wait=False)
        await settle()
        scheduler.remove_schedule("nightly")
        orchestrator.gate.set()
        await scheduler.drain()

    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule())
        asyncio.run(scenario(scheduler))
        assert scheduler.fires() == [] and orchestrator.finished == ["nightly-20240501T020000Z-agent-001"]


def test_scheduler_without_orchestrator_manages_but_does_not_run(tmp_path):
    """TrainingScheduler(None) can add and list (the CLI), but run_pending says it needs an orchestrator."""
    with TrainingScheduler(None, db_path=tmp_path / "s.db", clock=ManualClock(T0)) as scheduler:
        scheduler.add_schedule(make_schedule())
        assert [s.schedule.schedule_id for s in scheduler.list_schedules()] == ["nightly"]
        with pytest.raises(ScheduleError, match="no orchestrator"):
            asyncio.run(scheduler.run_pending(at(3)))
        assert scheduler.fires() == []  # nothing was claimed


def test_a_broken_stored_schedule_does_not_stop_the_others(tmp_path, orchestrator, caplog):
    """A stored spec that no longer loads is logged and skipped; the other schedules still fire."""
    import sqlite3

    with new_scheduler(tmp_path, orchestrator) as scheduler:
        scheduler.add_schedule(make_schedule("good"))
        scheduler.add_schedule(make_schedule("broken"))
        with sqlite3.connect(scheduler.db_path) as conn:
            conn.execute(
                "UPDATE schedules SET spec_json='{\"schedule_id\": \"broken\"}' WHERE schedule_id='broken'"
            )
        records = asyncio.run(scheduler.run_pending(at(2)))
    assert [(r.schedule_id, r.state) for r in records] == [("good", FireState.SUCCEEDED)]
    assert "schedule broken skipped this pass: schedule 'broken': stored spec no longer loads" in caplog.text


def test_schedules_added_by_another_process_are_picked_up(tmp_path, orchestrator):
    """A manager (like `schedule add` in another process) writes while a runner holds the lock; it sees it."""
    with new_scheduler(tmp_path, orchestrator) as runner:
        asyncio.run(runner.run_pending(at(0, 30)))  # the runner holds the database lock from here on
        manager = TrainingScheduler(None, db_path=runner.db_path, clock=ManualClock(at(0, 45)))
        manager.add_schedule(make_schedule("late-add", "0 1 * * *"))
        manager.close()
        assert states(asyncio.run(runner.run_pending(at(1)))) == [("01:00", "succeeded")]


def test_clock_can_be_a_plain_callable(tmp_path, orchestrator):
    """clock=<callable returning an aware datetime> works; a naive one is refused with ScheduleError."""
    with TrainingScheduler(orchestrator, db_path=tmp_path / "s.db", clock=lambda: at(1)) as scheduler:
        scheduler.add_schedule(make_schedule())
        assert scheduler.list_schedules()[0].next_fire_at == at(2)
    with TrainingScheduler(
        orchestrator, db_path=tmp_path / "t.db", clock=lambda: datetime(2024, 5, 1)
    ) as naive:
        with pytest.raises(ScheduleError, match="clock: expected timezone-aware"):
            naive.add_schedule(make_schedule())
    with pytest.raises(ScheduleError, match="clock: expected a Clock"):
        TrainingScheduler(orchestrator, db_path=tmp_path / "u.db", clock=42)
