"""``mlops-unity run JOB.yaml``: run a TrainingJob end to end, with a live progress display."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import typer

from ..progress import ProgressDisplay
from ..redact import redact
from ..specs import load_job
from ._common import QUIET_OPTION, RESULT_JSON_OPTION, emit_json, fail, handle_errors

__all__ = ["WORKSPACE_OPTION", "ProgressDisplay", "drive", "finish", "make_orchestrator", "summarize"]

WORKSPACE_OPTION = typer.Option(
    Path("./artifacts"),
    "--workspace",
    "-w",
    envvar="MLOPS_UNITY_WORKSPACE",
    help="Workspace folder (job store, artifacts, registry); the guide's default is ./artifacts.",
)


def summarize(result: Any) -> str:
    """Return a short human summary of a ``JobResult`` (what ``run`` prints without ``--json``)."""
    lines = [f"job {result.job_id}: {result.status.value}"]
    if result.ok:
        alias = "champion" if result.promoted else "candidate"
        lines.append(f"  model      {result.model_path}")
        lines.append(f"  sha256     {result.model_sha256}")
        lines.append(f"  registry   version {result.registry_version} ({alias})")
        if result.identical_to_job:
            lines.append(
                f"             identical (sha256) to job {result.identical_to_job}'s model: no new version"
            )
        for key in ("eval/mean_reward", "eval/success_rate", "baseline/mean_reward", "train/steps"):
            if key in result.metrics and result.metrics[key] is not None:
                value = result.metrics[key]
                lines.append(
                    f"  {key:<22} {value:.4g}" if isinstance(value, float) else f"  {key:<22} {value}"
                )
        for key in ("report", "metadata", "job_dir"):
            if key in result.paths:
                lines.append(f"  {key:<22} {result.paths[key]}")
    else:
        lines.append(f"  stage      {result.failed_stage}")
        lines.append(f"  error      {result.error}")
        lines.append(f"  resume with: mlops-unity jobs resume {result.job_id}")
    return "\n".join(lines)


def show(result: Any, as_json: bool) -> None:
    """Print a result (a summary, or one JSON object)."""
    if as_json:
        emit_json(result.to_dict())
    else:
        typer.echo(redact(summarize(result)))


def finish(result: Any, as_json: bool, *, shown: bool = False) -> None:
    """Print a result (unless ``shown``) and exit non-zero unless it succeeded."""
    if not shown:
        show(result, as_json)
    if not result.ok:
        code = 130 if result.status.value == "cancelled" else 1
        # The job's error already starts with the stage name ("train: diverged at step 1200 ...").
        raise fail(f"job {result.job_id} {result.status.value}: {result.error}", code=code)


EXIT_WAIT_S = 10.0
"""After printing its result, ``run`` / ``jobs resume`` wait at most this long for webhook deliveries."""


def make_orchestrator(workspace: Path, display: ProgressDisplay | None) -> Any:
    """Build the orchestrator for a CLI command, wired from the environment (mirrors, webhooks).

    Stages and trainer are imported here, not at CLI start.
    """
    from ..orchestrator.pipeline import UnityMLOpsOrchestrator  # start-up

    return UnityMLOpsOrchestrator.from_env(workspace, on_progress=display)


def drive(
    workspace: Path, quiet: bool, as_json: bool, call: Callable[[Any], Coroutine[Any, Any, Any]]
) -> None:
    """Run one orchestrator call (``run`` or ``jobs resume``) with the progress display, then ``finish``.

    Args:
        workspace: the workspace folder.
        quiet: no progress display.
        as_json: print the result as one JSON object.
        call: given the orchestrator, returns the coroutine that runs the job.

    Raises:
        typer.Exit: non-zero unless the job succeeded (from ``finish``).

    """
    display = None if quiet else ProgressDisplay()  # stderr: live with rich on a terminal, lines otherwise
    orchestrator = make_orchestrator(workspace, display)
    try:
        result = asyncio.run(call(orchestrator))
    except BaseException:
        if display is not None:
            display.close()
        orchestrator.close(EXIT_WAIT_S)
        raise
    if display is not None:
        display.close()
    # The result first; then webhook deliveries still in flight get at most EXIT_WAIT_S (documented in
    # docs/integrations.md), and what is left is dropped with a warning: nothing else waits at exit.
    show(result, as_json)
    pending = getattr(orchestrator.notifier, "pending", 0)
    if pending and not quiet and not as_json:
        sys.stderr.write(f"waiting up to {EXIT_WAIT_S:g} s for {pending} webhook delivery(ies)\n")
    orchestrator.close(EXIT_WAIT_S)
    finish(result, as_json, shown=True)


def register(app: typer.Typer) -> None:
    """Add ``run`` to the app."""

    @app.command("run")
    @handle_errors
    def run(
        job_file: Path = typer.Argument(..., help="Job file (YAML or JSON): job_id, asset_spec, rl_config."),
        workspace: Path = WORKSPACE_OPTION,
        as_json: bool = RESULT_JSON_OPTION,
        quiet: bool = QUIET_OPTION,
    ) -> None:
        """Run a TrainingJob end to end: codegen, build, train, evaluate, package, register, notify."""
        job = load_job(job_file)
        if os.environ.get("MLOPS_UNITY_PRINT_PID"):  # lets tests and supervisors find the job's process
            sys.stderr.write(f"pid {os.getpid()}\n")
        drive(workspace, quiet, as_json, lambda orchestrator: orchestrator.execute_training_job(job))
