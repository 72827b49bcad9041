"""Assembles the ``mlops-unity`` typer app from the command modules.

Each module in ``MODULES`` exposes ``register(app)``; modules import heavy dependencies (torch, onnx, grpc)
inside their commands, so ``mlops-unity --help`` stays fast.
"""

from __future__ import annotations

import importlib

import typer

MODULES = (
    "run",  # run JOB.yaml
    "jobs",  # jobs list|show|resume|cancel
    "models",  # models list|show|promote
    "learn",  # learn CONFIG.yaml --env ...
    "config",  # config check
    "sim",  # sim list|eval|bench|render|player
    "codegen",  # codegen ASSET.yaml, codegen check DIR
    "demo",  # demo info|record
    "schedule",  # schedule add|list|remove|run
    "sweep",  # sweep SWEEP.yaml
    "tensorboard",  # tensorboard
    "doctor",  # doctor
)

app = typer.Typer(
    name="mlops-unity",
    help="MLOps pipeline for Unity ML-Agents: codegen, simulator, training, registry, scheduling.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _root() -> None:
    """MLOps pipeline for Unity ML-Agents (one subcommand per package area)."""


@app.command("version")
def version() -> None:
    """Print the package version and the ML-Agents versions it is compatible with."""
    from importlib.metadata import version as dist_version

    typer.echo(
        f"mlops_unity_pipeline {dist_version('mlops_unity_pipeline')} "
        "(ML-Agents Release 22: trainer config schema 1.1.0, communicator API 1.5.0, ONNX model version 3)"
    )


for _name in MODULES:
    try:
        _module = importlib.import_module(f"{__package__}.{_name}")
    except ModuleNotFoundError as exc:  # a command module not written yet must not break the others
        if exc.name != f"{__package__}.{_name}":
            raise
        continue
    _module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
