"""Helpers the stages share: hashing folders, a JSON view of a behavior signature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...store.artifacts import sha256_file


def hash_tree(folder: Path) -> dict[str, str]:
    """Return ``{relative path: sha256}`` of every file below ``folder`` (sorted)."""
    folder = Path(folder)
    if folder.is_file():
        return {folder.name: sha256_file(folder)}
    return {
        str(p.relative_to(folder)): sha256_file(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def signature_dict(signature: Any) -> dict[str, Any]:
    """Return a JSON-ready view of a ``BehaviorSignature``."""
    return {
        "name": signature.name,
        "observation_shapes": [list(o.shape) for o in signature.observation_specs],
        "continuous_size": signature.action_spec.continuous_size,
        "discrete_branches": list(signature.action_spec.discrete_branches),
    }
