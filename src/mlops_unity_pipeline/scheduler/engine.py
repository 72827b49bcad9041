"""``TrainingScheduler``: runs each schedule's jobs once per cron fire, persisted, with misfire/overlap rules.

How one fire goes (each step is a committed SQLite write before the next one starts):

1. **claim** — in one transaction, insert the fire row (``claimed``, or ``skipped`` with a reason) with
   ``INSERT OR IGNORE`` on the UNIQUE (schedule_id, fire_time) key and advance the schedule's cursor;
2. **start** — compare-and-set ``claimed -> running`` with the job ids, then hand the jobs to the
   orchestrator;
3. **finish** — ``running -> succeeded | failed``.

A crash between 1 and 2 leaves a ``claimed`` row whose jobs never started: the next scheduler on that database
runs it if it is still within the misfire grace window (and nothing newer is due), otherwise records it as
skipped. A crash between 2 and 3 leaves ``running``: it becomes ``interrupted`` and its jobs are resumable
with ``mlops-unity jobs resume``. Only one scheduler runs per database at a time (an ``flock`` on
``<db>.lock``), so rows left active by a previous process are known to be orphaned.

Misfire policy (after downtime, or when polled late): of the fires due since the cursor, only the newest one
runs, and only if it is at most ``misfire_grace_seconds`` late; every older one is recorded as ``skipped``
(superseded), so a week of downtime gives one catch-up run, not seven.

Overlap policy, per schedule, while a previous fire's jobs are still running: ``skip`` (default) records the
new fire as skipped; ``queue`` runs it when the previous one finishes (at most one waits); ``allow`` runs it
right away.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import PipelineError, ScheduleError, StoreError
from ..specs import OverlapPolicy, TrainingJob, TrainingSchedule, validate_id
from .clock import Clock, as_clock
from .cron import fires_between, next_fire, validate_cron, zone
from .lock import DatabaseLock
from .store import ACTIVE, FireRecord, FireState, ScheduleRow, ScheduleStore, to_utc_text

UTC = timezone.utc
log = logging.getLogger(__name__)

DEFAULT_DB_NAME = "scheduler.db"

MAX_CATCHUP_FIRES = 10_000
"""At most this many missed fires per schedule are recorded one by one after downtime (the newest ones)."""

_ID_LIMIT = 128  # specs.ID_PATTERN allows 1-128 characters


@dataclass(frozen=True)
class ScheduleStatus:
    """A stored schedule and where it stands (``list_schedules`` returns these)."""

    schedule: TrainingSchedule
    """The schedule as added."""
    paused: bool
    """Paused with ``pause_schedule``."""
    next_fire_at: datetime | None
    """The next fire (UTC), or ``None`` when paused or disabled."""
    last_fire_time: datetime | None = None
    """The newest recorded fire."""
    last_fire_state: FireState | None = None
    """What happened to it."""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: the schedule's fields, ``paused``, ``next_fire_at``, ``last_fire_*``."""
        data = self.schedule.to_dict()
        data["paused"] = self.paused
        data["next_fire_at"] = None if self.next_fire_at is None else to_utc_text(self.next_fire_at)
        data["last_fire_time"] = None if self.last_fire_time is None else to_utc_text(self.last_fire_time)
        data["last_fire_state"] = None if self.last_fire_state is None else self.last_fire_state.value
        return data


@dataclass
class _Active:
    """An in-flight fire of this process (queued or running)."""

    schedule_id: str
    fire_time: datetime
    queued: bool = False
    task: asyncio.Task[FireRecord] | None = None


def job_id_for(schedule_id: str, fire_time: datetime, asset_id: str) -> str:
    """Return the deterministic job id of one asset's job at one fire.

    The same (schedule, fire, asset) always gives the same id, so the orchestrator's job store is a second
    guard against running a fire twice.

    Args:
        schedule_id: the schedule.
        fire_time: the nominal fire instant.
        asset_id: the asset trained.

    Returns:
        ``<schedule_id>-<YYYYmmddTHHMMSSZ>-<asset_id>``, shortened with a hash when over 128 characters.

    """
    stamp = fire_time.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    job_id = f"{schedule_id}-{stamp}-{asset_id}"
    if len(job_id) > _ID_LIMIT:
        digest = hashlib.sha256(job_id.encode()).hexdigest()[:10]
        job_id = f"{schedule_id[:45].rstrip('.')}-{stamp}-{asset_id[:45].rstrip('.')}-{digest}"
    return validate_id(job_id, "job_id")


def _default_db_path(orchestrator: Any) -> Path:
    for attr in ("workspace_dir", "workspace"):
        workspace = getattr(orchestrator, attr, None)
        if isinstance(workspace, (str, os.PathLike)):
            return Path(workspace) / DEFAULT_DB_NAME
    return Path("./artifacts") / DEFAULT_DB_NAME


_JOB_DONE = frozenset({"succeeded", "failed", "cancelled", "skipped"})


def _job_state(job: Any) -> str:
    state = getattr(job, "state", None)
    return str(getattr(state, "value", state))


def _status_value(result: Any) -> str | None:
    status = getattr(result, "status", None)
    if status is None and isinstance(result, dict):
        status = result.get("status")
    return None if status is None else str(getattr(status, "value", status))


class TrainingScheduler:
    """Fires ``TrainingSchedule`` s on their cron expressions and runs their jobs through an orchestrator.

    Args:
        orchestrator: anything with ``async execute_training_job(job)`` (a ``UnityMLOpsOrchestrator``);
            ``None`` for a scheduler that only manages schedules (the CLI's add/list/remove).
        db_path: the SQLite database; default ``<orchestrator workspace>/scheduler.db``.
        clock: a ``Clock`` (``SystemClock`` by default; ``ManualClock`` in tests) or a callable returning
            the current aware datetime.

    Example:
        >>> scheduler = TrainingScheduler(orchestrator)           # doctest: +SKIP
        >>> scheduler.add_schedule(schedule)                      # doctest: +SKIP
        >>> await scheduler.run_forever()                         # doctest: +SKIP

    """

    def __init__(
        self,
        orchestrator: Any = None,
        *,
        db_path: Path | str | None = None,
        clock: Clock | Callable[[], datetime] | None = None,
    ) -> None:
        self.orchestrator = orchestrator
        self.db_path = Path(db_path) if db_path is not None else _default_db_path(orchestrator)
        self.clock = as_clock(clock)
        self.store = ScheduleStore(self.db_path)
        self._active: dict[str, list[_Active]] = {}
        self._lock = DatabaseLock(self.db_path)
        self._recovered = False
        self._stop: asyncio.Event | None = None
        self._signals = 0

    # --- managing schedules ---------------------------------------------------------------------------------

    def add_schedule(self, schedule: TrainingSchedule) -> None:
        """Add a schedule, or update the one with the same id (its cursor and history are kept).

        Adding is idempotent, so a program that calls ``add_schedule`` at every start (like the guide's) does
        not lose the fires it missed while it was down: they go through the misfire policy.

        Args:
            schedule: the schedule.

        Raises:
            ScheduleError: when it is not a ``TrainingSchedule`` or its cron expression or time zone is
                invalid.

        """
        if not isinstance(schedule, TrainingSchedule):
            raise ScheduleError(f"schedule: expected a TrainingSchedule, got {type(schedule).__name__}")
        validate_cron(schedule.cron_expression)
        zone(schedule.timezone)
        now = self._now()
        existing = self.store.get_schedule(schedule.schedule_id)
        cursor = existing.cursor if existing is not None else now
        paused = existing.paused if existing is not None else False
        upcoming = next_fire(schedule, cursor) if schedule.enabled and not paused else None
        created = self.store.upsert_schedule(schedule.schedule_id, schedule.to_dict(), now, upcoming)
        if not created:
            with self.store.transaction() as conn:
                ScheduleStore.advance_cursor(conn, schedule.schedule_id, cursor, upcoming)
        log.info(
            "%s schedule %s (%s %s)",
            "added" if created else "updated",
            schedule.schedule_id,
            schedule.cron_expression,
            schedule.timezone,
        )

    def remove_schedule(self, schedule_id: str) -> None:
        """Delete a schedule and its fire history (running jobs are not touched).

        Raises:
            ScheduleError: when no schedule has this id.

        """
        if not self.store.remove_schedule(schedule_id):
            raise ScheduleError(self._unknown(schedule_id))

    def pause_schedule(self, schedule_id: str) -> None:
        """Stop firing a schedule until ``resume_schedule``; fires while paused are not owed.

        Raises:
            ScheduleError: when no schedule has this id.

        """
        if not self.store.set_paused(schedule_id, True, self._now(), None):
            raise ScheduleError(self._unknown(schedule_id))

    def resume_schedule(self, schedule_id: str) -> None:
        """Fire a paused schedule again, from now on.

        Raises:
            ScheduleError: when no schedule has this id.

        """
        schedule = self.get_schedule(schedule_id)
        now = self._now()
        upcoming = next_fire(schedule, now) if schedule.enabled else None
        self.store.set_paused(schedule_id, False, now, upcoming)

    def get_schedule(self, schedule_id: str) -> TrainingSchedule:
        """Return the stored schedule with this id.

        Raises:
            ScheduleError: when no schedule has this id.

        """
        row = self.store.get_schedule(schedule_id)
        if row is None:
            raise ScheduleError(self._unknown(schedule_id))
        return self._load(row)

    def list_schedules(self) -> list[ScheduleStatus]:
        """Return every schedule with its next fire and last fire, ordered by id."""
        self.reconcile_fires()
        statuses = []
        for row in self.store.list_schedules():
            last_time = row.extra.get("last_fire_time")
            last_state = row.extra.get("last_fire_state")
            statuses.append(
                ScheduleStatus(
                    schedule=self._load(row),
                    paused=row.paused,
                    next_fire_at=row.next_fire_at,
                    last_fire_time=None if last_time is None else datetime.fromisoformat(last_time),
                    last_fire_state=None if last_state is None else FireState(last_state),
                )
            )
        return statuses

    def fires(self, schedule_id: str | None = None, limit: int | None = None) -> list[FireRecord]:
        """Return recorded fires, newest first (interrupted ones first follow their jobs)."""
        self.reconcile_fires()
        return self.store.list_fires(schedule_id, limit=limit)

    def reconcile_fires(self) -> list[FireRecord]:
        """Settle interrupted fires whose jobs were all resumed to an end: ``succeeded`` or ``failed``.

        A fire interrupted by a scheduler stop is finished by ``mlops-unity jobs resume``; its record follows
        its jobs once every one of them ended (read from the orchestrator, or ``pipeline.db`` next to the
        scheduler database).

        Returns:
            The fires whose state changed.

        """
        changed = []
        for record in self.store.list_fires(states=[FireState.INTERRUPTED]):
            jobs = self._jobs(record.job_ids)
            if not record.job_ids or jobs is None or any(j is None for j in jobs.values()):
                continue
            states = {job_id: _job_state(job) for job_id, job in jobs.items()}
            if not all(s in _JOB_DONE for s in states.values()):
                continue
            failed = [
                f"{job_id}: {states[job_id]}" for job_id in record.job_ids if states[job_id] != "succeeded"
            ]
            new = FireState.FAILED if failed else FireState.SUCCEEDED
            reason = f"{record.reason}; then resumed: " + (
                "every job succeeded"
                if not failed
                else f"{len(failed)} of {len(states)} jobs did not succeed"
            )
            if self.store.update_fire(
                record.schedule_id,
                record.fire_time,
                new,
                expect=[FireState.INTERRUPTED],
                reason=reason,
                finished_at=self._now(),
                error=failed[0] if failed else None,
            ):
                changed.append(record)
        return changed

    def _jobs(self, job_ids: tuple[str, ...]) -> dict[str, Any] | None:
        """Return each job's record (None when unknown), or None when no job store is reachable."""
        get = getattr(self.orchestrator, "get_job", None)
        if get is None:
            path = self.db_path.parent / "pipeline.db"  # the workspace's job store, next to scheduler.db
            if not path.exists():
                return None
            from ..store.jobs import JobStore  # imported here: only needed without an orchestrator

            try:
                get = JobStore(path).get
            except PipelineError as exc:  # a broken job store is reported by the jobs commands
                log.warning("cannot read the jobs of interrupted fires: %s", exc)
                return None
        out: dict[str, Any] = {}
        for job_id in job_ids:
            try:
                out[job_id] = get(job_id)
            except PipelineError:
                out[job_id] = None
        return out

    def _describe_jobs(self, job_ids: tuple[str, ...]) -> str:
        """Say where each job of an interrupted fire stands (``a: interrupted in train``)."""
        jobs = self._jobs(job_ids) or {}
        parts = []
        for job_id in job_ids:
            job = jobs.get(job_id)
            if job is None:
                parts.append(f"{job_id}: never started (not in the job store)")
                continue
            started = [s.name for s in getattr(job, "stages", ())]
            state = _job_state(job)
            if not started:
                parts.append(f"{job_id}: never started ({state})")
            else:
                parts.append(f"{job_id}: {state} in {started[-1]}")
        return "; ".join(parts)

    # --- running --------------------------------------------------------------------------------------------

    async def run_pending(self, now: datetime | None = None, *, wait: bool = True) -> list[FireRecord]:
        """Decide every fire due at ``now`` once: claim, skip or run it.

        Bounded: it handles the fires due at ``now`` (and, on the first call, those orphaned by a previous
        process) and returns; nothing is scheduled for later.

        Args:
            now: the instant to act at (aware); default the clock's now.
            wait: wait for the runs it starts to finish (``run_forever`` passes False so a long run does not
                delay the next fire; queued and overlapping runs need that).

        Returns:
            The fires decided in this call (their final state when ``wait``; ``running`` or ``claimed``
            otherwise), in fire-time order.

        Raises:
            StoreError: when another scheduler process holds this database.
            ScheduleError: when ``now`` is naive or the scheduler has no orchestrator.

        """
        if now is None:
            now = self._now()
        if now.tzinfo is None:
            raise ScheduleError(f"now: expected a timezone-aware datetime, got naive {now.isoformat()}")
        now = now.astimezone(UTC)
        if self.orchestrator is None:
            raise ScheduleError("this TrainingScheduler has no orchestrator: pass one to run schedules")
        self._lock.acquire()
        launched: list[_Active] = []
        decided: list[FireRecord] = []
        if not self._recovered:
            self._recover(now, launched, decided)
            self.reconcile_fires()
            self._recovered = True
        for schedule_id in self.store.due_schedule_ids(now):
            try:
                self._decide(schedule_id, now, launched, decided)
            except PipelineError as exc:  # one broken schedule (e.g. a stored spec that no longer loads)
                log.error("schedule %s skipped this pass: %s", schedule_id, exc)  # must not stop the others
        if wait and launched:
            await asyncio.gather(*(a.task for a in launched if a.task is not None))
        refreshed = [self.store.get_fire(r.schedule_id, r.fire_time) or r for r in decided]
        return sorted(refreshed, key=lambda r: (r.fire_time, r.schedule_id))

    async def run_forever(
        self,
        *,
        until: datetime | None = None,
        poll_interval_s: float = 30.0,
        shutdown_timeout_s: float | None = None,
        handle_signals: bool = True,
    ) -> None:
        """Fire schedules until stopped (SIGTERM/SIGINT, ``stop()``) or until ``until``.

        It sleeps until the earliest next fire, but at most ``poll_interval_s``, so schedules added by another
        process (``mlops-unity schedule add``) are picked up. On the first SIGTERM or SIGINT it stops claiming
        fires and waits for the running ones (at most ``shutdown_timeout_s``); a second signal, or the
        timeout, cancels them and records them as ``interrupted``.

        Args:
            until: stop at this instant (aware), after at least one pass; ``None`` runs until a signal.
            poll_interval_s: the longest sleep between checks.
            shutdown_timeout_s: how long to wait for running fires when stopping; ``None`` waits.
            handle_signals: install SIGTERM/SIGINT handlers (main thread only).

        Raises:
            StoreError: when another scheduler process holds this database.

        """
        if poll_interval_s <= 0:
            raise ScheduleError(f"poll_interval_s: expected > 0, got {poll_interval_s}")
        if until is not None and until.tzinfo is None:
            raise ScheduleError(f"until: expected a timezone-aware datetime, got naive {until.isoformat()}")
        self._lock.acquire()
        self._recovered = False  # fires left claimed by an earlier stop of this same instance are orphans too
        loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._signals = 0
        installed = self._install_signal_handlers(loop) if handle_signals else []
        log.info("scheduler running on %s", self.db_path)
        try:
            first_pass = True
            while not self._stop.is_set():
                now = self._now()
                # The first pass always runs: a process that started late (slow start-up, a loaded machine)
                # still handles what was due when it was asked to run, rather than exiting with nothing done.
                if until is not None and now >= until and not first_pass:
                    break
                first_pass = False
                try:
                    await self.run_pending(now, wait=False)
                except StoreError as exc:  # e.g. the database stayed locked past its timeout: try again later
                    log.error("scheduler pass failed, retrying in %g s: %s", poll_interval_s, exc)
                    await self._sleep_or_stop(poll_interval_s)
                    continue
                delay = poll_interval_s
                earliest = self.store.earliest_next_fire()
                if earliest is not None:
                    # a schedule still due after a pass is broken (logged): retry it at most once a second
                    delay = min(delay, max((earliest - now).total_seconds(), 0.0) or 1.0)
                if until is not None:
                    delay = min(delay, (until - now).total_seconds())
                await self._sleep_or_stop(max(0.0, delay))
            await self._shutdown(shutdown_timeout_s)
        finally:
            for signum in installed:
                loop.remove_signal_handler(signum)
            self._stop = None

    def stop(self) -> None:
        """Ask a running ``run_forever`` to stop (like one SIGTERM); a second call cancels running fires."""
        self._signals += 1
        if self._stop is not None:
            self._stop.set()
        if self._signals > 1:
            log.warning("second stop request: cancelling %d running fire(s)", len(self._all_active()))
            for active in self._all_active():
                if active.task is not None:
                    active.task.cancel()

    async def drain(self) -> None:
        """Wait until every fire this process started has finished."""
        tasks = [a.task for a in self._all_active() if a.task is not None]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def close(self) -> None:
        """Release the database lock and close the store."""
        self._lock.release()
        self.store.close()

    def __enter__(self) -> TrainingScheduler:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- deciding fires -------------------------------------------------------------------------------------

    def _recover(self, now: datetime, launched: list[_Active], decided: list[FireRecord]) -> None:
        """Settle fires a dead process left ``claimed`` or ``running`` (we hold the lock: orphans)."""
        for record in self.store.list_fires(states=sorted(ACTIVE, key=lambda s: s.value)):
            row = self.store.get_schedule(record.schedule_id)
            if record.state is FireState.RUNNING:
                reason = (
                    "interrupted: the scheduler stopped while its jobs ran or waited "
                    f"({self._describe_jobs(record.job_ids)}); resume each with "
                    f"`mlops-unity jobs resume <job_id>` ({', '.join(record.job_ids)})"
                )
                self.store.update_fire(
                    record.schedule_id,
                    record.fire_time,
                    FireState.INTERRUPTED,
                    expect=[FireState.RUNNING],
                    reason=reason,
                    finished_at=now,
                )
                log.warning("fire %s@%s %s", record.schedule_id, to_utc_text(record.fire_time), reason)
                decided.append(record)
                continue
            if row is None:  # schedule removed while the fire was claimed
                continue
            schedule = self._load(row)
            late = int((now - record.fire_time).total_seconds())
            newer_due = row.next_fire_at is not None and row.next_fire_at <= now
            if newer_due:
                reason = "misfire: claimed before a restart, superseded by a newer due fire"
            elif late > schedule.misfire_grace_seconds:
                reason = (
                    f"misfire: claimed before a restart, {late} s late "
                    f"(grace {schedule.misfire_grace_seconds} s)"
                )
            else:
                log.info(
                    "recovering fire %s@%s claimed before a restart (%d s late)",
                    record.schedule_id,
                    to_utc_text(record.fire_time),
                    late,
                )
                launched.append(self._launch(schedule, record.fire_time, None))
                decided.append(record)
                continue
            self.store.update_fire(
                record.schedule_id,
                record.fire_time,
                FireState.SKIPPED,
                expect=[FireState.CLAIMED],
                reason=reason,
                finished_at=now,
            )
            decided.append(record)

    def _decide(
        self, schedule_id: str, now: datetime, launched: list[_Active], decided: list[FireRecord]
    ) -> None:
        """Claim or skip every fire of one schedule in ``(cursor, now]`` and advance its cursor."""
        row = self.store.get_schedule(schedule_id)
        if row is None:
            return
        schedule = self._load(row)
        if row.paused or not schedule.enabled:
            with self.store.transaction() as conn:
                ScheduleStore.advance_cursor(conn, schedule_id, row.cursor, None)
            return
        due = fires_between(schedule, row.cursor, now)
        if not due:  # next_fire_at was stale (e.g. the cron changed); recompute it
            with self.store.transaction() as conn:
                ScheduleStore.advance_cursor(conn, schedule_id, row.cursor, next_fire(schedule, row.cursor))
            return
        if len(due) > MAX_CATCHUP_FIRES:
            log.warning(
                "schedule %s missed %d fires; recording the newest %d",
                schedule_id,
                len(due),
                MAX_CATCHUP_FIRES,
            )
            due = due[-MAX_CATCHUP_FIRES:]
        latest = due[-1]
        plan: list[tuple[datetime, FireState, str]] = [
            (fire, FireState.SKIPPED, f"misfire: superseded by the {to_utc_text(latest)} fire (coalesced)")
            for fire in due[:-1]
        ]
        late = int((now - latest).total_seconds())
        wait_for: _Active | None = None
        if late > schedule.misfire_grace_seconds:
            plan.append(
                (
                    latest,
                    FireState.SKIPPED,
                    f"misfire: {late} s late (grace {schedule.misfire_grace_seconds} s)",
                )
            )
        else:
            state, reason, wait_for = self._overlap(schedule)
            plan.append((latest, state, reason))
        with self.store.transaction() as conn:
            owned = [
                (fire, state)
                for fire, state, reason in plan
                if ScheduleStore.insert_fire(conn, schedule_id, fire, state, now, reason)
            ]
            ScheduleStore.advance_cursor(conn, schedule_id, latest, next_fire(schedule, latest))
        for fire, state in owned:
            decided.append(FireRecord(schedule_id, fire.astimezone(UTC), state))
            if state is FireState.CLAIMED:
                launched.append(self._launch(schedule, fire, wait_for))
            elif fire == latest:
                log.info("fire %s@%s skipped: %s", schedule_id, to_utc_text(fire), plan[-1][2])

    def _overlap(self, schedule: TrainingSchedule) -> tuple[FireState, str, _Active | None]:
        """Apply the overlap policy: (state for the new fire, reason, the run it must wait for)."""
        active = self._active.get(schedule.schedule_id, [])
        if not active or schedule.overlap_policy == OverlapPolicy.ALLOW.value:
            return FireState.CLAIMED, "", None
        previous = active[-1]
        if schedule.overlap_policy == OverlapPolicy.QUEUE.value:
            queued = [run for run in active if run.queued]
            if queued:  # at most one waits, so a run longer than the period cannot pile up a backlog
                return (
                    FireState.SKIPPED,
                    f"overlap: the {to_utc_text(queued[0].fire_time)} fire is already queued",
                    None,
                )
            return FireState.CLAIMED, "", previous
        return (
            FireState.SKIPPED,
            f"overlap: the {to_utc_text(previous.fire_time)} fire is still running",
            None,
        )

    # --- running fires --------------------------------------------------------------------------------------

    def _launch(self, schedule: TrainingSchedule, fire_time: datetime, wait_for: _Active | None) -> _Active:
        if self.orchestrator is None:
            raise ScheduleError("this TrainingScheduler has no orchestrator: pass one to run schedules")
        active = _Active(schedule.schedule_id, fire_time.astimezone(UTC), queued=wait_for is not None)
        self._active.setdefault(schedule.schedule_id, []).append(active)
        active.task = asyncio.get_running_loop().create_task(
            self._run_fire(schedule, active, wait_for),
            name=f"fire:{schedule.schedule_id}@{to_utc_text(fire_time)}",
        )
        return active

    async def _run_fire(
        self, schedule: TrainingSchedule, active: _Active, wait_for: _Active | None
    ) -> FireRecord:
        schedule_id, fire_time = schedule.schedule_id, active.fire_time
        try:
            if wait_for is not None and wait_for.task is not None:
                await asyncio.wait([wait_for.task])
                if self._stop is not None and self._stop.is_set():
                    # Stopping: do not start a queued run now; it stays claimed, and the next scheduler on
                    # this database runs it if it is still within the grace window (see _recover).
                    log.info("stopping: queued fire %s@%s left claimed", schedule_id, to_utc_text(fire_time))
                    record = self.store.get_fire(schedule_id, fire_time)
                    return record or FireRecord(schedule_id, fire_time, FireState.CLAIMED)
            jobs = [
                TrainingJob(
                    job_id_for(schedule_id, fire_time, asset.asset_id),
                    asset,
                    schedule.rl_config,
                    execution=schedule.execution,  # executor: ray dispatches the fire's jobs to the cluster
                )
                for asset in schedule.asset_specs
            ]
            job_ids = [job.job_id for job in jobs]
            if not self.store.update_fire(
                schedule_id,
                fire_time,
                FireState.RUNNING,
                expect=[FireState.CLAIMED],
                job_ids=job_ids,
                started_at=self._now(),
            ):
                raise StoreError(
                    f"fire {schedule_id}@{to_utc_text(fire_time)} is no longer claimed by this process"
                )
            active.queued = False
            log.info("fire %s@%s: running %s", schedule_id, to_utc_text(fire_time), ", ".join(job_ids))
            outcomes = await asyncio.gather(*(self._execute(job) for job in jobs))
            errors = [error for error in outcomes if error is not None]
            state = FireState.FAILED if errors else FireState.SUCCEEDED
            self.store.update_fire(
                schedule_id,
                fire_time,
                state,
                expect=[FireState.RUNNING],
                finished_at=self._now(),
                error=errors[0] if errors else None,
            )
        except asyncio.CancelledError:
            self.store.update_fire(
                schedule_id,
                fire_time,
                FireState.INTERRUPTED,
                expect=list(ACTIVE),
                reason="interrupted: cancelled at scheduler shutdown",
                finished_at=self._now(),
            )
            raise
        except Exception as exc:  # a scheduler bug must not kill the loop; record it on the fire
            log.exception("fire %s@%s failed", schedule_id, to_utc_text(fire_time))
            self.store.update_fire(
                schedule_id,
                fire_time,
                FireState.FAILED,
                expect=list(ACTIVE),
                finished_at=self._now(),
                error=f"{type(exc).__name__}: {exc}",
            )
        finally:
            runs = self._active.get(schedule_id, [])
            if active in runs:
                runs.remove(active)
            if not runs:
                self._active.pop(schedule_id, None)
        record = self.store.get_fire(schedule_id, fire_time)
        if record is None:  # the schedule was removed (with its history) while this fire ran
            return FireRecord(schedule_id, fire_time, FireState.INTERRUPTED, reason="schedule removed")
        return record

    async def _execute(self, job: TrainingJob) -> str | None:
        """Run one job; return None on success or a one-line error."""
        try:
            result = await self.orchestrator.execute_training_job(job)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the orchestrator records its own failures; the fire records a summary
            return f"{job.job_id}: {type(exc).__name__}: {exc}"
        status = _status_value(result)
        if status != "succeeded":
            error = getattr(result, "error", None)
            return f"{job.job_id}: {status or 'no status'}" + (f": {error}" if error else "")
        return None

    async def _shutdown(self, timeout_s: float | None) -> None:
        tasks = [a.task for a in self._all_active() if a.task is not None]
        if not tasks:
            return
        log.info(
            "stopping: waiting for %d running fire(s)%s",
            len(tasks),
            "" if timeout_s is None else f" (at most {timeout_s} s)",
        )
        _, pending = await asyncio.wait(tasks, timeout=timeout_s)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def _sleep_or_stop(self, seconds: float) -> None:
        assert self._stop is not None  # internal invariant: only called from run_forever
        sleeper = asyncio.ensure_future(self.clock.sleep(seconds))
        stopper = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait([sleeper, stopper], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, stopper):
                task.cancel()
            await asyncio.gather(sleeper, stopper, return_exceptions=True)

    def _install_signal_handlers(self, loop: asyncio.AbstractEventLoop) -> list[int]:
        if threading.current_thread() is not threading.main_thread():
            return []
        installed = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(signum, self._on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):  # non-POSIX loop
                continue
            installed.append(signum)
        return installed

    def _on_signal(self, signum: int) -> None:
        log.warning(
            "received %s: %s",
            signal.Signals(signum).name,
            "stopping after running fires finish (send again to cancel them)"
            if self._signals == 0
            else "cancelling running fires",
        )
        self.stop()

    # --- helpers --------------------------------------------------------------------------------------------

    def _all_active(self) -> list[_Active]:
        return [a for runs in self._active.values() for a in runs]

    def _now(self) -> datetime:
        now = self.clock.now()
        if now.tzinfo is None:
            raise ScheduleError(f"clock: expected timezone-aware datetimes, got naive {now.isoformat()}")
        return now.astimezone(UTC)

    @staticmethod
    def _load(row: ScheduleRow) -> TrainingSchedule:
        try:
            return TrainingSchedule.from_dict(dict(row.spec))
        except ScheduleError:
            raise
        except Exception as exc:
            raise StoreError(f"schedule {row.schedule_id!r}: stored spec no longer loads: {exc}") from exc

    @staticmethod
    def _unknown(schedule_id: str) -> str:
        return f"schedule_id: no schedule {schedule_id!r} (see `mlops-unity schedule list`)"
