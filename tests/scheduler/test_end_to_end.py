"""Acceptance: a cron fire runs a real job that sends signed webhooks, lands in MLflow and in TensorBoard."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest

from mlops_unity_pipeline.notify import WebhookNotifier, verify_signature
from mlops_unity_pipeline.scheduler import FireState, ManualClock, TrainingScheduler
from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingSchedule, UnityAssetSpec
from mlops_unity_pipeline.tensorboard import list_runs

from ..test_notify import SECRET, Receiver

FIRE = datetime(2024, 5, 1, 2, 0, tzinfo=timezone.utc)


@pytest.mark.slow  # a real (tiny) training job plus MLflow's schema creation: ~30-60 s here
def test_scheduled_job_reaches_webhooks_mlflow_and_tensorboard(tmp_path, monkeypatch):
    """One fire: the job trains; signed webhooks arrive; MLflow has the version; TensorBoard has the run."""
    pytest.importorskip("mlflow", reason="the [mlflow] extra is not installed")
    from mlflow.tracking import MlflowClient

    from mlops_unity_pipeline import UnityMLOpsOrchestrator
    from mlops_unity_pipeline.registry.mlflow_registry import MlflowMirror

    monkeypatch.chdir(tmp_path)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    workspace = tmp_path / "ws"
    schedule = TrainingSchedule(
        schedule_id="nightly",
        cron_expression="0 2 * * *",
        asset_specs=[
            UnityAssetSpec(
                asset_id="ball-001", name="BalanceAgent", description="Balance a ball on a platform"
            )
        ],
        rl_config=RLTrainingConfig(max_steps=600, evaluation_episodes=2, seed=1),
    )
    with Receiver() as receiver:
        notifier = WebhookNotifier([receiver.url], SECRET)
        orchestrator = UnityMLOpsOrchestrator(
            workspace, notifier=notifier, registry_mirrors=[MlflowMirror(uri)]
        )
        with TrainingScheduler(orchestrator, clock=ManualClock(FIRE - timedelta(minutes=1))) as scheduler:
            scheduler.add_schedule(schedule)
            [record] = asyncio.run(scheduler.run_pending(FIRE + timedelta(seconds=5)))
        assert notifier.flush(30)

    assert record.state is FireState.SUCCEEDED, record
    [job_id] = record.job_ids
    assert job_id == "nightly-20240501T020000Z-ball-001"
    assert scheduler.db_path == workspace / "scheduler.db"

    events = {json.loads(r["body"])["event"]: r for r in receiver.requests}
    assert set(events) == {"job.started", "job.succeeded", "model.promoted"}
    for request in events.values():
        assert verify_signature(request["body"], SECRET, request["headers"]["X-Mlops-Signature"])
    assert json.loads(events["job.succeeded"]["body"])["data"]["job_id"] == job_id

    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    champion = client.get_model_version_by_alias("ball-001", "champion")
    assert str(champion.version) == "1" and champion.tags["mlops.local_version"] == "1"
    assert client.get_metric_history(champion.run_id, "train/mean_reward")  # the training history, per step
    assert client.get_run(champion.run_id).data.tags["mlops.job_id"] == job_id

    runs = list_runs(workspace)
    assert [(r.job_id, r.behavior) for r in runs] == [(job_id, "BalanceAgent")]
