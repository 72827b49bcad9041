"""Codegen stage: interpret the asset description and generate the checked Unity C#.

A description that composes a world (``behavior.world_behavior.choose_world``) gets the world's C#
(``codegen.world.generate_world``) and the world's sanity checks before anything trains: a failed check
stops the job with what to change. Otherwise the archetype interpreter and templates write it
(``codegen.generate``). Either way ``behavior_spec.json`` holds the behavior the later stages run.
"""

from __future__ import annotations

from pathlib import Path

from ...behavior.providers import make_provider
from ...behavior.world_behavior import WorldBehavior, WorldChoice, choose_world
from ...behavior.world_checks import sanity_check
from ...codegen import generate
from ...codegen.world import generate_world
from ...errors import CodegenError, PipelineError, SpecError
from ...specs import CodegenProvider, UnityAssetSpec
from ...store.files import write_json_atomic
from ..outputs import CodegenCheck, CodegenOutput
from ..protocol import StageContext, StageResult
from ._common import hash_tree

SANITY_FILE = "sanity.json"
"""The world's sanity report, next to ``behavior_spec.json`` in the job folder."""


class CodegenStage:
    """Runs the world or archetype codegen into ``<job_dir>/codegen``; records the behavior it chose."""

    name = "codegen"

    def run(self, ctx: StageContext) -> StageResult:
        """Generate, check and record the code; outputs name the behavior and hash every generated file."""
        job = ctx.job
        try:
            choice = self._choose(ctx)
            if choice.world is not None:
                return self._world(ctx, choice)
            return self._archetype(ctx, choice.reason)
        except PipelineError:
            raise
        except Exception as exc:  # a provider SDK or the file system: translate at the stage boundary
            raise CodegenError(
                f"code generation failed: {type(exc).__name__}: {exc}", run_id=job.job_id
            ) from exc

    @staticmethod
    def _choose(ctx: StageContext) -> WorldChoice:
        job = ctx.job
        provider = None
        if job.rl_config.codegen_provider is not CodegenProvider.RULES:
            provider = make_provider(job.rl_config.codegen_provider)  # the model emits the world IR
        try:
            return choose_world(job.asset_spec, provider)
        except SpecError as exc:  # a refusal or an unsimulated world: the job cannot train it
            raise CodegenError(str(exc), run_id=job.job_id) from exc

    def _world(self, ctx: StageContext, choice: WorldChoice) -> StageResult:

        job, world, interpretation = ctx.job, choice.world, choice.interpretation
        assert world is not None and interpretation is not None  # choose_world's contract for a world
        out_dir = ctx.job_dir / "codegen"
        view = UnityAssetSpec.of(job.asset_spec)
        report = sanity_check(
            world, observation_space=view.observation_space, action_space=view.action_space, seed=0
        )
        write_json_atomic(ctx.job_dir / SANITY_FILE, report.to_dict())
        if not report.passed:
            failed = [c.line() for c in report.checks if c.status.value == "failed"]
            raise CodegenError(
                f"world '{world.name}' fails its sanity checks before training: " + " | ".join(failed),
                run_id=job.job_id,
            )
        result = generate_world(world, out_dir)
        behavior = WorldBehavior(world)
        spec_path = write_json_atomic(ctx.job_dir / "behavior_spec.json", behavior.to_dict())
        records = [r.line() for r in interpretation.records]
        fallbacks = [f"{r.source}: {r.note}" for r in interpretation.records if r.note]
        metadata = {**result.metadata, "sanity": report.to_dict()}
        if choice.llm is not None:
            metadata["llm"] = choice.llm.to_dict()
            if choice.llm.fallback_used:
                fallbacks.append(f"LLM world not used, rules world instead: {choice.llm.fallback_reason}")
        output = CodegenOutput(
            behavior_name=behavior.behavior_name,
            archetype=behavior.archetype,
            behavior_spec_path=str(spec_path),
            provider="rules" if choice.llm is None else choice.llm.provider,
            reasons=(choice.reason, *records),
            fallbacks=tuple(fallbacks),
            files=tuple(str(Path(f)) for f in result.files),
            checks=tuple(
                CodegenCheck(c.name, bool(c.passed), len(c.diagnostics or [])) for c in result.checks
            ),
            code_sha256=hash_tree(out_dir),
            codegen_metadata=metadata,
            paths={
                "generated_code": str(out_dir),
                "behavior_spec": str(spec_path),
                "world": str(out_dir / "world.json"),
                "sanity": str(ctx.job_dir / SANITY_FILE),
            },
        )
        return StageResult(output=output)

    @staticmethod
    def _archetype(ctx: StageContext, reason: str) -> StageResult:
        job = ctx.job
        out_dir = ctx.job_dir / "codegen"
        result = generate(job.asset_spec, out_dir, provider=job.rl_config.codegen_provider)
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
            reasons=(*interpretation.reasons, reason),
            fallbacks=tuple(interpretation.fallbacks),
            files=tuple(str(Path(f)) for f in result.files),
            checks=checks,
            code_sha256=hash_tree(out_dir),
            codegen_metadata=dict(result.metadata),
            paths={"generated_code": str(out_dir), "behavior_spec": str(spec_path)},
        )
        return StageResult(output=output)
