"""``mlops-unity tensorboard``: serve every job's training metrics of a workspace in one TensorBoard."""

from __future__ import annotations

import signal
import subprocess
import threading
from pathlib import Path

import typer

from ._common import emit_json, handle_errors


class _Terminated(Exception):
    """SIGTERM arrived while TensorBoard was serving."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated(signum)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def register(app: typer.Typer) -> None:
    """Add the ``tensorboard`` command to the app."""
    app.command("tensorboard")(tensorboard)


@handle_errors
def tensorboard(
    workspace: Path = typer.Option(
        Path("./artifacts"), "--workspace", "-w", help="The orchestrator's workspace."
    ),
    port: int = typer.Option(6006, "--port", help="Port to serve on (0: any free port)."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Interface to bind (0.0.0.0 exposes it to the network)."
    ),
    print_command: bool = typer.Option(
        False, "--print-command", help="Print the TensorBoard command line and the runs; do not start it."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the command, log dir and runs as one JSON object; do not start it."
    ),
) -> None:
    """Start TensorBoard on <workspace>/jobs, where every job's trainer writes its event files."""
    from ..tensorboard import list_runs, tensorboard_command, workspace_logdir

    command = tensorboard_command(workspace, port=port, host=host)
    runs = list_runs(workspace)
    if print_command or as_json:
        if as_json:
            emit_json(
                {
                    "command": command,
                    "logdir": str(workspace_logdir(workspace).resolve()),
                    "runs": [run.to_dict() for run in runs],
                }
            )
        else:
            typer.echo(" ".join(command))
            for run in runs:
                typer.echo(f"  run {run.name}")
        return
    typer.echo(
        f"TensorBoard on http://{host}:{port} for {workspace_logdir(workspace)} ({len(runs)} run(s) now)",
        err=True,
    )
    # SIGTERM (a supervisor, `kill`, docker stop) stops TensorBoard as Ctrl-C does, instead of orphaning it.
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if in_main_thread else None
    process = subprocess.Popen(command)
    try:
        code = process.wait()
    except KeyboardInterrupt:
        _stop(process)
        raise
    except _Terminated:
        _stop(process)
        typer.echo("TensorBoard stopped (SIGTERM)", err=True)
        raise typer.Exit(128 + signal.SIGTERM) from None
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    if code != 0:
        raise typer.Exit(code)
