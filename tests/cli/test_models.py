"""``mlops-unity models list|show|promote`` on a registry with two versions."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.registry import LocalRegistry
from mlops_unity_pipeline.store.artifacts import ArtifactStore

runner = CliRunner()


@pytest.fixture
def workspace(tmp_path):
    artifacts = ArtifactStore(tmp_path / "artifacts")
    registry = LocalRegistry(tmp_path / "registry", artifacts)
    for i, reward in enumerate((0.8, 0.3), start=1):
        src = tmp_path / f"m{i}.onnx"
        src.write_bytes(f"model {i}".encode())
        ref = artifacts.put_file(src)
        registry.register(
            "nav-001",
            sha256=ref.sha256,
            model_path=ref.path,
            metrics={"eval/mean_reward": reward},
            job_id=f"job-{i}",
        )
    return str(tmp_path)


def test_list(workspace):
    """list shows one model with champion v1 and candidate v2."""
    result = runner.invoke(app, ["models", "list", "-w", workspace])
    assert result.exit_code == 0 and "nav-001" in result.output
    data = json.loads(runner.invoke(app, ["models", "list", "-w", workspace, "--json"]).stdout)
    assert data["models"] == [
        {"asset_id": "nav-001", "versions": 2, "latest_version": 2, "champion": 1, "candidate": 2}
    ]


def test_show_versions_history_and_one_version(workspace):
    """show lists versions and the alias history; --version shows one, by number or alias."""
    result = runner.invoke(app, ["models", "show", "nav-001", "-w", workspace])
    assert result.exit_code == 0 and "alias history" in result.output and "champion" in result.output
    data = json.loads(runner.invoke(app, ["models", "show", "nav-001", "-w", workspace, "--json"]).stdout)
    assert [v["version"] for v in data["versions"]] == [1, 2] and len(data["alias_history"]) == 3
    one = json.loads(
        runner.invoke(app, ["models", "show", "nav-001", "-v", "champion", "-w", workspace, "--json"]).stdout
    )
    assert one["version"] == 1 and one["metrics"]["eval/mean_reward"] == 0.8


def test_promote(workspace):
    """promote moves champion by hand and records the reason."""
    result = runner.invoke(app, ["models", "promote", "nav-001", "2", "--reason", "A/B win", "-w", workspace])
    assert result.exit_code == 0 and "champion -> v2" in result.output
    data = json.loads(runner.invoke(app, ["models", "show", "nav-001", "-w", workspace, "--json"]).stdout)
    assert data["alias_history"][-1]["reason"] == "A/B win"
    bad = runner.invoke(app, ["models", "promote", "nav-001", "9", "-w", workspace])
    assert bad.exit_code == 2 and "no version 9" in bad.stderr


def test_errors(workspace, tmp_path):
    """Unknown assets, escaping ids and workspaces without a registry are one-line errors."""
    unknown = runner.invoke(app, ["models", "show", "ghost", "-w", workspace])
    assert unknown.exit_code == 2 and "no registered model for asset 'ghost'" in unknown.stderr
    escaping = runner.invoke(app, ["models", "show", "../x", "-w", workspace])
    assert escaping.exit_code == 2 and "asset_id" in escaping.stderr
    empty = runner.invoke(app, ["models", "list", "-w", str(tmp_path / "empty")])
    assert empty.exit_code == 2 and "no model registry" in empty.stderr
