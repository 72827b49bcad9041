"""The orchestrator: job state machine, ``Stage`` protocol, real stages, ``UnityMLOpsOrchestrator``."""

from __future__ import annotations

from typing import Any

from ..progress import ProgressEvent
from .outputs import (
    OUTPUT_TYPES,
    BuildOutput,
    CodegenOutput,
    EvaluateOutput,
    Execution,
    NotifyOutput,
    PackageOutput,
    RegisterOutput,
    StageOutput,
    TrainOutput,
)
from .protocol import STAGE_NAMES, FakeStage, Services, Stage, StageContext, StageResult
from .states import RESUMABLE, TERMINAL, TRANSITIONS, RunState

__all__ = [
    "OUTPUT_TYPES",
    "RESUMABLE",
    "STAGE_NAMES",
    "TERMINAL",
    "TRANSITIONS",
    "BuildOutput",
    "CodegenOutput",
    "EvaluateOutput",
    "Execution",
    "FakeStage",
    "JobResult",
    "NotifyOutput",
    "PackageOutput",
    "ProgressEvent",
    "RegisterOutput",
    "RunState",
    "Services",
    "Stage",
    "StageContext",
    "StageOutput",
    "StageResult",
    "TrainOutput",
    "UnityMLOpsOrchestrator",
]


def __getattr__(name: str) -> Any:
    """Import the pipeline on first use: the job store and ``states`` load without the stages and numpy."""
    if name in ("UnityMLOpsOrchestrator", "JobResult"):
        from . import pipeline  # heavy

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
