"""run_sweep with fake stages: TPE search, pruning, parallel processes, resume after a kill, registration."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import optuna
import pytest

from mlops_unity_pipeline.errors import SpecError, StoreError
from mlops_unity_pipeline.orchestrator.jobs import JobStore
from mlops_unity_pipeline.registry.local import LocalRegistry
from mlops_unity_pipeline.store.artifacts import ArtifactStore
from mlops_unity_pipeline.sweep import SweepSpec, open_study, run_sweep, sweep_dir

from .fakes import BEST_LR, calls, fake_stages

ROOT = Path(__file__).resolve().parents[2]
ASSET = {"asset_id": "reach-001", "name": "ReachAgent", "description": "Reach a target position"}


def make_spec(**extra) -> SweepSpec:
    data = {
        "sweep_id": "lr",
        "asset_spec": ASSET,
        "search_space": {
            "hyperparameters.learning_rate": {"type": "float", "low": 1e-5, "high": 1e-1, "log": True}
        },
        "n_trials": 4,
        "seed": 3,
        "pruner": {"kind": "none"},
    }
    data.update(extra)
    return SweepSpec.from_dict(data)


def registry(ws: Path) -> LocalRegistry:
    return LocalRegistry(ws / "registry", ArtifactStore(ws / "artifacts"))


def test_sweep_runs_trials_as_jobs_and_registers_the_best_as_candidate(tmp_path):
    """Every trial is a job in the store; the best trial's model is registered once, with its lineage."""
    events = []
    result = run_sweep(make_spec(), tmp_path, stages=fake_stages(sleep_s=0.0), on_event=events.append)
    assert result.counts == {"complete": 4}
    assert [e.kind for e in events] == ["started", "finished"] * 4
    store = JobStore(tmp_path / "pipeline.db")
    jobs = {r.job_id: r for r in store.list()}
    assert set(jobs) == {f"lr-t{n:04d}" for n in range(4)}
    assert all(r.state.value == "succeeded" for r in jobs.values())
    best = max(result.trials, key=lambda t: t.value)
    assert result.best == best
    # the job actually trained with the trial's parameter
    spec = jobs[best.job_id].spec["rl_config"]["mlagents_overrides"]["default_settings"]
    assert spec["hyperparameters"]["learning_rate"] == best.params["hyperparameters.learning_rate"]
    version = registry(tmp_path).get_version("reach-001", result.registered_version)
    assert version.job_id == best.job_id and "candidate" in version.aliases
    assert version.metrics["sweep/trial"] == best.number and version.metrics["eval/mean_reward"] == best.value
    assert len(registry(tmp_path).list_versions("reach-001")) == 1
    # the report: table, history and importance plots, self-contained HTML
    assert set(result.report) >= {"trials_csv", "history_png", "html"}
    assert Path(result.report["history_png"]).read_bytes()[:4] == b"\x89PNG"
    html = Path(result.report["html"]).read_text()
    assert "data:image/png;base64," in html and best.job_id in html
    assert len(Path(result.report["trials_csv"]).read_text().splitlines()) == 5


def test_seeded_tpe_is_reproducible_and_finds_the_optimum(tmp_path):
    """The same seed proposes the same trials; 12 TPE trials get within 0.25 decade of the known optimum."""
    runs = [
        run_sweep(
            make_spec(n_trials=12, seed=0),
            tmp_path / f"ws{i}",
            stages=fake_stages(steps=1, sleep_s=0.0),
            register=False,
            report=False,
        )
        for i in range(2)
    ]
    assert [t.params for t in runs[0].trials] == [t.params for t in runs[1].trials]
    study = open_study(make_spec(n_trials=12, seed=0), tmp_path / "ws0")
    assert type(study.sampler).__name__ == "TPESampler"
    best_lr = runs[0].best.params["hyperparameters.learning_rate"]
    assert abs(math.log10(best_lr / BEST_LR)) < 0.25


def test_bad_trials_are_pruned_on_intermediate_reward(tmp_path):
    """A trial reporting rewards far below the median is pruned: its job is cancelled mid-training."""
    spec = make_spec(n_trials=3, pruner={"kind": "median", "startup_trials": 2, "warmup_steps": 100})
    result = run_sweep(spec, tmp_path, stages=fake_stages(steps=12, sleep_s=0.15, bad=(2,)), report=True)
    states = {t.number: t.state for t in result.trials}
    assert states == {0: "complete", 1: "complete", 2: "pruned"}
    pruned = result.trials[2]
    assert pruned.intermediate and max(pruned.intermediate) < 1200  # stopped before the last summary
    record = JobStore(tmp_path / "pipeline.db").get("lr-t0002")
    assert record.state.value == "cancelled" and record.stage("evaluate") is None


def test_parallel_trials_run_in_worker_processes(tmp_path):
    """parallelism 2 runs trials in two spawned processes at once, all in the same study and job store."""
    spec = make_spec(n_trials=4, parallelism=2)
    result = run_sweep(
        spec, tmp_path, stages=fake_stages(steps=4, sleep_s=0.25), register=False, report=False
    )
    assert result.counts == {"complete": 4}
    store = JobStore(tmp_path / "pipeline.db")
    records = [store.get(t.job_id) for t in result.trials]
    assert len({r.pid for r in records}) >= 2 and os.getpid() not in {r.pid for r in records}
    spans = sorted((r.started_at, r.finished_at) for r in records)
    assert any(b[0] < a[1] for a, b in zip(spans, spans[1:], strict=False))  # two trials overlapped


def test_killed_sweep_resumes_without_repeating_finished_trials(tmp_path):
    """SIGKILL mid-trial: the rerun keeps finished trials, resumes the interrupted job, registers once."""
    script = (
        "from tests.sweep.test_runner import make_spec; from tests.sweep.fakes import fake_stages;"
        "from mlops_unity_pipeline.sweep import run_sweep;"
        f"run_sweep(make_spec(n_trials=3), {str(tmp_path)!r}, stages=fake_stages(sleep_s=0.0, hang_on=(1,)))"
    )
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while calls(tmp_path, "lr-t0001", "train") == 0:
            assert proc.poll() is None and time.monotonic() < deadline, "trial 1 never started"
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    result = run_sweep(make_spec(n_trials=3), tmp_path, stages=fake_stages(sleep_s=0.0, hang_on=(1,)))
    assert result.counts == {"complete": 3}
    # trial 1 was queued again as trial 2 and resumed job lr-t0001; the next new trial is number 3
    numbers = [(t.number, t.job_id) for t in result.trials]
    assert numbers == [(0, "lr-t0000"), (2, "lr-t0001"), (3, "lr-t0003")]
    assert calls(tmp_path, "lr-t0000", "train") == 1  # finished trial not repeated
    assert calls(tmp_path, "lr-t0001", "train") == 2  # interrupted trial's job resumed
    record = JobStore(tmp_path / "pipeline.db").get("lr-t0001")
    runs = {s.name: s.runs for s in record.stages}
    assert runs["codegen"] == 1 and runs["build"] == 1 and runs["train"] == 2
    assert len(registry(tmp_path).list_versions("reach-001")) == 1
    # a third run with nothing left to do changes nothing and registers nothing new
    again = run_sweep(make_spec(n_trials=3), tmp_path, stages=fake_stages(sleep_s=0.0))
    assert again.registered_version == result.registered_version
    assert len(registry(tmp_path).list_versions("reach-001")) == 1


def test_more_trials_on_resume_and_changed_definition_is_refused(tmp_path):
    """Raising n_trials adds trials to the same study; changing the search space is a clear error."""
    run_sweep(make_spec(n_trials=2), tmp_path, stages=fake_stages(sleep_s=0.0), register=False, report=False)
    result = run_sweep(
        make_spec(n_trials=3), tmp_path, stages=fake_stages(sleep_s=0.0), register=False, report=False
    )
    assert len(result.trials) == 3
    changed = make_spec(search_space={"hyperparameters.beta": {"type": "float", "low": 1e-4, "high": 1e-2}})
    with pytest.raises(SpecError, match="different search_space"):
        run_sweep(changed, tmp_path, stages=fake_stages())


def test_second_driver_on_the_same_sweep_is_refused(tmp_path):
    """Two drivers on one sweep would double its trials: the second gets a StoreError naming the holder."""
    from mlops_unity_pipeline.sweep.runner import sweep_lock

    folder = sweep_dir(tmp_path, "lr")
    folder.mkdir(parents=True)
    with sweep_lock(folder / "sweep.lock"), pytest.raises(StoreError, match="already running"):
        run_sweep(make_spec(), tmp_path, stages=fake_stages())


def test_failing_trial_is_recorded_and_the_sweep_goes_on(tmp_path):
    """A trial whose job fails is a failed trial with the error; the others still complete."""
    from mlops_unity_pipeline.errors import TrainError
    from mlops_unity_pipeline.orchestrator.protocol import FakeStage

    stages = fake_stages(sleep_s=0.0)
    stages[2] = FakeStage("train", error=TrainError("diverged"))
    result = run_sweep(make_spec(n_trials=2), tmp_path, stages=stages)
    assert result.counts == {"failed": 2} and result.best is None and result.registered_version is None
    assert all("diverged" in t.error for t in result.trials)
    study = open_study(make_spec(n_trials=2), tmp_path)
    assert {t.state for t in study.trials} == {optuna.trial.TrialState.FAIL}
    assert json.loads((sweep_dir(tmp_path, "lr") / "sweep.json").read_text())["sweep_id"] == "lr"


def test_trial_without_the_objective_metric_fails_naming_it_and_the_metrics_it_has(tmp_path):
    """A job that succeeds without a finite objective is a failed trial naming the metric it lacked."""
    spec = make_spec(n_trials=1, metric="eval/no_such_metric")
    result = run_sweep(spec, tmp_path, stages=fake_stages(sleep_s=0.0), register=False, report=False)
    assert result.counts == {"failed": 1} and result.best is None
    error = result.trials[0].error
    assert "no finite 'eval/no_such_metric'" in error and "eval/mean_reward" in error


def test_resumed_trial_waits_for_a_job_still_running_elsewhere(tmp_path, monkeypatch):
    """A requeued trial whose job another worker still runs waits for it instead of failing or re-running."""
    import asyncio
    import threading

    from mlops_unity_pipeline.orchestrator import UnityMLOpsOrchestrator
    from mlops_unity_pipeline.sweep import trial as trial_module

    monkeypatch.setattr(trial_module, "RUNNING_POLL_S", 0.1)
    job = make_spec().trial_job(0, {"hyperparameters.learning_rate": 1e-3})
    first = UnityMLOpsOrchestrator(tmp_path, stages=fake_stages(steps=4, sleep_s=0.3))
    thread = threading.Thread(target=lambda: asyncio.run(first.execute_training_job(job)))
    thread.start()
    deadline = time.monotonic() + 30
    while not (tmp_path / "calls").exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    second = UnityMLOpsOrchestrator(tmp_path, stages=fake_stages(sleep_s=0.0))
    result = trial_module._resume(second, job)
    thread.join(timeout=30)
    assert result.ok and result.metrics["eval/mean_reward"] == 0.0
    assert calls(tmp_path, job.job_id, "train") == 1
