"""``run``, ``jobs resume``, ``models promote`` and ``schedule run`` are all wired by ``from_env``.

Each command must build its orchestrator with ``UnityMLOpsOrchestrator.from_env(workspace)``: the spy sees
the call, and the registry mirror the environment configures sees the registration or the alias move. A
command that built its own orchestrator or registry would miss both.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.orchestrator import FakeStage
from mlops_unity_pipeline.orchestrator.pipeline import UnityMLOpsOrchestrator
from mlops_unity_pipeline.orchestrator.stages import NotifyStage, RegisterStage
from tests.orchestrator.fakes import fake_outputs
from tests.sweep.fakes import FakePackage

from .test_schedule import _add_due_schedule

runner = CliRunner()


class RecordingMirror:
    """A registry mirror that records what reaches it."""

    name = "recording"

    def __init__(self) -> None:
        self.registered: list[int] = []
        self.moves: list[tuple[str, int]] = []

    def on_registered(self, version, artifact_dir):
        self.registered.append(version.version)
        return {"model_version": str(version.version)}

    def on_alias_moved(self, asset_id, alias, version):
        self.moves.append((alias, version.version))


class Wiring:
    """The spy's record of ``from_env`` calls, the mirror, and a switch that fails the train stage."""

    def __init__(self) -> None:
        self.workspaces: list[Path] = []
        self.mirror = RecordingMirror()
        self.fail_train = False

    def stages(self):
        outputs = fake_outputs()
        error = TrainError("diverged") if self.fail_train else None
        return [
            FakeStage("codegen", output=outputs["codegen"]),
            FakeStage("build", output=outputs["build"]),
            FakeStage("train", output=outputs["train"], error=error),
            FakeStage("evaluate", output=outputs["evaluate"]),
            FakePackage(),
            RegisterStage(),
            NotifyStage(),
        ]


@pytest.fixture
def wiring(monkeypatch):
    wiring = Wiring()
    original = UnityMLOpsOrchestrator.from_env.__func__

    def spy(cls, workspace_dir="./artifacts", **kwargs):
        wiring.workspaces.append(Path(workspace_dir))
        return original(cls, workspace_dir, **kwargs)

    monkeypatch.setattr(UnityMLOpsOrchestrator, "from_env", classmethod(spy))
    monkeypatch.setattr(
        "mlops_unity_pipeline.orchestrator.pipeline.registry_mirrors_from_env", lambda: [wiring.mirror]
    )
    monkeypatch.setattr("mlops_unity_pipeline.orchestrator.stages.default_stages", wiring.stages)
    monkeypatch.delenv("MLOPS_WEBHOOK_URLS", raising=False)
    return wiring


def test_run_is_wired_by_from_env(tmp_path, job_file, wiring):
    """`run` registers through the environment's mirrors."""
    ws = tmp_path / "ws"
    result = runner.invoke(app, ["run", str(job_file), "-w", str(ws), "--json", "-q"])
    assert result.exit_code == 0, result.output
    assert wiring.workspaces == [ws] and wiring.mirror.registered == [1]


def test_jobs_resume_is_wired_by_from_env(tmp_path, job_file, wiring):
    """`jobs resume` registers through the environment's mirrors too."""
    ws = tmp_path / "ws"
    wiring.fail_train = True
    assert runner.invoke(app, ["run", str(job_file), "-w", str(ws), "-q"]).exit_code == 1
    wiring.fail_train = False
    wiring.workspaces.clear()
    result = runner.invoke(app, ["jobs", "resume", "cli-job", "-w", str(ws), "--json", "-q"])
    assert result.exit_code == 0, result.output
    assert wiring.workspaces == [ws] and wiring.mirror.registered == [1]


def test_models_promote_is_wired_by_from_env(tmp_path, job_file, wiring):
    """`models promote` moves the alias in the environment's mirrors."""
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["run", str(job_file), "-w", str(ws), "-q"]).exit_code == 0
    wiring.workspaces.clear()
    wiring.mirror.moves.clear()
    result = runner.invoke(app, ["models", "promote", "nav-001", "1", "--alias", "candidate", "-w", str(ws)])
    assert result.exit_code == 0, result.output
    assert wiring.workspaces == [ws] and wiring.mirror.moves == [("candidate", 1)]


def test_schedule_run_is_wired_by_from_env(tmp_path, wiring):
    """`schedule run` registers its fire's model through the environment's mirrors."""
    ws = tmp_path / "ws"
    _add_due_schedule(ws)
    result = runner.invoke(app, ["schedule", "run", "--workspace", str(ws), "--once", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["fires"][-1]["state"] == "succeeded"
    assert wiring.workspaces == [ws] and wiring.mirror.registered == [1]
