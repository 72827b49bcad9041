"""Recurrent SAC: sequence replay, trajectory chunks and memories, masked losses, export, learning."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
import torch

from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.rl.networks import Critic
from mlops_unity_pipeline.rl.sac import SACTrainer
from mlops_unity_pipeline.rl.sac_memory import SequenceBatch, SequenceCollector, SequenceReplay

from .helpers import sac_options
from .toy_env import CueRecall

MEMORY = {"memory_size": 8, "sequence_length": 2}


def _chunks(n: int, start: float = 0.0) -> dict[str, np.ndarray]:
    """``n`` rows of every replay field; row i's obs is ``start + i``, its memories ``start + i`` too."""
    values = start + np.arange(n, dtype=np.float32)
    return {
        "obs": values[:, None].repeat(2, 1),
        "next_obs": values[:, None].repeat(2, 1) + 0.5,
        "continuous": np.zeros((n, 0), np.float32),
        "discrete": np.zeros((n, 1), np.int64),
        "masks": np.ones((n, 2), np.float32),
        "rewards": values,
        "terminated": np.zeros(n, np.float32),
        "loss_masks": np.ones(n, np.float32),
        "memories": values[:, None].repeat(4, 1),
        "critic_memories": -values[:, None].repeat(4, 1),
    }


def test_sequence_replay_keeps_whole_chunks_fifo_and_samples_aligned_ones():
    """Capacity 7 with chunks of 3 holds 6 rows; the oldest chunk goes first; samples start on chunk edges."""
    replay = SequenceReplay(7, 3, 2, 0, 1, 2, 4)
    assert replay.capacity == 6
    with pytest.raises(ValueError, match="whole chunks of 3"):
        replay.add_rows(**_chunks(4))
    replay.add_rows(**_chunks(6))
    replay.add_rows(**_chunks(3, start=100.0))  # overwrites the oldest chunk (rows 0-2)
    assert replay.size == 6 and replay.pos == 3
    np.testing.assert_array_equal(replay.rewards, [100, 101, 102, 3, 4, 5])
    mb = replay.sample(7, np.random.default_rng(0))  # 7 // 3 = 2 chunks
    rewards = mb["rewards"].numpy().reshape(2, 3)
    assert all(r.tolist() in ([100, 101, 102], [3, 4, 5]) for r in rewards)
    np.testing.assert_array_equal(mb["memories"].numpy()[:, 0], rewards[:, 0])  # each chunk's first step
    np.testing.assert_array_equal(mb["critic_memories"].numpy()[:, 0], -rewards[:, 0])
    assert replay.sample(1, np.random.default_rng(0))["obs"].shape == (3, 2)  # at least one chunk


def test_sequence_replay_state_round_trips_and_refuses_a_flat_replay():
    """state_dict / load_state_dict restore every field; a feed-forward replay's file is a ValueError."""
    replay = SequenceReplay(6, 3, 2, 0, 1, 2, 4)
    replay.add_rows(**_chunks(3))
    other = SequenceReplay(6, 3, 2, 0, 1, 2, 4)
    other.load_state_dict(replay.state_dict())
    np.testing.assert_array_equal(other.critic_memories[:3], replay.critic_memories[:3])
    assert (other.size, other.pos) == (3, 3)
    flat = {k: v for k, v in replay.state_dict().items() if k not in ("loss_masks", "memories")}
    with pytest.raises(ValueError, match="feed-forward"):
        other.load_state_dict(flat)


def _critic(seed=0) -> Critic:
    torch.manual_seed(seed)
    return Critic(2, 8, 1, False, memory_size=8)


def test_collector_pads_chunks_stores_memories_and_carries_the_critic_memory():
    """5 steps then an interrupted end, chunks of 2: 6 rows, padding last, critic memory at chunk starts."""
    critic = _critic()
    collector = SequenceCollector(1, 16, 2, 2, 0, 1, 2, 8)
    rng = np.random.default_rng(0)
    obs = rng.normal(size=(6, 1, 2)).astype(np.float32)
    no = np.zeros(1, bool)
    rows = None
    for t in range(5):
        before = np.full((1, 8), float(t), np.float32)
        ended = np.array([t == 4])
        rows = collector.add(
            obs[t],
            np.zeros((1, 0), np.float32),
            np.zeros((1, 1), np.int64),
            None,
            np.array([1.0 + t]),
            before,
            no,
            ended,
            obs[t + 1],
            obs[t + 1] + 10.0,
            critic,
            None,
        )
        assert (rows is None) == (t < 4)
    assert rows is not None
    np.testing.assert_array_equal(rows["loss_masks"], [1, 1, 1, 1, 1, 0])
    np.testing.assert_array_equal(rows["rewards"], [1, 2, 3, 4, 5, 0])
    np.testing.assert_array_equal(rows["terminated"], np.zeros(6))  # interrupted: bootstraps
    np.testing.assert_array_equal(rows["memories"][:5, 0], [0, 1, 2, 3, 4])
    np.testing.assert_allclose(rows["next_obs"][:5], np.concatenate([obs[1:5, 0], obs[5] + 10.0]))
    with torch.no_grad():
        _, after_2 = critic.recurrent(torch.from_numpy(obs[:2, 0]), torch.zeros(1, 8), 2)
        _, after_4 = critic.recurrent(torch.from_numpy(obs[:4, 0]), torch.zeros(1, 8), 4)
    np.testing.assert_array_equal(rows["critic_memories"][:2], np.zeros((2, 8)))
    np.testing.assert_allclose(rows["critic_memories"][2:4], after_2.numpy().repeat(2, 0), atol=1e-6)
    np.testing.assert_allclose(rows["critic_memories"][4], after_4[0].numpy(), atol=1e-6)
    assert not rows["critic_memories"][5].any() and not rows["memories"][5].any()  # padding
    assert not collector.critic_memories.any() and not collector.memories.any()  # the episode ended


def test_collector_carries_the_critic_memory_across_a_time_horizon_cut():
    """time_horizon 2: the second trajectory's first chunk starts from the critic memory after the first."""
    critic = _critic(1)
    collector = SequenceCollector(1, 2, 2, 2, 0, 1, 2, 8)
    obs = np.random.default_rng(1).normal(size=(5, 1, 2)).astype(np.float32)
    no, zeros = np.zeros(1, bool), np.zeros((1, 8), np.float32)
    out = []
    for t in range(4):
        out.append(
            collector.add(
                obs[t],
                np.zeros((1, 0), np.float32),
                np.zeros((1, 1), np.int64),
                None,
                np.zeros(1),
                zeros,
                no,
                no,
                obs[t + 1],
                obs[t + 1],
                critic,
                None,
            )
        )
    assert out[0] is None and out[2] is None
    with torch.no_grad():
        _, after_2 = critic.recurrent(torch.from_numpy(obs[:2, 0]), torch.zeros(1, 8), 2)
    np.testing.assert_allclose(out[3]["critic_memories"][0], after_2[0].numpy(), atol=1e-6)
    np.testing.assert_allclose(out[1]["terminated"], [0, 0])


def test_sequence_batch_masks_padding_and_starts_the_target_after_the_first_step():
    """Masked mean by hand; target values = target(next_obs) from value's memory after each chunk's step 0."""
    view = SequenceBatch(torch.tensor([1.0, 1.0, 1.0, 0.0]), torch.zeros(2, 8), torch.zeros(2, 8), 2)
    assert float(view.mean(torch.tensor([1.0, 2.0, 3.0, 100.0]))) == pytest.approx(2.0)
    assert float(view.mean(torch.tensor([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0], [9.0, 9.0]]))) == pytest.approx(
        2.0
    )
    value, target = _critic(2), _critic(3)
    obs, next_obs = torch.randn(4, 2), torch.randn(4, 2)
    view = SequenceBatch(torch.ones(4), torch.zeros(2, 8), torch.randn(2, 8), 2)
    got = view.target_values(value, target, obs, next_obs)
    with torch.no_grad():
        expected = []
        for c in range(2):
            _, mem = value.recurrent(obs[2 * c : 2 * c + 1], view.critic_memories[c : c + 1], 1)
            expected.append(target(next_obs[2 * c : 2 * c + 2], memories=mem, sequence_length=2))
    torch.testing.assert_close(got, torch.cat(expected))


def _cue_settings(tmp_path, memory=True, **hp):
    data = sac_options("Cue", results_dir=str(tmp_path)).to_dict()
    behavior = data["behaviors"]["Cue"]
    behavior["network_settings"] = {"hidden_units": 16, "num_layers": 1, "normalize": True}
    if memory:
        behavior["network_settings"]["memory"] = MEMORY
    behavior["hyperparameters"].update(batch_size=8, buffer_init_steps=16, steps_per_update=4, **hp)
    return RunOptions.from_dict(data).behaviors["Cue"]


def test_recurrent_sac_updates_every_network_and_the_lstms(tmp_path):
    """Acting carries memories (zero at episode start); an update moves every LSTM; losses are finite."""
    env = CueRecall(4, seed=0)
    trainer = SACTrainer(env.signature, _cue_settings(tmp_path), 4, seed=0)
    assert trainer.q1.memory is not None and trainer.value.memory is not None
    before = {n: getattr(trainer, n).memory.lstm.weight_ih_l0.clone() for n in ("actor", "q1", "q2", "value")}
    batch = env.reset(seed=0)
    while trainer.update_count < 3:
        batch = env.step(trainer.act(batch))
        assert trainer.sequences is not None
        trainer.observe(batch)
        ended = batch.terminated | batch.truncated
        assert not trainer.sequences.memories[ended].any()
    assert (
        trainer.replay.size % 2 == 0 and trainer.replay.loss_masks[: trainer.replay.size].all()
    )  # 4 = 2 x 2
    for name, weight in before.items():
        assert not torch.equal(weight, getattr(trainer, name).memory.lstm.weight_ih_l0), name
    assert np.isfinite([trainer._stats[k] for k in ("Losses/Q1 Loss", "Losses/Value Loss")]).all()


def test_recurrent_sac_learns_end_to_end_and_exports_recurrent_in_out(tmp_path):
    """learn() with SAC + memory writes an ONNX with recurrent_in/recurrent_out and memory_size 8."""
    options = sac_options("Cue", results_dir=str(tmp_path), max_steps=400, summary_freq=200).to_dict()
    behavior = options["behaviors"]["Cue"]
    behavior["network_settings"]["memory"] = MEMORY
    behavior["hyperparameters"].update(batch_size=8, buffer_init_steps=32, save_replay_buffer=True)
    result = learn(
        LearnOptions(RunOptions.from_dict(options), env_factory=lambda n, s: CueRecall(4, seed=s), quiet=True)
    )
    path = result.run_dir / "Cue.onnx"
    session = ort.InferenceSession(str(path))
    assert (
        session.get_inputs()[-1].name == "recurrent_in" and session.get_outputs()[-1].name == "recurrent_out"
    )
    out = session.run(
        ["memory_size"],
        {
            "obs_0": np.zeros((1, 2), np.float32),
            "action_masks": np.ones((1, 2), np.float32),
            "recurrent_in": np.zeros((1, 1, 8), np.float32),
        },
    )
    assert out[0].tolist() == [8.0]
    assert (result.run_dir / "Cue" / "last_replay_buffer.pt").exists()


@pytest.mark.slow
def test_sac_lstm_recalls_a_cue_a_feed_forward_sac_cannot_beat_chance(tmp_path):
    """CueRecall (cue at step 0, paid at step 4): SAC + LSTM ends near +1, feed-forward SAC near 0."""
    assert _sac_cue_run(tmp_path, memory=True, steps=4000) >= 0.9
    assert abs(_sac_cue_run(tmp_path, memory=False, steps=2000)) <= 0.3


def _sac_cue_run(tmp_path, memory: bool, steps: int) -> float:
    """SAC on CueRecall (16 agents) for ``steps``; the last summary's (every 2k steps) mean episode reward."""
    network: dict = {"hidden_units": 32, "num_layers": 1}
    if memory:
        network["memory"] = {"memory_size": 32, "sequence_length": 4}
    behavior = {
        "trainer_type": "sac",
        "hyperparameters": {
            "batch_size": 64,
            "buffer_size": 20000,
            "learning_rate": 3e-3,
            "learning_rate_schedule": "constant",
            "buffer_init_steps": 500,
            "tau": 0.01,
            "steps_per_update": 4,
            "init_entcoef": 0.1,
        },
        "network_settings": network,
        "reward_signals": {"extrinsic": {"gamma": 0.99, "strength": 1.0}},
        "max_steps": steps,
        "time_horizon": 16,
        "summary_freq": 2000,
    }
    options = RunOptions.from_dict(
        {
            "behaviors": {"Cue": behavior},
            "env_settings": {"seed": 0},
            "checkpoint_settings": {"run_id": f"sac-cue-{memory}", "results_dir": str(tmp_path)},
        }
    )
    result = learn(LearnOptions(options, env_factory=lambda n, seed: CueRecall(16, seed=seed), quiet=True))
    return result.behaviors["Cue"].history[-1][1]
