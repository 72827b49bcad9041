"""Evaluate stage: run the exported ONNX policy for N episodes in the simulator, next to a random baseline."""

from __future__ import annotations

from pathlib import Path

from ...errors import PipelineError, StageError
from ..protocol import StageContext, StageResult
from ._common import load_behavior_spec

EVAL_SEED_OFFSET = 1_000_003
"""Evaluation seeds differ from training seeds so the policy is scored on placements it did not train on."""

MAX_EVAL_AGENTS = 32
"""Up to this many episodes run side by side (one vectorized pass for the default 20 episodes)."""


class EvaluateStage:
    """Scores the trained ONNX model (through onnxruntime, as Unity would run it) and a random policy."""

    name = "evaluate"

    def run(self, ctx: StageContext) -> StageResult:
        """Evaluate; outputs ``metrics`` with ``eval/…`` and ``baseline/…`` keys."""
        from ...sim.evaluate import evaluate
        from ...sim.onnx_policy import OnnxPolicy
        from ...sim.policies import random_policy

        spec = load_behavior_spec(ctx, self.name)
        train = ctx.output("train")
        onnx_path = Path(train["onnx_path"])
        episodes = ctx.job.rl_config.evaluation_episodes
        seed = int(train["seed"]) + EVAL_SEED_OFFSET
        num_agents = min(episodes, MAX_EVAL_AGENTS)
        try:
            env = spec.make_env(num_agents=num_agents, seed=seed)
            try:
                policy = OnnxPolicy(onnx_path, signature=env.signature, deterministic=True)
                trained = evaluate(env, policy, episodes=episodes, seed=seed)
                ctx.check_cancelled()
                baseline = evaluate(
                    env, random_policy(env.signature.action_spec, seed=seed), episodes=episodes, seed=seed
                )
            finally:
                env.close()
        except PipelineError as exc:
            raise StageError(
                f"evaluation of {onnx_path} failed: {exc}", stage=self.name, run_id=ctx.job.job_id
            ) from exc
        metrics = {f"eval/{k}": v for k, v in trained.to_dict().items()}
        metrics.update({f"baseline/{k}": v for k, v in baseline.to_dict().items()})
        return StageResult(outputs={"metrics": metrics, "seed": seed, "onnx_path": str(onnx_path)})
