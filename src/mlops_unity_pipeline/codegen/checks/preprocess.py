"""A small C# preprocessor: keep the active ``#if`` branches, blank the rest (line numbers unchanged).

tree-sitter-c-sharp cannot parse some valid placements of directives (e.g. ``#if`` between the accessors of a
property); the syntax check falls back to the text the compiler would see for the given symbols.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DIRECTIVE = re.compile(r"^\s*#\s*(if|elif|else|endif|define|undef)\b(.*)$")
_TOKEN = re.compile(r"\s*(\|\||&&|==|!=|!|\(|\)|true\b|false\b|[A-Za-z_][A-Za-z0-9_]*)")


def preprocess(source: str, defines: Iterable[str]) -> str:
    """Return ``source`` with inactive conditional branches and all conditional directives blanked.

    Args:
        source: C# text.
        defines: the symbols defined for this compilation.

    Returns:
        Text with the same number of lines; blanked lines are empty.

    """
    symbols = set(defines)
    out: list[str] = []
    # stack of (this branch active, some branch of this #if already taken, parent active)
    stack: list[tuple[bool, bool, bool]] = []
    active = True
    for line in source.split("\n"):
        match = _DIRECTIVE.match(line)
        if match is None:
            out.append(line if active else "")
            continue
        kind, rest = match.group(1), match.group(2).split("//")[0].strip()
        if kind == "if":
            value = active and _evaluate(rest, symbols)
            stack.append((value, value, active))
            active = value
        elif kind == "elif" and stack:
            _, taken, parent = stack.pop()
            value = parent and not taken and _evaluate(rest, symbols)
            stack.append((value, taken or value, parent))
            active = value
        elif kind == "else" and stack:
            _, taken, parent = stack.pop()
            value = parent and not taken
            stack.append((value, True, parent))
            active = value
        elif kind == "endif" and stack:
            _, _, parent = stack.pop()
            active = parent
        elif kind == "define" and active:
            symbols.add(rest)
        elif kind == "undef" and active:
            symbols.discard(rest)
        out.append("")
    return "\n".join(out)


def _evaluate(expression: str, symbols: set[str]) -> bool:
    tokens: list[str] = []
    pos = 0
    while pos < len(expression):
        match = _TOKEN.match(expression, pos)
        if match is None:
            return False  # an expression we cannot read: treat the branch as inactive, like an unknown symbol
        tokens.append(match.group(1))
        pos = match.end()
        if not expression[pos:].strip():
            break
    python = []
    for token in tokens:
        if token == "||":
            python.append(" or ")
        elif token == "&&":
            python.append(" and ")
        elif token == "!":
            python.append(" not ")
        elif token in ("(", ")", "==", "!="):
            python.append(token)
        elif token in ("true", "false"):
            python.append(" True " if token == "true" else " False ")
        else:
            python.append(" True " if token in symbols else " False ")
    try:
        return bool(eval("".join(python), {"__builtins__": {}}, {}))  # noqa: S307 - only booleans and operators
    except SyntaxError:
        return False
