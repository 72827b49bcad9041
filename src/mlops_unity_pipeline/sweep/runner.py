"""``run_sweep``: the driver of a sweep — asks Optuna for trials, dispatches them, tells results, registers.

The study lives in ``<workspace>/sweeps/<sweep_id>/study.db`` (Optuna's RDB storage on SQLite), so a killed
sweep resumes where it stopped: finished trials are kept, trials that were running are re-queued with their
parameters and their jobs resume from the last finished stage and training checkpoint. Trials run through
the orchestrator without the register stage; at the end the best trial's packaged model is registered once,
which moves ``candidate`` to it, and the registry's promotion gate decides whether it becomes ``champion``.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SpecError, StoreError
from ..orchestrator.outputs import EvaluateOutput, PackageOutput, TrainOutput
from ..orchestrator.pipeline import UnityMLOpsOrchestrator, stage_outputs
from ..store.files import ensure_writable_dir, write_json_atomic
from ..store.pidlock import PidLock
from .executors import make_executor
from .report import write_report
from .spec import Direction, SamplerKind, SweepSpec
from .storage import rdb_storage, require_optuna
from .trial import TrialOutcome, TrialStatus, TrialTask, run_trial

log = logging.getLogger(__name__)

_INTERRUPTED = "interrupted"
"""User attribute of a trial that was running when its sweep died (not counted as finished)."""


@dataclass(frozen=True)
class TrialRecord:
    """One trial as the study holds it."""

    number: int
    state: str
    """``complete``, ``pruned``, ``failed``, ``running`` or ``waiting``."""
    value: float | None
    params: dict[str, Any]
    job_id: str | None
    node: str | None = None
    error: str | None = None
    duration_s: float | None = None
    intermediate: dict[int, float] = field(default_factory=dict)
    """Step -> reported mean reward."""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        out = dataclasses.asdict(self)
        out["intermediate"] = {str(k): v for k, v in self.intermediate.items()}
        return out


@dataclass(frozen=True)
class SweepEvent:
    """A progress event of a running sweep (the CLI prints one line per event)."""

    kind: str
    """``started`` or ``finished``."""
    number: int
    job_id: str
    params: dict[str, Any]
    done: int
    """Trials finished so far (this one included for ``finished``)."""
    total: int
    outcome: TrialOutcome | None = None


@dataclass(frozen=True)
class SweepResult:
    """What ``run_sweep`` returns."""

    sweep_id: str
    study_path: str
    trials: tuple[TrialRecord, ...]
    best: TrialRecord | None
    """The best complete trial (None when no trial completed)."""
    registered_version: int | None = None
    """The registry version of the best trial's model."""
    promoted: bool = False
    """Whether that version passed the promotion gate (champion), else it is the candidate."""
    report: dict[str, str] = field(default_factory=dict)
    """Report files: ``html``, ``trials_csv``, ``history_png``, ``importance_png`` (when computable)."""

    @property
    def counts(self) -> dict[str, int]:
        """Trials per state."""
        out: dict[str, int] = {}
        for trial in self.trials:
            out[trial.state] = out.get(trial.state, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "sweep_id": self.sweep_id,
            "study_path": self.study_path,
            "counts": self.counts,
            "best": self.best.to_dict() if self.best else None,
            "registered_version": self.registered_version,
            "promoted": self.promoted,
            "report": dict(self.report),
            "trials": [t.to_dict() for t in self.trials],
        }


def sweep_lock(path: Path) -> PidLock:
    """Return the lock that keeps one driver per sweep: ``<sweep_dir>/sweep.lock`` (dropped when it dies).

    Args:
        path: the lock file.

    Returns:
        The (not yet taken) lock; ``with`` takes it and raises ``StoreError`` naming the holder's pid.

    """
    return PidLock(path, lambda holder: f"sweep is already running (pid {holder}, lock {path})")


def sweep_dir(workspace: Path | str, sweep_id: str) -> Path:
    """Return ``<workspace>/sweeps/<sweep_id>`` (the study, the spec, the report)."""
    return Path(workspace) / "sweeps" / sweep_id


def storage_url(path: Path) -> str:
    """Return the SQLAlchemy URL of the study database at ``path``."""
    return f"sqlite:///{path.resolve()}"


def _sampler(optuna: Any, spec: SweepSpec) -> Any:
    if spec.sampler is SamplerKind.RANDOM:
        return optuna.samplers.RandomSampler(seed=spec.seed)
    # TPE needs a few random trials to model from: Optuna's 10 would make a short sweep pure random search,
    # so a quarter of the trials (2-10) start it. constant_liar keeps parallel workers from proposing the
    # same point while earlier trials still run (Optuna's advice for distributed TPE).
    startup = min(10, max(2, spec.n_trials // 4))
    return optuna.samplers.TPESampler(seed=spec.seed, n_startup_trials=startup, constant_liar=True)


def open_study(spec: SweepSpec, workspace: Path | str) -> Any:
    """Create the sweep's study, or load it when it exists with the same identity.

    Args:
        spec: the sweep.
        workspace: the workspace folder.

    Returns:
        The ``optuna.Study``.

    Raises:
        MissingExtraError: when Optuna is not installed.
        SpecError: when the sweep exists with a different job, search space, objective, sampler or pruner.

    """
    optuna = require_optuna()
    folder = ensure_writable_dir(sweep_dir(workspace, spec.sweep_id), f"sweep folder of {spec.sweep_id}")
    spec_path = folder / "sweep.json"
    identity = spec.study_identity()
    if spec_path.is_file():
        try:
            stored = json.loads(spec_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"{spec_path}: unreadable sweep record: {exc}") from None
        if stored.get("identity") != identity:
            changed = sorted(k for k in identity if stored.get("identity", {}).get(k) != identity[k])
            raise SpecError(
                f"sweep '{spec.sweep_id}' already exists in this workspace with a different "
                f"{', '.join(changed)}; resume it unchanged (only n_trials, parallelism and executor may "
                "change) or choose a new sweep_id"
            )
    else:
        write_json_atomic(spec_path, {"sweep_id": spec.sweep_id, "identity": identity})
    direction = "maximize" if spec.direction is Direction.MAXIMIZE else "minimize"
    return optuna.create_study(
        storage=rdb_storage(storage_url(folder / "study.db")),
        study_name=spec.sweep_id,
        direction=direction,
        sampler=_sampler(optuna, spec),
        pruner=spec.pruner.build(),
        load_if_exists=True,
    )


def _requeue_interrupted(study: Any) -> int:
    """Fail the trials a dead driver left running and queue their parameters again; return how many."""
    from optuna.trial import TrialState  # optional

    count = 0
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        study._storage.set_trial_user_attr(trial._trial_id, _INTERRUPTED, True)  # noqa: SLF001 - public API has no by-id setter
        study.tell(trial.number, state=TrialState.FAIL, skip_if_finished=True)
        job_id = trial.user_attrs.get("job_id")
        study.enqueue_trial(dict(trial.params), user_attrs={"resume_job_id": job_id} if job_id else {})
        count += 1
    return count


def _finished(study: Any) -> int:
    from optuna.trial import TrialState  # optional

    done = 0
    for trial in study.get_trials(deepcopy=False):
        if trial.state in (TrialState.COMPLETE, TrialState.PRUNED):
            done += 1
        elif trial.state is TrialState.FAIL and not trial.user_attrs.get(_INTERRUPTED):
            done += 1
    return done


def trial_records(study: Any) -> tuple[TrialRecord, ...]:
    """Return the study's trials as records (interrupted-and-requeued ones left out)."""
    records = []
    for t in study.get_trials(deepcopy=False):
        if t.user_attrs.get(_INTERRUPTED):
            continue
        duration = None
        if t.datetime_start is not None and t.datetime_complete is not None:
            duration = round((t.datetime_complete - t.datetime_start).total_seconds(), 3)
        records.append(
            TrialRecord(
                number=t.number,
                state="failed" if t.state.name == "FAIL" else t.state.name.lower(),
                value=t.value,
                params=dict(t.params),
                job_id=t.user_attrs.get("job_id"),
                node=t.user_attrs.get("node"),
                error=t.user_attrs.get("error"),
                duration_s=duration,
                intermediate={int(k): float(v) for k, v in t.intermediate_values.items()},
            )
        )
    return tuple(records)


def run_sweep(
    spec: SweepSpec,
    workspace: Path | str = "./artifacts",
    *,
    on_event: Callable[[SweepEvent], None] | None = None,
    stages: Sequence[Any] | None = None,
    register: bool = True,
    report: bool = True,
    executor: Any | None = None,
) -> SweepResult:
    """Run (or resume) a sweep until ``spec.n_trials`` trials have finished, then register the best.

    Args:
        spec: the sweep.
        workspace: the workspace (job store, artifacts, registry, ``sweeps/``).
        on_event: called when a trial starts and when it finishes.
        stages: stages for the trial jobs instead of the real ones (tests; must be picklable for processes).
        register: register the best trial's model (candidate; the gate decides champion).
        report: write the report (trials CSV, plots, HTML) under ``sweeps/<id>/report``.
        executor: a ``TaskExecutor`` to use instead of the one ``spec.executor`` names.

    Returns:
        The sweep's result: every trial, the best one, its registry version and the report's files.

    Raises:
        MissingExtraError: without Optuna (``[sweep]``), or Ray for ``executor: ray`` (``[ray]``).
        SpecError: when the sweep exists with a different definition.
        StoreError: when another driver runs this sweep, or the workspace is unwritable.

    """
    from optuna.trial import TrialState  # optional

    require_optuna()
    workspace = Path(workspace)
    folder = ensure_writable_dir(sweep_dir(workspace, spec.sweep_id), f"sweep folder of {spec.sweep_id}")
    with sweep_lock(folder / "sweep.lock"):
        study = open_study(spec, workspace)
        requeued = _requeue_interrupted(study)
        if requeued:
            log.info("sweep %s: %d interrupted trial(s) queued again", spec.sweep_id, requeued)
        url = storage_url(folder / "study.db")
        pool = executor or make_executor(spec.executor, spec.parallelism, spec.ray)
        running: dict[cf.Future[Any], tuple[Any, str, dict[str, Any]]] = {}
        try:
            while True:
                done = _finished(study)
                while len(running) < spec.parallelism and done + len(running) < spec.n_trials:
                    trial = study.ask()
                    params = {p.name: p.suggest(trial) for p in spec.search_space}
                    job = spec.trial_job(trial.number, params)
                    resume_id = trial.user_attrs.get("resume_job_id")
                    if resume_id:
                        job = dataclasses.replace(job, job_id=resume_id)
                    trial.set_user_attr("job_id", job.job_id)
                    task = TrialTask(
                        workspace=str(workspace.resolve()),
                        storage_url=url,
                        study_name=spec.sweep_id,
                        trial_id=trial._trial_id,  # noqa: SLF001 - the id the worker reopens the trial by
                        number=trial.number,
                        job=job.to_dict(),
                        metric=spec.metric,
                        pruner=spec.pruner.to_dict(),
                        resume=bool(resume_id),
                        stages=stages,
                    )
                    if on_event is not None:
                        on_event(SweepEvent("started", trial.number, job.job_id, params, done, spec.n_trials))
                    running[pool.submit(run_trial, task)] = (trial, job.job_id, params)
                if not running:
                    break
                finished, _ = cf.wait(list(running), return_when=cf.FIRST_COMPLETED)
                for future in finished:
                    trial, job_id, params = running.pop(future)
                    outcome = _outcome(future, trial, job_id)
                    _tell(study, trial, outcome, TrialState)
                    if on_event is not None:
                        on_event(
                            SweepEvent(
                                "finished",
                                trial.number,
                                job_id,
                                params,
                                _finished(study),
                                spec.n_trials,
                                outcome,
                            )
                        )
        finally:
            pool.shutdown()
        records = trial_records(study)
        best = _best(records, spec)
        version, promoted = (None, False)
        if register and best is not None:
            version, promoted = _register_best(spec, workspace, study, best)
        files: dict[str, str] = {}
        if report:
            files = write_report(spec, study, records, best, folder / "report")
        return SweepResult(
            sweep_id=spec.sweep_id,
            study_path=str(folder / "study.db"),
            trials=records,
            best=best,
            registered_version=version,
            promoted=promoted,
            report=files,
        )


def _outcome(future: cf.Future[Any], trial: Any, job_id: str) -> TrialOutcome:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a worker that died (or a Ray task out of retries) fails the trial
        return TrialOutcome(
            trial._trial_id,  # noqa: SLF001
            trial.number,
            job_id,
            TrialStatus.FAILED,
            error=f"the trial's worker failed: {type(exc).__name__}: {exc}",
        )


def _tell(study: Any, trial: Any, outcome: TrialOutcome, states: Any) -> None:
    if outcome.node:
        trial.set_user_attr("node", outcome.node)
    if outcome.error:
        trial.set_user_attr("error", outcome.error[:2000])
    if outcome.status is TrialStatus.COMPLETE:
        study.tell(trial, outcome.value)
    elif outcome.status is TrialStatus.PRUNED:
        study.tell(trial, state=states.PRUNED)
    else:
        study.tell(trial, state=states.FAIL)


def _best(records: Sequence[TrialRecord], spec: SweepSpec) -> TrialRecord | None:
    complete = [r for r in records if r.state == "complete" and r.value is not None]
    if not complete:
        return None
    sign = 1.0 if spec.direction is Direction.MAXIMIZE else -1.0
    # Ties go to the earlier trial (stable: a resumed sweep keeps its registered best).
    return max(complete, key=lambda r: (sign * float(r.value or 0.0), -r.number))


def _register_best(
    spec: SweepSpec, workspace: Path, study: Any, best: TrialRecord
) -> tuple[int | None, bool]:
    """Register the best trial's packaged model (idempotent: a resumed sweep does not register it twice)."""
    attrs = study.user_attrs
    if attrs.get("registered_job_id") == best.job_id and attrs.get("registered_version") is not None:
        return int(attrs["registered_version"]), bool(attrs.get("registered_promoted", False))
    orchestrator = UnityMLOpsOrchestrator.from_env(workspace, stages=())
    record = orchestrator.get_job(str(best.job_id))
    outputs = stage_outputs(record, str(orchestrator.store.path))
    package, evaluate, train = outputs.get("package"), outputs.get("evaluate"), outputs.get("train")
    if not isinstance(package, PackageOutput):
        log.warning(
            "sweep %s: best trial %s has no packaged model; nothing registered", spec.sweep_id, best.number
        )
        return None, False
    metrics = dict(evaluate.metrics) if isinstance(evaluate, EvaluateOutput) else {}
    if isinstance(train, TrainOutput):
        metrics.update(train.metrics)
    metrics["sweep/id"] = spec.sweep_id
    metrics["sweep/trial"] = best.number
    metrics["sweep/params"] = dict(best.params)
    version, promoted = orchestrator.registry.register(
        spec.asset_spec.asset_id,
        sha256=package.model_sha256,
        model_path=package.model_path,
        metrics=metrics,
        job_id=str(best.job_id),
        artifact_dir=package.package_dir,
        metadata_sha256=package.metadata_sha256,
    )
    study.set_user_attr("registered_job_id", best.job_id)
    study.set_user_attr("registered_version", version.version)
    study.set_user_attr("registered_promoted", bool(promoted))
    orchestrator.close(timeout_s=5.0)
    return version.version, bool(promoted)
