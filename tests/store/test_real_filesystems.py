"""Real full and read-only file systems (small tmpfs mounts; skipped where mounting is not allowed)."""

from __future__ import annotations

import os
import subprocess

import pytest

from mlops_unity_pipeline.errors import StoreError
from mlops_unity_pipeline.orchestrator.jobs import JobStore
from mlops_unity_pipeline.store.artifacts import ArtifactStore


def mount_tmpfs(path, options):
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


@pytest.fixture
def small_disk(tmp_path):
    path = tmp_path / "small"
    mount_tmpfs(path, "size=256k")
    yield path
    subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.fixture
def read_only_disk(tmp_path):
    path = tmp_path / "ro"
    mount_tmpfs(path, "size=64k,ro")
    yield path
    subprocess.run(["umount", "-l", str(path)], check=False)


def test_artifact_on_a_full_disk(small_disk, tmp_path):
    """A model larger than the free space: StoreError 'no space left', and no file at any address."""
    big = tmp_path / "big.onnx"
    big.write_bytes(os.urandom(1024 * 1024))
    store = ArtifactStore(small_disk / "artifacts")
    with pytest.raises(StoreError, match="no space left on device"):
        store.put_file(big)
    assert not list((small_disk / "artifacts").rglob("*.onnx"))
    assert not list((small_disk / "artifacts" / "tmp").iterdir())


def test_job_store_on_a_full_disk(small_disk):
    """When SQLite cannot grow the database, the store says the disk is full."""
    store = JobStore(small_disk / "pipeline.db")
    with pytest.raises(StoreError, match="no space left|disk"):
        for i in range(10_000):
            store.create(f"job-{i}", {"padding": "x" * 4000}, lambda n: small_disk / "jobs")


def test_read_only_workspace(read_only_disk):
    """A workspace on a read-only file system is refused with a clear StoreError."""
    from mlops_unity_pipeline.orchestrator import UnityMLOpsOrchestrator

    with pytest.raises(StoreError, match="read-only file system|not usable|not writable"):
        UnityMLOpsOrchestrator(read_only_disk / "ws")
