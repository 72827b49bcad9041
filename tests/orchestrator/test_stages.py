"""The real stages, run once on a tiny budget: records, metadata lineage, registry, mirrors, notifications."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.orchestrator import RunState, UnityMLOpsOrchestrator
from mlops_unity_pipeline.orchestrator.stages.package import demonstration_hashes
from mlops_unity_pipeline.registry import PromotionGate
from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingJob, UnityAssetSpec
from mlops_unity_pipeline.store.artifacts import sha256_file


class RecordingNotifier:
    def __init__(self):
        self.events = []

    def send(self, event, payload):
        self.events.append((event, payload))


class RecordingMirror:
    name = "recording"

    def __init__(self):
        self.calls = []

    def on_registered(self, version, artifact_dir):
        self.calls.append(("registered", version.version, Path(artifact_dir)))
        return {"id": f"remote-{version.version}"}

    def on_alias_moved(self, asset_id, alias, version):
        self.calls.append(("alias", alias, version.version))


def reach_job(job_id="stages", **config):
    settings = {"max_steps": 2_000, "num_envs": 4, "seed": 11, "evaluation_episodes": 6, **config}
    return TrainingJob(
        job_id=job_id,
        asset_spec=UnityAssetSpec(
            asset_id="reach-001", name="ReachAgent", description="Reach a target position"
        ),
        rl_config=RLTrainingConfig(**settings),
    )


@pytest.fixture(scope="module")
def pipeline_run(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("ws")
    notifier, mirror = RecordingNotifier(), RecordingMirror()
    orchestrator = UnityMLOpsOrchestrator(
        workspace,
        notifier=notifier,
        registry_mirrors=[mirror],
        promotion_gate=PromotionGate(require_beats_baseline=False),
    )
    result = asyncio.run(orchestrator.execute_training_job(reach_job()))
    return orchestrator, result, notifier, mirror


def test_every_stage_succeeds_and_result_points_at_the_registered_model(pipeline_run):
    """All seven stages succeed; the result's model is the registry's v1, verified by hash."""
    orchestrator, result, _, _ = pipeline_run
    assert result.ok, result.error
    record = orchestrator.get_job("stages")
    assert [(s.name, s.state) for s in record.stages] == [
        (n, RunState.SUCCEEDED)
        for n in ("codegen", "build", "train", "evaluate", "package", "register", "notify")
    ]
    assert result.registry_version == 1 and result.promoted
    assert sha256_file(Path(result.model_path)) == result.model_sha256
    assert orchestrator.registry.model_file("reach-001", "champion") == Path(result.model_path)


def test_build_record_describes_a_verified_simulator_env(pipeline_run):
    """build.json names the sim task, behavior spec, signature and engine config, after a reset+step check."""
    _, result, _, _ = pipeline_run
    record = json.loads(Path(result.paths["build"]).read_text())
    assert record["backend"] == "sim" and record["verified"] == {"reset": True, "step": True}
    assert record["behavior_spec"]["behavior_name"] == "ReachAgent"
    assert record["engine"]["width"] == 80 and record["engine"]["time_scale"] == 20.0
    assert record["signature"]["name"] == "ReachAgent"


def test_metadata_has_full_lineage(pipeline_run):
    """metadata.json: spec, resolved config, seeds, versions, metrics, timings, code hashes that match."""
    _, result, _, _ = pipeline_run
    metadata = json.loads(Path(result.paths["metadata"]).read_text())
    assert metadata["job"]["job_id"] == "stages" and metadata["job"]["rl_config"]["seed"] == 11
    assert metadata["seeds"]["train"] == 11 and metadata["seeds"]["evaluate"] != 11
    assert metadata["trainer_config"]["env_settings"]["num_envs"] == 4
    for name in ("torch", "onnx", "onnxruntime", "numpy", "python"):
        assert metadata["versions"][name]
    assert metadata["metrics"]["eval/episodes"] == 6 and metadata["metrics"]["baseline/episodes"] == 6
    assert set(metadata["stage_seconds"]) == {"codegen", "build", "train", "evaluate"}
    code_dir = Path(result.paths["generated_code"])
    for relative, digest in metadata["hashes"]["generated_code"].items():
        assert sha256_file(code_dir / relative) == digest
    assert metadata["hashes"]["demonstrations"] == {}
    assert metadata["model"]["sha256"] == result.model_sha256
    assert (
        Path(metadata["report"]["learning_curve"]).is_file()
        and Path(metadata["report"]["episode_gif"]).is_file()
    )


def test_resolved_trainer_yaml_loads_back(pipeline_run):
    """The job's trainer_config.yaml is a valid ML-Agents config for the behavior (strict loader)."""
    from mlops_unity_pipeline.rl.config import load_run_options

    _, result, _, _ = pipeline_run
    options = load_run_options(result.paths["trainer_config"])
    assert options.behavior_settings("ReachAgent").max_steps == 2_000


def test_mirror_and_notifier_are_called(pipeline_run):
    """The mirror sees the version and aliases; the notifier gets started, succeeded and promoted events."""
    orchestrator, result, notifier, mirror = pipeline_run
    assert mirror.calls[0][:2] == ("registered", 1)
    # the package of version 1: the job's, or the cloned policy's (package/pretrained) when that one was kept
    assert mirror.calls[0][2] in (Path(result.paths["package"]), Path(result.paths["package"]) / "pretrained")
    registered = json.loads((mirror.calls[0][2] / "metadata.json").read_text())
    sha = registered["model"]["sha256"] if "model" in registered else registered["model_sha256"]
    assert sha == orchestrator.registry.get_version("reach-001", 1).sha256
    assert ("alias", "champion", 1) in mirror.calls
    assert orchestrator.registry.get_version("reach-001", 1).external_ids == {"recording": {"id": "remote-1"}}
    assert [e for e, _ in notifier.events] == ["job.started", "job.succeeded", "model.promoted"]
    assert (
        notifier.events[1][1]["version"] == 1 and notifier.events[1][1]["model_sha256"] == result.model_sha256
    )
    report = notifier.events[1][1]["report"]  # the webhook links the job's report page
    assert report == result.paths["report"] and Path(report).name == "report.html" and Path(report).is_file()


def test_unity_build_without_editor_fails_clearly(tmp_path, monkeypatch):
    """build_backend: unity without a Unity Editor fails the build stage with a BuildError message."""
    monkeypatch.delenv("UNITY_EDITOR_PATH", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no Unity Hub installs here
    orchestrator = UnityMLOpsOrchestrator(tmp_path / "ws")
    result = asyncio.run(orchestrator.execute_training_job(reach_job("unity-job", build_backend="unity")))
    assert result.status is RunState.FAILED and result.failed_stage == "build"
    assert "Editor" in result.error or "Unity" in result.error


def test_mlagents_needs_a_unity_player():
    """trainer_backend: mlagents with the simulator build is refused when the spec is made, with the fix."""
    with pytest.raises(SpecError, match="set build_backend: unity"):
        reach_job("ml-job", trainer_backend="mlagents")


def test_demonstration_hashes(tmp_path):
    """Demonstration hashes cover a single file or the .demo files of a folder."""
    (tmp_path / "a.demo").write_bytes(b"a")
    (tmp_path / "notes.txt").write_text("x")
    assert list(demonstration_hashes(str(tmp_path))) == ["a.demo"]
    assert demonstration_hashes(str(tmp_path / "a.demo")) == {"a.demo": sha256_file(tmp_path / "a.demo")}
    assert demonstration_hashes(None) == {}


@pytest.mark.slow
def test_cancel_stops_real_training_with_a_checkpoint(tmp_path):
    """jobs cancel during real training: the trainer checkpoints and stops; resume then finishes the job."""
    orchestrator = UnityMLOpsOrchestrator(tmp_path / "ws")
    job = reach_job(
        "cancel-me", max_steps=400_000, mlagents_overrides={"default_settings": {"summary_freq": 1000}}
    )

    def cancel_once_training():
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if orchestrator.store.exists("cancel-me"):
                progress = orchestrator.get_job("cancel-me").progress or {}
                if progress.get("stage") == "train" and (progress.get("step") or 0) >= 2000:
                    orchestrator.cancel_job("cancel-me")
                    return
            time.sleep(0.2)

    thread = threading.Thread(target=cancel_once_training)
    thread.start()
    result = asyncio.run(orchestrator.execute_training_job(job))
    thread.join()
    assert result.status is RunState.CANCELLED and result.failed_stage == "train"
    record = orchestrator.get_job("cancel-me")
    assert record.stage("train").state is RunState.CANCELLED
    assert list(Path(record.job_dir).glob("results/cancel-me/*/checkpoint.pt"))


def test_disk_full_while_packaging_is_a_clear_error_and_registers_nothing(
    pipeline_run, tmp_path, monkeypatch
):
    """ENOSPC during packaging raises StoreError ('no space left'); no model reaches the artifact store."""
    import errno
    import os

    from mlops_unity_pipeline.errors import StoreError
    from mlops_unity_pipeline.orchestrator import Services, StageContext
    from mlops_unity_pipeline.orchestrator.pipeline import stage_outputs
    from mlops_unity_pipeline.orchestrator.stages import PackageStage
    from mlops_unity_pipeline.store.artifacts import ArtifactStore

    orchestrator, _, _, _ = pipeline_run
    record = orchestrator.get_job("stages")
    artifacts = ArtifactStore(tmp_path / "fresh-artifacts")
    ctx = StageContext(
        job=reach_job(),
        job_dir=tmp_path / "job",
        workspace=tmp_path,
        outputs=stage_outputs(record),
        services=Services(artifacts=artifacts),
    )

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StoreError, match="no space left on device"):
        PackageStage().run(ctx)
    assert not list((tmp_path / "fresh-artifacts").rglob("*.onnx"))


def test_register_stage_reports_an_identical_model(pipeline_run, tmp_path):
    """A second job whose model has the same sha256 gets the existing version, and says which job made it."""
    from mlops_unity_pipeline.orchestrator.pipeline import _result_from_record, stage_outputs
    from mlops_unity_pipeline.orchestrator.protocol import Services, StageContext
    from mlops_unity_pipeline.orchestrator.stages.register import RegisterStage

    orchestrator, result, _, _ = pipeline_run
    record = orchestrator.get_job("stages")
    ctx = StageContext(
        job=reach_job("stages-twin"),
        job_dir=tmp_path,
        workspace=orchestrator.workspace,
        services=Services(artifacts=orchestrator.artifacts, registry=orchestrator.registry),
        outputs=stage_outputs(record),
    )
    registered = RegisterStage().run(ctx).output
    assert registered.version == result.registry_version and registered.identical_to_job == "stages"
    assert len(orchestrator.registry.list_versions("reach-001")) == 1
    assert _result_from_record(record).identical_to_job is None


def test_training_spread_and_success_rate_reach_the_report(pipeline_run):
    """Every summary records (step, mean, std, success rate) from the simulator for the learning curve."""
    orchestrator, result, _, _ = pipeline_run
    record = orchestrator.get_job("stages")
    spread = next(s.outputs for s in record.stages if s.name == "train")["history_spread"]
    assert spread and all(len(row) == 4 for row in spread)
    assert all(row[2] >= 0 and 0.0 <= row[3] <= 1.0 for row in spread)
    assert Path(result.paths["report_learning_curve"]).stat().st_size > 10_000
