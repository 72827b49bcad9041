"""The package's public surface is pinned (httpx-style): the guide's names and the error classes."""

from __future__ import annotations

import mlops_unity_pipeline as pkg

EXPECTED = [
    "BuildError",
    "CodegenError",
    "ConfigError",
    "DemoFormatError",
    "ExportError",
    "InvalidAction",
    "InvalidTransition",
    "JobCancelled",
    "MissingExtraError",
    "PipelineError",
    "ProtocolError",
    "RLTrainingConfig",
    "RegistryError",
    "ResetNeeded",
    "ScheduleError",
    "SpecError",
    "StageError",
    "StoreError",
    "TrainError",
    "TrainingJob",
    "TrainingSchedule",
    "TrainingScheduler",
    "UnityAssetSpec",
    "UnityMLOpsOrchestrator",
]


def test_all_is_pinned_and_sorted():
    """__all__ lists exactly the documented names, sorted."""
    assert pkg.__all__ == EXPECTED
    assert pkg.__all__ == sorted(pkg.__all__)


def test_every_public_name_resolves():
    """Every name in __all__ is importable from the package root (lazy ones included)."""
    from mlops_unity_pipeline.orchestrator.pipeline import UnityMLOpsOrchestrator

    assert pkg.UnityMLOpsOrchestrator is UnityMLOpsOrchestrator
    for name in ("UnityAssetSpec", "RLTrainingConfig", "TrainingJob", "TrainingSchedule", "SpecError"):
        assert getattr(pkg, name) is not None


def test_scheduler_is_reachable():
    """TrainingScheduler comes from mlops_unity_pipeline.scheduler (the guide's import line)."""
    from mlops_unity_pipeline.scheduler import TrainingScheduler

    assert pkg.TrainingScheduler is TrainingScheduler


def test_errors_share_one_root():
    """Every exported error derives from PipelineError."""
    for name in EXPECTED:
        obj = getattr(pkg, name)
        if isinstance(obj, type) and name.endswith(("Error", "Cancelled", "Needed", "Transition", "Action")):
            assert issubclass(obj, pkg.PipelineError), name


def test_unknown_attribute_raises_attribute_error():
    """A typo gives AttributeError, not an import failure."""
    import pytest

    with pytest.raises(AttributeError):
        pkg.NoSuchThing  # noqa: B018
