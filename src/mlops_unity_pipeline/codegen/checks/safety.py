"""Safety policy: no file, network, process, reflection, native or unsafe code in generated C#.

The policy works on code only: comments and string literals are blanked first (tree-sitter), so a comment that
mentions ``System.IO`` is fine and a call to ``File.Delete`` is not. ML-Agents components that write files on
their own (``DemonstrationRecorder``) are part of the allowed API surface.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .base import CheckResult, Diagnostic, relative
from .syntax import parse


@dataclass(frozen=True)
class Rule:
    """One forbidden pattern and why."""

    category: str
    """file, network, process, reflection, native, unsafe."""
    pattern: re.Pattern[str]
    """Matched against the code with comments and strings blanked."""
    message: str
    """Shown with the match."""


def _rule(category: str, regex: str, message: str) -> Rule:
    return Rule(category, re.compile(regex), message)


RULES: tuple[Rule, ...] = (
    _rule("file", r"\bSystem\s*\.\s*IO\b", "file system access (System.IO) is not allowed"),
    _rule(
        "file",
        r"\b(File|Directory|FileInfo|DirectoryInfo|FileStream|StreamReader|StreamWriter|BinaryReader|BinaryWriter"
        r"|Path|DriveInfo|FileSystemWatcher)\s*\.",
        "file system access is not allowed",
    ),
    _rule(
        "file",
        r"\bnew\s+(FileStream|StreamReader|StreamWriter|BinaryReader|BinaryWriter|FileInfo|DirectoryInfo)\b",
        "file system access is not allowed",
    ),
    _rule("network", r"\bSystem\s*\.\s*Net\b", "network access (System.Net) is not allowed"),
    _rule(
        "network",
        r"\bUnityEngine\s*\.\s*Networking\b",
        "network access (UnityEngine.Networking) is not allowed",
    ),
    _rule(
        "network",
        r"\b(WebClient|HttpClient|HttpWebRequest|WebRequest|Socket|TcpClient|TcpListener|UdpClient|Dns"
        r"|UnityWebRequest|WWW)\b",
        "network access is not allowed",
    ),
    _rule("network", r"\bApplication\s*\.\s*OpenURL\b", "opening URLs is not allowed"),
    _rule("process", r"\bSystem\s*\.\s*Diagnostics\b", "process control (System.Diagnostics) is not allowed"),
    _rule("process", r"\b(Process|ProcessStartInfo)\b", "starting processes is not allowed"),
    _rule("reflection", r"\bSystem\s*\.\s*Reflection\b", "reflection (System.Reflection) is not allowed"),
    _rule(
        "reflection",
        r"\b(Assembly|Activator|MethodInfo|FieldInfo|PropertyInfo|BindingFlags|AppDomain)\b",
        "reflection is not allowed",
    ),
    _rule(
        "reflection",
        r"\.\s*(GetMethod|GetMethods|GetField|GetFields|GetProperty|InvokeMember)\s*\(|\bType\s*\.\s*GetType\s*\(",
        "reflection is not allowed",
    ),
    _rule(
        "reflection", r"\bSystem\s*\.\s*Reflection\s*\.\s*Emit\b|\bdynamic\b", "dynamic code is not allowed"
    ),
    _rule(
        "native",
        r"\bSystem\s*\.\s*Runtime\s*\.\s*InteropServices\b|\bDllImport\b|\bextern\b|\bMarshal\b",
        "native code (DllImport/extern/Marshal) is not allowed",
    ),
    _rule("unsafe", r"\bunsafe\b|\bstackalloc\b|\bfixed\s*\(", "unsafe code is not allowed"),
    _rule(
        "process",
        r"\bEnvironment\s*\.\s*(Exit|SetEnvironmentVariable|FailFast)\b",
        "process control is not allowed",
    ),
)
"""The policy, in the order it is reported."""

_BLANKED = {
    "comment",
    "string_literal",
    "verbatim_string_literal",
    "raw_string_literal",
    "character_literal",
    "interpolated_string_text",
    "string_literal_content",
    "preproc_message",
}


def code_only(source: bytes) -> str:
    """Blank the source's comments and string/char literal contents replaced by spaces (newlines kept).

    Args:
        source: UTF-8 bytes.

    Returns:
        Text of the same length and line structure, so match offsets map to the original positions.

    """
    blank = bytearray(source)
    stack = [parse(source).root_node]
    while stack:
        node = stack.pop()
        if node.type in _BLANKED:
            for i in range(node.start_byte, node.end_byte):
                if blank[i] not in (0x0A, 0x0D):
                    blank[i] = 0x20
            continue
        stack.extend(node.children)
    return blank.decode("utf-8", "replace")


def safety_diagnostics(source: bytes, file: str) -> list[Diagnostic]:
    """Policy violations in one source text.

    Args:
        source: UTF-8 bytes.
        file: the name to report.

    Returns:
        One diagnostic per match, in position order.

    """
    text = code_only(source)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    found: dict[tuple[int, int], Diagnostic] = {}
    for rule in RULES:
        for match in rule.pattern.finditer(text):
            offset = match.start()
            line = _bisect(line_starts, offset)
            column = offset - line_starts[line] + 1
            key = (line + 1, column)
            if key not in found:
                found[key] = Diagnostic(
                    file, line + 1, column, f"{rule.category}: {rule.message}: '{match.group(0)}'"
                )
    return [found[k] for k in sorted(found)]


def check_safety(files: list[Path], folder: Path) -> CheckResult:
    """Run the safety policy over ``files``.

    Args:
        files: C# files.
        folder: the folder paths are reported relative to.

    Returns:
        The ``safety`` result.

    """
    diagnostics: list[Diagnostic] = []
    for path in files:
        diagnostics.extend(safety_diagnostics(path.read_bytes(), relative(path, folder)))
    return CheckResult("safety", passed=not diagnostics, diagnostics=diagnostics)


def _bisect(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
