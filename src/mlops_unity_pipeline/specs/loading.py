"""Spec files: YAML or JSON read within ``_validate``'s input bounds; errors name the file, then the field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from ..errors import SpecError
from ._common import _v
from .asset import UnityAssetSpec
from .job import TrainingJob
from .schedule import TrainingSchedule

_T = TypeVar("_T")


def load_mapping(path: Path | str) -> dict[str, Any]:
    """Read a YAML or JSON file that must hold one mapping, within ``_validate``'s input bounds.

    Args:
        path: a ``.yaml``/``.yml``/``.json`` file.

    Returns:
        The parsed mapping.

    Raises:
        SpecError: when the file is missing, unreadable, too large, too deeply nested, expands too far through
            YAML aliases, is not valid YAML/JSON or is not a mapping (the message names the file).

    """
    return _v.load_mapping(path, what="spec file")


def load_asset(path: Path | str) -> UnityAssetSpec:
    """Load a ``UnityAssetSpec`` from a YAML or JSON file; a whole job file (``asset_spec:`` key) works too.

    Args:
        path: the file.

    Returns:
        The validated asset spec.

    Raises:
        SpecError: when the file is not valid YAML/JSON or its fields are invalid (naming the file).
        FileNotFoundError: when the file does not exist (callers tell a missing file from a bad one).

    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(path)
    data = _v.load_document(path, what="asset spec file")
    if isinstance(data, Mapping) and "asset_spec" in data:
        data = data["asset_spec"]
    if not isinstance(data, Mapping):
        raise SpecError(f"{path}: expected a mapping of UnityAssetSpec fields")
    try:
        return UnityAssetSpec.from_dict(dict(data))
    except SpecError as exc:
        raise SpecError(f"{path}: {exc}") from None


def load_job(path: Path | str) -> TrainingJob:
    """Load a ``TrainingJob`` from a YAML or JSON file (keys ``job_id``, ``asset_spec``, ``rl_config``).

    Args:
        path: the job file.

    Returns:
        The validated job.

    Raises:
        SpecError: naming the file and the bad field.

    """
    return _load_file(path, TrainingJob.from_dict)


def load_schedule(path: Path | str) -> TrainingSchedule:
    """Load a ``TrainingSchedule`` from a YAML or JSON file.

    Args:
        path: the schedule file.

    Returns:
        The validated schedule.

    Raises:
        SpecError: naming the file and the bad field.

    """
    return _load_file(path, TrainingSchedule.from_dict)


def _load_file(path: Path | str, from_dict: Callable[[dict[str, Any]], _T]) -> _T:
    # One loader for every spec file: the error names the file before the field.
    data = load_mapping(path)
    try:
        return from_dict(data)
    except SpecError as exc:
        raise type(exc)(f"{path}: {exc}") from None
