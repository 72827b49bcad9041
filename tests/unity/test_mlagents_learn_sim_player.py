"""The ``mlagents`` backend for real: ``MlagentsLearnBackend.run`` drives the real ``mlagents-learn`` 1.1.0 on
the simulator player of the gRPC bridge (``bridge.launcher.write_player_launcher``), with the trainer YAML the
pipeline's train stage writes (``RLTrainingConfig.to_run_options`` + ``dump_run_options``).

Slow (real trainer, about a minute); skipped only when the session fixture ``mlagents_learn`` cannot set the
venv up (``tests/conftest.py``, from ``scripts/mlagents-venv.lock``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_unity_pipeline.bridge.launcher import write_player_launcher
from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.rl.config import dump_run_options
from mlops_unity_pipeline.rl.results import read_training_status
from mlops_unity_pipeline.specs import RLTrainingConfig
from mlops_unity_pipeline.unity.mlagents_learn import MlagentsLearnBackend

pytestmark = pytest.mark.slow

MAX_STEPS = 6_000


def pipeline_yaml(tmp_path: Path, behavior: str, results: Path, run_id: str) -> Path:
    """The trainer YAML exactly as the train stage writes it for a job's behavior."""
    config = RLTrainingConfig(
        max_steps=MAX_STEPS, seed=3, build_backend="unity", trainer_backend="mlagents",
        mlagents_overrides={"torch_settings": {"device": "cpu"}},
    )  # fmt: skip
    options = config.to_run_options(behavior, run_id=run_id, results_dir=results)
    return dump_run_options(options, tmp_path / f"{run_id}.yaml")


def backend(executable: Path, tmp_path: Path) -> MlagentsLearnBackend:
    """The backend as the pipeline makes it, leasing ports in the machine-wide lock folder (the default).

    A folder of its own would let a concurrent test run on the same machine lease the same base port, and
    one of the two mlagents-learn processes would then fail with port_in_use.
    """
    return MlagentsLearnBackend(executable, stop_grace_s=60)


def test_real_mlagents_learn_trains_the_simulator_player(mlagents_learn, tmp_path):
    """Progress, learning curve, training_status.json and a 3DBall.onnx that our runtime loads and runs."""
    from mlops_unity_pipeline.sim import make
    from mlops_unity_pipeline.sim.evaluate import evaluate
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy

    player = write_player_launcher(tmp_path / "players", "3DBall")
    results = tmp_path / "results"
    config = pipeline_yaml(tmp_path, "3DBall", results, "sim-3dball")
    events = []
    result = backend(mlagents_learn, tmp_path).run(
        config, env_path=player, run_id="sim-3dball", results_dir=results, num_envs=1, time_scale=20,
        seed=3, torch_device="cpu", force=True, on_progress=events.append, timeout_s=400,
    )  # fmt: skip
    assert result.returncode == 0
    assert [e.behavior for e in events] == ["3DBall"] * len(events) and len(events) >= 3
    assert events[-1].step >= MAX_STEPS and all(e.max_steps == MAX_STEPS for e in events)
    assert result.history["3DBall"] and all(step <= MAX_STEPS for step, _ in result.history["3DBall"])
    # the player was launched by mlagents-learn itself, with its log under run_logs/
    assert (result.run_dir / "run_logs" / "Player-0.log").is_file()
    status = read_training_status(result.run_dir)  # the built-in trainer's parser
    assert status["3DBall"]["final_checkpoint"]["steps"] >= MAX_STEPS
    onnx = result.onnx_paths["3DBall"]
    assert onnx == result.run_dir / "3DBall.onnx"
    env = make("3DBall", num_agents=4, seed=5)
    try:
        scored = evaluate(env, OnnxRuntimePolicy(onnx, signature=env.signature), episodes=4, seed=5)
    finally:
        env.close()
    assert scored.episodes == 4 and scored.mean_length > 0


def test_real_behavior_name_mismatch_is_explained(mlagents_learn, tmp_path):
    """A YAML for another behavior than the player's: the real error becomes our TrainError with the fix."""
    player = write_player_launcher(tmp_path / "players", "3DBall")
    results = tmp_path / "results"
    config = pipeline_yaml(tmp_path, "BallBalancer", results, "mismatch")
    with pytest.raises(TrainError, match="(?s)behavior_not_in_config.*3DBall.*rename the YAML's behaviors"):
        backend(mlagents_learn, tmp_path).run(
            config, env_path=player, run_id="mismatch", results_dir=results, num_envs=1, seed=3,
            torch_device="cpu", force=True, timeout_s=300,
        )  # fmt: skip
