"""MlflowMirror against a local SQLite-backed MLflow store, driven by the real LocalRegistry."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import MissingExtraError, RegistryError
from mlops_unity_pipeline.registry.local import LocalRegistry
from mlops_unity_pipeline.store.artifacts import ArtifactStore

pytest.importorskip("mlflow", reason="the [mlflow] extra is not installed")

HISTORY = [[1000, -0.5], [2000, 0.25], [3000, 0.75]]


def exported_onnx(seed: int) -> bytes:
    """A real ML-Agents ONNX of a tiny 3DBall-shaped actor (8 observations, 2 continuous actions)."""
    import tempfile

    import torch

    from mlops_unity_pipeline.rl.export import export_policy
    from mlops_unity_pipeline.rl.networks import Actor
    from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec

    torch.manual_seed(seed)
    signature = BehaviorSignature("Agent", (ObservationSpec((8,)),), ActionSpec(2))
    with tempfile.TemporaryDirectory() as folder:
        path = export_policy(Actor(signature, 16, 1, normalize=False), signature, Path(folder) / "agent.onnx")
        return path.read_bytes()


def package(tmp_path: Path, job_id: str, onnx: bytes, reward: float) -> tuple[Path, Path]:
    """A job's package folder (metadata.json like the package stage writes) and its ONNX file."""
    folder = tmp_path / "jobs" / job_id / "package"
    folder.mkdir(parents=True)
    metadata = {
        "job": {"job_id": job_id, "rl_config": {"algorithm": "PPO", "max_steps": 3000, "num_envs": 2}},
        "trainer_config": {
            "behaviors": {
                "Agent": {
                    "trainer_type": "ppo",
                    "hyperparameters": {"learning_rate": 0.0003, "batch_size": 64},
                }
            }
        },
        "training": {"steps": 3000, "history": HISTORY},
        "metrics": {"eval/mean_reward": reward},
    }
    (folder / "metadata.json").write_text(json.dumps(metadata))
    model = tmp_path / f"{job_id}.onnx"
    model.write_bytes(onnx)
    return folder, model


@pytest.fixture(scope="module")
def mlflow_uri(tmp_path_factory) -> str:
    """One SQLite tracking + registry store for the module (creating its tables takes seconds)."""
    return "sqlite:///" + str(tmp_path_factory.mktemp("mlflow") / "mlflow.db")


@pytest.mark.slow  # ~15-25 s here: MLflow creates its SQLite schema (migrations) on first use
def test_registered_versions_runs_metrics_artifacts_and_aliases(tmp_path, mlflow_uri, monkeypatch):
    """Two registrations: two runs (params, per-step metrics, artifacts); versions and aliases mirrored."""
    from mlflow.tracking import MlflowClient

    from mlops_unity_pipeline.registry.mlflow_registry import MlflowMirror

    monkeypatch.chdir(tmp_path)  # the default artifact root of a sqlite store is ./mlruns
    mirror = MlflowMirror(mlflow_uri, registered_model_prefix="unity-")
    artifacts = ArtifactStore(tmp_path / "artifacts")
    registry = LocalRegistry(tmp_path / "registry", artifacts, mirrors=[mirror])

    versions = []
    for job_id, onnx, reward in (("job-1", exported_onnx(1), 1.0), ("job-2", exported_onnx(2), 0.5)):
        folder, model = package(tmp_path, job_id, onnx, reward)
        ref = artifacts.put_file(model, name="Agent.onnx")
        version, _ = registry.register(
            "agent-001",
            sha256=ref.sha256,
            model_path=ref.path,
            metrics={"eval/mean_reward": reward},
            job_id=job_id,
            artifact_dir=folder,
        )
        versions.append(version)

    client = MlflowClient(tracking_uri=mlflow_uri, registry_uri=mlflow_uri)
    v1, v2 = versions
    ids = v1.external_ids["mlflow"]
    assert ids["registered_model"] == "unity-agent-001" and ids["model_version"] == "1"

    run = client.get_run(ids["run_id"])
    assert run.info.run_name == "job-1" and run.info.status == "FINISHED"
    assert run.data.tags["mlops.model_sha256"] == v1.sha256 and run.data.tags["mlops.local_version"] == "1"
    assert run.data.params["rl_config.algorithm"] == "PPO"
    assert run.data.params["trainer.hyperparameters.learning_rate"] == "0.0003"
    history = client.get_metric_history(ids["run_id"], "train/mean_reward")
    assert [(m.step, m.value) for m in history] == [(1000, -0.5), (2000, 0.25), (3000, 0.75)]
    assert [(m.step, m.value) for m in client.get_metric_history(ids["run_id"], "eval/mean_reward")] == [
        (3000, 1.0)
    ]
    top = {f.path for f in client.list_artifacts(ids["run_id"])}
    assert top == {"model", "package"}
    model_files = {f.path for f in client.list_artifacts(ids["run_id"], "model")}
    assert {"model/MLmodel", "model/model.onnx"} <= model_files
    assert "package/metadata.json" in {f.path for f in client.list_artifacts(ids["run_id"], "package")}

    model_versions = {str(mv.version): mv for mv in client.search_model_versions("name='unity-agent-001'")}
    assert set(model_versions) == {"1", "2"}
    assert model_versions["2"].tags["mlops.model_sha256"] == v2.sha256
    assert model_versions["1"].run_id == ids["run_id"]
    # v1 became champion (first version); v2 did not beat it: candidate
    assert str(client.get_model_version_by_alias("unity-agent-001", "champion").version) == "1"
    assert str(client.get_model_version_by_alias("unity-agent-001", "candidate").version) == "2"

    registry.promote("agent-001", 2, reason="manual")  # the alias move is mirrored
    assert str(client.get_model_version_by_alias("unity-agent-001", "champion").version) == "2"
    assert model_versions["2"].tags["mlops.local_version"] == "2"  # the mapping, kept on both sides
    assert registry.get_version("agent-001", 2).external_ids["mlflow"]["model_version"] == "2"


@pytest.mark.slow
def test_champion_loads_as_pyfunc_and_predicts(tmp_path, mlflow_uri, monkeypatch):
    """The mirrored version is an MLflow ONNX model: its signature names obs_0; pyfunc predicts actions."""
    import mlflow.pyfunc
    import numpy as np

    from mlops_unity_pipeline.registry.mlflow_registry import MlflowMirror

    monkeypatch.chdir(tmp_path)
    artifacts = ArtifactStore(tmp_path / "artifacts")
    registry = LocalRegistry(
        tmp_path / "registry", artifacts, mirrors=[MlflowMirror(mlflow_uri, registered_model_prefix="py-")]
    )
    folder, model = package(tmp_path, "job-py", exported_onnx(3), 1.0)
    ref = artifacts.put_file(model, name="Agent.onnx")
    registry.register(
        "ball",
        sha256=ref.sha256,
        model_path=ref.path,
        metrics={"eval/mean_reward": 1.0},
        job_id="job-py",
        artifact_dir=folder,
    )
    mlflow.set_tracking_uri(mlflow_uri)
    mlflow.set_registry_uri(mlflow_uri)
    loaded = mlflow.pyfunc.load_model("models:/py-ball@champion")
    assert [spec.name for spec in loaded.metadata.get_input_schema().inputs] == ["obs_0"]
    outputs = loaded.predict({"obs_0": np.zeros((3, 8), dtype=np.float32)})
    assert outputs["deterministic_continuous_actions"].shape == (3, 2)


@pytest.mark.slow
def test_alias_for_an_unmirrored_version_is_a_registry_error(tmp_path, mlflow_uri):
    """Moving an alias to a version MLflow never saw raises RegistryError naming the model."""
    from mlops_unity_pipeline.registry.base import ModelVersion
    from mlops_unity_pipeline.registry.mlflow_registry import MlflowMirror

    mirror = MlflowMirror(mlflow_uri, registered_model_prefix="other-")
    version = ModelVersion("ghost", 7, "0" * 64, str(tmp_path / "m.onnx"), {}, "job-x", 0.0)
    with pytest.raises(RegistryError, match="'other-ghost' has no version for local version 7"):
        mirror.on_alias_moved("ghost", "champion", version)


def test_missing_tracking_uri(monkeypatch):
    """No tracking URI anywhere: a RegistryError that says how to configure one."""
    from mlops_unity_pipeline.registry.mlflow_registry import MlflowMirror

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    with pytest.raises(RegistryError, match="set MLFLOW_TRACKING_URI"):
        MlflowMirror()


def test_missing_extra(monkeypatch):
    """Without mlflow installed the mirror raises MissingExtraError naming the [mlflow] extra."""
    from mlops_unity_pipeline.registry.mlflow_registry import MlflowMirror

    monkeypatch.setitem(sys.modules, "mlflow.tracking", None)
    with pytest.raises(MissingExtraError, match=r"mlops_unity_pipeline\[mlflow\]"):
        MlflowMirror("sqlite:///x.db")
