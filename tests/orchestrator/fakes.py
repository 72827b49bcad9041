"""Typed stage outputs for tests that run the orchestrator with ``FakeStage`` s."""

from __future__ import annotations

from mlops_unity_pipeline.orchestrator.outputs import (
    BuildOutput,
    CodegenOutput,
    EvaluateOutput,
    PackageOutput,
    RegisterOutput,
    StageOutput,
    TrainOutput,
)
from mlops_unity_pipeline.specs import BuildBackend

NAMES = ("codegen", "build", "train", "evaluate", "package", "register", "notify")


def fake_outputs(
    *,
    model_path: str = "/m.onnx",
    version: int = 3,
    promoted: bool = True,
    reward: float = 0.9,
    steps: int = 1000,
    paths: dict[str, str] | None = None,
) -> dict[str, StageOutput]:
    """One plausible typed output per stage (notify has none), as the real stages would hand them on."""
    return {
        "codegen": CodegenOutput(behavior_name="Agent", archetype="navigation", behavior_spec_path="/b.json"),
        "build": BuildOutput(backend=BuildBackend.SIM, build_record="/build.json"),
        "train": TrainOutput(onnx_path="/t.onnx", seed=0, steps=steps, mean_reward=reward),
        "evaluate": EvaluateOutput(metrics={"eval/mean_reward": reward, "baseline/mean_reward": 0.1}),
        "package": PackageOutput(
            model_path=model_path, model_sha256="ab" * 32, paths=paths or {"metadata": "/meta.json"}
        ),
        "register": RegisterOutput(version=version, promoted=promoted, model_path=model_path),
    }
