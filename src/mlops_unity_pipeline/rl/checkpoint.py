"""Checkpoints written like ML-Agents' model saver, atomically: ``kill -9`` never leaves half a file.

Files per behavior (upstream ``model_saver/torch_model_saver.py``): ``<run>/<Behavior>/checkpoint.pt`` (latest
full state, read by ``--resume``), ``<run>/<Behavior>/<Behavior>-<step>.pt`` and ``.onnx`` every
``checkpoint_interval`` steps (the newest ``keep_checkpoints`` kept), and ``<run>/<Behavior>.onnx``, a copy of
the final checkpoint's model.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import torch

from ..spaces import BehaviorSignature
from .export import export_policy
from .networks import Actor
from .results import CheckpointRecord, RunPaths

DEFAULT_CHECKPOINT_NAME = "checkpoint.pt"
"""ML-Agents' name for the latest checkpoint of a behavior."""


def atomic_torch_save(obj: Any, path: Path) -> Path:
    """``torch.save`` to a temporary file in the same folder, fsync it, then ``os.replace`` it into place.

    Args:
        obj: what to save.
        path: destination.

    Returns:
        ``path``.

    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            torch.save(obj, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # atomic on POSIX: readers see the old file or the new one, never a mix
    finally:
        tmp.unlink(missing_ok=True)
    return path


def atomic_copy(src: Path, dst: Path) -> Path:
    """Copy a file atomically (temp file + ``os.replace``).

    Args:
        src: source file.
        dst: destination.

    Returns:
        ``dst``.

    """
    tmp = dst.with_name(f".{dst.name}.tmp-{os.getpid()}")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)
    return dst


class CheckpointManager:
    """Writes one behavior's checkpoints and keeps the list ``training_status.json`` records.

    Args:
        paths: the run's paths.
        behavior: behavior name.
        signature: the behavior (for ONNX export).
        keep_checkpoints: how many numbered checkpoints to keep.
        records: checkpoint records restored from ``training_status.json`` on resume.

    """

    def __init__(
        self,
        paths: RunPaths,
        behavior: str,
        signature: BehaviorSignature,
        keep_checkpoints: int,
        records: list[CheckpointRecord] | None = None,
    ) -> None:
        self.paths = paths
        self.behavior = behavior
        self.signature = signature
        self.keep = max(1, int(keep_checkpoints))
        self.records: list[CheckpointRecord] = list(records or [])
        self.final: CheckpointRecord | None = None

    @property
    def latest_path(self) -> Path:
        """``<run>/<Behavior>/checkpoint.pt``."""
        return self.paths.behavior_dir(self.behavior) / DEFAULT_CHECKPOINT_NAME

    def last_good(self) -> Path | None:
        """Return the newest checkpoint file on disk (for error messages), or None."""
        if self.latest_path.exists():
            return self.latest_path
        return Path(self.records[-1].file_path) if self.records else None

    def save_latest(self, state: dict[str, Any]) -> Path:
        """Write ``checkpoint.pt`` (full trainer state).

        Args:
            state: ``Trainer.state_dict()``.

        Returns:
            The path written.

        """
        return atomic_torch_save(state, self.latest_path)

    def save_numbered(
        self, state: dict[str, Any], actor: Actor, step: int, reward: float | None
    ) -> CheckpointRecord:
        """Write ``<Behavior>-<step>.pt``/``.onnx`` and ``checkpoint.pt``; prune beyond ``keep_checkpoints``.

        Args:
            state: ``Trainer.state_dict()``.
            actor: the policy to export.
            step: the behavior's step.
            reward: recent mean cumulative reward (None when no episode ended yet).

        Returns:
            The new record.

        """
        stem = self.paths.behavior_dir(self.behavior) / f"{self.behavior}-{step}"
        pt = atomic_torch_save(state, stem.with_suffix(".pt"))
        onnx_path = export_policy(actor, self.signature, stem.with_suffix(".onnx"))
        self.save_latest(state)
        record = CheckpointRecord(
            steps=step,
            file_path=str(onnx_path),
            reward=reward,
            creation_time=time.time(),
            auxillary_file_paths=[str(pt)],
        )
        self.records = [r for r in self.records if r.steps != step] + [record]
        while len(self.records) > self.keep:
            old = self.records.pop(0)
            for file in [old.file_path, *old.auxillary_file_paths]:
                Path(file).unlink(missing_ok=True)
        return record

    def finalize(
        self, state: dict[str, Any], actor: Actor, step: int, reward: float | None
    ) -> CheckpointRecord:
        """Save the last checkpoint; copy its model to ``<run>/<Behavior>.onnx`` (``copy_final_model``).

        Args:
            state: ``Trainer.state_dict()``.
            actor: the policy.
            step: final step.
            reward: recent mean cumulative reward.

        Returns:
            The ``final_checkpoint`` record.

        """
        last = self.records[-1] if self.records and self.records[-1].steps == step else None
        if last is None:
            last = self.save_numbered(state, actor, step, reward)
        final_path = atomic_copy(Path(last.file_path), self.paths.final_onnx(self.behavior))
        self.final = CheckpointRecord(
            steps=step,
            file_path=str(final_path),
            reward=reward,
            creation_time=time.time(),
            auxillary_file_paths=list(last.auxillary_file_paths),
        )
        return self.final
