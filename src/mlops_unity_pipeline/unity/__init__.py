"""The real Unity path: Editor discovery, batch-mode builds, ``mlagents-learn`` training, inference checks.

Entry points the pipeline uses: :func:`build_unity_player` (``build_backend: unity``) and
:class:`MlagentsLearnBackend` (``trainer_backend: mlagents``).
"""

from __future__ import annotations

from .build import BuildResult, build_player, build_unity_player, verify_player
from .editor import EditorInfo, find_editor, read_project_version
from .inference import InferenceResult, run_inference_smoke_test
from .mlagents_install import MlagentsInstall, find_mlagents_learn, inspect_mlagents_learn
from .mlagents_learn import MlagentsLearnBackend, MlagentsRunResult

__all__ = [
    "BuildResult",
    "EditorInfo",
    "InferenceResult",
    "MlagentsInstall",
    "MlagentsLearnBackend",
    "MlagentsRunResult",
    "build_player",
    "build_unity_player",
    "find_editor",
    "find_mlagents_learn",
    "inspect_mlagents_learn",
    "read_project_version",
    "run_inference_smoke_test",
    "verify_player",
]
