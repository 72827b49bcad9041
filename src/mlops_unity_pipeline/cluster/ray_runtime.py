"""Connecting to Ray: the optional import, the cluster address and the resources a task asks for."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ..errors import MissingExtraError, SpecError
from ..specs import _float, _int

RAY_ADDRESS_ENV = "RAY_ADDRESS"
"""Ray's own variable naming the cluster to join (``127.0.0.1:6379``, ``auto``)."""
UNITY_RESOURCE = "unity"
"""The custom resource of nodes with Unity installed (``ray start --resources='{"unity": 1}'``)."""


def require_ray(what: str) -> Any:
    """Import ``ray`` or say which extra to install.

    Args:
        what: the feature that needs Ray (named in the error).

    Returns:
        The ``ray`` module.

    Raises:
        MissingExtraError: when Ray is not installed (``pip install 'mlops_unity_pipeline[ray]'``).

    """
    try:
        import ray
    except ImportError:
        raise MissingExtraError("ray", what) from None
    return ray


def ray_address() -> str | None:
    """Return ``RAY_ADDRESS`` when set (non-empty), else None."""
    value = os.environ.get(RAY_ADDRESS_ENV, "").strip()
    return value or None


def connect(address: str | None = None) -> Any:
    """Join the Ray cluster at ``address`` (default ``RAY_ADDRESS``; none: start a local Ray instance).

    Idempotent: an already initialised driver is reused.

    Args:
        address: ``host:port`` of the head node, ``auto``, or None.

    Returns:
        The ``ray`` module, initialised.

    Raises:
        MissingExtraError: when Ray is not installed.
        SpecError: when the cluster cannot be reached (names the address).

    """
    ray = require_ray("running on Ray")
    if ray.is_initialized():
        return ray
    address = address or ray_address()
    try:
        # log_to_driver=False: trial and job output stays in each job's log files, not interleaved here.
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False, include_dashboard=False)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise SpecError(f"ray: cannot connect to the cluster at {address or '(local)'}: {exc}") from None
    return ray


@dataclass(frozen=True)
class RayResources:
    """What one task asks the Ray scheduler for (``num_cpus``, ``num_gpus``, custom resources)."""

    num_cpus: float = 1.0
    """CPU slots the task holds while it runs."""
    num_gpus: float = 0.0
    """GPUs (fractions allowed, Ray's semantics)."""
    custom: dict[str, float] = field(default_factory=dict)
    """Custom resources, e.g. ``{"unity": 1}`` to land on a node with Unity installed."""

    def __post_init__(self) -> None:
        cpus = _float(self.num_cpus, "resources.num_cpus")
        gpus = _float(self.num_gpus, "resources.num_gpus")
        if cpus < 0 or gpus < 0:
            raise SpecError("resources: num_cpus and num_gpus must be >= 0")
        object.__setattr__(self, "num_cpus", cpus)
        object.__setattr__(self, "num_gpus", gpus)
        if not isinstance(self.custom, dict):
            raise SpecError("resources.custom: expected a mapping of resource name -> amount")
        clean = {}
        for name, amount in self.custom.items():
            if not isinstance(name, str) or not name or name in ("CPU", "GPU", "memory"):
                raise SpecError(f"resources.custom: bad resource name {name!r}")
            clean[name] = _float(amount, f"resources.custom.{name}", positive=True)
        object.__setattr__(self, "custom", clean)

    def options(self) -> dict[str, Any]:
        """Return the keyword arguments of ``remote_function.options(...)``."""
        out: dict[str, Any] = {"num_cpus": self.num_cpus, "num_gpus": self.num_gpus}
        if self.custom:
            out["resources"] = dict(self.custom)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"num_cpus": self.num_cpus, "num_gpus": self.num_gpus, "custom": dict(self.custom)}

    @classmethod
    def from_dict(cls, data: Any, where: str = "resources") -> RayResources:
        """Build from ``{num_cpus, num_gpus, custom}`` (or ``unity: 1`` as a shorthand custom resource)."""
        from ..specs import _check_keys

        data = _check_keys(data, ("num_cpus", "num_gpus", "custom", UNITY_RESOURCE), where)
        custom = dict(data.pop("custom", None) or {})
        if UNITY_RESOURCE in data:
            custom[UNITY_RESOURCE] = data.pop(UNITY_RESOURCE)
        return cls(custom=custom, **data)


def max_retries_value(value: Any, name: str = "max_retries") -> int:
    """Validate a retry bound (0-10)."""
    retries = _int(value, name, minimum=0)
    if retries > 10:
        raise SpecError(f"{name}: at most 10, got {retries}")
    return retries
