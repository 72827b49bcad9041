"""Jobs, sweeps and node death on a real two-node Ray cluster (``ray start`` on 127.0.0.1; slow)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import threading
import time

import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.errors import StoreError
from mlops_unity_pipeline.orchestrator import RunState, UnityMLOpsOrchestrator
from mlops_unity_pipeline.registry import PromotionGate
from mlops_unity_pipeline.specs import TrainingJob
from mlops_unity_pipeline.sweep import SweepSpec, run_sweep
from tests.sweep.fakes import fake_stages

from .fakes import fake_job_stages

pytestmark = pytest.mark.slow

ASSET = {"asset_id": "reach-001", "name": "ReachAgent", "description": "Reach a target position"}


def wait_for(predicate, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except StoreError:  # the job is not in the store yet
            value = None
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")


def test_job_runs_as_a_ray_task_on_the_node_with_its_resource(ray_cluster, tmp_path):
    """executor ray + resources {unity: 1}: stages run on node n2, the driver records them and registers."""
    job = TrainingJob.from_dict(
        {"job_id": "on-ray", "asset_spec": ASSET, "execution": {"executor": "ray", "resources": {"unity": 1}}}
    )
    updates = []
    orchestrator = UnityMLOpsOrchestrator(tmp_path, stages=fake_job_stages(), on_progress=updates.append)
    result = asyncio.run(orchestrator.execute_training_job(job))
    assert result.ok, result.error
    record = orchestrator.get_job("on-ray")
    assert [(s.name, s.state) for s in record.stages][:5] == [
        (n, RunState.SUCCEEDED) for n in ("codegen", "build", "train", "evaluate", "package")
    ]
    import ray

    n2 = next(n["NodeID"] for n in ray.nodes() if n["Alive"] and "n2" in n["Resources"])
    nodes = {s.outputs["execution"]["node"] for s in record.stages if "execution" in s.outputs}
    assert len(nodes) == 1 and nodes.pop().endswith(f"ray:{n2[:12]}")
    assert result.registry_version == 1 and "execution" not in record.stage("register").outputs  # driver-side
    assert [u.step for u in updates if u.stage == "train" and u.step] == [1, 2, 3]  # progress came back
    shown = CliRunner().invoke(app, ["jobs", "show", "on-ray", "-w", str(tmp_path)])
    assert "(Ray attempt 1)" in shown.output and f"ray:{n2[:12]}" in shown.output


def test_cancel_reaches_the_ray_task(ray_cluster, tmp_path):
    """cancel_job on the driver stops the remote train stage: the job ends cancelled, nothing registered."""
    job = TrainingJob.from_dict(
        {"job_id": "cancel-ray", "asset_spec": ASSET, "execution": {"executor": "ray"}}
    )
    orchestrator = UnityMLOpsOrchestrator(tmp_path, stages=fake_job_stages(steps=200, sleep_s=0.1))
    thread = threading.Thread(target=lambda: asyncio.run(orchestrator.execute_training_job(job)))
    thread.start()
    wait_for(
        lambda: (orchestrator.get_job("cancel-ray").progress or {}).get("step"), 120, "training progress"
    )
    orchestrator.cancel_job("cancel-ray")
    thread.join(timeout=60)
    record = orchestrator.get_job("cancel-ray")
    assert record.state is RunState.CANCELLED and record.stage("train").state is RunState.CANCELLED
    assert record.stage("register") is None


def test_sweep_trials_run_as_ray_tasks_on_both_nodes(ray_cluster, tmp_path):
    """executor ray, parallelism 2: trials are spread over the head and n2, all in one study."""
    spec = SweepSpec.from_dict(
        {
            "sweep_id": "ray-sweep",
            "asset_spec": ASSET,
            "search_space": {"hyperparameters.learning_rate": {"type": "float", "low": 1e-4, "high": 1e-2}},
            "n_trials": 4,
            "parallelism": 2,
            "executor": "ray",
            "seed": 1,
            "pruner": {"kind": "none"},
        }
    )
    result = run_sweep(spec, tmp_path, stages=fake_stages(steps=4, sleep_s=0.5), report=False)
    assert result.counts == {"complete": 4} and result.registered_version == 1
    assert len({t.node for t in result.trials}) == 2


def test_scheduler_fire_runs_its_job_on_ray_once(ray_cluster, tmp_path):
    """A schedule with executor ray: its fire's job runs as a Ray task, exactly one run for the fire."""
    from datetime import datetime, timezone

    from mlops_unity_pipeline.scheduler import ManualClock, TrainingScheduler
    from mlops_unity_pipeline.specs import TrainingSchedule

    schedule = TrainingSchedule.from_dict(
        {
            "schedule_id": "nightly",
            "cron_expression": "0 2 * * *",
            "asset_specs": [ASSET],
            "execution": {"executor": "ray", "resources": {"n2": 1}},
        }
    )
    orchestrator = UnityMLOpsOrchestrator(tmp_path, stages=fake_job_stages())
    clock = ManualClock(datetime(2024, 5, 1, 0, 0, tzinfo=timezone.utc))
    with TrainingScheduler(orchestrator, clock=clock) as scheduler:
        scheduler.add_schedule(schedule)
        fire_at = datetime(2024, 5, 1, 2, 0, tzinfo=timezone.utc)
        [fire] = asyncio.run(scheduler.run_pending(fire_at))
        assert asyncio.run(scheduler.run_pending(fire_at)) == []  # the same fire never runs twice
    assert fire.state.value == "succeeded"
    [job] = orchestrator.list_jobs()
    assert job.spec["execution"]["executor"] == "ray"
    assert job.stage("train").outputs["execution"]["executor"] == "ray"
    assert orchestrator.registry.list_versions("reach-001")[0].job_id == job.job_id


def test_env_actors_on_two_nodes_step_like_local_envs(ray_cluster):
    """RayVectorEnv with 2 actors (one per node) gives exactly the batches of the same envs run locally."""
    import numpy as np

    from mlops_unity_pipeline.cluster.rollouts import RayVectorEnv, concat_batches
    from mlops_unity_pipeline.spaces import ActionTuple

    from .fakes import line_factory

    env = RayVectorEnv(line_factory, 4, 5, num_actors=2, options={"num_cpus": 1})
    try:
        assert len(set(env.nodes())) == 2
        local = [line_factory(2, 5), line_factory(2, 6)]
        got = env.reset(seed=10)
        want = concat_batches([local[0].reset(seed=10), local[1].reset(seed=11)])
        np.testing.assert_array_equal(got.obs[0], want.obs[0])
        rng = np.random.default_rng(0)
        for _ in range(30):
            actions = ActionTuple(rng.uniform(-1, 1, (4, 1)).astype(np.float32), np.zeros((4, 0), np.int32))
            got = env.step(actions)
            want = concat_batches(
                [
                    local[i].step(
                        ActionTuple(
                            actions.continuous[2 * i : 2 * i + 2], actions.discrete[2 * i : 2 * i + 2]
                        )
                    )
                    for i in range(2)
                ]
            )
            for a, b in zip(got, want, strict=True):
                if isinstance(a, tuple):
                    np.testing.assert_array_equal(a[0], b[0])
                elif a is not None:
                    np.testing.assert_array_equal(a, b)
        assert len(env.pop_lost_agents()) == 0

        # an actor dies: Ray restarts it, its agents restart their episodes and are reported lost
        import ray

        pid = ray.get(env.actors[1].__ray_call__.remote(lambda actor: os.getpid()))
        os.kill(pid, signal.SIGKILL)
        wait_for(
            lambda: (
                not os.path.exists(f"/proc/{pid}/stat") or "Z" in open(f"/proc/{pid}/stat").read().split()[2]
            ),
            30,
            "the actor process to die",
        )
        batch = env.step(ActionTuple(np.zeros((4, 1), np.float32), np.zeros((4, 0), np.int32)))
        assert env.restarts == 1 and env.pop_lost_agents().tolist() == [2, 3]
        assert not batch.terminated[2:].any() and (batch.reward[2:] == 0).all()
        env.step(ActionTuple(np.zeros((4, 1), np.float32), np.zeros((4, 0), np.int32)))  # it works again
        assert len(env.pop_lost_agents()) == 0
    finally:
        env.close()


def test_learn_takes_its_environments_from_ray_actors(ray_cluster, tmp_path):
    """learn(ray_envs=True): --num-envs 2 simulator instances as actors, the learner here."""
    import dataclasses

    from mlops_unity_pipeline.rl.learn import LearnOptions, learn
    from tests.rl.helpers import ppo_options

    options = ppo_options("3DBall", results_dir=str(tmp_path), max_steps=1200, summary_freq=600)
    options = dataclasses.replace(options, env_settings=dataclasses.replace(options.env_settings, num_envs=2))
    result = learn(LearnOptions(run_options=options, env="sim:3DBall", quiet=True, ray_envs=True))
    behavior = result.behaviors["3DBall"]
    assert behavior.steps >= 1200 and behavior.onnx_path.exists()


def test_each_env_actor_launches_and_owns_a_player(ray_cluster, tmp_path):
    """learn --env PLAYER --num-envs 2 --ray-envs: two actors each start and own one player; it trains."""
    import dataclasses

    from mlops_unity_pipeline.bridge.launcher import write_player_launcher
    from mlops_unity_pipeline.rl.learn import LearnOptions, learn
    from tests.rl.helpers import ppo_options

    player = write_player_launcher(tmp_path / "build", "3DBall")
    options = ppo_options("3DBall", results_dir=str(tmp_path / "results"), max_steps=960, summary_freq=480)
    options = dataclasses.replace(options, env_settings=dataclasses.replace(options.env_settings, num_envs=2))
    result = learn(LearnOptions(run_options=options, env=str(player), quiet=True, ray_envs=True))
    assert result.behaviors["3DBall"].steps >= 960
    logs = sorted((tmp_path / "results" / "run" / "run_logs").glob("env-*/Player-0.log"))
    assert [p.parent.name for p in logs] == ["env-0", "env-1"]
    assert all("1 area(s) of 12 agent(s)" in log.read_text() for log in logs)
    seeds = [int(re.search(r"seed (\d+)", log.read_text()).group(1)) for log in logs]
    assert seeds[1] == seeds[0] + 1  # actor i's player gets the run seed + i


def test_node_death_mid_training_retries_and_resumes_from_checkpoint(ray_cluster, tmp_path):
    """SIGKILL of the node training a real job: retried elsewhere, resumed, one version registered."""
    import ray

    victim = ray_cluster.add_node(1, '{"victim": 1}')
    # Hold the head's and n2's CPUs so the first attempt lands on the victim node; released after the kill.
    blockers = [ray.remote(num_cpus=1, resources={r: 0.01})(_Blocker).remote() for r in ("head", "n2")]
    ray.get([b.ready.remote() for b in blockers])
    job = TrainingJob.from_dict(
        {
            "job_id": "survivor",
            "asset_spec": ASSET,
            "rl_config": {
                "max_steps": 12_000,
                "num_envs": 4,
                "seed": 3,
                "evaluation_episodes": 4,
                # checkpoint.pt is rewritten every summary (1,000 steps): the kill lands after one exists
                "mlagents_overrides": {
                    "default_settings": {"summary_freq": 1000, "checkpoint_interval": 4000}
                },
            },
            "execution": {"executor": "ray", "max_retries": 2},
        }
    )
    orchestrator = UnityMLOpsOrchestrator(
        tmp_path, promotion_gate=PromotionGate(require_beats_baseline=False)
    )
    box = {}
    thread = threading.Thread(
        target=lambda: box.setdefault("r", asyncio.run(orchestrator.execute_training_job(job)))
    )
    thread.start()
    try:
        wait_for(
            lambda: ((orchestrator.get_job("survivor").progress or {}).get("step") or 0) >= 3000,
            420,
            "training progress on the victim node",
        )
        killed_at = orchestrator.get_job("survivor").progress["step"]
        victim.kill()
        for blocker in blockers:
            ray.kill(blocker)
        thread.join(timeout=600)
    finally:
        for blocker in blockers:
            ray.kill(blocker)
    result = box["r"]
    assert result.ok, result.error
    record = orchestrator.get_job("survivor")
    train = record.stage("train")
    assert train.runs == 2 and train.outputs["resumed_from_checkpoint"] is True
    assert train.outputs["execution"]["attempt"] == 2
    assert train.outputs["train/steps"] >= 12_000 and killed_at < 12_000
    assert record.stage("codegen").runs == 1 and record.stage("build").runs == 1  # finished stages kept
    versions = orchestrator.registry.list_versions("reach-001")
    assert len(versions) == 1 and versions[0].job_id == "survivor"
    metadata = json.loads((tmp_path / "jobs/survivor/attempt-1/package/metadata.json").read_text())
    assert metadata["execution"]["attempt"] == 2 and metadata["execution"]["executor"] == "ray"
    shown = CliRunner().invoke(app, ["jobs", "show", "survivor", "-w", str(tmp_path)])
    assert "(ran 2x)" in shown.output and "(Ray attempt 2)" in shown.output


class _Blocker:
    """An actor that holds one CPU of a node until killed."""

    def ready(self) -> bool:
        return True
