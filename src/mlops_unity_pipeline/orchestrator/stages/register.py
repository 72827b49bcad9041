"""Register stage: add the packaged model to the local registry (and mirrors) behind the promotion gate."""

from __future__ import annotations

from ..protocol import StageContext, StageResult


class RegisterStage:
    """Registers a new immutable version; ``candidate`` always moves, ``champion`` only through the gate."""

    name = "register"

    def run(self, ctx: StageContext) -> StageResult:
        """Register; outputs the version number, whether it was promoted and its aliases."""
        registry = ctx.services["registry"]
        store = ctx.services.get("store")
        if store is not None:
            # A process whose lease was taken over (it was paused on another host) must not register: the
            # new owner does. The registry also refuses a second version from one package folder.
            store.assert_owner(ctx.job.job_id)
        package = ctx.output("package")
        metrics = dict(ctx.output("evaluate")["metrics"])
        train = ctx.output("train")
        metrics["train/steps"] = train.get("train/steps")
        metrics["train/mean_reward"] = train.get("train/mean_reward")
        version, promoted = registry.register(
            ctx.job.asset_spec.asset_id,
            sha256=package["model_sha256"],
            model_path=package["model_path"],
            metrics=metrics,
            job_id=ctx.job.job_id,
            artifact_dir=package["package_dir"],
            metadata_sha256=package["metadata_sha256"],
        )
        outputs = {
            "asset_id": version.asset_id,
            "version": version.version,
            "promoted": promoted,
            "aliases": list(version.aliases),
            "model_path": version.model_path,
            "external_ids": version.external_ids,
        }
        if version.job_id != ctx.job.job_id:  # byte-identical to a model an earlier job registered
            outputs["identical_to_job"] = version.job_id
        return StageResult(outputs=outputs)
