"""TensorBoard over a whole workspace: every job's training metrics under one log dir.

The trainer writes ML-Agents' results layout inside each job attempt's folder::

    <workspace>/jobs/<job_id>/attempt-<n>/results/<job_id>/<Behavior>/events.out.tfevents.*

TensorBoard finds event files recursively, so pointing it at ``<workspace>/jobs`` shows every job — past,
running and future ones, without restarting — as runs named
``<job_id>/attempt-<n>/results/<job_id>/<Behavior>``.
``list_runs`` reports the same runs (for ``mlops-unity tensorboard --json``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SpecError

EVENTS_GLOB = "events.out.tfevents.*"
DEFAULT_PORT = 6006
DEFAULT_HOST = "127.0.0.1"


@dataclass(frozen=True)
class TensorBoardRun:
    """One folder of event files (one behavior of one job attempt)."""

    name: str
    """The run name TensorBoard shows (the folder relative to the log dir)."""
    path: Path
    """The folder."""
    job_id: str | None
    """The job it belongs to (``None`` for a folder outside the job layout)."""
    behavior: str
    """The behavior name (the folder's own name)."""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"name": self.name, "path": str(self.path), "job_id": self.job_id, "behavior": self.behavior}


def workspace_logdir(workspace: Path | str) -> Path:
    """Return the log dir that holds every job's TensorBoard events: ``<workspace>/jobs``.

    Args:
        workspace: the orchestrator's workspace folder.

    Returns:
        ``<workspace>/jobs`` (it may not exist yet; TensorBoard then shows runs as jobs appear).

    """
    return Path(workspace) / "jobs"


def list_runs(workspace: Path | str) -> list[TensorBoardRun]:
    """Return every folder with event files under the workspace's log dir, ordered by name.

    Args:
        workspace: the workspace folder.

    Returns:
        The runs TensorBoard will show.

    """
    logdir = workspace_logdir(workspace)
    if not logdir.is_dir():
        return []
    folders = sorted({path.parent for path in logdir.rglob(EVENTS_GLOB) if path.is_file()})
    runs = []
    for folder in folders:
        relative = folder.relative_to(logdir)
        runs.append(
            TensorBoardRun(
                name=relative.as_posix(),
                path=folder,
                job_id=relative.parts[0] if len(relative.parts) > 1 else None,
                behavior=folder.name,
            )
        )
    return runs


def tensorboard_command(
    workspace: Path | str, *, port: int = DEFAULT_PORT, host: str = DEFAULT_HOST, reload_interval_s: int = 30
) -> list[str]:
    """Build the command line that serves the workspace's TensorBoard.

    Args:
        workspace: the workspace folder.
        port: the port (0 lets TensorBoard pick one).
        host: the interface to bind; the default serves this machine only (use ``0.0.0.0`` deliberately).
        reload_interval_s: how often TensorBoard rescans for new jobs and events.

    Returns:
        ``[python, -m, tensorboard.main, --logdir, <workspace>/jobs, --port, P, --host, H,
        --reload_interval, S]``.

    Raises:
        SpecError: on a port outside 0-65535 or a non-positive reload interval.

    """
    if not 0 <= int(port) <= 65535:
        raise SpecError(f"--port: expected 0-65535, got {port}")
    if int(reload_interval_s) <= 0:
        raise SpecError(f"--reload-interval: expected > 0 seconds, got {reload_interval_s}")
    return [
        sys.executable,
        "-m",
        "tensorboard.main",
        "--logdir",
        str(workspace_logdir(workspace).resolve()),
        "--port",
        str(int(port)),
        "--host",
        host,
        "--reload_interval",
        str(int(reload_interval_s)),
    ]
