"""One sweep trial, run where the executor puts it (this process, a worker process or a Ray task).

The worker opens the study from its RDB storage itself, so it can report the trainer's intermediate mean
reward to Optuna and ask the pruner after every summary; the driver only asks for trials and tells results.
A pruned trial's job is cancelled through the job store (the trainer stops at its next safe point).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..cluster.ray_runtime import node_name
from ..errors import PipelineError, StoreError
from ..orchestrator import stages as pipeline_stages  # module, not name: tests replace default_stages
from ..orchestrator.pipeline import UnityMLOpsOrchestrator
from ..orchestrator.states import RunState
from ..specs import TrainingJob
from .spec import PrunerSpec
from .storage import rdb_storage

log = logging.getLogger(__name__)

TRIAL_STAGES = ("codegen", "build", "train", "evaluate", "package")
"""The stages a trial runs: everything up to a packaged, evaluated model. Registration is the sweep's job
(only the best trial's model is registered), and so is the notification."""


class TrialStatus(str, Enum):
    """How a trial ended (Optuna's ``TrialState`` for finished trials)."""

    COMPLETE = "complete"
    PRUNED = "pruned"
    FAILED = "failed"


@dataclass(frozen=True)
class TrialTask:
    """Everything a worker needs to run one trial (picklable: it crosses process and node boundaries)."""

    workspace: str
    """The sweep's workspace (job store, artifacts): shared by the driver and its workers."""
    storage_url: str
    """Optuna RDB storage URL of the study (``sqlite:///<workspace>/sweeps/<id>/study.db``)."""
    study_name: str
    """The study (= sweep id)."""
    trial_id: int
    """Optuna's trial id (unique in the storage)."""
    number: int
    """Optuna's trial number (0, 1, … in the study)."""
    job: dict[str, Any]
    """The trial's ``TrainingJob.to_dict()``."""
    metric: str
    """The objective metric read from the finished job."""
    pruner: dict[str, Any]
    """``PrunerSpec.to_dict()``: the worker's study must prune like the driver's."""
    resume: bool = False
    """Resume the job (an interrupted trial of a killed sweep) instead of starting it."""
    stages: Sequence[Any] | None = None
    """Stages to run instead of the real ones (tests); None = the real ``TRIAL_STAGES``."""


@dataclass(frozen=True)
class TrialOutcome:
    """What a worker hands back to the driver."""

    trial_id: int
    number: int
    job_id: str
    status: TrialStatus
    value: float | None = None
    """The objective (``metric`` of the finished job), for a complete trial."""
    metrics: dict[str, Any] = field(default_factory=dict)
    """The job's metrics."""
    error: str | None = None
    """Why it failed or was pruned."""
    node: str = ""
    """Where it ran (host name, plus the Ray node id on Ray)."""
    last_step: int | None = None
    """The last training step reported to Optuna."""


RUNNING_POLL_S = 2.0
"""How often a resumed trial looks at a job another process still runs."""

_STORAGES: dict[tuple[str, int], Any] = {}
"""One RDB storage per study file and process: opening one checks the schema (~0.7 s), and a worker runs many
trials. Keyed by the file's inode too, so a study database deleted and made again is not served stale."""


def _storage(url: str) -> Any:
    try:
        key = (url, os.stat(url.removeprefix("sqlite:///")).st_ino)
    except OSError:
        return rdb_storage(url)
    if key not in _STORAGES:
        _STORAGES[key] = rdb_storage(url)
    return _STORAGES[key]


def _stages(task: TrialTask) -> list[Any]:
    if task.stages is not None:
        return list(task.stages)

    return [s for s in pipeline_stages.default_stages() if s.name in TRIAL_STAGES]


def _resume(orchestrator: Any, job: Any) -> Any:
    # A trial interrupted with its sweep: continue its job from the last finished stage and checkpoint. The
    # job may not exist yet (killed before it started) or may have finished (killed before the result was
    # told to the study).

    try:
        record = orchestrator.get_job(job.job_id)
    except StoreError:
        return asyncio.run(orchestrator.execute_training_job(job))
    while record.state in (RunState.RUNNING, RunState.QUEUED):
        # A worker of the killed driver still finishing it (pool workers end after their current task):
        # let it, the store reports it interrupted if that process dies instead.
        time.sleep(RUNNING_POLL_S)
        record = orchestrator.get_job(job.job_id)
    if record.state is RunState.SUCCEEDED:
        return orchestrator.job_result(job.job_id)
    return asyncio.run(orchestrator.resume_job(job.job_id))


def run_trial(task: TrialTask) -> TrialOutcome:
    """Run one trial's job through the orchestrator, reporting intermediate rewards and pruning.

    Args:
        task: the trial.

    Returns:
        The outcome: complete with the objective value, pruned, or failed with the error (never raises for
        a failing job: the driver records the failure in the study).

    """
    import optuna  # optional

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    job = TrainingJob.from_dict(task.job)
    study = optuna.load_study(
        study_name=task.study_name,
        storage=_storage(task.storage_url),
        pruner=PrunerSpec(**task.pruner).build(),
    )
    trial = optuna.trial.Trial(study, task.trial_id)
    state = {"last_step": None, "pruned": False}
    orchestrator: UnityMLOpsOrchestrator | None = None

    def on_progress(update: Any) -> None:
        # The trainer's summaries carry the mean reward of the episodes finished since the previous one;
        # summaries without a finished episode carry None and are skipped.
        if update.stage != "train" or update.step is None or update.mean_reward is None or state["pruned"]:
            return
        if not math.isfinite(update.mean_reward) or (state["last_step"] or -1) >= update.step:
            return
        state["last_step"] = int(update.step)
        try:
            trial.report(float(update.mean_reward), int(update.step))
            prune = trial.should_prune()
        except Exception as exc:  # noqa: BLE001 - a storage hiccup must not kill the training run
            log.warning("trial %s: could not report to the study: %s", task.number, exc)
            return
        if prune and orchestrator is not None:
            state["pruned"] = True
            orchestrator.cancel_job(job.job_id)

    node = node_name()
    try:
        orchestrator = UnityMLOpsOrchestrator.from_env(
            task.workspace, stages=_stages(task), on_progress=on_progress
        )
        result = (
            _resume(orchestrator, job) if task.resume else asyncio.run(orchestrator.execute_training_job(job))
        )
    except PipelineError as exc:
        return TrialOutcome(
            task.trial_id, task.number, job.job_id, TrialStatus.FAILED, error=str(exc), node=node
        )
    finally:
        if orchestrator is not None:
            orchestrator.close(timeout_s=5.0)
    outcome = functools.partial(
        TrialOutcome,
        task.trial_id,
        task.number,
        job.job_id,
        metrics=dict(result.metrics),
        node=node,
        last_step=state["last_step"],
    )
    if state["pruned"] and result.status is RunState.CANCELLED:
        return outcome(TrialStatus.PRUNED, error=f"pruned at step {state['last_step']}")
    if not result.ok:
        return outcome(TrialStatus.FAILED, error=result.error)
    value = result.metrics.get(task.metric)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return outcome(
            TrialStatus.FAILED,
            error=f"the job has no finite '{task.metric}' (metrics: {', '.join(sorted(result.metrics))})",
        )
    return outcome(TrialStatus.COMPLETE, value=float(value))
