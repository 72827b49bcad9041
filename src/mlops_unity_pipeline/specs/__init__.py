"""What users write: asset specs, training configs, jobs and schedules; strict validation, YAML/JSON loading.

Every spec is a frozen dataclass validated in ``__post_init__``: a bad field raises ``SpecError`` naming the
field and what was expected. ``from_dict`` rejects unknown keys (ML-Agents' ``strict_to_cls`` behaviour) and
``to_dict`` gives a JSON/YAML-ready dict that loads back equal.

The package, by concern: ``asset.py`` (``UnityAssetSpec``), ``training.py`` (``RLTrainingConfig``) and
``enums.py`` (its algorithm and backends), ``mlagents.py`` (the mapping onto ML-Agents' trainer
configuration), ``execution.py`` (where jobs run), ``job.py`` (``TrainingJob``), ``schedule.py``
(``TrainingSchedule``) and ``loading.py`` (spec files). Everything stays importable from
``mlops_unity_pipeline.specs``.
"""

from __future__ import annotations

# The id pattern, converters and merge are the package's one strict-loading helper set (``_validate``);
# ``ID_PATTERN``, ``validate_id``, ``deep_merge`` and ``load_mapping`` stay importable from here.
from .._validate import ID_PATTERN, deep_merge, validate_id
from .asset import MAX_ACTION_SIZE, MAX_OBSERVATION_SIZE, ActionType, AssetType, UnityAssetSpec
from .enums import (
    TRAINER_BACKEND_ALIASES,
    TRAINER_TYPES,
    Algorithm,
    BuildBackend,
    CodegenProvider,
    TrainerBackend,
)
from .execution import ExecutionSpec, Executor, resolve_executor
from .job import TrainingJob
from .loading import load_asset, load_job, load_mapping, load_schedule
from .mlagents import BASE_BEHAVIOR_SETTINGS
from .schedule import OverlapPolicy, TrainingSchedule
from .training import RLTrainingConfig

__all__ = [
    "BASE_BEHAVIOR_SETTINGS",
    "ID_PATTERN",
    "MAX_ACTION_SIZE",
    "MAX_OBSERVATION_SIZE",
    "TRAINER_BACKEND_ALIASES",
    "TRAINER_TYPES",
    "ActionType",
    "Algorithm",
    "AssetType",
    "BuildBackend",
    "CodegenProvider",
    "ExecutionSpec",
    "Executor",
    "OverlapPolicy",
    "RLTrainingConfig",
    "TrainerBackend",
    "TrainingJob",
    "TrainingSchedule",
    "UnityAssetSpec",
    "deep_merge",
    "load_asset",
    "load_job",
    "load_mapping",
    "load_schedule",
    "resolve_executor",
    "validate_id",
]
