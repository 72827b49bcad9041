"""Learning checks on upstream ML-Agents configs (slow): small budgets on the simulator's upstream worlds.

Each check trains an upstream config **unchanged** (its schedules run over its own ``max_steps``; training
just stops after a small budget), exports the policy to ONNX as ``mlops-unity learn`` does, and evaluates the
export with ``sim.evaluate`` (what ``mlops-unity sim eval`` runs) next to uniformly random actions on the same
seeds. The margins were checked once against a trainer that does not learn (``learning_rate`` 1e-12): it
misses every one. Full budgets and the upstream benchmark rewards are ``bench/bench_learning.py``'s job
(figures in ``docs/trainer.md``, "Learning checks"); its POCA figures read the group reward from the
progress events, which the one fast test here guards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline import sim
from mlops_unity_pipeline.rl.config import RunOptions, load_run_options
from mlops_unity_pipeline.rl.export import export_policy
from mlops_unity_pipeline.rl.learn import LearnOptions, learn, make_trainer
from mlops_unity_pipeline.sim.evaluate import EvalResult
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.sim.policies import random_policy
from tests.conftest import anchor

from .group_env import GroupCue

EVAL_SEED = 123


@dataclass(frozen=True)
class Outcome:
    """The exported policy's evaluation next to random actions' on the same seed."""

    trained: EvalResult
    random: EvalResult


def train_and_evaluate(
    config: str, task: str, out: Path, *, budget: int, episodes: int, seed: int = 0
) -> Outcome:
    """Train ``config``'s ``task`` behavior ``budget`` agent steps; evaluate its export and random play."""
    settings = load_run_options(anchor(f"config/{config}")).behavior_settings(task)
    env = sim.make(task, seed=seed)
    try:
        trainer = make_trainer(env.signature, settings, env.num_agents, seed)
        batch = env.reset(seed=seed)
        while trainer.step < budget:
            batch = env.step(trainer.act(batch))
            trainer.observe(batch)
        model = export_policy(trainer.actor, env.signature, out / f"{task}.onnx")
        trained = sim.evaluate(
            env, OnnxRuntimePolicy(model, env.signature), episodes=episodes, seed=EVAL_SEED
        )
        baseline = random_policy(env.signature.action_spec, seed=EVAL_SEED)
        return Outcome(trained, sim.evaluate(env, baseline, episodes=episodes, seed=EVAL_SEED))
    finally:
        env.close()


@pytest.mark.slow
def test_3dballhard_ppo_balances_within_80k_steps(tmp_path):
    """ppo/3DBallHard.yaml (stacked observations, no velocity): the export balances >= 20 (random ~0.8)."""
    outcome = train_and_evaluate("ppo/3DBallHard.yaml", "3DBallHard", tmp_path, budget=80_000, episodes=36)
    assert outcome.random.mean_reward < 2.0, outcome
    assert outcome.trained.mean_reward >= 20.0, outcome


@pytest.mark.slow
def test_hallway_ppo_lstm_finds_goals_within_60k_steps(tmp_path):
    """ppo/Hallway.yaml (LSTM): the recurrent export ends episodes at a goal, mean > -0.35 (random -1.0)."""
    outcome = train_and_evaluate("ppo/Hallway.yaml", "Hallway", tmp_path, budget=60_000, episodes=32)
    # An untrained deterministic policy already gets -0.62 (its argmax walks somewhere), hence the margin.
    assert outcome.random.mean_reward < -0.9, outcome
    assert outcome.trained.mean_reward > -0.35, outcome
    assert outcome.trained.success_rate >= 0.25, outcome


@pytest.mark.slow
def test_smallwalljump_ppo_nears_the_upstream_benchmark_within_50k_steps(tmp_path):
    """ppo/WallJump.yaml, SmallWallJump: the export scores >= 0.5 (benchmark 0.8, random ~-1.07)."""
    outcome = train_and_evaluate("ppo/WallJump.yaml", "SmallWallJump", tmp_path, budget=50_000, episodes=48)
    assert outcome.random.mean_reward < -0.9, outcome
    assert outcome.trained.mean_reward >= 0.5, outcome
    assert outcome.trained.success_rate >= 0.75, outcome


@pytest.mark.slow
def test_pushblock_ppo_pushes_the_block_within_200k_steps(tmp_path):
    """ppo/PushBlock.yaml: the export scores >= 1.0 with >= 40 % success (random 0.17 / 22 %)."""
    outcome = train_and_evaluate("ppo/PushBlock.yaml", "PushBlock", tmp_path, budget=200_000, episodes=64)
    assert outcome.random.mean_reward < 1.0, outcome
    assert outcome.trained.mean_reward >= 1.0, outcome
    assert outcome.trained.success_rate >= 0.4, outcome


def test_progress_events_carry_poca_group_reward(tmp_path):
    """on_progress gets each summary's group reward (bench_learning judges POCA by it)."""
    behavior = {
        "trainer_type": "poca",
        "hyperparameters": {"batch_size": 32, "buffer_size": 128},
        "network_settings": {"hidden_units": 16, "num_layers": 1},
        "reward_signals": {"extrinsic": {"gamma": 0.9, "strength": 1.0}},
        "max_steps": 600,
        "summary_freq": 300,
        "time_horizon": 16,
    }
    options = RunOptions.from_dict(
        {
            "behaviors": {"GroupCue": behavior},
            "checkpoint_settings": {"run_id": "group", "results_dir": str(tmp_path)},
        }
    )
    events = []
    factory = lambda n, seed: GroupCue(2, seed=seed)  # noqa: E731
    learn(LearnOptions(options, env_factory=factory, quiet=True, on_progress=events.append))
    groups = [e.mean_group_reward for e in events]
    assert len(events) >= 2 and all(g is not None and np.isfinite(g) for g in groups), events
