"""Headless simulator: ML-Agents Academy semantics over vectorized tasks and worlds (``make_world``).

Start with ``make("3DBall")`` (a ``spaces.VectorEnv``), ``evaluate`` with a ``Policy`` such as
``onnx_policy.OnnxRuntimePolicy`` or ``heuristics.heuristic_policy``; ``gym_env`` and ``behavior_api`` are
the Gymnasium and ML-Agents views.
"""

from __future__ import annotations

from .catalog import (
    TaskInfo,
    canonical_task_name,
    list_tasks,
    make,
    make_navigation,
    make_world,
    reach_target_params,
    task_names,
)
from .core import SimEnv
from .engine_config import EngineConfig
from .evaluate import EvalResult, evaluate
from .policies import Policy

__all__ = [
    "EngineConfig",
    "EvalResult",
    "Policy",
    "SimEnv",
    "TaskInfo",
    "canonical_task_name",
    "evaluate",
    "list_tasks",
    "make",
    "make_navigation",
    "make_world",
    "reach_target_params",
    "task_names",
]
