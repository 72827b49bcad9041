"""The SQLite job store: states, stage records, crash detection, cancel flag, corrupt and unwritable files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from mlops_unity_pipeline.errors import InvalidTransition, StoreError
from mlops_unity_pipeline.orchestrator.jobs import JobStore
from mlops_unity_pipeline.orchestrator.states import RunState


def make(tmp_path, job_id="j1", **kwargs):
    store = JobStore(tmp_path / "pipeline.db", **kwargs)
    store.create(job_id, {"job_id": job_id}, lambda n: tmp_path / "jobs" / job_id / f"attempt-{n}")
    return store


def test_database_uses_wal(tmp_path):
    """The store is in WAL mode (readers never block the running job)."""
    make(tmp_path)
    conn = sqlite3.connect(tmp_path / "pipeline.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_lifecycle_and_stage_records(tmp_path):
    """queued → running → succeeded with stage outputs persisted in order."""
    store = make(tmp_path)
    assert store.get("j1").state is RunState.QUEUED
    running = store.transition("j1", RunState.RUNNING)
    assert running.pid == os.getpid() and running.started_at is not None
    store.stage_started("j1", "codegen", 0)
    store.stage_finished("j1", "codegen", RunState.SUCCEEDED, outputs={"files": ["a.cs"]})
    store.stage_started("j1", "build", 1)
    record = store.get("j1")
    assert [(s.name, s.state) for s in record.stages] == [
        ("codegen", RunState.SUCCEEDED),
        ("build", RunState.RUNNING),
    ]
    assert record.stage("codegen").outputs == {"files": ["a.cs"]}
    store.stage_finished("j1", "build", RunState.SUCCEEDED)
    done = store.transition("j1", RunState.SUCCEEDED, result={"ok": 1})
    assert done.state is RunState.SUCCEEDED and done.result == {"ok": 1} and done.finished_at is not None


def test_illegal_transition_raises(tmp_path):
    """succeeded → running is refused with InvalidTransition naming both states."""
    store = make(tmp_path)
    store.transition("j1", RunState.RUNNING)
    store.transition("j1", RunState.SUCCEEDED)
    with pytest.raises(InvalidTransition, match="SUCCEEDED to RUNNING"):
        store.transition("j1", RunState.RUNNING)


def test_dead_owner_shows_as_interrupted(tmp_path):
    """A running job whose pid no longer exists reads back as interrupted (and stays so)."""
    store = make(tmp_path)
    store.transition("j1", RunState.RUNNING)
    store.stage_started("j1", "train", 2)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    with sqlite3.connect(tmp_path / "pipeline.db") as conn:
        conn.execute("UPDATE jobs SET pid=? WHERE job_id='j1'", (child.pid,))
    record = store.get("j1")
    assert record.state is RunState.INTERRUPTED
    assert "stopped without finishing" in record.error
    assert record.stage("train").state is RunState.INTERRUPTED
    assert store.list()[0].state is RunState.INTERRUPTED


def test_stale_heartbeat_shows_as_interrupted(tmp_path):
    """A running job from another host with an old heartbeat is interrupted."""
    store = make(tmp_path, stale_after_s=10)
    store.transition("j1", RunState.RUNNING)
    with sqlite3.connect(tmp_path / "pipeline.db") as conn:
        conn.execute("UPDATE jobs SET host='elsewhere', heartbeat_at=heartbeat_at-60 WHERE job_id='j1'")
    assert store.get("j1").state is RunState.INTERRUPTED


def test_live_owner_stays_running(tmp_path):
    """This process owns the job: it stays running."""
    store = make(tmp_path)
    store.transition("j1", RunState.RUNNING)
    assert store.get("j1").state is RunState.RUNNING


def test_cancel_flag_and_queued_cancel(tmp_path):
    """Cancelling a running job sets the flag; cancelling a queued job cancels it at once."""
    store = make(tmp_path)
    store.transition("j1", RunState.RUNNING)
    assert store.cancel_requested("j1") is False
    store.request_cancel("j1")
    assert store.cancel_requested("j1") is True
    store.create("j2", {}, lambda n: tmp_path / "j2")
    assert store.request_cancel("j2").state is RunState.CANCELLED


def test_recreate_finished_job_starts_new_attempt_but_not_running_one(tmp_path):
    """A finished job id can run again (attempt 2); a running one cannot be created twice."""
    store = make(tmp_path)
    store.transition("j1", RunState.RUNNING)
    with pytest.raises(StoreError, match="already running"):
        store.create("j1", {}, lambda n: tmp_path / f"a{n}")
    store.transition("j1", RunState.FAILED, error="boom")
    again = store.create("j1", {}, lambda n: tmp_path / f"a{n}")
    assert again.attempt == 2 and again.state is RunState.QUEUED and again.stages == ()


def test_unknown_job(tmp_path):
    """A missing job id is a StoreError naming it."""
    with pytest.raises(StoreError, match="no job 'nope'"):
        make(tmp_path).get("nope")


def test_corrupt_store_file_is_a_clear_error(tmp_path):
    """A file that is not a database gives StoreError saying it is corrupt."""
    path = tmp_path / "pipeline.db"
    path.write_bytes(b"this is definitely not sqlite" * 100)
    with pytest.raises(StoreError, match="corrupt"):
        JobStore(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_unwritable_store_is_a_clear_error(tmp_path):
    """A read-only folder gives StoreError, not a sqlite traceback."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError):
            JobStore(folder / "pipeline.db")
    finally:
        folder.chmod(0o700)


def test_disk_full_is_a_clear_error(tmp_path, monkeypatch):
    """sqlite's 'database or disk is full' becomes StoreError mentioning the disk."""
    store = make(tmp_path)

    class FullConnection:
        def __init__(self, real):
            self.real = real

        def execute(self, sql, *args):
            if sql.startswith("UPDATE"):
                raise sqlite3.OperationalError("database or disk is full")
            return self.real.execute(sql, *args)

        def close(self):
            self.real.close()

    real_connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: FullConnection(real_connect(*a, **k)))
    with pytest.raises(StoreError, match="no space left"):
        store.heartbeat("j1")
