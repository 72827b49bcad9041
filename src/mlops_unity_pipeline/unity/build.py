"""Building a headless Linux player with the Unity Editor in batch mode, and checking what it produced."""

from __future__ import annotations

import logging
import os
import re
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .._validate import ID_PATTERN, short
from ..errors import BuildError
from .build_log import build_error_from_log, scan_log
from .editor import EditorInfo, find_editor
from .process import run_process

logger = logging.getLogger(__name__)

#: Where the generated build script lives; the method is found by :func:`find_build_method`.
BUILD_SCRIPT_GLOB = "Assets/**/Editor/**/*.cs"
#: Build target / subtarget flags (Unity command line; the Server subtarget exists since 2021.2).
BUILD_TARGET = "Linux64"
#: Arguments the build method reads (named like upstream's StandaloneBuildTest.cs, mlagents.md §5.5).
OUTPUT_ARG = "--mlagents-build-output-path"
TARGET_ARG = "--mlagents-build-target"
#: Also exported to the Editor's environment, for build scripts that prefer it to argument parsing.
OUTPUT_ENV_VAR = "MLOPS_BUILD_OUTPUT"
#: Linux players are ``<name>.x86_64`` next to ``<name>_Data/``.
PLAYER_SUFFIX = ".x86_64"


@dataclass(frozen=True)
class BuildResult:
    """A verified Unity player build.

    Attributes:
        player_path: the player executable.
        unity_version: the Editor version that built it (None if unknown).
        log_path: the Editor's full batch-mode log.
        duration_s: wall-clock seconds of the Editor run.
        command: the exact Editor command line.

    """

    player_path: Path
    unity_version: str | None
    log_path: Path
    duration_s: float
    command: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict (for job metadata).

        Returns:
            The fields, paths as strings.

        """
        return {
            "player_path": str(self.player_path),
            "unity_version": self.unity_version,
            "log_path": str(self.log_path),
            "duration_s": round(self.duration_s, 3),
            "command": list(self.command),
        }


_NAMESPACE_RE = re.compile(r"^\s*namespace\s+([\w.]+)", re.MULTILINE)
_CLASS_RE = re.compile(r"\bclass\s+(\w+)")
_METHOD_RE = re.compile(r"\bpublic\s+static\s+void\s+(Build\w*)\s*\(\s*\)")


def find_build_method(project_dir: Path) -> str:
    """Find the static build method to pass to ``-executeMethod`` (``Namespace.Class.Method``).

    Looks in the project's Editor scripts for ``public static void Build…()``; a file named
    ``BuildPlayer.cs`` (what codegen writes) is preferred.

    Args:
        project_dir: the Unity project.

    Returns:
        The fully qualified method name.

    Raises:
        BuildError: no such method in any Editor script.

    """
    scripts = sorted(
        Path(project_dir).glob(BUILD_SCRIPT_GLOB), key=lambda p: (p.name != "BuildPlayer.cs", str(p))
    )
    for script in scripts:
        text = script.read_text(encoding="utf-8", errors="replace")
        method = _METHOD_RE.search(text)
        if method is None:
            continue
        classes = [m for m in _CLASS_RE.finditer(text) if m.start() < method.start()]
        if not classes:
            continue
        namespace = _NAMESPACE_RE.search(text[: method.start()])
        parts = [namespace.group(1)] if namespace else []
        parts += [classes[-1].group(1), method.group(1)]
        return ".".join(parts)
    raise BuildError(
        f"{project_dir}: no build method found; expected an Editor script ({BUILD_SCRIPT_GLOB}, e.g. the "
        "generated Assets/Editor/BuildPlayer.cs) with 'public static void Build…()' that reads "
        f"{OUTPUT_ARG} and calls BuildPipeline.BuildPlayer"
    )


def player_name(project_dir: Path) -> str:
    """Return the player's file stem for a project: its folder name, reduced to safe characters.

    Args:
        project_dir: the Unity project.

    Returns:
        A name like ``RollerBall`` (``Player`` when nothing safe remains).

    """
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(project_dir).resolve().name).strip("._-")
    return stem or "Player"


def build_command(
    editor: EditorInfo,
    project_dir: Path,
    player_path: Path,
    log_path: Path,
    *,
    method: str,
    server: bool = True,
) -> list[str]:
    """Return the exact Editor command line for a headless Linux player build.

    Args:
        editor: the Editor to run.
        project_dir: the Unity project.
        player_path: the player executable to produce (``…/<name>.x86_64``).
        log_path: the Editor log file (``-logFile``).
        method: the ``-executeMethod`` target.
        server: build the Dedicated Server subtarget (headless; no graphics device needed).

    Returns:
        The argument list (absolute paths).

    """
    command = [
        str(editor.path),
        "-batchmode",
        "-nographics",
        "-quit",
        "-projectPath",
        str(Path(project_dir).resolve()),
        "-buildTarget",
        BUILD_TARGET,
    ]
    if server:
        command += ["-standaloneBuildSubtarget", "Server"]
    command += [
        "-executeMethod",
        method,
        "-logFile",
        str(Path(log_path).resolve()),
        OUTPUT_ARG,
        str(Path(player_path).resolve()),
        TARGET_ARG,
        "StandaloneLinux64",
    ]
    return command


def verify_player(player_path: Path) -> Path:
    """Check that a Linux player build is complete: the executable (execute bit set) and ``<name>_Data/``.

    If ``player_path`` is missing but its folder holds exactly one ``*.x86_64`` (a build script that chose
    its own name), that one is used.

    Args:
        player_path: the expected executable.

    Returns:
        The verified executable path.

    Raises:
        BuildError: missing, not executable, or without its data folder.

    """
    path = Path(player_path)
    if not path.is_file():
        others = sorted(path.parent.glob(f"*{PLAYER_SUFFIX}")) if path.parent.is_dir() else []
        if len(others) != 1:
            listing = (
                ", ".join(p.name for p in sorted(path.parent.iterdir())) if path.parent.is_dir() else "none"
            )
            raise BuildError(
                f"the build reported success but the player {path} does not exist (files in "
                f"{path.parent}: {listing or 'none'}); the build method must write to the {OUTPUT_ARG} path"
            )
        path = others[0]
    if not os.access(path, os.X_OK):
        raise BuildError(f"player {path} is not executable (no execute permission); fix: chmod +x {path}")
    data_dir = (
        path.with_name(path.name[: -len(PLAYER_SUFFIX)] + "_Data")
        if path.name.endswith(PLAYER_SUFFIX)
        else None
    )
    if data_dir is not None and not data_dir.is_dir():
        raise BuildError(f"player {path} has no {data_dir.name}/ folder next to it; the build is incomplete")
    return path


def build_player(
    project_dir: Path,
    output_dir: Path,
    *,
    editor: EditorInfo,
    timeout_s: float,
    log_path: Path,
    method: str | None = None,
    server: bool = True,
    on_log_line: Callable[[str], None] | None = None,
    env: Mapping[str, str] | None = None,
    grace_s: float = 30.0,
    name: str | None = None,
) -> BuildResult:
    """Build a headless Linux player of ``project_dir`` into ``output_dir`` with the Unity Editor.

    The Editor's log is streamed while it runs (``on_log_line``), and a failed build raises a
    ``BuildError`` quoting the relevant log lines (compiler errors with file:line, licence, missing module).

    Args:
        project_dir: the Unity project (with ``Assets/``, ``Packages/``, ``ProjectSettings/``).
        output_dir: where the player goes (``<output_dir>/<name>.x86_64``).
        editor: the Editor to use (see :func:`find_editor`).
        timeout_s: stop the Editor (SIGTERM, then SIGKILL after ``grace_s``) after this many seconds.
        log_path: the Editor's log file.
        method: the ``-executeMethod`` target; found in the project's Editor scripts by default.
        server: build the Dedicated Server subtarget.
        on_log_line: called with each log line as Unity writes it.
        env: the Editor's environment (``os.environ`` by default).
        grace_s: seconds between SIGTERM and SIGKILL on timeout.
        name: the player's file stem (``<name>.x86_64``; the pipeline passes the behavior name); default
            :func:`player_name` of the project folder.

    Returns:
        The verified ``BuildResult``.

    Raises:
        BuildError: bad project, Editor failure (with the cause and fix), timeout, an incomplete player, or
            a ``name`` that is not a plain file name.

    """
    project_dir = Path(project_dir)
    if not (project_dir / "Assets").is_dir():
        raise BuildError(f"{project_dir}: not a Unity project (no Assets/ folder)")
    if timeout_s <= 0:
        raise BuildError(f"timeout_s: expected a positive number of seconds, got {timeout_s}")
    method = method or find_build_method(project_dir)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)  # a stale log from an earlier run must not be mistaken for this one
    if name is not None and not ID_PATTERN.fullmatch(name):
        raise BuildError(f"player name {short(name)}: expected 1-128 letters, digits, '.', '_' or '-'")
    player_path = output_dir / f"{name or player_name(project_dir)}{PLAYER_SUFFIX}"
    command = build_command(editor, project_dir, player_path, log_path, method=method, server=server)
    run_env = dict(os.environ if env is None else env)
    run_env[OUTPUT_ENV_VAR] = str(player_path.resolve())
    logger.info("building %s with Unity %s: %s", project_dir, editor.version or "?", " ".join(command))
    start = time.monotonic()
    try:
        outcome = run_process(
            command,
            cwd=project_dir,
            env=run_env,
            timeout_s=timeout_s,
            on_line=on_log_line,
            tail_file=log_path,
            transcript=log_path.with_name(log_path.name + ".stdout"),
            stop_signal=signal.SIGTERM,
            grace_s=grace_s,
        )
    except OSError as exc:
        raise BuildError(f"could not start the Unity Editor {editor.path}: {exc}") from exc
    duration = time.monotonic() - start
    log_lines = outcome.log_lines(log_path)
    if outcome.timed_out:
        last = "\n".join(f"  | {line}" for line in [x for x in log_lines if x.strip()][-10:])
        raise BuildError(
            f"Unity build timed out after {timeout_s:g} s and was stopped; last log lines:\n{last}\n"
            f"fix: raise the build timeout, or look for a dialog/licence prompt waiting in the log {log_path}"
        )
    problems = scan_log(log_lines)
    if outcome.returncode != 0:
        raise build_error_from_log(problems, returncode=outcome.returncode, log_path=log_path, tail=log_lines)
    try:
        verified = verify_player(player_path)
    except BuildError as exc:
        if problems:  # exit 0 but the log says why nothing was built
            raise build_error_from_log(problems, returncode=0, log_path=log_path, tail=log_lines) from exc
        raise
    return BuildResult(
        player_path=verified,
        unity_version=editor.version,
        log_path=log_path,
        duration_s=duration,
        command=tuple(command),
    )


def build_unity_player(
    project_dir: Path,
    output_dir: Path,
    *,
    editor: EditorInfo | None = None,
    timeout_s: float = 3600,
    log_path: Path,
    on_log_line: Callable[[str], None] | None = None,
    name: str | None = None,
) -> BuildResult:
    """Build for the pipeline (``build_backend: unity``): find the Editor (if not given) and build.

    Args:
        project_dir: the Unity project (generated by codegen).
        output_dir: where the player goes.
        editor: the Editor; found with :func:`find_editor` (``UNITY_EDITOR_PATH``, Unity Hub) by default.
        timeout_s: build timeout in seconds.
        log_path: the Editor's log file.
        on_log_line: called with each log line.
        name: the player's file stem (see :func:`build_player`).

    Returns:
        The verified ``BuildResult``.

    Raises:
        BuildError: no suitable Editor, or the build failed (see :func:`build_player`).

    """
    editor = editor or find_editor(Path(project_dir))
    return build_player(
        project_dir,
        output_dir,
        editor=editor,
        timeout_s=timeout_s,
        log_path=log_path,
        on_log_line=on_log_line,
        name=name,
    )
