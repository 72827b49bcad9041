"""Register stage: add the packaged model to the local registry (and mirrors) behind the promotion gate."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ...errors import RegistryError
from ...registry.local import LocalRegistry
from ...store.files import write_json_atomic
from ..outputs import EvaluateOutput, PackageOutput, RegisterOutput, TrainOutput
from ..protocol import StageContext, StageResult


class RegisterStage:
    """Registers a new immutable version; ``candidate`` always moves, ``champion`` only through the gate."""

    name = "register"

    def run(self, ctx: StageContext) -> StageResult:
        """Register; outputs the version number, whether it was promoted and its aliases."""
        registry = ctx.services.registry
        if registry is None:  # a wiring bug: only the driver, which owns the registry, runs this stage
            raise RegistryError("the register stage has no registry", run_id=ctx.job.job_id)
        store = ctx.services.store
        if store is not None:
            # A process whose lease was taken over (it was paused on another host) must not register: the
            # new owner does. The registry also refuses a second version from one package folder.
            store.assert_owner(ctx.job.job_id)
        package, evaluate = ctx.output(PackageOutput), ctx.output(EvaluateOutput)
        train = ctx.output(TrainOutput)
        metrics = {**evaluate.metrics, **train.metrics}
        pretrained = self._register_pretrained(ctx, registry, package, evaluate, train)
        version, promoted = registry.register(
            ctx.job.asset_spec.asset_id,
            sha256=package.model_sha256,
            model_path=package.model_path,
            metrics=metrics,
            job_id=ctx.job.job_id,
            artifact_dir=package.package_dir,
            metadata_sha256=package.metadata_sha256,
        )
        output = RegisterOutput(
            asset_id=version.asset_id,
            version=version.version,
            promoted=promoted,
            aliases=tuple(version.aliases),
            model_path=version.model_path,
            external_ids=dict(version.external_ids),
            pretrained=pretrained,
            # set when byte-identical to a model an earlier job registered
            identical_to_job=version.job_id if version.job_id != ctx.job.job_id else None,
        )
        return StageResult(output=output)

    def _register_pretrained(
        self,
        ctx: StageContext,
        registry: LocalRegistry,
        package: PackageOutput,
        evaluate: EvaluateOutput,
        train: TrainOutput,
    ) -> dict[str, Any] | None:
        """Offline RL: register the pretrained policy first, so the gate keeps it unless fine-tuning beats it.

        Fine-tuning can end below the policy it started from (docs/offline_rl.md); as its own
        version, evaluated like the fine-tuned one, the pretrained policy becomes champion when it is the
        better of the two, and the fine-tuned version registered next must then beat it.
        """
        metrics = evaluate.pretrained_metrics
        onnx = train.pretrained_onnx_path
        if not metrics or not onnx:
            return None
        stored = ctx.services.artifacts.put_file(Path(onnx), name=Path(package.model_path).name)
        metrics = {**metrics, "train/steps": 0, "offline/pretrained": True}
        # Its own package folder: one folder registers one version (the registry refuses a second model from
        # the job's package), and mirrors upload what the folder holds.
        pretrained_dir = Path(package.package_dir) / "pretrained"
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
                # what the version plays: `mcp evaluate_model` and `sim eval` rebuild its environment from it
                "behavior_spec": ctx.behavior_spec.to_dict(),
                "job_package_metadata_sha256": package.metadata_sha256,
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
