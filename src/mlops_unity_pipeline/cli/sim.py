"""``mlops-unity sim``: list the simulator's tasks, evaluate a model, benchmark speed, render an episode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ..errors import SpecError
from ._common import JSON_OPTION, emit_json, handle_errors
from .sim_player import register_player

TASK_ARGUMENT = typer.Argument(None, help="Task name (see `sim list`); or give --world.")
"""The task a ``sim`` command runs (``_task`` resolves it with ``--world``)."""
WORLD_OPTION = typer.Option(None, "--world", help="A world file (YAML/JSON) to run instead of TASK.")
"""A world file a ``sim`` command runs instead of a built-in task."""


def parse_env_parameters(values: list[str]) -> dict[str, float]:
    """Parse ``NAME=VALUE`` pairs given with ``--param``.

    Args:
        values: the raw flag values.

    Returns:
        name -> float value.

    Raises:
        SpecError: a value without ``=`` or not a number.

    """
    parsed: dict[str, float] = {}
    for raw in values:
        name, sep, value = raw.partition("=")
        if not sep or not name.strip():
            raise SpecError(f"--param expects NAME=VALUE, got '{raw}'")
        try:
            parsed[name.strip()] = float(value)
        except ValueError:
            raise SpecError(f"--param {name.strip()}: expected a number, got '{value}'") from None
    return parsed


def _task(task: str | None, world: Path | None) -> str:
    """Return the task name to run: TASK, or ``world:<file>`` for ``--world FILE`` (exactly one)."""
    if (task is None) == (world is None):
        raise SpecError("give a task name (see `sim list`) or --world FILE, not both")
    if world is None:
        return str(task)
    if world.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise SpecError(f"--world: expected a .yaml, .yml or .json file, got '{world.name}'")
    return f"world:{world}"


OTHERS = ("error", "random")
"""What ``sim eval`` does with a behavior of a multi-behavior task that has no ``--model``."""


def _behavior_models(models: list[str], behaviors: list[str], run_dir: Path | None) -> dict[str, Path]:
    """Map each behavior to its model: ``--model NAME=PATH`` entries, else ``<run_dir>/<NAME>.onnx``."""
    chosen: dict[str, Path] = {}
    for raw in models:
        name, sep, path = raw.partition("=")
        if not sep or name not in behaviors:
            raise SpecError(
                f"--model {raw!r}: a task of several behaviors takes one --model BEHAVIOR=PATH per behavior "
                f"(behaviors: {', '.join(behaviors)})"
            )
        if name in chosen:
            raise SpecError(f"--model: behavior '{name}' given twice")
        chosen[name] = Path(path)
    if run_dir is not None:
        if not run_dir.is_dir():
            raise SpecError(f"--run-dir: not a folder: {run_dir}")
        for name in behaviors:  # a training run's final models: <run>/<Behavior>.onnx (rl.results)
            if name not in chosen and (run_dir / f"{name}.onnx").is_file():
                chosen[name] = run_dir / f"{name}.onnx"
    return chosen


def _eval_behaviors(
    task: str,
    models: list[str],
    run_dir: Path | None,
    others: str,
    *,
    episodes: int,
    num_envs: int | None,
    seed: int,
    env_parameters: dict[str, float],
    stochastic: bool,
    json_output: bool,
) -> None:
    """``sim eval`` of a multi-behavior task: every behavior's model plays in the same games."""
    from ..sim.catalog import MULTI_BEHAVIOR_TASKS  # start-up
    from ..sim.evaluate import evaluate_behaviors  # start-up
    from ..sim.onnx_policy import OnnxRuntimePolicy  # start-up
    from ..sim.policies import random_policy  # start-up

    if num_envs is not None and num_envs < 1:
        raise SpecError(f"--num-envs must be >= 1, got {num_envs}")
    env = MULTI_BEHAVIOR_TASKS[task](num_envs or 1, seed)
    try:
        env.set_env_parameters(env_parameters)
        behaviors = list(env.signatures)
        chosen = _behavior_models(models, behaviors, run_dir)
        missing = [name for name in behaviors if name not in chosen]
        if missing and others == "error":
            raise SpecError(
                f"{task}: no model for behaviors {missing}; give --model NAME=PATH (or --run-dir RUN) "
                "for each, or --others random to let them play at random"
            )
        policies, sources = {}, {}
        for name, signature in env.signatures.items():
            if name in chosen:
                policies[name] = OnnxRuntimePolicy(chosen[name], signature, deterministic=not stochastic)
                sources[name] = str(chosen[name])
            else:
                policies[name], sources[name] = random_policy(signature.action_spec, seed), "random"
        results = evaluate_behaviors(env, policies, episodes=episodes, seed=seed)
    finally:
        env.close()
    if json_output:
        emit_json(
            {
                "task": task,
                "behaviors": {name: {**r.to_dict(), "policy": sources[name]} for name, r in results.items()},
            }
        )
        return
    for name, result in results.items():
        typer.echo(
            f"{task}/{name}: mean_reward {result.mean_reward:.4f} ± {result.std_reward:.4f}  "
            f"success_rate {result.success_rate:.3f}  episodes {result.episodes}  "
            f"mean_length {result.mean_length:.1f} decisions  ({sources[name]})"
        )


def _policy(env: Any, model: Path | None, stochastic: bool) -> tuple[Any, str]:
    from ..sim.heuristics import heuristic_policy  # start-up
    from ..sim.onnx_policy import OnnxRuntimePolicy  # start-up

    if model is None:
        return heuristic_policy(env), "heuristic"
    return OnnxRuntimePolicy(model, env.signature, deterministic=not stochastic), str(model)


def register(app: typer.Typer) -> None:
    """Add the ``sim`` command group to the ``mlops-unity`` app."""
    sim_app = typer.Typer(
        name="sim",
        help="Headless simulator: ML-Agents Academy semantics, Basic, 3DBall and navigation tasks.",
        no_args_is_help=True,
    )

    @sim_app.command("list")
    @handle_errors
    def list_tasks_command(
        json_output: bool = JSON_OPTION,
    ) -> None:
        """List the built-in tasks: behavior signature, MaxStep, decision period and env parameters."""
        from ..sim import list_tasks  # start-up

        infos = list_tasks()
        if json_output:
            emit_json({"tasks": [info.to_dict() for info in infos]})
            return
        for info in infos:
            d = info.to_dict()
            actions = (
                f"continuous {d['continuous_actions']}"
                if d["continuous_actions"]
                else f"discrete {d['discrete_branches']}"
            )
            params = ", ".join(f"{k}={v:g}" for k, v in d["env_parameters"].items()) or "-"
            typer.echo(
                f"{info.name:<12} obs {d['observation_shapes']}  {actions}  max_step {info.max_step}  "
                f"period {info.decision_period}  agents {info.default_num_agents}  params {params}\n"
                f"{'':<12} {info.description}"
            )

    @sim_app.command("eval")
    @handle_errors
    def eval_command(
        task: str | None = TASK_ARGUMENT,
        world: Path | None = WORLD_OPTION,
        model: list[str] = typer.Option(
            [],
            "--model",
            help="ML-Agents ONNX model; default: the task's heuristic. A task of several behaviors "
            "(Chase) takes BEHAVIOR=PATH, once per behavior.",
        ),
        run_dir: Path | None = typer.Option(
            None,
            "--run-dir",
            help="A training run's folder: each behavior without --model plays <RUN>/<BEHAVIOR>.onnx "
            "(tasks of several behaviors).",
        ),
        others: str = typer.Option(
            "error",
            "--others",
            help="Tasks of several behaviors: a behavior without a model is an error ('error') or plays "
            "at random ('random').",
        ),
        episodes: int = typer.Option(10, "--episodes", help="Complete episodes to average over."),
        num_envs: int | None = typer.Option(
            None, "--num-envs", help="Agents run in parallel (default: task's)."
        ),
        seed: int = typer.Option(0, "--seed", help="Environment seed."),
        param: list[str] = typer.Option([], "--param", help="Environment parameter NAME=VALUE (repeatable)."),
        stochastic: bool = typer.Option(
            False, "--stochastic", help="Sample actions instead of the deterministic ones."
        ),
        json_output: bool = JSON_OPTION,
    ) -> None:
        """Evaluate a model (or the heuristic) on TASK: mean/std reward, success rate, mean episode length.

        A task of several behaviors (Chase) plays one model per behavior together and reports each
        behavior's figures.
        """
        from ..sim import evaluate, make  # start-up
        from ..sim.catalog import MULTI_BEHAVIOR_TASKS  # start-up

        if others not in OTHERS:
            raise SpecError(f"--others: expected one of {', '.join(OTHERS)}, got '{others}'")
        multi = {name.lower(): name for name in MULTI_BEHAVIOR_TASKS}
        if world is None and task is not None and task.lower() in multi:
            _eval_behaviors(
                multi[task.lower()],
                model,
                run_dir,
                others,
                episodes=episodes,
                num_envs=num_envs,
                seed=seed,
                env_parameters=parse_env_parameters(param),
                stochastic=stochastic,
                json_output=json_output,
            )
            return
        if run_dir is not None:
            raise SpecError("--run-dir: only for tasks of several behaviors (give --model PATH)")
        if len(model) > 1:
            raise SpecError(
                f"--model: {_task(task, world)} has one behavior: give one model, got {len(model)}"
            )
        env = make(
            _task(task, world), num_agents=num_envs, seed=seed, env_parameters=parse_env_parameters(param)
        )
        policy, source = _policy(env, Path(model[0]) if model else None, stochastic)
        result = evaluate(env, policy, episodes=episodes, seed=seed)
        if json_output:
            emit_json({**result.to_dict(), "task": env.task_name, "policy": source})
            return
        typer.echo(
            f"{env.task_name}: mean_reward {result.mean_reward:.4f} ± {result.std_reward:.4f}  "
            f"success_rate {result.success_rate:.3f}  episodes {result.episodes}  "
            f"mean_length {result.mean_length:.1f} decisions  ({source})"
        )

    @sim_app.command("bench")
    @handle_errors
    def bench_command(
        task: str | None = TASK_ARGUMENT,
        world: Path | None = WORLD_OPTION,
        num_envs: int = typer.Option(256, "--num-envs", help="Agents stepped together."),
        seconds: float = typer.Option(1.0, "--seconds", help="Time budget."),
        json_output: bool = JSON_OPTION,
    ) -> None:
        """Measure steps per second with random actions on one thread.

        ``steps_per_sec`` counts agent decision steps (one observation-action pair each);
        ``physics_steps_per_sec`` multiplies by the decision period.
        """
        from ..sim.bench import measure  # start-up
        from ..sim.catalog import canonical_task_name  # start-up

        if num_envs < 1:
            raise SpecError(f"--num-envs must be >= 1, got {num_envs}")
        result = measure(canonical_task_name(_task(task, world)), num_agents=num_envs, seconds=seconds)
        if json_output:
            emit_json(result)
            return
        typer.echo(
            f"{result['task']} x{num_envs}: {result['steps_per_sec']:,.0f} decision steps/s, "
            f"{result['physics_steps_per_sec']:,.0f} physics steps/s"
        )

    @sim_app.command("render")
    @handle_errors
    def render_command(
        task: str | None = TASK_ARGUMENT,
        world: Path | None = WORLD_OPTION,
        out: Path = typer.Option(..., "--out", help="Output .gif (an episode) or .png (the first state)."),
        model: Path | None = typer.Option(
            None, "--model", help="ML-Agents ONNX model; default: the heuristic."
        ),
        max_decisions: int = typer.Option(300, "--max-decisions", help="GIF frame limit."),
        num_envs: int | None = typer.Option(None, "--num-envs", help="Agents (panels) to draw."),
        seed: int = typer.Option(0, "--seed", help="Environment seed."),
        param: list[str] = typer.Option([], "--param", help="Environment parameter NAME=VALUE (repeatable)."),
        json_output: bool = JSON_OPTION,
    ) -> None:
        """Render TASK top-down at the inference configuration: a GIF of an episode or a PNG of the start."""
        from ..sim import make  # start-up
        from ..sim.render import render_episode_gif, render_state_png  # start-up

        suffix = out.suffix.lower()
        if suffix not in (".gif", ".png"):
            raise SpecError(f"--out must end in .gif or .png, got '{out.name}'")
        env = make(
            _task(task, world), num_agents=num_envs, seed=seed, env_parameters=parse_env_parameters(param)
        )
        policy, source = _policy(env, model, False)
        if suffix == ".gif":
            path = render_episode_gif(env, policy, out, max_decisions=max_decisions, seed=seed)
        else:
            env.reset(seed=seed)
            path = render_state_png(env, out)
        if json_output:
            emit_json({"task": env.task_name, "out": path, "policy": source, "bytes": path.stat().st_size})
            return
        typer.echo(f"wrote {path}")

    register_player(sim_app)
    app.add_typer(sim_app, name="sim")
