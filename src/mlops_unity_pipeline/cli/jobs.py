"""``mlops-unity jobs list|show|resume|cancel``: inspect and control jobs in a workspace's job store."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import typer

from ..errors import SpecError, StoreError
from ..orchestrator.jobs import JobStore
from ..orchestrator.outputs import PackageOutput, StageOutput, decode_output
from ..orchestrator.states import RunState
from ..specs import validate_id
from ._common import JSON_OPTION, QUIET_OPTION, RESULT_JSON_OPTION, emit_json, handle_errors, print_table
from .run import WORKSPACE_OPTION, drive

JOB_ID_ARGUMENT = typer.Argument(..., help="The job id.")
"""The job a ``jobs`` command acts on."""


def open_store(workspace: Path) -> Any:
    """Open an existing workspace's job store (never creates one).

    Raises:
        StoreError: when the workspace has no job store.

    """
    path = Path(workspace) / "pipeline.db"
    if not path.is_file():
        raise StoreError(f"no job store at {path} (run a job first, or pass --workspace)")
    return JobStore(path)


def _when(timestamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp)) if timestamp else "-"


def _current_stage(record: Any) -> str:
    if not record.stages:
        return "-"
    return record.stages[-1].name


def _progress(record: Any) -> str:
    progress = record.progress or {}
    if record.state.value == "running" and progress.get("step") is not None and progress.get("max_steps"):
        reward = progress.get("mean_reward")
        text = f"{progress['step']:,}/{progress['max_steps']:,}"
        return text + (f" r={reward:.3f}" if isinstance(reward, (int, float)) else "")
    return ""


def _output(record: Any, stage: Any) -> tuple[StageOutput | None, str | None]:
    """Return a stage's typed output, or the reason its stored record does not load (shown, not raised)."""
    try:
        return decode_output(stage.name, stage.outputs, f"job '{record.job_id}'"), None
    except StoreError as exc:
        return None, str(exc)


def _report_path(record: Any) -> str | None:
    """Return the job's ``report.html`` once its package stage has written one (else None)."""
    for stage in record.stages:
        if stage.name == "package":
            output, _ = _output(record, stage)
            return output.report_path if isinstance(output, PackageOutput) else None
    return None


def register(app: typer.Typer) -> None:
    """Add the ``jobs`` command group to the app."""
    jobs = typer.Typer(help="List, inspect, resume and cancel jobs.", no_args_is_help=True)
    app.add_typer(jobs, name="jobs")

    @jobs.command("list")
    @handle_errors
    def list_jobs(
        workspace: Path = WORKSPACE_OPTION,
        state: str | None = typer.Option(None, "--state", help="Only jobs in this state (e.g. interrupted)."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """List jobs, newest first (a job whose process died shows as interrupted)."""
        wanted = None
        if state is not None:
            try:
                wanted = RunState(state.lower())
            except ValueError:
                raise SpecError(
                    f"--state: expected one of {', '.join(s.value for s in RunState)}, got {state!r}"
                ) from None
        records = open_store(workspace).list(wanted)
        if as_json:
            emit_json(
                {
                    "jobs": [
                        {
                            "job_id": r.job_id,
                            "state": r.state.value,
                            "attempt": r.attempt,
                            "stage": _current_stage(r),
                            "created_at": r.created_at,
                            "updated_at": r.updated_at,
                            "error": r.error,
                            "progress": r.progress,
                        }
                        for r in records
                    ]
                }
            )
            return
        if not records:
            typer.echo("no jobs")
            return
        print_table(
            ["JOB ID", "STATE", "STAGE", "UPDATED", "PROGRESS / ERROR"],
            [
                [r.job_id, r.state.value, _current_stage(r), _when(r.updated_at), _progress(r) or r.error]
                for r in records
            ],
        )

    @jobs.command("show")
    @handle_errors
    def show(
        job_id: str = JOB_ID_ARGUMENT,
        workspace: Path = WORKSPACE_OPTION,
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Show a job: state, owner process, stages with timings and errors, latest progress."""
        validate_id(job_id, "job_id")
        record = open_store(workspace).get(job_id)
        if as_json:
            emit_json({**record.to_dict(), "report": _report_path(record)})
            return
        typer.echo(f"job {record.job_id}  state={record.state.value}  attempt={record.attempt}")
        typer.echo(f"  folder    {record.job_dir}")
        typer.echo(f"  started   {_when(record.started_at)}   finished {_when(record.finished_at)}")
        if record.pid:
            typer.echo(
                f"  process   pid {record.pid} on {record.host}, heartbeat {_when(record.heartbeat_at)}"
            )
        if record.cancel_requested:
            typer.echo("  cancel    requested")
        if _progress(record):
            typer.echo(f"  progress  {_progress(record)}")
        if record.error:
            typer.echo(f"  error     {record.error}")
        report = _report_path(record)
        if report:
            typer.echo(f"  report    {report}")
        typer.echo("  stages:")
        for stage in record.stages:
            duration = f"{stage.duration_s:7.2f}s" if stage.duration_s is not None else "      - "
            line = f"    {stage.name:<9} {stage.state.value:<12} {duration}"
            if stage.runs > 1:
                line += f"  (ran {stage.runs}x)"
            output, unreadable = _output(record, stage)
            execution = output.execution if output is not None else None
            if execution is not None and execution.executor == "ray":  # ray_jobs.py
                line += f"  on {execution.node} (Ray attempt {execution.attempt})"
            if stage.error:
                line += f"  {stage.error[:100]}"
            typer.echo(line)
            if unreadable:
                typer.echo(f"      outputs unreadable: {unreadable}")

    @jobs.command("resume")
    @handle_errors
    def resume(
        job_id: str = JOB_ID_ARGUMENT,
        workspace: Path = WORKSPACE_OPTION,
        as_json: bool = RESULT_JSON_OPTION,
        quiet: bool = QUIET_OPTION,
    ) -> None:
        """Continue an interrupted, failed or cancelled job from its last finished stage and checkpoint."""
        validate_id(job_id, "job_id")
        open_store(workspace)  # a clear error for a wrong --workspace before anything is created
        drive(workspace, quiet, as_json, lambda orchestrator: orchestrator.resume_job(job_id))

    @jobs.command("cancel")
    @handle_errors
    def cancel(
        job_id: str = JOB_ID_ARGUMENT,
        workspace: Path = WORKSPACE_OPTION,
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Stop a job: a queued one at once, a running one at its next safe point (after a checkpoint)."""
        validate_id(job_id, "job_id")
        record = open_store(workspace).request_cancel(job_id)
        outcome = "cancelled" if record.state.value == "cancelled" else "cancel requested"
        if as_json:
            emit_json({"job_id": job_id, "state": record.state.value, "outcome": outcome})
        else:
            typer.echo(f"job {job_id}: {outcome}")
