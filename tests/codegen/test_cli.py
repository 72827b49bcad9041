"""Tests of ``mlops-unity codegen ASSET.yaml --out DIR`` and ``mlops-unity codegen check DIR``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.codegen.checks import CheckResult

from ..mono import assert_types_checked

FIXTURES = Path(__file__).parent / "fixtures" / "handwritten"
needs_mcs = pytest.mark.usefixtures("mcs")  # skips without Mono; fails under MLOPS_REQUIRE_MCS=1
GUIDE_YAML = """\
asset_id: nav-001
name: NavigationAgent
asset_type: behavior
description: Navigate around obstacles to reach a target
observation_space: {raycast: 8, velocity: 2}
action_space: {type: continuous, size: 2}
"""


def test_generate_then_check(tmp_path):
    """codegen writes the project and prints checks; codegen check on it exits 0."""
    asset = tmp_path / "asset.yaml"
    asset.write_text(GUIDE_YAML)
    runner = CliRunner()
    result = runner.invoke(app, ["codegen", str(asset), "--out", str(tmp_path / "proj")])
    assert result.exit_code == 0, result.output
    assert "archetype: navigation" in result.output and "fallback:" in result.output
    printed = result.output
    assert "types: passed" in printed or "types: skipped" in printed
    result = runner.invoke(app, ["codegen", "check", str(tmp_path / "proj"), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["passed"] is True
    [types] = [c for c in payload["checks"] if c["name"] == "types"]
    assert_types_checked([CheckResult("types", types["passed"], skipped=types["skipped"])])
    assert "types: passed" in printed  # the generate command compiled it too


def test_generate_json(tmp_path):
    """--json prints one object with the interpretation, files, checks and metadata (archetype path)."""
    asset = tmp_path / "asset.yaml"
    # spaces no world honours exactly ({raycast: 8}) keep the description on the archetype path
    asset.write_text(
        "asset_id: a\nname: SimpleAgent\ndescription: Reach target position\n"
        "observation_space: {raycast: 8, velocity: 2}\n"
    )
    result = CliRunner().invoke(app, ["codegen", str(asset), "--out", str(tmp_path / "p"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["passed"] and data["interpretation"]["archetype"] == "reach_target"
    assert data["metadata"]["provider"] == "rules"


def test_check_handwritten_agents():
    """Ordinary hand-written agents pass codegen check."""
    result = CliRunner().invoke(app, ["codegen", "check", str(FIXTURES)])
    assert result.exit_code == 0, result.output


def test_check_fails_with_positions(tmp_path):
    """A broken file makes codegen check exit 1 and print file:line:column."""
    (tmp_path / "Bad.cs").write_text('using System.IO;\npublic class Bad { void F() { File.Delete("x") } }\n')
    result = CliRunner().invoke(app, ["codegen", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "syntax: FAILED" in result.output and "Bad.cs:2:31" in result.output


USER_SCRIPT = """using System.IO;
using UnityEngine;
public class ModelLoader : MonoBehaviour
{
    public string modelPath;
    void Awake() { Debug.Log(File.ReadAllBytes(modelPath).Length); }
}
"""


@needs_mcs
def test_user_project_with_system_io_passes_check(tmp_path):
    """A hand-written script's System.IO is reported by the safety section but does not fail the project."""
    (tmp_path / "ModelLoader.cs").write_text(USER_SCRIPT)
    runner = CliRunner()
    result = runner.invoke(app, ["codegen", "check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "types: passed" in result.output and "safety policy (informational" in result.output
    assert "ModelLoader.cs:6:5: file: System.IO.File::ReadAllBytes" in result.output
    data = json.loads(runner.invoke(app, ["codegen", "check", str(tmp_path), "--json"]).stdout)
    assert data["passed"] is True and [c["name"] for c in data["checks"]] == ["syntax", "types"]
    assert data["safety"]["passed"] is False and data["safety_enforced"] is False
    enforced = runner.invoke(app, ["codegen", "check", str(tmp_path), "--enforce-safety"])
    assert enforced.exit_code == 1 and "safety policy (enforced)" in enforced.output


def test_bad_asset_is_one_line_error(tmp_path):
    """A meaningless description exits non-zero with one clear stderr line."""
    asset = tmp_path / "asset.yaml"
    asset.write_text("asset_id: a\nname: Thing\ndescription: purple quantum lasagna\n")
    result = CliRunner().invoke(app, ["codegen", str(asset), "--out", str(tmp_path / "p")])
    assert result.exit_code != 0 and len(result.output.strip().splitlines()) == 1
    assert "cannot express a behavior" in result.output and "nearest expressible" in result.output


def test_missing_out_and_missing_check_dir(tmp_path):
    """--out is required for generation; check needs a folder."""
    asset = tmp_path / "asset.yaml"
    asset.write_text(GUIDE_YAML)
    runner = CliRunner()
    assert runner.invoke(app, ["codegen", str(asset)]).exit_code != 0
    assert runner.invoke(app, ["codegen", "check"]).exit_code != 0
    missing = runner.invoke(app, ["codegen", "check", str(tmp_path / "nope")])
    assert missing.exit_code != 0 and "no such folder" in missing.output
