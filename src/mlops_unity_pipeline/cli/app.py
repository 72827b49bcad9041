"""Assembles the ``mlops-unity`` typer app from the command modules.

Each module in ``MODULES`` exposes ``register(app)``; modules import heavy dependencies (torch, onnx, grpc)
inside their commands, so ``mlops-unity --help`` stays fast.
"""

from __future__ import annotations

import importlib
import sys
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from typing import Any

import click
import typer
from typer.core import TyperGroup

from ..redact import install_redaction
from ._common import JSON_OPTION, emit_json


def _click_exceptions(name: str) -> tuple[type[BaseException], ...]:
    """Return click's exception class ``name`` and that of the click copy typer >= 0.29 vendors."""
    classes = [getattr(click.exceptions, name)]
    try:
        vendored = importlib.import_module("typer._click.exceptions")
    except ImportError:
        vendored = None
    if vendored is not None and getattr(vendored, name, None) not in (None, *classes):
        classes.append(getattr(vendored, name))
    return tuple(classes)


_NO_ARGS_IS_HELP = _click_exceptions("NoArgsIsHelpError")
_USAGE_ERROR = _click_exceptions("UsageError")
_CLICK_EXCEPTION = _click_exceptions("ClickException")
_ABORT = _click_exceptions("Abort")


class OneLineErrors(TyperGroup):
    """The root command group: usage errors print one ``error: …`` line, like every other error.

    click prints usage, a hint and the error on three lines (typer's rich mode draws a five-line box); the
    package's own errors are one line (``cli._common.fail``), and usage mistakes now read the same.
    """

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Run the CLI; in standalone mode turn click's usage errors into one line and exit 2."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except _NO_ARGS_IS_HELP as exc:  # a bare group: its help, as click shows it
            ctx = getattr(exc, "ctx", None)
            click.echo(ctx.get_help() if ctx is not None else str(exc))
            sys.exit(getattr(exc, "exit_code", 2))
        except _USAGE_ERROR as exc:
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            sys.stderr.write(f"error: {exc.format_message()}{hint}\n")  # type: ignore[attr-defined]  # click API
            sys.exit(getattr(exc, "exit_code", 2))
        except _CLICK_EXCEPTION as exc:
            sys.stderr.write(f"error: {exc.format_message()}\n")  # type: ignore[attr-defined]  # click API
            sys.exit(getattr(exc, "exit_code", 1))
        except _ABORT:
            sys.stderr.write("error: aborted\n")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


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
    "mcp_server",  # mcp (Model Context Protocol server on stdio)
)

app = typer.Typer(
    name="mlops-unity",
    help="MLOps pipeline for Unity ML-Agents: codegen, simulator, training, registry, scheduling.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # click's plain help: flags show as flags (typer's rich help prints "--resume <bool>")
    rich_markup_mode=None,
    cls=OneLineErrors,
)


@app.callback()
def _root() -> None:
    """MLOps pipeline for Unity ML-Agents (one subcommand per package area)."""
    install_redaction()  # no configured secret reaches a log line or a traceback (redact.py)


COMPATIBILITY = {
    "mlagents_release": "22",
    "trainer_config_schema": "1.1.0",
    "communicator_api": "1.5.0",
    "onnx_model_version": 3,
}
"""The ML-Agents versions this package reads and writes (ML-Agents Release 22)."""


@app.command("version")
def version(as_json: bool = JSON_OPTION) -> None:
    """Print the package version and the ML-Agents versions it is compatible with."""
    try:
        installed = dist_version("mlops_unity_pipeline")
    except PackageNotFoundError:  # run from a source tree that was never installed
        installed = "unknown"
    if as_json:
        emit_json({"mlops_unity_pipeline": installed, "python": sys.version.split()[0], **COMPATIBILITY})
        return
    typer.echo(
        f"mlops_unity_pipeline {installed} (ML-Agents Release {COMPATIBILITY['mlagents_release']}: "
        f"trainer config schema {COMPATIBILITY['trainer_config_schema']}, communicator API "
        f"{COMPATIBILITY['communicator_api']}, ONNX model version {COMPATIBILITY['onnx_model_version']})"
    )


for _name in MODULES:
    importlib.import_module(f"{__package__}.{_name}").register(app)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
