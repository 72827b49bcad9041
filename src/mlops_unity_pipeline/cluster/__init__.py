"""Execution backends: run pipeline work here, in worker processes, or as Ray tasks on a cluster."""

from __future__ import annotations

from .executors import InlineExecutor, ProcessExecutor, RayExecutor, TaskExecutor, make_executor
from .ray_runtime import connect, node_name, ray_address, require_ray

__all__ = [
    "InlineExecutor",
    "ProcessExecutor",
    "RayExecutor",
    "TaskExecutor",
    "connect",
    "make_executor",
    "node_name",
    "ray_address",
    "require_ray",
]
