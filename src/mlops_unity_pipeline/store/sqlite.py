"""One short-lived SQLite connection per operation, optionally one write transaction (job store, registry)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
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


def create_or_check(
    path: Path,
    *,
    schema: str,
    tables: Sequence[str],
    label: str,
    error: type[Exception],
    recovery: str,
) -> None:
    """Create a store atomically when it does not exist; otherwise check that it holds ``tables``.

    A new store is built in a temporary file and hard-linked into place, so no process ever sees a half-made
    one, and a file that exists is never silently recreated: a store truncated to 0 bytes or a file without
    the expected tables is an error naming the file and ``recovery`` (an empty registry handed out version 1
    again, and a re-run job overwrote a registered version's folder).

    Args:
        path: the database file.
        schema: the ``CREATE TABLE`` script of a new store.
        tables: tables an existing store must have.
        label: what the store is, in errors (``"job store"``).
        error: the error type to raise.
        recovery: the sentence telling the user how to recover (with the command to run).

    Raises:
        Exception: ``error`` when the file is empty, not a database or lacks a table.

    """
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.new")
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(schema)
            finally:
                conn.close()  # the last connection checkpoints: the whole store is in ``tmp`` now
            try:
                os.link(tmp, path)  # fails if another process created the store first: then use theirs
            except FileExistsError:
                pass
            finally:
                tmp.unlink(missing_ok=True)
        except (OSError, sqlite3.Error) as exc:
            raise error(f"{label} {path} cannot be created: {exc}") from exc
    wal = path.with_name(path.name + "-wal")
    if path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size > 0):
        raise error(f"{label} {path} is empty (0 bytes): it was truncated. {recovery}")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=30.0)
        try:
            found = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise error(f"{label} {path} is corrupt or not a database ({exc}). {recovery}") from exc
    missing = [t for t in tables if t not in found]
    if missing:
        raise error(f"{label} {path} has no '{missing[0]}' table: it is not a {label}. {recovery}")


def recovery_hint(path: Path, consequence: str) -> str:
    """Return the recovery sentence for a broken store: restore it, or move it away (``mv``) and what follows.

    Args:
        path: the database file.
        consequence: what starting over means (``"version numbers restart at 1"``).

    Returns:
        The sentence, with the exact ``mv`` command.

    """
    return (
        f"Restore it from a backup, or move it away to start over: mv '{path}' '{path}.broken' "
        f"({consequence})"
    )
