"""The one place a job's events are sent from: payloads built from typed stage outputs, best effort."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..notify import Event

if TYPE_CHECKING:
    from ..specs import TrainingJob
    from .outputs import EvaluateOutput, PackageOutput, RegisterOutput

log = logging.getLogger(__name__)


class Notifier(Protocol):
    """Anything with ``send(event, payload)``: ``notify.WebhookNotifier``, or a test's recorder."""

    def send(self, event: str, payload: Mapping[str, Any]) -> None:
        """Deliver one event (``notify.Event`` value) with its fields."""
        ...


@dataclass(frozen=True)
class JobNotifications:
    """Sends ``job.started``, ``job.succeeded``, ``model.promoted`` and ``job.failed`` (``notify.Event``).

    The orchestrator sends the start and the failure, the notify stage the success; all payloads are built
    here, so a receiver sees the same fields whoever sent the event. A notifier failure is logged, never
    raised: a failed webhook must not fail a trained, registered model.

    Attributes:
        notifier: where events go; None sends nothing.

    """

    notifier: Notifier | None

    @property
    def enabled(self) -> bool:
        """True when a notifier is configured."""
        return self.notifier is not None

    def started(self, job: TrainingJob, *, attempt: int, resumed: bool) -> None:
        """Send ``job.started``."""
        payload = {"job_id": job.job_id, "asset_id": job.asset_spec.asset_id, "attempt": attempt}
        self._send(Event.JOB_STARTED, {**payload, "resumed": resumed})

    def failed(self, job: TrainingJob, *, stage: str | None, error: str | None) -> None:
        """Send ``job.failed`` naming the stage and the error."""
        payload = {"job_id": job.job_id, "asset_id": job.asset_spec.asset_id, "stage": stage}
        self._send(Event.JOB_FAILED, {**payload, "error": error})

    def succeeded(
        self,
        job: TrainingJob,
        *,
        register: RegisterOutput,
        package: PackageOutput,
        evaluate: EvaluateOutput,
    ) -> tuple[str, ...]:
        """Send ``job.succeeded``, and ``model.promoted`` when the champion moved.

        Returns:
            The events handed to the notifier.

        """
        payload = {
            "job_id": job.job_id,
            "asset_id": job.asset_spec.asset_id,
            "version": register.version,
            "promoted": register.promoted,
            "model_sha256": package.model_sha256,
            "metrics": dict(evaluate.metrics),
            "report": package.report_path,  # the job's report.html (a local path)
        }
        events = [(Event.JOB_SUCCEEDED, payload)]
        if register.promoted:
            events.append((Event.MODEL_PROMOTED, {**payload, "alias": "champion"}))
        return tuple(event.value for event, body in events if self._send(event, body))

    def _send(self, event: Event, payload: dict[str, Any]) -> bool:
        if self.notifier is None:
            return False
        try:
            self.notifier.send(event.value, payload)
        except Exception as exc:  # foreign code: webhooks are best effort
            log.warning("notifier failed on %s: %s", event.value, exc)
            return False
        return True
