"""The real ML-Agents 1.1.0 for cross-check tests: one venv, built from ``scripts/mlagents-venv.lock``.

``tests/conftest.py`` turns :func:`provide` into the session fixture ``mlagents_venv``: pytest caches a
session fixture's result, and its skip too, so the venv is built at most once per run, whichever test asks
first, and every test that needs it and cannot get it skips with the same reason.

Reuse: ``.venv-mlagents`` is taken as it is when the lock hash that ``scripts/setup_mlagents_venv.sh``
records in it (only after the venv verifiably ran) equals the committed lock's. Otherwise the script rebuilds
it, under a file lock so that two test runs on one checkout never build it at the same time.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
LOCK = REPO_ROOT / "scripts" / "mlagents-venv.lock"
SETUP_SCRIPT = REPO_ROOT / "scripts" / "setup_mlagents_venv.sh"
VENV = REPO_ROOT / ".venv-mlagents"
#: Written by the setup script into the venv once it works: the sha256 of the lock it was built from.
STAMP_NAME = ".mlagents-lock.sha256"
#: Cold builds download torch (~870 MB) unless a wheel cache has it; generous (skipped past it).
BUILD_TIMEOUT_S = 1200


@dataclass(frozen=True)
class MlagentsVenv:
    """A Python with mlagents 1.1.0 and its ``mlagents-learn`` launcher, and how the run got them."""

    python: Path
    learn: Path
    origin: str


def lock_sha256(lock: Path = LOCK) -> str:
    """The sha256 of the lock file, as the setup script records it."""
    return hashlib.sha256(lock.read_bytes()).hexdigest()


def is_current(venv: Path, lock: Path = LOCK) -> bool:
    """The venv has its Python and launcher and was verifiably built from this exact lock."""
    stamp = venv / STAMP_NAME
    return (
        (venv / "bin" / "python").exists()
        and (venv / "bin" / "mlagents-learn").is_file()
        and stamp.is_file()
        and stamp.read_text().strip() == lock_sha256(lock)
    )


def _explicit() -> MlagentsVenv | None:
    """``MLAGENTS_PYTHON`` / ``MLAGENTS_LEARN`` from the environment (a machine's own install), if set."""
    python = os.environ.get("MLAGENTS_PYTHON", "").strip()
    learn = os.environ.get("MLAGENTS_LEARN", "").strip()
    if not python and not learn:
        return None
    for name, value in (("MLAGENTS_PYTHON", python), ("MLAGENTS_LEARN", learn)):
        if value and not Path(value).is_file():
            pytest.skip(f"{name}={value} is not a file (unset it to let the tests build .venv-mlagents)")
    python_path = Path(python) if python else Path(learn).parent / "python"
    learn_path = Path(learn) if learn else Path(python).parent / "mlagents-learn"
    return MlagentsVenv(python_path, learn_path, "from MLAGENTS_PYTHON/MLAGENTS_LEARN")


def _uv() -> str | None:
    """The uv next to the running Python (the project's venv), which the script prefers over pip."""
    candidate = Path(sys.executable).parent / "uv"
    return str(candidate) if candidate.is_file() else None


def _build_lock_path(venv: Path) -> Path:
    """A lock file per venv path, outside the venv (the script replaces the venv whole)."""
    key = hashlib.sha256(str(venv.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"mlops-mlagents-venv-{key}.lock"


def provide(
    announce: Callable[[str], None],
    venv: Path = VENV,
    script: Path = SETUP_SCRIPT,
    lock: Path = LOCK,
) -> MlagentsVenv:
    """The mlagents venv: explicit, reused when current, else built by the setup script; skips on failure.

    Args:
        announce: prints a progress line on the terminal (the build takes a minute or more).
        venv: where the venv lives (``.venv-mlagents`` in the checkout).
        script: the setup script that builds it.
        lock: the lock file whose hash the venv must carry.
    """
    explicit = _explicit()
    if explicit is not None:
        return explicit
    python, learn = venv / "bin" / "python", venv / "bin" / "mlagents-learn"
    if is_current(venv, lock):
        return MlagentsVenv(python, learn, f"reused {venv.name} (lock sha256 {lock_sha256(lock)[:12]})")
    with _build_lock_path(venv).open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # another run building the same venv: wait, then reuse its work
        if is_current(venv, lock):
            return MlagentsVenv(python, learn, f"reused {venv.name} built by a concurrent run")
        announce(f"mlagents venv: building {venv} from {lock.name} (a minute or more)")
        env = dict(os.environ)
        uv = _uv()
        if uv and "UV" not in env:
            env["UV"] = uv
        start = time.monotonic()
        try:
            done = subprocess.run(
                ["bash", str(script), str(venv)],
                capture_output=True,
                text=True,
                timeout=BUILD_TIMEOUT_S,
                cwd=REPO_ROOT,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.skip(f"mlagents venv: {script.name} did not finish in {BUILD_TIMEOUT_S} s")
        if done.returncode != 0 or not is_current(venv, lock):
            tail = " | ".join((done.stdout + done.stderr).strip().splitlines()[-4:])
            pytest.skip(
                f"mlagents venv: {script.name} failed (exit {done.returncode}; no package registry?): {tail}"
            )
        seconds = time.monotonic() - start
        return MlagentsVenv(python, learn, f"built {venv.name} from {lock.name} in {seconds:.0f} s")
