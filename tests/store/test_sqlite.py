"""The shared SQLite connection helper: commit, rollback, setup statements and error translation."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.errors import StoreError
from mlops_unity_pipeline.store.sqlite import connect


def session(path, transaction=True, **kwargs):
    return connect(
        path,
        transaction=transaction,
        label="test db",
        error=StoreError,
        translate=lambda exc: StoreError(f"translated: {exc}"),
        **kwargs,
    )


def test_commits_on_success_and_rolls_back_on_error(tmp_path):
    """A body that returns is committed; one that raises leaves nothing behind and re-raises as is."""
    path = tmp_path / "sub" / "t.db"
    with session(path, transaction=False) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
    with session(path) as conn:
        conn.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(KeyError), session(path) as conn:
        conn.execute("INSERT INTO t VALUES (2)")
        raise KeyError("boom")
    with session(path, transaction=False) as conn:
        assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_sqlite_errors_are_translated_and_rolled_back(tmp_path):
    """A SQLite error in the body goes through ``translate`` and the transaction is rolled back."""
    path = tmp_path / "t.db"
    with session(path, transaction=False) as conn:
        conn.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
    with pytest.raises(StoreError, match="translated: UNIQUE constraint failed"), session(path) as conn:
        conn.execute("INSERT INTO t VALUES (1)")
        conn.execute("INSERT INTO t VALUES (1)")
    with session(path, transaction=False) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_setup_statements_run_on_every_connection(tmp_path):
    """``setup`` runs before the body (here: foreign keys on)."""
    with session(tmp_path / "t.db", setup=("PRAGMA foreign_keys=ON",)) as conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    with session(tmp_path / "t.db") as conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (0,)


def test_unopenable_file_raises_the_callers_error(tmp_path):
    """A path that cannot be a database folder gives ``error`` naming the label and the path."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    expected = r"test db .*file[/\\]t\.db cannot be opened"
    with pytest.raises(StoreError, match=expected), session(blocker / "t.db"):
        pass
