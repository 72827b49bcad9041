"""Job ownership: a paused owner stays owner, a lost lease fences the old owner, empty stores are errors."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import LeaseLost, RegistryError, StoreError
from mlops_unity_pipeline.orchestrator import FakeStage, UnityMLOpsOrchestrator
from mlops_unity_pipeline.orchestrator.jobs import JobStore
from mlops_unity_pipeline.orchestrator.states import RunState
from mlops_unity_pipeline.registry.local import LocalRegistry
from mlops_unity_pipeline.specs import TrainingJob, UnityAssetSpec
from mlops_unity_pipeline.store.artifacts import ArtifactStore
from mlops_unity_pipeline.store.sqlite import create_or_check


def _dirs(tmp_path: Path, job_id: str = "j1"):
    return lambda n: tmp_path / "jobs" / job_id / f"attempt-{n}"


@pytest.fixture
def sleeper():
    """A child process that we can pause (SIGSTOP) and kill."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield proc
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGCONT)
        proc.kill()
    proc.wait()


def _owned_by(tmp_path: Path, pid: int, **kwargs) -> JobStore:
    store = JobStore(tmp_path / "pipeline.db", **kwargs)
    store.pid = pid  # the job below is queued and started as if by that process
    store.create("j1", {"job_id": "j1"}, _dirs(tmp_path))
    store.try_start("j1", limit=1)
    return store


def test_paused_owner_on_this_host_is_alive(tmp_path, sleeper):
    """A SIGSTOPped owner with a stale heartbeat is alive: its job is not interrupted nor resumable."""
    os.kill(sleeper.pid, signal.SIGSTOP)
    store = _owned_by(tmp_path, sleeper.pid, stale_after_s=0.05)
    time.sleep(0.2)  # the heartbeat is now 4x older than the lease
    viewer = JobStore(tmp_path / "pipeline.db", stale_after_s=0.05)
    assert viewer.get("j1").state is RunState.RUNNING
    assert store.list()[0].state is RunState.RUNNING


def test_dead_owner_on_this_host_is_interrupted(tmp_path, sleeper):
    """Once the owner's pid is gone, the job reads as interrupted at once (no heartbeat wait)."""
    _owned_by(tmp_path, sleeper.pid, stale_after_s=3600)
    sleeper.kill()
    sleeper.wait()
    assert JobStore(tmp_path / "pipeline.db").get("j1").state is RunState.INTERRUPTED


def test_queued_job_of_a_killed_process_is_resumable(tmp_path, sleeper):
    """A job left queued by a killed process becomes interrupted (saying it never started) and resumable."""
    store = JobStore(tmp_path / "pipeline.db")
    store.pid = sleeper.pid
    store.create("j1", {"job_id": "j1"}, _dirs(tmp_path))
    sleeper.kill()
    sleeper.wait()
    record = JobStore(tmp_path / "pipeline.db").get("j1")
    assert record.state is RunState.INTERRUPTED
    assert "stopped before it started" in record.error and "jobs resume j1" in record.error


def test_lease_taken_over_across_hosts_fences_the_old_owner(tmp_path):
    """Host B takes over an expired lease atomically; every later write of host A raises LeaseLost."""
    a = JobStore(tmp_path / "pipeline.db", host="host-a")
    a.create("j1", {"job_id": "j1"}, _dirs(tmp_path))
    a.try_start("j1", limit=1)
    a.stage_started("j1", "train", 2)
    b = JobStore(tmp_path / "pipeline.db", host="host-b", stale_after_s=0.05)
    time.sleep(0.1)  # A is "paused": its lease expires
    assert b.get("j1").state is RunState.INTERRUPTED
    b.transition("j1", RunState.QUEUED)
    assert b.try_start("j1", limit=1).host == "host-b"
    for write in (
        lambda: a.heartbeat("j1"),
        lambda: a.stage_finished("j1", "train", RunState.SUCCEEDED),
        lambda: a.set_progress("j1", {"step": 1}),
        lambda: a.transition("j1", RunState.SUCCEEDED),
        lambda: a.assert_owner("j1"),
    ):
        with pytest.raises(LeaseLost, match="host-b"):
            write()
    assert b.get("j1").state is RunState.RUNNING and b.get("j1").host == "host-b"


def test_lease_renewed_by_a_live_remote_owner_is_kept(tmp_path):
    """A remote owner that renews its lease keeps the job: another host sees it running."""
    a = JobStore(tmp_path / "pipeline.db", host="host-a")
    a.create("j1", {"job_id": "j1"}, _dirs(tmp_path))
    a.try_start("j1", limit=1)
    b = JobStore(tmp_path / "pipeline.db", host="host-b", stale_after_s=5.0)
    a.heartbeat("j1")
    assert b.get("j1").state is RunState.RUNNING


def test_orchestrator_that_lost_its_lease_stops_and_never_registers(tmp_path):
    """A job taken over mid-train stops at its next cancel poll; it records nothing and registers nothing."""
    stages = [
        FakeStage(n, sleep_s=30 if n == "train" else 0)
        for n in ("codegen", "build", "train", "evaluate", "package", "register", "notify")
    ]
    orch = UnityMLOpsOrchestrator(tmp_path / "ws", stages=stages, heartbeat_s=0.05)
    orch.store.host = "host-a"
    job = TrainingJob(job_id="j1", asset_spec=UnityAssetSpec(asset_id="a", name="A"))
    other = JobStore(tmp_path / "ws" / "pipeline.db", host="host-b", stale_after_s=0.0)

    async def scenario():
        task = asyncio.create_task(orch.execute_training_job(job))
        for _ in range(500):
            await asyncio.sleep(0.01)
            stage = orch.store.get("j1").stage("train")
            if stage is not None and stage.state is RunState.RUNNING:
                break
        assert other.get("j1").state is RunState.INTERRUPTED  # host B sees an expired lease
        other.transition("j1", RunState.QUEUED)
        other.try_start("j1", limit=1)
        started = time.monotonic()
        result = await asyncio.wait_for(task, 10)
        return result, time.monotonic() - started

    result, seconds = asyncio.run(scenario())
    assert seconds < 20  # it stopped at its next poll, not after its 30 s of "training"
    assert "host-b" in (result.error or "")
    record = other.get("j1")
    assert record.state is RunState.RUNNING and record.host == "host-b"
    assert [s.name for s in stages if s.calls] == ["codegen", "build", "train"]


def _registry(tmp_path: Path) -> tuple[LocalRegistry, ArtifactStore]:
    artifacts = ArtifactStore(tmp_path / "artifacts")
    return LocalRegistry(tmp_path / "registry", artifacts), artifacts


def test_one_package_folder_registers_one_version(tmp_path):
    """Two processes running the same attempt cannot register two versions from its package folder."""
    registry, artifacts = _registry(tmp_path)
    package = tmp_path / "jobs" / "j1" / "attempt-1" / "package"
    refs = []
    for content in (b"model-a", b"model-b"):
        source = tmp_path / "m.onnx"
        source.write_bytes(content)
        refs.append(artifacts.put_file(source))
    registry.register(
        "a", sha256=refs[0].sha256, model_path=refs[0].path, metrics={}, job_id="j1", artifact_dir=package
    )
    with pytest.raises(RegistryError, match="already registered as version 1"):
        registry.register(
            "a", sha256=refs[1].sha256, model_path=refs[1].path, metrics={}, job_id="j1", artifact_dir=package
        )
    assert [v.version for v in registry.list_versions("a")] == [1]


@pytest.mark.parametrize("name", ["pipeline.db", "registry/registry.db", "scheduler.db"])
def test_truncated_store_is_an_error_not_a_new_store(tmp_path, name):
    """A store truncated to 0 bytes names the file and the recovery command; it is never recreated empty."""
    from mlops_unity_pipeline.scheduler.store import ScheduleStore

    opener = {
        "pipeline.db": lambda p: JobStore(p),
        "registry/registry.db": lambda p: LocalRegistry(p.parent, ArtifactStore(tmp_path / "artifacts")),
        "scheduler.db": lambda p: ScheduleStore(p).close(),
    }[name]
    path = tmp_path / name
    opener(path)
    assert path.stat().st_size > 0
    path.write_bytes(b"")
    for sidecar in ("-wal", "-shm"):
        path.with_name(path.name + sidecar).unlink(missing_ok=True)
    with pytest.raises(StoreError if name != "registry/registry.db" else RegistryError) as info:
        opener(path)
    message = str(info.value)
    assert str(path) in message and "empty (0 bytes)" in message and f"mv '{path}'" in message
    assert path.stat().st_size == 0  # nothing was recreated


def test_truncated_registry_never_hands_out_version_1_again(tmp_path):
    """After the registry file is emptied, registering fails instead of numbering from 1 again."""
    registry, artifacts = _registry(tmp_path)
    source = tmp_path / "m.onnx"
    source.write_bytes(b"model")
    ref = artifacts.put_file(source)
    registry.register("a", sha256=ref.sha256, model_path=ref.path, metrics={}, job_id="j1")
    (tmp_path / "registry" / "registry.db").write_bytes(b"")
    for sidecar in ("-wal", "-shm"):
        (tmp_path / "registry" / f"registry.db{sidecar}").unlink(missing_ok=True)
    with pytest.raises(RegistryError, match="empty"):
        _registry(tmp_path)


def test_store_without_schema_is_an_error(tmp_path):
    """A SQLite file that lacks the store's tables is refused, naming the missing table and the file."""
    path = tmp_path / "pipeline.db"
    sqlite3.connect(path).execute("CREATE TABLE other (x)").connection.commit()
    with pytest.raises(StoreError, match=r"pipeline.db has no 'meta' table.*mv "):
        JobStore(path)


def test_store_creation_is_atomic_between_processes(tmp_path):
    """Two creators of one store both end up with the same complete store (no empty-file error)."""
    path = tmp_path / "s.db"
    for _ in range(2):
        create_or_check(
            path,
            schema="CREATE TABLE t (x);",
            tables=("t",),
            label="test store",
            error=StoreError,
            recovery="",
        )
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".new")]


def test_rerun_after_store_loss_does_not_overwrite_a_registered_package(tmp_path):
    """With pipeline.db moved away, the same job id starts at a fresh attempt folder, not attempt-1's."""
    store = JobStore(tmp_path / "pipeline.db")
    first = store.create("j1", {"job_id": "j1"}, _dirs(tmp_path))
    package = Path(first.job_dir) / "package"
    package.mkdir(parents=True)
    (package / "metadata.json").write_text("{}")
    (tmp_path / "pipeline.db").rename(tmp_path / "pipeline.db.broken")
    second = JobStore(tmp_path / "pipeline.db").create("j1", {"job_id": "j1"}, _dirs(tmp_path))
    assert second.job_dir != first.job_dir and second.job_dir.endswith("attempt-2")
    assert (package / "metadata.json").read_text() == "{}"


def test_late_heartbeat_after_the_end_is_harmless(tmp_path):
    """A heartbeat racing the owner's own final write is a no-op, not a lost lease."""
    store = JobStore(tmp_path / "pipeline.db")
    store.create("j1", {"job_id": "j1"}, _dirs(tmp_path))
    store.try_start("j1", limit=1)
    store.transition("j1", RunState.SUCCEEDED)
    store.heartbeat("j1")  # no LeaseLost
    with pytest.raises(LeaseLost, match="succeeded"):
        store.assert_owner("j1")  # but nothing may be registered for an ended job


def test_declared_dead_owner_loses_its_lease(tmp_path):
    """An owner whose expired lease was declared interrupted (not yet resumed) stops at its next heartbeat."""
    a = JobStore(tmp_path / "pipeline.db", host="host-a")
    a.create("j1", {"job_id": "j1"}, _dirs(tmp_path))
    a.try_start("j1", limit=1)
    time.sleep(0.05)
    assert JobStore(tmp_path / "pipeline.db", host="host-b", stale_after_s=0.01).get("j1").state is (
        RunState.INTERRUPTED
    )
    with pytest.raises(LeaseLost, match="interrupted"):
        a.heartbeat("j1")


def test_queued_job_without_an_owner_from_an_older_store_is_recoverable(tmp_path):
    """A queued job stored without an owner (older stores) becomes interrupted once its lease would expire."""
    store = JobStore(tmp_path / "pipeline.db", stale_after_s=10)
    store.create("j1", {"job_id": "j1"}, _dirs(tmp_path))
    with sqlite3.connect(tmp_path / "pipeline.db") as conn:
        conn.execute("UPDATE jobs SET pid=NULL, host=NULL, heartbeat_at=NULL, updated_at=updated_at-60")
    assert store.get("j1").state is RunState.INTERRUPTED
