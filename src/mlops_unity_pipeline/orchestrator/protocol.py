"""The ``Stage`` protocol the pipeline steps implement: typed context, services and result; ``FakeStage``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from ..errors import JobCancelled, SpecError, StageError
from ..progress import ProgressEvent
from .notifications import JobNotifications
from .outputs import CodegenOutput, Execution, StageOutput

if TYPE_CHECKING:
    from ..behavior.spec import BehaviorSpec
    from ..behavior.world_behavior import WorldBehavior
    from ..registry.local import LocalRegistry
    from ..specs import TrainingJob
    from ..store.artifacts import ArtifactStore
    from .jobs import JobStore

OutputT = TypeVar("OutputT", bound=StageOutput)

STAGE_NAMES = ("codegen", "build", "train", "evaluate", "package", "register", "notify")
"""The pipeline's stages, in order."""


@dataclass(frozen=True)
class Services:
    """The shared objects stages use, typed (the orchestrator builds them once per job; ``ray_jobs`` too).

    Attributes:
        artifacts: the sha256-addressed artifact store.
        registry: the model registry (None on a Ray worker: ``register`` runs on the driver).
        store: the job store (None on a Ray worker); ``register`` checks it still owns the job.
        notifications: the one place job events are sent from (``orchestrator/notifications.py``).

    """

    artifacts: ArtifactStore
    registry: LocalRegistry | None = None
    store: JobStore | None = None
    notifications: JobNotifications = field(default_factory=lambda: JobNotifications(None))


@dataclass
class StageContext:
    """What a stage may read: the job, its folder, earlier stages' typed outputs, hooks to the orchestrator.

    Attributes:
        job: the job being run.
        job_dir: this attempt's folder (``<workspace>/jobs/<job_id>/attempt-<n>``); stages write below it.
        workspace: the workspace root.
        services: artifact store, registry, job store, notifications.
        outputs: the typed outputs of the stages finished so far, by stage name (restored on resume).
        resuming: True when this run continues an interrupted/failed/cancelled attempt.
        stage_seconds: wall time of each stage finished so far (the package stage records it).
        execution: where the stages run, when not on this host (a Ray worker).
        report_progress: hands a ``ProgressEvent`` to the orchestrator (display, job store).
        cancel_requested: True once the job should stop (polled at safe points).

    """

    job: TrainingJob
    job_dir: Path
    workspace: Path
    services: Services
    outputs: dict[str, StageOutput] = field(default_factory=dict)
    resuming: bool = False
    stage_seconds: dict[str, float] = field(default_factory=dict)
    execution: Execution | None = None
    report_progress: Callable[[ProgressEvent], None] = lambda event: None
    cancel_requested: Callable[[], bool] = lambda: False
    _behavior_spec: BehaviorSpec | WorldBehavior | None = field(default=None, init=False, repr=False)

    def check_cancelled(self) -> None:
        """Raise ``JobCancelled`` when a cancel was requested (stages call this at safe points)."""
        if self.cancel_requested():
            raise JobCancelled(f"job {self.job.job_id} was cancelled")

    def output(self, kind: type[OutputT]) -> OutputT:
        """Return the typed output of an earlier stage.

        Args:
            kind: the stage's output type (``TrainOutput`` …); its ``stage`` names the stage.

        Returns:
            That stage's output.

        Raises:
            StageError: when that stage has not run or recorded something else (a wiring bug).

        """
        found = self.outputs.get(kind.stage)
        if not isinstance(found, kind):
            what = "no recorded outputs" if found is None else f"outputs of type {type(found).__name__}"
            raise StageError(
                f"stage '{kind.stage}' has {what} (expected {kind.__name__})",
                stage=kind.stage,
                run_id=self.job.job_id,
            )
        return found

    @property
    def behavior_spec(self) -> BehaviorSpec | WorldBehavior:
        """The behavior the codegen stage wrote (archetype spec or world), read once per job run and kept.

        Raises:
            StageError: when the codegen outputs are missing or the spec file is unreadable or invalid.

        """
        if self._behavior_spec is None:
            from ..behavior.world_behavior import load_behavior  # start-up: job store readers skip the sim

            path = Path(self.output(CodegenOutput).behavior_spec_path)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self._behavior_spec = load_behavior(data, source=str(path))
            except (OSError, json.JSONDecodeError, SpecError) as exc:
                raise StageError(
                    f"cannot read the behavior spec {path}: {exc}", stage="codegen", run_id=self.job.job_id
                ) from exc
        return self._behavior_spec


@dataclass(frozen=True)
class StageResult:
    """What a stage hands to the next ones: its typed output (stored as JSON), and whether it was skipped."""

    output: StageOutput | None = None
    """The stage's output record (``orchestrator/outputs.py``); None when it hands nothing on."""
    skipped: bool = False
    """True when the stage had nothing to do."""


@runtime_checkable
class Stage(Protocol):
    """One step of the pipeline: a name and a blocking ``run`` (it runs in a worker thread)."""

    name: str

    def run(self, ctx: StageContext) -> StageResult:
        """Do the stage's work and return its outputs; raise a ``StageError`` subclass on failure."""
        ...


@dataclass
class FakeStage:
    """A stage for tests: a fixed output, optionally sleeps (honouring cancel) or fails (like MockTransport).

    Attributes:
        name: the stage name.
        output: what it returns (a typed record of its stage, or None).
        sleep_s: how long it takes (polling for cancel meanwhile).
        error: raised instead of returning, when set.
        calls: how many times it ran.
        seen_outputs: per call, the names of the stages whose outputs it could read.

    """

    name: str
    output: StageOutput | None = None
    sleep_s: float = 0.0
    error: BaseException | None = None
    calls: int = 0
    seen_outputs: list[list[str]] = field(default_factory=list)

    def run(self, ctx: StageContext) -> StageResult:
        """Record the call, wait ``sleep_s`` (honouring cancel), then fail or return ``output``."""
        self.calls += 1
        self.seen_outputs.append(list(ctx.outputs))
        deadline = time.monotonic() + self.sleep_s
        while time.monotonic() < deadline:
            ctx.check_cancelled()
            time.sleep(min(0.01, self.sleep_s))
        if self.error is not None:
            raise self.error
        return StageResult(output=self.output)
