"""Leasing ``--base-port`` ranges so concurrent ``mlagents-learn`` jobs never pick the same ports.

``mlagents-learn`` binds ``base_port + worker_id`` for each of its ``num_envs`` workers (ML-Agents
``environment.py``). Two jobs with the same base port fail with "worker number … is still in use". A lease is
an exclusive ``flock`` on ``<lock_dir>/port-<base>.lock``, held by an open file for as long as the job runs:
the OS drops it when the holder exits, even on a crash, so a lease can never go stale. Ports other programs
already listen on are skipped too (checked by binding them).
"""

from __future__ import annotations

import errno
import os
import socket
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..errors import TrainError

#: mlagents-learn's default base port for executables (UnityEnvironment.BASE_ENVIRONMENT_PORT).
DEFAULT_FIRST_PORT = 5005
#: Leases are aligned to blocks of this many ports, so ranges of different jobs never overlap.
DEFAULT_BLOCK = 16
DEFAULT_LAST_PORT = 5005 + 64 * DEFAULT_BLOCK - 1
#: Environment variable overriding the machine-wide port lock folder.
PORT_LOCK_ENV_VAR = "MLOPS_PORT_LOCK_DIR"

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@dataclass
class PortLease:
    """An exclusive lease on ports ``base_port … base_port + num_ports - 1``; release it (or use ``with``).

    Attributes:
        base_port: the first port (pass as ``--base-port``).
        num_ports: how many consecutive ports are held.
        lock_path: the lock file that holds the lease.

    """

    base_port: int
    num_ports: int
    lock_path: Path
    _handle: IO[str] | None = field(default=None, repr=False)

    @property
    def ports(self) -> range:
        """The leased ports."""
        return range(self.base_port, self.base_port + self.num_ports)

    @property
    def active(self) -> bool:
        """Whether the lease is still held."""
        return self._handle is not None

    def release(self) -> None:
        """Give the ports back (idempotent)."""
        if self._handle is not None:
            try:
                _unlock(self._handle)
            finally:
                self._handle.close()
                self._handle = None

    def __enter__(self) -> PortLease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def port_is_free(port: int, host: str = "") -> bool:
    """Return True if nothing listens on ``port`` (a bind on all interfaces succeeds).

    Args:
        port: the TCP port.
        host: the interface to test ("" = all, like mlagents-learn's ``[::]:port``).

    Returns:
        Whether the port can be bound now.

    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


class PortLeaser:
    """Hands out non-overlapping, block-aligned port ranges, coordinated through lock files in ``lock_dir``.

    Every process that uses the same ``lock_dir`` (the pipeline uses ``<workspace>/locks/ports``) gets
    disjoint ranges; the lock dir is the whole protocol, no server needed.
    """

    def __init__(
        self,
        lock_dir: Path,
        *,
        first_port: int = DEFAULT_FIRST_PORT,
        last_port: int = DEFAULT_LAST_PORT,
        block: int = DEFAULT_BLOCK,
        check_bind: bool = True,
    ) -> None:
        """Create a leaser.

        Args:
            lock_dir: the folder holding the lock files (created if needed).
            first_port: the lowest port handed out.
            last_port: the highest port handed out.
            block: the alignment of leases (ports per block).
            check_bind: skip ranges where some port is already bound by another program.

        Raises:
            TrainError: an invalid port range.

        """
        if not (1024 <= first_port <= last_port <= 65535):
            raise TrainError(f"port range {first_port}-{last_port}: expected 1024 <= first <= last <= 65535")
        if block < 1:
            raise TrainError(f"port block: expected >= 1, got {block}")
        self.lock_dir = Path(lock_dir)
        self.first_port = first_port
        self.last_port = last_port
        self.block = block
        self.check_bind = check_bind

    def lease(self, num_ports: int) -> PortLease:
        """Lease ``num_ports`` consecutive ports (rounded up to whole blocks).

        Args:
            num_ports: how many ports are needed (``num_envs`` for mlagents-learn).

        Returns:
            The held ``PortLease``.

        Raises:
            TrainError: ``num_ports`` < 1, or every range is leased or in use (names the lock dir).

        """
        if num_ports < 1:
            raise TrainError(f"num_ports: expected >= 1, got {num_ports}")
        self.lock_dir.mkdir(parents=True, exist_ok=True)
        blocks = -(-num_ports // self.block)
        span = blocks * self.block
        base = self.first_port
        while base + span - 1 <= self.last_port:
            lease = self._try_range(base, blocks, num_ports)
            if lease is not None:
                return lease
            base += self.block
        raise TrainError(
            f"no free port range of {num_ports} port(s) between {self.first_port} and {self.last_port}: "
            f"all are leased by running jobs (locks in {self.lock_dir}) or bound by other programs; "
            "fix: wait for a job to finish, lower num_envs, or widen the port range"
        )

    def _try_range(self, base: int, blocks: int, num_ports: int) -> PortLease | None:
        # A multi-block lease locks every block it covers, so a later single-block lease cannot overlap it.
        handles: list[IO[str]] = []
        for i in range(blocks):
            handle = (self.lock_dir / f"port-{base + i * self.block}.lock").open("a+", encoding="utf-8")
            if not _try_lock(handle):
                handle.close()
                break
            handles.append(handle)
        else:
            if not self.check_bind or all(port_is_free(p) for p in range(base, base + num_ports)):
                head, rest = handles[0], handles[1:]
                head.seek(0)
                head.truncate()
                head.write(f"{os.getpid()}\n")
                head.flush()
                lease = _MultiLease(base, num_ports, Path(head.name), head, rest)
                return lease
        for handle in handles:
            _unlock(handle)
            handle.close()
        return None


class _MultiLease(PortLease):
    """A lease over several blocks: releases every block's lock."""

    def __init__(self, base: int, num_ports: int, path: Path, head: IO[str], rest: list[IO[str]]) -> None:
        super().__init__(base_port=base, num_ports=num_ports, lock_path=path, _handle=head)
        self._rest = rest

    def release(self) -> None:
        """Give the ports back (idempotent)."""
        for handle in self._rest:
            try:
                _unlock(handle)
            finally:
                handle.close()
        self._rest = []
        super().release()


def default_port_lock_dir(env: Mapping[str, str] | None = None) -> Path:
    """Return the port lock folder: ``MLOPS_PORT_LOCK_DIR`` or ``<tmp>/mlops_unity_pipeline/ports``.

    Machine-wide by default because ports are: two workspaces on one machine must not collide either.

    Args:
        env: environment variables (``os.environ`` by default).

    Returns:
        The folder.

    """
    env = os.environ if env is None else env
    explicit = env.get(PORT_LOCK_ENV_VAR, "").strip()
    return Path(explicit) if explicit else Path(tempfile.gettempdir()) / "mlops_unity_pipeline" / "ports"
