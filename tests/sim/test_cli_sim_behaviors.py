"""``sim eval`` of a task of several behaviors (Chase): one model per behavior, figures per behavior."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.sim.evaluate import evaluate_behaviors
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.sim.policies import zero_actions
from mlops_unity_pipeline.sim.tasks.chase import CHASER, EVADER, GAME_LENGTH, ChaseEnv

from ..rl.test_learn_multi import chase_options

runner = CliRunner()


@pytest.fixture(scope="module")
def chase_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short sim:Chase training run: ``<run>/Chaser.onnx`` and ``<run>/Evader.onnx``."""
    folder = tmp_path_factory.mktemp("chase")
    options = chase_options(folder, chaser={"max_steps": 100}, evader={"max_steps": 100})
    return learn(LearnOptions(options, env="sim:Chase", quiet=True)).run_dir


def _eval(*args: str) -> dict:
    result = runner.invoke(
        app, ["sim", "eval", "Chase", "--episodes", "24", "--num-envs", "4", "--json", *args]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_evaluate_behaviors_by_hand_both_sides_standing_still():
    """Nobody moves: no catch (starts are >= 0.8 apart), every game is survived: Chaser -1, Evader +1."""
    env = ChaseEnv(3, seed=0)
    policies = {
        name: (lambda batch, s=sig: zero_actions(s.action_spec, 3)) for name, sig in env.signatures.items()
    }
    results = evaluate_behaviors(env, policies, episodes=7, seed=0)
    assert list(results) == [CHASER, EVADER]
    chaser, evader = results[CHASER], results[EVADER]
    assert (chaser.mean_reward, chaser.success_rate, chaser.episodes) == (-1.0, 0.0, 7)
    assert (evader.mean_reward, evader.success_rate, evader.mean_length) == (1.0, 1.0, float(GAME_LENGTH))
    with pytest.raises(SpecError, match=r"no policy for \['Evader'\]"):
        evaluate_behaviors(env, {CHASER: policies[CHASER]}, episodes=1)


def test_run_dir_models_play_each_other_and_match_the_api(chase_run: Path):
    """--run-dir plays <run>/Chaser.onnx against <run>/Evader.onnx; figures equal evaluate_behaviors'."""
    data = _eval("--run-dir", str(chase_run))
    assert data["task"] == "Chase" and list(data["behaviors"]) == [CHASER, EVADER]
    chaser, evader = data["behaviors"][CHASER], data["behaviors"][EVADER]
    assert chaser["policy"] == str(chase_run / "Chaser.onnx") and evader["policy"] == str(
        chase_run / "Evader.onnx"
    )
    # a zero-sum game with one winner per game: the sides' means are opposite, their success rates sum to 1
    assert chaser["episodes"] == evader["episodes"] == 24
    assert chaser["mean_reward"] == pytest.approx(-evader["mean_reward"])
    assert chaser["success_rate"] + evader["success_rate"] == pytest.approx(1.0)
    env = ChaseEnv(4, seed=0)
    policies = {n: OnnxRuntimePolicy(chase_run / f"{n}.onnx", s) for n, s in env.signatures.items()}
    want = evaluate_behaviors(env, policies, episodes=24, seed=0)
    for name in (CHASER, EVADER):
        assert data["behaviors"][name]["mean_reward"] == pytest.approx(want[name].mean_reward)


def test_a_behavior_without_a_model_is_an_error_or_plays_random_by_flag(chase_run: Path):
    """--model Chaser=... alone names Evader and --others; with --others random the Evader plays random."""
    chaser = f"Chaser={chase_run / 'Chaser.onnx'}"
    result = runner.invoke(app, ["sim", "eval", "Chase", "--model", chaser])
    assert result.exit_code == 2 and "no model for behaviors ['Evader']" in result.stderr
    assert "--others random" in result.stderr
    data = _eval("--model", chaser, "--others", "random")
    assert data["behaviors"][EVADER]["policy"] == "random"
    assert data["behaviors"][CHASER]["policy"] == str(chase_run / "Chaser.onnx")
    random = _eval("--others", "random")  # no model at all: both at random
    assert {b["policy"] for b in random["behaviors"].values()} == {"random"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "x.onnx"], "one --model BEHAVIOR=PATH per behavior (behaviors: Chaser, Evader)"),
        (["--model", "Goalie=x.onnx"], "one --model BEHAVIOR=PATH per behavior"),
        (["--model", "Chaser=x.onnx", "--model", "Chaser=y.onnx"], "behavior 'Chaser' given twice"),
        (["--others", "heuristic"], "--others: expected one of error, random"),
        (["--run-dir", "/nonexistent/run"], "--run-dir: not a folder"),
        (["--model", "Chaser=missing.onnx", "--others", "random"], "model file not found"),
    ],
)
def test_bad_multi_behavior_eval_input_is_one_line(args: list[str], message: str):
    """Bad --model/--others/--run-dir values exit 2 with one line naming the problem."""
    result = runner.invoke(app, ["sim", "eval", "Chase", *args])
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_model_of_the_other_behavior_is_refused(chase_run: Path):
    """The Evader's model given for the Chaser: the spec mismatch is named."""
    args = ["sim", "eval", "Chase", "--model", f"Chaser={chase_run / 'Evader.onnx'}", "--others", "random"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "expected observations [(3,)]" in result.stderr, result.output


def test_single_behavior_tasks_keep_one_model_and_refuse_run_dir(chase_run: Path):
    """Basic with two --model values or --run-dir is an error; text output prints one line per behavior."""
    result = runner.invoke(app, ["sim", "eval", "Basic", "--model", "a.onnx", "--model", "b.onnx"])
    assert result.exit_code == 2 and "Basic has one behavior" in result.stderr
    result = runner.invoke(app, ["sim", "eval", "Basic", "--run-dir", str(chase_run)])
    assert result.exit_code == 2 and "--run-dir: only for tasks of several behaviors" in result.stderr
    result = runner.invoke(app, ["sim", "eval", "chase", "--run-dir", str(chase_run), "--episodes", "4"])
    lines = result.stdout.strip().splitlines()
    assert result.exit_code == 0 and [line.split(":")[0] for line in lines] == [
        "Chase/Chaser",
        "Chase/Evader",
    ]
    assert np.isfinite(float(lines[0].split("mean_reward ")[1].split()[0]))
