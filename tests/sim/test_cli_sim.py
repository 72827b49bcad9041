"""`mlops-unity sim` commands through typer's CliRunner: exit codes, JSON output, one-line errors."""

from __future__ import annotations

import json

import pytest
from PIL import Image
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.cli.sim import parse_env_parameters
from mlops_unity_pipeline.errors import SpecError
from tests.conftest import anchor

from .tasks import HAND_WRITTEN_TASKS, SHIPPED_WORLDS

runner = CliRunner()


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_sim_list_json_names_every_task():
    """`sim list --json` lists every task with its signature (3DBallHard with its two stacks)."""
    data = _json(runner.invoke(app, ["sim", "list", "--json"]))
    names = [t["name"] for t in data["tasks"]]
    assert names[: len(HAND_WRITTEN_TASKS)] == list(HAND_WRITTEN_TASKS)
    assert set(SHIPPED_WORLDS) <= set(names)  # shipped worlds follow the hand-written tasks
    ball = data["tasks"][1]
    assert ball["observation_shapes"] == [[8]] and ball["continuous_actions"] == 2
    assert ball["env_parameters"] == {"mass": 1.0, "scale": 1.0, "gravity": 9.81}
    assert data["tasks"][2]["observation_shapes"] == [[27], [18]]


def test_sim_list_text():
    """`sim list` prints one block per task."""
    result = runner.invoke(app, ["sim", "list"])
    assert result.exit_code == 0 and "3DBall" in result.stdout and "gravity=9.81" in result.stdout


def test_sim_eval_upstream_model_json():
    """`sim eval Basic --model Basic.onnx --episodes 20 --json` prints the EvalResult fields."""
    model = anchor("models/Basic.onnx")
    data = _json(
        runner.invoke(app, ["sim", "eval", "Basic", "--model", str(model), "--episodes", "20", "--json"])
    )
    assert {"mean_reward", "std_reward", "success_rate", "episodes", "mean_length"} <= set(data)
    assert data["episodes"] == 20 and data["mean_reward"] == pytest.approx(0.93, abs=1e-4)


def test_sim_eval_heuristic_with_env_parameter_text():
    """Without --model the heuristic runs; --param sets an env parameter."""
    result = runner.invoke(app, ["sim", "eval", "reachtarget", "--episodes", "4", "--param", "move_speed=4"])
    assert result.exit_code == 0, result.output
    assert "ReachTarget: mean_reward" in result.stdout and "(heuristic)" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sim", "eval", "Pong"], "unknown simulator task 'Pong'"),
        (["sim", "eval", "3DBall", "--param", "wind=3"], "unknown environment parameter 'wind'"),
        (["sim", "eval", "3DBall", "--param", "gravity"], "NAME=VALUE"),
        (["sim", "eval", "Basic", "--model", "missing.onnx"], "model file not found"),
        (["sim", "render", "Basic", "--out", "x.jpg"], ".gif or .png"),
        (["sim", "bench", "Basic", "--num-envs", "0"], "--num-envs"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(args, message):
    """Bad tasks, params, files and flags exit 2 with one stderr line naming the problem."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_model_spec_mismatch_is_reported():
    """A model for another behavior is refused with expected vs got."""
    model = anchor("models/3DBall.onnx")
    result = runner.invoke(app, ["sim", "eval", "Basic", "--model", str(model)])
    assert result.exit_code == 2 and "expected observations [(20,)]" in result.stderr


def test_sim_bench_json_prints_steps_per_sec():
    """`sim bench --json` prints steps_per_sec (decision steps) and physics_steps_per_sec."""
    data = _json(
        runner.invoke(app, ["sim", "bench", "3DBall", "--num-envs", "8", "--seconds", "0.05", "--json"])
    )
    assert data["steps_per_sec"] > 0 and data["num_agents"] == 8
    assert data["physics_steps_per_sec"] == pytest.approx(5 * data["steps_per_sec"])


def test_sim_render_gif_with_model(tmp_path):
    """`sim render 3DBall --model 3DBall.onnx --out ep.gif` writes an animated GIF."""
    model = anchor("models/3DBall.onnx")
    out = tmp_path / "ep.gif"
    args = [
        "sim",
        "render",
        "3DBall",
        "--model",
        str(model),
        "--out",
        str(out),
        "--max-decisions",
        "3",
        "--json",
    ]
    data = _json(runner.invoke(app, args))
    assert data["out"] == str(out) and Image.open(out).n_frames == 3


def test_sim_render_png(tmp_path):
    """`sim render Navigation --out s.png` writes a PNG of the first state."""
    out = tmp_path / "s.png"
    result = runner.invoke(app, ["sim", "render", "Navigation", "--out", str(out)])
    assert result.exit_code == 0 and Image.open(out).format == "PNG"


def test_parse_env_parameters():
    """--param values parse to floats; malformed ones are SpecErrors."""
    assert parse_env_parameters(["a=1", "b = 2.5"]) == {"a": 1.0, "b": 2.5}
    with pytest.raises(SpecError, match="expected a number"):
        parse_env_parameters(["a=x"])


def test_sim_eval_bench_and_render_pushblock_collab(tmp_path):
    """PushBlockCollab via the CLI: the heuristic's eval counts group rewards; bench needs whole groups."""
    args = ["sim", "eval", "PushBlockCollab", "--episodes", "12", "--num-envs", "12", "--json"]
    data = _json(runner.invoke(app, args))
    assert data["episodes"] == 12 and data["mean_reward"] > 1.0  # only the penalty would give -0.5
    data = _json(
        runner.invoke(
            app, ["sim", "bench", "PushBlockCollab", "--num-envs", "6", "--seconds", "0.05", "--json"]
        )
    )
    assert data["num_agents"] == 6 and data["steps_per_sec"] > 0
    result = runner.invoke(app, ["sim", "bench", "PushBlockCollab", "--num-envs", "4", "--seconds", "0.05"])
    assert result.exit_code != 0 and "multiple of 3" in result.output
    out = tmp_path / "collab.png"
    assert runner.invoke(app, ["sim", "render", "PushBlockCollab", "--out", str(out)]).exit_code == 0
    assert Image.open(out).format == "PNG"
