"""Recurrent POCA: group critic memories, chunked critic passes, sequence layout, masked losses, export."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
import torch

from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.rl.poca import POCABatch, POCATrainer, poca_losses
from mlops_unity_pipeline.rl.poca_critic import GroupCritic, Recurrence
from mlops_unity_pipeline.rl.poca_memory import POCASequences, group_critic_by_sequence
from mlops_unity_pipeline.rl.support import check_supported

from .group_env import GroupCue
from .test_poca import SIG, _batch, poca_options

MEMORY = {"memory_size": 8, "sequence_length": 2}


def _critic(seed: int = 0) -> GroupCritic:
    torch.manual_seed(seed)
    return GroupCritic(SIG, 16, 1, False, memory_size=8)


def _inputs(rows: int, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    obs = torch.randn(rows, 4, generator=g)
    mates = torch.randn(rows, 2, 4, generator=g)
    actions = torch.randn(rows, 2, 4, generator=g)  # 1 continuous + a one-hot branch of 3
    present = torch.tensor([[1.0, 0.0]] * rows)
    return obs, mates, actions, present


def test_sequence_pass_equals_stepping_with_carried_memories_for_values_and_baselines():
    """One pass over a 3-step sequence == 3 single steps carrying the value and the baseline memory."""
    critic = _critic()
    obs, mates, actions, present = _inputs(3)
    v_rec, b_rec = Recurrence(torch.zeros(1, 8), 3), Recurrence(torch.zeros(1, 8), 3)
    with torch.no_grad():
        values, baselines = critic.values_and_baselines(obs, mates, actions, present, v_rec, b_rec)
        v_mem, b_mem = torch.zeros(1, 8), torch.zeros(1, 8)
        for t in range(3):
            step_v, step_b = Recurrence(v_mem), Recurrence(b_mem)
            v = critic.values(obs[t : t + 1], mates[t : t + 1], present[t : t + 1], step_v)
            b = critic.baselines(
                obs[t : t + 1], mates[t : t + 1], actions[t : t + 1], present[t : t + 1], step_b
            )
            torch.testing.assert_close(v, values[t : t + 1])
            torch.testing.assert_close(b, baselines[t : t + 1])
            v_mem, b_mem = step_v.after, step_b.after
    torch.testing.assert_close(v_rec.after, v_mem)
    torch.testing.assert_close(b_rec.after, b_mem)
    assert not torch.allclose(v_mem, b_mem)  # two passes, two memories


def test_chunked_critic_pass_keeps_each_chunks_start_memories_and_the_memory_after_the_last_step():
    """Span 5, chunks of 2, 4 valid steps: starts at steps 0 and 2, the memory after step 3 comes back."""
    critic = _critic(1)
    obs, mates, actions, present = (t.numpy() for t in _inputs(5, seed=1))
    init_v, init_b = np.full((1, 8), 0.1, np.float32), np.full((1, 8), -0.1, np.float32)
    result = group_critic_by_sequence(
        critic, obs[None], mates[None], actions[None], present[None], np.array([4]), init_v, init_b, 2
    )
    t = torch.from_numpy
    with torch.no_grad():
        v2, b2 = Recurrence(t(init_v), 2), Recurrence(t(init_b), 2)
        critic.values_and_baselines(t(obs[:2]), t(mates[:2]), t(actions[:2]), t(present[:2]), v2, b2)
        v4, b4 = Recurrence(t(init_v), 4), Recurrence(t(init_b), 4)
        values, _ = critic.values_and_baselines(
            t(obs[:4]), t(mates[:4]), t(actions[:4]), t(present[:4]), v4, b4
        )
    np.testing.assert_allclose(result.value_starts[0, :2], init_v.repeat(2, 0))
    np.testing.assert_allclose(result.value_starts[0, 2], v2.after[0].numpy(), atol=1e-6)
    np.testing.assert_allclose(result.baseline_starts[0, 3], b2.after[0].numpy(), atol=1e-6)
    np.testing.assert_allclose(result.value_after[0], v4.after[0].numpy(), atol=1e-6)
    np.testing.assert_allclose(result.baseline_after[0], b4.after[0].numpy(), atol=1e-6)
    np.testing.assert_allclose(result.values[0, :4].ravel(), values.numpy(), atol=1e-6)


def _settings(tmp_path, **extra):
    data = poca_options("G", results_dir=str(tmp_path)).to_dict()
    data["behaviors"]["G"]["network_settings"]["memory"] = MEMORY
    data["behaviors"]["G"].update(extra)
    return RunOptions.from_dict(data).behavior_settings("G")


def test_trainer_buffers_padded_sequences_with_policy_value_and_baseline_memories(tmp_path):
    """3 steps of a 2-agent group then its end, chunks of 2: 4 rows per agent (1 padding), stored memories."""
    trainer = POCATrainer(SIG, _settings(tmp_path), 2, seed=0)
    group = np.array([1, 1])
    memories = []
    for t in range(3):
        memories.append(trainer.memories.copy())
        trainer.act(_batch(2, group_id=group, seed=t))
        end = np.array([t == 2] * 2)
        trainer.observe(_batch(2, group_id=group, terminated=end, reward=[1.0, 0.0], seed=t + 10))
    assert not trainer.memories.any()  # the episode ended: zero memories
    trainer._process(trainer._closed)
    chunk = trainer._chunks[0]
    np.testing.assert_array_equal(chunk["loss_masks"], [1, 1, 1, 0, 1, 1, 1, 0])
    np.testing.assert_allclose(chunk["memories"][:3], np.stack([m[0] for m in memories]))
    assert not chunk["memories"][3].any() and not chunk["value_memories"][:2].any()
    assert chunk["value_memories"][2].any() and chunk["baseline_memories"][2].any()
    assert not chunk["value_memories"][3].any()  # padding
    assert not trainer.value_memories.any() and not trainer.baseline_memories.any()  # episode over
    assert trainer._buffered == 8  # padded rows count, as upstream
    before = trainer.critic.memory.lstm.weight_ih_l0.clone()
    trainer.hp = trainer.hp.__class__(**{**trainer.hp.__dict__, "batch_size": 4})
    trainer._update()
    assert not torch.equal(before, trainer.critic.memory.lstm.weight_ih_l0)


def test_masked_losses_ignore_padding_rows():
    """A padding row with absurd values changes no loss (masked means over real steps)."""
    torch.manual_seed(0)
    from mlops_unity_pipeline.rl.networks import Actor

    actor = Actor(SIG, 16, 1, False, memory_size=8)
    critic = _critic()
    rows = 4
    obs, mates, actions, present = _inputs(rows)

    def batch(extreme: float) -> POCABatch:
        returns = torch.tensor([0.5, -0.2, 0.3, extreme])
        return POCABatch(
            obs,
            torch.zeros(rows, 1),
            torch.zeros(rows, 1, dtype=torch.long),
            torch.ones(rows, 3),
            torch.full((rows, 2), -1.0),
            torch.tensor([1.0, -1.0, 0.5, extreme]),
            returns,
            torch.zeros(rows),
            torch.zeros(rows),
            mates,
            actions,
            present,
        )

    seq = POCASequences(
        torch.tensor([1.0, 1.0, 1.0, 0.0]),
        torch.zeros(rows, 8),
        torch.zeros(rows, 8),
        torch.zeros(rows, 8),
        2,
    )
    with torch.no_grad():
        a = poca_losses(actor, critic, batch(0.0), 0.2, 0.2, seq)
        b = poca_losses(actor, critic, batch(1e6), 0.2, 0.2, seq)
    for x, y in zip(a, b, strict=True):
        torch.testing.assert_close(x, y)


def test_learn_runs_recurrent_poca_and_exports_recurrent_in_out(tmp_path):
    """learn() with POCA + memory updates the LSTMs; its ONNX has recurrent_in/out and memory_size 8."""
    data = poca_options(results_dir=str(tmp_path), max_steps=900, summary_freq=300).to_dict()
    data["behaviors"]["GroupCue"]["network_settings"]["memory"] = MEMORY
    options = RunOptions.from_dict(data)
    check_supported(options, "GroupCue")
    result = learn(LearnOptions(options, env_factory=lambda n, s: GroupCue(2, seed=s), quiet=True))
    state = torch.load(result.run_dir / "GroupCue" / "checkpoint.pt", weights_only=False)
    assert state["update_count"] >= 1 and "memory.lstm.weight_ih_l0" in state["Critic"]
    session = ort.InferenceSession(str(result.run_dir / "GroupCue.onnx"))
    assert (
        session.get_inputs()[-1].name == "recurrent_in" and session.get_outputs()[-1].name == "recurrent_out"
    )
    feed = {
        "obs_0": np.zeros((1, 6), np.float32),
        "action_masks": np.ones((1, 3), np.float32),
        "recurrent_in": np.zeros((1, 1, 8), np.float32),
    }
    assert session.run(["memory_size"], feed)[0].tolist() == [8.0]


def _recall_run(tmp_path, memory: bool, steps: int = 16000) -> float:
    """POCA on GroupCue(recall) (8 areas, 2 cues, fixed groups); mean group return of the last fifth."""
    network: dict = {"normalize": False, "hidden_units": 32, "num_layers": 1}
    if memory:
        network["memory"] = {"memory_size": 32, "sequence_length": 8}
    behavior = {
        "trainer_type": "poca",
        "hyperparameters": {
            "batch_size": 128,
            "buffer_size": 1024,
            "learning_rate": 3e-3,
            "beta": 5e-3,
            "num_epoch": 3,
            "lambd": 0.95,
            "learning_rate_schedule": "constant",
        },
        "network_settings": network,
        "reward_signals": {"extrinsic": {"gamma": 0.9, "strength": 1.0}},
        "max_steps": steps,
        "time_horizon": 32,
        "summary_freq": 4000,
    }
    options = RunOptions.from_dict(
        {
            "behaviors": {"GroupCue": behavior},
            "env_settings": {"seed": 0},
            "checkpoint_settings": {"run_id": f"recall-{memory}", "results_dir": str(tmp_path)},
        }
    )
    envs: list[GroupCue] = []

    def factory(n: int, seed: int) -> GroupCue:
        envs.append(GroupCue(8, num_cues=2, leave_prob=0.0, join_prob=0.0, recall=True, seed=seed))
        return envs[-1]

    learn(LearnOptions(options, env_factory=factory, quiet=True))
    returns = envs[0].group_returns
    return float(np.mean(returns[-len(returns) // 5 :]))


@pytest.mark.slow
def test_poca_lstm_recalls_the_previous_cue_a_feed_forward_poca_cannot(tmp_path):
    """Answer the cue seen one step earlier: POCA + LSTM ends >= 0.8 of 1, feed-forward POCA near chance."""
    assert _recall_run(tmp_path, memory=True) >= 0.8
    assert _recall_run(tmp_path, memory=False) <= 0.4
