"""The ``Stage`` protocol every pipeline step implements, its context and result records, ``FakeStage``."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..errors import JobCancelled, StageError

if TYPE_CHECKING:
    from ..specs import TrainingJob

STAGE_NAMES = ("codegen", "build", "train", "evaluate", "package", "register", "notify")
"""The pipeline's stages, in order."""


@dataclass(frozen=True)
class ProgressUpdate:
    """A live progress report from a stage (the CLI's progress display reads these)."""

    job_id: str
    stage: str
    step: int | None = None
    max_steps: int | None = None
    mean_reward: float | None = None
    eta_s: float | None = None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "job_id": self.job_id,
            "stage": self.stage,
            "step": self.step,
            "max_steps": self.max_steps,
            "mean_reward": self.mean_reward,
            "eta_s": self.eta_s,
            "message": self.message,
        }


@dataclass
class StageContext:
    """What a stage may read: the job, its folder, earlier stages' outputs and hooks back to the orchestrator.

    Attributes:
        job: the job being run.
        job_dir: this attempt's folder (``<workspace>/jobs/<job_id>``); stages write below it.
        workspace: the workspace root.
        outputs: outputs of the stages finished so far, by stage name (restored from the store on resume).
        resuming: True when this run continues an interrupted/failed/cancelled attempt.
        services: shared objects (artifact store, registry, notifier) by name.

    """

    job: TrainingJob
    job_dir: Path
    workspace: Path
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    resuming: bool = False
    services: dict[str, Any] = field(default_factory=dict)
    report_progress: Callable[[ProgressUpdate], None] = lambda update: None
    cancel_requested: Callable[[], bool] = lambda: False

    def check_cancelled(self) -> None:
        """Raise ``JobCancelled`` when a cancel was requested (stages call this at safe points)."""
        if self.cancel_requested():
            raise JobCancelled(f"job {self.job.job_id} was cancelled")

    def output(self, stage: str) -> dict[str, Any]:
        """Return the outputs of an earlier stage.

        Args:
            stage: the stage's name.

        Returns:
            Its outputs dict.

        Raises:
            StageError: when that stage has not run (a pipeline wiring bug or a corrupt store).

        """
        try:
            return self.outputs[stage]
        except KeyError:
            raise StageError(
                f"stage '{stage}' has no recorded outputs", stage=stage, run_id=self.job.job_id
            ) from None


@dataclass(frozen=True)
class StageResult:
    """What a stage hands to the next ones: JSON-ready outputs (persisted in the store) and metrics."""

    outputs: Mapping[str, Any] = field(default_factory=dict)
    """JSON-serializable values (paths as strings), restored on resume so later stages need no re-run."""
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
    """A stage for tests: fixed outputs, optionally sleeps (honouring cancel) or fails (like MockTransport).

    Attributes:
        name: the stage name.
        outputs: what it returns.
        sleep_s: how long it takes (polling for cancel meanwhile).
        error: raised instead of returning, when set.
        calls: how many times it ran.

    """

    name: str
    outputs: dict[str, Any] = field(default_factory=dict)
    sleep_s: float = 0.0
    error: BaseException | None = None
    calls: int = 0
    seen_outputs: list[dict[str, Any]] = field(default_factory=list)

    def run(self, ctx: StageContext) -> StageResult:
        """Record the call, wait ``sleep_s`` (honouring cancel), then fail or return ``outputs``."""
        self.calls += 1
        self.seen_outputs.append({k: dict(v) for k, v in ctx.outputs.items()})
        deadline = time.monotonic() + self.sleep_s
        while time.monotonic() < deadline:
            ctx.check_cancelled()
            time.sleep(min(0.01, self.sleep_s))
        if self.error is not None:
            raise self.error
        return StageResult(outputs=dict(self.outputs))
