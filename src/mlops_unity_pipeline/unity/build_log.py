"""Reading a Unity Editor batch-mode log: compiler errors, licence failures, missing modules, build result."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..errors import BuildError


class ProblemKind(str, Enum):
    """What went wrong, as recognised in a Unity log."""

    COMPILER_ERROR = "compiler_error"
    LICENSE = "license"
    MISSING_MODULE = "missing_module"
    BUILD_METHOD = "build_method"
    PROJECT_LOCKED = "project_locked"
    BUILD_FAILED = "build_failed"


@dataclass(frozen=True)
class LogProblem:
    """One relevant line of a Unity log.

    Attributes:
        kind: the category.
        line_no: 1-based line number in the log.
        text: the line as logged.
        file: the C# source file (compiler errors only).
        line: source line (compiler errors only).
        column: source column (compiler errors only).
        code: the compiler error code, e.g. ``CS0246`` (compiler errors only).
        message: the compiler message (compiler errors only).

    """

    kind: ProblemKind
    line_no: int
    text: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    code: str | None = None
    message: str | None = None


# Roslyn/mcs format Unity prints: Assets/Scripts/Agent.cs(12,34): error CS0246: The type or namespace ...
_COMPILER_RE = re.compile(
    r"(?P<file>[^\s()][^()]*?\.cs)\((?P<line>\d+),(?P<column>\d+)\):\s*error\s+(?P<code>CS\d{4}):\s*(?P<message>.*)$"
)

# Licence/activation failures seen in Editor logs (legacy licensing and the Licensing Client, 2020–6000).
_LICENSE_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"No valid Unity Editor license found",
        r"Failed to activate/update license",
        r"has not been activated with a valid License",
        r"License is not active",
        r"\[Licensing::Module\] Error:",
        r"\[Licensing::Client\] Error:",
        r"LICENSE SYSTEM .*(?:invalid|expired|error)",
        r"No ULF license found",
        r"Unable to activate license",
        r"Failed to login - please check your username or password",
        r"Your license has expired",
        r"serial number .*(?:invalid|not valid)",
    )
]

# Missing platform / dedicated-server build support modules.
_MODULE_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"build target was unsupported",
        r"Switching to \S+ is disabled",
        r"Build target '?[\w\s]+'? is not (?:supported|installed)",
        r"(?:Linux|Windows|Mac(?:OS)?) (?:Dedicated )?Server (?:Build )?Support (?:module )?is not installed",
        r"(?:Dedicated )?Server build support (?:for \w+ )?is not installed",
        r"module .*(?:is not|not) installed",
        r"Unsupported platform",
        r"Error building player because build target",
        r"Build target platform name '.*' is not valid",
        r"Cannot build player while editor is importing assets or compiling scripts",
    )
]

_BUILD_METHOD_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"executeMethod class '.*' could not be found",
        r"executeMethod method '.*' in class '.*' could not be found",
        r"executeMethod method .* must be static",
        r"Couldn't find the executeMethod",
    )
]

_LOCKED_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"It looks like another Unity instance is running with this project open",
        r"Multiple Unity instances cannot open the same project",
    )
]

_BUILD_FAILED_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"Build Finished, Result: Failure",
        r"Build completed with a result of 'Failed'",
        r"Scripts have compiler errors",
        r"Aborting batchmode due to failure",
        r"BuildFailedException",
        r"Error building Player",
    )
]

_FIXES = {
    ProblemKind.COMPILER_ERROR: (
        "the project's C# does not compile; fix the quoted file:line (run `mlops-unity codegen check DIR` "
        "on generated code, and check the com.unity.ml-agents package version in Packages/manifest.json)"
    ),
    ProblemKind.LICENSE: (
        "the Editor has no valid licence on this machine; activate it once (Unity Hub, or "
        "`Unity -batchmode -quit -serial SERIAL -username EMAIL -password …` for Pro, "
        "`-manualLicenseFile FILE.ulf` for a manual activation), then build again"
    ),
    ProblemKind.MISSING_MODULE: (
        "this Editor lacks the build support module for the target; add 'Linux Build Support' and "
        "'Linux Dedicated Server Build Support' in Unity Hub (Installs > Add modules, or "
        "`unityhub -- --headless install-modules --version VERSION --module linux-server`)"
    ),
    ProblemKind.BUILD_METHOD: (
        "the -executeMethod build method is not in the project; it must be a public static method in an "
        "Editor script (the generated Assets/Editor/BuildPlayer.cs), given as Namespace.Class.Method"
    ),
    ProblemKind.PROJECT_LOCKED: (
        "another Unity instance has this project open; close it (or remove a stale Temp/UnityLockfile) "
        "and retry"
    ),
    ProblemKind.BUILD_FAILED: "the player build failed; see the quoted lines and the full log",
}

#: Priority for choosing the headline cause when several kinds appear (first wins).
_PRIORITY = (
    ProblemKind.LICENSE,
    ProblemKind.PROJECT_LOCKED,
    ProblemKind.MISSING_MODULE,
    ProblemKind.COMPILER_ERROR,
    ProblemKind.BUILD_METHOD,
    ProblemKind.BUILD_FAILED,
)


def scan_log(lines: Iterable[str]) -> list[LogProblem]:
    """Find the relevant lines of a Unity log.

    Unity prints each compiler error more than once (compile output, then the summary); duplicates of the
    same file/line/code are reported once.

    Args:
        lines: the log, line by line.

    Returns:
        The problems in log order.

    """
    problems: list[LogProblem] = []
    seen_compiler: set[tuple[str, int, int, str]] = set()
    for number, raw in enumerate(lines, start=1):
        text = raw.rstrip("\r\n")
        match = _COMPILER_RE.search(text)
        if match is not None:
            key = (match["file"].strip(), int(match["line"]), int(match["column"]), match["code"])
            if key not in seen_compiler:
                seen_compiler.add(key)
                problems.append(
                    LogProblem(
                        kind=ProblemKind.COMPILER_ERROR,
                        line_no=number,
                        text=text,
                        file=key[0],
                        line=key[1],
                        column=key[2],
                        code=key[3],
                        message=match["message"].strip(),
                    )
                )
            continue
        for kind, patterns in (
            (ProblemKind.LICENSE, _LICENSE_PATTERNS),
            (ProblemKind.MISSING_MODULE, _MODULE_PATTERNS),
            (ProblemKind.BUILD_METHOD, _BUILD_METHOD_PATTERNS),
            (ProblemKind.PROJECT_LOCKED, _LOCKED_PATTERNS),
            (ProblemKind.BUILD_FAILED, _BUILD_FAILED_PATTERNS),
        ):
            if any(p.search(text) for p in patterns):
                problems.append(LogProblem(kind=kind, line_no=number, text=text))
                break
    return problems


def build_succeeded_in_log(lines: Iterable[str]) -> bool:
    """Return True when the log reports a successful player build (``Build Finished, Result: Success``).

    Args:
        lines: the log, line by line.

    Returns:
        Whether a success line is present.

    """
    return any(re.search(r"Build Finished, Result: Success|Build succeeded", line) for line in lines)


def build_error_from_log(
    problems: list[LogProblem],
    *,
    returncode: int | None,
    log_path: Path,
    tail: Iterable[str] = (),
    max_quoted: int = 12,
) -> BuildError:
    """Turn what a failed build logged into one ``BuildError`` naming the cause, the fix and the lines.

    Args:
        problems: from :func:`scan_log`.
        returncode: the Editor's exit status (None when it did not exit by itself).
        log_path: the full log, named in the message.
        tail: the log's last lines, quoted when no known problem was found.
        max_quoted: at most this many lines are quoted.

    Returns:
        The error to raise.

    """
    kinds = {p.kind for p in problems}
    headline = next((k for k in _PRIORITY if k in kinds), None)
    status = f"exit code {returncode}" if returncode is not None else "no exit code"
    if headline is None:
        last = [line for line in tail if line.strip()][-max_quoted:]
        quoted = "\n".join(f"  | {line}" for line in last) or "  | (the log is empty)"
        return BuildError(
            f"Unity build failed ({status}) with no recognised error; last log lines:\n{quoted}\n"
            f"full log: {log_path}"
        )
    relevant = [p for p in problems if p.kind == headline] + [p for p in problems if p.kind != headline]
    quoted_lines = []
    for p in relevant[:max_quoted]:
        where = f"{p.file}:{p.line}: " if p.kind == ProblemKind.COMPILER_ERROR else ""
        detail = f"{where}{p.code}: {p.message}" if p.kind == ProblemKind.COMPILER_ERROR else p.text.strip()
        quoted_lines.append(f"  | log line {p.line_no}: {detail}")
    more = len(relevant) - len(quoted_lines)
    if more > 0:
        quoted_lines.append(f"  | … and {more} more")
    n_compiler = sum(p.kind == ProblemKind.COMPILER_ERROR for p in problems)
    summary = {
        ProblemKind.COMPILER_ERROR: f"{n_compiler} C# compiler error(s)",
        ProblemKind.LICENSE: "licence/activation failure",
        ProblemKind.MISSING_MODULE: "missing build support module",
        ProblemKind.BUILD_METHOD: "build method not found",
        ProblemKind.PROJECT_LOCKED: "project already open in another Unity instance",
        ProblemKind.BUILD_FAILED: "player build failed",
    }[headline]
    return BuildError(
        f"Unity build failed ({status}): {summary}.\n"
        + "\n".join(quoted_lines)
        + f"\nfix: {_FIXES[headline]}\nfull log: {log_path}"
    )
