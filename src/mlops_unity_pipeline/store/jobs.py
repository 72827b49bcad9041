"""SQLite job store (WAL): job and stage states, owner process and heartbeat, cancel flag, progress, results.

One connection per operation keeps it safe to use from worker threads and from other processes (the CLI's
``jobs cancel`` writes the flag that a running job's train stage polls).

Ownership: a queued or running job belongs to the process recorded in ``pid``/``host``. On the same host the
owner is alive exactly while its pid is (a paused process, SIGSTOP or a suspended laptop, is alive: its job is
never taken over). Across hosts the heartbeat is a lease: the owner renews it every few seconds and it
expires after ``stale_after_s``; the job is then persisted as ``interrupted``, and ``jobs resume`` takes it
over in one transaction that records the new owner. Every write of the owner (heartbeat, stage records,
progress, the final state) is conditioned on still being the owner, so a process that lost its lease gets
``LeaseLost`` at its next write and stops without touching the job again.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import LeaseLost, StoreError
from ..orchestrator.states import RunState, check_transition
from ..redact import redact, redact_data
from .sqlite import connect, create_or_check, recovery_hint

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    state TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    job_dir TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    pid INTEGER,
    host TEXT,
    heartbeat_at REAL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    result TEXT,
    progress TEXT
);
CREATE TABLE IF NOT EXISTS stages (
    job_id TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    state TEXT NOT NULL,
    started_at REAL,
    finished_at REAL,
    error TEXT,
    outputs TEXT,
    runs INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, name)
);
"""


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else None


@dataclass(frozen=True)
class StageRecord:
    """One stage of one job as stored."""

    name: str
    position: int
    state: RunState
    started_at: float | None = None
    finished_at: float | None = None
    error: str | None = None
    outputs: dict[str, Any] = field(default_factory=dict)
    runs: int = 0
    """How many times the stage started (more than 1 after a resume re-ran it)."""

    @property
    def duration_s(self) -> float | None:
        """Seconds from start to finish, when finished."""
        if self.started_at is None or self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "name": self.name,
            "state": self.state.value,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "duration_s": self.duration_s,
            "error": self.error,
            "outputs": self.outputs,
            "runs": self.runs,
        }


@dataclass(frozen=True)
class JobRecord:
    """One job as stored: its spec, state, owner and results."""

    job_id: str
    spec: dict[str, Any]
    state: RunState
    attempt: int
    job_dir: str
    created_at: float
    updated_at: float
    started_at: float | None = None
    finished_at: float | None = None
    pid: int | None = None
    host: str | None = None
    heartbeat_at: float | None = None
    cancel_requested: bool = False
    error: str | None = None
    result: dict[str, Any] | None = None
    progress: dict[str, Any] | None = None
    stages: tuple[StageRecord, ...] = ()

    def with_state(self, state: RunState) -> JobRecord:
        """Return a copy in ``state``.

        Args:
            state: the new state.

        Returns:
            The new record.

        Raises:
            InvalidTransition: when the state machine does not allow the edge.

        """
        check_transition(self.state, state)
        return replace(self, state=state, updated_at=time.time())

    def stage(self, name: str) -> StageRecord | None:
        """Return the record of one stage, or None when it has not started."""
        return next((s for s in self.stages if s.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (what ``jobs show --json`` prints)."""
        return {
            "job_id": self.job_id,
            "state": self.state.value,
            "attempt": self.attempt,
            "job_dir": self.job_dir,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "pid": self.pid,
            "host": self.host,
            "heartbeat_at": self.heartbeat_at,
            "cancel_requested": self.cancel_requested,
            "error": self.error,
            "result": self.result,
            "progress": self.progress,
            "spec": self.spec,
            "stages": [s.to_dict() for s in self.stages],
        }


def _pid_alive(pid: int, since: float | None = None) -> bool:
    """Return True when process ``pid`` exists (paused counts as alive) and is the one that owned the job.

    Args:
        pid: the owner's pid.
        since: when the owner was last known alive; a process with this pid that started later is a new
            process that reused the pid (Linux: start time from ``/proc``), so the owner is dead.

    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        pass
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        # A killed child that its parent has not reaped yet is a zombie: dead for our purposes.
        if fields[0] == "Z":
            return False
        if since is not None:
            # Field 22 of proc(5) stat is the start time in clock ticks after boot (fields[19] here, after
            # the name); btime in /proc/stat is the boot time in seconds since the epoch.
            boot = next(
                float(line.split()[1])
                for line in Path("/proc/stat").read_text().splitlines()
                if line.startswith("btime ")
            )
            started = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
            if started > since + 2.0:  # 2 s: btime and the tick count are coarse
                return False
    return True


class JobStore:
    """Jobs and their stages in one SQLite database (WAL journal) under the workspace.

    Args:
        path: the database file (created with its folder when missing).
        stale_after_s: the lease: a job owned by a process on another host whose heartbeat is older than this
            is reported as interrupted (on this host, the owner's pid decides).
        host: this machine's name as recorded with the jobs it owns (default: the host name).

    """

    def __init__(self, path: Path | str, *, stale_after_s: float = 120.0, host: str | None = None) -> None:
        self.path = Path(path)
        self.stale_after_s = stale_after_s
        self.host = host or socket.gethostname()
        self.pid = os.getpid()
        create_or_check(
            self.path,
            schema=_SCHEMA + f"INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');",
            tables=("meta", "jobs", "stages"),
            label="job store",
            error=StoreError,
            recovery=recovery_hint(self.path, "the job history is lost; registered models are kept"),
        )
        with self._connect(transaction=False) as conn:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
                row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                if row is None:
                    conn.execute(
                        "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                    )
                elif int(row[0]) != SCHEMA_VERSION:
                    raise StoreError(
                        f"job store {self.path}: schema version {row[0]}, this package reads {SCHEMA_VERSION}"
                    )
            except sqlite3.DatabaseError as exc:
                raise self._error(exc) from exc

    # --- connection -----------------------------------------------------------------------------------------

    def _error(self, exc: BaseException) -> StoreError:
        text = str(exc)
        if "not a database" in text or "malformed" in text:
            return StoreError(f"job store {self.path} is corrupt ({text}); move it away to start a new store")
        if "disk is full" in text or "disk I/O" in text:
            return StoreError(f"job store {self.path}: no space left on device or I/O error ({text})")
        if "readonly" in text or "unable to open" in text:
            return StoreError(f"job store {self.path} is not writable ({text}); choose another --workspace")
        return StoreError(f"job store {self.path}: {text}")

    def _connect(self, transaction: bool = True) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return connect(
            self.path,
            transaction=transaction,
            label="job store",
            error=StoreError,
            translate=self._error,
            setup=("PRAGMA foreign_keys=ON",),
        )

    # --- reading --------------------------------------------------------------------------------------------

    def _row_to_record(self, conn: sqlite3.Connection, row: sqlite3.Row | tuple[Any, ...]) -> JobRecord:
        (
            job_id,
            spec,
            state,
            attempt,
            job_dir,
            created,
            updated,
            started,
            finished,
            pid,
            host,
            beat,
            cancel,
            error,
            result,
            progress,
        ) = row
        stages = tuple(
            StageRecord(
                name=s[0],
                position=s[1],
                state=RunState(s[2]),
                started_at=s[3],
                finished_at=s[4],
                error=s[5],
                outputs=_loads(s[6]) or {},
                runs=s[7],
            )
            for s in conn.execute(
                "SELECT name, position, state, started_at, finished_at, error, outputs, runs FROM stages "
                "WHERE job_id=? ORDER BY position",
                (job_id,),
            )
        )
        return JobRecord(
            job_id=job_id,
            spec=json.loads(spec),
            state=RunState(state),
            attempt=attempt,
            job_dir=job_dir,
            created_at=created,
            updated_at=updated,
            started_at=started,
            finished_at=finished,
            pid=pid,
            host=host,
            heartbeat_at=beat,
            cancel_requested=bool(cancel),
            error=error,
            result=_loads(result),
            progress=_loads(progress),
            stages=stages,
        )

    def _owner_dead(self, record: JobRecord, now: float) -> bool:
        if record.state not in (RunState.RUNNING, RunState.QUEUED):
            return False
        if record.pid is None:
            # Queued by a version that recorded no owner for queued jobs: orphaned once its lease would have
            # expired (nothing renews it).
            return record.state is RunState.QUEUED and now - record.updated_at > self.stale_after_s
        if record.host == self.host:
            # Same host: the pid decides. A paused owner (SIGSTOP, a long GC) is alive however old its
            # heartbeat is; taking its job over would run it twice and register two versions.
            return not _pid_alive(record.pid, since=record.heartbeat_at or record.updated_at)
        # Another host: the heartbeat is a lease the owner renews; an expired lease may be taken over.
        beat = record.heartbeat_at if record.heartbeat_at is not None else record.updated_at
        return now - beat > self.stale_after_s

    def is_owner(self, record: JobRecord) -> bool:
        """Return True when this process (pid and host) owns ``record``."""
        return record.pid == self.pid and record.host == self.host

    def _detect_interrupted(self, conn: sqlite3.Connection, record: JobRecord) -> JobRecord:
        now = time.time()
        if not self._owner_dead(record, now):
            return record
        if record.state is RunState.QUEUED:
            who = f"pid {record.pid} on {record.host}" if record.pid is not None else "owner not recorded"
            message = (
                f"the process that queued it ({who}) stopped before it started; "
                f"resume it with `mlops-unity jobs resume {record.job_id}`"
            )
        else:
            message = f"the process running it (pid {record.pid} on {record.host}) stopped without finishing"
        conn.execute(
            # IS, not =: a queued job from an older store has NULL pid and host
            "UPDATE jobs SET state=?, updated_at=?, error=? "
            "WHERE job_id=? AND state=? AND pid IS ? AND host IS ?",
            (
                RunState.INTERRUPTED.value,
                now,
                message,
                record.job_id,
                record.state.value,
                record.pid,
                record.host,
            ),
        )
        conn.execute(
            "UPDATE stages SET state=?, error=? WHERE job_id=? AND state=?",
            (RunState.INTERRUPTED.value, message, record.job_id, RunState.RUNNING.value),
        )
        return self._row_to_record(conn, self._select(conn, record.job_id))

    def _select(self, conn: sqlite3.Connection, job_id: str) -> tuple[Any, ...]:
        row = conn.execute("SELECT * FROM jobs WHERE job_id=?", (job_id,)).fetchone()
        if row is None:
            raise StoreError(f"no job '{job_id}' in {self.path}")
        return row

    def get(self, job_id: str) -> JobRecord:
        """Return a job; a running job whose process died comes back (and is stored) as ``interrupted``.

        Args:
            job_id: the job.

        Returns:
            Its record with stages.

        Raises:
            StoreError: when there is no such job or the store is unreadable.

        """
        with self._connect() as conn:
            return self._detect_interrupted(conn, self._row_to_record(conn, self._select(conn, job_id)))

    def exists(self, job_id: str) -> bool:
        """Return True when the store has this job."""
        with self._connect() as conn:
            return conn.execute("SELECT 1 FROM jobs WHERE job_id=?", (job_id,)).fetchone() is not None

    def list(self, state: RunState | None = None) -> list[JobRecord]:
        """Return all jobs, newest first (crash detection applied).

        Args:
            state: only jobs in this state.

        Returns:
            The records.

        """
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM jobs ORDER BY created_at DESC, job_id").fetchall()
            records = [self._detect_interrupted(conn, self._row_to_record(conn, r)) for r in rows]
        return [r for r in records if state is None or r.state is state]

    # --- writing --------------------------------------------------------------------------------------------

    def create(self, job_id: str, spec: dict[str, Any], job_dir_for: Any) -> JobRecord:
        """Add a job as ``queued``, or start a new attempt of a finished one (its stage records are cleared).

        Args:
            job_id: the job id.
            spec: the job spec as a dict.
            job_dir_for: ``attempt -> folder`` (the attempt's job folder).

        Returns:
            The queued record.

        Raises:
            StoreError: when a job with this id is queued or running.

        """
        now = time.time()
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM jobs WHERE job_id=?", (job_id,)).fetchone()
            attempt = 1
            if row is not None:
                current = self._detect_interrupted(conn, self._row_to_record(conn, row))
                if current.state in (RunState.QUEUED, RunState.RUNNING):
                    raise StoreError(
                        f"job '{job_id}' is already {current.state.value} (pid {current.pid}); "
                        "cancel it first or use another job_id"
                    )
                attempt = current.attempt + 1
                conn.execute("DELETE FROM stages WHERE job_id=?", (job_id,))
                conn.execute("DELETE FROM jobs WHERE job_id=?", (job_id,))
            # An attempt's package folder is what a registered version points at: never reuse an attempt that
            # has one on disk, whatever this store says (a store moved away restarts at attempt 1).
            while (Path(job_dir_for(attempt)) / "package").exists():
                attempt += 1
            conn.execute(
                "INSERT INTO jobs (job_id, spec, state, attempt, job_dir, created_at, updated_at, pid, host, "
                "heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    json.dumps(spec, sort_keys=True),
                    RunState.QUEUED.value,
                    attempt,
                    str(job_dir_for(attempt)),
                    now,
                    now,
                    self.pid,
                    self.host,
                    now,
                ),
            )
            return self._row_to_record(conn, self._select(conn, job_id))

    def transition(
        self, job_id: str, new: RunState, *, error: str | None = None, result: dict[str, Any] | None = None
    ) -> JobRecord:
        """Move a job to a new state (checked against ``TRANSITIONS``) and record ownership/finish times.

        Args:
            job_id: the job.
            new: the new state. ``running`` records this process as the owner and clears the cancel flag.
            error: the error message (failed/cancelled).
            result: the result dict (succeeded).

        Returns:
            The updated record.

        Raises:
            InvalidTransition: on an illegal edge (e.g. resuming a job that is still running).

        """
        with self._connect() as conn:
            return self._transition(conn, job_id, new, error=error, result=result)

    def try_start(self, job_id: str, limit: int) -> JobRecord | None:
        """Move a job to ``running`` only if fewer than ``limit`` jobs of this workspace are running.

        The count and the claim happen in one write transaction, so processes sharing the workspace (several
        ``mlops-unity run`` at once) never exceed the limit; jobs whose process died do not count.

        Args:
            job_id: the job to start.
            limit: the most jobs running at once in this workspace.

        Returns:
            The running record, or None when the workspace is full (try again later).

        Raises:
            LeaseLost: when the job is no longer queued by this process (another process took it over).

        """
        with self._connect() as conn:
            current = self._detect_interrupted(conn, self._row_to_record(conn, self._select(conn, job_id)))
            if current.state is not RunState.QUEUED or not self.is_owner(current):
                raise LeaseLost(
                    f"job '{job_id}' is {current.state.value} (pid {current.pid} on {current.host}): "
                    "this process no longer owns it"
                )
            rows = conn.execute(
                "SELECT * FROM jobs WHERE state=? AND job_id!=?", (RunState.RUNNING.value, job_id)
            ).fetchall()
            live = [self._detect_interrupted(conn, self._row_to_record(conn, r)) for r in rows]
            if sum(r.state is RunState.RUNNING for r in live) >= limit:
                return None
            return self._transition(conn, job_id, RunState.RUNNING)

    def _transition(
        self,
        conn: sqlite3.Connection,
        job_id: str,
        new: RunState,
        *,
        error: str | None = None,
        result: dict[str, Any] | None = None,
    ) -> JobRecord:
        now = time.time()
        error, result = redact(error), redact_data(result)  # no configured secret is stored
        record = self._detect_interrupted(conn, self._row_to_record(conn, self._select(conn, job_id)))
        if record.state is RunState.RUNNING and not self.is_owner(record):
            # Only the owner ends a running job (others ask it to, with the cancel flag).
            raise LeaseLost(
                f"job '{job_id}' is running in pid {record.pid} on {record.host}, not in this process"
            )
        record = record.with_state(new)
        if new is RunState.RUNNING:
            conn.execute(
                "UPDATE jobs SET state=?, updated_at=?, started_at=COALESCE(started_at, ?), "
                "finished_at=NULL, "
                "pid=?, host=?, heartbeat_at=?, cancel_requested=0, error=NULL WHERE job_id=?",
                (new.value, now, now, self.pid, self.host, now, job_id),
            )
        elif new is RunState.QUEUED:  # a resume: the resuming process takes the job over
            conn.execute(
                "UPDATE jobs SET state=?, updated_at=?, error=NULL, pid=?, host=?, heartbeat_at=? "
                "WHERE job_id=?",
                (new.value, now, self.pid, self.host, now, job_id),
            )
        else:
            conn.execute(
                "UPDATE jobs SET state=?, updated_at=?, finished_at=?, error=?, "
                "result=COALESCE(?, result) "
                "WHERE job_id=?",
                (new.value, now, now, error, json.dumps(result, default=str) if result else None, job_id),
            )
        return self._row_to_record(conn, self._select(conn, job_id))

    def _owned(
        self,
        conn: sqlite3.Connection,
        job_id: str,
        assignments: str,
        params: tuple[Any, ...],
        *,
        strict: bool = True,
    ) -> None:
        """Run ``UPDATE jobs SET <assignments>`` fenced on this process still owning the job, or raise."""
        cursor = conn.execute(
            f"UPDATE jobs SET {assignments} WHERE job_id=? AND pid=? AND host=? AND state IN (?, ?)",
            (*params, job_id, self.pid, self.host, RunState.QUEUED.value, RunState.RUNNING.value),
        )
        if cursor.rowcount == 0:
            row = conn.execute("SELECT state, pid, host FROM jobs WHERE job_id=?", (job_id,)).fetchone()
            if row is not None and (row[1], row[2]) != (self.pid, self.host):
                raise LeaseLost(
                    f"job '{job_id}' was taken over by pid {row[1]} on {row[2]} ({row[0]}): this process "
                    "stops working on it"
                )
            # Declared dead (an expired lease) is lost too; a job this process just finished, or that was
            # cancelled while queued, is not: a late heartbeat then has nothing to renew.
            ended = row is not None and row[0] not in (RunState.QUEUED.value, RunState.RUNNING.value)
            if ended and (strict or row[0] == RunState.INTERRUPTED.value):
                raise LeaseLost(f"job '{job_id}' is {row[0]}: this process no longer owns it")

    def assert_owner(self, job_id: str) -> None:
        """Renew the lease and raise unless this process still owns the job (checked before registering).

        Raises:
            LeaseLost: when another process took the job over.

        """
        with self._connect() as conn:
            self._owned(conn, job_id, "heartbeat_at=?", (time.time(),))

    def heartbeat(self, job_id: str) -> None:
        """Renew this process's lease on a queued or running job.

        Raises:
            LeaseLost: when another process took the job over (the lease had expired).

        """
        with self._connect() as conn:
            self._owned(conn, job_id, "heartbeat_at=?", (time.time(),), strict=False)

    def request_cancel(self, job_id: str) -> JobRecord:
        """Ask a job to stop: queued/interrupted jobs are cancelled now; a running job sees the flag.

        Args:
            job_id: the job.

        Returns:
            The record after the request.

        Raises:
            StoreError: when there is no such job.
            InvalidTransition: when the job already finished.

        """
        record = self.get(job_id)
        if record.state in (RunState.QUEUED, RunState.INTERRUPTED):
            return self.transition(job_id, RunState.CANCELLED, error="cancelled by the user")
        if record.state is not RunState.RUNNING:
            check_transition(record.state, RunState.CANCELLED)
        with self._connect() as conn:
            conn.execute(
                "UPDATE jobs SET cancel_requested=1, updated_at=? WHERE job_id=?", (time.time(), job_id)
            )
            return self._row_to_record(conn, self._select(conn, job_id))

    def cancel_requested(self, job_id: str) -> bool:
        """Return True when someone asked this job to stop."""
        with self._connect() as conn:
            row = conn.execute("SELECT cancel_requested FROM jobs WHERE job_id=?", (job_id,)).fetchone()
        return bool(row and row[0])

    def set_progress(self, job_id: str, progress: dict[str, Any]) -> None:
        """Store the latest progress report (what another terminal's ``jobs show`` displays).

        Raises:
            LeaseLost: when this process no longer owns the job.

        """
        with self._connect() as conn:
            self._owned(
                conn,
                job_id,
                "progress=?, heartbeat_at=?",
                (json.dumps(redact_data(progress), default=str), time.time()),
            )

    def stage_started(self, job_id: str, name: str, position: int) -> None:
        """Record that a stage started (or restarted after a resume).

        Raises:
            LeaseLost: when this process no longer owns the job.

        """
        now = time.time()
        with self._connect() as conn:
            self._owned(conn, job_id, "heartbeat_at=?", (now,))
            conn.execute(
                "INSERT INTO stages (job_id, name, position, state, started_at, runs) "
                "VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT(job_id, name) DO UPDATE SET state=excluded.state, "
                "started_at=excluded.started_at, "
                "finished_at=NULL, error=NULL, runs=runs+1",
                (job_id, name, position, RunState.RUNNING.value, now),
            )

    def stage_finished(
        self,
        job_id: str,
        name: str,
        state: RunState,
        *,
        outputs: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        """Record a stage's outcome and outputs (JSON).

        Raises:
            LeaseLost: when this process no longer owns the job.

        """
        error, outputs = redact(error), redact_data(outputs)  # no configured secret is stored
        with self._connect() as conn:
            self._owned(conn, job_id, "heartbeat_at=?", (time.time(),))
            conn.execute(
                "UPDATE stages SET state=?, finished_at=?, error=?, outputs=? WHERE job_id=? AND name=?",
                (state.value, time.time(), error, json.dumps(outputs or {}, default=str), job_id, name),
            )
