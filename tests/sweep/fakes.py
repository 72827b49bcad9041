"""Picklable fake stages for sweep tests: the objective is a known function of the learning rate."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

from mlops_unity_pipeline.orchestrator.outputs import EvaluateOutput, PackageOutput, TrainOutput
from mlops_unity_pipeline.orchestrator.protocol import FakeStage, StageContext, StageResult
from mlops_unity_pipeline.progress import ProgressEvent

BEST_LR = 1.0e-3


def objective(lr: float) -> float:
    """The fake training's final reward: a parabola in log10(lr), 0 at lr = 1e-3."""
    return -((math.log10(lr) - math.log10(BEST_LR)) ** 2)


def _lr(ctx: StageContext) -> float:
    return float(ctx.job.rl_config.mlagents_overrides["default_settings"]["hyperparameters"]["learning_rate"])


def _mark(ctx: StageContext, stage: str) -> None:
    # Counts runs across processes: one file per (job, stage, run).
    folder = ctx.workspace / "calls"
    folder.mkdir(exist_ok=True)
    n = len(list(folder.glob(f"{ctx.job.job_id}.{stage}.*")))
    (folder / f"{ctx.job.job_id}.{stage}.{n}").write_text("")


@dataclass
class FakeTrain:
    """Reports ``steps`` summaries whose reward climbs to ``objective(lr)``; trials in ``bad`` report -100."""

    name: str = "train"
    steps: int = 6
    sleep_s: float = 0.05
    bad: tuple[int, ...] = ()
    """Trial numbers (from the job id suffix) that report terrible intermediate rewards."""
    hang_on: tuple[int, ...] = ()
    """Trial numbers that sleep for a minute at their first step (to be killed)."""

    def run(self, ctx: StageContext) -> StageResult:
        """Report progress, honour cancels, return the final reward."""
        _mark(ctx, "train")
        number = int(ctx.job.job_id.rsplit("-t", 1)[1])
        final = objective(_lr(ctx))
        for i in range(1, self.steps + 1):
            ctx.check_cancelled()
            reward = -100.0 if number in self.bad else final - (self.steps - i) * 0.01
            ctx.report_progress(
                ProgressEvent(
                    job_id=ctx.job.job_id,
                    stage="train",
                    step=100 * i,
                    max_steps=100 * self.steps,
                    mean_reward=reward,
                )
            )
            deadline = time.monotonic() + (
                60.0 if number in self.hang_on and not ctx.resuming else self.sleep_s
            )
            while time.monotonic() < deadline:
                ctx.check_cancelled()
                time.sleep(0.02)
        output = TrainOutput(onnx_path="", seed=0, steps=100 * self.steps, mean_reward=final)
        return StageResult(output=output)


@dataclass
class FakeEvaluate:
    """Evaluates to the training's final reward (a random baseline far below)."""

    name: str = "evaluate"

    def run(self, ctx: StageContext) -> StageResult:
        """Return the metrics."""
        final = ctx.output(TrainOutput).mean_reward
        metrics = {"eval/mean_reward": final, "baseline/mean_reward": -50.0}
        return StageResult(output=EvaluateOutput(metrics=metrics))


@dataclass
class FakePackage:
    """Stores a job-specific 'model' and metadata in the artifact store, like the real package stage."""

    name: str = "package"

    def run(self, ctx: StageContext) -> StageResult:
        """Write and store the files; return the package outputs the registry needs."""
        folder = ctx.job_dir / "package"
        folder.mkdir(parents=True, exist_ok=True)
        model = folder / "model.onnx"
        model.write_bytes(f"fake model of {ctx.job.job_id}".encode())
        metadata = folder / "metadata.json"
        metadata.write_text(json.dumps({"job_id": ctx.job.job_id}))
        artifacts = ctx.services.artifacts
        stored = artifacts.put_file(model)
        stored_meta = artifacts.put_file(metadata)
        output = PackageOutput(
            model_path=str(stored.path),
            model_sha256=stored.sha256,
            metadata_sha256=stored_meta.sha256,
            package_dir=str(folder),
        )
        return StageResult(output=output)


def fake_stages(**train: object) -> list:
    """Return the trial stages with fakes: codegen and build do nothing, train/evaluate/package as above."""
    return [FakeStage("codegen"), FakeStage("build"), FakeTrain(**train), FakeEvaluate(), FakePackage()]


def calls(workspace: Path, job_id: str, stage: str) -> int:
    """How many times ``stage`` ran for ``job_id`` (all processes)."""
    return len(list((Path(workspace) / "calls").glob(f"{job_id}.{stage}.*")))
