"""``mlops-unity learn``: train a simulator task from an ML-Agents configuration, like ``mlagents-learn``."""

from __future__ import annotations

from pathlib import Path

import typer

from ._common import emit_json, handle_errors


def register(app: typer.Typer) -> None:
    """Add the ``learn`` command to the ``mlops-unity`` app."""

    @app.command("learn")
    @handle_errors
    def learn_command(
        config: Path = typer.Argument(..., help="Trainer configuration YAML (ML-Agents Release 22 schema)."),
        env: str = typer.Option(
            None,
            "--env",
            help="Environment: 'sim:TASK' (3DBall, Basic, Navigation, …) or a player executable. "
            "Default: env_settings.env_path of the configuration.",
        ),
        run_id: str = typer.Option(
            None, "--run-id", help="Run folder name under the results dir (default 'ppo')."
        ),
        num_envs: int = typer.Option(
            None, "--num-envs", min=1, help="Simulator areas; each holds the task's default number of agents."
        ),
        num_areas: int = typer.Option(
            None, "--num-areas", min=1, help="Areas per environment (multiplies --num-envs)."
        ),
        results_dir: Path = typer.Option(
            None, "--results-dir", help="Folder holding run folders ('results')."
        ),
        seed: int = typer.Option(None, "--seed", help="Random seed (-1 = random)."),
        resume: bool = typer.Option(False, "--resume", help="Continue the run from its last checkpoint."),
        force: bool = typer.Option(False, "--force", help="Overwrite an existing run folder."),
        initialize_from: str = typer.Option(
            None, "--initialize-from", help="Start from this earlier run's weights."
        ),
        time_scale: float = typer.Option(
            None,
            "--time-scale",
            help="Engine time scale (the simulator runs as fast as the CPU allows; kept for parity).",
        ),
        torch_device: str = typer.Option(None, "--torch-device", help="Torch device ('cpu')."),
        deterministic: bool = typer.Option(
            False, "--deterministic", help="Set network_settings.deterministic for every behavior."
        ),
        ray_envs: bool = typer.Option(
            False,
            "--ray-envs",
            help="Run the --num-envs environment instances as Ray actors on the cluster at RAY_ADDRESS "
            "(the learner stays here).",
        ),
        json_output: bool = typer.Option(
            False, "--json", help="Print the run's final figures as one JSON object."
        ),
        stop_at_reward: float | None = typer.Option(
            None,
            "--stop-at-reward",
            help="End training at the first summary whose mean reward reaches this (e.g. 90 for 3DBall); "
            "the model is written as at max_steps.",
        ),
    ) -> None:
        """Train with the built-in PPO/SAC trainer and write results/<run-id>/ like mlagents-learn.

        Flags override the configuration only when given (as mlagents-learn's do). The run writes TensorBoard
        events, checkpoints, <Behavior>.onnx, configuration.yaml and run_logs/training_status.json.
        """
        from ..errors import ConfigError
        from ..rl.config import load_run_options
        from ..rl.learn import LearnOptions, learn

        options = load_run_options(config)
        env_value = env or options.env_settings.env_path
        if not env_value:
            raise ConfigError("no environment: pass --env sim:TASK (or set env_settings.env_path)")
        options = options.with_cli_overrides(
            deterministic=deterministic or None,
            env_path=env_value,
            run_id=run_id,
            num_envs=num_envs,
            num_areas=num_areas,
            results_dir=results_dir,
            seed=seed,
            resume=resume or None,
            force=force or None,
            initialize_from=initialize_from,
            time_scale=time_scale,
            torch_device=torch_device,
        )
        if stop_at_reward is not None and stop_at_reward != stop_at_reward:
            raise ConfigError("--stop-at-reward: expected a number, got nan")
        result = learn(
            LearnOptions(
                run_options=options, env=env_value, quiet=json_output,
                stop_at_reward=stop_at_reward,
                ray_envs=ray_envs,
            )
        )
        if json_output:
            payload = result.to_dict()
            payload["run_id"] = options.checkpoint_settings.run_id
            emit_json(payload)
            return
        for behavior in result.behaviors.values():
            reached = (
                f" (reached mean reward {behavior.mean_reward:.2f} >= {stop_at_reward:g}: stopped early)"
                if behavior.stopped_at_reward and behavior.mean_reward is not None
                else ""
            )
            typer.echo(
                f"Trained {behavior.name} for {behavior.steps} steps in {result.wall_seconds:0.1f} s"
                f"{reached}; model: {behavior.onnx_path}"
            )
