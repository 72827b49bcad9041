"""Persistence under the workspace: SQLite plumbing, file helpers and the sha256-addressed artifact store.

The job store (``orchestrator.jobs``) lives beside the run states it enforces.
"""

from __future__ import annotations

from .artifacts import ArtifactRef, ArtifactStore

__all__ = ["ArtifactRef", "ArtifactStore"]
