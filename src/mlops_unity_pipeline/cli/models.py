"""``mlops-unity models list|show|promote``: the local model registry."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import typer

from ..errors import RegistryError
from ..specs import validate_id
from ..store.artifacts import ArtifactStore
from ._common import JSON_OPTION, emit_json, handle_errors, print_table
from .run import WORKSPACE_OPTION


def _check_registry(workspace: Path) -> Path:
    root = Path(workspace)
    if not (root / "registry" / "registry.db").is_file():
        raise RegistryError(f"no model registry in {root} (run a job first, or pass --workspace)")
    return root


def open_registry(workspace: Path) -> Any:
    """Open an existing workspace's registry for reading, without mirrors (never creates one).

    Raises:
        RegistryError: when the workspace has no registry.

    """
    from ..registry.local import LocalRegistry  # start-up

    root = _check_registry(workspace)
    return LocalRegistry(root / "registry", ArtifactStore(root / "artifacts"))


def open_orchestrator(workspace: Path) -> Any:
    """Open an existing workspace through ``UnityMLOpsOrchestrator.from_env``, the one wiring point.

    Alias moves then reach the mirrors the environment configures (``MLFLOW_TRACKING_URI`` …), exactly as
    ``run``, ``jobs resume`` and ``schedule run`` register through them.

    Raises:
        RegistryError: when the workspace has no registry, or a configured mirror lacks settings.

    """
    from ..orchestrator.pipeline import UnityMLOpsOrchestrator  # start-up

    return UnityMLOpsOrchestrator.from_env(_check_registry(workspace), stages=(), on_progress=None)


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp))


def register(app: typer.Typer) -> None:
    """Add the ``models`` command group to the app."""
    models = typer.Typer(help="List, inspect and promote registered models.", no_args_is_help=True)
    app.add_typer(models, name="models")

    @models.command("list")
    @handle_errors
    def list_models(
        workspace: Path = WORKSPACE_OPTION,
        as_json: bool = JSON_OPTION,
    ) -> None:
        """List registered models (one per asset) with their champion and candidate versions."""
        rows = open_registry(workspace).list_models()
        if as_json:
            emit_json({"models": rows})
            return
        if not rows:
            typer.echo("no registered models")
            return
        print_table(
            ["ASSET ID", "VERSIONS", "LATEST", "CHAMPION", "CANDIDATE"],
            [
                [r["asset_id"], r["versions"], r["latest_version"], r["champion"], r["candidate"]]
                for r in rows
            ],
            right=("VERSIONS", "LATEST", "CHAMPION", "CANDIDATE"),
        )

    @models.command("show")
    @handle_errors
    def show(
        asset_id: str = typer.Argument(..., help="The asset id (registered model)."),
        version: str | None = typer.Option(
            None,
            "--version",
            "-v",
            help="A version number, champion, candidate "
            "or latest; default: all versions and the alias history.",
        ),
        workspace: Path = WORKSPACE_OPTION,
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Show an asset's versions (metrics, hashes, aliases) and alias history, or one version."""
        validate_id(asset_id, "asset_id")
        registry = open_registry(workspace)
        if version is not None:
            found = registry.get_version(asset_id, version)
            if as_json:
                emit_json(found.to_dict())
                return
            typer.echo(
                f"{asset_id} v{found.version}  aliases={','.join(found.aliases) or '-'}  job={found.job_id}"
            )
            typer.echo(
                f"  model   {found.model_path}\n  sha256  {found.sha256}\n  package {found.artifact_dir}"
            )
            for mirror, ids in sorted(found.external_ids.items()):  # e.g. mlflow: model_version=3, run_id=…
                typer.echo(f"  {mirror:<7} " + ", ".join(f"{k}={v}" for k, v in sorted(ids.items())))
            for key, value in sorted(found.metrics.items()):
                typer.echo(f"  {key:<24} {value}")
            return
        versions = registry.list_versions(asset_id)
        history = registry.alias_history(asset_id)
        if as_json:
            emit_json(
                {
                    "asset_id": asset_id,
                    "versions": [v.to_dict() for v in versions],
                    "alias_history": [m.to_dict() for m in history],
                }
            )
            return
        rows = []
        for v in versions:
            reward = v.metrics.get("eval/mean_reward")
            mlflow = (v.external_ids.get("mlflow") or {}).get("model_version")
            rows.append(
                [
                    v.version,
                    ",".join(v.aliases),
                    f"{reward:.4f}" if isinstance(reward, (int, float)) else None,
                    _when(v.created_at),
                    v.job_id,
                    v.sha256[:12],
                    mlflow,
                ]
            )
        print_table(
            ["VERSION", "ALIASES", "EVAL REWARD", "CREATED", "JOB", "SHA256", "MLFLOW"],
            rows,
            right=("VERSION", "EVAL REWARD", "MLFLOW"),
        )
        typer.echo("alias history:")
        for move in history:
            source = f"v{move.from_version}" if move.from_version is not None else "-"
            typer.echo(
                f"  {_when(move.moved_at)}  {move.alias:<9} {source} -> v{move.to_version}  {move.reason}"
            )

    @models.command("promote")
    @handle_errors
    def promote(
        asset_id: str = typer.Argument(..., help="The asset id."),
        version: str = typer.Argument(..., help="The version number to promote."),
        alias: str = typer.Option("champion", "--alias", help="champion or candidate."),
        reason: str = typer.Option("manual promotion", "--reason", help="Recorded in the alias history."),
        workspace: Path = WORKSPACE_OPTION,
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Point champion (or candidate) at a version by hand, bypassing the gate; recorded in the history."""
        validate_id(asset_id, "asset_id")
        orchestrator = open_orchestrator(workspace)
        try:
            found = orchestrator.registry.promote(asset_id, version, alias=alias, reason=reason)
        finally:
            orchestrator.close(timeout_s=5.0)
        if as_json:
            emit_json(found.to_dict())
        else:
            typer.echo(f"{asset_id}: {alias} -> v{found.version}")
