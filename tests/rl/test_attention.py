"""Entity attention (BufferSensor): masks, pooling, upstream sizes, Sorter's export signature, training."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
import torch

from mlops_unity_pipeline.rl.attention import (
    EMBEDDING_SIZE,
    EntityAttention,
    ResidualSelfAttention,
    layer_norm,
    padding_mask,
)
from mlops_unity_pipeline.rl.export import OnnxExportPolicy, export_policy
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.rl.networks import Actor, Critic
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec
from tests.conftest import anchor

from .helpers import ppo_options
from .test_export import _signature
from .visual_env import LargestEntity

SORTER = BehaviorSignature(
    "Sorter",
    (ObservationSpec((20, 23)), ObservationSpec((10,)), ObservationSpec((8,))),
    ActionSpec(0, (3, 3, 3)),
)


def test_padding_mask_marks_near_zero_entities():
    """sum(x^2) < 0.01 is padding (1.0); anything larger is an entity (0.0)."""
    entities = torch.tensor([[[0.0, 0.0], [0.05, 0.05], [0.1, 0.0], [1.0, -2.0]]])
    assert padding_mask(entities).tolist() == [[1.0, 1.0, 0.0, 0.0]]  # 0.005 < 0.01; 0.01 is not below


def test_layer_norm_has_zero_mean_unit_variance_and_no_parameters():
    """The last axis is standardized (population variance), as upstream's parameter-free LayerNorm."""
    x = torch.randn(3, 5, 16) * 4 + 7
    y = layer_norm(x)
    torch.testing.assert_close(y.mean(-1), torch.zeros(3, 5), atol=1e-5, rtol=0)
    torch.testing.assert_close(y.var(-1, unbiased=False), torch.ones(3, 5), atol=1e-3, rtol=0)


def test_attention_ignores_masked_entities_and_entity_order():
    """Values in masked slots do not change the pooled output; permuting the entities does not either."""
    torch.manual_seed(0)
    rsa = ResidualSelfAttention(5)
    x = torch.randn(2, 5, EMBEDDING_SIZE)
    mask = torch.tensor([[0.0, 0.0, 1.0, 0.0, 1.0], [0.0, 1.0, 1.0, 1.0, 1.0]])
    out = rsa(x, mask)
    changed = x.clone()
    changed[mask.bool()] = torch.randn(int(mask.sum()), EMBEDDING_SIZE) * 10
    torch.testing.assert_close(rsa(changed, mask), out)
    perm = torch.tensor([4, 0, 3, 2, 1])
    torch.testing.assert_close(rsa(x[:, perm], mask[:, perm]), out, atol=1e-5, rtol=1e-5)
    assert out.shape == (2, EMBEDDING_SIZE)


def test_all_padding_gives_finite_zero_features():
    """With every entity masked the pooled features are 0 (epsilon-guarded mean), never NaN."""
    rsa = ResidualSelfAttention(3)
    with torch.no_grad():
        out = rsa(torch.randn(2, 3, EMBEDDING_SIZE), torch.ones(2, 3))
    assert torch.isfinite(out).all() and float(out.abs().max()) == 0.0


def test_sorter_parameter_count_matches_upstream_formula():
    """Self 18 -> 128, entity (128 + 23) -> 128, Q/K/V/out 128 -> 128, counted by hand; body input 146."""
    actor = Actor(SORTER, 128, 2, normalize=True)
    encoder = actor.encoder.observations
    expected = (18 * 128 + 128) + ((128 + 23) * 128 + 128) + 4 * (128 * 128 + 128)
    assert sum(p.numel() for p in encoder.parameters()) == expected == 87936
    assert encoder.out_size == 18 + 128
    assert actor.normalizer.size == 18  # entities are not normalized, as upstream's EntityEmbedding


def test_entities_only_behavior_has_no_self_encoder():
    """Without other observations, entities are embedded alone and the body sees the 128 pooled features."""
    attention = EntityAttention([(6, 4)], 0)
    assert attention.self_encoder is None
    out = attention(None, [torch.rand(3, 6, 4)])
    assert out.shape == (3, EMBEDDING_SIZE)


def test_gradients_reach_every_attention_parameter():
    """A loss on the policy and the value reaches every attention weight."""
    torch.manual_seed(0)
    actor = Actor(SORTER, 32, 1, normalize=True)
    critic = Critic(actor.obs_size, 32, 1, True, signature=SORTER)
    obs = torch.rand(4, actor.obs_size)
    _, _, lps = actor.heads(obs)
    (sum(lp[:, 0].sum() for lp in lps) + critic(obs).sum()).backward()
    for name, p in [*actor.named_parameters(), *critic.named_parameters()]:
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_sorter_export_signature_equals_upstream(tmp_path):
    """obs_0 [batch, 20, 23], obs_1 [batch, 10], obs_2 [batch, 8], action_masks and outputs as Sorter.onnx."""
    torch.manual_seed(0)
    path = export_policy(Actor(SORTER, 32, 2, normalize=True), SORTER, tmp_path / "Sorter.onnx")
    assert _signature(path) == _signature(anchor("models/Sorter.onnx"))


def test_onnxruntime_equals_torch_with_padded_entities(tmp_path):
    """The exported graph (entities [batch, max_entities, size], as Sorter.onnx reads them) equals torch."""
    torch.manual_seed(2)
    sig = BehaviorSignature("SorterC", SORTER.observation_specs, ActionSpec(2))
    actor = Actor(sig, 32, 2, normalize=True)
    actor.normalizer.update(torch.rand(100, actor.obs_size) * 2)
    path = export_policy(actor, sig, tmp_path / "s.onnx")
    rng = np.random.default_rng(0)
    entities = rng.normal(size=(5, 20, 23)).astype(np.float32)
    entities[:, 7:] = 0.0  # 7 real entities, 13 padding slots
    entities[0, 3:] = 0.0  # fewer in one row
    feeds = {
        "obs_0": entities,
        "obs_1": rng.normal(size=(5, 10)).astype(np.float32),
        "obs_2": rng.normal(size=(5, 8)).astype(np.float32),
    }
    out = ort.InferenceSession(str(path)).run(["deterministic_continuous_actions"], feeds)[0]
    with torch.no_grad():
        expected = OnnxExportPolicy(actor, sig)(*(torch.from_numpy(v) for v in feeds.values()))[4]
    np.testing.assert_allclose(out, expected.numpy(), rtol=1e-4, atol=1e-5)
    assert np.abs(out).max() > 1e-3  # not a degenerate all-zero policy


def test_ppo_trains_and_exports_a_variable_length_behavior(tmp_path):
    """learn() on the entity toy env runs PPO updates and exports obs_0 [batch, 4, 3], obs_1 [batch, 2]."""
    opts = ppo_options(
        "Largest",
        results_dir=str(tmp_path),
        max_steps=300,
        summary_freq=300,
        checkpoint_interval=300,
        extra={"hyperparameters": {"buffer_size": 128, "batch_size": 32, "num_epoch": 1}},
    )
    result = learn(LearnOptions(opts, env_factory=lambda n, s: LargestEntity(4, seed=s), quiet=True))
    inputs, _ = _signature(result.behaviors["Largest"].onnx_path)
    assert [(name, dims) for name, _, dims in inputs] == [
        ("obs_0", ["?", 4, 3]),
        ("obs_1", ["?", 2]),
        ("action_masks", ["?", 4]),
    ]


@pytest.mark.slow
def test_ppo_learns_to_pick_the_largest_entity(tmp_path):
    """PPO with entity attention picks the largest entity's slot (random ~0.25) in >= 70% of late picks."""
    opts = ppo_options(
        "Largest",
        results_dir=str(tmp_path),
        max_steps=8000,
        summary_freq=8000,
        checkpoint_interval=8000,
        extra={
            "hyperparameters": {"buffer_size": 512, "batch_size": 64, "learning_rate": 1.0e-3},
            "network_settings": {"hidden_units": 64},
        },
    )
    recent: list[float] = []
    learn(
        LearnOptions(
            opts,
            env_factory=lambda n, s: LargestEntity(16, seed=s),
            quiet=True,
            on_episodes=lambda behavior, step, rewards: recent.extend(rewards.tolist()),
        )
    )
    assert np.mean(recent[-800:]) >= 0.7
