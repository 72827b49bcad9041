"""Train stage: the built-in trainer (``rl.learn.learn``) on the behavior's simulator env, resumable."""

from __future__ import annotations

import dataclasses
import json
import secrets
from pathlib import Path
from typing import Any

from ...errors import JobCancelled, PipelineError, TrainError
from ...store.files import write_json_atomic, write_text_atomic
from ..protocol import ProgressUpdate, StageContext, StageResult
from ._common import load_behavior_spec


def job_seed(ctx: StageContext) -> int:
    """The job's training seed: ``rl_config.seed``, or one drawn once and kept in ``<job_dir>/train/seed.json``.

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
        """Train; outputs carry the ONNX and checkpoint paths, steps, final mean reward and the reward history."""
        job = ctx.job
        if job.rl_config.trainer_backend != "builtin":
            raise TrainError(
                f"trainer_backend '{job.rl_config.trainer_backend}' needs a Unity player build "
                "(build_backend: unity); with the simulator use trainer_backend: builtin",
                run_id=job.job_id,
            )
        from ...rl.config import dump_run_options
        from ...rl.learn import LearnOptions, learn

        spec = load_behavior_spec(ctx, self.name)
        seed = job_seed(ctx)
        results_dir = ctx.job_dir / "results"
        run_options = job.rl_config.to_run_options(
            spec.behavior_name, run_id=job.job_id, results_dir=results_dir
        )
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
        config_path = ctx.job_dir / "config" / "trainer_config.yaml"
        config_path.parent.mkdir(parents=True, exist_ok=True)
        dump_run_options(run_options, config_path)

        def on_progress(event: Any) -> None:
            ctx.report_progress(
                ProgressUpdate(
                    job_id=job.job_id,
                    stage=self.name,
                    step=int(event.step),
                    max_steps=int(event.max_steps),
                    mean_reward=event.mean_reward,
                    eta_s=event.eta_s,
                )
            )

        options = LearnOptions(
            run_options=run_options,
            env_factory=spec.make_env,
            on_progress=on_progress,
            should_stop=ctx.cancel_requested,
            quiet=True,
        )
        try:
            result = learn(options)
        except (JobCancelled, PipelineError):
            raise
        except Exception as exc:  # torch / numpy failures inside the trainer
            raise TrainError(f"training failed: {type(exc).__name__}: {exc}", run_id=job.job_id) from exc
        behavior = result.behaviors.get(spec.behavior_name)
        if behavior is None:
            raise TrainError(
                f"the trainer returned no result for behavior '{spec.behavior_name}'", run_id=job.job_id
            )
        history = [[int(s), float(r)] for s, r in behavior.history]
        write_text_atomic(ctx.job_dir / "train" / "history.json", json.dumps(history))
        return StageResult(
            outputs={
                "behavior_name": spec.behavior_name,
                "seed": seed,
                "resumed_from_checkpoint": resume,
                "onnx_path": str(behavior.onnx_path),
                "checkpoint_path": str(behavior.checkpoint_path),
                "run_dir": str(result.run_dir),
                "wall_seconds": float(result.wall_seconds),
                "history": history,
                "train/steps": int(behavior.steps),
                "train/mean_reward": behavior.mean_reward,
                "trainer_config": run_options.to_dict(),
                "paths": {"results": str(result.run_dir), "trainer_config": str(config_path)},
            }
        )
