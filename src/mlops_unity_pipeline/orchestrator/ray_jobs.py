"""Jobs on Ray: a job's compute stages run as one Ray task; the driver keeps the job store and the registry.

What runs where:

* the **driver** (the orchestrator's process) owns ``pipeline.db`` and the registry: it records every stage
  start/finish and the progress it receives, runs ``register`` and ``notify`` itself, and forwards cancels;
* a **Ray task** (with the job's ``num_cpus``/``num_gpus``/custom resources) runs ``codegen → build → train →
  evaluate → package`` on whichever node Ray picks, writing the job folder and the artifact store;
* a small **channel actor**, pinned to the driver's node, carries events both ways (stage started/finished,
  progress, the cancel flag, the outputs of stages already finished).

Files come back through a **shared workspace**: the task writes under the same workspace path, which must be
the same shared file system on every node (NFS, EFS, a GCS/S3 FUSE mount; on a one-machine cluster the local
disk). Why not the object store: a node's object store dies with the node, and the last training checkpoint
must outlive exactly that — a retry on another node resumes from it. Only the small JSON outputs of each stage
travel through the actor; SQLite stays on the driver, where its locking is reliable.

Failure: if the task's worker process or node dies, Ray re-runs the task (``max_retries``); the new attempt
asks the channel which stages finished, skips them, and the train stage resumes from the last checkpoint in
the shared job folder. Registration happens once, on the driver, after the task succeeded, so a job
registers exactly one version however many attempts it took. ``jobs show`` lists each stage's runs and node.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..cluster.ray_runtime import connect, node_name
from ..errors import JobCancelled, PipelineError
from ..progress import ProgressEvent
from ..specs import TrainingJob
from ..store.artifacts import ArtifactStore
from . import stages as pipeline_stages  # module, not name: tests replace default_stages
from .outputs import Execution, check_output, decode_output
from .protocol import Services, StageContext
from .states import RunState

log = logging.getLogger(__name__)

REMOTE_STAGES = ("codegen", "build", "train", "evaluate", "package")
"""Stages a Ray job runs on the worker; the rest (``register``, ``notify``) run on the driver."""
_POLL_S = 0.25
"""How often the driver drains the channel and the worker polls the cancel flag."""


class _Channel:
    """The driver-side mailbox of one job (a Ray actor pinned to the driver's node)."""

    def __init__(self, finished: dict[str, dict[str, Any]]) -> None:
        self.finished = dict(finished)
        self.events: list[tuple[Any, ...]] = []
        self.cancel = False
        self.attempts = 0

    def begin(self, node: str) -> tuple[int, dict[str, dict[str, Any]]]:
        self.attempts += 1
        self.events.append(("attempt", self.attempts, node))
        return self.attempts, dict(self.finished)

    def started(self, name: str, node: str, attempt: int) -> None:
        self.events.append(("started", name, node, attempt))

    def stage_finished(self, name: str, outputs: dict[str, Any], skipped: bool) -> None:
        self.finished[name] = outputs
        self.events.append(("finished", name, outputs, skipped))

    def stage_failed(self, name: str, cancelled: bool, message: str) -> None:
        self.events.append(("failed", name, cancelled, message))

    def progress(self, update: dict[str, Any]) -> None:
        self.events.append(("progress", update))

    def drain(self) -> list[tuple[Any, ...]]:
        events, self.events = self.events, []
        return events

    def request_cancel(self) -> None:
        self.cancel = True

    def cancelled(self) -> bool:
        return self.cancel


def _remote_stages(
    job_data: dict[str, Any],
    job_dir: str,
    workspace: str,
    resuming: bool,
    channel: Any,
    stages: Sequence[Any] | None,
) -> str:
    """Run the remote stages not finished yet (the Ray task); return the final state."""
    import ray  # optional

    node = node_name()
    attempt, finished = ray.get(channel.begin.remote(node))
    job = TrainingJob.from_dict(job_data)
    if stages is None:
        stages = [s for s in pipeline_stages.default_stages() if s.name in REMOTE_STAGES]
    last_poll = [0.0, False]

    def cancel_requested() -> bool:
        now = time.monotonic()
        if now - last_poll[0] >= _POLL_S:
            last_poll[0] = now
            last_poll[1] = bool(ray.get(channel.cancelled.remote()))
        return bool(last_poll[1])

    def report_progress(update: Any) -> None:
        # Every update goes through (a non-blocking actor call): the trainer reports once per summary, and
        # a sweep's pruner must see each one; the driver rate-limits its store writes as for local jobs.
        channel.progress.remote(update.to_dict())

    execution = Execution("ray", node, attempt)
    ctx = StageContext(
        job=job,
        job_dir=Path(job_dir),
        workspace=Path(workspace),
        # a retry after a dead worker continues like a resume: the train stage restarts from its checkpoint
        resuming=resuming or attempt > 1,
        services=Services(artifacts=ArtifactStore(Path(workspace) / "artifacts")),
        execution=execution,
        report_progress=report_progress,
        cancel_requested=cancel_requested,
    )
    for stage in stages:
        if stage.name in finished:
            restored = decode_output(stage.name, finished[stage.name], f"job '{job.job_id}' (driver's store)")
            if restored is not None:
                ctx.outputs[stage.name] = restored
            continue
        ray.get(channel.started.remote(stage.name, node, attempt))
        started = time.monotonic()
        try:
            ctx.check_cancelled()
            result = stage.run(ctx)
            check_output(stage.name, result.output)
        except JobCancelled as exc:
            ray.get(channel.stage_failed.remote(stage.name, True, str(exc)))
            return "cancelled"
        except Exception as exc:  # noqa: BLE001 - recorded by the driver like a local stage failure
            message = str(exc) if isinstance(exc, PipelineError) else f"{type(exc).__name__}: {exc}"
            ray.get(channel.stage_failed.remote(stage.name, False, message))
            return "failed"
        ctx.stage_seconds[stage.name] = time.monotonic() - started
        outputs = {}
        if result.output is not None:
            output = dataclasses.replace(result.output, execution=execution)
            ctx.outputs[stage.name] = output
            outputs = output.to_dict()
        # synchronous: once the driver has the outputs, a crash right after cannot make the stage run again
        ray.get(channel.stage_finished.remote(stage.name, outputs, bool(result.skipped)))
    return "succeeded"


def run_remote_stages(
    orchestrator: Any,
    job: Any,
    record: Any,
    resuming: bool,
    report_progress: Callable[[Any], None],
    cancel_requested: Callable[[], bool],
) -> bool:
    """Run a job's remote stages as a Ray task, recording them in the driver's store as they happen.

    Args:
        orchestrator: the ``UnityMLOpsOrchestrator`` (its store, stages and workspace).
        job: the ``TrainingJob`` (``job.execution`` gives resources and retries).
        record: its ``JobRecord`` (finished stages are skipped when resuming).
        resuming: whether this run continues an earlier attempt.
        report_progress: the orchestrator's progress callback.
        cancel_requested: the orchestrator's cancel poll.

    Returns:
        True when the remote stages succeeded (the driver goes on with ``register`` and ``notify``); False
        when the job ended here (failed or cancelled; the store already says so).

    Raises:
        MissingExtraError: when Ray is not installed.
        SpecError: when the cluster cannot be reached.

    """
    ray = connect()
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy  # optional

    store = orchestrator.store
    job_id = job.job_id
    done_states = (RunState.SUCCEEDED, RunState.SKIPPED)
    finished = {s.name: dict(s.outputs) for s in record.stages if s.state in done_states} if resuming else {}
    positions = {s.name: i for i, s in enumerate(orchestrator.stages)}
    custom = [s for s in orchestrator.stages if s.name in REMOTE_STAGES]

    default_names = [type(s) for s in pipeline_stages.default_stages() if s.name in REMOTE_STAGES]
    # the real stages are built on the worker; custom ones (tests, plugins) travel pickled
    stages = None if [type(s) for s in custom] == default_names else custom
    # The channel lives on the driver's node: it must survive the worker node it talks to.
    channel = (
        ray.remote(_Channel)
        .options(
            num_cpus=0,
            scheduling_strategy=NodeAffinitySchedulingStrategy(
                ray.get_runtime_context().get_node_id(), soft=False
            ),
        )
        .remote(finished)
    )
    execution = job.execution
    task = (
        ray.remote(_remote_stages)
        .options(max_retries=execution.max_retries, retry_exceptions=False, **execution.ray_options())
        .remote(job.to_dict(), record.job_dir, str(orchestrator.workspace), resuming, channel, stages)
    )
    current: dict[str, Any] = {"stage": None, "attempt": 0}
    outcome = {"failed": None}

    def apply(event: tuple[Any, ...]) -> None:
        kind = event[0]
        if kind == "attempt":
            current["attempt"] = event[1]
            if event[1] > 1:
                log.warning(
                    "job %s: Ray attempt %d on %s (the previous worker died)", job_id, event[1], event[2]
                )
                report_progress(
                    ProgressEvent(
                        job_id=job_id,
                        stage=current["stage"] or "ray",
                        message=f"retry {event[1] - 1} on {event[2]}",
                    )
                )
        elif kind == "started":
            current["stage"] = event[1]
            store.stage_started(job_id, event[1], positions.get(event[1], 0))
            report_progress(
                ProgressEvent(
                    job_id=job_id,
                    stage=event[1],
                    message=f"{event[1]} started on {event[2]} (attempt {event[3]})",
                )
            )
        elif kind == "finished":
            state = RunState.SKIPPED if event[3] else RunState.SUCCEEDED
            store.stage_finished(job_id, event[1], state, outputs=event[2])
        elif kind == "failed":
            state = RunState.CANCELLED if event[2] else RunState.FAILED
            store.stage_finished(job_id, event[1], state, error=event[3])
            outcome["failed"] = (event[1], event[2], event[3])
        elif kind == "progress":
            report_progress(ProgressEvent(**event[1]))

    try:
        while True:
            ready, _ = ray.wait([task], timeout=_POLL_S)
            for event in ray.get(channel.drain.remote()):
                apply(event)
            if cancel_requested():
                channel.request_cancel.remote()
            if ready:
                break
        try:
            status = ray.get(task)
        except ray.exceptions.RayError as exc:  # the worker or node died more often than max_retries allows
            status = "died"
            died = (
                f"the Ray worker running it died {current['attempt']} time(s) "
                f"(max_retries={execution.max_retries}): {type(exc).__name__}"
            )
        for event in ray.get(channel.drain.remote()):
            apply(event)
    finally:
        ray.kill(channel)
    if status == "succeeded":
        return True
    if status == "died":
        stage = current["stage"] or "codegen"
        store.stage_finished(job_id, stage, RunState.FAILED, error=died)
        store.transition(job_id, RunState.FAILED, error=f"{stage}: {died}")
        return False
    stage, cancelled, message = outcome["failed"] or (current["stage"], False, "the Ray task failed")
    if cancelled:
        store.transition(job_id, RunState.CANCELLED, error=f"cancelled during {stage}")
    else:
        store.transition(job_id, RunState.FAILED, error=f"{stage}: {message}")
    return False
