"""Tests of the --explain view: typed records, terminal lines, and the codegen CLI flag."""

from __future__ import annotations

import json

import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.behavior.explain import explain, explain_lines
from mlops_unity_pipeline.behavior.world_records import ExplainRecord
from mlops_unity_pipeline.behavior.world_rules import interpret_world
from mlops_unity_pipeline.cli.app import app

LAVA = {
    "asset_id": "lava-1",
    "name": "LavaWalker",
    "description": "Reach the goal without stepping on the lava.",
}
SONNET = {"asset_id": "j", "name": "Juggler", "description": "Write a sonnet about the sea."}


def test_explain_returns_typed_records_in_description_order():
    """explain() gives ExplainRecords citing the words, the concept and the world fields."""
    records = explain(LAVA)
    assert all(isinstance(r, ExplainRecord) for r in records)
    concepts = [r.concept for r in records]
    assert concepts.index("avoid (hazard)") < concepts.index("reach")
    assert any("rewards: touch lava -1" in r.part for r in records)


def test_explain_lines_show_the_world_or_the_refusal():
    """A world prints a summary, one line per record and the simulator coverage; a refusal prints one line."""
    lines = explain_lines(interpret_world(LAVA))
    assert lines[0].startswith("world LavaWalker:") and "runs this world as written" in lines[-2]
    refused = explain_lines(interpret_world(SONNET))
    assert len(refused) == 1 and refused[0].startswith("refused: cannot express a behavior")


def test_codegen_explain_flag_prints_without_writing(tmp_path):
    """codegen ASSET --explain prints the records, needs no --out and writes nothing; --json is one object."""
    asset = tmp_path / "lava.yaml"
    asset.write_text(yaml.safe_dump(LAVA))
    result = CliRunner().invoke(app, ["codegen", str(asset), "--explain"])
    assert result.exit_code == 0, result.output
    assert "'reach the goal' -> reach -> entities.goal" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lava.yaml"]
    data = json.loads(CliRunner().invoke(app, ["codegen", str(asset), "--explain", "--json"]).output)
    assert data["world"]["name"] == "LavaWalker" and data["refusal"] is None and data["records"]


def test_codegen_explain_exits_1_on_a_refusal(tmp_path):
    """A refused description exits 1 with the one-line reason naming the nearest expressible behavior."""
    asset = tmp_path / "sonnet.yaml"
    asset.write_text(yaml.safe_dump(SONNET))
    result = CliRunner().invoke(app, ["codegen", str(asset), "--explain"])
    assert result.exit_code == 1
    assert "nearest expressible" in result.output and "Traceback" not in result.output


def test_codegen_explain_sanity_runs_the_checks(tmp_path, monkeypatch):
    """--explain --sanity prints every check with its figures; --sanity alone is a clear error."""
    monkeypatch.setenv("MLOPS_SIM_NUMBA", "0")
    asset = tmp_path / "lava.yaml"
    asset.write_text(yaml.safe_dump(LAVA))
    result = CliRunner().invoke(app, ["codegen", str(asset), "--explain", "--sanity", "--json"])
    assert result.exit_code == 0, result.output
    sanity = json.loads(result.output)["sanity"]
    assert sanity["passed"] and [c["name"] for c in sanity["checks"]][-1] == "heuristic_reach"
    alone = CliRunner().invoke(app, ["codegen", str(asset), "--sanity"])
    assert alone.exit_code != 0 and "--sanity goes with --explain" in alone.output
