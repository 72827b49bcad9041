"""Codegen stage: interpret the asset description and generate the checked Unity C# (``codegen.generate``)."""

from __future__ import annotations

from pathlib import Path

from ...codegen import generate
from ...errors import CodegenError, PipelineError
from ...store.files import write_json_atomic
from ..outputs import CodegenCheck, CodegenOutput
from ..protocol import StageContext, StageResult
from ._common import hash_tree


class CodegenStage:
    """Runs ``codegen.generate`` into ``<job_dir>/codegen``; records the behavior spec (the IR) it chose."""

    name = "codegen"

    def run(self, ctx: StageContext) -> StageResult:
        """Generate, check and record the code; outputs name the behavior and hash every generated file."""
        job = ctx.job
        out_dir = ctx.job_dir / "codegen"
        try:
            result = generate(job.asset_spec, out_dir, provider=job.rl_config.codegen_provider)
        except PipelineError:
            raise
        except Exception as exc:  # a provider SDK or the file system: translate at the stage boundary
            raise CodegenError(
                f"code generation failed: {type(exc).__name__}: {exc}", run_id=job.job_id
            ) from exc
        interpretation = result.interpretation
        spec = interpretation.spec
        spec_path = write_json_atomic(ctx.job_dir / "behavior_spec.json", spec.to_dict())
        checks = tuple(
            CodegenCheck(c.name, bool(c.passed), len(getattr(c, "diagnostics", []) or []))
            for c in result.checks
        )
        output = CodegenOutput(
            behavior_name=spec.behavior_name,
            archetype=getattr(spec.archetype, "value", str(spec.archetype)),
            behavior_spec_path=str(spec_path),
            provider=interpretation.provider,
            reasons=tuple(interpretation.reasons),
            fallbacks=tuple(interpretation.fallbacks),
            files=tuple(str(Path(f)) for f in result.files),
            checks=checks,
            code_sha256=hash_tree(out_dir),
            codegen_metadata=dict(result.metadata),
            paths={"generated_code": str(out_dir), "behavior_spec": str(spec_path)},
        )
        return StageResult(output=output)
