"""Build stage: produce the environment the trainer runs (a simulator bundle, or a Unity player)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np

from ...errors import BuildError, PipelineError
from ...progress import ProgressEvent
from ...sim.engine_config import EngineConfig
from ...spaces import ActionTuple
from ...specs import BuildBackend
from ...store.files import write_json_atomic
from ...unity.build import build_unity_player
from ...unity.inference import model_override_support
from ..outputs import BuildOutput, CodegenOutput
from ..protocol import StageContext, StageResult
from ._common import signature_dict


class BuildStage:
    """Writes ``<job_dir>/build/build.json``: the simulator task, the behavior spec and the engine config.

    The record is only written after the environment was made from it, reset and stepped once with the
    behavior's signature, so a build record always describes a loadable environment.
    """

    name = "build"

    def run(self, ctx: StageContext) -> StageResult:
        """Build and verify the environment; outputs point at the build record."""
        if ctx.job.rl_config.build_backend is BuildBackend.UNITY:
            return self._unity(ctx)
        return self._sim(ctx)

    def _sim(self, ctx: StageContext) -> StageResult:
        spec = ctx.behavior_spec
        engine = dataclasses.replace(
            EngineConfig.training(), time_scale=min(100.0, ctx.job.rl_config.time_scale)
        )
        try:
            env = spec.make_env(num_agents=1, seed=0)
        except PipelineError as exc:
            raise BuildError(
                f"the simulator cannot make '{spec.behavior_name}': {exc}", run_id=ctx.job.job_id
            ) from exc
        try:
            got, want = signature_dict(env.signature), signature_dict(spec.signature)
            if got != want:
                raise BuildError(
                    f"simulator signature {got} differs from the behavior spec's {want}",
                    run_id=ctx.job.job_id,
                )
            batch = env.reset(seed=0)
            actions = ActionTuple(
                np.zeros((env.num_agents, spec.signature.action_spec.continuous_size), dtype=np.float32),
                np.zeros((env.num_agents, spec.signature.action_spec.discrete_size), dtype=np.int32),
            )
            batch = env.step(actions)
            if any(not np.all(np.isfinite(o)) for o in batch.obs):
                raise BuildError("the simulator produced non-finite observations", run_id=ctx.job.job_id)
        finally:
            env.close()
        record = {
            "backend": "sim",
            "task": getattr(spec.archetype, "value", str(spec.archetype)),
            "behavior_name": spec.behavior_name,
            "behavior_spec": spec.to_dict(),
            "signature": signature_dict(spec.signature),
            "engine": dataclasses.asdict(engine),
            "verified": {"reset": True, "step": True},
        }
        path = write_json_atomic(ctx.job_dir / "build" / "build.json", record)
        output = BuildOutput(backend=BuildBackend.SIM, build_record=str(path), paths={"build": str(path)})
        return StageResult(output=output)

    def _unity(self, ctx: StageContext) -> StageResult:
        spec = ctx.behavior_spec
        project_dir = Path(ctx.output(CodegenOutput).project_dir)
        out_dir = ctx.job_dir / "build" / "player"
        log_path = ctx.job_dir / "logs" / "unity-build.log"
        timeout_s = float(os.environ.get("MLOPS_UNITY_BUILD_TIMEOUT_S", "3600"))

        def on_log_line(line: str) -> None:
            # The Editor log, streamed as Unity writes it, is the build's progress (the CLI shows the latest).
            text = line.strip()
            if text:
                update = ProgressEvent(job_id=ctx.job.job_id, stage=self.name, message=f"Unity: {text[:160]}")
                ctx.report_progress(update)

        try:
            # The player is named after the behavior (<Behavior>.x86_64), like the generated BuildPlayer.cs's
            # default output, so a job's player, YAML behavior key and ONNX file all share one name.
            result = build_unity_player(
                project_dir,
                out_dir,
                timeout_s=timeout_s,
                log_path=log_path,
                name=spec.behavior_name,
                on_log_line=on_log_line,
            )
        except PipelineError:
            raise
        except Exception as exc:  # subprocess / OS errors from the Editor run
            raise BuildError(
                f"Unity build failed: {type(exc).__name__}: {exc}", run_id=ctx.job.job_id
            ) from exc
        # The Editor log is evidence of what was built: keep a content-addressed copy with the artifacts.
        stored_log = ctx.services.artifacts.put_file(result.log_path, name="unity-build.log")
        override = model_override_support(result.player_path)
        record = {
            "backend": "unity",
            **result.to_dict(),
            "behavior_name": spec.behavior_name,
            "project_dir": str(project_dir),
            "build_log": {"path": str(stored_log.path), "sha256": stored_log.sha256, "size": stored_log.size},
            "inference_smoke_test": {
                "supported": override is not None,
                "evidence": str(override) if override is not None else None,
            },
        }
        path = write_json_atomic(ctx.job_dir / "build" / "build.json", record)
        output = BuildOutput(
            backend=BuildBackend.UNITY,
            build_record=str(path),
            player_path=str(result.player_path),
            unity_version=result.unity_version,
            build_log=str(stored_log.path),
            build_log_sha256=stored_log.sha256,
            build_log_size=stored_log.size,
            editor_log=str(result.log_path),
            command=tuple(result.command),
            duration_s=round(result.duration_s, 3),
            paths={"build": str(path), "build_log": str(stored_log.path)},
        )
        return StageResult(output=output)
