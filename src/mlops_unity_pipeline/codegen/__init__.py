"""Codegen: behavior spec or world → Unity C# project, checked for syntax, types and safety.

``generate(asset, out_dir)`` writes an archetype's project (templates or LLM bodies);
``generate_world(world, out_dir)`` writes a world's (``codegen.world``); ``checks.run_checks(folder)`` checks
any folder of C#.
"""

from __future__ import annotations

from .checks import CheckResult, Diagnostic, run_checks
from .generate import CodegenResult, generate
from .world import WorldCodegenResult, generate_world

__all__ = [
    "CheckResult",
    "CodegenResult",
    "Diagnostic",
    "WorldCodegenResult",
    "generate",
    "generate_world",
    "run_checks",
]
