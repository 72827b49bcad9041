"""One running scheduler per database: a ``PidLock`` on ``<db>.lock`` (``store/pidlock.py``).

Whoever holds it knows that fires left ``claimed``/``running`` in the database were orphaned: the lock
cannot outlive the process that held it.
"""

from __future__ import annotations

from pathlib import Path

from ..store.pidlock import PidLock


class DatabaseLock(PidLock):
    """The exclusive, non-blocking lock of one scheduler database.

    Args:
        db_path: the scheduler database; the lock file is ``<db_path>.lock`` next to it.

    """

    def __init__(self, db_path: Path) -> None:
        # The lock file sits next to the *resolved* database: through a symlinked folder or file, two
        # schedulers on one database would otherwise lock two different files and both run.
        self.db_path = Path(db_path).resolve()
        super().__init__(
            self.db_path.with_name(self.db_path.name + ".lock"),
            lambda holder: (
                f"{self.db_path}: another scheduler (pid {holder}) is running on this database; stop it first"
            ),
        )
