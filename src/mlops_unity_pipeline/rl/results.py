"""The ``results/<run-id>/`` folder exactly as ``mlagents-learn`` lays it out.

Upstream writes it in ``ml-agents/mlagents/trainers/learn.py``, ``training_status.py`` and
``mlagents_envs/timers.py``.

Also the shared reader of ``run_logs/training_status.json`` (used for the ``mlagents-learn`` backend too).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy

from .._validate import ID_PATTERN, short
from ..errors import ConfigError, StoreError

STATS_FORMAT_VERSION = "0.3.0"
"""``training_status.json`` metadata format (ML-Agents ``StatusMetaData``)."""
MLAGENTS_VERSION = "1.1.0"
"""The ML-Agents release whose results format we write (Release 22 Python package)."""
TIMER_FORMAT_VERSION = "0.1.0"

_RUN_ID = ID_PATTERN  # the package's one id pattern (used with fullmatch)


def validate_run_id(run_id: str) -> str:
    """Check that a run id is a safe single folder name (it never escapes ``results_dir``).

    Args:
        run_id: the ``--run-id``.

    Returns:
        The run id.

    Raises:
        ConfigError: not matching ``[A-Za-z0-9][A-Za-z0-9._-]*`` (max 128) or containing ``..``.

    """
    if not isinstance(run_id, str) or not _RUN_ID.fullmatch(run_id) or ".." in run_id:
        raise ConfigError(
            f"checkpoint_settings.run_id: {short(run_id)} is not a safe folder name "
            "(expected letters, digits, '.', '_', '-', starting with a letter or digit, no '..')"
        )
    return run_id


@dataclass(frozen=True)
class RunPaths:
    """Every path of one run folder."""

    run_dir: Path
    """``<results_dir>/<run_id>``."""

    @property
    def run_logs(self) -> Path:
        """``run_logs/`` (status, timers, player logs)."""
        return self.run_dir / "run_logs"

    @property
    def training_status(self) -> Path:
        """``run_logs/training_status.json``."""
        return self.run_logs / "training_status.json"

    @property
    def timers(self) -> Path:
        """``run_logs/timers.json``."""
        return self.run_logs / "timers.json"

    @property
    def configuration(self) -> Path:
        """``configuration.yaml`` (the fully resolved run options)."""
        return self.run_dir / "configuration.yaml"

    def behavior_dir(self, behavior: str) -> Path:
        """``<Behavior>/``: checkpoints and TensorBoard events."""
        return self.run_dir / behavior

    def final_onnx(self, behavior: str) -> Path:
        """``<Behavior>.onnx``: the final model."""
        return self.run_dir / f"{behavior}.onnx"


def prepare_run_dir(
    results_dir: Path | str, run_id: str, *, resume: bool, force: bool, initialize_from: str | None
) -> RunPaths:
    """Validate and create the run folder the way ``mlagents-learn`` does (``validate_existing_directories``).

    Args:
        results_dir: ``--results-dir``.
        run_id: ``--run-id``.
        resume: ``--resume``: the folder must exist.
        force: ``--force``: an existing folder is deleted first.
        initialize_from: ``--initialize-from``: that run's folder must exist.

    Returns:
        The run's paths (folder created).

    Raises:
        ConfigError: an existing folder without ``--resume``/``--force``, ``--resume`` of a missing run, or a
            missing ``--initialize-from`` run.

    """
    validate_run_id(run_id)
    run_dir = Path(results_dir) / run_id
    if resume and force:
        raise ConfigError("--resume and --force cannot be used together")
    if run_dir.exists() and not (resume or force):
        raise ConfigError(
            f"previous data from this run ID was found in {run_dir}: "
            "pass --resume to continue it or --force to "
            "overwrite it"
        )
    if resume and not run_dir.exists():
        raise ConfigError(
            f"previous data from this run ID was not found in {run_dir}; train without --resume"
        )
    if initialize_from is not None and not resume:
        validate_run_id(initialize_from)
        if not (Path(results_dir) / initialize_from).is_dir():
            raise ConfigError(
                f"--initialize-from: run folder {Path(results_dir) / initialize_from} does not exist"
            )
    if force and run_dir.exists():
        shutil.rmtree(run_dir)
    (run_dir / "run_logs").mkdir(parents=True, exist_ok=True)
    return RunPaths(run_dir)


@dataclass
class CheckpointRecord:
    """One entry of ``checkpoints`` / ``final_checkpoint`` in ``training_status.json``."""

    steps: int
    file_path: str
    reward: float | None
    creation_time: float
    auxillary_file_paths: list[str] = field(default_factory=list)
    """ML-Agents' spelling."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckpointRecord:
        """Read a record written by us or by ``mlagents-learn``."""
        return cls(
            steps=int(data["steps"]),
            file_path=str(data["file_path"]),
            reward=None if data.get("reward") is None else float(data["reward"]),
            creation_time=float(data.get("creation_time", 0.0)),
            auxillary_file_paths=[str(p) for p in data.get("auxillary_file_paths", [])],
        )


def atomic_write_text(path: Path, text: str) -> Path:
    """Write text through a temp file and ``os.replace``.

    Args:
        path: destination.
        text: contents.

    Returns:
        ``path``.

    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def status_metadata() -> dict[str, str]:
    """Return the ``metadata`` block of ``training_status.json``."""
    import torch  # heavy

    return {
        "stats_format_version": STATS_FORMAT_VERSION,
        "mlagents_version": MLAGENTS_VERSION,
        "torch_version": torch.__version__,
    }


def write_training_status(
    paths: RunPaths,
    behaviors: dict[str, tuple[list[CheckpointRecord], CheckpointRecord | None]],
    lessons: dict[str, int] | None = None,
) -> Path:
    """Write ``run_logs/training_status.json`` (ML-Agents ``GlobalTrainingStatus`` layout).

    Args:
        paths: the run.
        behaviors: per behavior, its checkpoint records and final checkpoint (None while running).
        lessons: curriculum lesson number per environment parameter.

    Returns:
        The file written.

    """
    status: dict[str, Any] = {}
    for name, (records, final) in behaviors.items():
        entry: dict[str, Any] = {"checkpoints": [asdict(r) for r in records]}
        if final is not None:
            entry["final_checkpoint"] = asdict(final)
        status[name] = entry
    for param, lesson in (lessons or {}).items():
        status[param] = {"lesson_num": int(lesson)}
    status["metadata"] = status_metadata()
    return atomic_write_text(paths.training_status, json.dumps(status, indent=4))


def read_training_status(run_dir: Path | str) -> dict[str, Any]:
    """Parse ``run_logs/training_status.json`` of a run (ours or ``mlagents-learn``'s).

    Args:
        run_dir: ``<results_dir>/<run_id>``.

    Returns:
        The parsed JSON object; ``{}`` when the file does not exist yet (ML-Agents writes it at the end).

    Raises:
        StoreError: the file exists but is not a JSON object.

    """
    path = Path(run_dir) / "run_logs" / "training_status.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise StoreError(f"{path}: unreadable training status ({exc})") from exc
    if not isinstance(data, dict):
        raise StoreError(f"{path}: expected a JSON object, got {type(data).__name__}")
    return data


def checkpoint_records(status: dict[str, Any], behavior: str) -> list[CheckpointRecord]:
    """Checkpoint records of one behavior in a parsed ``training_status.json``.

    Args:
        status: ``read_training_status`` output.
        behavior: behavior name.

    Returns:
        The records, oldest first.

    """
    entry = status.get(behavior) or {}
    return [CheckpointRecord.from_dict(r) for r in entry.get("checkpoints", [])]


def lesson_numbers(status: dict[str, Any]) -> dict[str, int]:
    """Curriculum lesson numbers stored in a parsed ``training_status.json``."""
    return {k: int(v["lesson_num"]) for k, v in status.items() if isinstance(v, dict) and "lesson_num" in v}


class Timers:
    """The gauges and timer tree of ``run_logs/timers.json`` (ML-Agents ``timers.py`` layout)."""

    def __init__(self) -> None:
        self.start = time.time()
        self.gauges: dict[str, dict[str, float]] = {}
        self.blocks: dict[str, list[float]] = {}

    def gauge(self, name: str, value: float) -> None:
        """Update a gauge (value = latest, plus min, max, count).

        Args:
            name: e.g. ``"3DBall.Environment.CumulativeReward.mean"``.
            value: the new value.

        """
        g = self.gauges.get(name)
        if g is None:
            self.gauges[name] = {"value": value, "min": value, "max": value, "count": 1}
        else:
            g.update(value=value, min=min(g["min"], value), max=max(g["max"], value), count=g["count"] + 1)

    def add_time(self, block: str, seconds: float) -> None:
        """Accumulate time spent in a named block (``env_step``, ``trainer_advance``, ``save_model`` …).

        Args:
            block: block name under ``run_training.setup`` siblings.
            seconds: time spent.

        """
        total = self.blocks.setdefault(block, [0.0, 0])
        total[0] += seconds
        total[1] += 1

    def write(self, paths: RunPaths) -> Path:
        """Write ``run_logs/timers.json``.

        Args:
            paths: the run.

        Returns:
            The file written.

        """
        import torch  # heavy

        end = time.time()
        total = end - self.start
        children = {name: {"total": t, "count": int(c), "self": t} for name, (t, c) in self.blocks.items()}
        tree = {
            "name": "root",
            "gauges": self.gauges,
            "metadata": {
                "timer_format_version": TIMER_FORMAT_VERSION,
                "start_time_seconds": str(int(self.start)),
                "end_time_seconds": str(int(end)),
                "python_version": platform.python_version(),
                "command_line_arguments": " ".join(sys.argv),
                "mlagents_version": MLAGENTS_VERSION,
                "mlagents_envs_version": MLAGENTS_VERSION,
                "communication_protocol_version": "1.5.0",
                "pytorch_version": torch.__version__,
                "numpy_version": numpy.__version__,
            },
            "total": total,
            "count": 1,
            "self": max(0.0, total - sum(t for t, _ in self.blocks.values())),
            "children": {
                "run_training.setup": {"total": 0.0, "count": 1, "self": 0.0},
                "TrainerController.start_learning": {
                    "total": total,
                    "count": 1,
                    "self": 0.0,
                    "children": children,
                },
            },
        }
        return atomic_write_text(paths.timers, json.dumps(tree, indent=2))


def gauge_name(behavior: str, tag: str, suffix: str = "mean") -> str:
    """ML-Agents' gauge name for a stat: ``{behavior}.{tag with '/'->'.' and no spaces}.{suffix}``."""
    return f"{behavior}.{tag.replace('/', '.').replace(' ', '')}.{suffix}"
