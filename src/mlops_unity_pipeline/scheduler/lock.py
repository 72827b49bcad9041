"""One running scheduler per database: an advisory ``flock`` on ``<db>.lock`` holding the owner's pid.

The kernel drops an ``flock`` when its process dies (even on SIGKILL), so a lock can never outlive a crash,
and whoever holds it knows that fires left ``claimed``/``running`` in the database were orphaned.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO

from ..errors import StoreError

try:  # POSIX advisory locks; without them (Windows) one-scheduler-per-database is the user's job
    import fcntl
except ImportError:  # pragma: no cover - Linux/macOS have fcntl
    fcntl = None  # type: ignore[assignment]  # the lock is skipped when the module is missing


class DatabaseLock:
    """The exclusive, non-blocking lock of one scheduler database.

    Args:
        db_path: the scheduler database; the lock file is ``<db_path>.lock`` next to it.

    """

    def __init__(self, db_path: Path) -> None:
        # The lock file sits next to the *resolved* database: through a symlinked folder or file, two
        # schedulers on one database would otherwise lock two different files and both run.
        self.db_path = Path(db_path).resolve()
        self.path = self.db_path.with_name(self.db_path.name + ".lock")
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._handle is not None

    def acquire(self) -> None:
        """Take the lock (idempotent) and write this process's pid into the lock file.

        Raises:
            StoreError: when another process holds it (the message names its pid).

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
            raise StoreError(
                f"{self.db_path}: another scheduler (pid {holder}) is running on this database; stop it first"
            ) from None
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
