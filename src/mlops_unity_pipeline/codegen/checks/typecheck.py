"""Type check: compile the C# with Mono's ``mcs`` against our stubs of the UnityEngine and ML-Agents API.

The stubs (``codegen/stubs/*.cs``) declare only signatures, so this proves that generated or hand-written code
calls the API as it exists (names, overloads, types), not that it behaves. ``mcs`` 6.8 speaks C# up to 7.2;
``-langversion:experimental`` adds ``in`` parameters (``Agent.Heuristic(in ActionBuffers)``).

The stubs are compiled into their own library and the checked code references it, as a Unity project's scripts
reference the package assemblies: across assemblies ``Agent``'s ``protected internal virtual void Awake()`` is
overridden as ``protected override`` and ``internal`` members are out of reach, exactly as in Unity.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .base import CheckResult, Diagnostic, relative

STUBS_DIR = Path(__file__).resolve().parent.parent / "stubs"
"""Our compile-only stubs of UnityEngine, UnityEditor and Unity.MLAgents."""

MCS_TIMEOUT_S = 120.0
"""Upper bound for one compile (≈ 0.3 s normally; a loaded machine is slower)."""

PLAYER_DEFINES = (
    "UNITY_STANDALONE",
    "UNITY_STANDALONE_LINUX",
    "UNITY_SERVER",
    "UNITY_5_3_OR_NEWER",
    "UNITY_2017_1_OR_NEWER",
    "UNITY_2019_1_OR_NEWER",
    "UNITY_2020_1_OR_NEWER",
    "UNITY_2021_1_OR_NEWER",
    "UNITY_2022_1_OR_NEWER",
    "UNITY_2023_1_OR_NEWER",
    "UNITY_2023_2_OR_NEWER",
    "UNITY_6000_0_OR_NEWER",
)
"""Scripting symbols of a Linux server player on Unity 6: code under ``#if`` on them is type-checked too.

``UNITY_EDITOR`` is not defined: editor-only branches use APIs beyond our stubs."""

_ERROR_RE = re.compile(r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>CS\d+): (?P<msg>.*)$")
_GLOBAL_ERROR_RE = re.compile(r"^error (?P<code>CS\d+): (?P<msg>.*)$")


def find_mcs() -> str | None:
    """Find the ``mcs`` executable: ``$MLOPS_MCS`` when set, else ``mcs`` on PATH; None when absent."""
    configured = os.environ.get("MLOPS_MCS")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("mcs")


def stub_files() -> list[Path]:
    """Return the stub sources compiled with every check."""
    return sorted(STUBS_DIR.glob("*.cs"))


def stubs_assembly(compiler: str) -> Path:
    """Compile the stubs into ``UnityStubs.dll`` once per stub content and compiler; return its path.

    Args:
        compiler: the ``mcs`` executable.

    Returns:
        The library, cached under the system temp folder by a hash of the stub sources.

    Raises:
        RuntimeError: when the stubs themselves do not compile (a broken install).

    """
    digest = hashlib.sha256(compiler.encode())
    for path in stub_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    folder = Path(tempfile.gettempdir()) / f"mlops-unity-stubs-{digest.hexdigest()[:16]}"
    target = folder / "UnityStubs.dll"
    if target.is_file():
        return target
    # built under its final file name (mcs names the assembly after it) in a private folder, then moved
    scratch = folder / f"build-{os.getpid()}"
    scratch.mkdir(parents=True, exist_ok=True)
    partial = scratch / target.name
    command = [
        compiler,
        "-target:library",
        "-langversion:experimental",
        "-warn:0",
        f"-out:{partial}",
        *[str(p) for p in stub_files()],
    ]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=MCS_TIMEOUT_S, check=False)
    if proc.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        tail = " | ".join((proc.stdout + proc.stderr).strip().splitlines()[-3:])
        raise RuntimeError(f"the API stubs do not compile: {tail}")
    os.replace(partial, target)  # atomic: a concurrent check sees the whole library or none
    shutil.rmtree(scratch, ignore_errors=True)
    return target


def check_types(files: list[Path], folder: Path, *, mcs: str | None = None) -> CheckResult:
    """Compile ``files`` with the stubs into a throwaway library and report every compiler error.

    Args:
        files: C# files.
        folder: the folder paths are reported relative to.
        mcs: the compiler to use (default: ``find_mcs()``).

    Returns:
        The ``types`` result; skipped (passed, with the reason) when ``mcs`` is not installed.

    """
    compiler = mcs or find_mcs()
    if compiler is None:
        return CheckResult(
            "types",
            passed=True,
            skipped="mcs not found (install Mono: apt-get install mono-mcs, or set MLOPS_MCS)",
        )
    if not files:
        return CheckResult("types", passed=True)
    with tempfile.TemporaryDirectory(prefix="mlops-mcs-") as tmp:
        try:
            stubs = stubs_assembly(compiler)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return CheckResult("types", passed=True, skipped=f"mcs could not build the stubs: {exc}")
        except RuntimeError as exc:  # our stubs are broken: say so instead of blaming the checked code
            return CheckResult("types", passed=False, diagnostics=[Diagnostic("<stubs>", 1, 1, str(exc))])
        command = [
            compiler,
            "-target:library",
            "-langversion:experimental",
            "-warn:0",
            "-define:" + ";".join(PLAYER_DEFINES),
            f"-r:{stubs}",
            f"-out:{Path(tmp) / 'check.dll'}",
            *[str(p.resolve()) for p in files],
        ]
        try:
            proc = subprocess.run(command, capture_output=True, text=True, timeout=MCS_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            return CheckResult(
                "types",
                passed=False,
                diagnostics=[Diagnostic(".", 1, 1, f"mcs did not finish within {MCS_TIMEOUT_S:.0f} s")],
            )
        except OSError as exc:
            return CheckResult("types", passed=True, skipped=f"mcs could not run: {exc}")
    diagnostics = parse_mcs_output(proc.stdout + "\n" + proc.stderr, folder)
    if proc.returncode != 0 and not diagnostics:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
        diagnostics = [Diagnostic(".", 1, 1, "mcs failed: " + " | ".join(tail))]
    return CheckResult("types", passed=proc.returncode == 0 and not diagnostics, diagnostics=diagnostics)


def parse_mcs_output(output: str, folder: Path) -> list[Diagnostic]:
    """Compiler errors from ``mcs`` output (``file(line,col): error CSnnnn: message``); warnings are ignored.

    Args:
        output: stdout + stderr of ``mcs``.
        folder: paths are reported relative to it.

    Returns:
        Diagnostics, deduplicated, in file/line order.

    """
    found: dict[tuple[str, int, int, str], Diagnostic] = {}
    for line in output.splitlines():
        line = line.strip()
        match = _ERROR_RE.match(line)
        if match:
            path = Path(match["file"])
            name = relative(path, folder)
            if path.resolve().parent == STUBS_DIR:
                name = f"<stubs>/{path.name}"  # an error reported inside a stub: the user's code misuses it
            key = (name, int(match["line"]), int(match["col"]), f"{match['code']}: {match['msg']}")
            found[key] = Diagnostic(*key)
            continue
        match = _GLOBAL_ERROR_RE.match(line)
        if match:
            key = (".", 1, 1, f"{match['code']}: {match['msg']}")
            found[key] = Diagnostic(*key)
    return sorted(found.values(), key=lambda d: (d.file, d.line, d.column))
