"""Notify stage: tell the notifier (webhooks) that the job succeeded and whether a model was promoted."""

from __future__ import annotations

from ..outputs import EvaluateOutput, NotifyOutput, PackageOutput, RegisterOutput
from ..protocol import StageContext, StageResult


class NotifyStage:
    """Sends ``job.succeeded`` (+ ``model.promoted`` when the champion moved); skipped without a notifier."""

    name = "notify"

    def run(self, ctx: StageContext) -> StageResult:
        """Send the events through ``ctx.services.notifications`` (a failure is logged, never fatal)."""
        notifications = ctx.services.notifications
        if not notifications.enabled:
            return StageResult(output=NotifyOutput(), skipped=True)
        sent = notifications.succeeded(
            ctx.job,
            register=ctx.output(RegisterOutput),
            package=ctx.output(PackageOutput),
            evaluate=ctx.output(EvaluateOutput),
        )
        return StageResult(output=NotifyOutput(sent=sent))
