"""Slow tests against the real mlagents-learn 1.1.0 in its own venv (the session fixture ``mlagents_learn``).

Checked here: the setup script (idempotent), version inspection, the launcher's ONNX export fix, that the
real argparse accepts our exact command line and launches the player with the documented arguments, real
failures (no connection → UnityTimeOutException, port taken → worker in use) becoming our TrainErrors, and
complete real training runs — to the end, and stopped with one SIGINT — against ``mini_unity_player.py``, a
minimal Unity-side peer of the gRPC protocol (not the simulator player of ``bridge/``).
"""

# ruff: noqa: E501  (long test names and commands read better whole)
from __future__ import annotations

import json
import socket
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline.errors import JobCancelled, TrainError
from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.unity.mlagents_install import inspect_mlagents_learn
from mlops_unity_pipeline.unity.mlagents_learn import MlagentsLearnBackend

from .stand_ins import TRAINER_YAML, fake_env, write_fake_player

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "setup_mlagents_venv.sh"
VENV = REPO / ".venv-mlagents"


def test_setup_script_is_idempotent(mlagents_learn: Path) -> None:
    """Re-running the setup script on a current venv is quick, installs nothing and rewrites the launcher."""
    if mlagents_learn.parent.parent != VENV:
        pytest.skip(
            "MLAGENTS_LEARN/MLAGENTS_PYTHON point elsewhere; the repo venv is not managed by this test"
        )
    start = time.monotonic()
    completed = subprocess.run(
        ["bash", str(SCRIPT), str(VENV)], capture_output=True, text=True, timeout=600, cwd=REPO, check=False
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert f"ready: export MLAGENTS_LEARN={VENV / 'bin' / 'mlagents-learn'}" in completed.stdout
    assert "installing" not in completed.stdout  # nothing reinstalled
    assert time.monotonic() - start < 120
    launcher = (VENV / "bin" / "mlagents-learn").read_text()
    assert 'kwargs.setdefault("dynamo", False)' in launcher


PROBE = """
import io, sys
if sys.argv[1] == "patched":  # run the launcher's top level without calling main()
    exec(compile(open(sys.argv[2]).read(), "launcher", "exec"), {"__name__": "launcher"})
import torch
buf = io.BytesIO()
torch.onnx.export(torch.nn.Linear(2, 1), (torch.zeros(1, 2),), buf, input_names=["x"], output_names=["y"])
import onnx
onnx.checker.check_model(onnx.load_from_string(buf.getvalue()))
print("exported")
"""


def test_launcher_makes_onnx_export_work_without_onnxscript(mlagents_learn: Path) -> None:
    """torch.onnx.export as ML-Agents calls it fails in that venv (no onnxscript) unless the launcher patched it."""
    python = str(mlagents_learn.parent / "python")
    plain = subprocess.run(
        [python, "-c", PROBE, "plain"], capture_output=True, text=True, timeout=300, check=False
    )
    patched = subprocess.run(
        [python, "-c", PROBE, "patched", str(mlagents_learn)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert patched.returncode == 0 and "exported" in patched.stdout, patched.stderr[-2000:]
    if plain.returncode == 0:
        pytest.skip("onnxscript is installed in that venv: the launcher's patch is not needed there")
    assert "onnxscript" in plain.stderr


def test_inspect_real_install(mlagents_learn: Path) -> None:
    """The real install reports mlagents 1.1.0 on the venv's Python, and --help runs."""
    info = inspect_mlagents_learn(mlagents_learn)
    assert info.mlagents_version == "1.1.0" and info.mlagents_envs_version == "1.1.0"
    assert info.python == mlagents_learn.parent / "python" or info.python is not None
    assert info.python_version is not None and info.torch_version is not None


def _backend(mlagents_learn: Path, tmp_path: Path, base: int, **env: str) -> MlagentsLearnBackend:
    return MlagentsLearnBackend(
        mlagents_learn,
        port_lock_dir=tmp_path / "locks",
        first_port=base,
        last_port=base + 31,
        env=fake_env(STANDIN_RECORD=str(tmp_path / "player.json"), **env),
        stop_grace_s=60,
    )


def test_real_unity_timeout(mlagents_learn: Path, tmp_path: Path, leased_ports) -> None:
    """Our exact command line is accepted; the player is launched with --mlagents-port; no connection → timeout."""
    player = write_fake_player(tmp_path / "build")
    base = leased_ports(32)
    backend = _backend(mlagents_learn, tmp_path, base, FAKE_PLAYER_MODE="sleep")
    options = _options(TRAINER_YAML, player, tmp_path / "results", "real-timeout", timeout_wait=5)
    options = replace(options, torch_settings=replace(options.torch_settings, device="cpu"))
    with pytest.raises(TrainError, match="(?s)unity_timeout.*fix:") as err:
        backend.run(options, tmp_path / "3DBall.yaml", timeout_s=240)
    assert err.value.run_id == "real-timeout"
    argv = json.loads((tmp_path / "player.json").read_text())["argv"]
    # upstream mlagents_envs/environment.py (_executable_args): [-nographics -batchmode] --mlagents-port <port> -logFile <results>/<run>/run_logs/Player-0.log
    assert argv[:2] == ["-nographics", "-batchmode"]
    assert argv[argv.index("--mlagents-port") + 1] == str(base)
    assert argv[argv.index("-logFile") + 1].endswith("real-timeout/run_logs/Player-0.log")


REACH_YAML = """\
behaviors:
  Reach:
    trainer_type: ppo
    hyperparameters: {batch_size: 16, buffer_size: 64, learning_rate: 3.0e-3, num_epoch: 3}
    network_settings: {hidden_units: 16, num_layers: 1}
    max_steps: %d
    time_horizon: 8
    summary_freq: 200
"""


def _options(
    trainer_yaml: str, player: Path, results: Path, run_id: str, *, timeout_wait: int = 60, **flags: object
) -> RunOptions:
    """The run as RunOptions: a trainer YAML's settings plus the flags, the way mlagents-learn folds them in."""
    checkpoint = {"run_id": run_id, "results_dir": str(results), **flags}
    return RunOptions.from_dict(
        {
            **yaml.safe_load(trainer_yaml),
            "env_settings": {"env_path": str(player), "num_envs": 1, "timeout_wait": timeout_wait},
            "engine_settings": {"time_scale": 20, "no_graphics": True},
            "checkpoint_settings": checkpoint,
        }
    )


def _mini_player(mlagents_learn: Path, folder: Path) -> Path:
    """The minimal Unity-side peer as a player executable run by the mlagents venv's Python."""
    source = (Path(__file__).parent / "mini_unity_player.py").read_text()
    (folder / "Mini_Data").mkdir(parents=True, exist_ok=True)
    player = folder / "Mini.x86_64"
    player.write_text(f"#!{mlagents_learn.parent / 'python'}\n" + source)
    player.chmod(0o755)
    return player


def test_real_training_run_to_the_end(mlagents_learn: Path, tmp_path: Path, leased_ports) -> None:
    """Real mlagents-learn trains against the peer to max_steps: progress, status, ONNX and curve are collected."""
    import numpy as np
    import onnxruntime as ort

    player = _mini_player(mlagents_learn, tmp_path / "build")
    options = _options(REACH_YAML % 600, player, tmp_path / "results", "reach")
    options = replace(
        options,
        env_settings=replace(options.env_settings, seed=1),
        torch_settings=replace(options.torch_settings, device="cpu"),
    )
    events = []
    result = _backend(mlagents_learn, tmp_path, leased_ports(32)).run(
        options, tmp_path / "reach.yaml", timeout_s=300, on_progress=events.append
    )
    assert result.returncode == 0
    assert [e.step for e in events] == [200, 400, 600] and all(e.behavior == "Reach" for e in events)
    assert all(e.max_steps == 600 and e.mean_reward is not None and e.mean_reward <= 0 for e in events)
    assert [s for s, _ in result.history["Reach"]] == [200, 400, 600]
    assert result.training_status["metadata"]["mlagents_version"] == "1.1.0"
    assert result.training_status["Reach"]["final_checkpoint"]["steps"] >= 600
    onnx_path = result.onnx_paths["Reach"]
    assert onnx_path == tmp_path / "results" / "reach" / "Reach.onnx"
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    outputs = {o.name for o in session.get_outputs()}
    assert {"version_number", "continuous_actions", "deterministic_continuous_actions"} <= outputs
    feed = {session.get_inputs()[0].name: np.zeros((2, 1), dtype=np.float32)}
    assert session.run(["deterministic_continuous_actions"], feed)[0].shape == (2, 1)
    assert (tmp_path / "results" / "reach" / "run_logs" / "Player-0.log").read_text().startswith("connected")


def test_real_sigint_stop_keeps_final_files(mlagents_learn: Path, tmp_path: Path, leased_ports) -> None:
    """One SIGINT mid-run: real mlagents-learn saves, exports and writes its status; then resume continues it."""
    config = tmp_path / "reach.yaml"
    player = _mini_player(mlagents_learn, tmp_path / "build")
    events = []
    backend = _backend(mlagents_learn, tmp_path, leased_ports(32))
    with pytest.raises(JobCancelled, match="resume=True"):
        backend.run(
            _options(REACH_YAML % 1_000_000, player, tmp_path / "results", "stopped"),
            config,
            timeout_s=300,
            on_progress=events.append,
            should_stop=lambda: len(events) >= 1,
        )
    run_dir = tmp_path / "results" / "stopped"
    status = json.loads((run_dir / "run_logs" / "training_status.json").read_text())
    assert status["Reach"]["final_checkpoint"]["steps"] >= 200
    assert (run_dir / "Reach.onnx").is_file() and (run_dir / "configuration.yaml").is_file()
    assert "Learning was interrupted" in (tmp_path / "results" / "stopped.mlagents-learn.log").read_text()
    resumed = backend.run(
        _options(REACH_YAML % 600, player, tmp_path / "results", "stopped", resume=True),
        config,
        timeout_s=300,
    )
    assert "--resume" in resumed.command and resumed.onnx_paths["Reach"].is_file()


def test_real_worker_in_use(mlagents_learn: Path, tmp_path: Path, leased_ports) -> None:
    """A port already bound by someone else gives the real 'worker number 0 is still in use' → port_in_use."""
    player = write_fake_player(tmp_path / "build")
    base = leased_ports(32)
    backend = _backend(mlagents_learn, tmp_path, base, FAKE_PLAYER_MODE="sleep")
    backend.leaser.check_bind = False  # simulate a process outside the pipeline that grabbed the port
    with socket.socket() as sock:
        sock.bind(("", base))
        sock.listen(1)
        with pytest.raises(TrainError, match="(?s)port_in_use.*worker number 0 is still in use"):
            backend.run(
                _options(TRAINER_YAML, player, tmp_path / "results", "real-port", timeout_wait=5),
                tmp_path / "3DBall.yaml",
                timeout_s=240,
            )
