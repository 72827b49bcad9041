"""The artifact store: sha256 addresses, atomic writes, verification on read, clear disk errors."""

from __future__ import annotations

import errno
import hashlib
import os

import pytest

from mlops_unity_pipeline.errors import StoreError
from mlops_unity_pipeline.store.artifacts import ArtifactStore
from mlops_unity_pipeline.store.files import ensure_writable_dir, write_json_atomic


def test_put_is_content_addressed_and_idempotent(tmp_path):
    """The address is the sha256 of the bytes; storing twice gives the same file."""
    src = tmp_path / "model.onnx"
    src.write_bytes(b"onnx bytes")
    store = ArtifactStore(tmp_path / "store")
    ref = store.put_file(src)
    assert ref.sha256 == hashlib.sha256(b"onnx bytes").hexdigest()
    assert ref.path.read_bytes() == b"onnx bytes" and ref.path.name == "model.onnx" and ref.size == 10
    assert store.put_file(src) == ref
    assert store.path_of(ref.sha256) == ref.path
    assert not any((tmp_path / "store" / "tmp").iterdir())


def test_corruption_is_detected_on_read(tmp_path):
    """A stored file whose bytes changed fails verification, naming both hashes."""
    src = tmp_path / "m.onnx"
    src.write_bytes(b"abc")
    store = ArtifactStore(tmp_path / "store")
    ref = store.put_file(src)
    os.chmod(ref.path, 0o644)
    ref.path.write_bytes(b"abd")
    with pytest.raises(StoreError, match="corrupt"):
        store.path_of(ref.sha256)


def test_bad_and_unknown_ids(tmp_path):
    """Non-hash ids (e.g. path tricks) and unknown hashes are StoreErrors."""
    store = ArtifactStore(tmp_path)
    with pytest.raises(StoreError, match="sha256"):
        store.path_of("../../etc/passwd")
    with pytest.raises(StoreError, match="not found"):
        store.path_of("0" * 64)


def test_disk_full_leaves_nothing_half_written(tmp_path, monkeypatch):
    """ENOSPC while copying gives a clear StoreError and no file at any address."""
    src = tmp_path / "m.onnx"
    src.write_bytes(b"x" * 100)
    store = ArtifactStore(tmp_path / "store")
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StoreError, match="no space left"):
        store.put_file(src)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert not list((tmp_path / "store").rglob("*.onnx"))
    assert not list((tmp_path / "store" / "tmp").iterdir())


def test_atomic_json_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    """A failed rewrite leaves the previous content intact."""
    path = write_json_atomic(tmp_path / "meta.json", {"v": 1})

    def broken_replace(a, b):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StoreError, match="no space left"):
        write_json_atomic(path, {"v": 2})
    assert path.read_text().strip().endswith("}") and '"v": 1' in path.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["meta.json"]


def test_workspace_that_is_a_file(tmp_path):
    """A workspace path that is a file is refused clearly."""
    (tmp_path / "f").write_text("x")
    with pytest.raises(StoreError, match="not a folder"):
        ensure_writable_dir(tmp_path / "f")


def test_unwritable_workspace(tmp_path, monkeypatch):
    """A workspace where files cannot be created is a StoreError naming it (EACCES simulated: root)."""
    import tempfile

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(StoreError, match="permission denied"):
        ensure_writable_dir(tmp_path / "ws")
