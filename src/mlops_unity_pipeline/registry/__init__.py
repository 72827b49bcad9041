"""Model registries: the local one (source of truth) and the mirrors that follow it (MLflow, Vertex AI)."""

from __future__ import annotations

from .base import CANDIDATE, CHAMPION, AliasMove, ModelVersion, PromotionGate, RegistryMirror
from .local import LocalRegistry

__all__ = [
    "CANDIDATE",
    "CHAMPION",
    "AliasMove",
    "LocalRegistry",
    "ModelVersion",
    "PromotionGate",
    "RegistryMirror",
]
