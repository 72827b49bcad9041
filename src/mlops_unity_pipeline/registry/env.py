"""Registry mirrors configured by environment variables (the one place every command reads them)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from .base import RegistryMirror
from .mlflow_registry import MlflowMirror
from .vertex_registry import VertexMirror

ENV_MLFLOW = "MLFLOW_TRACKING_URI"
"""Set: every registration and alias move is mirrored to this MLflow tracking server / store."""
ENV_VERTEX_BUCKET = "MLOPS_VERTEX_STAGING_BUCKET"
"""Set: promoted versions are mirrored to Vertex AI (project ``GOOGLE_CLOUD_PROJECT``, region
``MLOPS_VERTEX_LOCATION``)."""


def registry_mirrors_from_env(environ: Mapping[str, str] | None = None) -> list[RegistryMirror]:
    """Build the external registries the environment configures.

    ``MLFLOW_TRACKING_URI`` adds an ``MlflowMirror``; ``MLOPS_VERTEX_STAGING_BUCKET`` adds a ``VertexMirror``.

    Args:
        environ: the variables to read (default ``os.environ``).

    Returns:
        The mirrors, MLflow first (empty when none is configured).

    Raises:
        MissingExtraError: when a configured mirror's extra is not installed.
        RegistryError: when a configured mirror is missing settings or credentials.

    """
    env = os.environ if environ is None else environ
    mirrors: list[RegistryMirror] = []
    if env.get(ENV_MLFLOW, "").strip():
        mirrors.append(MlflowMirror(env[ENV_MLFLOW].strip()))
    if env.get(ENV_VERTEX_BUCKET, "").strip():
        mirrors.append(VertexMirror(staging_bucket=env[ENV_VERTEX_BUCKET].strip()))
    return mirrors
