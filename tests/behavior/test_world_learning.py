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
