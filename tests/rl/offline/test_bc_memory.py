"""Behavioral cloning of a recurrent policy (rl/offline/bc.py): sequences, zero memories, masked padding."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import torch

from mlops_unity_pipeline.rl.config import BehavioralCloningSettings
from mlops_unity_pipeline.rl.networks import Actor
from mlops_unity_pipeline.rl.offline.bc import BCModule, bc_loss, demo_sequences

from .helpers import signature, transitions


def _recurrent_actor(obs: int = 2, branches: tuple[int, ...] = (2,)) -> Actor:
    torch.manual_seed(0)
    return Actor(signature(0, branches, obs), 16, 1, normalize=False, memory_size=8)


def test_sequences_are_cut_at_episode_ends_and_padded_at_their_end():
    """8 rows, episodes ending at rows 1 and 7, length 3: [0 1 -][2 3 4][5 6 7]; no ends: one stream."""
    data = transitions(torch.zeros(8, 2))
    ends = torch.zeros(8, dtype=torch.bool)
    ends[[1, 7]] = True
    cut = demo_sequences(replace(data, episode_ends=ends), 3)
    assert cut.tolist() == [[0, 1, -1], [2, 3, 4], [5, 6, 7]]
    assert demo_sequences(data, 3).tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, -1]]
    assert demo_sequences(data, 1).tolist() == [[i] for i in range(8)]


def test_recurrent_loss_equals_stepping_each_sequence_from_a_zero_memory():
    """The sequence pass equals one step at a time with carried memory; padding rows count for nothing."""
    actor = _recurrent_actor()
    obs = torch.randn(6, 2)
    actions = torch.tensor([[0], [1], [1], [0], [1], [0]])
    data = transitions(obs, discrete=actions, branches=(2,))
    valid = torch.tensor([True, True, True, True, True, False])  # sequences [0 1 2] and [3 4 pad]
    loss = bc_loss(actor, data, sequence_length=3, valid=valid)
    terms = []
    for start in (0, 3):
        memory = torch.zeros(1, 8)
        for row in range(start, start + 3):
            _, _, branch_lp, memory = actor.recurrent_heads(obs[row : row + 1], torch.ones(1, 2), memory, 1)
            if valid[row]:
                terms.append(-branch_lp[0][0, actions[row, 0]])
    torch.testing.assert_close(loss, torch.stack(terms).mean())
    changed = transitions(obs.clone(), discrete=actions.clone(), branches=(2,))
    changed.obs[5] = 100.0  # the padding row's content is ignored
    changed.discrete[5] = 1
    torch.testing.assert_close(bc_loss(actor, changed, sequence_length=3, valid=valid), loss)


def test_bc_module_batches_whole_sequences_of_the_configured_length():
    """batch_size 8, sequence_length 4: minibatches of 2 sequences (8 rows) from a zero memory each."""
    actor = _recurrent_actor()
    data = transitions(torch.randn(16, 2), discrete=torch.zeros(16, 1), branches=(2,))
    settings = BehavioralCloningSettings(demo_path="x.demo", strength=1.0, batch_size=8, num_epoch=1)
    seen: list[tuple[int, int]] = []
    module = BCModule(
        actor,
        settings,
        data,
        learning_rate=1e-3,
        default_batch_size=8,
        default_num_epoch=1,
        generator=torch.Generator().manual_seed(0),
        sequence_length=4,
    )
    original = actor.recurrent_heads

    def spy(obs, mask, memories, sequence_length=1, normalized=False):
        seen.append((obs.shape[0], sequence_length))
        assert torch.count_nonzero(memories) == 0
        return original(obs, mask, memories, sequence_length, normalized)

    actor.recurrent_heads = spy  # type: ignore[method-assign]
    stats = module.update(step=0)
    assert stats.minibatches == 2 and seen == [(8, 4), (8, 4)]


def test_cloning_learns_what_only_a_memory_can_recall():
    """The demonstrated action repeats a cue seen at an episode's first step only: the LSTM recalls it."""
    gen = torch.Generator().manual_seed(0)
    episodes, length = 64, 4
    cue = torch.randint(0, 2, (episodes,), generator=gen)
    obs = torch.zeros(episodes, length, 2)
    obs[:, 0, 0] = cue.float() * 2 - 1  # only the first step shows the cue
    obs[:, :, 1] = torch.arange(length).float() / length  # the clock
    actions = cue.repeat_interleave(length).view(-1, 1)
    ends = torch.zeros(episodes, length, dtype=torch.bool)
    ends[:, -1] = True
    data = replace(
        transitions(obs.view(-1, 2), discrete=actions, branches=(2,)), episode_ends=ends.view(-1)
    )
    actor = _recurrent_actor()
    settings = BehavioralCloningSettings(demo_path="x.demo", strength=1.0, batch_size=64, num_epoch=4)
    module = BCModule(
        actor,
        settings,
        data,
        learning_rate=1e-2,
        default_batch_size=64,
        default_num_epoch=4,
        generator=gen,
        sequence_length=length,
    )
    for _ in range(20):
        module.update(step=0)
    with torch.no_grad():
        final = float(bc_loss(actor, data, sequence_length=length))
    # Without memory the later steps are a coin flip (cross-entropy ln 2 on 3 of 4 steps: >= 0.52).
    assert final < 0.1 < math.log(2) * 3 / 4, final


@pytest.mark.slow
def test_bc_alone_makes_recurrent_ppo_imitate_the_demonstrator(tmp_path):
    """PPO + LSTM whose only learning signal is BC (extrinsic strength 0) learns Basic's 'go right'."""
    from mlops_unity_pipeline import sim
    from mlops_unity_pipeline.rl.config import RunOptions
    from mlops_unity_pipeline.rl.learn import LearnOptions, learn
    from mlops_unity_pipeline.sim.evaluate import evaluate
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
    from tests.conftest import anchor

    behavior = {
        "trainer_type": "ppo",
        "hyperparameters": {"batch_size": 32, "buffer_size": 128, "learning_rate": 3e-3, "num_epoch": 2},
        "network_settings": {
            "normalize": False,
            "hidden_units": 32,
            "num_layers": 1,
            "memory": {"memory_size": 16, "sequence_length": 8},
        },
        "reward_signals": {"extrinsic": {"gamma": 0.9, "strength": 0.0}},
        "behavioral_cloning": {"demo_path": str(anchor("demos/ExpertBasic.demo")), "strength": 1.0},
        "max_steps": 800,
        "time_horizon": 16,
        "summary_freq": 400,
        "checkpoint_interval": 800,
    }
    options = RunOptions.from_dict(
        {
            "behaviors": {"Basic": behavior},
            "env_settings": {"seed": 1},
            "checkpoint_settings": {"run_id": "run", "results_dir": str(tmp_path)},
        }
    )
    onnx = learn(LearnOptions(run_options=options, env="sim:Basic", quiet=True)).behaviors["Basic"].onnx_path
    env = sim.make("Basic")
    assert evaluate(env, OnnxRuntimePolicy(onnx, env.signature), episodes=5, seed=0).mean_reward >= 0.8
