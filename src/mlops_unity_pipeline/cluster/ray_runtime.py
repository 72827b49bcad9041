"""Connecting to Ray: the optional import and the cluster address."""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

from ..errors import MissingExtraError, SpecError

RAY_ADDRESS_ENV = "RAY_ADDRESS"
"""Ray's own variable naming the cluster to join (``127.0.0.1:6379``, ``auto``)."""
UNITY_RESOURCE = "unity"
"""The custom resource of nodes with Unity installed (``ray start --resources='{"unity": 1}'``)."""


def node_name() -> str:
    """Return where this code runs: the host name, plus the Ray node id inside a Ray worker or driver."""
    host = socket.gethostname()
    ray = sys.modules.get("ray")  # only loaded in Ray processes; importing it just to ask costs ~2 s
    try:
        if ray is not None and ray.is_initialized():
            return f"{host}/ray:{ray.get_runtime_context().get_node_id()[:12]}"
    except Exception:  # noqa: BLE001 - a Ray runtime that cannot answer: the host name is enough
        pass
    return host


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
        import ray  # optional
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
