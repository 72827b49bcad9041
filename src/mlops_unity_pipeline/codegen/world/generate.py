"""``generate_world``: a world → its Unity project on disk, checked (syntax, types, safety)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import CodegenError
from ...world import World, world_to_dict
from ..checks import CheckResult
from ..generate import METADATA_FILE, _check_written, _trust_template, _write, project_folder, project_record
from .layout import check_layout
from .render import render_world_project

WORLD_FILE = "world.json"
"""The world the project was generated from, next to it (``world.load_world`` reads it back)."""


@dataclass
class WorldCodegenResult:
    """What ``generate_world`` wrote and how the checks went."""

    world: str
    """The world's name."""
    class_name: str
    """The Agent subclass."""
    files: list[Path]
    """Every file written (project files, then the world and metadata JSON)."""
    checks: list[CheckResult]
    """syntax, types, safety over the written project."""
    metadata: dict[str, Any] = field(default_factory=dict)
    """world, behavior name, observation layout, checks, files (sha256)."""

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(c.passed for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the CLI's ``--json`` output)."""
        return {
            "passed": self.passed,
            "world": self.world,
            "class_name": self.class_name,
            **project_record(self.files, self.checks, self.metadata),
        }


def generate_world(world: World, out_dir: Path | str) -> WorldCodegenResult:
    """Write the Unity project of ``world`` into ``out_dir`` and check it.

    Args:
        world: a validated world (``world.load_world``).
        out_dir: the Unity project root (created if missing; our files are overwritten).

    Returns:
        The result; ``metadata["observations"]`` is the layout the C# declares (equal to the simulator's).

    Raises:
        SpecError: ``out_dir`` exists and is not a folder.
        CodegenError: the world uses features the generator does not write (named), or the written C# fails
            its checks.

    """
    out = project_folder(out_dir)
    project = render_world_project(world)
    layout = check_layout(world)
    written = _write(out, project.files)
    checks = _trust_template(_check_written(out, written), True)
    if not all(c.passed for c in checks):
        raise CodegenError(
            "generated C# fails its checks: " + "; ".join(str(d) for c in checks for d in c.diagnostics[:5])
        )
    world_path = out / WORLD_FILE
    world_path.write_text(json.dumps(world_to_dict(world), indent=2) + "\n", encoding="utf-8")
    metadata: dict[str, Any] = {
        "world": world.name,
        "behavior_name": world.behavior_name,
        "class_name": project.class_name,
        "observations": [{"name": s.name, "shape": list(s.shape)} for s in layout.observation_specs],
        "actions": {
            "continuous": layout.action_spec.continuous_size,
            "discrete": list(layout.action_spec.discrete_branches),
        },
        "checks": [c.to_dict() for c in checks],
        "files": {
            rel: hashlib.sha256(text.encode("utf-8")).hexdigest()
            for rel, text in sorted(project.files.items())
        },
    }
    meta_path = out / METADATA_FILE
    meta_path.write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return WorldCodegenResult(
        world.name, project.class_name, [*written, world_path, meta_path], checks, metadata
    )
