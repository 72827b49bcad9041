"""PPO with behavioral_cloning and reward_signals.gail: hooks run, tags logged, BC anneals, checkpoints."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from mlops_unity_pipeline import sim
from mlops_unity_pipeline.errors import DemoFormatError
from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.rl.ppo import PPOTrainer
from tests.conftest import anchor

from .helpers import trainer_settings


def _basic_options(tmp_path, extra: dict, max_steps: int = 600) -> RunOptions:
    behavior = {
        "trainer_type": "ppo",
        "hyperparameters": {"batch_size": 32, "buffer_size": 128, "learning_rate": 3e-3, "num_epoch": 2},
        "network_settings": {"normalize": False, "hidden_units": 32, "num_layers": 1},
        "reward_signals": {"extrinsic": {"gamma": 0.9, "strength": 1.0}},
        "max_steps": max_steps,
        "time_horizon": 16,
        "summary_freq": 200,
        "checkpoint_interval": max_steps,
        **extra,
    }
    return RunOptions.from_dict(
        {
            "behaviors": {"Basic": behavior},
            "env_settings": {"seed": 1},
            "checkpoint_settings": {"run_id": "run", "results_dir": str(tmp_path)},
        }
    )


def _scalars(run_dir) -> set[str]:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    acc = EventAccumulator(str(run_dir / "Basic"))
    acc.Reload()
    return set(acc.Tags()["scalars"])


def test_ppo_with_bc_and_gail_logs_ml_agents_tags(tmp_path):
    """A short Basic run with both settings writes the BC and GAIL tags and a checkpoint with their state."""
    demo = str(anchor("demos/ExpertBasic.demo"))
    options = _basic_options(
        tmp_path,
        {
            "behavioral_cloning": {"demo_path": demo, "strength": 0.5, "steps": 400},
            "reward_signals": {
                "extrinsic": {"gamma": 0.9, "strength": 1.0},
                "gail": {
                    "demo_path": demo,
                    "strength": 0.1,
                    "gamma": 0.9,
                    "use_actions": True,
                    "use_vail": True,
                },
            },
        },
    )
    result = learn(LearnOptions(run_options=options, env="sim:Basic", quiet=True))
    tags = _scalars(result.run_dir)
    assert {
        "Losses/Pretraining Loss",
        "Losses/GAIL Loss",
        "Policy/GAIL Policy Estimate",
        "Policy/GAIL Expert Estimate",
        "Policy/GAIL Beta",
        "Losses/GAIL KL Loss",
        "Policy/Gail Reward",
        "Policy/Gail Value Estimate",
    } <= tags
    state = torch.load(result.run_dir / "Basic" / "checkpoint.pt", weights_only=False)
    assert {"Policy", "Critic", "GAIL", "GAILCritic", "BC_optimizer", "GAIL_optimizer"} <= set(state)


def test_bc_strength_anneals_to_zero_over_steps():
    """The trainer's BC module: full strength at step 0, none after `steps` (no gradient steps)."""
    settings = trainer_settings(
        behavioral_cloning={
            "demo_path": str(anchor("demos/ExpertBasic.demo")),
            "strength": 1.0,
            "steps": 1000,
        }
    )
    trainer = PPOTrainer(sim.make("Basic").signature, settings, num_agents=1, seed=0)
    assert trainer.imitation is not None and trainer.imitation.gail is None
    bc = trainer.imitation.bc
    assert bc.learning_rate(0) == pytest.approx(1e-3) and bc.update(1000).minibatches == 0
    assert bc.update(0).minibatches == 2 * (72 // 32)  # num_epoch x full passes of batch_size


def test_bc_alone_makes_ppo_imitate_the_demonstrator(tmp_path):
    """PPO whose only learning signal is strong BC (extrinsic strength 0) still learns Basic's 'go right'."""
    demo = str(anchor("demos/ExpertBasic.demo"))
    options = _basic_options(
        tmp_path,
        {
            "behavioral_cloning": {"demo_path": demo, "strength": 1.0},
            "reward_signals": {"extrinsic": {"gamma": 0.9, "strength": 0.0}},
        },
        max_steps=800,
    )
    control = _basic_options(
        tmp_path / "control",
        {"reward_signals": {"extrinsic": {"gamma": 0.9, "strength": 0.0}}},
        max_steps=800,
    )
    from mlops_unity_pipeline.sim.evaluate import evaluate
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy

    env = sim.make("Basic")

    def score(opts: RunOptions) -> float:
        onnx = learn(LearnOptions(run_options=opts, env="sim:Basic", quiet=True)).behaviors["Basic"].onnx_path
        return evaluate(env, OnnxRuntimePolicy(onnx, env.signature), episodes=5, seed=0).mean_reward

    assert score(control) < 0.8 <= score(options)  # without BC nothing is learned from a zero reward


def test_gail_with_mismatched_demo_is_a_clear_error():
    """A 3DBall demonstration for Basic fails at trainer construction, showing both specs."""
    settings = trainer_settings(
        reward_signals={"extrinsic": {}, "gail": {"demo_path": str(anchor("demos/Expert3DBall.demo"))}}
    )
    with pytest.raises(
        DemoFormatError, match=r"demo has observations \[\[8\]\].*expects observations \[\[20\]\]"
    ):
        PPOTrainer(sim.make("Basic").signature, settings, num_agents=1, seed=0)


def test_gail_advantages_are_the_mean_of_both_signals():
    """process() returns (extrinsic + GAIL) / 2 on valid cells and stores the rows for the update."""
    settings = trainer_settings(
        reward_signals={
            "extrinsic": {},
            "gail": {"demo_path": str(anchor("demos/ExpertBasic.demo")), "strength": 1.0},
        }
    )
    trainer = PPOTrainer(sim.make("Basic").signature, settings, num_agents=1, seed=0)
    from mlops_unity_pipeline.rl.buffers import Segment

    k, span = 2, 3
    seg = Segment(
        obs=np.random.default_rng(0).random((k, span, 20), dtype=np.float32),
        continuous=np.zeros((k, span, 0), np.float32),
        discrete=np.ones((k, span, 1), np.int64),
        masks=np.ones((k, span, 3), np.float32),
        log_probs=np.zeros((k, span, 1), np.float32),
        rewards=np.zeros((k, span), np.float32),
        lengths=np.array([3, 2]),
        bootstrap_obs=np.zeros((k, 20), np.float32),
        terminated=np.array([True, False]),
    )
    zeros = np.zeros((k, span), np.float32)
    mixed, stats = trainer.imitation.process([seg], seg.valid(), zeros, 0.95)
    assert stats["Policy/Gail Reward"] > 0.0
    assert np.all(mixed[seg.valid()] != 0.0) and np.all(mixed[~seg.valid()] == 0.0)
    out = trainer.imitation.update(0)
    assert "Losses/GAIL Loss" in out and json.dumps(out)


def test_sac_minibatch_gets_gail_rewards_and_a_discriminator_step():
    """For SAC: strength x GAIL reward per replay row, one discriminator step, no GAIL critic."""
    from mlops_unity_pipeline.rl.offline.components import ImitationComponents
    from mlops_unity_pipeline.rl.sac import make_networks as make_sac_networks

    demo = str(anchor("demos/Expert3DBall.demo"))
    settings = trainer_settings(
        "sac", reward_signals={"extrinsic": {}, "gail": {"demo_path": demo, "strength": 0.5}}
    )
    signature = sim.make("3DBall").signature
    actor = make_sac_networks(signature, settings)[0]
    parts = ImitationComponents.from_settings(
        signature, settings, actor, torch.Generator().manual_seed(0), value_network=False
    )
    assert parts is not None and parts.gail_critic is None and set(parts.modules()) == {"GAIL"}
    mb = {
        "obs": torch.randn(16, 8),
        "continuous": torch.rand(16, 2) * 2 - 1,
        "discrete": torch.zeros((16, 0), dtype=torch.int32),
        "terminated": torch.zeros(16),
        "rewards": torch.zeros(16),
    }
    before = [p.detach().clone() for p in parts.gail.discriminator.parameters()]
    rewards, stats = parts.sac_rewards(mb)
    assert rewards.shape == (16,) and float(rewards.min()) > 0.0
    assert "Losses/GAIL Loss" in stats and "Policy/Gail Reward" in stats
    after = list(parts.gail.discriminator.parameters())
    assert any(not torch.equal(a, b) for a, b in zip(before, after, strict=True))


def test_sac_with_bc_and_gail_logs_ml_agents_tags(tmp_path):
    """A short SAC run on Basic with both settings logs the BC and GAIL tags and saves the discriminator."""
    demo = str(anchor("demos/ExpertBasic.demo"))
    behavior = {
        "trainer_type": "sac",
        "hyperparameters": {
            "batch_size": 32,
            "buffer_size": 1000,
            "buffer_init_steps": 50,
            "steps_per_update": 4,
        },
        "network_settings": {"normalize": False, "hidden_units": 32, "num_layers": 1},
        "behavioral_cloning": {"demo_path": demo, "strength": 0.5, "steps": 300, "samples_per_update": 32},
        "reward_signals": {"extrinsic": {"gamma": 0.9}, "gail": {"demo_path": demo, "strength": 0.1}},
        "max_steps": 300,
        "time_horizon": 16,
        "summary_freq": 100,
        "checkpoint_interval": 300,
    }
    options = RunOptions.from_dict(
        {
            "behaviors": {"Basic": behavior},
            "env_settings": {"seed": 1},
            "checkpoint_settings": {"run_id": "sac", "results_dir": str(tmp_path)},
        }
    )
    result = learn(LearnOptions(run_options=options, env="sim:Basic", quiet=True))
    assert {
        "Losses/Pretraining Loss",
        "Losses/GAIL Loss",
        "Policy/Gail Reward",
        "Losses/Q1 Loss",
    } <= _scalars(result.run_dir)
    state = torch.load(result.run_dir / "Basic" / "checkpoint.pt", weights_only=False)
    assert {"GAIL", "BC_optimizer", "GAIL_optimizer"} <= set(state) and "GAILCritic" not in state


def test_run_with_bc_and_gail_resumes(tmp_path):
    """--resume restores the discriminator, GAIL critic and BC/GAIL optimizers and carries on."""
    import dataclasses

    demo = str(anchor("demos/ExpertBasic.demo"))
    extra = {
        "behavioral_cloning": {"demo_path": demo, "steps": 1000},
        "reward_signals": {"extrinsic": {"gamma": 0.9}, "gail": {"demo_path": demo, "strength": 0.1}},
    }
    first = learn(
        LearnOptions(run_options=_basic_options(tmp_path, extra, max_steps=300), env="sim:Basic", quiet=True)
    )
    saved = torch.load(first.run_dir / "Basic" / "checkpoint.pt", weights_only=False)
    options = _basic_options(tmp_path, extra, max_steps=600)
    options = dataclasses.replace(
        options, checkpoint_settings=dataclasses.replace(options.checkpoint_settings, resume=True)
    )
    second = learn(LearnOptions(run_options=options, env="sim:Basic", quiet=True))
    assert second.behaviors["Basic"].steps >= 600 > saved["global_step"] >= 300
    resumed = torch.load(second.run_dir / "Basic" / "checkpoint.pt", weights_only=False)
    assert not torch.equal(resumed["GAIL"]["estimator.weight"], saved["GAIL"]["estimator.weight"])
