"""``mlops-unity sweep SWEEP.yaml``: run or resume a hyperparameter sweep (Optuna; trials local or on Ray)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from ._common import RESULT_JSON_OPTION, emit_json, fail, handle_errors
from .run import WORKSPACE_OPTION


def _format_params(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in params.items())


def _print_event(event: Any) -> None:
    """One stderr line per trial start and end (stdout stays one JSON object with ``--json``)."""
    if event.kind == "started":
        line = f"trial {event.number} started ({event.job_id}): {_format_params(event.params)}"
    else:
        outcome = event.outcome
        detail = f"{outcome.value:.4g}" if outcome.value is not None else (outcome.error or "")
        line = f"trial {event.number} {outcome.status.value} [{event.done}/{event.total}] {detail}"
        if outcome.node:
            line += f" on {outcome.node}"
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def summarize(result: Any, metric: str) -> str:
    """Return the human summary ``sweep`` prints without ``--json``."""
    counts = ", ".join(f"{n} {state}" for state, n in sorted(result.counts.items()))
    lines = [f"sweep {result.sweep_id}: {counts}"]
    if result.best is None:
        lines.append("  no trial completed: nothing registered")
    else:
        best = result.best
        lines.append(f"  best       trial {best.number} ({best.job_id}): {metric} = {best.value:.4g}")
        lines.append(f"  params     {_format_params(best.params)}")
        if result.registered_version is not None:
            alias = "champion" if result.promoted else "candidate"
            lines.append(f"  registry   version {result.registered_version} ({alias})")
    for name, path in sorted(result.report.items()):
        lines.append(f"  {name:<10} {path}")
    lines.append(f"  study      {result.study_path}")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add ``sweep`` to the app."""

    @app.command("sweep")
    @handle_errors
    def sweep(
        sweep_file: Path = typer.Argument(
            ..., help="Sweep file (YAML/JSON): base job, search_space, objective."
        ),
        workspace: Path = WORKSPACE_OPTION,
        n_trials: int | None = typer.Option(None, "--n-trials", help="Override n_trials (finished trials)."),
        parallelism: int | None = typer.Option(None, "--parallelism", "-p", help="Override parallelism."),
        executor: str | None = typer.Option(None, "--executor", help="Override executor: local or ray."),
        no_register: bool = typer.Option(False, "--no-register", help="Do not register the best model."),
        as_json: bool = RESULT_JSON_OPTION,
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No per-trial progress lines."),
    ) -> None:
        """Run or resume a sweep: each trial a pipeline job; the best model registered as candidate."""
        from ..sweep import SweepSpec, load_sweep, run_sweep  # start-up

        spec = load_sweep(sweep_file)
        changes = {
            k: v
            for k, v in (("n_trials", n_trials), ("parallelism", parallelism), ("executor", executor))
            if v is not None
        }
        if changes:
            spec = SweepSpec.from_dict({**spec.to_dict(), **changes})
        result = run_sweep(
            spec, workspace, on_event=None if quiet else _print_event, register=not no_register
        )
        if as_json:
            emit_json(result.to_dict())
        else:
            typer.echo(summarize(result, spec.metric))
        if result.best is None:
            raise fail(f"sweep {spec.sweep_id}: no trial completed (see the trials' errors)", code=1)
