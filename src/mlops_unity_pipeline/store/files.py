"""Atomic file writes and the translation of OS errors (full disk, permissions) into ``StoreError``."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..redact import redact_data


@contextlib.contextmanager
def storage_errors(what: str) -> Iterator[None]:
    """Turn ``OSError`` raised inside the block into a ``StoreError`` that says what was being done and why.

    Args:
        what: what the block does, e.g. ``"writing /ws/jobs/a/metadata.json"``.

    Raises:
        StoreError: for a full disk, a permission problem, a read-only file system or any other OS error.

    """
    try:
        yield
    except StoreError:
        raise
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            reason = "no space left on device (free some disk space and resume the job)"
        elif exc.errno in (errno.EACCES, errno.EPERM):
            reason = "permission denied (choose a writable workspace with --workspace)"
        elif exc.errno == errno.EROFS:
            reason = "read-only file system (choose a writable workspace with --workspace)"
        else:
            reason = exc.strerror or str(exc)
        raise StoreError(f"{what}: {reason}") from exc


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see either the old file or the whole new one, never a part.

    The bytes go to a temporary file in the same folder, are fsync'ed, then renamed over ``path`` (rename is
    atomic on POSIX within one file system).

    Args:
        path: the destination.
        data: the content.

    Returns:
        ``path``.

    Raises:
        StoreError: when the folder is not writable or the disk is full.

    """
    path = Path(path)
    with storage_errors(f"writing {path}"):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 text atomically (see ``write_bytes_atomic``).

    Args:
        path: the destination.
        text: the content.

    Returns:
        ``path``.

    """
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: Path, obj: Any) -> Path:
    """Write an object as indented, key-sorted JSON atomically.

    Args:
        path: the destination.
        obj: a JSON-serializable object (paths are written as strings; configured secrets are redacted).

    Returns:
        ``path``.

    """
    return write_text_atomic(path, json.dumps(redact_data(obj), indent=2, sort_keys=True, default=str) + "\n")


def ensure_writable_dir(path: Path, what: str = "workspace") -> Path:
    """Create ``path`` if needed and check that files can be created in it.

    Args:
        path: the folder.
        what: how to name it in errors.

    Returns:
        The resolved folder.

    Raises:
        StoreError: when it cannot be created or written (names the folder and the reason).

    """
    path = Path(path).expanduser()
    if path.exists() and not path.is_dir():
        raise StoreError(f"{what} {path}: exists and is not a folder")
    with storage_errors(f"{what} {path} is not usable"):
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-probe.", dir=path)
        os.close(fd)
        os.unlink(probe)
    return path.resolve()
