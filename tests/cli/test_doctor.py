"""Tests for ``mlops-unity doctor``: found/missing pieces with fixes, JSON output, secrets never printed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.cli.doctor import Status, check_llm, check_mcs, check_registries, run_checks

from ..unity.stand_ins import (
    make_executable,
    write_fake_editor,
    write_fake_mlagents_learn,
    write_unity_project,
)

SECRET = "sk-test-SECRET-value-123"


@pytest.fixture
def machine(tmp_path: Path) -> dict[str, str]:
    """Environment of a machine with a stand-in Editor, mlagents-learn and mcs, and secrets set."""
    editor = write_fake_editor(tmp_path / "Hub" / "Editor" / "2022.3.21f1" / "Editor" / "Unity")
    learn = write_fake_mlagents_learn(tmp_path / "venv" / "bin" / "mlagents-learn")
    mcs = make_executable(tmp_path / "bin" / "mcs", "#!/bin/sh\necho 'Mono C# compiler version 6.8.0.105'\n")
    return {
        "HOME": str(tmp_path / "home"),
        "UNITY_EDITOR_PATH": str(editor),
        "MLAGENTS_LEARN": str(learn),
        "MLOPS_MCS": str(mcs),
        "OPENAI_API_KEY": SECRET,
        "MLFLOW_TRACKING_URI": f"http://user:{SECRET}@mlflow:5000",
        "GOOGLE_APPLICATION_CREDENTIALS": f"/keys/{SECRET}.json",
    }


def _checks(payload: dict) -> dict[str, dict]:
    return {c["name"]: c for c in payload["checks"]}


def test_json_reports_everything_found(machine: dict[str, str]) -> None:
    """With everything present, --json prints one object with each piece found and core ok."""
    result = CliRunner().invoke(app, ["doctor", "--json"], env=machine)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    checks = _checks(payload)
    assert payload["ok"] is True
    assert checks["Unity Editor"]["status"] == "ok" and "2022.3.21f1" in checks["Unity Editor"]["found"]
    # the stand-in's venv has no mlagents package: found, runs, but the version is flagged
    assert (
        checks["mlagents-learn"]["status"] == "warn"
        and machine["MLAGENTS_LEARN"] in checks["mlagents-learn"]["found"]
    )
    assert f"Python {sys.version_info.major}.{sys.version_info.minor}" in checks["mlagents-learn"]["found"]
    assert checks["Mono mcs"]["status"] == "ok" and "6.8.0.105" in checks["Mono mcs"]["found"]
    assert "OPENAI_API_KEY set" in checks["LLM provider openai"]["found"]
    assert {"python", "torch", "onnx", "onnxruntime"} <= set(checks)


def test_secrets_never_printed(machine: dict[str, str]) -> None:
    """API keys, credentials and URIs with passwords appear only as set/unset, in text and JSON output."""
    for args in (["doctor"], ["doctor", "--json"]):
        result = CliRunner().invoke(app, args, env=machine)
        assert SECRET not in result.output
    assert "MLFLOW_TRACKING_URI set" in CliRunner().invoke(app, ["doctor"], env=machine).output


def test_missing_pieces_have_fixes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Unity or mlagents-learn each is reported missing with the fix; exit stays 0 (optional)."""
    monkeypatch.chdir(tmp_path)  # no ./.venv-mlagents here
    env = {
        "HOME": str(tmp_path),
        "UNITY_EDITOR_PATH": "",
        "MLAGENTS_LEARN": "",
        "PATH": str(tmp_path),
        "MLOPS_MCS": "",
    }
    result = CliRunner().invoke(app, ["doctor"], env=env)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "[!!] Unity Editor" in out and "UNITY_EDITOR_PATH" in out and "Dedicated Server" in out
    assert "[!!] mlagents-learn" in out and "scripts/setup_mlagents_venv.sh" in out
    assert "[--] Mono mcs" in out and "apt-get install mono-mcs" in out
    assert out.strip().endswith("core: ok")


def test_project_version_checked(machine: dict[str, str], tmp_path: Path) -> None:
    """--project looks for the Editor version the project asks for (Hub install absent here)."""
    project = write_unity_project(tmp_path / "proj", version="6000.0.23f1")
    env = dict(machine, UNITY_EDITOR_PATH="")
    result = CliRunner().invoke(app, ["doctor", "--project", str(project), "--json"], env=env)
    unity = _checks(json.loads(result.stdout))["Unity Editor"]
    assert unity["status"] == "missing" and "6000.0.23f1" in unity["found"]


def test_llm_check_statuses() -> None:
    """A provider is ok with its SDK and key (or an OpenAI-compatible base URL); otherwise a fix is given."""
    by_name = {c.name: c for c in check_llm({"OPENAI_BASE_URL": "http://127.0.0.1:8000/v1"})}
    assert by_name["LLM provider openai"].status == Status.OK
    anthropic = by_name["LLM provider anthropic"]
    assert anthropic.status == Status.WARN and "ANTHROPIC_API_KEY" in (anthropic.fix or "")


def test_registry_checks_need_settings() -> None:
    """MLflow/Vertex are ok only with their settings present; the fix names the variable."""
    checks = {c.name: c for c in check_registries({})}
    assert checks["MLflow registry"].status == Status.WARN and "MLFLOW_TRACKING_URI" in (
        checks["MLflow registry"].fix or ""
    )
    assert "GOOGLE_CLOUD_PROJECT" in (checks["Vertex AI registry"].fix or "")
    ok = {
        c.name: c
        for c in check_registries({"MLFLOW_TRACKING_URI": "sqlite:///m.db", "GOOGLE_CLOUD_PROJECT": "p"})
    }
    assert ok["MLflow registry"].status == Status.OK and ok["Vertex AI registry"].status == Status.OK


def test_mcs_not_runnable(tmp_path: Path) -> None:
    """An MLOPS_MCS pointing nowhere is reported with the install fix."""
    check = check_mcs({"MLOPS_MCS": str(tmp_path / "missing-mcs")})
    assert check.status == Status.WARN and "mono-mcs" in (check.fix or "")


def test_core_missing_fails(monkeypatch: pytest.MonkeyPatch, machine: dict[str, str]) -> None:
    """A missing core package makes doctor exit 1 and say so."""
    import mlops_unity_pipeline.cli.doctor as doctor

    real = doctor._dist_version
    monkeypatch.setattr(doctor, "_dist_version", lambda name: None if name == "onnxruntime" else real(name))
    result = CliRunner().invoke(app, ["doctor"], env=machine)
    assert result.exit_code == 1 and "[!!] onnxruntime" in result.output and "core: MISSING" in result.output
    assert any(c.name == "onnxruntime" and c.status == Status.MISSING for c in run_checks(machine))
