"""The real Ray cluster fixture: a head and a worker node started with ``ray start`` on 127.0.0.1."""

from __future__ import annotations

import os

import pytest

from .local_cluster import LocalCluster, start_cluster


@pytest.fixture(scope="module")
def ray_cluster():
    """Head (1 CPU, resource ``head``) + node ``n2`` (1 CPU, ``n2`` and ``unity``); the driver joins.

    Skips, saying why, when Ray is missing or cannot start here; tears everything down afterwards, also when
    a test failed.
    """
    ray = pytest.importorskip("ray", reason="ray is not installed (the [ray] extra)")
    import ray._private.services as services

    mp = pytest.MonkeyPatch()
    # The driver must reach the loopback head: pin Ray's address discovery like the nodes (local_cluster).
    mp.setattr(services, "get_node_ip_address", lambda address=None: "127.0.0.1")
    mp.setattr(services, "resolve_ip_for_localhost", lambda host: host)
    mp.setenv("RAY_AUTH_MODE", "disabled")
    mp.setenv("RAY_USAGE_STATS_ENABLED", "0")
    cluster: LocalCluster | None = None
    try:
        try:
            cluster = start_cluster()
            cluster.add_node(1, '{"n2": 1, "unity": 1}')
        except (RuntimeError, OSError) as exc:
            pytest.skip(f"Ray cannot start a local cluster here: {str(exc)[-300:]}")
        mp.setenv("RAY_ADDRESS", cluster.address)
        mp.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
        ray.init(address=cluster.address, log_to_driver=False)
        yield cluster
    finally:
        if ray.is_initialized():
            ray.shutdown()
        if cluster is not None:
            cluster.shutdown()
        mp.undo()
