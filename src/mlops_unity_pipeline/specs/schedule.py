"""``TrainingSchedule``: recurrent training on a cron expression (the guide's), and its ``OverlapPolicy``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from .._validate import short, validate_id
from ..errors import ScheduleError, SpecError
from ._common import _bool, _check_keys, _choice, _int, _str, _v
from .asset import UnityAssetSpec
from .execution import ExecutionSpec
from .training import RLTrainingConfig


class OverlapPolicy(StrEnum):
    """What a schedule does when it fires while its previous run is still going."""

    SKIP = "skip"
    """Do not start a new run (default)."""
    QUEUE = "queue"
    """Start the new run after the previous one finishes."""
    ALLOW = "allow"
    """Start the new run right away, next to the previous one."""


@dataclass(frozen=True)
class TrainingSchedule:
    """Recurrent training of one or more assets on a cron expression (the guide's ``TrainingSchedule``)."""

    schedule_id: str
    """Safe id (``validate_id``)."""
    cron_expression: str
    """Five-field cron expression (or an ``@daily``-style macro), e.g. ``"0 2 * * *"`` for 02:00 every day."""
    asset_specs: list[UnityAssetSpec]
    """Assets trained at each fire (one job per asset)."""
    rl_config: RLTrainingConfig = field(default_factory=RLTrainingConfig)
    """How each job trains."""
    timezone: str = "UTC"
    """IANA time zone the cron expression is read in."""
    misfire_grace_seconds: int = 3600
    """A fire missed (scheduler down) by at most this long still runs once; older ones are skipped."""
    overlap_policy: OverlapPolicy = OverlapPolicy.SKIP
    """``skip``, ``queue`` or ``allow`` (see ``OverlapPolicy``)."""
    enabled: bool = True
    """Paused schedules keep their state but do not fire."""
    execution: ExecutionSpec = field(default_factory=ExecutionSpec)
    """Where each fire's jobs run (``executor: ray`` dispatches them to the cluster)."""

    def __post_init__(self) -> None:
        validate_id(self.schedule_id, "schedule_id")
        object.__setattr__(self, "execution", ExecutionSpec.from_dict(self.execution))
        object.__setattr__(self, "cron_expression", _v.validate_cron(self.cron_expression))
        if not isinstance(self.asset_specs, (list, tuple)) or not self.asset_specs:
            raise SpecError("asset_specs: expected a non-empty list of asset specs")
        specs = [
            UnityAssetSpec.from_dict(a, f"asset_specs[{i}]") if isinstance(a, Mapping) else a
            for i, a in enumerate(self.asset_specs)
        ]
        for i, spec in enumerate(specs):
            if not isinstance(spec, UnityAssetSpec):
                raise SpecError(f"asset_specs[{i}]: expected a UnityAssetSpec, got {type(spec).__name__}")
        ids = [s.asset_id for s in specs]
        if len(set(ids)) != len(ids):
            raise SpecError(f"asset_specs: asset ids must be unique, got {ids}")
        object.__setattr__(self, "asset_specs", specs)
        if isinstance(self.rl_config, Mapping):
            object.__setattr__(self, "rl_config", RLTrainingConfig.from_dict(self.rl_config))
        if not isinstance(self.rl_config, RLTrainingConfig):
            raise SpecError(f"rl_config: expected an RLTrainingConfig, got {type(self.rl_config).__name__}")
        _str(self.timezone, "timezone", allow_empty=False)
        try:
            ZoneInfo(self.timezone)
        except Exception as exc:  # ZoneInfoNotFoundError, ValueError on odd keys
            raise ScheduleError(
                f"timezone: unknown time zone {short(self.timezone)} (expected an IANA name)"
            ) from exc
        object.__setattr__(
            self,
            "misfire_grace_seconds",
            _int(self.misfire_grace_seconds, "misfire_grace_seconds", minimum=0),
        )
        object.__setattr__(
            self, "overlap_policy", _choice(self.overlap_policy, OverlapPolicy, "overlap_policy")
        )
        _bool(self.enabled, "enabled")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "schedule") -> TrainingSchedule:
        """Build from a mapping, rejecting unknown keys.

        Args:
            data: the mapping (e.g. parsed YAML).
            where: how to name this mapping in errors.

        Returns:
            The validated schedule.

        Raises:
            SpecError: on an unknown key, a missing key or a bad value.

        """
        names = tuple(f.name for f in fields(cls))
        data = _check_keys(data, names, where, required=("schedule_id", "cron_expression", "asset_specs"))
        if "rl_config" in data and isinstance(data["rl_config"], Mapping):
            data["rl_config"] = RLTrainingConfig.from_dict(data["rl_config"])
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON/YAML-ready dict that ``from_dict`` loads back equal."""
        return {
            "schedule_id": self.schedule_id,
            "cron_expression": self.cron_expression,
            "asset_specs": [a.to_dict() for a in self.asset_specs],
            "rl_config": self.rl_config.to_dict(),
            "timezone": self.timezone,
            "misfire_grace_seconds": self.misfire_grace_seconds,
            "overlap_policy": self.overlap_policy.value,
            "enabled": self.enabled,
            **({"execution": self.execution.to_dict()} if self.execution != ExecutionSpec() else {}),
        }
