"""Player executables: write a one-file simulator player for ``mlagents-learn --env``; start players.

``mlagents-learn --env PATH`` starts ``PATH [-nographics -batchmode] --mlagents-port N -logFile F [env args]``
(``environment.py::_executable_args``) and on Linux looks for ``PATH``, ``PATH.x86_64`` or
``PATH.x86``. ``write_player_launcher`` writes such a file: a shell script that execs this package's simulator
player (``python -m mlops_unity_pipeline.bridge.player TASK``) with the interpreter that wrote it, so the
player runs on current Python even when the trainer's own environment is an old one.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from collections import deque
from collections.abc import Sequence
from pathlib import Path

from ..errors import SpecError, TrainError
from ..sim import canonical_task_name
from ..sim.catalog import MULTI_BEHAVIOR_TASKS

PLAYER_MODULE = "mlops_unity_pipeline.bridge.player"
"""The module a launcher runs."""
LAUNCHER_SUFFIX = ".x86_64"
"""Suffix of a Linux Unity player (what ``mlagents-learn`` looks for)."""


def write_player_launcher(
    path: Path | str,
    task: str,
    *,
    python: Path | str | None = None,
    num_areas: int | None = None,
    extra_args: Sequence[str] = (),
) -> Path:
    """Write an executable that starts the simulator player of ``task`` with the arguments it is given.

    Args:
        path: the file to write (a folder: ``<folder>/sim-<Task>.x86_64``).
        task: the simulator task (case-insensitive), or a multi-behavior one (``Chase``).
        python: the interpreter (default: the current one, whose environment has this package).
        num_areas: fixed ``--num-areas`` (default: what the trainer asks for).
        extra_args: more player arguments, before the trainer's.

    Returns:
        The launcher's path.

    Raises:
        SpecError: unknown task or ``num_areas`` < 1.

    """
    multi = {name.lower(): name for name in MULTI_BEHAVIOR_TASKS}  # Chase: a player of several behaviors
    name = multi.get(str(task).lower()) or canonical_task_name(task)
    if num_areas is not None and num_areas < 1:
        raise SpecError(f"num_areas: expected >= 1, got {num_areas}")
    target = Path(path)
    if target.is_dir():
        target = target / f"sim-{name}{LAUNCHER_SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    interpreter = str(Path(python) if python is not None else Path(sys.executable))
    args = [name] + ([f"--num-areas={num_areas}"] if num_areas is not None else []) + list(extra_args)
    script = (
        "#!/bin/sh\n"
        f"# Simulator player '{name}' (mlops_unity_pipeline), the Unity side of ML-Agents' protocol.\n"
        "# Launch it like a Unity player: <file> --mlagents-port N [-logFile F] [-batchmode -nographics]\n"
        "# The trainer's Python settings must not leak into this interpreter.\n"
        "unset PYTHONPATH PYTHONHOME VIRTUAL_ENV\n"
        f'exec {shlex.quote(interpreter)} -m {PLAYER_MODULE} {shlex.join(args)} "$@"\n'
    )
    target.write_text(script, encoding="utf-8")
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return target


def resolve_player(path: Path | str) -> Path:
    """Find the player executable ``mlops-unity learn --env`` names: a file, or a folder with one player.

    Args:
        path: the executable, ``PATH`` without its ``.x86_64`` suffix, or the build folder.

    Returns:
        The absolute path of the executable.

    Raises:
        TrainError: nothing there, several players in the folder, or a file that is not executable.

    """
    candidate = Path(path).expanduser()
    if candidate.is_dir():
        players = sorted(candidate.glob("*.x86_64")) + sorted(candidate.glob("*.x86"))
        if len(players) != 1:
            raise TrainError(
                f"--env {path}: the folder holds {len(players)} players (*.x86_64); pass the executable"
            )
        candidate = players[0]
    elif not candidate.exists():
        for suffix in (".x86_64", ".x86"):  # mlagents-learn accepts the name without its suffix too
            if candidate.with_name(candidate.name + suffix).is_file():
                candidate = candidate.with_name(candidate.name + suffix)
                break
        else:
            raise TrainError(
                f"--env {path}: no such player; pass a built Unity player or a simulator launcher "
                "(mlops-unity sim player TASK --write-launcher PATH)"
            )
    if not os.access(candidate, os.X_OK):
        raise TrainError(f"--env {candidate}: not executable; fix: chmod +x {candidate}")
    return candidate.resolve()


def player_command(
    executable: Path, port: int, *, log_file: Path | None, no_graphics: bool, env_args: Sequence[str] = ()
) -> list[str]:
    """Build the command line ``mlagents-learn`` uses to start a player (``_executable_args``).

    Args:
        executable: the player.
        port: its ``--mlagents-port``.
        log_file: ``-logFile`` (left out when ``env_args`` already set one, as upstream does).
        no_graphics: add ``-nographics -batchmode``.
        env_args: extra arguments for the player.

    Returns:
        The argument list.

    """
    command = [str(executable)]
    if no_graphics:
        command += ["-nographics", "-batchmode"]
    command += ["--mlagents-port", str(int(port))]
    if log_file is not None and "-logfile" not in (a.lower() for a in env_args):
        command += ["-logFile", str(log_file)]
    return command + list(env_args)


def launch_player(command: Sequence[str], *, output: Path) -> subprocess.Popen[bytes]:
    """Start a player in its own session (signals to the trainer do not reach it), output to ``output``.

    Args:
        command: from ``player_command``.
        output: file receiving the player's stdout and stderr.

    Returns:
        The process.

    Raises:
        TrainError: the executable cannot be started.

    """
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("ab") as sink:
        try:
            return subprocess.Popen(
                list(command),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            raise TrainError(f"cannot start player {command[0]}: {exc}") from exc


def tail_lines(path: Path | None, count: int = 15) -> list[str]:
    """Return the last ``count`` lines of a log file (empty when it does not exist)."""
    if path is None or not Path(path).is_file():
        return []
    with Path(path).open("r", encoding="utf-8", errors="replace") as handle:
        return [line.rstrip("\n") for line in deque(handle, maxlen=count)]
