"""The local model registry (SQLite under the workspace): the source of truth that mirrors follow.

One registered model per asset; versions are numbered 1, 2, 3 … and immutable (SQLite triggers refuse updates
and deletes); ``champion`` and ``candidate`` aliases move with a full history; a ``PromotionGate`` decides
whether a new version becomes champion.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import RegistryError, SpecError
from ..specs import validate_id
from ..store.artifacts import ArtifactStore
from ..store.sqlite import connect, create_or_check, recovery_hint
from .base import ALIASES, CANDIDATE, CHAMPION, AliasMove, ModelVersion, PromotionGate, RegistryMirror

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS models (asset_id TEXT PRIMARY KEY, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS versions (
    asset_id TEXT NOT NULL REFERENCES models(asset_id),
    version INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    model_path TEXT NOT NULL,
    metrics TEXT NOT NULL,
    job_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    artifact_dir TEXT NOT NULL,
    metadata_sha256 TEXT NOT NULL,
    PRIMARY KEY (asset_id, version)
);
CREATE TRIGGER IF NOT EXISTS versions_no_update BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'model versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS versions_no_delete BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'model versions are immutable'); END;
CREATE TABLE IF NOT EXISTS aliases (
    asset_id TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (asset_id, alias)
);
CREATE TABLE IF NOT EXISTS alias_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, asset_id TEXT NOT NULL, alias TEXT NOT NULL,
    from_version INTEGER, to_version INTEGER NOT NULL, moved_at REAL NOT NULL, reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS external_ids (
    asset_id TEXT NOT NULL, version INTEGER NOT NULL, mirror TEXT NOT NULL, ids TEXT NOT NULL,
    PRIMARY KEY (asset_id, version, mirror)
);
"""


class LocalRegistry:
    """Registered models under ``root`` (``registry.db``), their files in an ``ArtifactStore``.

    Args:
        root: the registry folder.
        artifacts: where the model files live (hashes are verified at registration and on ``model_file``).
        mirrors: external registries called after each registration and alias move.
        gate: the champion promotion rule.

    """

    def __init__(
        self,
        root: Path | str,
        artifacts: ArtifactStore,
        *,
        mirrors: Sequence[RegistryMirror] = (),
        gate: PromotionGate | None = None,
    ) -> None:
        self.root = Path(root)
        self.db_path = self.root / "registry.db"
        self.artifacts = artifacts
        self.mirrors = tuple(mirrors)
        self.gate = gate or PromotionGate()
        create_or_check(
            self.db_path,
            schema=_SCHEMA,
            tables=("models", "versions", "aliases", "alias_history", "external_ids"),
            label="registry",
            error=RegistryError,
            recovery=recovery_hint(
                self.db_path, "version numbers then restart at 1; the artifact store keeps every model file"
            ),
        )
        with self._connect(transaction=False) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    def _connect(self, transaction: bool = True) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return connect(
            self.db_path,
            transaction=transaction,
            label="registry",
            error=RegistryError,
            translate=self._error,
        )

    def _error(self, exc: sqlite3.Error) -> RegistryError:
        text = str(exc)
        if "not a database" in text or "malformed" in text:
            return RegistryError(f"registry {self.db_path} is corrupt ({text})")
        return RegistryError(f"registry {self.db_path}: {text}")

    # --- reading --------------------------------------------------------------------------------------------

    def _version(self, conn: sqlite3.Connection, row: tuple[Any, ...]) -> ModelVersion:
        asset_id, version = row[0], row[1]
        aliases = tuple(
            r[0]
            for r in conn.execute(
                "SELECT alias FROM aliases WHERE asset_id=? AND version=? ORDER BY alias", (asset_id, version)
            )
        )
        external = {
            r[0]: json.loads(r[1])
            for r in conn.execute(
                "SELECT mirror, ids FROM external_ids WHERE asset_id=? AND version=?", (asset_id, version)
            )
        }
        return ModelVersion(
            asset_id=asset_id,
            version=version,
            sha256=row[2],
            model_path=row[3],
            metrics=json.loads(row[4]),
            job_id=row[5],
            created_at=row[6],
            aliases=aliases,
            artifact_dir=row[7],
            metadata_sha256=row[8],
            external_ids=external,
        )

    def list_models(self) -> list[dict[str, Any]]:
        """Return one summary per registered model: asset id, version count, latest, champion, candidate."""
        with self._connect() as conn:
            out = []
            for (asset_id,) in conn.execute("SELECT asset_id FROM models ORDER BY asset_id").fetchall():
                count, latest = conn.execute(
                    "SELECT COUNT(*), MAX(version) FROM versions WHERE asset_id=?", (asset_id,)
                ).fetchone()
                aliases = dict(
                    conn.execute("SELECT alias, version FROM aliases WHERE asset_id=?", (asset_id,))
                )
                out.append(
                    {
                        "asset_id": asset_id,
                        "versions": count,
                        "latest_version": latest,
                        CHAMPION: aliases.get(CHAMPION),
                        CANDIDATE: aliases.get(CANDIDATE),
                    }
                )
            return out

    def list_versions(self, asset_id: str) -> list[ModelVersion]:
        """Return every version of an asset's model, oldest first.

        Raises:
            RegistryError: when the asset has no registered model.

        """
        with self._connect() as conn:
            self._require_model(conn, asset_id)
            rows = conn.execute(
                "SELECT * FROM versions WHERE asset_id=? ORDER BY version", (asset_id,)
            ).fetchall()
            return [self._version(conn, r) for r in rows]

    def get_version(self, asset_id: str, version: int | str) -> ModelVersion:
        """Return one version, by number or by alias (``champion``/``candidate``/``latest``).

        Raises:
            RegistryError: when the asset, version or alias does not exist.

        """
        with self._connect() as conn:
            self._require_model(conn, asset_id)
            number = self._resolve(conn, asset_id, version)
            row = conn.execute(
                "SELECT * FROM versions WHERE asset_id=? AND version=?", (asset_id, number)
            ).fetchone()
            if row is None:
                raise RegistryError(f"model '{asset_id}' has no version {version}")
            return self._version(conn, row)

    def alias_history(self, asset_id: str) -> list[AliasMove]:
        """Return every alias move of an asset's model, oldest first."""
        with self._connect() as conn:
            self._require_model(conn, asset_id)
            rows = conn.execute(
                "SELECT asset_id, alias, from_version, to_version, moved_at, reason FROM alias_history "
                "WHERE asset_id=? ORDER BY id",
                (asset_id,),
            ).fetchall()
        return [AliasMove(*r) for r in rows]

    def model_file(self, asset_id: str, version: int | str = CHAMPION) -> Path:
        """Return a version's ONNX file after verifying its sha256.

        Raises:
            RegistryError: when the version does not exist.
            StoreError: when the file is missing or corrupt.

        """
        found = self.get_version(asset_id, version)
        return self.artifacts.verify(found.model_path, found.sha256)

    def _require_model(self, conn: sqlite3.Connection, asset_id: str) -> None:
        if conn.execute("SELECT 1 FROM models WHERE asset_id=?", (asset_id,)).fetchone() is None:
            known = [r[0] for r in conn.execute("SELECT asset_id FROM models ORDER BY asset_id")]
            raise RegistryError(
                f"no registered model for asset '{asset_id}' (known: {', '.join(known) or 'none'})"
            )

    def _resolve(self, conn: sqlite3.Connection, asset_id: str, version: int | str) -> int:
        if isinstance(version, int) and not isinstance(version, bool):
            return version
        text = str(version)
        if text.isdigit():
            return int(text)
        if text == "latest":
            return int(
                conn.execute("SELECT MAX(version) FROM versions WHERE asset_id=?", (asset_id,)).fetchone()[0]
            )
        if text not in ALIASES:
            raise RegistryError(
                f"version must be a number, 'latest' or one of {', '.join(ALIASES)}, got {text!r}"
            )
        row = conn.execute(
            "SELECT version FROM aliases WHERE asset_id=? AND alias=?", (asset_id, text)
        ).fetchone()
        if row is None:
            raise RegistryError(f"model '{asset_id}' has no {text} yet")
        return int(row[0])

    # --- writing --------------------------------------------------------------------------------------------

    def _move_alias(
        self, conn: sqlite3.Connection, asset_id: str, alias: str, version: int, reason: str
    ) -> bool:
        row = conn.execute(
            "SELECT version FROM aliases WHERE asset_id=? AND alias=?", (asset_id, alias)
        ).fetchone()
        previous = row[0] if row else None
        if previous == version:
            return False
        conn.execute("INSERT OR REPLACE INTO aliases VALUES (?, ?, ?)", (asset_id, alias, version))
        conn.execute(
            "INSERT INTO alias_history (asset_id, alias, from_version, to_version, moved_at, reason) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (asset_id, alias, previous, version, time.time(), reason),
        )
        return True

    def register(
        self,
        asset_id: str,
        *,
        sha256: str,
        model_path: Path | str,
        metrics: dict[str, Any],
        job_id: str,
        artifact_dir: Path | str = "",
        metadata_sha256: str = "",
    ) -> tuple[ModelVersion, bool]:
        """Register a new version (idempotent per hash); move ``candidate`` and maybe ``champion``.

        A model whose sha256 is already registered for the asset (the same job resumed, or another job that
        produced byte-identical weights) is not a new version: the existing one is returned unchanged, so
        version numbers always mean different models.

        The model file must already be in the artifact store with this hash: it is verified first, so nothing
        half-written is ever registered. Mirrors are called after the local commit; a mirror's failure raises
        ``RegistryError`` but keeps the local version (re-running the call retries only the mirrors).

        Args:
            asset_id: the asset (registered model).
            sha256: the ONNX model's sha256.
            model_path: the ONNX file in the artifact store.
            metrics: evaluation metrics (the gate reads them).
            job_id: the producing job.
            artifact_dir: the job's package folder.
            metadata_sha256: sha256 of the job's ``metadata.json`` in the artifact store.

        Returns:
            ``(version, promoted)``: the registered version and whether it became champion.

        Raises:
            RegistryError: on a bad id, a mirror failure or an unreadable registry.
            StoreError: when the model file does not match its hash.

        """
        try:
            validate_id(asset_id, "asset_id")
        except SpecError as exc:
            raise RegistryError(str(exc)) from None
        self.artifacts.verify(model_path, sha256)
        promoted = False
        with self._connect() as conn:
            existing = conn.execute(
                "SELECT * FROM versions WHERE asset_id=? AND sha256=? ORDER BY version LIMIT 1",
                (asset_id, sha256),
            ).fetchone()
            other = conn.execute(
                "SELECT version, sha256 FROM versions "
                "WHERE asset_id=? AND artifact_dir=? AND artifact_dir!=''",
                (asset_id, str(artifact_dir)),
            ).fetchone()
            if existing is None and other is not None:
                # One package folder (one attempt of one job) registers at most one version, whatever the job
                # store says: two processes running the same attempt cannot both register.
                raise RegistryError(
                    f"{artifact_dir} is already registered as version {other[0]} of '{asset_id}' (sha256 "
                    f"{other[1][:12]}…); refusing a second version from the same job attempt"
                )
            if existing is not None:
                number = existing[1]
                if existing[5] != job_id:
                    log.info(
                        "model of job %s is identical to version %s of %s (job %s): not registered again",
                        job_id, number, asset_id, existing[5],
                    )  # fmt: skip
                promoted = (
                    conn.execute(
                        "SELECT 1 FROM aliases WHERE asset_id=? AND alias=? AND version=?",
                        (asset_id, CHAMPION, number),
                    ).fetchone()
                    is not None
                )
            else:
                now = time.time()
                conn.execute("INSERT OR IGNORE INTO models VALUES (?, ?)", (asset_id, now))
                number = int(
                    conn.execute(
                        "SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE asset_id=?", (asset_id,)
                    ).fetchone()[0]
                )
                conn.execute(
                    "INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        asset_id,
                        number,
                        sha256,
                        str(model_path),
                        json.dumps(metrics, sort_keys=True, default=str),
                        job_id,
                        now,
                        str(artifact_dir),
                        metadata_sha256,
                    ),
                )
                self._move_alias(conn, asset_id, CANDIDATE, number, f"registered by job {job_id}")
                champion_row = conn.execute(
                    "SELECT v.metrics FROM aliases a JOIN versions v "
                    "ON v.asset_id=a.asset_id AND v.version=a.version "
                    "WHERE a.asset_id=? AND a.alias=?",
                    (asset_id, CHAMPION),
                ).fetchone()
                champion_metrics = json.loads(champion_row[0]) if champion_row else None
                promoted, reason = self.gate.decide(metrics, champion_metrics)
                if promoted:
                    self._move_alias(conn, asset_id, CHAMPION, number, f"promotion gate: {reason}")
                else:
                    log.info("version %s of %s stays candidate: %s", number, asset_id, reason)
            version = self._version(
                conn,
                conn.execute(
                    "SELECT * FROM versions WHERE asset_id=? AND version=?", (asset_id, number)
                ).fetchone(),
            )
        version = self._notify_mirrors(version, promoted)
        return version, promoted

    def _notify_mirrors(self, version: ModelVersion, promoted: bool) -> ModelVersion:
        errors = []
        for mirror in self.mirrors:
            if mirror.name in version.external_ids:
                continue  # already mirrored by an earlier (resumed) attempt
            try:
                ids = mirror.on_registered(version, Path(version.artifact_dir)) or {}
                with self._connect() as conn:
                    conn.execute(
                        "INSERT OR REPLACE INTO external_ids VALUES (?, ?, ?, ?)",
                        (version.asset_id, version.version, mirror.name, json.dumps(ids, default=str)),
                    )
                for alias in version.aliases:
                    mirror.on_alias_moved(version.asset_id, alias, version)
            except (
                Exception
            ) as exc:  # a mirror is foreign code: any failure is reported, none is fatal locally
                errors.append(f"{mirror.name}: {exc}")
        if errors:
            raise RegistryError(
                f"version {version.version} of '{version.asset_id}' is registered locally, "
                f"but mirroring failed: " + "; ".join(errors)
            )
        return self.get_version(version.asset_id, version.version) if self.mirrors else version

    def promote(
        self, asset_id: str, version: int | str, *, alias: str = CHAMPION, reason: str = "manual"
    ) -> ModelVersion:
        """Point an alias at a version by hand (bypasses the gate), record it and tell the mirrors.

        Args:
            asset_id: the asset.
            version: the version number (or an alias/``latest`` to resolve).
            alias: ``champion`` or ``candidate``.
            reason: recorded in the alias history.

        Returns:
            The version, with its aliases updated.

        Raises:
            RegistryError: on an unknown asset, version or alias, or a mirror failure.

        """
        if alias not in ALIASES:
            raise RegistryError(f"alias must be one of {', '.join(ALIASES)}, got {alias!r}")
        with self._connect() as conn:
            self._require_model(conn, asset_id)
            number = self._resolve(conn, asset_id, version)
            if (
                conn.execute(
                    "SELECT 1 FROM versions WHERE asset_id=? AND version=?", (asset_id, number)
                ).fetchone()
                is None
            ):
                raise RegistryError(f"model '{asset_id}' has no version {version}")
            self._move_alias(conn, asset_id, alias, number, reason)
        found = self.get_version(asset_id, number)
        errors = []
        for mirror in self.mirrors:
            try:
                mirror.on_alias_moved(asset_id, alias, found)
            except Exception as exc:  # foreign code; reported below
                errors.append(f"{mirror.name}: {exc}")
        if errors:
            raise RegistryError(
                f"{alias} of '{asset_id}' moved to v{number} locally, but mirroring failed: "
                + "; ".join(errors)
            )
        return found
