"""The ``mlagents`` backend for real: ``MlagentsLearnBackend.run`` drives the real ``mlagents-learn`` 1.1.0 on
the simulator player of the gRPC bridge (``bridge.launcher.write_player_launcher``), with the trainer YAML the
pipeline's train stage writes (``RLTrainingConfig.to_run_options`` + ``dump_run_options``).

Slow (real trainer, about a minute); skipped only when the session fixture ``mlagents_learn`` cannot set the
venv up (``tests/conftest.py``, from ``scripts/mlagents-venv.lock``).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline.bridge.launcher import write_player_launcher
from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.results import read_training_status
from mlops_unity_pipeline.specs import RLTrainingConfig
from mlops_unity_pipeline.unity.mlagents_learn import MlagentsLearnBackend

pytestmark = pytest.mark.slow

MAX_STEPS = 6_000
#: A player ends when mlagents-learn answers its pending Exchange with status 400 and stops its server, so it
#: sees either the 400 or the call cancelled by the stopping server; both end it with exit code 0.
ENDED = r"trainer ended the session \(status 400\)|trainer went away"


def pipeline_options(
    behavior: str, results: Path, run_id: str, player: Path, num_envs: int = 1, num_areas: int = 1
) -> RunOptions:
    """The run's options exactly as the train stage makes them for a job's behavior and player."""
    config = RLTrainingConfig(
        max_steps=MAX_STEPS, seed=3, build_backend="unity", trainer_backend="mlagents", num_envs=num_envs,
        time_scale=20, mlagents_overrides={"torch_settings": {"device": "cpu"}},
    )  # fmt: skip
    options = config.to_run_options(behavior, run_id=run_id, results_dir=results)
    checkpoint = replace(options.checkpoint_settings, force=True)
    env = replace(options.env_settings, env_path=str(player), num_areas=num_areas)
    return replace(options, checkpoint_settings=checkpoint, env_settings=env)


def backend(executable: Path, tmp_path: Path) -> MlagentsLearnBackend:
    """The backend as the pipeline makes it, leasing ports in the machine-wide lock folder (the default).

    A folder of its own would let a concurrent test run on the same machine lease the same base port, and
    one of the two mlagents-learn processes would then fail with port_in_use.
    """
    return MlagentsLearnBackend(executable, stop_grace_s=60)


def test_real_mlagents_learn_trains_the_simulator_player(mlagents_learn, tmp_path):
    """Two players x two areas: progress, curve, full results folder, per-worker seeds, our stats side channel
    in timers.json, and a 3DBall.onnx that our runtime and `sim eval` run.

    The one real 3DBall training of the suite: the backend's view (progress, history) and mlagents-learn's own
    results folder are both judged on it, rather than training twice.
    """
    from mlops_unity_pipeline.sim import make
    from mlops_unity_pipeline.sim.evaluate import evaluate
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy

    player = write_player_launcher(tmp_path / "players", "3DBall")
    results = tmp_path / "results"
    options = pipeline_options("3DBall", results, "sim-3dball", player, num_envs=2, num_areas=2)
    events = []
    result = backend(mlagents_learn, tmp_path).run(
        options, tmp_path / "sim-3dball.yaml", on_progress=events.append, timeout_s=400
    )
    assert result.returncode == 0
    assert [e.behavior for e in events] == ["3DBall"] * len(events) and len(events) >= 3
    assert events[-1].step >= MAX_STEPS and all(e.max_steps == MAX_STEPS for e in events)
    assert result.history["3DBall"] and all(step <= MAX_STEPS for step, _ in result.history["3DBall"])
    output = result.log_path.read_text()
    assert re.search(r"3DBall\. Step: 6\d{3}\. Time Elapsed: [\d.]+ s\. Mean Reward: [\d.]+", output), output[
        -2000:
    ]
    for name in ("configuration.yaml", "run_logs/training_status.json", "run_logs/timers.json"):
        assert (result.run_dir / name).is_file(), name
    # each player was launched by mlagents-learn itself (worker i gets seed + i), its log under run_logs/
    for worker in (0, 1):
        log = (result.run_dir / "run_logs" / f"Player-{worker}.log").read_text()
        assert f"seed {3 + worker}, 2 area(s) of 12 agent(s)" in log
        assert "engine configuration" in log
        assert re.search(ENDED, log), log[-500:]
    gauges = json.loads((result.run_dir / "run_logs" / "timers.json").read_text())["gauges"]
    assert "3DBall.Sim.EpisodeSuccess.mean" in gauges  # our stats side channel reached its StatsReporter
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
    evaluated = CliRunner().invoke(
        app, ["sim", "eval", "3DBall", "--model", str(onnx), "--episodes", "6", "--json"]
    )
    assert evaluated.exit_code == 0, evaluated.output
    assert json.loads(evaluated.stdout)["episodes"] == 6


def test_real_behavior_name_mismatch_is_explained(mlagents_learn, tmp_path):
    """A YAML for another behavior than the player's: the real error becomes our TrainError with the fix."""
    player = write_player_launcher(tmp_path / "players", "3DBall")
    results = tmp_path / "results"
    options = pipeline_options("BallBalancer", results, "mismatch", player)
    with pytest.raises(TrainError, match="(?s)behavior_not_in_config.*3DBall.*rename the YAML's behaviors"):
        backend(mlagents_learn, tmp_path).run(options, tmp_path / "mismatch.yaml", timeout_s=300)
