"""``TrainingJob``: one asset trained with one config, where it runs (the guide's ``TrainingJob``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._validate import validate_id
from ..errors import SpecError
from ._common import _check_keys
from .asset import UnityAssetSpec
from .execution import ExecutionSpec
from .training import RLTrainingConfig


@dataclass(frozen=True)
class TrainingJob:
    """One asset trained with one config (the guide's ``TrainingJob``)."""

    job_id: str
    """Safe id (``validate_id``); the job's folder under ``<workspace>/jobs/``."""
    asset_spec: UnityAssetSpec
    """What to generate and train."""
    rl_config: RLTrainingConfig = field(default_factory=RLTrainingConfig)
    """How to train."""
    execution: ExecutionSpec = field(default_factory=ExecutionSpec)
    """Where it runs: locally (default) or as a Ray task with resources and bounded retries."""

    def __post_init__(self) -> None:
        validate_id(self.job_id, "job_id")
        object.__setattr__(self, "execution", ExecutionSpec.from_dict(self.execution))
        if isinstance(self.asset_spec, Mapping):
            object.__setattr__(self, "asset_spec", UnityAssetSpec.from_dict(self.asset_spec))
        if not isinstance(self.asset_spec, UnityAssetSpec):
            raise SpecError(f"asset_spec: expected a UnityAssetSpec, got {type(self.asset_spec).__name__}")
        if isinstance(self.rl_config, Mapping):
            object.__setattr__(self, "rl_config", RLTrainingConfig.from_dict(self.rl_config))
        if not isinstance(self.rl_config, RLTrainingConfig):
            raise SpecError(f"rl_config: expected an RLTrainingConfig, got {type(self.rl_config).__name__}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "job") -> TrainingJob:
        """Build from a mapping (``job_id``, ``asset_spec``, ``rl_config``), rejecting unknown keys.

        Args:
            data: the mapping (e.g. parsed YAML).
            where: how to name this mapping in errors.

        Returns:
            The validated job.

        Raises:
            SpecError: on an unknown key, a missing key or a bad value (names the field).

        """
        data = _check_keys(
            data,
            ("job_id", "asset_spec", "rl_config", "execution"),
            where,
            required=("job_id", "asset_spec"),
        )
        return cls(
            job_id=data["job_id"],
            asset_spec=UnityAssetSpec.from_dict(data["asset_spec"]),
            rl_config=RLTrainingConfig.from_dict(data.get("rl_config") or {}),
            execution=ExecutionSpec.from_dict(data.get("execution") or {}),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON/YAML-ready dict that ``from_dict`` loads back equal."""
        out = {
            "job_id": self.job_id,
            "asset_spec": self.asset_spec.to_dict(),
            "rl_config": self.rl_config.to_dict(),
        }
        if self.execution != ExecutionSpec():  # jobs that run locally keep their record unchanged
            out["execution"] = self.execution.to_dict()
        return out
