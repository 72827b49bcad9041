"""Picklable stages for Ray job tests: they record the node they ran on and can be slow or fail."""

from __future__ import annotations

import time
from dataclasses import dataclass

from mlops_unity_pipeline.orchestrator.outputs import TrainOutput
from mlops_unity_pipeline.orchestrator.protocol import FakeStage, StageContext, StageResult
from mlops_unity_pipeline.progress import ProgressEvent
from tests.sweep.fakes import FakeEvaluate, FakePackage


@dataclass
class SlowTrain:
    """Reports ``steps`` progress updates ``sleep_s`` apart (cancellable), then a fixed reward."""

    name: str = "train"
    steps: int = 3
    sleep_s: float = 0.1

    def run(self, ctx: StageContext) -> StageResult:
        """Report progress and return."""
        for i in range(1, self.steps + 1):
            ctx.check_cancelled()
            ctx.report_progress(
                ProgressEvent(
                    job_id=ctx.job.job_id, stage="train", step=i, max_steps=self.steps, mean_reward=1.0
                )
            )
            time.sleep(self.sleep_s)
        return StageResult(output=TrainOutput(onnx_path="", seed=0, steps=self.steps, mean_reward=1.0))


def fake_job_stages(**train: object) -> list:
    """codegen/build no-ops, SlowTrain, evaluate/package fakes, real register and notify stages."""
    from mlops_unity_pipeline.orchestrator.stages import NotifyStage, RegisterStage

    return [
        FakeStage("codegen"),
        FakeStage("build"),
        SlowTrain(**train),
        FakeEvaluate(),
        FakePackage(),
        RegisterStage(),
        NotifyStage(),
    ]


def line_factory(num_agents: int, seed: int | None):
    """The toy LineTarget env (a picklable factory for environment actors)."""
    from tests.rl.toy_env import LineTarget

    return LineTarget(num_agents, seed=seed)
