"""Persistence under the workspace: the SQLite job store and the sha256-addressed artifact store."""

from __future__ import annotations

from .artifacts import ArtifactRef, ArtifactStore
from .jobs import JobRecord, JobStore, StageRecord

__all__ = ["ArtifactRef", "ArtifactStore", "JobRecord", "JobStore", "StageRecord"]
