"""Execution backends (inline, worker processes, Ray tasks) and Ray env actors for distributed rollouts.

Jobs on Ray live in ``orchestrator.ray_jobs`` (they need the stages); this package only needs specs.
"""

from __future__ import annotations

from .executors import InlineExecutor, ProcessExecutor, RayExecutor, TaskExecutor, make_executor
from .ray_runtime import connect, node_name, ray_address, require_ray
from .rollouts import RayVectorEnv, ray_env_factory

__all__ = [
    "InlineExecutor",
    "ProcessExecutor",
    "RayExecutor",
    "RayVectorEnv",
    "TaskExecutor",
    "connect",
    "make_executor",
    "node_name",
    "ray_address",
    "ray_env_factory",
    "require_ray",
]
