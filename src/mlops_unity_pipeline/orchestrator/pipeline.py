"""``UnityMLOpsOrchestrator``: runs a ``TrainingJob`` through its stages, persisting every state change.

Stages run one after another in a worker thread (they block: training is CPU-bound); the event loop stays
free, so several jobs run concurrently up to ``max_concurrent_jobs``. Each stage's outcome and outputs are
stored before the next starts, so ``resume_job`` continues from the last finished stage.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import (
    BuildError,
    CodegenError,
    ExportError,
    InvalidTransition,
    JobCancelled,
    LeaseLost,
    PipelineError,
    RegistryError,
    SpecError,
    StageError,
    StoreError,
    TrainError,
)
from ..notify import WebhookNotifier
from ..orchestrator.jobs import JobRecord, JobStore
from ..progress import ProgressEvent, default_display
from ..redact import install_redaction, redact
from ..registry.base import PromotionGate, RegistryMirror
from ..registry.env import registry_mirrors_from_env
from ..registry.local import LocalRegistry
from ..specs import Executor, TrainingJob, validate_id
from ..store.artifacts import ArtifactStore
from ..store.files import ensure_writable_dir
from . import stages as pipeline_stages  # module, not name: tests replace default_stages
from .notifications import JobNotifications
from .outputs import (
    EvaluateOutput,
    PackageOutput,
    RegisterOutput,
    StageOutput,
    TrainOutput,
    check_output,
    decode_output,
)
from .protocol import Services, Stage, StageContext
from .ray_jobs import run_remote_stages
from .states import RESUMABLE, RunState

log = logging.getLogger(__name__)

_STAGE_ERRORS: dict[str, type[StageError]] = {
    "codegen": CodegenError,
    "build": BuildError,
    "train": TrainError,
    "package": ExportError,
    "register": RegistryError,
}


@dataclass(frozen=True)
class JobResult:
    """What ``execute_training_job`` returns: the outcome, the model and where everything is."""

    job_id: str
    status: RunState
    """``succeeded``, ``failed`` or ``cancelled``."""
    model_path: str | None = None
    """The registered ONNX file (in the artifact store)."""
    model_sha256: str | None = None
    """Its sha256."""
    registry_version: int | None = None
    """The version number in the local registry."""
    promoted: bool = False
    """True when this version became the champion."""
    metrics: dict[str, Any] = field(default_factory=dict)
    """Evaluation and training metrics (``eval/mean_reward``, ``baseline/mean_reward``, ``train/steps`` …)."""
    paths: dict[str, str] = field(default_factory=dict)
    """``job_dir``, ``generated_code``, ``trainer_config``, ``results``, ``metadata``, ``report`` …"""
    stage_seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each stage that ran."""
    error: str | None = None
    """Why the job failed or was cancelled."""
    failed_stage: str | None = None
    """The stage that failed, when one did."""
    identical_to_job: str | None = None
    """Set when the trained model was byte-identical (sha256) to one an earlier job registered: no new
    version was made, and ``registry_version`` is that job's version."""

    @property
    def ok(self) -> bool:
        """True when the job succeeded."""
        return self.status is RunState.SUCCEEDED

    def raise_for_status(self) -> JobResult:
        """Return self when succeeded, else raise (like ``httpx.Response.raise_for_status``).

        Raises:
            JobCancelled: when the job was cancelled.
            StageError: the failed stage's error class (``TrainError`` for train …) when it failed.

        """
        if self.status is RunState.CANCELLED:
            raise JobCancelled(f"job {self.job_id} cancelled: {self.error}")
        if not self.ok:
            error_class = _STAGE_ERRORS.get(self.failed_stage or "", StageError)
            raise error_class(
                f"job {self.job_id} {self.status.value}: {self.error}",
                stage=self.failed_stage,
                run_id=self.job_id,
            )
        return self

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "job_id": self.job_id,
            "status": self.status.value,
            "model_path": self.model_path,
            "model_sha256": self.model_sha256,
            "registry_version": self.registry_version,
            "promoted": self.promoted,
            "metrics": self.metrics,
            "paths": self.paths,
            "stage_seconds": self.stage_seconds,
            "error": self.error,
            "failed_stage": self.failed_stage,
            "identical_to_job": self.identical_to_job,
        }

    def __str__(self) -> str:
        if not self.ok:
            where = f" in stage {self.failed_stage}" if self.failed_stage else ""
            return f"JobResult(job_id={self.job_id!r}, status={self.status.value}{where}: {self.error})"
        reward = self.metrics.get("eval/mean_reward")
        baseline = self.metrics.get("baseline/mean_reward")
        alias = "champion" if self.promoted else "candidate"
        if self.identical_to_job:
            alias += f", same model as job {self.identical_to_job}"
        scores = ""
        if isinstance(reward, (int, float)):
            scores = f", eval mean reward={reward:.3f}"
            if isinstance(baseline, (int, float)):
                scores += f" (random policy {baseline:.3f})"
        report = f", report={self.paths['report']!r}" if self.paths.get("report") else ""
        return (
            f"JobResult(job_id={self.job_id!r}, status={self.status.value}, "
            f"registry_version={self.registry_version} ({alias}){scores}, model_path={self.model_path!r}, "
            f"model_sha256={str(self.model_sha256)[:12]}…{report})"
        )


def stage_outputs(record: JobRecord, source: str = "pipeline.db") -> dict[str, StageOutput]:
    """Return the typed outputs a job's finished stages recorded, by stage name.

    Args:
        record: the job's record.
        source: the store, named in errors.

    Returns:
        The outputs of the stages that recorded any.

    Raises:
        StoreError: naming the store, the job and the stage, when a record does not load.

    """
    outputs: dict[str, StageOutput] = {}
    for stage in record.stages:
        output = decode_output(stage.name, stage.outputs, f"{source}, job '{record.job_id}'")
        if output is not None:
            outputs[stage.name] = output
    return outputs


def _typed(outputs: dict[str, StageOutput], kind: type[Any]) -> Any:
    found = outputs.get(kind.stage)
    return found if isinstance(found, kind) else None


def _result_from_record(record: JobRecord, source: str = "pipeline.db") -> JobResult:
    outputs = stage_outputs(record, source)
    package: PackageOutput | None = _typed(outputs, PackageOutput)
    register: RegisterOutput | None = _typed(outputs, RegisterOutput)
    evaluate: EvaluateOutput | None = _typed(outputs, EvaluateOutput)
    train: TrainOutput | None = _typed(outputs, TrainOutput)
    failed = next((s.name for s in record.stages if s.state in (RunState.FAILED, RunState.CANCELLED)), None)
    metrics: dict[str, Any] = dict(evaluate.metrics) if evaluate is not None else {}
    if train is not None:
        metrics.update(train.metrics)
    paths = {"job_dir": record.job_dir}
    for output in outputs.values():
        paths.update(output.paths)
    return JobResult(
        job_id=record.job_id,
        status=record.state,
        model_path=(register.model_path if register else None) or (package.model_path if package else None),
        model_sha256=package.model_sha256 if package else None,
        registry_version=register.version if register else None,
        promoted=register.promoted if register else False,
        metrics=metrics,
        paths=paths,
        stage_seconds={s.name: round(s.duration_s, 3) for s in record.stages if s.duration_s is not None},
        error=record.error,
        failed_stage=failed,
        identical_to_job=register.identical_to_job if register else None,
    )


class _Heartbeat:
    """Renews the owner's lease every ``interval_s`` in a daemon thread while a job is queued or runs.

    When the lease is lost (another process took the job over after it expired), ``lost`` is set: the running
    stage sees it as a cancel request and the job stops without writing anything more.
    """

    def __init__(self, store: JobStore, job_id: str, interval_s: float) -> None:
        self._stop = threading.Event()
        self.lost = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, args=(store, job_id, interval_s), daemon=True, name=f"heartbeat-{job_id}"
        )

    def _loop(self, store: JobStore, job_id: str, interval_s: float) -> None:
        while not self._stop.wait(interval_s):
            try:
                store.heartbeat(job_id)
            except LeaseLost as exc:
                log.warning("%s", exc)
                self.lost.set()
                return
            except PipelineError as exc:  # a busy or full store must not kill the job; the next beat retries
                log.warning("heartbeat of %s failed: %s", job_id, exc)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


class UnityMLOpsOrchestrator:
    """Runs training jobs through codegen → build → train → evaluate → package → register → notify.

    Everything lives under ``workspace_dir``: ``pipeline.db`` (jobs and stages, SQLite WAL),
    ``jobs/<job_id>/`` (generated code, build record, trainer config, results, package), ``artifacts/``
    (sha256-addressed models and
    metadata) and ``registry/`` (the local model registry).

    Args:
        workspace_dir: the workspace folder (created when missing; must be writable).
        max_concurrent_jobs: jobs running at once in this workspace (all processes sharing it); the others
            wait as ``queued``.
        registry_mirrors: external registries that follow the local one (``RegistryMirror``).
        notifier: an object with ``send(event, payload)``; default ``WebhookNotifier.from_env()``.
        promotion_gate: the champion rule (default: beat the champion's ``eval/mean_reward``).
        stages: the stages to run (default: the real ones); tests pass ``FakeStage`` s.
        on_progress: called with every ``ProgressEvent``; default ``"auto"``: a live ``rich`` display on a
            terminal, INFO log records (``mlops_unity_pipeline.progress``) otherwise; None: nothing.
        heartbeat_s: seconds between heartbeats of a running job.

    Raises:
        StoreError: when the workspace is not writable or its store is corrupt.

    """

    def __init__(
        self,
        workspace_dir: str | Path = "./artifacts",
        *,
        max_concurrent_jobs: int = 2,
        registry_mirrors: Sequence[RegistryMirror] = (),
        notifier: Any | None = None,
        promotion_gate: PromotionGate | None = None,
        stages: Sequence[Stage] | None = None,
        on_progress: Callable[[ProgressEvent], None] | str | None = "auto",
        heartbeat_s: float = 5.0,
    ) -> None:
        install_redaction()  # the orchestrator's logs never hold a configured secret (redact.py)
        if (
            isinstance(max_concurrent_jobs, bool)
            or not isinstance(max_concurrent_jobs, int)
            or max_concurrent_jobs < 1
        ):
            raise StoreError(f"max_concurrent_jobs: expected an integer >= 1, got {max_concurrent_jobs!r}")
        self.workspace = ensure_writable_dir(Path(workspace_dir), "workspace")
        self.store = JobStore(self.workspace / "pipeline.db", stale_after_s=max(60.0, heartbeat_s * 12))
        self.artifacts = ArtifactStore(self.workspace / "artifacts")
        self.registry = LocalRegistry(
            self.workspace / "registry", self.artifacts, mirrors=registry_mirrors, gate=promotion_gate
        )
        self.notifier = notifier if notifier is not None else _default_notifier()
        self.notifications = JobNotifications(self.notifier)
        self.max_concurrent_jobs = max_concurrent_jobs
        if on_progress == "auto":
            on_progress = default_display()
        elif isinstance(on_progress, str) or (on_progress is not None and not callable(on_progress)):
            raise SpecError(f"on_progress: expected a callable, 'auto' or None, got {on_progress!r}")
        self.on_progress: Callable[[ProgressEvent], None] | None = on_progress
        self.heartbeat_s = heartbeat_s
        self.slot_poll_s = 1.0
        if stages is None:
            stages = pipeline_stages.default_stages()
        self.stages: tuple[Stage, ...] = tuple(stages)
        self._semaphores: dict[int, asyncio.Semaphore] = {}

    @classmethod
    def from_env(cls, workspace_dir: str | Path = "./artifacts", **kwargs: Any) -> UnityMLOpsOrchestrator:
        """Build an orchestrator wired from the environment, as every CLI command does.

        ``MLFLOW_TRACKING_URI`` and ``MLOPS_VERTEX_STAGING_BUCKET`` add registry mirrors
        (``registry_mirrors_from_env``), ``MLOPS_WEBHOOK_URLS`` the webhook notifier. Keyword arguments
        are passed on (``on_progress=``, ``max_concurrent_jobs=`` …); an explicit ``registry_mirrors=``
        replaces the environment's.

        Args:
            workspace_dir: the workspace folder.
            **kwargs: other ``UnityMLOpsOrchestrator`` arguments.

        Returns:
            The orchestrator.

        Raises:
            MissingExtraError: when a configured mirror's extra is not installed.
            RegistryError: when a configured mirror lacks settings.
            StoreError: when the workspace is not writable.

        """
        if "registry_mirrors" not in kwargs:
            kwargs["registry_mirrors"] = registry_mirrors_from_env()
        return cls(workspace_dir, **kwargs)

    # --- public API -----------------------------------------------------------------------------------------

    def job_dir(self, job_id: str, attempt: int = 1) -> Path:
        """Return the folder of one attempt of a job: ``<workspace>/jobs/<job_id>/attempt-<n>``."""
        validate_id(job_id, "job_id")
        return self.workspace / "jobs" / job_id / f"attempt-{attempt}"

    async def execute_training_job(self, job: TrainingJob) -> JobResult:
        """Run a job end to end (a finished job with the same id starts a new attempt).

        Args:
            job: the job.

        Returns:
            The result: status, model path and sha256, registry version, metrics, paths. A failed or cancelled
            job returns a result with ``status`` and ``error`` set (``raise_for_status()`` raises).

        Raises:
            SpecError: when ``job`` is not a ``TrainingJob``.
            StoreError: when the store is unusable or a job with this id is running.

        """
        if not isinstance(job, TrainingJob):
            raise SpecError(f"execute_training_job: expected a TrainingJob, got {type(job).__name__}")
        record = self.store.create(job.job_id, job.to_dict(), lambda n: self.job_dir(job.job_id, n))
        return await self._run(job, record, resuming=False)

    async def resume_job(self, job_id: str) -> JobResult:
        """Continue an interrupted, failed or cancelled job from its last finished stage.

        The train stage resumes from the last training checkpoint when one exists.

        Args:
            job_id: the job.

        Returns:
            The result.

        Raises:
            StoreError: when there is no such job.
            InvalidTransition: when the job is running or already succeeded.

        """
        validate_id(job_id, "job_id")
        record = self.store.get(job_id)
        if record.state not in RESUMABLE:
            raise InvalidTransition(
                f"job '{job_id}' is {record.state.value}; only "
                f"{', '.join(sorted(s.value for s in RESUMABLE))} "
                "jobs can be resumed"
            )
        job = TrainingJob.from_dict(record.spec)
        record = self.store.transition(job_id, RunState.QUEUED)
        return await self._run(job, record, resuming=True)

    def cancel_job(self, job_id: str) -> JobRecord:
        """Ask a job to stop: a queued job is cancelled at once, a running one at its next safe point.

        Args:
            job_id: the job (running in this process or another one).

        Returns:
            The job's record after the request.

        """
        validate_id(job_id, "job_id")
        return self.store.request_cancel(job_id)

    def get_job(self, job_id: str) -> JobRecord:
        """Return a job's record (a job whose process died shows as ``interrupted``)."""
        validate_id(job_id, "job_id")
        return self.store.get(job_id)

    def list_jobs(self, state: RunState | None = None) -> list[JobRecord]:
        """Return all jobs, newest first."""
        return self.store.list(state)

    def job_result(self, job_id: str) -> JobResult:
        """Rebuild a job's result object from the store.

        Raises:
            StoreError: when there is no such job, or its stage records do not load (named).

        """
        return self._result(self.get_job(job_id))

    def close(self, timeout_s: float = 30.0) -> None:
        """Wait (bounded) for webhook deliveries still in flight, then close the notifier.

        Args:
            timeout_s: the most to wait; deliveries have their own ``max_total_s`` budget too. Nothing waits
                again at interpreter exit: undelivered events are dropped with a warning.

        """
        closer = getattr(self.notifier, "close", None) or getattr(self.notifier, "flush", None)
        if callable(closer):
            try:
                closer(timeout_s)
            except Exception as exc:  # a notifier is foreign code; closing must not fail
                log.warning("notifier close failed: %s", exc)

    # --- running --------------------------------------------------------------------------------------------

    def _semaphore(self) -> asyncio.Semaphore:
        # One semaphore per event loop: asyncio primitives bind to the loop that first waits on them.
        loop_id = id(asyncio.get_running_loop())
        if loop_id not in self._semaphores:
            self._semaphores[loop_id] = asyncio.Semaphore(self.max_concurrent_jobs)
        return self._semaphores[loop_id]

    async def _run(self, job: TrainingJob, record: JobRecord, *, resuming: bool) -> JobResult:
        # The lease is held from the moment the job is queued: a queued job whose process died is found
        # (dead pid, or an expired lease on another host) and ``jobs resume`` can take it over.
        with _Heartbeat(self.store, job.job_id, self.heartbeat_s) as heartbeat:
            return await self._run_owned(job, record, resuming=resuming, heartbeat=heartbeat)

    async def _run_owned(
        self, job: TrainingJob, record: JobRecord, *, resuming: bool, heartbeat: _Heartbeat
    ) -> JobResult:
        async with self._semaphore():
            while True:
                current = self.store.get(job.job_id)
                if current.state is RunState.CANCELLED:  # cancelled while it waited for a slot
                    return self._result(current)
                try:
                    started = self.store.try_start(job.job_id, self.max_concurrent_jobs)
                except LeaseLost as exc:  # another process resumed it while this one waited: it is theirs
                    log.warning("%s", exc)
                    return replace(self._result(self.store.get(job.job_id)), error=str(exc))
                if started is not None:
                    record = started
                    break
                # Other processes on this workspace hold every slot: wait as ``queued``.
                await asyncio.sleep(self.slot_poll_s)
            job_dir = Path(record.job_dir)
            try:
                ensure_writable_dir(job_dir, f"job folder of {job.job_id}")
            except StoreError as exc:
                self.store.transition(job.job_id, RunState.FAILED, error=str(exc))
                return self._result(self.store.get(job.job_id))
            self.notifications.started(job, attempt=record.attempt, resumed=resuming)
            work = asyncio.ensure_future(
                asyncio.to_thread(self._run_stages, job, record, resuming, heartbeat.lost)
            )
            try:
                await asyncio.shield(work)
            except asyncio.CancelledError:
                # Ctrl-C (asyncio.run cancels the main task) or a cancelled caller: a thread cannot be
                # killed, so ask the running stage to stop (training checkpoints first) and wait for it.
                self.store.request_cancel(job.job_id)
                await asyncio.wait([work])
                raise
            finish = getattr(self.on_progress, "finish", None)
            if callable(finish):  # a live display drops the job's row (and stops when none is left)
                try:
                    finish(job.job_id)
                except Exception as exc:  # a display bug must not fail the job
                    log.warning("progress display failed: %s", exc)
            final = self.store.get(job.job_id)
            result = self._result(final)
            lost = work.result()  # the LeaseLost that stopped the stages, when another process took over
            if lost is not None:
                return replace(result, error=str(lost))
            if final.state is RunState.FAILED:
                self.notifications.failed(job, stage=result.failed_stage, error=result.error)
            return result

    def _run_stages(
        self, job: TrainingJob, record: JobRecord, resuming: bool, lost: threading.Event
    ) -> LeaseLost | None:
        """Run the stages; return the ``LeaseLost`` that stopped them when another process took over."""
        job_id = job.job_id
        last_progress = [0.0]
        last_cancel_check = [0.0, False]

        def report_progress(update: ProgressEvent) -> None:
            if self.on_progress is not None:
                try:
                    self.on_progress(update)
                except Exception as exc:  # a display bug must not fail training
                    log.warning("progress callback failed: %s", exc)
            now = time.monotonic()
            if now - last_progress[0] >= 1.0:  # the store sees at most one progress write per second
                last_progress[0] = now
                try:
                    self.store.set_progress(job_id, update.to_dict())
                except PipelineError as exc:
                    log.warning("could not store progress of %s: %s", job_id, exc)

        def cancel_requested() -> bool:
            if lost.is_set():  # the lease was taken over: stop at the next safe point, write nothing more
                return True
            now = time.monotonic()
            if now - float(last_cancel_check[0]) >= 0.5:  # polled from the training loop: keep it cheap
                last_cancel_check[0] = now
                try:
                    last_cancel_check[1] = self.store.cancel_requested(job_id)
                except PipelineError:
                    pass
            return bool(last_cancel_check[1])

        ctx = StageContext(
            job=job,
            job_dir=Path(record.job_dir),
            workspace=self.workspace,
            resuming=resuming,
            services=Services(
                artifacts=self.artifacts,
                registry=self.registry,
                store=self.store,
                notifications=self.notifications,
            ),
            report_progress=report_progress,
            cancel_requested=cancel_requested,
        )
        if job.execution.resolved_executor() is Executor.RAY:
            # Jobs on Ray (ray_jobs.py): the compute stages run as one Ray task, recorded here as they happen;
            # register and notify then run below, on the driver that owns the registry.

            try:
                if not run_remote_stages(self, job, record, resuming, report_progress, cancel_requested):
                    return
            except PipelineError as exc:  # Ray not installed or the cluster unreachable: the job fails, named
                self.store.transition(job_id, RunState.FAILED, error=f"ray: {exc}")
                return
            record = self.store.get(job_id)
            resuming = True  # the loop below skips the stages the Ray task finished
        finished = {s.name: s for s in record.stages if s.state in (RunState.SUCCEEDED, RunState.SKIPPED)}
        for position, stage in enumerate(self.stages):
            done = finished.get(stage.name) if resuming else None
            if done is not None:
                try:
                    restored = decode_output(stage.name, done.outputs, self._source(job_id))
                except StoreError as exc:  # an old or edited record: the job fails, naming it
                    self._finish_stage_quietly(job_id, stage.name, RunState.FAILED, str(exc))
                    self.store.transition(job_id, RunState.FAILED, error=f"{stage.name}: {exc}")
                    return None
                if restored is not None:
                    ctx.outputs[stage.name] = restored
                if done.duration_s is not None:
                    ctx.stage_seconds[stage.name] = done.duration_s
                continue
            try:
                ctx.check_cancelled()
                self.store.stage_started(job_id, stage.name, position)
                report_progress(
                    ProgressEvent(job_id=job_id, stage=stage.name, message=f"{stage.name} started")
                )
                started = time.monotonic()
                result = stage.run(ctx)
                ctx.stage_seconds[stage.name] = time.monotonic() - started
                check_output(stage.name, result.output)
                if result.output is not None:
                    ctx.outputs[stage.name] = result.output
                self.store.stage_finished(
                    job_id,
                    stage.name,
                    RunState.SKIPPED if result.skipped else RunState.SUCCEEDED,
                    outputs=result.output.to_dict() if result.output is not None else {},
                )
            except LeaseLost as exc:
                log.warning("job %s stopped in stage %s: %s", job_id, stage.name, exc)
                return exc
            except JobCancelled as exc:
                try:
                    self.store.stage_finished(job_id, stage.name, RunState.CANCELLED, error=str(exc))
                    self.store.transition(job_id, RunState.CANCELLED, error=f"cancelled during {stage.name}")
                except LeaseLost as lease:  # the "cancel" was the lost lease: the new owner runs the job
                    log.warning("job %s stopped in stage %s: %s", job_id, stage.name, lease)
                    return lease
                return None
            except BaseException as exc:  # noqa: BLE001 - every failure is recorded before it propagates or ends
                message = str(exc) if isinstance(exc, PipelineError) else f"{type(exc).__name__}: {exc}"
                message = redact(message)  # the job store, result and console never see a secret (redact.py)
                if not isinstance(exc, PipelineError):
                    self._write_traceback(Path(record.job_dir), stage.name)
                self._finish_stage_quietly(job_id, stage.name, RunState.FAILED, message)
                try:
                    self.store.transition(job_id, RunState.FAILED, error=f"{stage.name}: {message}")
                except PipelineError as store_exc:
                    log.error("could not record the failure of %s: %s", job_id, store_exc)
                if not isinstance(exc, Exception):
                    raise  # KeyboardInterrupt / SystemExit still stop the process
                return None
        try:
            self.store.transition(
                job_id, RunState.SUCCEEDED, result={"stages": [s.name for s in self.stages]}
            )
        except LeaseLost as exc:
            return exc
        return None

    def _source(self, job_id: str) -> str:
        return f"{self.store.path}, job '{job_id}'"

    def _result(self, record: JobRecord) -> JobResult:
        return _result_from_record(record, str(self.store.path))

    def _finish_stage_quietly(self, job_id: str, stage: str, state: RunState, error: str) -> None:
        try:
            self.store.stage_finished(job_id, stage, state, error=error)
        except PipelineError as exc:  # LeaseLost too: the new owner's records are not this process's to write
            log.error("could not record stage %s of %s: %s", stage, job_id, exc)

    @staticmethod
    def _write_traceback(job_dir: Path, stage: str) -> None:
        try:
            (job_dir / "logs").mkdir(parents=True, exist_ok=True)
            with open(job_dir / "logs" / f"{stage}-error.txt", "a", encoding="utf-8") as handle:
                handle.write(f"--- {time.strftime('%Y-%m-%dT%H:%M:%S')} pid {os.getpid()}\n")
                handle.write(redact(traceback.format_exc()))
        except OSError:
            pass


def _default_notifier() -> Any | None:
    """Return ``WebhookNotifier.from_env()`` (None when ``MLOPS_WEBHOOK_URLS`` is unset)."""
    return WebhookNotifier.from_env()
