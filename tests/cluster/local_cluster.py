"""A real two-node Ray cluster on 127.0.0.1 for tests and benchmarks: ``ray start --block`` per node.

Each node is a separate ``ray start --block`` process group (GCS, raylet, agents); worker processes start
their own sessions, so a node is killed by its raylet's children and then its process group. Nothing here
calls ``ray stop``: that would stop every Ray instance on the machine, other users' too.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# `ray start` with Ray's address discovery pinned to the loopback interface. Ray replaces a given 127.0.0.1 by
# the machine's routable address (ray/_private/services.py, resolve_ip_for_localhost) so that other machines
# can reach the node; these test nodes must stay on 127.0.0.1, so the two look-ups are pinned before Ray's CLI
# runs (its raylet, GCS and workers then receive 127.0.0.1 on their command lines).
_RAY_START = (
    "import sys, ray._private.services as s;"
    "s.get_node_ip_address = lambda address=None: '127.0.0.1';"
    "s.resolve_ip_for_localhost = lambda host: host;"
    "from ray.scripts.scripts import main; sys.argv[0] = 'ray'; main()"
)


def ray_env() -> dict[str, str]:
    """The environment of the cluster's processes: this checkout's code, loopback only, no auth or stats."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            # A driver with clusters "disabled" for the platform takes the loopback address as its own.
            "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
            "RAY_AUTH_MODE": "disabled",
            "RAY_USAGE_STATS_ENABLED": "0",
            "OMP_NUM_THREADS": "1",
        }
    )
    env.pop("RAY_ADDRESS", None)
    return env


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry.name))
    return out


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


@dataclass
class Node:
    """One ``ray start --block`` process (its own process group)."""

    proc: subprocess.Popen
    log: Path

    def kill(self) -> None:
        """SIGKILL the node: every descendant (raylet, workers in their own sessions), then its group."""
        if self.proc.poll() is not None:
            return
        pids = _descendants(self.proc.pid)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)


@dataclass
class LocalCluster:
    """A head node plus worker nodes on 127.0.0.1, with their own ports and temp dir."""

    address: str
    temp_dir: Path
    nodes: list[Node] = field(default_factory=list)

    def add_node(self, num_cpus: int, resources: str = "{}", *, head: bool = False) -> Node:
        """Start a node (``ray start --block``) and wait until the cluster lists it."""
        low = free_port()
        common = [
            "--block",
            "--node-ip-address=127.0.0.1",
            f"--num-cpus={num_cpus}",
            f"--resources={resources}",
            "--disable-usage-stats",
            f"--min-worker-port={20000 + (low % 20000)}",
            f"--max-worker-port={20000 + (low % 20000) + 60}",
        ]
        if head:
            port = self.address.rsplit(":", 1)[1]
            args = [
                "start",
                "--head",
                f"--port={port}",
                "--include-dashboard=false",
                f"--temp-dir={self.temp_dir}",
                f"--ray-client-server-port={free_port()}",
                *common,
            ]
        else:
            args = ["start", f"--address={self.address}", *common]
        log = self.temp_dir / f"node{len(self.nodes)}.log"
        with open(log, "wb") as out:
            env = {**ray_env(), "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "1"}  # nodes may form a cluster
            proc = subprocess.Popen(
                [sys.executable, "-c", _RAY_START, *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        node = Node(proc, log)
        self.nodes.append(node)
        deadline = time.monotonic() + 120
        while b"Ray runtime started" not in log.read_bytes():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"ray start failed: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        return node

    def shutdown(self) -> None:
        """Kill every node (workers first), then remove the temp dir."""
        for node in reversed(self.nodes):
            node.kill()
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def start_cluster(head_cpus: int = 1, head_resources: str = '{"head": 1}') -> LocalCluster:
    """Start a head node on a free port of 127.0.0.1 (add workers with ``add_node``)."""
    # A short temp dir: Ray's Unix socket paths must stay under 107 characters.
    temp_dir = Path(tempfile.mkdtemp(prefix="mur", dir="/tmp"))
    cluster = LocalCluster(address=f"127.0.0.1:{free_port()}", temp_dir=temp_dir)
    try:
        cluster.add_node(head_cpus, head_resources, head=True)
    except BaseException:
        cluster.shutdown()
        raise
    return cluster
