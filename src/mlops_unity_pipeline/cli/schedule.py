"""``mlops-unity schedule add|list|remove|pause|resume|fires|run``: cron schedules of training jobs.

Schedules live in ``<workspace>/scheduler.db`` (the database ``TrainingScheduler(orchestrator)`` uses), so
``add`` and ``list`` work while ``schedule run`` is running in another process; the runner picks up changes
within its poll interval.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import typer

from ..errors import ScheduleError
from ..scheduler import TrainingScheduler
from ..scheduler.training_scheduler import DEFAULT_DB_NAME
from ..specs import load_schedule
from ._common import emit_json, handle_errors, print_table
from .run import WORKSPACE_OPTION

DB_OPTION = typer.Option(None, "--db", help="Scheduler database (default: <workspace>/scheduler.db).")

schedule_app = typer.Typer(
    name="schedule",
    help="Cron schedules of training jobs: add, list, remove, pause, resume, fires, run.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``schedule`` command group to the app."""
    app.add_typer(schedule_app, name="schedule")


def _db(workspace: Path, db: Path | None) -> Path:
    return db if db is not None else Path(workspace) / DEFAULT_DB_NAME


def _scheduler(workspace: Path, db: Path | None, orchestrator: Any = None) -> Any:
    return TrainingScheduler(orchestrator, db_path=_db(workspace, db))


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")


def _parse_instant(text: str, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ScheduleError(
            f"{option}: expected an ISO 8601 time like 2024-05-01T02:00:00Z, got {text!r}"
        ) from None
    if moment.tzinfo is None:
        raise ScheduleError(f"{option}: give a time zone (e.g. 2024-05-01T02:00:00Z), got {text!r}")
    return moment


@schedule_app.command("add")
@handle_errors
def add(
    schedule_file: Path = typer.Argument(..., help="YAML/JSON file with the TrainingSchedule fields."),
    workspace: Path = WORKSPACE_OPTION,
    db: Path | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print the stored schedule as one JSON object."),
) -> None:
    """Add a schedule from a file, or update the one with the same schedule_id (its history is kept)."""
    schedule = load_schedule(schedule_file)
    with _scheduler(workspace, db) as scheduler:
        scheduler.add_schedule(schedule)
        [status] = [s for s in scheduler.list_schedules() if s.schedule.schedule_id == schedule.schedule_id]
    if as_json:
        emit_json(status.to_dict())
    else:
        typer.echo(
            f"schedule {schedule.schedule_id}: '{schedule.cron_expression}' ({schedule.timezone}), "
            f"next fire {_when(status.next_fire_at)}"
        )


@schedule_app.command("list")
@handle_errors
def list_(
    workspace: Path = WORKSPACE_OPTION,
    db: Path | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print {'schedules': [...]} as one JSON object."),
) -> None:
    """List schedules with their next and last fire."""
    with _scheduler(workspace, db) as scheduler:
        statuses = scheduler.list_schedules()
    if as_json:
        emit_json({"schedules": [s.to_dict() for s in statuses]})
        return
    if not statuses:
        typer.echo("no schedules (add one with `mlops-unity schedule add FILE.yaml`)")
        return
    rows = []
    for s in statuses:
        state = "paused" if s.paused else ("enabled" if s.schedule.enabled else "disabled")
        last = None if s.last_fire_time is None else f"{_when(s.last_fire_time)} {s.last_fire_state.value}"
        rows.append(
            [s.schedule.schedule_id, s.schedule.cron_expression, s.schedule.timezone, state,
             _when(s.next_fire_at), last]
        )  # fmt: skip
    print_table(["SCHEDULE", "CRON", "TIMEZONE", "STATE", "NEXT FIRE", "LAST FIRE"], rows)


@schedule_app.command("remove")
@handle_errors
def remove(
    schedule_id: str = typer.Argument(..., help="The schedule to delete (with its fire history)."),
    workspace: Path = WORKSPACE_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """Delete a schedule and its fire history (jobs already started are not touched)."""
    with _scheduler(workspace, db) as scheduler:
        scheduler.remove_schedule(schedule_id)
    typer.echo(f"removed schedule {schedule_id}")


@schedule_app.command("pause")
@handle_errors
def pause(
    schedule_id: str = typer.Argument(..., help="The schedule to pause."),
    workspace: Path = WORKSPACE_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """Stop firing a schedule until `resume` (fires while paused are not owed)."""
    with _scheduler(workspace, db) as scheduler:
        scheduler.pause_schedule(schedule_id)
    typer.echo(f"paused schedule {schedule_id}")


@schedule_app.command("resume")
@handle_errors
def resume(
    schedule_id: str = typer.Argument(..., help="The schedule to resume."),
    workspace: Path = WORKSPACE_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """Fire a paused schedule again, from now on."""
    with _scheduler(workspace, db) as scheduler:
        scheduler.resume_schedule(schedule_id)
    typer.echo(f"resumed schedule {schedule_id}")


@schedule_app.command("fires")
@handle_errors
def fires(
    schedule_id: str | None = typer.Argument(None, help="Only this schedule's fires."),
    limit: int = typer.Option(20, "--limit", min=1, help="How many of the newest fires."),
    workspace: Path = WORKSPACE_OPTION,
    db: Path | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print {'fires': [...]} as one JSON object."),
) -> None:
    """Show recorded fires, newest first: what ran, what was skipped and why."""
    with _scheduler(workspace, db) as scheduler:
        if schedule_id is not None:
            scheduler.get_schedule(schedule_id)  # unknown id -> clear error
        records = scheduler.fires(schedule_id, limit=limit)
    if as_json:
        emit_json({"fires": [r.to_dict() for r in records]})
        return
    for r in records:
        detail = r.reason or r.error or ", ".join(r.job_ids)
        typer.echo(f"{_when(r.fire_time)} {r.schedule_id:<24} {r.state.value:<11} {detail}")


@schedule_app.command("run")
@handle_errors
def run(
    workspace: Path = WORKSPACE_OPTION,
    db: Path | None = DB_OPTION,
    once: bool = typer.Option(False, "--once", help="Run what is due now, wait for it, and exit."),
    until: str | None = typer.Option(
        None, "--until", help="Stop at this ISO 8601 time (e.g. 2024-05-02T00:00Z)."
    ),
    poll_interval: float = typer.Option(
        30.0, "--poll-interval", min=0.1, help="Longest sleep between checks (s)."
    ),
    max_concurrent_jobs: int = typer.Option(2, "--max-concurrent-jobs", min=1, help="Jobs running at once."),
    shutdown_timeout: float | None = typer.Option(
        None, "--shutdown-timeout", help="On SIGTERM, cancel runs still going after this many seconds."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="With --once: print {'fires': [...]} as one JSON object."
    ),
) -> None:
    """Run the scheduler loop (SIGTERM/SIGINT stop it gracefully; a second signal cancels running jobs)."""
    from ..orchestrator import UnityMLOpsOrchestrator  # start-up

    deadline = _parse_instant(until, "--until") if until else None
    if not as_json:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    orchestrator = UnityMLOpsOrchestrator.from_env(workspace, max_concurrent_jobs=max_concurrent_jobs)
    with _scheduler(workspace, db, orchestrator) as scheduler:
        if once:
            records = asyncio.run(scheduler.run_pending())
            if as_json:
                emit_json({"fires": [r.to_dict() for r in records]})
            else:
                for r in records:
                    typer.echo(
                        f"{_when(r.fire_time)} {r.schedule_id} {r.state.value} {r.reason or r.error or ''}"
                    )
                if not records:
                    typer.echo("nothing due")
            return
        asyncio.run(
            scheduler.run_forever(
                until=deadline, poll_interval_s=poll_interval, shutdown_timeout_s=shutdown_timeout
            )
        )
        if as_json:
            emit_json({"fires": [r.to_dict() for r in scheduler.fires(limit=100)]})
