"""Learning check (slow): upstream's PPO FoodCollector config on world:FoodCollector beats random play.

The full figure (the shipped world, larger budgets, the upstream benchmark 10) is ``bench/bench_learning.py
--only foodcollector``. Here the world is made denser so a small budget shows learning: the same 25 food and
25 bad food, agents, sensors, laser and physics in a 40 x 40 arena (spawns within +-15 instead of +-45), and
episodes of 1000 physics steps (200 decisions) instead of 5000.
"""

from __future__ import annotations

import pytest
import yaml

from mlops_unity_pipeline.rl.config import load_run_options
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.sim import evaluate, make_world
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.sim.policies import random_policy
from mlops_unity_pipeline.world import library_worlds, load_world, world_from_dict, world_to_dict
from tests.conftest import anchor

pytestmark = pytest.mark.slow
AREAS = 8
BUDGET = 50_000
HALF = 15.0


def _dense_world():
    data = world_to_dict(load_world(library_worlds()["FoodCollector"]))
    data["arena"]["size"] = [2 * HALF + 10, 2 * HALF + 10]
    spawn = {"area": [[-HALF, -HALF], [HALF, HALF]]}
    for entity in data["entities"]:
        entity["spawn"] = spawn
    data["agent"]["spawn"] = spawn
    data["max_step"] = 1000
    return world_from_dict(data)


def _config(tmp_path):
    """ppo/FoodCollector.yaml but for max_steps; GridFoodCollector's settings named FoodCollector."""
    data = yaml.safe_load(anchor("config/ppo/FoodCollector.yaml").read_text())
    behavior = data["behaviors"].pop("GridFoodCollector")
    behavior.update(max_steps=BUDGET, checkpoint_interval=BUDGET)
    data["behaviors"]["FoodCollector"] = behavior
    path = tmp_path / "FoodCollector.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_ppo_upstream_config_beats_random_on_food_collector(tmp_path):
    """50k steps of ppo/FoodCollector.yaml: the exported policy collects clearly more than random actions."""
    world = _dense_world()
    options = load_run_options(_config(tmp_path)).with_cli_overrides(
        run_id="food", results_dir=str(tmp_path), seed=0, force=True
    )
    result = learn(
        LearnOptions(
            options, env_factory=lambda n, s: make_world(world, num_agents=5 * AREAS * n, seed=s), quiet=True
        )
    )
    model = result.behaviors["FoodCollector"].onnx_path
    scores = {}
    for name in ("trained", "random"):
        env = make_world(world, num_agents=5 * AREAS, seed=1)
        spec = env.signature.action_spec
        policy = OnnxRuntimePolicy(model) if name == "trained" else random_policy(spec, seed=1)
        scores[name] = evaluate(env, policy, episodes=100, seed=1).mean_reward
    assert abs(scores["random"]) < 0.3  # random actions eat food and bad food alike
    assert scores["trained"] >= scores["random"] + 0.4, scores
