"""Codegen for worlds: a ``world.World`` → a Unity project whose observation layout equals the simulator's.

``generate_world(world, out_dir)`` writes and checks it; ``render_world_project`` returns the files;
``declared_layout`` is what the C# declares, in ML-Agents' terms. See ``docs/codegen.md`` ("Worlds").
"""

from __future__ import annotations

from .generate import WorldCodegenResult, generate_world
from .layout import declared_layout, refusals
from .render import WorldProject, render_world_project

__all__ = [
    "WorldCodegenResult",
    "WorldProject",
    "declared_layout",
    "generate_world",
    "refusals",
    "render_world_project",
]
