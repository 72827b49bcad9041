"""Codegen: behavior spec → Unity C# project (templates or LLM bodies), checked for syntax, types and safety.

``generate(asset, out_dir)`` writes the project; ``checks.run_checks(folder)`` checks any folder of C#.
"""

from __future__ import annotations

from .checks import CheckResult, Diagnostic, run_checks
from .generate import CodegenResult, generate

__all__ = ["CheckResult", "CodegenResult", "Diagnostic", "generate", "run_checks"]
