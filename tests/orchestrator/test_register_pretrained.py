"""Register stage with offline RL: the pretrained policy is its own candidate; the gate keeps the better."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_unity_pipeline.behavior import Archetype, default_spec
from mlops_unity_pipeline.behavior.world_behavior import load_behavior
from mlops_unity_pipeline.orchestrator.outputs import (
    CodegenOutput,
    EvaluateOutput,
    PackageOutput,
    TrainOutput,
)
from mlops_unity_pipeline.orchestrator.protocol import Services, StageContext
from mlops_unity_pipeline.orchestrator.stages.register import RegisterStage
from mlops_unity_pipeline.registry import PromotionGate
from mlops_unity_pipeline.registry.local import LocalRegistry
from mlops_unity_pipeline.specs import TrainingJob, UnityAssetSpec
from mlops_unity_pipeline.store.artifacts import ArtifactStore

SPEC = default_spec(Archetype.REACH_TARGET, "Ball")


def _context(tmp_path: Path, finetuned: float, pretrained: float | None):
    artifacts = ArtifactStore(tmp_path / "artifacts")
    registry = LocalRegistry(tmp_path / "registry", artifacts, gate=PromotionGate())
    (tmp_path / "ft.onnx").write_bytes(b"fine-tuned model")
    (tmp_path / "pre.onnx").write_bytes(b"pretrained model")
    stored = artifacts.put_file(tmp_path / "ft.onnx", name="Ball.onnx")

    def metrics(reward: float) -> dict:
        return {"eval/mean_reward": reward, "baseline/mean_reward": 1.0}

    spec_path = tmp_path / "behavior_spec.json"
    spec_path.write_text(json.dumps(SPEC.to_dict()))
    outputs = [
        CodegenOutput(behavior_name="Ball", archetype="reach_target", behavior_spec_path=str(spec_path)),
        PackageOutput(
            model_sha256=stored.sha256,
            model_path=str(stored.path),
            package_dir=str(tmp_path / "package"),
            metadata_sha256="",
        ),
        EvaluateOutput(
            metrics=metrics(finetuned),
            pretrained_metrics=None if pretrained is None else metrics(pretrained),
        ),
        TrainOutput(
            onnx_path=str(stored.path),
            seed=0,
            steps=60_000,
            mean_reward=finetuned,
            pretrain=None if pretrained is None else {"onnx_path": str(tmp_path / "pre.onnx")},
        ),
    ]
    ctx = StageContext(
        job=TrainingJob("job-1", UnityAssetSpec(asset_id="ball-001", name="Ball")),
        job_dir=tmp_path / "job",
        workspace=tmp_path,
        services=Services(artifacts=artifacts, registry=registry),
        outputs={o.stage: o for o in outputs},
    )
    return ctx, registry


@pytest.mark.parametrize(("finetuned", "champion"), [(90.0, 1), (100.0, 2)])
def test_gate_keeps_the_pretrained_policy_unless_fine_tuning_beats_it(tmp_path, finetuned, champion):
    """v1 is the pretrained policy; the fine-tuned v2 becomes champion only when it scores higher."""
    ctx, registry = _context(tmp_path, finetuned=finetuned, pretrained=95.0)
    out = RegisterStage().run(ctx).output
    assert out.pretrained["version"] == 1 and out.pretrained["promoted"] is True
    assert out.version == 2 and out.promoted is (champion == 2)
    assert registry.get_version("ball-001", "champion").version == champion
    assert registry.get_version("ball-001", 1).metrics["offline/pretrained"] is True
    assert Path(registry.get_version("ball-001", 1).model_path).read_bytes() == b"pretrained model"
    # the pretrained version says what it plays, so it can be evaluated on its own (mcp evaluate_model)
    metadata = Path(registry.get_version("ball-001", 1).artifact_dir) / "metadata.json"
    assert load_behavior(json.loads(metadata.read_text())["behavior_spec"]) == SPEC


def test_without_offline_rl_only_the_trained_model_is_registered(tmp_path):
    """No pretrain output: one version, no 'pretrained' entry."""
    ctx, registry = _context(tmp_path, finetuned=50.0, pretrained=None)
    out = RegisterStage().run(ctx).output
    assert out.pretrained is None and [v.version for v in registry.list_versions("ball-001")] == [1]
