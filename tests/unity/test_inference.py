"""Tests for the inference smoke test: ModelOverrider command line, reward parsing, failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.unity.inference import (
    MODEL_OVERRIDE_FLAG,
    inference_command,
    model_override_support,
    parse_episode_rewards,
    run_inference_smoke_test,
)

from .stand_ins import write_fake_player


@pytest.fixture
def player(tmp_path: Path) -> Path:
    """A stand-in player."""
    return write_fake_player(tmp_path / "build", name="RollerBall")


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    """A folder holding 3DBall.onnx, like an mlagents-learn run dir."""
    folder = tmp_path / "results" / "run1"
    folder.mkdir(parents=True)
    (folder / "3DBall.onnx").write_bytes(b"onnx")
    return folder


def test_command_exact(tmp_path: Path) -> None:
    """The player command uses the ModelOverrider flags and no --mlagents-port (inference, not training)."""
    cmd = inference_command(
        Path("/b/P.x86_64"), Path("/r/run1"), log_path=Path("/l/p.log"), episodes=3, quit_after_seconds=120
    )
    assert cmd == [
        "/b/P.x86_64",
        "-batchmode",
        "-nographics",
        "-logFile",
        "/l/p.log",
        "--mlagents-override-model-directory",
        "/r/run1",
        "--mlagents-override-model-extension",
        "onnx",
        "--mlagents-quit-after-episodes",
        "3",
        "--mlagents-quit-after-seconds",
        "120",
        "--mlagents-quit-on-load-failure",
    ]
    assert "--mlagents-port" not in cmd


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"episodes": 0}, "episodes"),
        ({"quit_after_seconds": 0}, "quit"),
        ({"extension": "../x"}, "extension"),
    ],
)
def test_command_rejects_bad_values(kwargs: dict, match: str) -> None:
    """Bad counts and extensions are errors naming the field."""
    with pytest.raises(TrainError, match=match):
        inference_command(Path("/p"), Path("/m"), log_path=Path("/l"), **kwargs)


def test_parse_episode_rewards() -> None:
    """Episode lines are parsed; NaN and unrelated lines are skipped."""
    lines = [
        "noise",
        "[mlops] episode_end behavior=A reward=1.5 length=10",
        "[mlops] episode_end behavior=A reward=nan",
        "[mlops] episode_end behavior=A reward=-2e-1",
    ]
    assert parse_episode_rewards(lines) == [1.5, -0.2]


def test_smoke_test_records_reward(
    tmp_path: Path, player: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A player that reports episodes gives the episode count and mean reward; the command reached it."""
    monkeypatch.setenv("STANDIN_RECORD", str(tmp_path / "rec.json"))
    result = run_inference_smoke_test(
        player,
        model_dir,
        log_path=tmp_path / "logs" / "inference.log",
        episodes=3,
        timeout_s=60,
        behavior_names=["3DBall"],
    )
    assert (
        result.episodes == 3
        and result.mean_reward == pytest.approx(2.0)
        and result.rewards == (1.0, 2.0, 3.0)
    )
    assert result.rewards_reported and result.returncode == 0
    assert json.loads((tmp_path / "rec.json").read_text())["argv"] == list(result.command[1:])
    assert result.to_dict()["mean_reward"] == pytest.approx(2.0)


def test_smoke_test_without_reward_lines(
    tmp_path: Path, player: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A player that does not report rewards still passes, with mean_reward None."""
    monkeypatch.setenv("FAKE_PLAYER_MODE", "silent")
    result = run_inference_smoke_test(
        player, model_dir, log_path=tmp_path / "i.log", episodes=2, timeout_s=60
    )
    assert result.mean_reward is None and not result.rewards_reported


def test_load_failure(tmp_path: Path, player: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A model the player cannot load fails the smoke test, quoting the player's line."""
    monkeypatch.setenv("FAKE_PLAYER_MODE", "load_failure")
    with pytest.raises(TrainError, match="(?s)exit code 1.*Failed to load model") as err:
        run_inference_smoke_test(player, model_dir, log_path=tmp_path / "i.log", timeout_s=60)
    assert err.value.stage == "evaluate"


def test_missing_model_checked_up_front(tmp_path: Path, player: Path, model_dir: Path) -> None:
    """A behavior whose <name>.onnx is missing is reported before launching."""
    with pytest.raises(TrainError, match="RollerBall.onnx: missing"):
        run_inference_smoke_test(
            player, model_dir, log_path=tmp_path / "i.log", behavior_names=["RollerBall"]
        )


def test_timeout(tmp_path: Path, player: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A player that never quits is stopped at the timeout."""
    monkeypatch.setenv("FAKE_PLAYER_MODE", "hang")
    with pytest.raises(TrainError, match="timed out after 1 s"):
        run_inference_smoke_test(player, model_dir, log_path=tmp_path / "i.log", timeout_s=1)


def test_missing_player(tmp_path: Path, model_dir: Path) -> None:
    """A missing player is an evaluate-stage error."""
    with pytest.raises(TrainError, match="missing or not executable"):
        run_inference_smoke_test(tmp_path / "none.x86_64", model_dir, log_path=tmp_path / "i.log")


def test_model_override_support_mono_and_il2cpp(player: Path) -> None:
    """The flag as a UTF-16 literal of a project assembly, or UTF-8 in IL2CPP metadata, marks support."""
    data = player.with_name("RollerBall_Data")
    assert model_override_support(player) is None  # no scripts at all
    managed = data / "Managed"
    managed.mkdir()
    (managed / "UnityEngine.CoreModule.dll").write_bytes(MODEL_OVERRIDE_FLAG.encode("utf-16-le"))  # engine
    (managed / "Assembly-CSharp.dll").write_bytes(b"MZ" + MODEL_OVERRIDE_FLAG.encode())  # not a C# literal
    assert model_override_support(player) is None
    (managed / "Assembly-CSharp.dll").write_bytes(b"MZ\0" + MODEL_OVERRIDE_FLAG.encode("utf-16-le") + b"\0")
    assert model_override_support(player) == managed / "Assembly-CSharp.dll"
    (managed / "Assembly-CSharp.dll").unlink()
    metadata = data / "il2cpp_data" / "Metadata" / "global-metadata.dat"
    metadata.parent.mkdir(parents=True)
    metadata.write_bytes(b"\xaf\x1b\xb1\xfa" + MODEL_OVERRIDE_FLAG.encode("utf-8"))
    assert model_override_support(player) == metadata
