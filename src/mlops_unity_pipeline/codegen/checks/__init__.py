"""The three checks for any folder of C#: syntax (tree-sitter), types (mcs + stubs), safety policy."""

from __future__ import annotations

from pathlib import Path

from ...errors import SpecError
from .base import CheckResult, Diagnostic, csharp_files
from .safety import check_safety
from .syntax import check_syntax
from .typecheck import check_types, find_mcs

__all__ = [
    "CheckResult",
    "Diagnostic",
    "check_safety",
    "check_syntax",
    "check_types",
    "find_mcs",
    "run_checks",
]


def run_checks(folder: Path | str) -> list[CheckResult]:
    """Run syntax, types and safety over every ``.cs`` file under ``folder``.

    Args:
        folder: a Unity project, an ``Assets`` folder, or any folder of C# (a single ``.cs`` file works too).

    Returns:
        ``[syntax, types, safety]`` results.

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
    return [check_syntax(files, root), check_types(files, root), check_safety(files, root)]
