"""``mlops-unity sim player``: run a simulator task as a Unity player (added to the ``sim`` command group)."""

from __future__ import annotations

from pathlib import Path

import typer

from ._common import emit_json, handle_errors


def register_player(sim_app: typer.Typer) -> None:
    """Add ``player`` to the ``sim`` command group (called by ``cli/sim.py``).

    Args:
        sim_app: the ``sim`` typer group.

    """

    @sim_app.command(
        "player",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    @handle_errors
    def player_command(
        ctx: typer.Context,
        task: str = typer.Argument(..., help="Task name (see `sim list`)."),
        port: int = typer.Option(
            None,
            "--mlagents-port",
            help="The trainer's port (mlagents-learn passes it); "
            "without it the heuristic plays a few episodes, as a Unity player would.",
        ),
        log_file: str = typer.Option(None, "-logFile", "-logfile", help="Player log file ('-' = stdout)."),
        batchmode: bool = typer.Option(False, "-batchmode", help="Accepted like Unity's (no window anyway)."),
        nographics: bool = typer.Option(False, "-nographics", help="Accepted like Unity's (no rendering)."),
        num_areas: int = typer.Option(
            None,
            "--num-areas",
            min=1,
            help="Training areas of the task's default "
            "agents (default: what the trainer sends in the handshake).",
        ),
        seed: int = typer.Option(None, "--seed", help="Overrides the seed the trainer sends."),
        write_launcher: Path = typer.Option(
            None,
            "--write-launcher",
            help="Write a one-file player executable "
            "for `mlagents-learn --env` here (file or folder) and exit.",
        ),
        json_output: bool = typer.Option(
            False, "--json", help="With --write-launcher: print one JSON object."
        ),
    ) -> None:
        """Serve TASK to an ML-Agents trainer as a Unity player does (gRPC client of `mlagents-learn`).

        Unknown Unity flags are ignored. Exit code 0 when the trainer ends the session.
        """
        from ..bridge.launcher import write_player_launcher  # start-up
        from ..bridge.player import PlayerOptions, SimPlayer  # start-up

        if write_launcher is not None:
            path = write_player_launcher(write_launcher, task, num_areas=num_areas)
            if json_output:
                emit_json({"task": task, "launcher": path})
            else:
                typer.echo(f"wrote {path}")
            return
        options = PlayerOptions(
            task=task,
            port=port,
            log_file=log_file,
            batchmode=batchmode,
            nographics=nographics,
            num_areas=num_areas,
            seed=seed,
        )
        code = SimPlayer(options).run()
        if code:
            raise typer.Exit(code)
