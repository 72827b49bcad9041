"""Notify stage: tell the notifier (webhooks) that the job succeeded and whether a model was promoted."""

from __future__ import annotations

import logging

from ...notify import Event
from ..protocol import StageContext, StageResult

log = logging.getLogger(__name__)


class NotifyStage:
    """Sends ``job.succeeded`` (+ ``model.promoted`` when the champion moved); skipped without a notifier."""

    name = "notify"

    def run(self, ctx: StageContext) -> StageResult:
        """Send the events; a notifier failure is logged, never fatal (webhooks are best effort)."""
        notifier = ctx.services.get("notifier")
        if notifier is None:
            return StageResult(outputs={"sent": []}, skipped=True)
        register = ctx.output("register")
        package = ctx.output("package")
        payload = {
            "job_id": ctx.job.job_id,
            "asset_id": ctx.job.asset_spec.asset_id,
            "version": register["version"],
            "promoted": register["promoted"],
            "model_sha256": package["model_sha256"],
            "metrics": ctx.output("evaluate")["metrics"],
            "report": package.get("paths", {}).get("report"),  # the job's report.html (a local path)
        }
        sent = []
        events = [(Event.JOB_SUCCEEDED, payload)]
        if register["promoted"]:
            events.append((Event.MODEL_PROMOTED, {**payload, "alias": "champion"}))
        for event, body in events:
            try:
                notifier.send(event, body)
                sent.append(event.value)
            except (
                Exception
            ) as exc:  # foreign code; a failed webhook must not fail a trained, registered model
                log.warning("notifier failed on %s: %s", event.value, exc)
        return StageResult(outputs={"sent": sent})
