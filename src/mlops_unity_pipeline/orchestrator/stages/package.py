"""Package stage: model into the artifact store, metadata.json with full lineage, and the report."""

from __future__ import annotations

import platform
import sys
import time
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from ...errors import PipelineError, StageError
from ...report_page import build_report_html, policy_scores, write_report
from ...reports import episode_gif, evaluation_chart_png, learning_curve_png
from ...sim.onnx_policy import OnnxRuntimePolicy
from ...specs import BuildBackend
from ...store.files import write_json_atomic
from ..outputs import BuildOutput, CodegenOutput, EvaluateOutput, Execution, PackageOutput, TrainOutput
from ..protocol import StageContext, StageResult
from ._common import hash_tree

METADATA_SCHEMA = 1
GIF_MAX_DECISIONS = 100


def package_versions() -> dict[str, str | None]:
    """Versions of the packages a model depends on (recorded in metadata.json)."""
    out: dict[str, str | None] = {"python": platform.python_version(), "platform": platform.platform()}
    for name in ("mlops_unity_pipeline", "torch", "onnx", "onnxruntime", "numpy", "gymnasium"):
        try:
            out[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            out[name] = None
    return out


def demonstration_hashes(path: str | None) -> dict[str, str]:
    """sha256 of every ``.demo`` file a job used (a file, or the ``.demo`` files of a folder)."""
    if not path:
        return {}
    source = Path(path)
    if source.is_file():
        return hash_tree(source)
    if source.is_dir():
        return {k: v for k, v in hash_tree(source).items() if k.endswith(".demo")}
    return {}


def build_metadata(build: BuildOutput) -> dict[str, Any]:
    """Return the build part of metadata.json: backend, record; for Unity the Editor version, log, command."""
    out: dict[str, Any] = {"backend": build.backend.value, "record": build.build_record}
    if build.backend is BuildBackend.UNITY:
        log = None
        if build.build_log is not None:
            log = {"path": build.build_log, "sha256": build.build_log_sha256, "size": build.build_log_size}
        out.update(
            unity_version=build.unity_version,
            player_path=build.player_path,
            command=list(build.command),
            duration_s=build.duration_s,
            build_log=log,
            editor_log_path=build.editor_log,
        )
    return out


class PackageStage:
    """Stores the ONNX by sha256; writes ``metadata.json``, ``report/`` (PNGs, GIF) and ``report.html``."""

    name = "package"

    def run(self, ctx: StageContext) -> StageResult:
        """Package; outputs the model's address and hash, the metadata's hash and the report paths."""
        artifacts = ctx.services.artifacts
        spec = ctx.behavior_spec
        codegen, build = ctx.output(CodegenOutput), ctx.output(BuildOutput)
        train, evaluate = ctx.output(TrainOutput), ctx.output(EvaluateOutput)
        package_dir = ctx.job_dir / "package"
        metrics = dict(evaluate.metrics)

        model = artifacts.put_file(Path(train.onnx_path), name=f"{spec.behavior_name}.onnx")
        report = self._report(ctx, spec, model.path, train, metrics, package_dir / "report")
        timings = {k: round(v, 3) for k, v in ctx.stage_seconds.items()}
        job = ctx.job
        metadata: dict[str, Any] = {
            "schema_version": METADATA_SCHEMA,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "job": job.to_dict(),
            "behavior_spec": spec.to_dict(),
            "interpretation": {
                "provider": codegen.provider,
                "archetype": codegen.archetype,
                "reasons": list(codegen.reasons),
                "fallbacks": list(codegen.fallbacks),
            },
            "codegen": {
                "checks": [c.to_dict() for c in codegen.checks],
                "metadata": dict(codegen.codegen_metadata),
            },
            "build": build_metadata(build),
            "trainer_config": dict(train.trainer_config),
            "seeds": {"train": train.seed, "evaluate": evaluate.seed},
            "versions": package_versions(),
            "metrics": metrics,
            "evaluation_episodes": job.rl_config.evaluation_episodes,
            "training": {
                "steps": train.steps,
                "mean_reward": train.mean_reward,
                "wall_seconds": train.wall_seconds,
                "resumed_from_checkpoint": train.resumed_from_checkpoint,
                "history": [[s, r] for s, r in train.history],
                "backend": train.backend.value,
                "mlagents_learn": None if train.mlagents_learn is None else dict(train.mlagents_learn),
            },
            "unity_inference": None if evaluate.unity_inference is None else dict(evaluate.unity_inference),
            "stage_seconds": timings,
            # where the compute stages ran: a Ray job's worker node and attempt (ray_jobs.py), else this host
            "execution": (ctx.execution or Execution("local", platform.node())).to_dict(),
            "hashes": {
                "model_sha256": model.sha256,
                "generated_code": dict(codegen.code_sha256),
                "demonstrations": demonstration_hashes(job.rl_config.demonstrations_path),
            },
            "model": {
                "path": str(model.path),
                "sha256": model.sha256,
                "size": model.size,
                "file_name": model.path.name,
            },
            "report": {k: str(v) for k, v in report.items()},
            "command": " ".join(sys.argv[:1]),
        }
        world_path = codegen.paths.get("world")
        if world_path:
            # A world job's world file travels with the model: it rebuilds the scene and the simulator.
            try:
                world_text = Path(world_path).read_text(encoding="utf-8")
            except OSError as exc:
                raise StageError(f"cannot read the world file {world_path}: {exc}", stage=self.name) from exc
            package_world = package_dir / "world.json"
            package_world.parent.mkdir(parents=True, exist_ok=True)
            package_world.write_text(world_text, encoding="utf-8")
            stored_world = artifacts.put_file(package_world, name=f"{spec.behavior_name}.world.json")
            metadata["world"] = {
                "path": str(package_world),
                "sha256": stored_world.sha256,
                "sanity": dict(codegen.codegen_metadata).get("sanity"),
            }
        metadata_path = write_json_atomic(package_dir / "metadata.json", metadata)
        stored_metadata = artifacts.put_file(metadata_path, name="metadata.json")
        page = self._page(ctx, metadata, report, package_dir, metadata_path)
        paths = {"package": str(package_dir), "metadata": str(metadata_path), "model": str(model.path)}
        paths.update({f"report_{k}": str(v) for k, v in report.items()})
        paths["report"] = str(page)
        output = PackageOutput(
            model_path=str(model.path),
            model_sha256=model.sha256,
            model_size=model.size,
            metadata_sha256=stored_metadata.sha256,
            package_dir=str(package_dir),
            paths=paths,
        )
        return StageResult(output=output)

    @staticmethod
    def _page(
        ctx: StageContext,
        metadata: dict[str, Any],
        images: dict[str, Path],
        package_dir: Path,
        metadata_path: Path,
    ) -> Path:
        """Write ``report.html`` into the package and at ``<workspace>/jobs/<job_id>/report.html``.

        The package copy travels with the model (registry mirrors upload the package folder); the job-level
        copy is the stable address of the latest attempt's report.
        """
        text = build_report_html(metadata, images, links={"metadata.json": str(metadata_path)})
        write_report(package_dir / "report.html", text)
        return write_report(ctx.job_dir.parent / "report.html", text)

    def _report(
        self,
        ctx: StageContext,
        spec: Any,
        model_path: Path,
        train: TrainOutput,
        metrics: dict[str, Any],
        out_dir: Path,
    ) -> dict[str, Path]:
        curve = learning_curve_png(
            train.history,
            out_dir / "learning_curve.png",
            title=f"{spec.behavior_name} ({ctx.job.job_id})",
            baseline=metrics.get("baseline/mean_reward"),
            evaluation=metrics.get("eval/mean_reward"),
            spread=train.history_spread,
            heuristic=metrics.get("heuristic/mean_reward"),
        )
        chart = evaluation_chart_png(
            [(s.label, s.mean_reward, s.std_reward, s.success_rate) for s in policy_scores(metrics)],
            out_dir / "evaluation.png",
            title=f"{spec.behavior_name}: {metrics.get('eval/episodes', '?')} evaluation episodes per policy",
        )
        env = spec.make_env(num_agents=1, seed=train.seed)
        try:
            policy = OnnxRuntimePolicy(model_path, signature=env.signature, deterministic=True)
            gif = episode_gif(
                env, policy, out_dir / "episode.gif", max_decisions=GIF_MAX_DECISIONS, seed=train.seed
            )
        except PipelineError:
            raise
        except Exception as exc:  # rendering (PIL) failures
            raise StageError(
                f"rendering the episode GIF failed: {exc}", stage=self.name, run_id=ctx.job.job_id
            ) from exc
        finally:
            env.close()
        return {"learning_curve": curve, "evaluation": chart, "episode_gif": gif}
