"""Syntax check: parse every C# file with tree-sitter-c-sharp and report ERROR and MISSING nodes."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .base import CheckResult, Diagnostic, relative
from .preprocess import preprocess
from .typecheck import PLAYER_DEFINES


@lru_cache(maxsize=1)
def parser() -> Any:
    """Return the shared tree-sitter C# parser."""
    import tree_sitter  # heavy
    import tree_sitter_c_sharp  # heavy

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_c_sharp.language()))


def parse(source: bytes) -> Any:
    """Parse C# source into a tree-sitter tree.

    Args:
        source: UTF-8 bytes.

    Returns:
        The ``tree_sitter.Tree``.

    """
    return parser().parse(source)


def syntax_diagnostics(source: bytes, file: str) -> list[Diagnostic]:
    """Syntax errors in one source text.

    Args:
        source: UTF-8 bytes.
        file: the name to report.

    Returns:
        One diagnostic per ERROR node (unexpected text) and MISSING node (an expected token), outermost only.

    """
    tree = parse(source)
    found: list[Diagnostic] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_missing:
            line, col = node.start_point
            found.append(Diagnostic(file, line + 1, col + 1, f"syntax error: missing '{node.type}'"))
            continue
        if node.type == "ERROR":
            line, col = node.start_point
            snippet = source[node.start_byte : node.end_byte].decode("utf-8", "replace").strip().splitlines()
            near = snippet[0][:40] if snippet else ""
            found.append(Diagnostic(file, line + 1, col + 1, f"syntax error: unexpected '{near}'"))
            continue
        if node.has_error:
            stack.extend(reversed(node.children))
    return sorted(found, key=lambda d: (d.line, d.column))


def check_syntax(files: list[Path], folder: Path) -> CheckResult:
    """Run the syntax check over ``files``.

    Args:
        files: C# files.
        folder: the folder paths are reported relative to.

    Returns:
        The ``syntax`` result.

    """
    diagnostics: list[Diagnostic] = []
    for path in files:
        source = path.read_bytes()
        name = relative(path, folder)
        found = syntax_diagnostics(source, name)
        if found and b"#if" in source:
            # tree-sitter cannot parse every valid directive placement: check what the compiler would see

            text = preprocess(source.decode("utf-8", "replace"), PLAYER_DEFINES)
            found = syntax_diagnostics(text.encode("utf-8"), name)
        diagnostics.extend(found)
    return CheckResult("syntax", passed=not diagnostics, diagnostics=diagnostics)
