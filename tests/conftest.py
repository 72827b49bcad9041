"""Fixtures shared by every test module: where the upstream ML-Agents anchors live, and a quiet workspace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
ANCHORS_DIR = SHARED_DIR / "anchors" / "mlagents"


def anchor(relative: str) -> Path:
    """Path of an upstream ML-Agents file in ``../shared/anchors/mlagents``; skips the test when absent."""
    path = ANCHORS_DIR / relative
    if not path.exists():
        pytest.skip(
            f"upstream anchor {relative} not found: ../shared/anchors/mlagents is absent on this machine"
        )
    return path


def mlagents_python() -> Path:
    """A Python with mlagents 1.1.0 (MLAGENTS_PYTHON or .venv-mlagents); skips the test when absent."""
    candidate = os.environ.get("MLAGENTS_PYTHON")
    path = Path(candidate) if candidate else REPO_ROOT / ".venv-mlagents" / "bin" / "python"
    if not path.exists():
        pytest.skip(
            "no Python with mlagents 1.1.0 (set MLAGENTS_PYTHON or run scripts/setup_mlagents_venv.sh)"
        )
    return path


@pytest.fixture
def anchors_dir() -> Path:
    """The upstream ML-Agents anchors folder (configs, .demo files, .onnx models); skips when absent."""
    if not ANCHORS_DIR.is_dir():
        pytest.skip("../shared/anchors/mlagents is absent on this machine")
    return ANCHORS_DIR
