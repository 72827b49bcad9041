"""CLI test helpers: a workspace whose orchestrator runs FakeStages (the real stages are tested elsewhere)."""

from __future__ import annotations

import pytest
import yaml

from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.orchestrator import FakeStage
from tests.orchestrator.fakes import NAMES, fake_outputs

JOB = {
    "job_id": "cli-job",
    "asset_spec": {
        "asset_id": "nav-001",
        "name": "NavigationAgent",
        "description": "Navigate around obstacles to reach a target",
        "observation_space": {"raycast": 8, "velocity": 2},
        "action_space": {"type": "continuous", "size": 2},
    },
    "rl_config": {"max_steps": 1000},
}


class FakePipeline:
    """Replaces default_stages; ``fail_train`` makes the train stage fail once."""

    def __init__(self):
        self.fail_train = False

    def stages(self):
        outputs = fake_outputs(
            model_path="/ws/m.onnx",
            version=1,
            paths={"metadata": "/ws/meta.json", "report": "/ws/jobs/cli-job/report.html"},
        )
        outputs.pop("train")
        train = FakeStage("train", error=TrainError("diverged") if self.fail_train else None)
        return [train if n == "train" else FakeStage(n, output=outputs.get(n)) for n in NAMES]


@pytest.fixture
def fake_pipeline(monkeypatch):
    pipeline = FakePipeline()
    monkeypatch.setattr("mlops_unity_pipeline.orchestrator.stages.default_stages", pipeline.stages)
    return pipeline


@pytest.fixture
def job_file(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text(yaml.safe_dump(JOB))
    return path
