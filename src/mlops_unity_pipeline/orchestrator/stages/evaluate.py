"""Evaluate stage: run the exported ONNX policy for N episodes in the simulator, next to a random baseline.

With ``build_backend: unity`` the built player also runs the trained model once (the inference smoke test,
``unity.inference.run_inference_smoke_test``) and its reported episode reward is recorded as ``unity/…``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from ...errors import JobCancelled, PipelineError, SpecError, StageError
from ...sim.evaluate import evaluate
from ...sim.heuristics import heuristic_policy
from ...sim.onnx_policy import OnnxRuntimePolicy
from ...sim.policies import random_policy
from ...specs import BuildBackend
from ...unity.inference import MODEL_OVERRIDE_FLAG, model_override_support, run_inference_smoke_test
from ..outputs import BuildOutput, EvaluateOutput, TrainOutput
from ..protocol import StageContext, StageResult

EVAL_SEED_OFFSET = 1_000_003
"""Evaluation seeds differ from training seeds so the policy is scored on placements it did not train on."""

MAX_EVAL_AGENTS = 32
"""Up to this many episodes run side by side (one vectorized pass for the default 20 episodes)."""

SMOKE_TEST_EPISODES = 5
"""Episodes the Unity player runs with the trained model (a smoke test; the simulator scores the policy)."""
SMOKE_TEST_TIMEOUT_ENV = "MLOPS_UNITY_SMOKE_TEST_TIMEOUT_S"
"""Environment variable for the smoke test's time limit in seconds (default 600)."""


class EvaluateStage:
    """Scores the trained ONNX model (through onnxruntime, as Unity would run it) and a random policy."""

    name = "evaluate"

    def run(self, ctx: StageContext) -> StageResult:
        """Evaluate; outputs ``metrics`` with ``eval/…`` and ``baseline/…`` keys."""
        spec = ctx.behavior_spec
        train = ctx.output(TrainOutput)
        onnx_path = Path(train.onnx_path)
        episodes = ctx.job.rl_config.evaluation_episodes
        seed = train.seed + EVAL_SEED_OFFSET
        num_agents = min(episodes, MAX_EVAL_AGENTS)
        try:
            env = spec.make_env(num_agents=num_agents, seed=seed)
            try:
                policy = OnnxRuntimePolicy(onnx_path, signature=env.signature, deterministic=True)
                trained = evaluate(env, policy, episodes=episodes, seed=seed)
                ctx.check_cancelled()
                baseline = evaluate(
                    env, random_policy(env.signature.action_spec, seed=seed), episodes=episodes, seed=seed
                )
                ctx.check_cancelled()
                # Two more reference points for the report: the sampled policy (what training measured, and
                # what a Unity player runs, since BehaviorParameters.DeterministicInference defaults to
                # false) and the task's scripted heuristic (what "good" looks like).
                sampled_policy = OnnxRuntimePolicy(onnx_path, signature=env.signature, deterministic=False)
                sampled = evaluate(env, sampled_policy, episodes=episodes, seed=seed)
                ctx.check_cancelled()
                heuristic = self._heuristic(env, episodes, seed)
                # Offline RL: the pretrained policy is scored the same way, so the register stage can offer
                # it as its own candidate and the gate keeps it when fine-tuning did not beat it.
                pretrained_onnx = train.pretrained_onnx_path
                pretrained = None
                if pretrained_onnx:
                    ctx.check_cancelled()
                    pretrained = evaluate(
                        env,
                        OnnxRuntimePolicy(pretrained_onnx, signature=env.signature, deterministic=True),
                        episodes=episodes,
                        seed=seed,
                    )
            finally:
                env.close()
        except JobCancelled:
            raise  # a cancel between the two evaluations is a cancel, not a failed evaluation
        except PipelineError as exc:
            raise StageError(
                f"evaluation of {onnx_path} failed: {exc}", stage=self.name, run_id=ctx.job.job_id
            ) from exc
        metrics = {f"eval/{k}": v for k, v in trained.to_dict().items()}
        metrics.update({f"baseline/{k}": v for k, v in baseline.to_dict().items()})
        metrics.update({f"eval_stochastic/{k}": v for k, v in sampled.to_dict().items()})
        if heuristic is not None:
            metrics.update({f"heuristic/{k}": v for k, v in heuristic.to_dict().items()})
        pretrained_metrics = None
        if pretrained is not None:
            pretrained_metrics = {
                **{f"eval/{k}": v for k, v in pretrained.to_dict().items()},
                **{f"baseline/{k}": v for k, v in baseline.to_dict().items()},
            }
        smoke: dict[str, Any] | None = None
        paths: dict[str, str] = {}
        build = ctx.output(BuildOutput)
        if build.backend is BuildBackend.UNITY:
            ctx.check_cancelled()
            smoke = self._unity_smoke_test(ctx, build, spec.behavior_name, onnx_path)
            if smoke.get("mean_reward") is not None:
                metrics["unity/mean_reward"] = smoke["mean_reward"]
                metrics["unity/episodes"] = smoke["episodes"]
            if smoke.get("log_path"):
                paths["unity_inference_log"] = str(smoke["log_path"])
        output = EvaluateOutput(
            metrics=metrics,
            seed=seed,
            onnx_path=str(onnx_path),
            pretrained_metrics=pretrained_metrics,
            unity_inference=smoke,
            paths=paths,
        )
        return StageResult(output=output)

    @staticmethod
    def _heuristic(env: Any, episodes: int, seed: int) -> Any:
        """Score the task's scripted controller, or None for a task without one."""
        try:
            policy = heuristic_policy(env)
        except SpecError:
            return None
        return evaluate(env, policy, episodes=episodes, seed=seed)

    def _unity_smoke_test(
        self, ctx: StageContext, build: BuildOutput, behavior_name: str, onnx_path: Path
    ) -> dict[str, Any]:
        """Run the built player with the trained model, or say why it was skipped."""
        player = Path(str(build.player_path))
        if model_override_support(player) is None:
            # Without ML-Agents' ModelOverrider the player ignores the model flags and never quits by itself.
            return {
                "status": "skipped",
                "reason": (
                    f"the player {player.name} does not read {MODEL_OVERRIDE_FLAG} (no ModelOverrider script "
                    "in its assemblies), so it cannot load the trained model from outside; add ML-Agents' "
                    "ModelOverrider.cs to a scene object of the project to enable the smoke test"
                ),
            }
        # The player loads <BehaviorName>.onnx from a folder: the mlagents-learn run folder has it; any other
        # model is copied under that name.
        model_dir = onnx_path.parent
        if onnx_path.name != f"{behavior_name}.onnx":
            model_dir = ctx.job_dir / "evaluate" / "model"
            model_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(onnx_path, model_dir / f"{behavior_name}.onnx")
        timeout_s = float(os.environ.get(SMOKE_TEST_TIMEOUT_ENV, "600"))
        try:
            result = run_inference_smoke_test(
                player,
                model_dir,
                log_path=ctx.job_dir / "logs" / "unity-inference.log",
                episodes=SMOKE_TEST_EPISODES,
                timeout_s=timeout_s,
                behavior_names=(behavior_name,),
            )
        except PipelineError as exc:
            raise StageError(
                f"Unity player {player.name} with the trained model: {exc}",
                stage=self.name,
                run_id=ctx.job.job_id,
            ) from exc
        record: dict[str, Any] = {"status": "passed", **result.to_dict()}
        if not result.rewards_reported:
            record["reason"] = (
                "the player ran the model but logged no '[mlops] episode_end' lines, so no reward is "
                "recorded (the generated Agent logs them; a hand-written one can Debug.Log the same line)"
            )
        return record
