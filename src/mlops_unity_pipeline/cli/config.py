"""``mlops-unity config check``: validate an ML-Agents trainer configuration and print it fully resolved."""

from __future__ import annotations

from pathlib import Path

import typer

from ._common import emit_json, handle_errors


def register(app: typer.Typer) -> None:
    """Add the ``config`` command group to the ``mlops-unity`` app."""
    config_app = typer.Typer(
        name="config",
        help="Validate ML-Agents trainer configurations (Release 22 schema).",
        no_args_is_help=True,
    )

    @config_app.command("check")
    @handle_errors
    def check(
        file: Path = typer.Argument(..., help="Trainer configuration YAML (e.g. config/ppo/3DBall.yaml)."),
        json_output: bool = typer.Option(False, "--json", help="Print one JSON object instead of YAML."),
    ) -> None:
        """Validate FILE strictly and print the fully resolved configuration (defaults filled in).

        Unknown keys, wrong types and out-of-range values exit non-zero with one line naming the file, the
        section path and what was expected. The printed YAML is what ``mlagents-learn`` would read.
        """
        from ..rl.config import dump_yaml, load_run_options  # start-up

        options = load_run_options(file)
        if json_output:
            emit_json(options.to_dict())
        else:
            typer.echo(dump_yaml(options), nl=False)

    app.add_typer(config_app, name="config")
