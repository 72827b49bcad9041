"""A job with ``build_backend: unity`` and ``trainer_backend: mlagents`` through the real orchestrator.

The Unity Editor, the built player and ``mlagents-learn`` are the stand-ins of ``tests/unity/stand_ins.py``
(realistic logs and outputs, exit codes, signals); everything else — codegen, the YAML, the port lease, the
results parser, the simulator evaluation, packaging, the registry — is the real pipeline.
"""

from __future__ import annotations

import asyncio
import json
import statistics
from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline.behavior import interpret
from mlops_unity_pipeline.codegen.csharp import UNITY_EDITOR_VERSION
from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.orchestrator import RunState, UnityMLOpsOrchestrator
from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingJob, UnityAssetSpec
from mlops_unity_pipeline.store.artifacts import sha256_file

from ..unity.stand_ins import write_fake_editor, write_fake_mlagents_learn, write_fake_player

BEHAVIOR = "ReachAgent"
ASSET = UnityAssetSpec(asset_id="reach-unity", name=BEHAVIOR, description="Reach a target position")
FAKE_STEPS = 4  # summary lines the stand-in trainer prints (1000 steps apart)


def unity_job(job_id: str, **config) -> TrainingJob:
    """A small job on the Unity path."""
    settings = {
        "max_steps": 4_000,
        "num_envs": 2,
        "seed": 11,
        "evaluation_episodes": 4,
        "build_backend": "unity",
        "trainer_backend": "mlagents",
        **config,
    }
    return TrainingJob(job_id=job_id, asset_spec=ASSET, rl_config=RLTrainingConfig(**settings))


@pytest.fixture(scope="module")
def tools(tmp_path_factory):
    """Stand-in Editor, player and mlagents-learn, and a real ONNX model for the behavior's signature."""
    import torch

    from mlops_unity_pipeline.rl.export import export_policy
    from mlops_unity_pipeline.rl.networks import Actor

    root = tmp_path_factory.mktemp("tools")
    signature = interpret(ASSET).spec.signature
    torch.manual_seed(0)
    onnx = export_policy(Actor(signature, 16, 1, normalize=False), signature, root / "model.onnx")
    return {
        "root": root,
        # the Editor version the generated ProjectVersion.txt asks for (no project conversion)
        "editor": write_fake_editor(root / "Unity" / "Editor" / "Unity", version=UNITY_EDITOR_VERSION),
        "player": write_fake_player(root / "player-src"),
        "mlagents": write_fake_mlagents_learn(root / "venv" / "bin" / "mlagents-learn"),
        "onnx": onnx,
    }


@pytest.fixture
def unity_env(tools, tmp_path, monkeypatch):
    """The environment a studio machine would have: UNITY_EDITOR_PATH, MLAGENTS_LEARN; records per tool."""
    records = {name: tmp_path / f"{name}.json" for name in ("editor", "mlagents", "player")}
    settings = {
        "UNITY_EDITOR_PATH": str(tools["editor"]),
        "MLAGENTS_LEARN": str(tools["mlagents"]),
        "MLOPS_PORT_LOCK_DIR": str(tmp_path / "port-locks"),
        "STANDIN_RECORD_EDITOR": str(records["editor"]),
        "STANDIN_RECORD_MLAGENTS": str(records["mlagents"]),
        "STANDIN_RECORD_PLAYER": str(records["player"]),
        "FAKE_UNITY_PLAYER_SCRIPT": str(tools["player"]),
        "FAKE_UNITY_MODEL_OVERRIDER": "1",
        "FAKE_ONNX_SOURCE": str(tools["onnx"]),
        "FAKE_BEHAVIOR": BEHAVIOR,
        "FAKE_STEPS": str(FAKE_STEPS),
        "FAKE_DELAY": "0",
    }
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    for key in ("FAKE_UNITY_MODE", "FAKE_MLAGENTS_MODE", "FAKE_PLAYER_MODE", "STANDIN_RECORD"):
        monkeypatch.delenv(key, raising=False)
    return {"records": records, "workspace": tmp_path / "ws", "monkeypatch": monkeypatch}


def run_job(env, job: TrainingJob, on_progress=None):
    """Execute ``job`` in the test workspace; return (orchestrator, result)."""
    orchestrator = UnityMLOpsOrchestrator(env["workspace"], on_progress=on_progress)
    return orchestrator, asyncio.run(orchestrator.execute_training_job(job))


def argv(env, tool: str) -> list[str]:
    """The argv a stand-in recorded."""
    return json.loads(env["records"][tool].read_text())["argv"]


@pytest.fixture
def succeeded(tools, unity_env):
    """One successful Unity + mlagents job."""
    progress = []
    orchestrator, result = run_job(unity_env, unity_job("unity-ok"), on_progress=progress.append)
    assert result.status is RunState.SUCCEEDED, result.error
    unity_env["progress"] = progress
    return orchestrator, result, unity_env


def test_unity_mlagents_job_commands_files_and_registry(succeeded, tools):
    """Exact Editor, mlagents-learn and player command lines; YAML, results, metadata and registry agree."""
    orchestrator, result, env = succeeded
    job_dir = Path(result.paths["job_dir"]).resolve()
    code_dir = job_dir / "codegen"
    player = job_dir / "build" / "player" / f"{BEHAVIOR}.x86_64"
    build_log = job_dir / "logs" / "unity-build.log"

    # --- the Unity Editor batch build ---
    assert argv(env, "editor") == [
        "-batchmode", "-nographics", "-quit", "-projectPath", str(code_dir),
        "-buildTarget", "Linux64", "-standaloneBuildSubtarget", "Server",
        "-executeMethod", "MlopsBuild.BuildLinuxServer",  # the generated Assets/Editor/BuildPlayer.cs
        "-logFile", str(build_log),
        "--mlagents-build-output-path", str(player), "--mlagents-build-target", "StandaloneLinux64",
    ]  # fmt: skip
    editor_record = json.loads(env["records"]["editor"].read_text())
    assert editor_record["build_output_env"] == str(player)  # MLOPS_BUILD_OUTPUT, read by BuildPlayer.cs too
    build_cs = (code_dir / "Assets" / "Editor" / "BuildPlayer.cs").read_text()
    assert '"--mlagents-build-output-path"' in build_cs and '"MLOPS_BUILD_OUTPUT"' in build_cs
    streamed = [p.message for p in env["progress"] if p.stage == "build"]
    assert "Unity: Build Finished, Result: Success." in streamed  # the Editor log, streamed as progress

    # --- the ML-Agents YAML and the mlagents-learn command line ---
    config_path = job_dir / "config" / "trainer_config.yaml"
    config = yaml.safe_load(config_path.read_text())
    assert set(config["behaviors"]) == {BEHAVIOR}
    assert config["behaviors"][BEHAVIOR]["max_steps"] == 4_000
    assert config["behaviors"][BEHAVIOR]["trainer_type"] == "ppo"
    assert config["checkpoint_settings"]["run_id"] == "unity-ok" and config["env_settings"]["seed"] == 11
    results = result.paths["results"]
    learn = argv(env, "mlagents")
    base_port = int(learn[4].split("=")[1])
    assert learn == [
        str(config_path), f"--env={player}", "--run-id=unity-ok", "--num-envs=2",
        f"--base-port={base_port}", "--seed=11", "--time-scale=20", "--no-graphics",
        f"--results-dir={job_dir / 'results'}", "--force",
    ]  # fmt: skip
    assert 5005 <= base_port <= 6028 and Path(results).resolve() == job_dir / "results" / "unity-ok"

    # --- progress from the summary lines; results through the shared parser (training_status.json) ---
    train = [p for p in env["progress"] if p.stage == "train" and p.step is not None]
    assert [p.step for p in train] == [1000 * i for i in range(1, FAKE_STEPS + 1)]
    assert {p.max_steps for p in train} == {4_000}
    assert train[-1].mean_reward == pytest.approx(FAKE_STEPS * 0.5)
    assert result.metrics["train/steps"] == FAKE_STEPS * 1000
    assert result.metrics["train/mean_reward"] == pytest.approx(FAKE_STEPS * 0.5)

    # --- the inference smoke test: the built player with the trained model ---
    run_dir = job_dir / "results" / "unity-ok"
    assert argv(env, "player") == [
        "-batchmode", "-nographics", "-logFile", str(job_dir / "logs" / "unity-inference.log"),
        "--mlagents-override-model-directory", str(run_dir), "--mlagents-override-model-extension", "onnx",
        "--mlagents-quit-after-episodes", "5", "--mlagents-quit-after-seconds", "540",
        "--mlagents-quit-on-load-failure",
    ]  # fmt: skip
    assert result.metrics["unity/mean_reward"] == pytest.approx(statistics.fmean([1, 2, 3, 4, 5]))
    assert result.metrics["unity/episodes"] == 5
    assert "eval/mean_reward" in result.metrics and "baseline/mean_reward" in result.metrics

    # --- metadata.json: Unity version, the build log (content-addressed), commands, smoke test ---
    metadata = json.loads(Path(result.paths["metadata"]).read_text())
    build = metadata["build"]
    assert build["backend"] == "unity" and build["unity_version"] == UNITY_EDITOR_VERSION
    assert build["command"][0] == str(tools["editor"]) and build["command"][1:] == argv(env, "editor")
    stored_log = Path(build["build_log"]["path"])
    assert stored_log == Path(result.paths["build_log"]) and stored_log.name == "unity-build.log"
    assert sha256_file(stored_log) == build["build_log"]["sha256"] == sha256_file(build_log)
    assert build["build_log"]["size"] == stored_log.stat().st_size and build["duration_s"] >= 0
    assert build["editor_log_path"] == str(build_log)
    assert "Build Finished, Result: Success." in stored_log.read_text()
    assert metadata["training"]["backend"] == "mlagents"
    assert metadata["training"]["mlagents_learn"]["command"][1:] == learn
    assert metadata["unity_inference"]["status"] == "passed"
    assert metadata["unity_inference"]["rewards"] == [1.0, 2.0, 3.0, 4.0, 5.0]

    # --- the registered model is mlagents-learn's <Behavior>.onnx ---
    version = orchestrator.registry.get_version("reach-unity", 1)
    assert version.sha256 == sha256_file(tools["onnx"]) == result.model_sha256
    assert version.metrics["unity/mean_reward"] == pytest.approx(3.0)


def test_torch_device_and_resume_flags(tools, unity_env):
    """torch_settings.device becomes --torch-device; a resumed job passes --resume instead of --force."""
    job = unity_job("unity-flags", mlagents_overrides={"torch_settings": {"device": "cpu"}})
    unity_env["monkeypatch"].setenv("FAKE_MLAGENTS_MODE", "unity_timeout")  # fails after writing nothing
    orchestrator, result = run_job(unity_env, job)
    assert result.failed_stage == "train" and "--torch-device=cpu" in argv(unity_env, "mlagents")
    results = Path(result.paths["job_dir"]) / "results" / "unity-flags" / "ReachAgent"
    results.mkdir(parents=True)
    (results / "checkpoint.pt").write_bytes(b"pt")  # a checkpoint from the interrupted run
    unity_env["monkeypatch"].setenv("FAKE_MLAGENTS_MODE", "train")
    resumed = asyncio.run(orchestrator.resume_job("unity-flags"))
    assert resumed.status is RunState.SUCCEEDED, resumed.error
    learn = argv(unity_env, "mlagents")
    assert "--resume" in learn and "--force" not in learn and "--torch-device=cpu" in learn


def test_initialize_from_is_checked_and_passed(tools, unity_env):
    """checkpoint_settings.initialize_from: a missing run is named; an existing one becomes the flag."""
    overrides = {"checkpoint_settings": {"initialize_from": "previous"}}
    _, result = run_job(unity_env, unity_job("unity-init", mlagents_overrides=overrides))
    assert result.failed_stage == "train" and "initialize_from: no run at" in result.error
    previous = Path(result.paths["job_dir"]).parent / "attempt-2" / "results" / "previous"
    previous.mkdir(parents=True)  # the next attempt's results folder holds the run to start from
    _, result = run_job(unity_env, unity_job("unity-init", mlagents_overrides=overrides))
    assert result.status is RunState.SUCCEEDED, result.error
    assert "--initialize-from=previous" in argv(unity_env, "mlagents")


def test_cancel_sends_one_sigint_then_resume_finishes(tools, unity_env):
    """Cancel during mlagents-learn: one SIGINT, its final files written, job cancelled; resume finishes."""
    unity_env["monkeypatch"].setenv("FAKE_MLAGENTS_MODE", "hang")  # trains, then waits for SIGINT
    cancelled = []

    def on_progress(update):
        if update.stage == "train" and update.step == FAKE_STEPS * 1000 and not cancelled:
            cancelled.append(update.step)  # once: the resumed run must go on
            orchestrator.cancel_job("unity-cancel")

    orchestrator = UnityMLOpsOrchestrator(unity_env["workspace"], on_progress=on_progress)
    result = asyncio.run(orchestrator.execute_training_job(unity_job("unity-cancel")))
    assert result.status is RunState.CANCELLED, result.error
    run_dir = Path(result.paths["job_dir"]) / "results" / "unity-cancel"
    log = (Path(result.paths["job_dir"]) / "logs" / "mlagents-learn.log").read_text()
    assert "Learning was interrupted" in log  # the stand-in saw SIGINT and wrote its final files
    assert (run_dir / "run_logs" / "training_status.json").is_file()
    assert (run_dir / BEHAVIOR / "checkpoint.pt").is_file()
    unity_env["monkeypatch"].setenv("FAKE_MLAGENTS_MODE", "train")
    resumed = asyncio.run(orchestrator.resume_job("unity-cancel"))
    assert resumed.status is RunState.SUCCEEDED, resumed.error
    assert "--resume" in argv(unity_env, "mlagents")


def test_player_without_model_overrider_skips_the_smoke_test(tools, unity_env):
    """A player that cannot load an outside model is not run; the reason is recorded and the job succeeds."""
    unity_env["monkeypatch"].setenv("FAKE_UNITY_MODEL_OVERRIDER", "0")
    _, result = run_job(unity_env, unity_job("unity-no-overrider"))
    assert result.status is RunState.SUCCEEDED, result.error
    assert not unity_env["records"]["player"].exists()
    assert "unity/mean_reward" not in result.metrics
    smoke = json.loads(Path(result.paths["metadata"]).read_text())["unity_inference"]
    assert smoke["status"] == "skipped" and "ModelOverrider" in smoke["reason"]


def test_player_that_cannot_load_the_model_fails_evaluate(tools, unity_env):
    """The player's model load failure fails the job in evaluate, quoting the player's log line."""
    unity_env["monkeypatch"].setenv("FAKE_PLAYER_MODE", "load_failure")
    _, result = run_job(unity_env, unity_job("unity-load-failure"))
    assert result.status is RunState.FAILED and result.failed_stage == "evaluate"
    assert "ModelOverrider: Failed to load model" in result.error and "player log" in result.error


@pytest.mark.parametrize(
    ("variable", "mode", "stage", "expected"),
    [
        ("FAKE_UNITY_MODE", "compile_error", "build",
         ["Assets/Scripts/RollerAgent.cs:42", "CS0246", "VectorSensr"]),
        ("FAKE_UNITY_MODE", "license", "build", ["licen"]),
        ("FAKE_UNITY_MODE", "missing_module", "build", ["Linux", "Server"]),
        ("FAKE_MLAGENTS_MODE", "unity_timeout", "train",
         ["UnityTimeOutException", "Player-0.log", "--timeout-wait"]),
        ("FAKE_MLAGENTS_MODE", "worker_in_use", "train", ["worker number 0 is still in use", "--base-port"]),
        ("FAKE_MLAGENTS_MODE", "behavior_mismatch", "train",
         ["RollerBall", "rename the YAML's behaviors key"]),
        ("FAKE_MLAGENTS_MODE", "version_mismatch", "train",
         ["communication API version", "com.unity.ml-agents 3.0.0"]),
    ],
)  # fmt: skip
def test_known_failures_fail_the_job_with_the_fix(tools, unity_env, variable, mode, stage, expected):
    """Each known Editor / mlagents-learn failure is a failed job at its stage with cause, lines and fix."""
    unity_env["monkeypatch"].setenv(variable, mode)
    _, result = run_job(unity_env, unity_job(f"fail-{mode.replace('_', '-')}"))
    assert result.status is RunState.FAILED and result.failed_stage == stage, result.error
    for text in expected:
        assert text.lower() in result.error.lower(), (text, result.error)
    assert "fix" in result.error.lower()
    job_dir = Path(result.paths["job_dir"])
    if stage == "build":
        assert str(job_dir / "logs" / "unity-build.log") in result.error  # where the full Editor log is
    else:  # this job's YAML, behavior key and player logs
        assert f"(behaviors: {BEHAVIOR};" in result.error and "run_logs/Player-*.log" in result.error


def test_missing_mlagents_learn_names_the_setup_script(tools, unity_env):
    """Without MLAGENTS_LEARN, PATH or ./.venv-mlagents the train stage says how to install it."""
    unity_env["monkeypatch"].setenv("MLAGENTS_LEARN", str(tools["root"] / "missing" / "mlagents-learn"))
    _, result = run_job(unity_env, unity_job("unity-no-mlagents"))
    assert result.status is RunState.FAILED and result.failed_stage == "train"
    assert "setup_mlagents_venv.sh" in result.error


def test_trainer_backend_values():
    """'mlagents' is the documented value, 'mlagents-learn' an alias; it needs the Unity build."""
    assert RLTrainingConfig(build_backend="unity", trainer_backend="mlagents").trainer_backend == "mlagents"
    alias = RLTrainingConfig(build_backend="unity", trainer_backend="MLAgents-Learn")
    assert alias.trainer_backend == "mlagents" and alias.to_dict()["trainer_backend"] == "mlagents"
    with pytest.raises(SpecError, match="rl_config.trainer_backend: expected one of builtin, mlagents"):
        RLTrainingConfig(build_backend="unity", trainer_backend="rllib")
    with pytest.raises(SpecError, match="set build_backend: unity"):
        RLTrainingConfig(trainer_backend="mlagents")
