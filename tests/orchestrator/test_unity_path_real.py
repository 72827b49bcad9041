"""A ``build_backend: unity`` + ``trainer_backend: mlagents`` job trained by the **real** ``mlagents-learn``.

Only the Unity Editor is a stand-in: its "build" is a player that serves the job's own behavior (read from the
job's ``behavior_spec.json``, the generated C#'s twin) through the gRPC bridge's simulator player
(``bridge.player.SimPlayer``). Everything else is real: codegen, the ML-Agents YAML, the port lease,
``mlagents-learn`` 1.1.0 training it, the results parser, evaluation, packaging and the registry.

Slow (about a minute and a half); skipped only when ``scripts/setup_mlagents_venv.sh`` cannot set up the venv.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

from mlops_unity_pipeline.codegen.csharp import UNITY_EDITOR_VERSION
from mlops_unity_pipeline.orchestrator import RunState, UnityMLOpsOrchestrator
from mlops_unity_pipeline.rl.results import read_training_status
from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingJob, UnityAssetSpec
from mlops_unity_pipeline.store.artifacts import sha256_file

from ..unity.stand_ins import make_executable, write_fake_editor

pytestmark = pytest.mark.slow

MAX_STEPS = 6_000

# The "player" the stand-in Editor builds: <job>/build/player/<Behavior>.x86_64, two folders below the job's
# behavior_spec.json. It plays the job's behavior on the simulator behind the Unity side of the protocol.
JOB_PLAYER = '''#!{python}
import json, sys
from pathlib import Path
from mlops_unity_pipeline.behavior.spec import BehaviorSpec
from mlops_unity_pipeline.bridge.player import SimPlayer, parse_player_args

job_dir = Path(__file__).resolve().parents[2]
spec = BehaviorSpec.from_dict(json.loads((job_dir / "behavior_spec.json").read_text()))
task = "3DBall" if spec.to_navigation_params() is None else "Navigation"
options = parse_player_args([task] + sys.argv[1:])
player = SimPlayer(options, make_env=lambda _task, num_agents, seed: spec.make_env(num_agents, seed))
sys.exit(player.run())
'''


def test_real_mlagents_learn_trains_a_unity_job(mlagents_learn, tmp_path, monkeypatch):
    """The job succeeds: real summaries → progress and curve, training_status.json steps, the real ONNX
    evaluated in the simulator and registered, the exact command recorded, the smoke test skipped with why."""
    tools = tmp_path / "tools"
    editor = write_fake_editor(tools / "Unity" / "Editor" / "Unity", version=UNITY_EDITOR_VERSION)
    player_script = make_executable(tools / "job-player", JOB_PLAYER.format(python=sys.executable))
    for key, value in {
        "UNITY_EDITOR_PATH": str(editor),
        "MLAGENTS_LEARN": str(mlagents_learn),
        "MLOPS_PORT_LOCK_DIR": str(tmp_path / "port-locks"),
        "FAKE_UNITY_PLAYER_SCRIPT": str(player_script),
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("FAKE_UNITY_MODE", "FAKE_UNITY_MODEL_OVERRIDER", "STANDIN_RECORD", "STANDIN_RECORD_EDITOR"):
        monkeypatch.delenv(key, raising=False)
    job = TrainingJob(
        job_id="real-mlagents",
        asset_spec=UnityAssetSpec(
            asset_id="balancer", name="BallBalancer", description="Balance a ball on a tilting platform"
        ),
        rl_config=RLTrainingConfig(
            max_steps=MAX_STEPS, num_envs=1, seed=5, evaluation_episodes=4, build_backend="unity",
            trainer_backend="mlagents", mlagents_overrides={"torch_settings": {"device": "cpu"}},
        ),
    )  # fmt: skip
    progress = []
    orchestrator = UnityMLOpsOrchestrator(tmp_path / "ws", on_progress=progress.append)
    result = asyncio.run(orchestrator.execute_training_job(job))
    assert result.status is RunState.SUCCEEDED, result.error

    job_dir = Path(result.paths["job_dir"])
    run_dir = job_dir / "results" / "real-mlagents"
    status = read_training_status(run_dir)
    assert status["BallBalancer"]["final_checkpoint"]["steps"] >= MAX_STEPS
    assert result.metrics["train/steps"] == status["BallBalancer"]["final_checkpoint"]["steps"]
    assert (run_dir / "run_logs" / "Player-0.log").is_file()  # mlagents-learn launched the built player
    train_progress = [p for p in progress if p.stage == "train"]
    assert train_progress and train_progress[-1].step >= MAX_STEPS
    assert train_progress[-1].max_steps == MAX_STEPS
    assert result.model_sha256 == sha256_file(run_dir / "BallBalancer.onnx")  # mlagents-learn's own model
    assert result.metrics["eval/episodes"] == 4 and "unity/mean_reward" not in result.metrics
    metadata = json.loads(Path(result.paths["metadata"]).read_text())
    command = metadata["training"]["mlagents_learn"]["command"]
    assert command[0] == str(mlagents_learn) and "--torch-device=cpu" in command and "--force" in command
    assert f"--env={job_dir.resolve() / 'build' / 'player' / 'BallBalancer.x86_64'}" in command
    assert metadata["training"]["mlagents_learn"]["training_status_metadata"]["mlagents_version"] == "1.1.0"
    assert metadata["unity_inference"]["status"] == "skipped"
    assert metadata["build"]["unity_version"] == UNITY_EDITOR_VERSION
