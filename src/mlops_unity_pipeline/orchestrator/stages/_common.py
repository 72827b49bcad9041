"""Helpers the stages share: reading the behavior spec an earlier stage wrote, hashing folders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...behavior.spec import BehaviorSpec
from ...errors import StageError
from ...store.artifacts import sha256_file
from ..protocol import StageContext

if TYPE_CHECKING:
    from ...behavior.spec import BehaviorSpec


def load_behavior_spec(ctx: StageContext, stage: str) -> BehaviorSpec:
    """Read the ``BehaviorSpec`` the codegen stage recorded.

    Args:
        ctx: the stage context.
        stage: the stage asking (named in errors).

    Returns:
        The behavior spec.

    Raises:
        StageError: when the codegen outputs are missing or the file is unreadable.

    """
    path = Path(ctx.output("codegen")["behavior_spec_path"])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise StageError(
            f"cannot read the behavior spec {path}: {exc}", stage=stage, run_id=ctx.job.job_id
        ) from exc
    return BehaviorSpec.from_dict(data, source=str(path))


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
