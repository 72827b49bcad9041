"""Content-addressed artifact store: files kept under their sha256, written atomically, verified on read."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError
from .files import storage_errors

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes.

    Args:
        path: the file.

    Returns:
        64 lowercase hex digits.

    Raises:
        StoreError: when the file cannot be read.

    """
    digest = hashlib.sha256()
    with storage_errors(f"reading {path}"), open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class ArtifactRef:
    """A stored artifact: its hash, where it lives and its size."""

    sha256: str
    """Hex sha256 of the content (the address)."""
    path: Path
    """``<root>/sha256/<first two hex>/<sha256>/<name>``."""
    size: int
    """Bytes."""

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict."""
        return {"sha256": self.sha256, "path": str(self.path), "size": self.size}


class ArtifactStore:
    """Files addressed by sha256 under ``root``; a stored file is never modified, and reads verify the hash.

    Writes copy into a temporary file inside ``root`` while hashing, fsync it, then rename it into place, so a
    crash or a full disk never leaves a half-written artifact at its address.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _dir_for(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise StoreError(f"artifact id must be 64 lowercase hex digits (a sha256), got {sha256!r}")
        return self.root / "sha256" / sha256[:2] / sha256

    def put_file(self, source: Path | str, name: str | None = None) -> ArtifactRef:
        """Store a copy of a file under its sha256 (idempotent: the same bytes give the same address).

        Args:
            source: the file to store.
            name: the file name to keep inside the address folder (default: the source's name).

        Returns:
            The stored artifact.

        Raises:
            StoreError: when the source cannot be read, or the store is unwritable or full.

        """
        source = Path(source)
        name = name or source.name
        if "/" in name or name in ("", ".", ".."):
            raise StoreError(f"artifact name must be a plain file name, got {name!r}")
        tmp_dir = self.root / "tmp"
        with storage_errors(f"storing {source} in {self.root}"):
            tmp_dir.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            size = 0
            fd, tmp = tempfile.mkstemp(dir=tmp_dir, suffix=".part")
            try:
                with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                    for chunk in iter(lambda: src.read(_CHUNK), b""):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                sha = digest.hexdigest()
                target_dir = self._dir_for(sha)
                target = target_dir / name
                target_dir.mkdir(parents=True, exist_ok=True)
                if target.exists() and sha256_file(target) == sha:
                    os.unlink(tmp)
                else:
                    os.replace(tmp, target)
                    os.chmod(target, 0o444)  # stored artifacts are immutable
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        return ArtifactRef(sha256=sha, path=target, size=size)

    def path_of(self, sha256: str) -> Path:
        """Return the stored file for a hash, after verifying its content.

        Args:
            sha256: the artifact's hash.

        Returns:
            The file's path.

        Raises:
            StoreError: when no artifact has that hash, or its bytes no longer match it (corruption).

        """
        folder = self._dir_for(sha256)
        files = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
        if not files:
            raise StoreError(f"artifact {sha256} not found in {self.root}")
        return self.verify(files[0], sha256)

    def verify(self, path: Path | str, sha256: str) -> Path:
        """Check that a file's bytes hash to ``sha256``.

        Args:
            path: the file.
            sha256: the expected hash.

        Returns:
            ``path``.

        Raises:
            StoreError: when the file is missing or its hash differs (names both hashes).

        """
        path = Path(path)
        if not path.is_file():
            raise StoreError(f"artifact {path} is missing")
        actual = sha256_file(path)
        if actual != sha256:
            raise StoreError(f"artifact {path} is corrupt: expected sha256 {sha256}, found {actual}")
        return path

    def copy_out(self, sha256: str, destination: Path | str) -> Path:
        """Copy a verified artifact to ``destination``.

        Args:
            sha256: the artifact's hash.
            destination: where to copy it.

        Returns:
            The destination path.

        """
        source = self.path_of(sha256)
        destination = Path(destination)
        with storage_errors(f"copying {source} to {destination}"):
            shutil.copyfile(source, destination)
        return destination
