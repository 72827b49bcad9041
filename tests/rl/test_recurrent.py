"""Recurrent (LSTM) PPO: sequence layout, memory carrying, masked losses and the trainer's memory handling."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.networks import Actor, Critic, Memory
from mlops_unity_pipeline.rl.ppo import PPOTrainer, RolloutBatch, SequenceColumns, ppo_losses
from mlops_unity_pipeline.rl.recurrent import (
    critic_by_sequence,
    evaluate_by_sequence,
    masked_mean,
    padded_positions,
    scatter_padded,
    to_sequences,
)
from mlops_unity_pipeline.rl.support import check_supported
from mlops_unity_pipeline.spaces import StepBatch

from .helpers import ppo_options, sac_options
from .toy_env import CueRecall

MEMORY = {"memory_size": 8, "sequence_length": 4}


def _actor(memory_size=8, seed=0):
    torch.manual_seed(seed)
    return Actor(CueRecall().signature, 16, 1, normalize=False, memory_size=memory_size)


def _recurrent_settings(tmp_path, **extra):
    """PPO settings for CueRecall with a small LSTM."""
    return ppo_options(
        "Cue", results_dir=str(tmp_path), extra={"network_settings": {"memory": MEMORY}, **extra}
    ).behaviors["Cue"]


def test_padded_positions_pad_the_end_of_each_trajectory_to_whole_sequences():
    """Lengths 5, 3, 4 with sequences of 4: rows 0-4 | 8-10 | 12-15, 16 rows in all (hand-computed)."""
    positions, total = padded_positions(np.array([5, 3, 4]), 4)
    assert positions.tolist() == [0, 1, 2, 3, 4, 8, 9, 10, 12, 13, 14, 15]
    assert total == 16


def test_scatter_padded_fills_padding_with_the_given_value():
    """Valid rows land at their positions; padding rows hold 0 (or 1 for action masks)."""
    positions, total = padded_positions(np.array([3]), 2)
    out = scatter_padded(np.array([[1.0], [2.0], [3.0]], np.float32), positions, total)
    assert out[:, 0].tolist() == [1.0, 2.0, 3.0, 0.0]
    ones = scatter_padded(np.array([[5.0], [6.0], [7.0]], np.float32), positions, total, 1.0)
    assert ones[:, 0].tolist() == [5.0, 6.0, 7.0, 1.0]


def test_to_sequences_pads_each_trajectory_and_masks_the_padding():
    """Lengths 3 and 1 at sequence length 2: rows 0,1,2,_ | 3,_ with masks padded by 1 and loss masks."""
    columns = {"obs": np.arange(4, dtype=np.float32)[:, None] + 1, "masks": np.zeros((4, 2), np.float32)}
    out = to_sequences(columns, np.array([3, 1]), 2)
    np.testing.assert_array_equal(out["obs"][:, 0], [1, 2, 3, 0, 4, 0])
    np.testing.assert_array_equal(out["masks"][:, 0], [0, 0, 0, 1, 0, 1])
    np.testing.assert_array_equal(out["loss_masks"], [1, 1, 1, 0, 1, 0])


def test_masked_mean_averages_real_rows_and_their_heads():
    """Rows (1, 3) and (5, 7) are real, the padding row (100, 100) is not: (2 + 6) / 2 = 4."""
    x = torch.tensor([[1.0, 3.0], [5.0, 7.0], [100.0, 100.0]])
    assert masked_mean(x, torch.tensor([1.0, 1.0, 0.0])).item() == pytest.approx(4.0)
    assert masked_mean(torch.zeros(2), torch.zeros(2)).item() == 0.0  # no real row: 0, not NaN


def test_evaluate_by_sequence_carries_every_memory_chunk_by_chunk():
    """A running-sum "network" with two memories: outputs, chunk-start memories and final memories by hand."""

    def run(rows, memories, steps):
        x = rows[0].reshape(len(steps), -1)  # (active, sequence_length)
        valid = torch.arange(x.shape[1])[None, :] < steps[:, None]
        sums = memories[0] + torch.cumsum(x * valid, dim=1)  # memory 0: the running sum
        counts = memories[1] + torch.cumsum(valid.float(), dim=1)  # memory 1: steps seen
        return [sums.reshape(-1, 1)], [sums[:, -1:], counts[:, -1:]]

    obs = np.array([[1, 2, 3, 4, 5], [10, 20, 0, 0, 0]], np.float32)[:, :, None]
    result = evaluate_by_sequence(
        [obs], np.array([5, 2]), [np.array([[100.0], [0.0]]), np.zeros((2, 1))], 2, run
    )
    np.testing.assert_array_equal(result.outputs[0][0, :, 0], [101, 103, 106, 110, 115])
    np.testing.assert_array_equal(result.outputs[0][1, :2, 0], [10, 30])
    np.testing.assert_array_equal(result.starts[0][0, :, 0], [100, 100, 103, 103, 110])
    np.testing.assert_array_equal(result.starts[1][0, :, 0], [0, 0, 2, 2, 4])
    np.testing.assert_array_equal(result.after[0][:, 0], [115, 30])  # row 1 stops after its 2 steps
    np.testing.assert_array_equal(result.after[1][:, 0], [5, 2])


def test_memory_is_h_then_c_with_half_size_hidden_and_forget_bias():
    """memory_size 8 -> hidden 4; forget-gate biases 1.0 on both bias vectors, other gates 0 (upstream)."""
    memory = Memory(5, 8)
    assert memory.hidden_size == 4 and memory.memory_size == 8
    for bias in (memory.lstm.bias_ih_l0, memory.lstm.bias_hh_l0):
        assert bias[4:8].tolist() == [1.0] * 4
        assert bias[:4].abs().sum() == 0 and bias[8:].abs().sum() == 0
    x = torch.randn(2, 3, 5)
    memories = torch.randn(2, 8)
    _, new = memory(x, memories)
    _, (h, c) = memory.lstm(x, (memories[:, :4][None].contiguous(), memories[:, 4:][None].contiguous()))
    torch.testing.assert_close(new, torch.cat([h[0], c[0]], dim=-1))


def test_sequence_forward_equals_stepping_with_carried_memory():
    """The actor over a 6-step sequence gives the same heads and final memory as 6 single steps."""
    actor = _actor()
    obs = torch.randn(2 * 6, 2)
    start = torch.randn(2, 8)
    _, _, branch_lp, final = actor.recurrent_heads(obs, None, start, sequence_length=6)
    memory = start
    stepped = []
    for t in range(6):
        rows = obs.reshape(2, 6, 2)[:, t]
        _, _, lp, memory = actor.recurrent_heads(rows, None, memory, sequence_length=1)
        stepped.append(lp[0])
    torch.testing.assert_close(branch_lp[0].reshape(2, 6, 2), torch.stack(stepped, dim=1))
    torch.testing.assert_close(final, memory)


def test_recurrent_actor_refuses_the_feed_forward_path():
    """heads() without memories is a TrainError, not a silent shape mismatch."""
    with pytest.raises(TrainError, match="recurrent"):
        _actor().heads(torch.zeros(1, 2))


def test_memory_lengths_stop_at_the_last_valid_step():
    """With lengths, the returned memory is the state after each row's own last valid step."""
    memory = Memory(3, 6)
    x = torch.randn(2, 4, 3)
    start = torch.randn(2, 6)
    _, packed = memory(x, start, torch.tensor([4, 2]))
    _, full = memory(x[:1], start[:1])
    _, short = memory(x[1:, :2], start[1:])
    torch.testing.assert_close(packed, torch.cat([full, short]))


def test_critic_by_sequence_carries_memory_across_chunks():
    """Values equal one pass over the trajectory; chunk starts hold the state there; final after l steps."""
    torch.manual_seed(1)
    critic = Critic(2, 8, 1, normalize=False, memory_size=6)
    obs = np.random.default_rng(0).normal(size=(2, 7, 2)).astype(np.float32)
    lengths = np.array([7, 3])
    initial = np.random.default_rng(1).normal(size=(2, 6)).astype(np.float32)
    values, starts, final = critic_by_sequence(critic, obs, lengths, initial, 3)
    with torch.no_grad():
        for row, n in enumerate(lengths):
            whole, after = critic.recurrent(
                torch.from_numpy(obs[row, :n]), torch.from_numpy(initial[row : row + 1]), int(n)
            )
            np.testing.assert_allclose(values[row, :n, 0], whole.numpy(), rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(final[row], after[0].numpy(), rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(starts[row, :3], np.repeat(initial[row : row + 1], 3, 0))
        _, at3 = critic.recurrent(torch.from_numpy(obs[0, :3]), torch.from_numpy(initial[:1]), 3)
        np.testing.assert_allclose(starts[0, 3:6], np.repeat(at3.numpy(), 3, 0), rtol=1e-5, atol=1e-6)


def test_masked_losses_ignore_padding_rows():
    """Changing everything in the padded rows leaves the three losses unchanged."""
    actor = _actor()
    torch.manual_seed(2)
    critic = Critic(2, 16, 1, normalize=False, memory_size=8)
    rows = 8  # two sequences of 4; the last step of each is padding
    mask = torch.tensor([1, 1, 1, 0, 1, 1, 1, 0], dtype=torch.float32)

    def batch(garbage):
        g = torch.full((rows,), garbage) * (1 - mask)
        return RolloutBatch(
            torch.randn(rows, 2, generator=torch.Generator().manual_seed(0)) + g[:, None],
            torch.zeros(rows, 0),
            (torch.arange(rows) % 2)[:, None],
            torch.ones(rows, 2),
            torch.full((rows, 1), -0.7) + g[:, None],
            torch.linspace(-1, 1, rows) + g,
            torch.linspace(0, 2, rows) + g,
            torch.linspace(0.5, 1, rows) + g,
        )

    columns = SequenceColumns(mask, torch.zeros(rows, 8), torch.zeros(rows, 8), 4)
    clean = ppo_losses(actor, critic, batch(0.0), 0.2, columns)
    dirty = ppo_losses(actor, critic, batch(50.0), 0.2, columns)
    for a, b in zip(clean, dirty, strict=True):
        torch.testing.assert_close(a, b)


def _step_batch(obs, reward, terminated):
    n = len(obs)
    zeros = np.zeros(n, bool)
    return StepBatch((obs,), reward.astype(np.float32), terminated, zeros, (obs,), None, terminated.copy())


def test_trainer_stores_memories_and_resets_them_at_episode_end(tmp_path):
    """The stored memory of a step is the one before it; an agent whose episode ended restarts from zero."""
    trainer = PPOTrainer(CueRecall().signature, _recurrent_settings(tmp_path), 2, seed=0)
    obs = np.array([[1.0, 0.0], [-1.0, 0.0]], np.float32)
    trainer.act(_step_batch(obs, np.zeros(2), np.zeros(2, bool)))
    after_first = trainer.memories.copy()
    assert np.abs(after_first).sum() > 0
    trainer.observe(_step_batch(obs, np.zeros(2), np.array([True, False])))
    assert np.all(trainer.memories[0] == 0) and np.all(trainer.memories[1] == after_first[1])
    trainer.act(_step_batch(obs, np.zeros(2), np.zeros(2, bool)))
    trainer.observe(_step_batch(obs, np.zeros(2), np.zeros(2, bool)))
    stored = trainer.trajectories.memories
    assert np.all(stored[0, 0] == 0)  # agent 0: first step of its trajectory; its next one is a new episode
    np.testing.assert_array_equal(stored[1, 1], after_first[1])  # agent 1: memory carried into step 2


def test_trainer_fills_the_update_buffer_in_sequence_layout(tmp_path):
    """Episodes of 4 steps with sequences of 8: each padded to 8 rows, loss mask 1 on the 4 real ones."""
    settings = _recurrent_settings(
        tmp_path, network_settings={"memory": {"memory_size": 8, "sequence_length": 8}}
    )
    env = CueRecall(3, length=4)
    trainer = PPOTrainer(env.signature, settings, 3, seed=0)
    batch = env.reset(seed=0)
    for _ in range(4):
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    trainer._process(trainer._closed)
    b = trainer.buffer
    assert b.size == 24
    np.testing.assert_array_equal(b.loss_masks[:24].numpy(), np.tile([1.0] * 4 + [0.0] * 4, 3))
    assert b.advantages[:24][b.loss_masks[:24] == 0].abs().sum() == 0
    assert np.all(b.memories[0].numpy() == 0)  # each episode starts from a zero policy memory
    np.testing.assert_array_equal(b.critic_memories[0:4].numpy(), np.zeros((4, 8)))


def test_trainer_update_runs_and_changes_the_lstm(tmp_path):
    """A full PPO update over sequences trains the actor's LSTM weights and records finite losses."""
    env = CueRecall(4)
    settings = _recurrent_settings(tmp_path)
    trainer = PPOTrainer(env.signature, settings, 4, seed=0)
    before = trainer.actor.memory.lstm.weight_hh_l0.detach().clone()
    batch = env.reset(seed=0)
    while trainer.update_count == 0:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    assert not torch.equal(before, trainer.actor.memory.lstm.weight_hh_l0)
    assert np.isfinite(trainer._stats["Losses/Value Loss"]).all()


def test_memory_is_supported_for_ppo_and_sac_and_a_shared_critic(tmp_path):
    """PPO + memory, SAC + memory and PPO + memory + shared_critic (tests/rl/test_shared_critic_memory.py)."""
    ok = ppo_options(results_dir=str(tmp_path), extra={"network_settings": {"memory": MEMORY}})
    check_supported(ok, "Line")
    data = sac_options(results_dir=str(tmp_path)).to_dict()
    data["behaviors"]["Line"]["network_settings"]["memory"] = MEMORY
    check_supported(RunOptions.from_dict(data), "Line")
    shared = ppo_options(
        results_dir=str(tmp_path),
        extra={"network_settings": {"memory": MEMORY}, "hyperparameters": {"shared_critic": True}},
    )
    check_supported(shared, "Line")


def test_sim_onnx_policy_carries_memory_and_resets_it_at_episode_start(tmp_path):
    """sim's OnnxRuntimePolicy feeds recurrent_out back per agent; a new episode starts from zero memory."""
    from mlops_unity_pipeline.rl.export import export_policy
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy

    actor = _actor()
    env = CueRecall(2)
    policy = OnnxRuntimePolicy(export_policy(actor, env.signature, tmp_path / "cue.onnx"), env.signature)
    rng = np.random.default_rng(0)
    memory = torch.zeros(2, 8)
    ends = [np.array([False, False]), np.array([False, True]), np.array([False, False])]
    for ended in ends:
        obs = rng.normal(size=(2, 2)).astype(np.float32)
        memory[torch.from_numpy(ended)] = 0.0  # what the policy must do for a new episode
        actions = policy(_step_batch(obs, np.zeros(2), ended))
        with torch.no_grad():
            _, _, branch_lp, memory = actor.recurrent_heads(torch.from_numpy(obs), None, memory)
        np.testing.assert_array_equal(actions.discrete[:, 0], branch_lp[0].argmax(-1).numpy())
        np.testing.assert_allclose(policy._memory.reshape(2, 8), memory.numpy(), rtol=1e-4, atol=1e-5)


def test_memories_flow_across_a_time_horizon_cut(tmp_path):
    """A trajectory cut at time_horizon: the next one starts from the carried policy and critic memories."""
    settings = _recurrent_settings(
        tmp_path, time_horizon=2, network_settings={"memory": MEMORY, "normalize": False}
    )
    trainer = PPOTrainer(CueRecall().signature, settings, 1, seed=0)
    rng = np.random.default_rng(0)
    steps = rng.normal(size=(4, 1, 2)).astype(np.float32)
    for obs in steps:
        trainer.act(_step_batch(obs, np.zeros(1), np.zeros(1, bool)))
        trainer.observe(_step_batch(obs, np.zeros(1), np.zeros(1, bool)))
    trainer._process(trainer._closed)
    b = trainer.buffer
    assert b.size == 8  # two trajectories of 2 steps, each padded to one sequence of 4
    with torch.no_grad():
        _, _, _, policy_after_2 = trainer.actor.recurrent_heads(
            torch.from_numpy(steps[:2, 0]), None, torch.zeros(1, 8), 2
        )
        values, _ = trainer.critic.recurrent(torch.from_numpy(steps[:, 0]), torch.zeros(1, 8), 4)
        _, critic_after_2 = trainer.critic.recurrent(torch.from_numpy(steps[:2, 0]), torch.zeros(1, 8), 2)
    torch.testing.assert_close(b.memories[4], policy_after_2[0])
    torch.testing.assert_close(b.critic_memories[4], critic_after_2[0])
    torch.testing.assert_close(b.critic_memories[5], critic_after_2[0])
    torch.testing.assert_close(b.values[4:6], values[2:4], rtol=1e-5, atol=1e-6)


def test_upstream_hallway_config_trains_and_exports_the_upstream_signature(tmp_path):
    """ppo/Hallway.yaml unchanged (memory 128, sequences of 64) is accepted, updates, exports as upstream."""
    from mlops_unity_pipeline.rl.config import load_run_options
    from mlops_unity_pipeline.rl.export import export_policy
    from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec
    from tests.conftest import anchor

    from .test_export import _signature

    options = load_run_options(anchor("config/ppo/Hallway.yaml"))
    check_supported(options, "Hallway")
    signature = BehaviorSignature(
        "Hallway", (ObservationSpec((105,)), ObservationSpec((3,))), ActionSpec(0, (5,))
    )
    trainer = PPOTrainer(signature, options.behavior_settings("Hallway"), 4, seed=0)
    rng = np.random.default_rng(0)
    t = 0
    while trainer.update_count == 0:
        obs = (rng.normal(size=(4, 105)).astype(np.float32), rng.normal(size=(4, 3)).astype(np.float32))
        ended = np.zeros(4, bool) if t % 50 else np.array([True, False, False, False])
        batch = StepBatch(
            obs, rng.normal(size=4).astype(np.float32), ended, np.zeros(4, bool), obs, None, ended
        )
        if t:
            trainer.observe(batch)
        trainer.act(batch)
        t += 1
    assert np.isfinite(trainer._stats["Losses/Policy Loss"]).all()
    path = export_policy(trainer.actor, signature, tmp_path / "Hallway.onnx")
    inputs, outputs = _signature(path)
    outputs = [o for o in outputs if o[0] != "deterministic_discrete_actions"]
    assert (inputs, outputs) == _signature(anchor("models/Hallway.onnx"))


def test_buffer_size_counts_padded_rows_as_upstream(tmp_path):
    """3 episodes of 4 steps padded to sequences of 8 are 24 rows > buffer_size 20: the update runs."""
    settings = _recurrent_settings(
        tmp_path,
        network_settings={"memory": {"memory_size": 8, "sequence_length": 8}},
        hyperparameters={"buffer_size": 20, "batch_size": 8},
    )
    env = CueRecall(3, length=4)
    trainer = PPOTrainer(env.signature, settings, 3, seed=0)
    batch = env.reset(seed=0)
    for _ in range(4):
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    assert trainer.update_count == 1  # 12 real steps only, but 24 rows in upstream's sequence layout
