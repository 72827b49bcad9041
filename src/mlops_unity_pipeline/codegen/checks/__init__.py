"""The checks for any folder of C#: syntax (tree-sitter), types (mcs + stubs), safety policy (mcs + metadata).

``structure`` (the shape of LLM-written bodies against the template) lives in ``checks.structure``; it
compares two versions of one file and is run by ``generate`` only.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import SpecError
from .base import CheckResult, Diagnostic, csharp_files
from .safety import check_safety
from .structure import check_structure
from .syntax import check_syntax
from .typecheck import check_types, find_mcs

__all__ = [
    "CheckResult",
    "Diagnostic",
    "check_safety",
    "check_structure",
    "check_syntax",
    "check_types",
    "find_mcs",
    "run_checks",
]


def run_checks(folder: Path | str, *, safety: bool = True) -> list[CheckResult]:
    """Run syntax, types and (unless ``safety=False``) the safety policy over the ``.cs`` files of ``folder``.

    Args:
        folder: a Unity project, an ``Assets`` folder, or any folder of C# (a single ``.cs`` file works too).
        safety: also judge the code by the policy for generated C# (``check_safety``).

    Returns:
        ``[syntax, types, safety]`` results (``[syntax, types]`` without safety). When the types check fails
        the safety policy is not decided (it reads the compiled assembly) and does not pass.

    Raises:
        SpecError: when ``folder`` does not exist or holds no C# file.

    """
    folder = Path(folder)
    if folder.is_file() and folder.suffix == ".cs":
        files, root = [folder.resolve()], folder.resolve().parent
    elif folder.is_dir():
        files, root = csharp_files(folder), folder.resolve()
    else:
        raise SpecError(f"{folder}: no such folder or .cs file")
    if not files:
        raise SpecError(f"{folder}: no .cs files found to check")
    results = [check_syntax(files, root), check_types(files, root)]
    if not safety:
        return results
    if not results[1].passed:
        undecided = Diagnostic(".", 1, 1, "not decided: the code does not compile (see the types check)")
        return [*results, CheckResult("safety", passed=False, diagnostics=[undecided])]
    return [*results, check_safety(files, root)]
