"""Check results: a diagnostic is a file, a 1-based line and column, and a message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SKIP_DIRS = frozenset({"Library", "Temp", "Obj", "obj", "Logs", "Build", "Builds", "UserSettings", ".git"})
"""Unity-generated folders that never hold user scripts."""


@dataclass(frozen=True)
class Diagnostic:
    """One problem found by a check."""

    file: str
    """Path relative to the checked folder."""
    line: int
    """1-based line."""
    column: int
    """1-based column."""
    message: str
    """What is wrong (compiler code first for type errors, e.g. ``CS0103: ...``)."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check over a folder of C#."""

    name: str
    """``syntax``, ``types`` or ``safety``."""
    passed: bool
    """True when no diagnostic was found (or the check was skipped)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Every problem found, in file/line order."""
    skipped: str | None = None
    """Why the check did not run (e.g. ``mcs`` not installed); None when it ran."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "passed": self.passed,
            "skipped": self.skipped,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


def csharp_files(folder: Path) -> list[Path]:
    """Every ``.cs`` file under ``folder`` (sorted), skipping Unity's generated folders.

    Args:
        folder: a project or script folder.

    Returns:
        Absolute paths.

    """
    folder = folder.resolve()
    out = []
    for path in sorted(folder.rglob("*.cs")):
        parts = path.relative_to(folder).parts
        if any(p in SKIP_DIRS for p in parts[:-1]) or not path.is_file():
            continue
        out.append(path)
    return out


def relative(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` in POSIX form (or as given when outside it)."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(path)
