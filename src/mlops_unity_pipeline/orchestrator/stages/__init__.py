"""The real stages, one module each: codegen → build → train → evaluate → package → register → notify."""

from __future__ import annotations

from ..protocol import Stage
from .build import BuildStage
from .codegen import CodegenStage
from .evaluate import EvaluateStage
from .notify import NotifyStage
from .package import PackageStage
from .register import RegisterStage
from .train import TrainStage

__all__ = [
    "BuildStage",
    "CodegenStage",
    "EvaluateStage",
    "NotifyStage",
    "PackageStage",
    "RegisterStage",
    "TrainStage",
    "default_stages",
]


def default_stages() -> list[Stage]:
    """Return the embedded defaults: rules codegen, simulator build, built-in trainer, local registry."""
    return [
        CodegenStage(),
        BuildStage(),
        TrainStage(),
        EvaluateStage(),
        PackageStage(),
        RegisterStage(),
        NotifyStage(),
    ]
