"""Optuna for sweeps: importing it (an optional extra) and opening a study's SQLite storage."""

from __future__ import annotations

from typing import Any

from ..errors import MissingExtraError


def require_optuna() -> Any:
    """Import Optuna (quietened to warnings), or say which extra installs it."""
    try:
        import optuna  # optional
    except ImportError:
        raise MissingExtraError("sweep", "mlops-unity sweep") from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


def rdb_storage(url: str) -> Any:
    """Return Optuna's RDB storage at ``url``, waiting up to 60 s for SQLite's write lock.

    Several worker processes report into the same SQLite file: a busy database must make them wait, not fail.
    """
    optuna = require_optuna()
    return optuna.storages.RDBStorage(url, engine_kwargs={"connect_args": {"timeout": 60}})
