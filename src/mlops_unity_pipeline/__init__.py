"""MLOps pipeline for Unity ML-Agents: the setup guide's public API and the package's error classes.

Quick start (the guide's): build a ``TrainingJob`` from a ``UnityAssetSpec`` and an ``RLTrainingConfig``
and run it with ``UnityMLOpsOrchestrator.execute_training_job``; ``TrainingScheduler`` re-runs jobs on a
cron schedule.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import (
    BuildError,
    CodegenError,
    ConfigError,
    DemoFormatError,
    ExportError,
    InvalidAction,
    InvalidTransition,
    JobCancelled,
    MissingExtraError,
    PipelineError,
    ProtocolError,
    RegistryError,
    ResetNeeded,
    ScheduleError,
    SpecError,
    StageError,
    StoreError,
    TrainError,
)
from .scheduler import TrainingScheduler
from .specs import RLTrainingConfig, TrainingJob, TrainingSchedule, UnityAssetSpec

__all__ = [
    "BuildError",
    "CodegenError",
    "ConfigError",
    "DemoFormatError",
    "ExportError",
    "InvalidAction",
    "InvalidTransition",
    "JobCancelled",
    "MissingExtraError",
    "PipelineError",
    "ProtocolError",
    "RLTrainingConfig",
    "RegistryError",
    "ResetNeeded",
    "ScheduleError",
    "SpecError",
    "StageError",
    "StoreError",
    "TrainError",
    "TrainingJob",
    "TrainingSchedule",
    "TrainingScheduler",
    "UnityAssetSpec",
    "UnityMLOpsOrchestrator",
]

# The orchestrator pulls in numpy, the stores and the stages (~0.3 s): it is resolved on first access so
# ``import mlops_unity_pipeline`` (and with it every CLI command) stays fast.
_LAZY = {
    "UnityMLOpsOrchestrator": ".orchestrator",
}


def __getattr__(name: str) -> Any:
    """Resolve the lazily imported public names (PEP 562)."""
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    value = getattr(importlib.import_module(module_name, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names, including the lazy ones."""
    return sorted(set(globals()) | set(__all__))
