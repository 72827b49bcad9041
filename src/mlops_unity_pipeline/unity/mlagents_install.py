"""Finding and checking an ``mlagents-learn`` install: ``MLAGENTS_LEARN``, ``.venv-mlagents`` or ``PATH``.

``mlagents-learn`` lives in its own virtual environment (``scripts/setup_mlagents_venv.sh``); its versions
are read from the interpreter in its shebang. Running it is ``mlagents_learn.py``'s job.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import TrainError

logger = logging.getLogger(__name__)

#: Environment variable naming the ``mlagents-learn`` executable.
MLAGENTS_ENV_VAR = "MLAGENTS_LEARN"
#: Where ``scripts/setup_mlagents_venv.sh`` puts it by default (relative to the working directory).
DEFAULT_VENV_EXECUTABLE = Path(".venv-mlagents") / "bin" / "mlagents-learn"
#: The ML-Agents release whose YAML schema and results layout we target (Release 22).
TARGET_VERSION = "1.1.0"
# Variables of *our* interpreter that would leak into the other venv's Python.
_SCRUBBED_ENV = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "__PYVENV_LAUNCHER__")


@dataclass(frozen=True)
class MlagentsInstall:
    """A checked ``mlagents-learn`` installation.

    Attributes:
        executable: the ``mlagents-learn`` program.
        python: the interpreter of its environment (from its shebang), when found.
        mlagents_version: ``mlagents`` package version (None when it could not be read).
        mlagents_envs_version: ``mlagents-envs`` package version.
        python_version: that interpreter's version.
        torch_version: torch in that environment.

    """

    executable: Path
    python: Path | None
    mlagents_version: str | None
    mlagents_envs_version: str | None
    python_version: str | None
    torch_version: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """Return a JSON-ready dict.

        Returns:
            The fields, paths as strings.

        """
        return {
            "executable": str(self.executable),
            "python": str(self.python) if self.python else None,
            "mlagents_version": self.mlagents_version,
            "mlagents_envs_version": self.mlagents_envs_version,
            "python_version": self.python_version,
            "torch_version": self.torch_version,
        }


def find_mlagents_learn(env: Mapping[str, str] | None = None, *, cwd: Path | None = None) -> Path:
    """Find the ``mlagents-learn`` executable.

    Order: ``MLAGENTS_LEARN``, then ``PATH``, then ``.venv-mlagents/bin/mlagents-learn`` in ``cwd``
    (what ``scripts/setup_mlagents_venv.sh`` creates).

    Args:
        env: environment variables (``os.environ`` by default).
        cwd: where to look for ``.venv-mlagents`` (the current directory by default).

    Returns:
        The executable.

    Raises:
        TrainError: not found, or ``MLAGENTS_LEARN`` names something that is not an executable file.

    """
    env = os.environ if env is None else env
    explicit = env.get(MLAGENTS_ENV_VAR, "").strip()
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file() or not os.access(path, os.X_OK):
            raise TrainError(
                f"{MLAGENTS_ENV_VAR}={explicit}: not an executable file; point it at the mlagents-learn of "
                "its own virtual environment (scripts/setup_mlagents_venv.sh prints the line to export)"
            )
        return path
    on_path = shutil.which("mlagents-learn", path=env.get("PATH"))
    if on_path:
        return Path(on_path)
    local = (Path(cwd) if cwd is not None else Path.cwd()) / DEFAULT_VENV_EXECUTABLE
    if local.is_file() and os.access(local, os.X_OK):
        return local
    raise TrainError(
        f"mlagents-learn not found ({MLAGENTS_ENV_VAR} unset, not on PATH, no {DEFAULT_VENV_EXECUTABLE}); "
        "fix: "
        f"run scripts/setup_mlagents_venv.sh (creates .venv-mlagents with mlagents {TARGET_VERSION}) and "
        f"export {MLAGENTS_ENV_VAR}=.venv-mlagents/bin/mlagents-learn"
    )


def _shebang_python(executable: Path) -> Path | None:
    try:
        with executable.open("rb") as handle:
            first = handle.readline(1024).decode("utf-8", errors="replace").strip()
    except OSError:
        return None
    if not first.startswith("#!"):
        return None
    parts = first[2:].split()
    if not parts:
        return None
    if Path(parts[0]).name == "env" and len(parts) > 1:  # #!/usr/bin/env python3
        found = shutil.which(parts[-1])
        return Path(found) if found else None
    return Path(parts[0])


_PROBE = (
    "import json, platform\n"
    "from importlib.metadata import version, PackageNotFoundError\n"
    "def v(n):\n"
    "    try:\n        return version(n)\n"
    "    except PackageNotFoundError:\n        return None\n"
    "print(json.dumps({'mlagents': v('mlagents'), 'mlagents_envs': v('mlagents-envs'), "
    "'torch': v('torch'), 'python': platform.python_version()}))\n"
)


def inspect_mlagents_learn(
    executable: Path, *, timeout_s: float = 120.0, run_help: bool = True
) -> MlagentsInstall:
    """Check that ``mlagents-learn`` runs and read the versions of its environment.

    Versions come from the interpreter in its shebang (``importlib.metadata``, no heavy imports); that it
    runs is checked with ``mlagents-learn --help`` (imports torch and every trainer, a few seconds).

    Args:
        executable: the program (see :func:`find_mlagents_learn`).
        timeout_s: limit for each probe.
        run_help: also run ``--help``.

    Returns:
        The ``MlagentsInstall``.

    Raises:
        TrainError: it does not run, or its mlagents is older than 1.0 (a YAML schema we do not write).

    """
    python = _shebang_python(executable)
    versions: dict[str, str | None] = {}
    if python is not None:
        try:
            probe = subprocess.run(
                [str(python), "-c", _PROBE],
                capture_output=True,
                text=True,
                timeout=timeout_s,
                env=child_env(os.environ),
                check=False,
            )
            if probe.returncode == 0:
                versions = json.loads(probe.stdout.strip().splitlines()[-1])
        except (OSError, subprocess.TimeoutExpired, ValueError, IndexError) as exc:
            logger.warning("could not read versions from %s: %s", python, exc)
    if run_help:
        try:
            helped = subprocess.run(
                [str(executable), "--help"],
                capture_output=True,
                text=True,
                timeout=timeout_s,
                env=child_env(os.environ),
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise TrainError(f"{executable} --help did not run: {exc}") from exc
        if helped.returncode != 0 or "--run-id" not in helped.stdout:
            last = "\n".join(f"  | {x}" for x in (helped.stdout + helped.stderr).strip().splitlines()[-8:])
            raise TrainError(
                f"{executable} --help failed (exit code {helped.returncode}):\n{last}\nfix: re-run "
                "scripts/setup_mlagents_venv.sh to repair its environment"
            )
    version = versions.get("mlagents")
    if version is not None and int(version.split(".")[0]) < 1:
        raise TrainError(
            f"{executable}: mlagents {version} is too old; this pipeline writes the Release 22 trainer YAML "
            f"(mlagents {TARGET_VERSION}); fix: scripts/setup_mlagents_venv.sh"
        )
    if version is not None and version != TARGET_VERSION:
        logger.warning("mlagents %s found; the pipeline is tested with %s", version, TARGET_VERSION)
    return MlagentsInstall(
        executable=executable,
        python=python,
        mlagents_version=version,
        mlagents_envs_version=versions.get("mlagents_envs"),
        python_version=versions.get("python"),
        torch_version=versions.get("torch"),
    )


def child_env(base: Mapping[str, str]) -> dict[str, str]:
    """Return the environment for a child in the ML-Agents venv: ours without Python variables, unbuffered."""
    env = {k: v for k, v in base.items() if k not in _SCRUBBED_ENV}
    env["PYTHONUNBUFFERED"] = "1"  # summary lines must arrive as they are printed, not at exit
    return env
