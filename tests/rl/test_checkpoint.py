"""Checkpoints: atomic writes, numbered checkpoints pruned to keep_checkpoints, the final model copy."""

from __future__ import annotations

import os

import torch

from mlops_unity_pipeline.rl import checkpoint as C
from mlops_unity_pipeline.rl.networks import Actor
from mlops_unity_pipeline.rl.results import RunPaths
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec

SIG = BehaviorSignature("B", (ObservationSpec((3,)),), ActionSpec(1))


def test_atomic_save_leaves_old_file_when_writing_fails(tmp_path, monkeypatch):
    """A crash during torch.save keeps the previous checkpoint intact and no temp file."""
    path = tmp_path / "checkpoint.pt"
    C.atomic_torch_save({"step": 1}, path)

    def crash(obj, fh):
        fh.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(C.torch, "save", crash)
    try:
        C.atomic_torch_save({"step": 2}, path)
    except OSError:
        pass
    assert torch.load(path)["step"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint.pt"]


def test_atomic_save_uses_os_replace(tmp_path, monkeypatch):
    """The final rename is os.replace (atomic on POSIX)."""
    calls = []
    real = os.replace
    monkeypatch.setattr(C.os, "replace", lambda a, b: (calls.append((a, b)), real(a, b)))
    C.atomic_torch_save({"x": 1}, tmp_path / "c.pt")
    assert calls and str(calls[0][1]).endswith("c.pt")


def test_numbered_checkpoints_pruned_to_keep_and_final_copied(tmp_path):
    """Only the newest keep_checkpoints .onnx/.pt pairs stay; the final model is copied to <run>/<B>.onnx."""
    paths = RunPaths(tmp_path)
    manager = C.CheckpointManager(paths, "B", SIG, keep_checkpoints=2)
    actor = Actor(SIG, 8, 1, normalize=False)
    for step in (10, 20, 30):
        manager.save_numbered({"global_step": step}, actor, step, reward=float(step))
    names = sorted(p.name for p in (tmp_path / "B").iterdir())
    assert names == ["B-20.onnx", "B-20.pt", "B-30.onnx", "B-30.pt", "checkpoint.pt"]
    assert [r.steps for r in manager.records] == [20, 30]
    final = manager.finalize({"global_step": 30}, actor, 30, 30.0)
    assert (tmp_path / "B.onnx").read_bytes() == (tmp_path / "B" / "B-30.onnx").read_bytes()
    assert final.file_path.endswith("B.onnx") and final.auxillary_file_paths[0].endswith("B-30.pt")
    assert manager.last_good() == tmp_path / "B" / "checkpoint.pt"
