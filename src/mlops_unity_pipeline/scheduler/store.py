"""SQLite persistence for schedules and their fires; the UNIQUE (schedule_id, fire_time) key is the guarantee.

Every fire a scheduler decides about becomes one row in ``fires``. A row is inserted in the same transaction
that advances the schedule's cursor, with ``INSERT OR IGNORE`` on the primary key, so two processes (or one
process before and after a crash) can never both own the same fire: only the transaction that inserted the
row runs it. A row still ``claimed`` after a crash was never started (``running`` is committed before the
job starts), so recovering it cannot duplicate a run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..store.sqlite import create_or_check, recovery_hint

UTC = timezone.utc

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schedules (
    schedule_id   TEXT PRIMARY KEY,
    spec_json     TEXT NOT NULL,
    paused        INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    cursor        TEXT NOT NULL,     -- fires at or before this instant (UTC) have been decided
    next_fire_at  TEXT               -- first fire after cursor (UTC); NULL when paused or disabled
);
CREATE INDEX IF NOT EXISTS schedules_next_fire ON schedules (next_fire_at);
CREATE TABLE IF NOT EXISTS fires (
    schedule_id   TEXT NOT NULL,
    fire_time     TEXT NOT NULL,     -- UTC, ISO 8601, second precision
    state         TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    job_ids       TEXT NOT NULL DEFAULT '[]',
    claimed_at    TEXT NOT NULL,
    started_at    TEXT,
    finished_at   TEXT,
    error         TEXT,
    PRIMARY KEY (schedule_id, fire_time)
);
CREATE INDEX IF NOT EXISTS fires_state ON fires (state);
"""


class FireState(str, Enum):
    """What happened to one fire; values are stored verbatim and shown by ``schedule list --json``."""

    CLAIMED = "claimed"
    """Owned by a scheduler, not started yet (about to start, queued, or orphaned by a crash)."""
    RUNNING = "running"
    """Its jobs were handed to the orchestrator."""
    SUCCEEDED = "succeeded"
    """Every job of the fire succeeded."""
    FAILED = "failed"
    """At least one job failed or raised."""
    SKIPPED = "skipped"
    """Not run, on purpose; ``reason`` says why (misfire, superseded, overlap)."""
    INTERRUPTED = "interrupted"
    """The scheduler stopped while the jobs ran; resume them with ``mlops-unity jobs resume``."""


ACTIVE = frozenset({FireState.CLAIMED, FireState.RUNNING})
"""States in which a fire is still owned by a live scheduler."""


def to_utc_text(moment: datetime) -> str:
    """Format an aware datetime as the store's UTC key text (``2024-03-10T07:00:00+00:00``).

    Args:
        moment: an aware datetime.

    Returns:
        ISO 8601 text in UTC, microseconds dropped (cron has second precision at most).

    """
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def from_utc_text(text: str) -> datetime:
    """Parse the store's UTC key text back into an aware datetime.

    Args:
        text: text written by ``to_utc_text``.

    Returns:
        An aware datetime in UTC.

    """
    return datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True)
class FireRecord:
    """One fire of one schedule, as stored."""

    schedule_id: str
    """The schedule that fired."""
    fire_time: datetime
    """The nominal fire instant (aware, UTC)."""
    state: FireState
    """What happened (see ``FireState``)."""
    reason: str = ""
    """Why it was skipped or how it was recovered; empty otherwise."""
    job_ids: tuple[str, ...] = ()
    """The orchestrator jobs started for this fire (one per asset)."""
    claimed_at: datetime | None = None
    """When a scheduler decided about it."""
    started_at: datetime | None = None
    """When its jobs were handed to the orchestrator."""
    finished_at: datetime | None = None
    """When the last job ended."""
    error: str | None = None
    """The first job error, when it failed."""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (datetimes as ISO 8601 UTC)."""
        return {
            "schedule_id": self.schedule_id,
            "fire_time": to_utc_text(self.fire_time),
            "state": self.state.value,
            "reason": self.reason,
            "job_ids": list(self.job_ids),
            "claimed_at": _text_or_none(self.claimed_at),
            "started_at": _text_or_none(self.started_at),
            "finished_at": _text_or_none(self.finished_at),
            "error": self.error,
        }


@dataclass(frozen=True)
class ScheduleRow:
    """A stored schedule with its scheduler bookkeeping."""

    schedule_id: str
    """The schedule's id."""
    spec: dict[str, Any]
    """``TrainingSchedule.to_dict()`` as stored."""
    paused: bool
    """Paused with ``pause_schedule`` (independent of the spec's ``enabled``)."""
    created_at: datetime
    """When it was first added."""
    cursor: datetime
    """Fires at or before this instant have been decided."""
    next_fire_at: datetime | None
    """The next fire instant, or ``None`` when paused or disabled."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Derived figures for listings (last fire and its state)."""


def _text_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else to_utc_text(moment)


def _parse_or_none(text: str | None) -> datetime | None:
    return None if text is None else from_utc_text(text)


class ScheduleStore:
    """The scheduler's SQLite database (WAL mode, so the CLI can read and add while a scheduler runs).

    Args:
        path: the database file; its folder is created.

    Raises:
        StoreError: when the file cannot be opened or is not a scheduler database.

    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        create_or_check(
            self.path,
            schema=_SCHEMA + f"PRAGMA user_version={SCHEMA_VERSION};",
            tables=("schedules", "fires"),
            label="scheduler database",
            error=StoreError,
            recovery=recovery_hint(self.path, "schedules must then be added again"),
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN IMMEDIATE ourselves; a claim is one explicit transaction.
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise StoreError(
                    f"{self.path}: scheduler schema version {version}, expected {SCHEMA_VERSION}"
                )
            self._conn.executescript(_SCHEMA)
            self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the scheduler database: {exc}") from exc

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run statements in one ``BEGIN IMMEDIATE`` transaction (committed on success, rolled back on error).

        Yields:
            The connection.

        Raises:
            StoreError: on a database error.

        """
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot start a transaction: {exc}") from exc
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: commit failed: {exc}") from exc

    # --- schedules ------------------------------------------------------------------------------------------

    def upsert_schedule(
        self, schedule_id: str, spec: dict[str, Any], now: datetime, next_fire_at: datetime | None
    ) -> bool:
        """Insert a schedule, or replace its spec keeping its cursor (so a restart does not lose misfires).

        Args:
            schedule_id: the id.
            spec: ``TrainingSchedule.to_dict()``.
            now: the current instant; the cursor of a new schedule (fires before it are not owed).
            next_fire_at: the first fire after ``now`` for a new schedule.

        Returns:
            True when the schedule was new.

        """
        spec_json = json.dumps(spec, sort_keys=True)
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT spec_json FROM schedules WHERE schedule_id=?", (schedule_id,)
            ).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO schedules (schedule_id, spec_json, paused, created_at, updated_at, cursor, "
                    "next_fire_at) VALUES (?, ?, 0, ?, ?, ?, ?)",
                    (
                        schedule_id,
                        spec_json,
                        to_utc_text(now),
                        to_utc_text(now),
                        to_utc_text(now),
                        _text_or_none(next_fire_at),
                    ),
                )
                return True
            if row["spec_json"] != spec_json:
                conn.execute(
                    "UPDATE schedules SET spec_json=?, updated_at=? WHERE schedule_id=?",
                    (spec_json, to_utc_text(now), schedule_id),
                )
            return False

    def get_schedule(self, schedule_id: str) -> ScheduleRow | None:
        """Return one stored schedule, or ``None``."""
        row = self._conn.execute("SELECT * FROM schedules WHERE schedule_id=?", (schedule_id,)).fetchone()
        return None if row is None else self._schedule_row(row)

    def list_schedules(self) -> list[ScheduleRow]:
        """Return every stored schedule with its last fire, ordered by id."""
        rows = self._conn.execute("SELECT * FROM schedules ORDER BY schedule_id").fetchall()
        last = {
            r["schedule_id"]: r
            for r in self._conn.execute(
                "SELECT f.schedule_id, f.fire_time, f.state FROM fires f JOIN "
                "(SELECT schedule_id, MAX(fire_time) AS t FROM fires GROUP BY schedule_id) m "
                "ON f.schedule_id = m.schedule_id AND f.fire_time = m.t"
            )
        }
        result = []
        for row in rows:
            record = self._schedule_row(row)
            if row["schedule_id"] in last:
                record.extra["last_fire_time"] = last[row["schedule_id"]]["fire_time"]
                record.extra["last_fire_state"] = last[row["schedule_id"]]["state"]
            result.append(record)
        return result

    def due_schedule_ids(self, now: datetime) -> list[str]:
        """Return the ids of schedules whose next fire is at or before ``now`` (indexed query)."""
        rows = self._conn.execute(
            "SELECT schedule_id FROM schedules WHERE next_fire_at IS NOT NULL AND next_fire_at <= ? "
            "ORDER BY next_fire_at, schedule_id",
            (to_utc_text(now),),
        )
        return [r["schedule_id"] for r in rows]

    def earliest_next_fire(self) -> datetime | None:
        """Return the earliest ``next_fire_at`` over all schedules, or ``None``."""
        row = self._conn.execute("SELECT MIN(next_fire_at) AS t FROM schedules").fetchone()
        return _parse_or_none(row["t"])

    def remove_schedule(self, schedule_id: str) -> bool:
        """Delete a schedule and its fire history.

        Returns:
            True when it existed.

        """
        with self.transaction() as conn:
            conn.execute("DELETE FROM fires WHERE schedule_id=?", (schedule_id,))
            deleted = conn.execute("DELETE FROM schedules WHERE schedule_id=?", (schedule_id,)).rowcount
        return deleted > 0

    def set_paused(
        self, schedule_id: str, paused: bool, now: datetime, next_fire_at: datetime | None
    ) -> bool:
        """Pause or resume; resuming moves the cursor to ``now`` (fires while paused are not owed).

        Returns:
            True when the schedule exists.

        """
        with self.transaction() as conn:
            if paused:
                changed = conn.execute(
                    "UPDATE schedules SET paused=1, next_fire_at=NULL, updated_at=? WHERE schedule_id=?",
                    (to_utc_text(now), schedule_id),
                ).rowcount
            else:
                changed = conn.execute(
                    "UPDATE schedules SET paused=0, cursor=?, next_fire_at=?, updated_at=? "
                    "WHERE schedule_id=?",
                    (to_utc_text(now), _text_or_none(next_fire_at), to_utc_text(now), schedule_id),
                ).rowcount
        return changed > 0

    @staticmethod
    def _schedule_row(row: sqlite3.Row) -> ScheduleRow:
        return ScheduleRow(
            schedule_id=row["schedule_id"],
            spec=json.loads(row["spec_json"]),
            paused=bool(row["paused"]),
            created_at=from_utc_text(row["created_at"]),
            cursor=from_utc_text(row["cursor"]),
            next_fire_at=_parse_or_none(row["next_fire_at"]),
        )

    # --- fires ----------------------------------------------------------------------------------------------

    @staticmethod
    def insert_fire(
        conn: sqlite3.Connection,
        schedule_id: str,
        fire_time: datetime,
        state: FireState,
        now: datetime,
        reason: str = "",
    ) -> bool:
        """Insert a fire row inside an open transaction; False when the key already exists (someone owns it).

        Args:
            conn: the connection of an open ``transaction()``.
            schedule_id: the schedule.
            fire_time: the nominal fire instant.
            state: ``CLAIMED`` (we will run it) or ``SKIPPED``.
            now: the claim time.
            reason: why it is skipped.

        Returns:
            True when this call inserted the row (and so owns the fire).

        """
        cursor = conn.execute(
            "INSERT OR IGNORE INTO fires (schedule_id, fire_time, state, reason, claimed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (schedule_id, to_utc_text(fire_time), state.value, reason, to_utc_text(now)),
        )
        return cursor.rowcount == 1

    @staticmethod
    def advance_cursor(
        conn: sqlite3.Connection, schedule_id: str, cursor: datetime, next_fire_at: datetime | None
    ) -> None:
        """Move a schedule's cursor (inside an open transaction)."""
        conn.execute(
            "UPDATE schedules SET cursor=?, next_fire_at=? WHERE schedule_id=?",
            (to_utc_text(cursor), _text_or_none(next_fire_at), schedule_id),
        )

    def update_fire(
        self,
        schedule_id: str,
        fire_time: datetime,
        state: FireState,
        *,
        expect: Sequence[FireState],
        **values: Any,
    ) -> bool:
        """Move a fire to ``state`` only if it is in one of ``expect`` (compare-and-set).

        Args:
            schedule_id: the schedule.
            fire_time: the fire.
            state: the new state.
            expect: the states the row must be in.
            **values: other columns to set (``reason``, ``job_ids`` list, ``started_at``/``finished_at``
                datetimes, ``error``).

        Returns:
            True when the row was updated.

        """
        columns = {"state": state.value}
        for key, value in values.items():
            if key == "job_ids":
                columns[key] = json.dumps(list(value))
            elif isinstance(value, datetime):
                columns[key] = to_utc_text(value)
            else:
                columns[key] = value
        assignments = ", ".join(f"{key}=?" for key in columns)
        marks = ", ".join("?" for _ in expect)
        with self.transaction() as conn:
            changed = conn.execute(
                f"UPDATE fires SET {assignments} WHERE schedule_id=? AND fire_time=? AND state IN ({marks})",
                (*columns.values(), schedule_id, to_utc_text(fire_time), *(s.value for s in expect)),
            ).rowcount
        return changed == 1

    def get_fire(self, schedule_id: str, fire_time: datetime) -> FireRecord | None:
        """Return one fire, or ``None``."""
        row = self._conn.execute(
            "SELECT * FROM fires WHERE schedule_id=? AND fire_time=?", (schedule_id, to_utc_text(fire_time))
        ).fetchone()
        return None if row is None else self._fire_record(row)

    def list_fires(
        self,
        schedule_id: str | None = None,
        states: Sequence[FireState] | None = None,
        limit: int | None = None,
    ) -> list[FireRecord]:
        """Return fires, newest first, optionally for one schedule and/or some states."""
        sql = "SELECT * FROM fires"
        clauses: list[str] = []
        params: list[Any] = []
        if schedule_id is not None:
            clauses.append("schedule_id=?")
            params.append(schedule_id)
        if states is not None:
            clauses.append(f"state IN ({', '.join('?' for _ in states)})")
            params.extend(s.value for s in states)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY fire_time DESC, schedule_id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [self._fire_record(r) for r in self._conn.execute(sql, params)]

    @staticmethod
    def _fire_record(row: sqlite3.Row) -> FireRecord:
        return FireRecord(
            schedule_id=row["schedule_id"],
            fire_time=from_utc_text(row["fire_time"]),
            state=FireState(row["state"]),
            reason=row["reason"],
            job_ids=tuple(json.loads(row["job_ids"])),
            claimed_at=_parse_or_none(row["claimed_at"]),
            started_at=_parse_or_none(row["started_at"]),
            finished_at=_parse_or_none(row["finished_at"]),
            error=row["error"],
        )
