"""One short-lived SQLite connection per operation, optionally one write transaction (job store, registry)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path


@contextlib.contextmanager
def connect(
    path: Path,
    *,
    transaction: bool,
    label: str,
    error: type[Exception],
    translate: Callable[[sqlite3.Error], Exception],
    setup: Sequence[str] = (),
) -> Iterator[sqlite3.Connection]:
    """Open ``path`` (creating its folder), run ``setup``, and yield the connection; always close it.

    With ``transaction`` the body runs in one ``BEGIN IMMEDIATE`` transaction: committed when it returns,
    rolled back when it raises.

    Args:
        path: the database file.
        transaction: wrap the body in one write transaction.
        label: what the database is, for the open error (``"job store"``).
        error: the error type raised when the file cannot be opened.
        translate: turns a SQLite error raised while in use into the caller's error.
        setup: statements run first on every connection (e.g. ``PRAGMA foreign_keys=ON``).

    Yields:
        The connection (autocommit mode: ``isolation_level=None``).

    Raises:
        Exception: ``error`` when the file cannot be opened, ``translate(exc)`` on a SQLite error.

    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise error(f"{label} {path} cannot be opened: {exc}") from exc
    try:
        for statement in setup:
            conn.execute(statement)
        if transaction:
            conn.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlocks between writers
        yield conn
        if transaction:
            conn.execute("COMMIT")
    except sqlite3.Error as exc:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise translate(exc) from exc
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
