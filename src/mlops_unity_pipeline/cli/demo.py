"""``mlops-unity demo info|record``: inspect ``.demo`` files and record new ones from the simulator."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import SpecError
from ._common import emit_json, handle_errors

demo_app = typer.Typer(
    help="Demonstrations in ML-Agents' .demo format: inspect and record.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command group to the root app."""
    app.add_typer(demo_app, name="demo")


@demo_app.command("info")
@handle_errors
def info(
    path: Path = typer.Argument(..., help="A .demo file or a folder of .demo files."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
) -> None:
    """Show behavior name, steps, episodes, mean reward, observation shapes and action spec."""
    from ..demos import load_demonstrations  # start-up

    demos = load_demonstrations(path)
    summaries = [d.summary() for d in demos]
    if as_json:
        if path.is_dir():
            emit_json({"path": str(path), "files": summaries})
        else:
            emit_json(summaries[0])
        return
    for s in summaries:
        spec = s["action_spec"]
        typer.echo(f"{s['path']}")
        typer.echo(
            f"  behavior:     {s['behavior_name']}  (demonstration '{s['name']}', api {s['api_version']})"
        )
        typer.echo(
            f"  steps:        {s['steps']}   episodes: {s['episodes']}   mean reward: {s['mean_reward']:.4g}"
        )
        typer.echo(f"  observations: {s['observation_shapes']}")
        typer.echo(
            f"  actions:      continuous={spec['continuous_size']} discrete={spec['discrete_branches']}"  # type: ignore[index]
        )


@demo_app.command("record")
@handle_errors
def record(
    task: str = typer.Argument(..., help="Simulator task (see `mlops-unity sim list`)."),
    episodes: int = typer.Option(..., "--episodes", min=1, help="Episodes to record."),
    out: Path = typer.Option(..., "--out", help="The .demo file to write."),
    policy: str = typer.Option("heuristic", "--policy", help="'heuristic' or an ML-Agents .onnx model."),
    seed: int | None = typer.Option(None, "--seed", help="Simulator seed."),
    name: str | None = typer.Option(None, "--name", help="Demonstration name (<= 16 characters)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
) -> None:
    """Record simulator episodes with a scripted or ONNX policy into a .demo file (ML-Agents' layout)."""
    from ..demos import read_demo  # start-up
    from ..demos.record import record_demo  # start-up

    if out.suffix != ".demo":
        raise SpecError(f"--out must end in .demo, got '{out}'")
    if policy != "heuristic" and not Path(policy).is_file():
        raise SpecError(f"--policy must be 'heuristic' or an existing .onnx file, got '{policy}'")
    written = record_demo(task, episodes=episodes, out=out, policy=policy, seed=seed, name=name)
    summary = read_demo(written).summary()
    if as_json:
        emit_json(summary)
    else:
        typer.echo(
            f"wrote {written}: {summary['steps']} steps, {summary['episodes']} episodes, "
            f"mean reward {summary['mean_reward']:.4g}"
        )
