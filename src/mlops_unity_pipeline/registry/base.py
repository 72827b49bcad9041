"""Registry records and the extension points: ``ModelVersion``, ``RegistryMirror``, ``PromotionGate``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..errors import SpecError

CHAMPION = "champion"
"""The alias serving traffic: the best evaluated version."""
CANDIDATE = "candidate"
"""The alias of the newest version that has not (yet) beaten the champion."""
ALIASES = (CHAMPION, CANDIDATE)


@dataclass(frozen=True)
class ModelVersion:
    """One immutable, numbered version of an asset's registered model."""

    asset_id: str
    """The registered model (one per asset)."""
    version: int
    """1, 2, 3 … in registration order."""
    sha256: str
    """sha256 of the ONNX model (its address in the artifact store)."""
    model_path: str
    """The ONNX file in the artifact store."""
    metrics: dict[str, Any]
    """Evaluation metrics (``eval/mean_reward`` …) recorded at registration."""
    job_id: str
    """The job that produced it."""
    created_at: float
    """Unix time of registration."""
    aliases: tuple[str, ...] = ()
    """Aliases pointing at it now (``champion``/``candidate``)."""
    artifact_dir: str = ""
    """The job's package folder (metadata.json, report, config)."""
    metadata_sha256: str = ""
    """sha256 of its ``metadata.json`` in the artifact store."""
    external_ids: dict[str, Any] = field(default_factory=dict)
    """What each mirror returned (e.g. MLflow model version, Vertex resource name), by mirror name."""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "asset_id": self.asset_id,
            "version": self.version,
            "sha256": self.sha256,
            "model_path": self.model_path,
            "metrics": self.metrics,
            "job_id": self.job_id,
            "created_at": self.created_at,
            "aliases": list(self.aliases),
            "artifact_dir": self.artifact_dir,
            "metadata_sha256": self.metadata_sha256,
            "external_ids": self.external_ids,
        }


@dataclass(frozen=True)
class AliasMove:
    """One entry of an asset's alias history."""

    asset_id: str
    alias: str
    from_version: int | None
    to_version: int
    moved_at: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "asset_id": self.asset_id,
            "alias": self.alias,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "moved_at": self.moved_at,
            "reason": self.reason,
        }


@runtime_checkable
class RegistryMirror(Protocol):
    """An external registry kept in step with the local one (MLflow, Vertex AI); local is the truth."""

    name: str

    def on_registered(self, version: ModelVersion, artifact_dir: Path) -> dict[str, Any]:
        """Copy a new version out; return the external ids to record (e.g. ``{"model_version": "3"}``)."""
        ...

    def on_alias_moved(self, asset_id: str, alias: str, version: ModelVersion) -> None:
        """Move the same alias in the external registry."""
        ...


@dataclass(frozen=True)
class PromotionGate:
    """Decides whether a new version replaces the champion.

    The default: the new version's ``eval/mean_reward`` must beat the champion's by more than ``min_delta``
    (a first version always becomes champion). ``enabled=False`` promotes every new version.
    """

    metric: str = "eval/mean_reward"
    """Metric compared (a key of the version's metrics)."""
    higher_is_better: bool = True
    """Direction of the comparison."""
    min_delta: float = 0.0
    """How much better the new version must be."""
    require_beats_baseline: bool = True
    """Also require ``eval/mean_reward`` above ``baseline/mean_reward`` (random policy) when both exist."""
    enabled: bool = True
    """False: every new version becomes champion."""

    def __post_init__(self) -> None:
        if not isinstance(self.metric, str) or not self.metric:
            raise SpecError("promotion_gate.metric: expected a metric name")
        if (
            not isinstance(self.min_delta, (int, float))
            or not math.isfinite(self.min_delta)
            or self.min_delta < 0
        ):
            raise SpecError(f"promotion_gate.min_delta: expected a number >= 0, got {self.min_delta!r}")

    def decide(self, new: dict[str, Any], champion: dict[str, Any] | None) -> tuple[bool, str]:
        """Decide whether ``new`` becomes champion.

        Args:
            new: the new version's metrics.
            champion: the current champion's metrics, or None when there is none.

        Returns:
            ``(promote, reason)``.

        """
        if not self.enabled:
            return True, "promotion gate disabled"
        value = new.get(self.metric)
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            return False, f"metric '{self.metric}' missing from the new version's evaluation"
        if self.require_beats_baseline:
            baseline = new.get("baseline/mean_reward")
            mean = new.get("eval/mean_reward")
            if isinstance(baseline, (int, float)) and isinstance(mean, (int, float)) and mean <= baseline:
                return False, f"eval/mean_reward {mean:.4g} does not beat the random baseline {baseline:.4g}"
        if champion is None:
            return True, "first version to pass the gate"
        current = champion.get(self.metric)
        if not isinstance(current, (int, float)) or not math.isfinite(current):
            return True, f"the champion has no '{self.metric}'"
        better = value - current if self.higher_is_better else current - value
        if better > self.min_delta:
            return True, f"{self.metric} {value:.4g} beats the champion's {current:.4g}"
        return (
            False,
            f"{self.metric} {value:.4g} does not beat the champion's {current:.4g} "
            f"(min delta {self.min_delta})",
        )
