"""An exclusive, non-blocking advisory ``flock`` on a file that holds its owner's pid.

The kernel drops an ``flock`` when its process dies (even on SIGKILL), so such a lock never outlives a
crash; the pid written into the file lets the refused process name the holder. It keeps one scheduler per
database (``scheduler/lock.py``) and one driver per sweep (``sweep/runner.py``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

from ..errors import StoreError

try:  # POSIX advisory locks; without them (Windows) exclusivity is the user's job
    import fcntl
except ImportError:  # pragma: no cover - Linux/macOS have fcntl
    fcntl = None  # type: ignore[assignment]  # acquire() does nothing when the module is missing


class PidLock:
    """The exclusive lock file ``path``, written with this process's pid while held.

    Args:
        path: the lock file (created if missing; never deleted, so that a waiting process and a new one
            always lock the same inode).
        busy: builds the error message from the holder's pid (``"unknown"`` when the file is empty).

    """

    def __init__(self, path: Path, busy: Callable[[str], str]) -> None:
        self.path = Path(path)
        self._busy = busy
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._handle is not None

    def acquire(self) -> None:
        """Take the lock (idempotent) and write this process's pid into the lock file.

        Raises:
            StoreError: another process holds it (``busy``'s message, naming its pid).

        """
        if self._handle is not None or fcntl is None:
            return
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise StoreError(self._busy(holder)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        """Drop the lock (idempotent)."""
        if self._handle is None:
            return
        with contextlib.suppress(OSError):
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
        self._handle.close()
        self._handle = None

    def __enter__(self) -> PidLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
