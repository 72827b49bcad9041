"""Tests for parsing mlagents-learn's summary lines and classifying its known failures."""

# ruff: noqa: E501  (realistic mlagents-learn console lines are long on purpose)
from __future__ import annotations

import pytest

from mlops_unity_pipeline.unity.learn_output import (
    classify_failure,
    parse_summary_line,
    train_error_from_output,
)


def test_parse_standard_summary_line() -> None:
    """The documented console line parses into behavior, step, elapsed, mean and std reward."""
    line = "[INFO] 3DBall. Step: 12000. Time Elapsed: 26.521 s. Mean Reward: 1.173. Std of Reward: 0.742. Training."
    summary = parse_summary_line(line)
    assert summary is not None
    assert (summary.behavior, summary.step, summary.elapsed_s) == ("3DBall", 12000, 26.521)
    assert (summary.mean_reward, summary.std_reward, summary.training) == (1.173, 0.742, True)


def test_parse_without_prefix_and_negative_reward() -> None:
    """Lines without the log-level prefix and with negative rewards parse too."""
    summary = parse_summary_line(
        "Basic. Step: 500. Time Elapsed: 1.000 s. Mean Reward: -0.450. Std of Reward: 0.010. Training."
    )
    assert summary is not None and summary.mean_reward == -0.45


def test_parse_no_episode_completed() -> None:
    """'No episode was completed' gives a step with no reward."""
    summary = parse_summary_line(
        "[INFO] Walker. Step: 30000. Time Elapsed: 60.002 s. No episode was completed since last summary. Training."
    )
    assert summary is not None and summary.mean_reward is None and summary.std_reward is None


def test_parse_poca_group_reward_and_selfplay_elo() -> None:
    """POCA prints the group reward instead of std; self-play adds ELO after Training."""
    poca = parse_summary_line(
        "[INFO] PushBlock. Step: 50000. Time Elapsed: 100.0 s. Mean Reward: 2.000. Mean Group Reward: 4.500. Training."
    )
    assert poca is not None and poca.mean_group_reward == 4.5 and poca.std_reward is None
    elo = parse_summary_line(
        "[INFO] SoccerTwos. Step: 10000. Time Elapsed: 30.5 s. Mean Reward: 0.000. Std of Reward: 0.000. "
        "Not Training. ELO: 1203.456."
    )
    assert elo is not None and elo.elo == 1203.456 and elo.training is False


def test_parse_behavior_name_with_dots_and_rank() -> None:
    """Behavior names containing dots and a Rank field are handled."""
    summary = parse_summary_line(
        "[INFO] My.Agent. Step: 10. Time Elapsed: 0.5 s. Rank: 2. Mean Reward: 1.000. Std of Reward: 0.000. Training."
    )
    assert summary is not None and summary.behavior == "My.Agent" and summary.rank == 2


@pytest.mark.parametrize(
    "line",
    [
        "[INFO] Connected new brain: 3DBall?team=0",
        "[INFO] Exported results/run/3DBall/3DBall-5000.onnx",
        "Step: 12. Time Elapsed: 1 s.",
        "",
    ],
)
def test_non_summary_lines_ignored(line: str) -> None:
    """Other console lines are not summaries."""
    assert parse_summary_line(line) is None


@pytest.mark.parametrize(
    ("line", "name", "fix_word"),
    [
        (
            "mlagents_envs.exception.UnityTimeOutException: The Unity environment took too long to respond. Make sure",
            "unity_timeout",
            "--no-graphics",
        ),
        (
            "mlagents_envs.exception.UnityWorkerInUseException: Couldn't start socket communication because worker "
            "number 0 is still in use. You may need to manually close a previously opened environment",
            "port_in_use",
            "--base-port",
        ),
        ("E1121 server_chttp2.cc: address already in use", "port_in_use", "--base-port"),
        (
            "mlagents.trainers.exception.TrainerConfigError: The behavior name RollerBall has not been specified in "
            "the trainer configuration. Please add an entry in the configuration file for RollerBall",
            "behavior_not_in_config",
            "RollerBall",
        ),
        (
            "UnityEnvironmentException: The communication API version is not compatible between Unity and python. "
            "Python API: 1.5.0, Unity API: 1.0.0.",
            "version_mismatch",
            "com.unity.ml-agents 3.0.0",
        ),
        ("ModuleNotFoundError: No module named 'onnxscript'", "missing_onnxscript", "setup_mlagents_venv.sh"),
        (
            "UnityEnvironmentException: Couldn't launch the /x/P environment. Provided filename does not match any "
            "environments.",
            "env_not_found",
            "env_path",
        ),
    ],
)
def test_known_failures_classified(line: str, name: str, fix_word: str) -> None:
    """Each known failure is recognised with a cause and a fix naming the remedy."""
    failure = classify_failure(["[INFO] starting", line])
    assert failure is not None and failure.name == name
    assert fix_word in failure.fix or fix_word in failure.cause


def test_behavior_name_in_cause() -> None:
    """The behavior mismatch names the player's behavior in cause and fix."""
    failure = classify_failure(
        ["The behavior name Roller Ball has not been specified in the trainer configuration."]
    )
    assert failure is not None and "Roller Ball" in failure.cause and "Roller Ball" in failure.fix


def test_train_error_from_known_failure() -> None:
    """The TrainError quotes the identifying line, the cause, the fix and the log path."""
    err = train_error_from_output(
        [
            "x",
            "mlagents_envs.exception.UnityTimeOutException: The Unity environment took too long to respond.",
        ],
        returncode=1,
        run_id="r1",
        log_path="/w/r1.log",
    )
    text = str(err)
    assert "unity_timeout" in text and "| mlagents_envs.exception.UnityTimeOutException" in text
    assert "fix:" in text and "/w/r1.log" in text and err.run_id == "r1" and err.stage == "train"


def test_train_error_unknown_quotes_tail() -> None:
    """An unrecognised failure quotes the last output lines."""
    err = train_error_from_output([f"line {i}" for i in range(20)] + ["ZeroDivisionError"], returncode=2)
    assert "exit code 2" in str(err) and "| ZeroDivisionError" in str(err) and "| line 5" not in str(err)


def test_quotes_the_mlagents_exception_line() -> None:
    """With a chained traceback, the ML-Agents exception line is quoted rather than the low-level OSError."""
    failure = classify_failure(
        [
            "OSError: [Errno 98] Address already in use",
            "During handling of the above exception, another exception occurred:",
            "mlagents_envs.exception.UnityWorkerInUseException: Couldn't start socket communication because worker number 0 is still in use.",
        ]
    )
    assert failure is not None and failure.name == "port_in_use"
    assert failure.line.startswith("mlagents_envs.exception.UnityWorkerInUseException")
