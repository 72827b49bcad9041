"""Register stage: add the packaged model to the local registry (and mirrors) behind the promotion gate."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ...store.files import write_json_atomic
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
        pretrained = self._register_pretrained(ctx, registry, package, train)
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
            "pretrained": pretrained,
        }
        if version.job_id != ctx.job.job_id:  # byte-identical to a model an earlier job registered
            outputs["identical_to_job"] = version.job_id
        return StageResult(outputs=outputs)

    def _register_pretrained(
        self, ctx: StageContext, registry: Any, package: dict[str, Any], train: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Offline RL: register the pretrained policy first, so the gate keeps it unless fine-tuning beats it.

        Fine-tuning can end below the policy it started from (docs/offline_rl.md); as its own
        version, evaluated like the fine-tuned one, the pretrained policy becomes champion when it is the
        better of the two, and the fine-tuned version registered next must then beat it.
        """
        metrics = ctx.output("evaluate").get("pretrained_metrics")
        onnx = (train.get("pretrain") or {}).get("onnx_path")
        if not metrics or not onnx:
            return None
        stored = ctx.services["artifacts"].put_file(Path(onnx), name=Path(package["model_path"]).name)
        metrics = {**metrics, "train/steps": 0, "offline/pretrained": True}
        # Its own package folder: one folder registers one version (the registry refuses a second model from
        # the job's package), and mirrors upload what the folder holds.
        pretrained_dir = Path(package["package_dir"]) / "pretrained"
        pretrained_dir.mkdir(parents=True, exist_ok=True)
        metadata = write_json_atomic(
            pretrained_dir / "metadata.json",
            {
                "kind": "offline-pretrained",
                "job_id": ctx.job.job_id,
                "asset_id": ctx.job.asset_spec.asset_id,
                "model_path": str(stored.path),
                "model_sha256": stored.sha256,
                "metrics": metrics,
                "job_package_metadata_sha256": package["metadata_sha256"],
            },
        )
        version, promoted = registry.register(
            ctx.job.asset_spec.asset_id,
            sha256=stored.sha256,
            model_path=stored.path,
            metrics=metrics,
            job_id=ctx.job.job_id,
            artifact_dir=pretrained_dir,
            metadata_sha256=hashlib.sha256(metadata.read_bytes()).hexdigest(),
        )
        return {"version": version.version, "promoted": promoted, "model_path": version.model_path}
