"""``mlops-unity run JOB.yaml``: run a TrainingJob end to end, with a live progress display."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TextIO

import typer

from ..redact import redact
from ._common import emit_json, fail, handle_errors

WORKSPACE_OPTION = typer.Option(
    Path("./artifacts"),
    "--workspace",
    "-w",
    envvar="MLOPS_UNITY_WORKSPACE",
    help="Workspace folder (job store, artifacts, registry); the guide's default is ./artifacts.",
)


def _format_eta(seconds: float | None) -> str:
    if seconds is None or seconds != seconds or seconds < 0:
        return "--:--"
    seconds = int(round(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressDisplay:
    """Shows stage, steps, mean reward and ETA: one redrawn line on a TTY, plain lines otherwise.

    Plain mode prints a line per stage start and one per ~10% of training, so logs stay short.

    Args:
        stream: where to write (stderr, so ``--json`` stdout stays one object).
        tty: force TTY mode on or off (default: ``stream.isatty()``).

    """

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self._stage: str | None = None
        self._last_decile = -1
        self._last_draw = 0.0
        self._started = time.monotonic()

    def line(self, update: Any) -> str:
        """Format one progress update as a line."""
        parts = [f"[{update.job_id}] {update.stage:<8}"]
        if update.step is not None and update.max_steps:
            pct = 100.0 * update.step / update.max_steps
            parts.append(f"{update.step:>9,}/{update.max_steps:,} steps ({pct:5.1f}%)")
            if update.mean_reward is not None:
                parts.append(f"mean reward {update.mean_reward:8.3f}")
            parts.append(f"ETA {_format_eta(update.eta_s)}")
        elif update.message:
            parts.append(update.message)
        parts.append(f"elapsed {_format_eta(time.monotonic() - self._started)}")
        return " · ".join(parts)

    def __call__(self, update: Any) -> None:
        """Show an update (the orchestrator's ``on_progress`` callback)."""
        new_stage = update.stage != self._stage
        if new_stage and self.tty and self._stage is not None:
            self.stream.write("\n")
        self._stage = update.stage
        if self.tty:
            now = time.monotonic()
            if new_stage or now - self._last_draw >= 0.2:
                self._last_draw = now
                self.stream.write("\r\x1b[2K" + self.line(update))
                self.stream.flush()
            return
        decile = -1
        if update.step is not None and update.max_steps:
            decile = int(10 * update.step / update.max_steps)
        if new_stage or decile > self._last_decile:
            self._last_decile = decile if not new_stage else max(decile, -1)
            self.stream.write(self.line(update) + "\n")
            self.stream.flush()

    def close(self) -> None:
        """End the redrawn line."""
        if self.tty and self._stage is not None:
            self.stream.write("\n")
            self.stream.flush()


def summarize(result: Any) -> str:
    """Return a short human summary of a ``JobResult`` (what ``run`` prints without ``--json``)."""
    lines = [f"job {result.job_id}: {result.status.value}"]
    if result.ok:
        alias = "champion" if result.promoted else "candidate"
        lines.append(f"  model      {result.model_path}")
        lines.append(f"  sha256     {result.model_sha256}")
        lines.append(f"  registry   version {result.registry_version} ({alias})")
        for key in ("eval/mean_reward", "eval/success_rate", "baseline/mean_reward", "train/steps"):
            if key in result.metrics and result.metrics[key] is not None:
                value = result.metrics[key]
                lines.append(
                    f"  {key:<22} {value:.4g}" if isinstance(value, float) else f"  {key:<22} {value}"
                )
        for key in ("metadata", "report_learning_curve", "report_episode_gif", "job_dir"):
            if key in result.paths:
                lines.append(f"  {key:<22} {result.paths[key]}")
    else:
        lines.append(f"  stage      {result.failed_stage}")
        lines.append(f"  error      {result.error}")
        lines.append(f"  resume with: mlops-unity jobs resume {result.job_id}")
    return "\n".join(lines)


def finish(result: Any, as_json: bool) -> None:
    """Print a result and exit non-zero unless it succeeded."""
    if as_json:
        emit_json(result.to_dict())
    else:
        typer.echo(redact(summarize(result)))
    if not result.ok:
        code = 130 if result.status.value == "cancelled" else 1
        # The job's error already starts with the stage name ("train: diverged at step 1200 ...").
        raise fail(f"job {result.job_id} {result.status.value}: {result.error}", code=code)


def make_orchestrator(workspace: Path, display: ProgressDisplay | None) -> Any:
    """Build the orchestrator for a CLI command (stages and trainer are imported here, not at CLI start)."""
    from ..orchestrator.engine import UnityMLOpsOrchestrator

    return UnityMLOpsOrchestrator(workspace, on_progress=display)


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
    import asyncio

    display = None if quiet else ProgressDisplay()
    orchestrator = make_orchestrator(workspace, display)
    try:
        result = asyncio.run(call(orchestrator))
    finally:
        if display is not None:
            display.close()
        orchestrator.close()  # let webhook deliveries finish before the process exits
    finish(result, as_json)


def register(app: typer.Typer) -> None:
    """Add ``run`` to the app."""

    @app.command("run")
    @handle_errors
    def run(
        job_file: Path = typer.Argument(..., help="Job file (YAML or JSON): job_id, asset_spec, rl_config."),
        workspace: Path = WORKSPACE_OPTION,
        as_json: bool = typer.Option(False, "--json", help="Print the result as one JSON object."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
    ) -> None:
        """Run a TrainingJob end to end: codegen, build, train, evaluate, package, register, notify."""
        from ..specs import load_job

        job = load_job(job_file)
        if os.environ.get("MLOPS_UNITY_PRINT_PID"):  # lets tests and supervisors find the job's process
            sys.stderr.write(f"pid {os.getpid()}\n")
        drive(workspace, quiet, as_json, lambda orchestrator: orchestrator.execute_training_job(job))
