"""Reading an ``mlagents-learn`` results folder: ``run_logs/training_status.json`` and the final models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import StoreError, TrainError
from ..rl.results import read_training_status as shared_read_training_status

#: ``training_status.json`` keys that are not behaviors (``StatusType`` of ML-Agents' ``training_status.py``).
NON_BEHAVIOR_KEYS = frozenset({"metadata"})


def read_training_status(run_dir: Path) -> dict[str, Any]:
    """Read ``run_logs/training_status.json`` of a finished ``mlagents-learn`` run (``training_status.py``).

    Parsing is the built-in trainer's (:func:`mlops_unity_pipeline.rl.results.read_training_status`), so
    both backends read results the same way; here a missing file is an error, because ``mlagents-learn``
    has exited and writes it on every clean exit.

    Args:
        run_dir: ``<results_dir>/<run-id>``.

    Returns:
        The parsed JSON object.

    Raises:
        TrainError: the file is missing (the run was killed before its final save), unreadable or not a
            JSON object.

    """
    path = Path(run_dir) / "run_logs" / "training_status.json"
    if not path.is_file():
        raise TrainError(
            f"{path}: not found; mlagents-learn writes it when it exits normally (stop it with one SIGINT "
            "and wait, never SIGKILL)"
        )
    try:
        return shared_read_training_status(run_dir)
    except StoreError as exc:
        raise TrainError(str(exc)) from exc


def behavior_names(status: dict[str, Any]) -> list[str]:
    """Return the behaviors recorded in a training status (entries with checkpoints).

    Args:
        status: from :func:`read_training_status`.

    Returns:
        Behavior names, sorted.

    """
    return sorted(
        name
        for name, entry in status.items()
        if name not in NON_BEHAVIOR_KEYS
        and isinstance(entry, dict)
        and ("checkpoints" in entry or "final_checkpoint" in entry)
    )


def final_onnx_paths(run_dir: Path, status: dict[str, Any], *, cwd: Path | None = None) -> dict[str, Path]:
    """Return each behavior's final ONNX model that exists on disk.

    The status records paths relative to the working directory of ``mlagents-learn`` (``cwd``); the final
    model is also at ``<run_dir>/<Behavior>.onnx`` (``copy_final_model``), which is used when the recorded
    path does not resolve.

    Args:
        run_dir: ``<results_dir>/<run-id>``.
        status: from :func:`read_training_status`.
        cwd: the working directory ``mlagents-learn`` ran in (default: ``run_dir``'s grandparent).

    Returns:
        ``{behavior: path}`` for models that exist.

    """
    run_dir = Path(run_dir)
    base = Path(cwd) if cwd is not None else run_dir.parent.parent
    found: dict[str, Path] = {}
    for name in behavior_names(status):
        entry = status[name]
        candidates: list[Path] = []
        final = entry.get("final_checkpoint")
        if isinstance(final, dict) and isinstance(final.get("file_path"), str):
            recorded = Path(final["file_path"])
            candidates.append(recorded if recorded.is_absolute() else base / recorded)
        candidates.append(run_dir / f"{name}.onnx")
        for path in candidates:
            if path.is_file():
                found[name] = path
                break
    return found
