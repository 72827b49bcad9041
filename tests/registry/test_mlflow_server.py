"""Every command mirrors to a real ``mlflow server`` on 127.0.0.1: run, models promote, pyfunc loading."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app

pytest.importorskip("mlflow", reason="the [mlflow] extra is not installed")

runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def mlflow_server(tmp_path_factory):
    """A real ``mlflow server --workers 1`` (SQLite backend, proxied artifacts in tmp); yields its URL."""
    executable = shutil.which("mlflow") or str(Path(sys.executable).with_name("mlflow"))
    if not Path(executable).exists():
        pytest.skip("the mlflow executable is not installed")
    root = tmp_path_factory.mktemp("mlflow-server")
    port = _free_port()
    log = open(root / "server.log", "wb")  # noqa: SIM115 - closed in the teardown below
    process = subprocess.Popen(
        [
            executable, "server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
            "--backend-store-uri", f"sqlite:///{root / 'mlflow.db'}",
            "--artifacts-destination", str(root / "artifacts"),
        ],
        stdout=log, stderr=subprocess.STDOUT, cwd=root,
        # The server's job-execution feature (GenAI jobs, which our mirror never uses) starts eight huey
        # consumer processes, each importing mlflow: minutes of CPU on a 2-core CI for nothing.
        env={**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # ~18 s on a quiet machine; much more when the cores are busy
        while True:
            if process.poll() is not None:
                pytest.fail(f"mlflow server exited: {(root / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("mlflow server did not answer /health within 120 s")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)  # it can take > 10 s to exit on SIGTERM
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _job_file(folder: Path, job_id: str, seed: int) -> Path:
    job = {
        "job_id": job_id,
        "asset_spec": {"asset_id": "reach-001", "name": "ReachAgent", "description": "Reach a target"},
        # 12k steps: the ReachTarget world must beat random for the gate to name a champion (2k did not)
        "rl_config": {"max_steps": 12000, "num_envs": 4, "seed": seed, "evaluation_episodes": 4},
    }
    path = folder / f"{job_id}.yaml"
    path.write_text(yaml.safe_dump(job))
    return path


@pytest.mark.slow  # a server start (~18 s) and two tiny real jobs
def test_run_and_promote_mirror_to_a_real_server(tmp_path, mlflow_server, monkeypatch):
    """run registers MLflow versions (ONNX models); models promote moves the alias; pyfunc predicts."""
    import mlflow
    import numpy as np
    from mlflow.tracking import MlflowClient

    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_server)
    monkeypatch.delenv("MLOPS_VERTEX_STAGING_BUCKET", raising=False)
    monkeypatch.delenv("MLOPS_WEBHOOK_URLS", raising=False)
    workspace = tmp_path / "ws"
    for job_id, seed in (("mlflow-a", 1), ("mlflow-b", 2)):
        result = runner.invoke(
            app, ["run", str(_job_file(tmp_path, job_id, seed)), "-w", str(workspace), "-q"]
        )
        assert result.exit_code == 0, result.output

    shown = runner.invoke(app, ["models", "show", "reach-001", "-w", str(workspace), "--json"])
    versions = {v["version"]: v for v in json.loads(shown.stdout)["versions"]}
    # each world job registers its policy cloned from the heuristic's episodes, then the fine-tuned one
    assert set(versions) == {1, 2, 3, 4}
    for number, version in versions.items():  # local -> MLflow, recorded locally
        assert version["external_ids"]["mlflow"]["model_version"] == str(number)

    client = MlflowClient(tracking_uri=mlflow_server, registry_uri=mlflow_server)
    remote = {mv.version: mv for mv in client.search_model_versions("name='reach-001'")}
    assert {str(v) for v in remote} == {"1", "2", "3", "4"}
    for number, mv in remote.items():  # MLflow -> local, recorded in MLflow
        assert mv.tags["mlops.local_version"] == str(number)
    local_champion = next(v for v in versions.values() if "champion" in v["aliases"])["version"]
    other = 4 if local_champion != 4 else 3
    assert str(client.get_model_version_by_alias("reach-001", "champion").version) == str(local_champion)

    promoted = runner.invoke(app, ["models", "promote", "reach-001", str(other), "-w", str(workspace)])
    assert promoted.exit_code == 0, promoted.output
    assert str(client.get_model_version_by_alias("reach-001", "champion").version) == str(other)

    mlflow.set_tracking_uri(mlflow_server)
    mlflow.set_registry_uri(mlflow_server)
    model = mlflow.pyfunc.load_model("models:/reach-001@champion")
    inputs = model.metadata.get_input_schema().inputs
    feed = {spec.name: np.zeros((2, spec.shape[-1]), dtype=np.float32) for spec in inputs}
    actions = model.predict(feed)
    assert actions["deterministic_continuous_actions"].shape[0] == 2


def test_every_command_builds_its_orchestrator_from_the_environment(tmp_path, monkeypatch):
    """run, jobs resume and schedule run all go through UnityMLOpsOrchestrator.from_env."""
    from mlops_unity_pipeline.orchestrator import UnityMLOpsOrchestrator

    calls: list[str] = []

    class Stop(Exception):
        pass

    def spy(cls, workspace, **kwargs):
        calls.append(str(workspace))
        raise Stop

    monkeypatch.setattr(UnityMLOpsOrchestrator, "from_env", classmethod(spy))
    workspace = tmp_path / "ws"
    job = _job_file(tmp_path, "spy", 1)
    for args in (["run", str(job)], ["schedule", "run", "--once"]):
        result = runner.invoke(
            app, [*args, "-w", str(workspace), "-q"] if args[0] == "run" else [*args, "-w", str(workspace)]
        )
        assert isinstance(result.exception, Stop), result.output
    (workspace).mkdir(exist_ok=True)
    from mlops_unity_pipeline.orchestrator.jobs import JobStore

    JobStore(workspace / "pipeline.db")
    result = runner.invoke(app, ["jobs", "resume", "spy", "-w", str(workspace), "-q"])
    assert isinstance(result.exception, Stop), result.output
    assert calls == [str(workspace)] * 3


def test_mirrors_from_the_environment(tmp_path):
    """MLFLOW_TRACKING_URI adds an MLflow mirror pointed at it; nothing set, no mirrors."""
    from mlops_unity_pipeline.registry.env import registry_mirrors_from_env
    from mlops_unity_pipeline.registry.mlflow_registry import MlflowMirror

    assert registry_mirrors_from_env({}) == []
    uri = f"sqlite:///{tmp_path / 'x.db'}"
    [mirror] = registry_mirrors_from_env({"MLFLOW_TRACKING_URI": f" {uri} "})
    assert isinstance(mirror, MlflowMirror) and mirror.tracking_uri == uri
