"""Executor selection and the missing-extra path, without starting Ray."""

from __future__ import annotations

import asyncio
import sys

import pytest

from mlops_unity_pipeline.cluster import make_executor, require_ray
from mlops_unity_pipeline.cluster.executors import InlineExecutor, ProcessExecutor
from mlops_unity_pipeline.errors import MissingExtraError, SpecError
from mlops_unity_pipeline.orchestrator import RunState, UnityMLOpsOrchestrator
from mlops_unity_pipeline.specs import ExecutionSpec, Executor, TrainingJob, TrainingSchedule

from .fakes import fake_job_stages

ASSET = {"asset_id": "reach-001", "name": "ReachAgent", "description": "Reach a target position"}


def test_execution_spec_round_trips_and_resolves_auto(monkeypatch):
    """executor auto follows RAY_ADDRESS; job and schedule files carry execution and load back equal."""
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    assert ExecutionSpec().resolved_executor() is Executor.LOCAL
    monkeypatch.setenv("RAY_ADDRESS", "127.0.0.1:6379")
    assert ExecutionSpec().resolved_executor() is Executor.RAY
    assert ExecutionSpec(executor="local").resolved_executor() is Executor.LOCAL
    data = {
        "job_id": "j",
        "asset_spec": ASSET,
        "execution": {"executor": "ray", "num_cpus": 2, "num_gpus": 0.5, "resources": {"unity": 1}},
    }
    job = TrainingJob.from_dict(data)
    assert job.execution.ray_options() == {"num_cpus": 2.0, "num_gpus": 0.5, "resources": {"unity": 1.0}}
    assert TrainingJob.from_dict(job.to_dict()) == job
    assert "execution" not in TrainingJob.from_dict({"job_id": "j", "asset_spec": ASSET}).to_dict()
    schedule = TrainingSchedule.from_dict(
        {
            "schedule_id": "s",
            "cron_expression": "0 2 * * *",
            "asset_specs": [ASSET],
            "execution": {"executor": "ray"},
        }
    )
    assert TrainingSchedule.from_dict(schedule.to_dict()) == schedule and schedule.execution.executor == "ray"


@pytest.mark.parametrize(
    ("execution", "message"),
    [
        ({"executor": "k8s"}, "execution.executor"),
        ({"num_cpus": -1}, "execution.num_cpus"),
        ({"resources": {"CPU": 1}}, "num_cpus/num_gpus"),
        ({"resources": {"unity": 0}}, "execution.resources.unity"),
        ({"max_retries": 11}, "execution.max_retries"),
        ({"retries": 1}, "unknown key 'retries'"),
    ],
)
def test_bad_execution_names_the_field(execution, message):
    """A bad execution block is a SpecError naming the field."""
    with pytest.raises(SpecError, match=message):
        TrainingJob.from_dict({"job_id": "j", "asset_spec": ASSET, "execution": execution})


def test_local_executors():
    """parallelism 1 runs inline; more uses worker processes."""
    assert isinstance(make_executor("local", 1), InlineExecutor)
    pool = make_executor("local", 2)
    try:
        assert isinstance(pool, ProcessExecutor) and pool.submit(abs, -3).result(timeout=120) == 3
    finally:
        pool.shutdown()
    future = InlineExecutor().submit(int, "x")
    with pytest.raises(ValueError):
        future.result()


def test_missing_ray_is_a_clear_error_and_a_failed_job(monkeypatch, tmp_path):
    """Without Ray: require_ray names the extra; a ray job fails with that line, no traceback."""
    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` raise ImportError
    with pytest.raises(MissingExtraError, match=r"pip install 'mlops_unity_pipeline\[ray\]'"):
        require_ray("jobs on Ray")
    job = TrainingJob.from_dict({"job_id": "j", "asset_spec": ASSET, "execution": {"executor": "ray"}})
    orchestrator = UnityMLOpsOrchestrator(tmp_path, stages=fake_job_stages())
    result = asyncio.run(orchestrator.execute_training_job(job))
    assert result.status is RunState.FAILED
    assert "ray:" in result.error and "mlops_unity_pipeline[ray]" in result.error
    assert not (tmp_path / "jobs" / "j" / "attempt-1" / "logs").exists()  # no traceback file: a named error


def test_learn_ray_envs_without_ray_is_a_one_line_error(monkeypatch, tmp_path):
    """mlops-unity learn --ray-envs without Ray: exit 2, the install hint, no traceback."""
    import yaml
    from typer.testing import CliRunner

    from mlops_unity_pipeline.cli.app import app
    from tests.cli.test_learn import CONFIG

    config = tmp_path / "Basic.yaml"
    config.write_text(yaml.safe_dump(CONFIG))
    monkeypatch.setitem(sys.modules, "ray", None)
    args = ["learn", str(config), "--env", "sim:Basic", "--run-id", "r", "--results-dir", str(tmp_path / "r")]
    result = CliRunner().invoke(app, [*args, "--num-envs", "2", "--ray-envs"])
    assert result.exit_code == 2, result.output
    assert "mlops_unity_pipeline[ray]" in result.output and "Traceback" not in result.output
