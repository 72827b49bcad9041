"""Learning checks: worlds composed from descriptions train with PPO to clearly beat a random policy."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.behavior.world_rules import compose_world
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.sim.evaluate import evaluate
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.sim.policies import random_policy

from ..rl.helpers import ppo_options

AREAS = 16
STEPS = 150_000
"""PPO steps (the quick-start budget is 100k; about 25 s each here)."""
PPO = {
    "hyperparameters": {"batch_size": 256, "buffer_size": 4096, "learning_rate": 3.0e-4, "num_epoch": 3},
    "time_horizon": 64,
    "reward_signals": {"extrinsic": {"gamma": 0.99, "strength": 1.0}},
    "network_settings": {"normalize": True, "hidden_units": 64, "num_layers": 2},
}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("description", "spaces"),
    [
        ("Reach the goal without stepping on the lava tiles.", {}),
        (
            "Drive into the parking space and stop there.",  # the dev set's Parker, with its spaces
            {
                "observation_space": {"raycast": 12, "velocity": 2},
                "action_space": {"type": "continuous", "size": 2},
            },
        ),
    ],
)
def test_composed_world_learns_to_succeed_far_more_often_than_random(tmp_path, description, spaces):
    """PPO on the composed world: success over 64 episodes at least 2.5 times random's and at least 30 %."""
    world = compose_world({"asset_id": "w", "name": "W", "description": description, **spaces})
    steps = STEPS
    options = ppo_options(
        "W",
        results_dir=str(tmp_path),
        max_steps=steps,
        summary_freq=10_000,
        checkpoint_interval=steps,
        extra=PPO,
    )
    result = learn(
        LearnOptions(
            options, env_factory=lambda n, s: make_world(world, num_agents=AREAS, seed=s), quiet=True
        )
    )
    env = make_world(world, num_agents=AREAS, seed=5)
    trained = evaluate(
        env, OnnxRuntimePolicy(result.behaviors["W"].onnx_path, env.signature), episodes=64, seed=5
    )
    chance = evaluate(env, random_policy(env.signature.action_spec, seed=5), episodes=64, seed=5)
    print(
        f"\n{description}: trained success {trained.success_rate:.0%} (return {trained.mean_reward:+.2f}), "
        f"random {chance.success_rate:.0%} ({chance.mean_reward:+.2f})"
    )
    assert trained.success_rate >= max(0.3, 2.5 * chance.success_rate)


@pytest.mark.slow
# GoalPusher's 300k-step run (100 % vs heuristic 98 %) takes about 3 minutes: it is measured by
# `bench/bench_descriptions.py --steps recommended --only GoalPusher`, not in the timed suite.
@pytest.mark.parametrize("name", ["AppleCollector"])
def test_the_worlds_own_training_defaults_learn_close_to_the_heuristic(tmp_path, name):
    """With training_defaults' budget and network (PPO alone, no cloning) PPO nears the heuristic.

    Measured (seed 1, 16 areas): AppleCollector +5.38 at 100k (heuristic +5.94, random +0.41); GoalPusher
    100 % success at 300k (heuristic 98 %, random 30 %).
    """
    from mlops_unity_pipeline.behavior.world_training import training_defaults
    from mlops_unity_pipeline.sim.world_heuristic import world_heuristic
    from mlops_unity_pipeline.specs import RLTrainingConfig

    from .test_world_rules import CASES, _asset

    world = compose_world(_asset(name, CASES[name][0], **CASES[name][1]))
    training = training_defaults(world)
    overrides = {"default_settings": training.default_settings()}
    config = RLTrainingConfig(
        max_steps=training.max_steps, num_envs=AREAS, seed=1, mlagents_overrides=overrides
    )
    options = config.to_run_options(world.behavior_name, run_id="defaults", results_dir=tmp_path)
    result = learn(
        LearnOptions(
            options, env_factory=lambda n, s: make_world(world, num_agents=AREAS, seed=s), quiet=True
        )
    )
    env = make_world(world, num_agents=AREAS, seed=5)
    onnx = result.behaviors[world.behavior_name].onnx_path
    trained = evaluate(env, OnnxRuntimePolicy(onnx, env.signature), episodes=64, seed=5)
    scripted = evaluate(env, world_heuristic(env), episodes=64, seed=5)
    chance = evaluate(env, random_policy(env.signature.action_spec, seed=5), episodes=64, seed=5)
    print(f"\n{name}: trained {trained}, heuristic {scripted}, random {chance}")
    if any(r.success for r in world.rewards):
        assert trained.success_rate >= max(0.8 * scripted.success_rate, chance.success_rate + 0.3)
    else:
        assert trained.mean_reward >= max(0.7 * scripted.mean_reward, 3 * chance.mean_reward)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["SignReader", "SwitchOpener"])
def test_a_job_cloning_the_heuristic_learns_switches_and_cues(tmp_path, name):
    """A real job (20k steps): the cloned heuristic, fine-tuned, nears the heuristic and far beats random.

    PPO alone scores 0 % on both at 100k steps (docs/descriptions.md); the job records 100 heuristic
    episodes, pretrains on them and fine-tunes.
    """
    import asyncio

    from mlops_unity_pipeline.orchestrator import UnityMLOpsOrchestrator
    from mlops_unity_pipeline.registry import PromotionGate
    from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingJob

    from .test_world_rules import CASES, _asset

    asset = _asset(name, CASES[name][0], **CASES[name][1])
    orchestrator = UnityMLOpsOrchestrator(
        tmp_path, promotion_gate=PromotionGate(require_beats_baseline=False)
    )
    config = RLTrainingConfig(max_steps=20_000, num_envs=AREAS, seed=1, evaluation_episodes=32)
    result = asyncio.run(
        orchestrator.execute_training_job(
            TrainingJob(job_id=name.lower(), asset_spec=asset, rl_config=config)
        )
    )
    assert result.ok, result.error
    m = result.metrics
    print(
        f"\n{name}: trained {m['eval/success_rate']:.0%}, random {m['baseline/success_rate']:.0%}, "
        f"heuristic {m['heuristic/success_rate']:.0%}"
    )
    assert m["eval/success_rate"] >= max(0.8 * m["heuristic/success_rate"], m["baseline/success_rate"] + 0.5)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["GoalPusher", "BuddyPushers"])
def test_a_job_cloning_the_cruising_heuristic_pushes_blocks_home(tmp_path, name):
    """A real job (20k steps) on the push worlds, alone and as a team of two: far better than random.

    The heuristic's cruise speed made its demonstrations short straight pushes; at 100k the bench measured
    GoalPusher 95 % (random 30 %) and BuddyPushers 100 % (random 9 %).
    """
    import asyncio

    from mlops_unity_pipeline.orchestrator import UnityMLOpsOrchestrator
    from mlops_unity_pipeline.registry import PromotionGate
    from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingJob

    from .test_world_rules import CASES, _asset

    asset = _asset(name, CASES[name][0], **CASES[name][1])
    orchestrator = UnityMLOpsOrchestrator(
        tmp_path, promotion_gate=PromotionGate(require_beats_baseline=False)
    )
    config = RLTrainingConfig(max_steps=20_000, num_envs=AREAS, seed=1, evaluation_episodes=32)
    result = asyncio.run(
        orchestrator.execute_training_job(
            TrainingJob(job_id=name.lower(), asset_spec=asset, rl_config=config)
        )
    )
    assert result.ok, result.error
    m = result.metrics
    print(
        f"\n{name}: trained {m['eval/success_rate']:.0%}, random {m['baseline/success_rate']:.0%}, "
        f"heuristic {m['heuristic/success_rate']:.0%}"
    )
    assert m["eval/success_rate"] >= m["baseline/success_rate"] + 0.3
