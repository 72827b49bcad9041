"""The guide's examples run verbatim: quickstart.py end to end through every real stage (tiny budget)."""

from __future__ import annotations

import json
import re
import runpy

import pytest

import mlops_unity_pipeline
from mlops_unity_pipeline.specs import RLTrainingConfig, load_job

from ..conftest import REPO_ROOT, SHARED_DIR

EXAMPLES = REPO_ROOT / "examples"


def guide_block(heading: str) -> str:
    guide = SHARED_DIR / "GUIDE.md"
    if not guide.is_file():
        pytest.skip("../shared/GUIDE.md is absent on this machine")
    text = guide.read_text()
    section = text.split(heading, 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_quickstart_is_the_guide_verbatim():
    """examples/quickstart.py is byte-for-byte the guide's quick start."""
    assert (EXAMPLES / "quickstart.py").read_text() == guide_block("## Quick start")


def test_scheduling_is_the_guide_verbatim():
    """examples/scheduling.py is byte-for-byte the guide's scheduling example."""
    assert (EXAMPLES / "scheduling.py").read_text() == guide_block("## Scheduling recurrent training")


@pytest.mark.parametrize("path", sorted((EXAMPLES / "jobs").glob("*.yaml")), ids=lambda p: p.name)
def test_job_files_load(path):
    """Every example job file is a valid TrainingJob."""
    job = load_job(path)
    assert job.job_id and job.asset_spec.asset_id


def capped_config(max_steps: int):
    """RLTrainingConfig with the step budget capped: the guide's code runs unchanged, only faster."""

    def factory(**kwargs):
        kwargs["max_steps"] = min(int(kwargs.get("max_steps", max_steps)), max_steps)
        kwargs.setdefault("evaluation_episodes", 8)
        return RLTrainingConfig(**kwargs)

    return factory


def test_quickstart_runs_end_to_end(tmp_path, monkeypatch, capsys):
    """The guide's quick start, unchanged but for a 2,000-step budget, trains, stores, registers a model."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(mlops_unity_pipeline, "RLTrainingConfig", capped_config(2_000))
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    printed = capsys.readouterr().out
    assert "job_id='example-job', status=succeeded" in printed
    workspace = tmp_path / "artifacts"

    from mlops_unity_pipeline.registry import LocalRegistry
    from mlops_unity_pipeline.store.artifacts import ArtifactStore

    registry = LocalRegistry(workspace / "registry", ArtifactStore(workspace / "artifacts"))
    version = registry.get_version("nav-001", "candidate")
    assert version.version == 1 and version.job_id == "example-job"
    model = registry.model_file("nav-001", 1)  # verifies the sha256
    assert model.suffix == ".onnx" and model.stat().st_size > 1000

    job_dir = workspace / "jobs" / "example-job" / "attempt-1"
    metadata = json.loads((job_dir / "package" / "metadata.json").read_text())
    assert metadata["hashes"]["model_sha256"] == version.sha256
    assert metadata["hashes"]["generated_code"], "hashes of the generated C# are recorded"
    assert any(name.endswith(".cs") for name in metadata["hashes"]["generated_code"])
    assert metadata["metrics"]["eval/episodes"] == 8 and "baseline/mean_reward" in metadata["metrics"]
    assert metadata["seeds"]["train"] is not None and metadata["versions"]["torch"]
    assert set(metadata["stage_seconds"]) >= {"codegen", "build", "train", "evaluate"}
    assert metadata["trainer_config"]["behaviors"]["NavigationAgent"]["max_steps"] == 2_000
    assert (job_dir / "config" / "trainer_config.yaml").is_file()
    assert (job_dir / "results" / "example-job" / "run_logs" / "training_status.json").is_file()
    assert (job_dir / "package" / "report" / "learning_curve.png").read_bytes()[:4] == b"\x89PNG"
    assert (job_dir / "package" / "report" / "episode.gif").read_bytes()[:3] == b"GIF"
    assert list((job_dir / "codegen").rglob("*.cs"))


@pytest.mark.slow
def test_quickstart_full_budget_beats_random(quickstart_full_run):
    """The unmodified quick start (100k steps) yields a champion whose ONNX beats a random policy."""
    assert "status=succeeded" in quickstart_full_run.printed
    from mlops_unity_pipeline.registry import LocalRegistry
    from mlops_unity_pipeline.store.artifacts import ArtifactStore

    workspace = quickstart_full_run.workspace
    registry = LocalRegistry(workspace / "registry", ArtifactStore(workspace / "artifacts"))
    version = registry.get_version("nav-001", "latest")
    assert version.metrics["eval/mean_reward"] > version.metrics["baseline/mean_reward"] + 1.0
    assert "champion" in version.aliases


def test_scheduling_example_registers_the_nightly_schedule(tmp_path, monkeypatch):
    """The guide's scheduling example runs unchanged; its schedule is stored (the endless loop is stubbed)."""
    from mlops_unity_pipeline.scheduler import TrainingScheduler

    seen = {}

    class OneShotScheduler(TrainingScheduler):
        async def run_forever(self, **kwargs):
            seen["schedules"] = [
                s.schedule.schedule_id if hasattr(s, "schedule") else s for s in self.list_schedules()
            ]
            seen["next"] = self.list_schedules()[0]

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(mlops_unity_pipeline, "TrainingScheduler", OneShotScheduler)
    runpy.run_path(str(EXAMPLES / "scheduling.py"), run_name="__main__")
    assert len(seen["schedules"]) == 1 and "nightly" in repr(seen["next"])
    assert (tmp_path / "artifacts" / "pipeline.db").is_file()
