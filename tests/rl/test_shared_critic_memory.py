"""PPO's shared critic with memory (networks.SharedCritic): value heads on the actor's encoder and LSTM."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.rl.networks import Actor, SharedCritic
from mlops_unity_pipeline.rl.ppo import PPOTrainer
from mlops_unity_pipeline.rl.support import check_supported

from .helpers import ppo_options
from .toy_env import CueRecall

MEMORY = {"memory_size": 8, "sequence_length": 4}


def _pair() -> tuple[Actor, SharedCritic]:
    torch.manual_seed(0)
    actor = Actor(CueRecall().signature, 16, 1, normalize=False, memory_size=8)
    return actor, SharedCritic(actor)


def test_values_are_the_head_on_the_actor_lstm_run_from_the_critic_memories():
    """Hand-composed encoder -> actor LSTM (critic memories) -> head; only the head is the critic's own."""
    actor, critic = _pair()
    obs, memories = torch.randn(8, 2), torch.randn(2, 8)
    values, after = critic.recurrent(obs, memories, sequence_length=4)
    h = actor.encoder(obs)
    out, expected_after = actor.memory(h.reshape(2, 4, -1), memories)
    torch.testing.assert_close(values, critic.head(out.reshape(8, -1)).squeeze(-1))
    torch.testing.assert_close(after, expected_after)
    assert [name for name, _ in critic.named_parameters()] == ["head.weight", "head.bias"]
    with pytest.raises(TrainError, match="needs its memories"):
        critic(obs)


def test_a_sequence_pass_equals_stepping_with_carried_critic_memory():
    """Two sequences of 4 at once == 8 single steps carrying each sequence's memory; lengths stop it early."""
    _, critic = _pair()
    obs, start = torch.randn(8, 2), torch.randn(2, 8)
    values, _ = critic.recurrent(obs, start, sequence_length=4)
    stepped = []
    for s in range(2):
        memory = start[s : s + 1]
        for t in range(4):
            value, memory = critic.recurrent(obs[4 * s + t : 4 * s + t + 1], memory, sequence_length=1)
            stepped.append(value)
    torch.testing.assert_close(values, torch.cat(stepped))
    _, early = critic.recurrent(obs, start, sequence_length=4, lengths=torch.tensor([2, 4]))
    _, after_two = critic.recurrent(obs[:2], start[:1], sequence_length=2)
    torch.testing.assert_close(early[0], after_two[0])


def test_the_value_loss_trains_the_actor_lstm():
    """Gradients of the values reach the actor's encoder and LSTM (one body for policy and value)."""
    actor, critic = _pair()
    critic(torch.randn(8, 2), memories=torch.zeros(2, 8), sequence_length=4).pow(2).sum().backward()
    assert actor.memory.lstm.weight_hh_l0.grad.abs().sum() > 0
    assert next(actor.encoder.parameters()).grad.abs().sum() > 0


def test_shared_critic_with_memory_passes_the_support_check_and_trains(tmp_path):
    """PPO + memory + shared_critic: supported; an update over sequences runs and moves the LSTM."""
    options = ppo_options(
        "Cue",
        results_dir=str(tmp_path),
        extra={"network_settings": {"memory": MEMORY}, "hyperparameters": {"shared_critic": True}},
    )
    check_supported(options, "Cue")
    env = CueRecall(4)
    trainer = PPOTrainer(env.signature, options.behaviors["Cue"], 4, seed=0)
    assert isinstance(trainer.critic, SharedCritic)
    before = trainer.actor.memory.lstm.weight_hh_l0.detach().clone()
    batch = env.reset(seed=0)
    while trainer.update_count == 0:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    assert not torch.equal(before, trainer.actor.memory.lstm.weight_hh_l0)
    assert np.isfinite(trainer._stats["Losses/Value Loss"]).all()


@pytest.mark.slow
def test_shared_recurrent_critic_recalls_the_cue(tmp_path):
    """CueRecall (cue at step 0, paid at step 4), 12k steps: PPO + LSTM + shared critic ends near +1."""
    behavior = {
        "trainer_type": "ppo",
        "hyperparameters": {
            "batch_size": 64,
            "buffer_size": 512,
            "learning_rate": 3e-3,
            "learning_rate_schedule": "constant",
            "beta": 1e-2,
            "num_epoch": 3,
            "shared_critic": True,
        },
        "network_settings": {
            "hidden_units": 32,
            "num_layers": 1,
            "memory": {"memory_size": 32, "sequence_length": 4},
        },
        "reward_signals": {"extrinsic": {"gamma": 0.99, "strength": 1.0}},
        "max_steps": 12000,
        "time_horizon": 16,
        "summary_freq": 2000,
    }
    options = RunOptions.from_dict(
        {
            "behaviors": {"Cue": behavior},
            "env_settings": {"seed": 0},
            "checkpoint_settings": {"run_id": "cue-shared", "results_dir": str(tmp_path)},
        }
    )
    result = learn(LearnOptions(options, env_factory=lambda n, seed: CueRecall(16, seed=seed), quiet=True))
    assert result.behaviors["Cue"].history[-1][1] >= 0.9, result.behaviors["Cue"].history
