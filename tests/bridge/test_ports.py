"""Tests for --base-port leases: disjoint ranges across threads and processes, release on exit, busy ports."""

from __future__ import annotations

import multiprocessing
import os
import socket
import threading
from pathlib import Path

import pytest

from mlops_unity_pipeline.bridge.ports import PortLeaser, port_is_free
from mlops_unity_pipeline.errors import TrainError


def _free_block(block: int = 16) -> int:
    """A first port whose block of ports is currently free (tests run beside other sessions)."""
    for base in range(20000, 60000, 97 * block):
        if all(port_is_free(p) for p in range(base, base + 8 * block)):
            return base
    pytest.skip("no free port range on this machine")


def test_leases_are_disjoint_and_block_aligned(tmp_path: Path) -> None:
    """Consecutive leases get different, block-aligned base ports."""
    first = _free_block()
    leaser = PortLeaser(tmp_path, first_port=first, last_port=first + 8 * 16 - 1)
    a, b = leaser.lease(1), leaser.lease(4)
    assert (a.base_port, b.base_port) == (first, first + 16)
    assert set(a.ports).isdisjoint(b.ports)
    a.release()
    b.release()


def test_release_makes_range_available_again(tmp_path: Path) -> None:
    """A released lease's range is handed out again."""
    first = _free_block()
    leaser = PortLeaser(tmp_path, first_port=first, last_port=first + 8 * 16 - 1)
    with leaser.lease(2) as lease:
        assert lease.active
    assert not lease.active
    assert leaser.lease(2).base_port == first


def test_multi_block_lease_blocks_overlaps(tmp_path: Path) -> None:
    """A lease needing 20 ports takes two blocks; the next lease starts after both."""
    first = _free_block()
    leaser = PortLeaser(tmp_path, first_port=first, last_port=first + 8 * 16 - 1)
    big = leaser.lease(20)
    small = leaser.lease(1)
    assert big.base_port == first and small.base_port == first + 32
    big.release()
    assert leaser.lease(1).base_port == first  # both blocks were released
    small.release()


def test_busy_port_is_skipped(tmp_path: Path) -> None:
    """A range with a port another program listens on is skipped."""
    first = _free_block()
    with socket.socket() as sock:
        sock.bind(("", first + 1))
        sock.listen(1)
        lease = PortLeaser(tmp_path, first_port=first, last_port=first + 8 * 16 - 1).lease(2)
        assert lease.base_port == first + 16
        lease.release()


def test_exhausted_range_raises(tmp_path: Path) -> None:
    """When every block is leased the error names the range and the lock folder."""
    first = _free_block()
    leaser = PortLeaser(tmp_path, first_port=first, last_port=first + 31)
    held = [leaser.lease(1), leaser.lease(1)]
    with pytest.raises(TrainError, match=f"no free port range.*{first}.*{tmp_path}"):
        leaser.lease(1)
    for lease in held:
        lease.release()


def test_invalid_arguments(tmp_path: Path) -> None:
    """Bad port ranges and counts are rejected with the value."""
    with pytest.raises(TrainError, match="port range"):
        PortLeaser(tmp_path, first_port=80, last_port=100)
    with pytest.raises(TrainError, match="num_ports"):
        PortLeaser(tmp_path).lease(0)


def test_threads_never_share_a_range(tmp_path: Path) -> None:
    """Eight threads leasing at once all get distinct ranges."""
    first = _free_block()
    leaser = PortLeaser(tmp_path, first_port=first, last_port=first + 8 * 16 - 1)
    bases: list[int] = []
    barrier = threading.Barrier(8)
    lock = threading.Lock()
    leases = []

    def grab() -> None:
        barrier.wait()
        lease = leaser.lease(3)
        with lock:
            bases.append(lease.base_port)
            leases.append(lease)

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(bases)) == 8
    for lease in leases:
        lease.release()


def _lease_in_child(lock_dir: str, first: int, ready, go, out) -> None:  # noqa: ANN001 - multiprocessing primitives
    leaser = PortLeaser(Path(lock_dir), first_port=first, last_port=first + 8 * 16 - 1)
    ready.wait()
    lease = leaser.lease(2)
    out.put(lease.base_port)
    go.wait()  # hold the lease until every process has one
    lease.release()


def test_processes_never_share_a_range(tmp_path: Path) -> None:
    """Four processes leasing concurrently through the same lock folder get distinct ranges."""
    first = _free_block()
    ctx = multiprocessing.get_context("spawn")
    ready, go, out = ctx.Barrier(4), ctx.Barrier(5), ctx.Queue()
    procs = [
        ctx.Process(target=_lease_in_child, args=(str(tmp_path), first, ready, go, out)) for _ in range(4)
    ]
    for p in procs:
        p.start()
    bases = sorted(out.get(timeout=60) for _ in procs)
    go.wait(timeout=60)
    for p in procs:
        p.join(timeout=60)
    assert bases == [first, first + 16, first + 32, first + 48]


def _lease_and_die(lock_dir: str, first: int, out) -> None:  # noqa: ANN001 - multiprocessing primitive
    lease = PortLeaser(Path(lock_dir), first_port=first, last_port=first + 8 * 16 - 1).lease(1)
    out.put(lease.base_port)
    out.close()
    out.join_thread()
    os._exit(0)  # no release, no cleanup: like a crash


def test_lease_freed_when_holder_dies(tmp_path: Path) -> None:
    """A process that exits without releasing frees its range (OS-held lock, never stale)."""
    first = _free_block()
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_lease_and_die, args=(str(tmp_path), first, out))
    proc.start()
    assert out.get(timeout=60) == first
    proc.join(timeout=60)
    assert (tmp_path / f"port-{first}.lock").exists()  # the file stays; only the lock is gone
    leaser = PortLeaser(tmp_path, first_port=first, last_port=first + 8 * 16 - 1)
    assert leaser.lease(1).base_port == first
