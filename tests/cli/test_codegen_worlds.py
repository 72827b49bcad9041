"""Tests of ``mlops-unity codegen ASSET --out DIR`` choosing the world project or the archetype project."""

from __future__ import annotations

import json

import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app

LAVA = {
    "asset_id": "lava-1",
    "name": "LavaWalker",
    "description": "Reach the goal without stepping on the lava tiles.",
}
SWITCH = {
    "asset_id": "switch-1",
    "name": "SwitchOpener",
    "description": "Step on the pressure plate to open the gate, then go through the gate to the flag.",
}
runner = CliRunner()


def _asset(tmp_path, data: dict):
    path = tmp_path / f"{data['asset_id']}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_world_description_writes_the_world_project(tmp_path):
    """LavaWalker: the world's Agent, arena and world.json are written, with how the description was read."""
    out = tmp_path / "proj"
    result = runner.invoke(app, ["codegen", str(_asset(tmp_path, LAVA)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("world: LavaWalker (agent class LavaWalkerAgent, provider: rules)")
    assert "'reach the goal' -> reach -> entities.goal" in result.output
    scripts = out / "Assets" / "Scripts"
    assert (scripts / "LavaWalkerAgent.cs").is_file() and (scripts / "ArenaBootstrap.cs").is_file()
    world = json.loads((out / "world.json").read_text())
    assert world["name"] == "LavaWalker" and {r.get("what") for r in world["rewards"]} >= {"lava", "goal"}
    assert "archetype:" not in result.output


def test_the_world_project_json_has_the_layout_and_the_records(tmp_path):
    """--json: the world project's record (observations, files, checks) plus the interpretation records."""
    out = tmp_path / "proj"
    result = runner.invoke(app, ["codegen", str(_asset(tmp_path, SWITCH)), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["archetype"] == "world" and data["world"] == "SwitchOpener" and data["llm"] is None
    assert any(r["concept"] == "switch" for r in data["records"])
    assert (out / "Assets" / "Scripts" / "SwitchOpenerAgent.cs").is_file()


def test_the_job_and_the_cli_write_the_same_world(tmp_path):
    """The CLI's world equals the one a job's codegen stage would train (``choose_world``)."""
    from mlops_unity_pipeline.behavior.world_behavior import choose_world
    from mlops_unity_pipeline.world import world_to_dict

    out = tmp_path / "proj"
    assert runner.invoke(app, ["codegen", str(_asset(tmp_path, LAVA)), "--out", str(out)]).exit_code == 0
    chosen = choose_world(LAVA).world
    assert chosen is not None
    assert json.loads((out / "world.json").read_text()) == json.loads(json.dumps(world_to_dict(chosen)))


def test_balancing_and_unhonoured_spaces_keep_the_archetype_project(tmp_path):
    """A balancing description and the guide's {raycast: 8} spaces write the archetype project."""
    tray = {"asset_id": "tray", "name": "TrayBalancer", "description": "Keep the ball balanced on a tray."}
    result = runner.invoke(app, ["codegen", str(_asset(tmp_path, tray)), "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("archetype: balance") and not (tmp_path / "a" / "world.json").exists()
    guide = {**LAVA, "asset_id": "nav", "observation_space": {"raycast": 8, "velocity": 2}}
    result = runner.invoke(app, ["codegen", str(_asset(tmp_path, guide)), "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("archetype:") and not (tmp_path / "b" / "world.json").exists()


def test_a_refused_description_exits_1_with_the_reason_and_writes_nothing(tmp_path):
    """'Write a sonnet' is refused in one line naming the nearest behavior; no project is written."""
    sonnet = {"asset_id": "sonnet", "name": "Juggler", "description": "Write a sonnet about the sea."}
    out = tmp_path / "proj"
    result = runner.invoke(app, ["codegen", str(_asset(tmp_path, sonnet)), "--out", str(out)])
    assert result.exit_code == 1 and "nearest expressible" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_recording_demonstrations_is_refused_for_a_world_naming_why(tmp_path):
    """--record-demonstrations (a keyboard recorder of archetype projects) says what worlds do instead."""
    out = tmp_path / "proj"
    args = ["codegen", str(_asset(tmp_path, LAVA)), "--out", str(out), "--record-demonstrations"]
    result = runner.invoke(app, args)
    assert result.exit_code != 0 and "composes world 'LavaWalker'" in result.output
    assert not out.exists()
