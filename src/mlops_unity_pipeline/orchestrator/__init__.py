"""The orchestrator: job state machine, ``Stage`` protocol, real stages, ``UnityMLOpsOrchestrator``."""

from __future__ import annotations

from typing import Any

from .protocol import STAGE_NAMES, FakeStage, ProgressUpdate, Stage, StageContext, StageResult
from .states import RESUMABLE, TERMINAL, TRANSITIONS, RunState

__all__ = [
    "RESUMABLE",
    "STAGE_NAMES",
    "TERMINAL",
    "TRANSITIONS",
    "FakeStage",
    "JobResult",
    "ProgressUpdate",
    "RunState",
    "Stage",
    "StageContext",
    "StageResult",
    "UnityMLOpsOrchestrator",
]


def __getattr__(name: str) -> Any:
    """Import the pipeline on first use: the job store and ``states`` load without the stages and numpy."""
    if name in ("UnityMLOpsOrchestrator", "JobResult"):
        from . import pipeline  # start-up

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
