"""Where a job (or a sweep's trials) runs: ``Executor``, ``resolve_executor`` and ``ExecutionSpec``."""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from ..errors import SpecError
from ._common import _check_keys, _choice, _float, _int, _plain


class Executor(StrEnum):
    """Where a job's stages run."""

    AUTO = "auto"
    """Ray when ``RAY_ADDRESS`` is set, else local (default)."""
    LOCAL = "local"
    """A worker thread of the orchestrator's process (embedded default)."""
    RAY = "ray"
    """A Ray task on the cluster at ``RAY_ADDRESS`` (or a local Ray instance), with the resources below."""


def resolve_executor(executor: Executor) -> Executor:
    """Return ``LOCAL`` or ``RAY`` for a job's or a sweep's executor.

    ``auto`` is Ray when ``RAY_ADDRESS`` (Ray's own variable) is set now, else local.
    """
    if executor is Executor.AUTO:
        return Executor.RAY if os.environ.get("RAY_ADDRESS", "").strip() else Executor.LOCAL
    return executor


_RAY_BUILTIN_RESOURCES = ("CPU", "GPU", "memory", "object_store_memory")


@dataclass(frozen=True)
class ExecutionSpec:
    """Where and with what resources a job runs (``execution:`` in a job or schedule file)."""

    executor: Executor = Executor.AUTO
    """``auto`` (Ray when ``RAY_ADDRESS`` is set), ``local`` or ``ray``."""
    num_cpus: float = 1.0
    """CPUs the Ray task holds while it runs."""
    num_gpus: float = 0.0
    """GPUs the Ray task holds (fractions allowed, Ray's semantics)."""
    resources: dict[str, float] = field(default_factory=dict)
    """Custom Ray resources, e.g. ``{"unity": 1}`` to land on a node with Unity installed."""
    max_retries: int = 2
    """Times Ray re-runs the job after its worker process or node died (0-10); the retry resumes from the
    last finished stage and training checkpoint."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "executor", _choice(self.executor, Executor, "execution.executor"))
        for name in ("num_cpus", "num_gpus"):
            value = _float(getattr(self, name), f"execution.{name}")
            if value < 0:
                raise SpecError(f"execution.{name}: must be >= 0, got {value}")
            object.__setattr__(self, name, value)
        if not isinstance(self.resources, Mapping):
            raise SpecError("execution.resources: expected a mapping of resource name -> amount")
        clean: dict[str, float] = {}
        for key, amount in self.resources.items():
            if not isinstance(key, str) or not key or key in _RAY_BUILTIN_RESOURCES:
                raise SpecError(
                    f"execution.resources: bad custom resource name {key!r} (use num_cpus/num_gpus for "
                    "CPU and GPU)"
                )
            clean[key] = _float(amount, f"execution.resources.{key}", positive=True)
        object.__setattr__(self, "resources", clean)
        retries = _int(self.max_retries, "execution.max_retries", minimum=0)
        if retries > 10:
            raise SpecError(f"execution.max_retries: at most 10, got {retries}")
        object.__setattr__(self, "max_retries", retries)

    def resolved_executor(self) -> Executor:
        """Return ``LOCAL`` or ``RAY``: ``auto`` reads ``RAY_ADDRESS`` now (``resolve_executor``)."""
        return resolve_executor(self.executor)

    def ray_options(self) -> dict[str, Any]:
        """Return the resource keyword arguments of Ray's ``.options(...)``."""
        out: dict[str, Any] = {"num_cpus": self.num_cpus, "num_gpus": self.num_gpus}
        if self.resources:
            out["resources"] = dict(self.resources)
        return out

    @classmethod
    def from_dict(cls, data: Any, where: str = "execution") -> ExecutionSpec:
        """Build from a mapping, rejecting unknown keys.

        Raises:
            SpecError: on an unknown key or a bad value.

        """
        if isinstance(data, ExecutionSpec):
            return data
        return cls(**_check_keys(data, tuple(f.name for f in fields(cls)), where))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON/YAML-ready dict that ``from_dict`` loads back equal."""
        return {f.name: _plain(copy.deepcopy(getattr(self, f.name))) for f in fields(self)}
