"""Ray plumbing: connecting to a cluster, and Ray env actors for distributed rollouts.

It sits below the trainers (``rl.learn`` uses the rollouts), so it imports no spec: the trial executors
live in ``sweep.executors`` and jobs on Ray in ``orchestrator.ray_jobs``.
"""

from __future__ import annotations

from .ray_runtime import connect, node_name, ray_address, require_ray
from .rollouts import RayVectorEnv, ray_env_factory

__all__ = [
    "RayVectorEnv",
    "connect",
    "node_name",
    "ray_address",
    "ray_env_factory",
    "require_ray",
]
