"""Cross-validation against the real ML-Agents 1.1.0 (``.venv-mlagents``): it trains and reads our player.

* ``mlagents_envs``' own ``UnityEnvironment`` launches the simulator player and sees Unity's semantics
  (behavior spec, ended agents in the terminal steps under their old id and their next episode in the
  decision steps under a new one, interrupted flags, discrete masks, side channels);
* real ``mlagents-learn`` waits for an Editor and ``mlops-unity sim player`` can be it (its training of a
  launched player is judged in ``tests/unity/test_mlagents_learn_sim_player.py``);
* our trainer trains the same player through the bridge with the same configuration.

Skipped only when ``scripts/setup_mlagents_venv.sh`` cannot set the venv up (no package registry).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.bridge.launcher import write_player_launcher
from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.rl.results import read_training_status

from ..conftest import anchor

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
# mlagents-learn answers the pending Exchange with status 400 and stops its server at once (grace None), so
# the player sees either the 400 or the call cancelled by the stopping server; both end it with exit code 0.
ENDED = r"trainer ended the session \(status 400\)|trainer went away"


def short_config(tmp_path: Path, max_steps: int) -> Path:
    config = yaml.safe_load(anchor("config/ppo/3DBall.yaml").read_text())
    behavior = config["behaviors"]["3DBall"]
    behavior.update(max_steps=max_steps, summary_freq=2000)
    behavior["hyperparameters"]["buffer_size"] = 2400
    path = tmp_path / "3DBall.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


LOW_LEVEL = r"""
import json, sys
import numpy as np
from mlagents_envs.environment import UnityEnvironment
from mlagents_envs.side_channel.engine_configuration_channel import EngineConfigurationChannel
from mlagents_envs.side_channel.environment_parameters_channel import EnvironmentParametersChannel
from mlagents_envs.base_env import ActionTuple

player, port, task = sys.argv[1], int(sys.argv[2]), sys.argv[3]
engine, params = EngineConfigurationChannel(), EnvironmentParametersChannel()
engine.set_configuration_parameters(width=96, height=64, time_scale=10.0)
env = UnityEnvironment(file_name=player, base_port=port, seed=5, no_graphics=True,
                       side_channels=[engine, params], timeout_wait=60, num_areas=2)
env.reset()
(name,) = env.behavior_specs
spec = env.behavior_specs[name]
out = {"name": name, "obs_shapes": [list(o.shape) for o in spec.observation_specs],
       "continuous": spec.action_spec.continuous_size, "branches": list(spec.action_spec.discrete_branches),
       "both": 0, "terminal": 0, "interrupted": 0, "reused_id": 0, "decisions": []}
decision, _ = env.get_steps(name)
out["first_agents"] = len(decision)
out["mask_shapes"] = [list(m.shape) for m in decision.action_mask] if decision.action_mask else None
live = set(decision.agent_id.tolist())
ended_ids = set()
rng = np.random.default_rng(0)
for step in range(150):
    if step == 5 and "mass" in sys.argv[4:]:
        params.set_float_parameter("mass", 2.0)
    n = len(decision)
    cont = rng.uniform(-1, 1, (n, spec.action_spec.continuous_size)).astype(np.float32)
    disc = np.stack([rng.integers(0, b, n) for b in spec.action_spec.discrete_branches], 1) \
        if spec.action_spec.discrete_branches else np.zeros((n, 0), np.int32)
    env.set_actions(name, ActionTuple(continuous=cont, discrete=disc))
    env.step()
    decision, terminal = env.get_steps(name)
    out["decisions"].append(len(decision))
    t_ids, d_ids = set(terminal.agent_id.tolist()), set(decision.agent_id.tolist())
    out["terminal"] += len(terminal)
    out["interrupted"] += int(terminal.interrupted.sum())
    out["both"] += len(t_ids & d_ids)
    out["reused_id"] += len(d_ids & ended_ids)
    assert t_ids <= live, (t_ids, live)
    ended_ids |= t_ids
    live = d_ids
env.close()
print(json.dumps(out))
"""


@pytest.mark.parametrize("task", ["3DBall", "Basic"])
def test_mlagents_envs_reads_the_player_like_a_unity_player(
    task: str, mlagents_learn: Path, tmp_path: Path, leased_ports
) -> None:
    """UnityEnvironment sees the spec; ended agents as terminal (old id) + decision (new id) like Unity."""
    player = write_player_launcher(tmp_path, task)
    python = mlagents_learn.parent / "python"
    done = subprocess.run(
        [str(python), "-c", LOW_LEVEL, str(player), str(leased_ports(8)), task, "mass"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["name"] == f"{task}?team=0"
    if task == "3DBall":
        assert (out["obs_shapes"], out["continuous"], out["branches"]) == ([[8]], 2, [])
        assert out["first_agents"] == 24 and set(out["decisions"]) == {24}  # 2 areas x 12, every step
        assert out["terminal"] > 0 and out["interrupted"] == 0  # dropped balls end episodes (not MaxStep)
    else:
        assert (out["obs_shapes"], out["continuous"], out["branches"]) == ([[20]], 0, [3])
        assert out["mask_shapes"] == [[2, 3]]
        assert out["terminal"] > 0 and out["interrupted"] >= 0
    assert out["both"] == 0 and out["reused_id"] == 0  # a new episode always gets a new id
    log = (tmp_path / "Player-0.log").read_text() if (tmp_path / "Player-0.log").exists() else ""
    assert not log or "connected to trainer" in log


# mlagents-learn training this player (2 players x 2 areas, results folder, per-worker seeds, the stats side
# channel, the ONNX in `sim eval`) is judged on the suite's one real 3DBall training:
# tests/unity/test_mlagents_learn_sim_player.py::test_real_mlagents_learn_trains_the_simulator_player.


def test_our_trainer_trains_the_same_player_through_the_bridge(tmp_path: Path) -> None:
    """`mlops-unity learn` with the same config and player (2 players x 2 areas) writes the same layout."""
    player = write_player_launcher(tmp_path, "3DBall")
    config = short_config(tmp_path, 6000)
    results = tmp_path / "results"
    result = CliRunner().invoke(
        app,
        [
            "learn",
            str(config),
            "--env",
            str(player),
            "--run-id",
            "ours",
            "--results-dir",
            str(results),
            "--num-envs",
            "2",
            "--num-areas",
            "2",
            "--seed",
            "3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    run = results / "ours"
    for name in (
        "configuration.yaml",
        "3DBall.onnx",
        "run_logs/training_status.json",
        "run_logs/Player-1.log",
    ):
        assert (run / name).is_file(), name
    assert read_training_status(run)["3DBall"]["final_checkpoint"]["steps"] >= 6000
    assert "seed 4, 2 area(s) of 12 agent(s)" in (run / "run_logs" / "Player-1.log").read_text()


def test_sim_player_connects_to_mlagents_learn_waiting_for_the_editor(
    mlagents_learn: Path, tmp_path: Path
) -> None:
    """mlagents-learn without --env waits on 5004 for an Editor; `mlops-unity sim player` can be it."""
    with socket.socket() as sock:
        try:
            sock.bind(("", 5004))
        except OSError:
            pytest.skip("port 5004 (mlagents-learn's Editor port) is in use on this machine")
    config = short_config(tmp_path, 1200)
    results = tmp_path / "results"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    trainer = subprocess.Popen(
        [
            str(mlagents_learn),
            str(config),
            "--run-id=editor",
            f"--results-dir={results}",
            "--seed=2",
            "--torch-device=cpu",
            "--timeout-wait=120",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    log = tmp_path / "editor-player.log"
    # The console script next to the running interpreter: right in any venv, checkout or worktree.
    cli = Path(sys.executable).parent / "mlops-unity"
    if not cli.is_file():
        cli = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin" / "mlops-unity"
    try:
        player = subprocess.run(
            [str(cli), "sim", "player", "3DBall", "--mlagents-port", "5004", "-logFile", str(log)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        output, _ = trainer.communicate(timeout=300)
    finally:
        if trainer.poll() is None:
            trainer.kill()
    assert trainer.returncode == 0, output[-3000:]
    assert player.returncode == 0, player.stderr[-2000:]
    assert (results / "editor" / "3DBall.onnx").is_file()
    text = log.read_text()
    assert "connected to trainer (API 1.5.0, package 1.1.0); seed 2" in text
    assert re.search(ENDED, text), text[-500:]
