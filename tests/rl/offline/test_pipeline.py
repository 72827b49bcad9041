"""Pipeline: use_offline_rl + demonstrations_path pretrains offline, fine-tunes online, records hashes."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import pytest

from mlops_unity_pipeline.orchestrator import UnityMLOpsOrchestrator
from mlops_unity_pipeline.registry import PromotionGate
from mlops_unity_pipeline.rl.config import load_run_options
from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingJob, UnityAssetSpec
from tests.conftest import anchor


def _job(job_id: str, demos: Path) -> TrainingJob:
    return TrainingJob(
        job_id=job_id,
        asset_spec=UnityAssetSpec(
            asset_id="ball-001", name="BallAgent", description="Balance a ball on a platform"
        ),
        rl_config=RLTrainingConfig(
            max_steps=1_200,
            seed=3,
            evaluation_episodes=2,
            demonstrations_path=str(demos),
            use_offline_rl=True,
        ),
    )


def _run(tmp_path: Path, job: TrainingJob):
    orchestrator = UnityMLOpsOrchestrator(
        tmp_path / "ws", promotion_gate=PromotionGate(require_beats_baseline=False)
    )
    return orchestrator, asyncio.run(orchestrator.execute_training_job(job))


@pytest.mark.slow
def test_offline_job_pretrains_then_fine_tunes_with_bc(tmp_path):
    """pretrained.pt -> PPO with BC; hashes recorded; the pretrained policy is a registered candidate too."""
    demo = anchor("demos/Expert3DBall.demo")
    orchestrator, result = _run(tmp_path, _job("offline", demo))
    assert result.ok, result.error
    options = load_run_options(result.paths["trainer_config"])
    settings = options.behavior_settings("BallAgent")
    assert settings.behavioral_cloning is not None and settings.behavioral_cloning.demo_path == str(demo)
    assert settings.init_path is not None and Path(settings.init_path).name == "pretrained.pt"
    pretrain = json.loads((Path(settings.init_path).parent / "pretrain.json").read_text())
    digest = hashlib.sha256(demo.read_bytes()).hexdigest()
    assert pretrain["demonstrations"] == {str(demo): digest} and pretrain["transitions"] == 548
    metadata = json.loads(Path(result.paths["metadata"]).read_text())
    assert list(metadata["hashes"]["demonstrations"].values()) == [digest]
    # The pretrained policy is registered first, as its own version. 1,200 steps stay inside the critic
    # warm-up (the actor is frozen) and below one PPO buffer, so the fine-tuned ONNX is byte-identical: the
    # registry keeps the one version (idempotent per hash), champion, with the pretrained policy's metrics.
    register = next(s for s in orchestrator.get_job("offline").stages if s.name == "register").outputs
    assert register["pretrained"] == {
        "version": 1,
        "promoted": True,
        "model_path": register["model_path"],
    }
    (version,) = orchestrator.registry.list_versions("ball-001")
    assert version.metrics["offline/pretrained"] is True and "champion" in version.aliases


def test_offline_job_with_mismatched_demo_fails_the_train_stage(tmp_path):
    """Basic's demonstration for a balance behavior: the train stage fails naming both specs."""
    _, result = _run(tmp_path, _job("mismatch", anchor("demos/ExpertBasic.demo")))
    assert not result.ok
    assert "offline pretraining failed" in str(result.error) and "expects observations [[8]]" in str(
        result.error
    )
