"""Train stage: the built-in trainer (``rl.learn.learn``) on the behavior's simulator env, resumable."""

from __future__ import annotations

import dataclasses
import json
import secrets
from pathlib import Path
from typing import Any

from ..._validate import deep_merge
from ...behavior.world_behavior import WorldBehavior
from ...behavior.world_training import cloning_for_budget, record_heuristic_demo, training_defaults
from ...errors import JobCancelled, PipelineError, TrainError
from ...progress import ProgressEvent
from ...reports import prefetch_report_dependencies
from ...rl.config import dump_run_options
from ...specs import Algorithm, BuildBackend, RLTrainingConfig, TrainerBackend
from ...store.files import write_json_atomic, write_text_atomic
from ...unity.mlagents_learn import MlagentsLearnBackend
from ..outputs import BuildOutput, TrainOutput
from ..protocol import StageContext, StageResult


def job_seed(ctx: StageContext) -> int:
    """Return the job's training seed: ``rl_config.seed``, or one drawn once and kept in the job folder.

    A drawn seed is persisted before training so that a resumed run, the evaluation and the metadata all use
    (and record) the same one.
    """
    if ctx.job.rl_config.seed is not None:
        return int(ctx.job.rl_config.seed)
    path = ctx.job_dir / "train" / "seed.json"
    if path.is_file():
        try:
            return int(json.loads(path.read_text())["seed"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # unreadable: draw a new one below
    seed = secrets.randbelow(10_000)  # ML-Agents draws 0-9999 when --seed is -1
    write_json_atomic(path, {"seed": seed})
    return seed


def _has_checkpoint(run_dir: Path) -> bool:
    return run_dir.is_dir() and any(run_dir.rglob("checkpoint.pt"))


class TrainStage:
    """Trains with the resolved ML-Agents configuration; resumes from the last checkpoint after a crash."""

    name = "train"

    def run(self, ctx: StageContext) -> StageResult:
        """Train; outputs: ONNX and checkpoint paths, steps, final mean reward and the reward history."""
        prefetch_report_dependencies()  # the package stage's plotting imports load while training runs
        job = ctx.job
        spec = ctx.behavior_spec
        seed = job_seed(ctx)
        results_dir = ctx.job_dir / "results"
        rl_config = job.rl_config
        pretrain_updates: int | None = None  # None: PretrainConfig's default (the job's own demonstrations)
        if isinstance(spec, WorldBehavior):
            rl_config, pretrain_updates = self._world_defaults(ctx, spec, seed)
        run_options = rl_config.to_run_options(spec.behavior_name, run_id=job.job_id, results_dir=results_dir)
        run_options = dataclasses.replace(
            run_options, env_settings=dataclasses.replace(run_options.env_settings, seed=seed)
        )
        resume = ctx.resuming and _has_checkpoint(results_dir / job.job_id)
        run_options = dataclasses.replace(
            run_options,
            checkpoint_settings=dataclasses.replace(
                run_options.checkpoint_settings, resume=resume, force=not resume
            ),
        )
        pretrained: dict[str, Any] | None = None
        builtin = job.rl_config.trainer_backend is TrainerBackend.BUILTIN
        if rl_config.use_offline_rl and builtin and not resume:
            # Offline RL (docs/offline_rl.md): pretrain from the demonstrations (the job's, or a world's
            # recorded heuristic), then fine-tune online from that checkpoint (init_path) with behavioral
            # cloning annealed over the run (run_options_dict).
            demos = rl_config.demonstrations_path
            run_options, pretrained = self._pretrain(ctx, spec, run_options, seed, demos, pretrain_updates)
        config_path = ctx.job_dir / "config" / "trainer_config.yaml"
        config_path.parent.mkdir(parents=True, exist_ok=True)
        dump_run_options(run_options, config_path)

        # (step, mean, std, success rate or None) per summary: the report's band and success curve
        spread: list[list[float | None]] = []

        def on_progress(event: ProgressEvent) -> None:
            if event.mean_reward is not None and event.std_reward is not None:
                step, mean, std = int(event.step or 0), float(event.mean_reward), float(event.std_reward)
                spread.append([step, mean, std, event.success_rate])
            ctx.report_progress(event.for_job(job.job_id, self.name))

        try:
            if job.rl_config.trainer_backend is TrainerBackend.MLAGENTS:
                trained = self._mlagents_learn(
                    ctx, spec.behavior_name, run_options, config_path, resume, seed, on_progress
                )
            else:
                trained = self._builtin(ctx, spec, run_options, seed, on_progress)
        except (JobCancelled, PipelineError):
            raise
        except Exception as exc:  # torch / numpy / subprocess failures inside the trainer
            raise TrainError(f"training failed: {type(exc).__name__}: {exc}", run_id=job.job_id) from exc
        history = [[s, r] for s, r in trained.history]
        write_text_atomic(ctx.job_dir / "train" / "history.json", json.dumps(history))
        output = dataclasses.replace(
            trained,
            behavior_name=spec.behavior_name,
            backend=job.rl_config.trainer_backend,
            resumed_from_checkpoint=resume,
            pretrain=pretrained,
            trainer_config=run_options.to_dict(),
            history_spread=tuple(tuple(row) for row in spread),
            paths={"results": trained.run_dir, "trainer_config": str(config_path)},
        )
        return StageResult(output=output)

    def _world_defaults(
        self, ctx: StageContext, spec: WorldBehavior, seed: int
    ) -> tuple[RLTrainingConfig, int | None]:
        """Return the job's config with the world's training defaults beneath its own overrides.

        ``behavior.world_training`` grades the world; its network and PPO settings go under the job's
        ``mlagents_overrides``, which win. Where the world's scripted heuristic plays it (and the job brings
        no demonstrations of its own), heuristic episodes are recorded here and the job trains as offline RL
        from them: a behavioral-cloning pretrain, then PPO with cloning annealed over the run; below the
        quick-start budget the episodes and pretrain steps shrink with the job's budget
        (``cloning_for_budget``). The job's ``max_steps`` is kept; the recommendation is recorded in
        ``train/world_training.json`` and said in the progress when the job's budget is smaller.

        Returns:
            The config, and the pretrain gradient steps when the heuristic is cloned (else ``None``).

        """
        config = ctx.job.rl_config
        training = training_defaults(spec.world)
        demo: Path | None = None
        own_demos = config.demonstrations_path is not None
        cloning = cloning_for_budget(training, config.max_steps)
        if cloning is not None and not own_demos and config.algorithm is Algorithm.PPO:
            demo = record_heuristic_demo(
                spec.world, ctx.job_dir / "train" / "heuristic.demo", episodes=cloning.episodes, seed=seed
            )
        defaults = {"default_settings": training.default_settings()}
        overrides = deep_merge(defaults, config.mlagents_overrides)
        if demo is not None:
            config = dataclasses.replace(config, demonstrations_path=str(demo), use_offline_rl=True)
        record = {**training.to_dict(), "job_max_steps": config.max_steps, "demo_path": demo and str(demo)}
        if demo is not None and cloning is not None:
            record |= {"recorded_episodes": cloning.episodes, "pretrain_updates": cloning.updates}
        write_json_atomic(ctx.job_dir / "train" / "world_training.json", record)
        note = training.line()
        if config.max_steps < training.max_steps:
            note += f"; this job trains {config.max_steps:,} steps (max_steps), fewer than recommended"
        if demo is not None and cloning is not None and cloning.episodes < training.demonstration_episodes:
            note += f"; cloning {cloning.episodes} heuristic episodes for this budget"
        ctx.report_progress(ProgressEvent(job_id=ctx.job.job_id, stage=self.name, message=note))
        updates = cloning.updates if demo is not None and cloning is not None else None
        return dataclasses.replace(config, mlagents_overrides=overrides), updates

    def _pretrain(
        self,
        ctx: StageContext,
        spec: Any,
        run_options: Any,
        seed: int,
        demonstrations: str | None,
        updates: int | None,
    ) -> tuple[Any, dict[str, Any]]:
        """Pretrain offline from ``demonstrations_path``; return options whose ``init_path`` is it.

        ``updates`` (policy and critic gradient steps each) bounds a world's heuristic cloning to the job's
        budget; ``None`` keeps ``PretrainConfig``'s defaults.
        """
        from ...rl.offline.pretrain import PretrainConfig, pretrain  # heavy: torch

        name = spec.behavior_name
        settings = run_options.behavior_settings(name)
        env = spec.make_env(1, seed)
        try:
            signature = env.signature
        finally:
            env.close()
        try:
            result = pretrain(
                signature,
                settings,
                demonstrations,
                ctx.job_dir / "train" / "pretrain",
                config=PretrainConfig(seed=seed)
                if updates is None
                else PretrainConfig(seed=seed, updates=updates, critic_updates=updates),
            )
        except PipelineError as exc:  # a bad demonstration file or spec mismatch fails this stage, named
            raise TrainError(f"offline pretraining failed: {exc}", run_id=ctx.job.job_id) from exc
        behavior = dataclasses.replace(settings, init_path=str(result.checkpoint_path))
        behaviors = {**run_options.behaviors, name: behavior}
        run_options = dataclasses.replace(run_options, behaviors=behaviors)
        return run_options, result.to_dict()

    def _builtin(
        self, ctx: StageContext, spec: Any, run_options: Any, seed: int, on_progress: Any
    ) -> TrainOutput:
        from ...rl.learn import LearnOptions, learn  # heavy: torch

        options = LearnOptions(
            run_options=run_options,
            env_factory=spec.make_env,
            on_progress=on_progress,
            should_stop=ctx.cancel_requested,
            quiet=True,
        )
        result = learn(options)
        behavior = result.behaviors.get(spec.behavior_name)
        if behavior is None:
            raise TrainError(
                f"the trainer returned no result for behavior '{spec.behavior_name}'", run_id=ctx.job.job_id
            )
        return TrainOutput(
            onnx_path=str(behavior.onnx_path),
            seed=seed,
            checkpoint_path=str(behavior.checkpoint_path),
            run_dir=str(result.run_dir),
            wall_seconds=float(result.wall_seconds),
            history=tuple((int(s), float(r)) for s, r in behavior.history),
            steps=int(behavior.steps),
            mean_reward=behavior.mean_reward,
        )

    def _mlagents_learn(
        self,
        ctx: StageContext,
        behavior_name: str,
        run_options: Any,
        config_path: Path,
        resume: bool,
        seed: int,
        on_progress: Any,
    ) -> TrainOutput:
        # mlagents-learn drives a Unity player: the one the build stage made with build_backend: unity.
        build = ctx.output(BuildOutput)
        player = build.player_path
        if build.backend is not BuildBackend.UNITY or not player:
            raise TrainError(
                "trainer_backend 'mlagents' trains against a Unity player: set build_backend: unity "
                "(with UNITY_EDITOR_PATH), or use trainer_backend: builtin with the simulator",
                run_id=ctx.job.job_id,
            )
        cs = run_options.checkpoint_settings
        # The run's options already hold its seed, resume/force and devices; the player is the build's.
        env_settings = dataclasses.replace(run_options.env_settings, env_path=str(player))
        options = dataclasses.replace(run_options, env_settings=env_settings)
        backend = MlagentsLearnBackend()  # finds mlagents-learn (or says how to install it)
        try:
            result = backend.run(
                options,
                config_path,
                on_progress=on_progress,
                should_stop=ctx.cancel_requested,
                log_path=ctx.job_dir / "logs" / "mlagents-learn.log",
            )
        except TrainError as exc:
            # The backend's cause and fix speak of mlagents-learn in general; name this job's files too.
            run_logs = Path(cs.results_dir) / cs.run_id / "run_logs"
            raise TrainError(
                f"{exc}\nin this job: trainer YAML {config_path} (behaviors: {behavior_name}; the player's "
                f"BehaviorParameters.BehaviorName must be exactly that), player {player}, player logs "
                f"{run_logs}/Player-*.log",
                run_id=ctx.job.job_id,
            ) from exc
        onnx = result.onnx_paths.get(behavior_name)
        if onnx is None:
            raise TrainError(
                f"mlagents-learn produced no ONNX for behavior '{behavior_name}'", run_id=ctx.job.job_id
            )
        history = tuple((int(s), float(r)) for s, r in result.history.get(behavior_name, []))
        checkpoint = Path(result.run_dir) / behavior_name / "checkpoint.pt"
        # Steps and reward of the final checkpoint come from training_status.json (the shared parser); the
        # console summaries are the fallback (a summary without finished episodes has no reward).
        final = result.training_status.get(behavior_name, {}).get("final_checkpoint") or {}
        steps = final.get("steps") if isinstance(final.get("steps"), int) else None
        mean_reward = result.final_rewards.get(behavior_name)
        if mean_reward is None and history:
            mean_reward = history[-1][1]
        return TrainOutput(
            onnx_path=str(onnx),
            seed=seed,
            checkpoint_path=str(checkpoint),
            run_dir=str(result.run_dir),
            wall_seconds=float(result.duration_s),
            history=history,
            steps=steps if steps is not None else (history[-1][0] if history else None),
            mean_reward=mean_reward,
            backend=TrainerBackend.MLAGENTS,
            mlagents_learn={
                "command": list(result.command),
                "base_port": result.base_port,
                "log_path": str(result.log_path) if result.log_path else None,
                "returncode": result.returncode,
                "training_status_metadata": result.training_status.get("metadata"),
            },
        )
