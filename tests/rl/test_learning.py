"""Learning checks with small budgets (slow): upstream configs on the simulator, SAC and exploration on toys.

Full budgets (3DBall to 90, SAC 3DBall, Navigation success) are measured by ``bench/bench_trainer.py``.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest

from mlops_unity_pipeline.errors import JobCancelled
from mlops_unity_pipeline.rl.config import RunOptions, load_run_options
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from tests.conftest import REPO_ROOT, anchor

from .helpers import sac_options
from .toy_env import CueRecall, LineTarget, SparseChain

pytestmark = pytest.mark.slow


def _train(config, env, tmp_path, *, budget, num_envs=1, seed=0):
    """Train an upstream config unchanged (schedules over its own max_steps); stop after ``budget``."""
    options = load_run_options(config).with_cli_overrides(
        run_id="t", results_dir=str(tmp_path), seed=seed, num_envs=num_envs
    )
    recent: deque[float] = deque(maxlen=100)
    steps = {"now": 0}

    def on_episodes(behavior, step, rewards):
        recent.extend(rewards.tolist())
        steps["now"] = step

    try:
        learn(
            LearnOptions(
                options,
                env=env,
                quiet=True,
                on_episodes=on_episodes,
                should_stop=lambda: steps["now"] >= budget,
            )
        )
    except JobCancelled:
        pass
    return float(np.mean(recent))


def test_basic_ppo_upstream_config_reaches_0_9(tmp_path):
    """ppo/Basic.yaml (unchanged) on sim Basic: mean of the last 100 episodes >= 0.9 within 25k steps."""
    assert _train(anchor("config/ppo/Basic.yaml"), "sim:Basic", tmp_path, budget=25_000) >= 0.9


def test_3dball_ppo_upstream_config_learns(tmp_path):
    """ppo/3DBall.yaml (unchanged): the last-100 mean climbs from ~1.2 (random) to >= 5 within 72k steps."""
    assert _train(anchor("config/ppo/3DBall.yaml"), "sim:3DBall", tmp_path, budget=72_000) >= 5.0


def test_sac_learns_toy_continuous(tmp_path):
    """SAC reaches the target on the toy line task (mean episode reward > 0.8)."""
    opts = sac_options(results_dir=str(tmp_path), max_steps=4000, summary_freq=1000, checkpoint_interval=4000)
    result = learn(LearnOptions(opts, env_factory=lambda n, s: LineTarget(8, seed=s), quiet=True))
    assert result.behaviors["Line"].mean_reward > 0.8


def test_navigation_ppo_with_behavioral_cloning_reaches_90_percent(tmp_path):
    """NavigationAgent (default params), bench config PPO + BC from heuristic demos: success >= 90%."""
    import subprocess
    import sys

    import yaml

    from mlops_unity_pipeline import sim
    from mlops_unity_pipeline.rl.config import RunOptions
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy

    demo = tmp_path / "nav.demo"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "demo",
            "record",
            "Navigation",
            "--episodes",
            "200",
            "--out",
            str(demo),
            "--seed",
            "7",
        ],
        check=True,
        capture_output=True,
    )
    data = yaml.safe_load((REPO_ROOT / "bench" / "configs" / "NavigationAgent.yaml").read_text())
    settings = data["behaviors"]["NavigationAgent"]
    settings["behavioral_cloning"]["demo_path"] = str(demo)
    options = RunOptions.from_dict(data).with_cli_overrides(run_id="nav", results_dir=str(tmp_path), seed=0)
    result = learn(LearnOptions(options, env="sim:Navigation", quiet=True))
    env = sim.make("Navigation", seed=123)
    policy = OnnxRuntimePolicy(result.behaviors["NavigationAgent"].onnx_path, env.signature)
    assert sim.evaluate(env, policy, episodes=100, seed=123).success_rate >= 0.9


def _chain_run(tmp_path, signal: str, lure: float) -> tuple[SparseChain, float]:
    """PPO on the sparse chain (length 20, 40 steps, seed 0) for 16k steps, with one exploration signal."""
    signals: dict = {"extrinsic": {"gamma": 0.99, "strength": 1.0}}
    if signal == "rnd":
        signals["rnd"] = {"strength": 0.5, "learning_rate": 1e-3, "network_settings": {"hidden_units": 64}}
    if signal == "curiosity":
        signals["curiosity"] = {
            "strength": 0.1,
            "learning_rate": 1e-3,
            "network_settings": {"hidden_units": 64},
        }
    behavior = {
        "trainer_type": "ppo",
        "hyperparameters": {
            "batch_size": 128,
            "buffer_size": 1024,
            "learning_rate": 1e-3,
            "learning_rate_schedule": "constant",
            "beta": 5e-3,
        },
        "network_settings": {"hidden_units": 64, "num_layers": 2},
        "reward_signals": signals,
        "max_steps": 16000,
        "time_horizon": 64,
        "summary_freq": 4000,
    }
    options = RunOptions.from_dict(
        {
            "behaviors": {"Chain": behavior},
            "env_settings": {"seed": 0},
            "checkpoint_settings": {"run_id": signal, "results_dir": str(tmp_path)},
        }
    )
    envs: list[SparseChain] = []

    def factory(num_agents, seed):
        envs.append(SparseChain(8, length=20, max_steps=40, lure=lure, seed=seed))
        return envs[-1]

    result = learn(LearnOptions(options, env_factory=factory, quiet=True))
    return envs[0], result.behaviors["Chain"].history[-1][1]


def test_rnd_escapes_a_deceptive_local_optimum_extrinsic_ppo_settles_in(tmp_path):
    """Chain with a small lure at the start: PPO alone never reaches the goal, PPO + RND converges to it."""
    plain, _ = _chain_run(tmp_path, "none", lure=0.01)
    explored, final_mean = _chain_run(tmp_path, "rnd", lure=0.01)
    assert plain.successes == 0
    assert final_mean >= 0.9 and explored.successes > 100


def test_curiosity_finds_a_sparse_reward_extrinsic_ppo_never_sees(tmp_path):
    """Chain without lure: in 16k steps PPO alone never reaches the goal, PPO + curiosity converges to it."""
    plain, _ = _chain_run(tmp_path, "none", lure=0.0)
    explored, final_mean = _chain_run(tmp_path, "curiosity", lure=0.0)
    assert plain.successes == 0
    assert final_mean >= 0.9 and explored.successes > 100


def _cue_run(tmp_path, memory: bool) -> float:
    """PPO on CueRecall (16 agents, cue at step 0, paid at step 4) for 12k steps; the last summary's mean."""
    network: dict = {"hidden_units": 32, "num_layers": 1}
    if memory:
        network["memory"] = {"memory_size": 32, "sequence_length": 4}
    behavior = {
        "trainer_type": "ppo",
        "hyperparameters": {
            "batch_size": 64,
            "buffer_size": 512,
            "learning_rate": 3e-3,
            "learning_rate_schedule": "constant",
            "beta": 1e-2,
            "num_epoch": 3,
        },
        "network_settings": network,
        "reward_signals": {"extrinsic": {"gamma": 0.99, "strength": 1.0}},
        "max_steps": 12000,
        "time_horizon": 16,
        "summary_freq": 2000,
    }
    options = RunOptions.from_dict(
        {
            "behaviors": {"Cue": behavior},
            "env_settings": {"seed": 0},
            "checkpoint_settings": {"run_id": f"cue-{memory}", "results_dir": str(tmp_path)},
        }
    )
    result = learn(LearnOptions(options, env_factory=lambda n, seed: CueRecall(16, seed=seed), quiet=True))
    return result.behaviors["Cue"].history[-1][1]


def test_lstm_recalls_a_cue_a_feed_forward_policy_cannot_beat_chance(tmp_path):
    """Cue at step 0, reward at step 4: PPO + LSTM ends near +1, the feed-forward policy stays near 0."""
    assert _cue_run(tmp_path, memory=True) >= 0.9
    assert abs(_cue_run(tmp_path, memory=False)) <= 0.3
