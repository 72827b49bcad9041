"""Hyperparameter sweeps: Optuna studies over ML-Agents settings, each trial a pipeline job (``[sweep]``)."""

from __future__ import annotations

from .runner import SweepEvent, SweepResult, TrialRecord, open_study, run_sweep, sweep_dir
from .spec import (
    Direction,
    ParamKind,
    ParamSpec,
    PrunerKind,
    PrunerSpec,
    SamplerKind,
    SweepSpec,
    load_sweep,
)
from .trial import TrialOutcome, TrialStatus, TrialTask, run_trial

__all__ = [
    "Direction",
    "ParamKind",
    "ParamSpec",
    "PrunerKind",
    "PrunerSpec",
    "SamplerKind",
    "SweepEvent",
    "SweepResult",
    "SweepSpec",
    "TrialOutcome",
    "TrialRecord",
    "TrialStatus",
    "TrialTask",
    "load_sweep",
    "open_study",
    "run_sweep",
    "run_trial",
    "sweep_dir",
]
