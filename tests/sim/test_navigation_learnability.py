"""The guide's NavigationAgent is learnable by PPO: reward-design invariants (fast), a learning check (slow).

Regression guard for "PPO stands still": with a sparse reward (+1 only on reaching a target at least one arena
half extent away) and a collision penalty of -0.05 per blocked physics step, an untrained PPO policy reached
the target in ~1% of episodes while losing ~5 per episode to collisions, so every setting tried settled on
standing still (reward -1.0, 0% success). The fix: ``progress_reward`` (potential-based shaping, a dense
signal towards the target) and a collision penalty small enough that exploring is cheaper than a success.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from mlops_unity_pipeline.behavior import interpret
from mlops_unity_pipeline.sim import evaluate, make_navigation
from mlops_unity_pipeline.sim.heuristics import heuristic_policy
from mlops_unity_pipeline.sim.policies import random_policy
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.specs import UnityAssetSpec

QUICK_START_ASSET = UnityAssetSpec(
    asset_id="nav-001",
    name="NavigationAgent",
    asset_type="behavior",
    description="Navigate around obstacles to reach a target",
    observation_space={"raycast": 8, "velocity": 2},
    action_space={"type": "continuous", "size": 2},
)
"""The asset of the guide's quick start (../shared/GUIDE.md), verbatim."""


def _quick_start_spec():
    return interpret(QUICK_START_ASSET).spec


def test_quick_start_asset_maps_to_a_shaped_reward():
    """The guide's asset gets progress shaping and a collision penalty below the reach reward per second."""
    params = _quick_start_spec().to_navigation_params()
    assert params.progress_reward > 0.0
    blocked_second = round(1.0 / 0.02) * params.collision_penalty  # 50 physics steps pressing into a wall
    assert abs(blocked_second) < params.reach_reward


def test_exploring_costs_less_than_half_a_success():
    """Untrained PPO actions (clamp(N(0,1), -3, 3) / 3) lose < reach_reward / 2 against standing still."""
    params = _quick_start_spec().to_navigation_params()
    n = 32
    env = make_navigation(params, num_agents=n, seed=0)
    batch = env.reset(seed=0)
    rng = np.random.default_rng(0)
    returns, running = [], np.zeros(n)
    for _ in range(params.max_step // params.decision_period):  # one full episode per agent
        actions = (np.clip(rng.normal(size=(n, 2)), -3.0, 3.0) / 3.0).astype(np.float32)
        batch = env.step(ActionTuple(actions, np.zeros((n, 0), np.int32)))
        running += batch.reward
        ended = batch.terminated | batch.truncated
        returns += running[ended].tolist()
        running[ended] = 0.0
    standing_still = params.time_penalty  # no collisions, no progress, times out
    assert len(returns) >= n
    assert standing_still - np.mean(returns) < params.reach_reward / 2


def test_heading_for_the_target_pays_at_almost_every_decision():
    """Dense signal: the heuristic out-earns standing still at >= 90% of decisions, not only at the end."""
    params = _quick_start_spec().to_navigation_params()
    env = make_navigation(params, num_agents=16, seed=1)
    batch = env.reset(seed=1)
    policy = heuristic_policy(env)
    still = params.time_penalty * params.decision_period / params.max_step  # one decision of standing still
    better = []
    for _ in range(40):
        batch = env.step(policy(batch))
        better.append(batch.reward > still + 1e-6)
    assert np.mean(better) >= 0.9


@pytest.mark.slow
def test_ppo_learns_the_quick_start_navigation_agent(quickstart_full_run):
    """The quick start's PPO config (100k steps, 16 envs) on the guide's asset: success >= 60%, >> random.

    The model is the one the guide's quick start itself trained and registered (the session fixture shared
    with tests/examples): the same config, trained once per run instead of twice.
    """
    from mlops_unity_pipeline.registry import LocalRegistry
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
    from mlops_unity_pipeline.store.artifacts import ArtifactStore

    workspace = quickstart_full_run.workspace
    registry = LocalRegistry(workspace / "registry", ArtifactStore(workspace / "artifacts"))
    version = registry.get_version(QUICK_START_ASSET.asset_id, "latest")
    package = workspace / "jobs" / version.job_id / "attempt-1" / "package"
    metadata = json.loads((package / "metadata.json").read_text())
    trained_with = metadata["trainer_config"]["behaviors"]["NavigationAgent"]
    assert (trained_with["trainer_type"], trained_with["max_steps"]) == ("ppo", 100_000)
    assert metadata["trainer_config"]["env_settings"]["num_envs"] == 16
    spec = _quick_start_spec()
    env = spec.make_env(num_agents=16, seed=123)
    model = registry.model_file(QUICK_START_ASSET.asset_id, version.version)
    trained = evaluate(env, OnnxRuntimePolicy(model), episodes=64, seed=123)
    random = evaluate(env, random_policy(env.signature.action_spec, seed=0), episodes=64, seed=123)
    assert trained.success_rate >= 0.6, trained
    assert trained.success_rate >= random.success_rate + 0.5
    assert trained.mean_reward > random.mean_reward + 1.0
