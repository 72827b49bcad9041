"""Observation encoders: upstream layer sizes, minimum resolutions, upstream export signatures, learning."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from mlops_unity_pipeline.errors import ConfigError, TrainError
from mlops_unity_pipeline.rl.encoders import (
    MIN_RESOLUTION,
    VISUAL_ENCODERS,
    ObservationEncoder,
    VectorNormalizer,
    conv_output_hw,
    observation_normalizer,
    visual_encoder,
)
from mlops_unity_pipeline.rl.export import OnnxExportPolicy, export_policy
from mlops_unity_pipeline.rl.fused import FastGaussianActor, FusedPPO
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.rl.networks import Actor, Critic, QNetwork
from mlops_unity_pipeline.rl.normalizer import RunningNormalizer
from mlops_unity_pipeline.rl.ppo import PPOTrainer, make_networks
from mlops_unity_pipeline.rl.sac import SACTrainer
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec
from tests.conftest import anchor

from .helpers import ppo_options, sac_options
from .test_export import _signature
from .visual_env import QuadrantImage

PUSHBLOCK = BehaviorSignature(
    "PushBlock", (ObservationSpec((105,)), ObservationSpec((105,))), ActionSpec(0, (7,))
)
BIGWALLJUMP = BehaviorSignature(
    "BigWallJump",
    (ObservationSpec((210,)), ObservationSpec((210,)), ObservationSpec((24,))),
    ActionSpec(0, (3, 3, 3, 2)),
)
GRIDWORLD = BehaviorSignature("GridWorld", (ObservationSpec((3, 64, 84)),), ActionSpec(0, (5,)))


def _mixed(kind_shape=(2, 36, 40), continuous=True):
    """A vector + visual + vector behavior (visual in the middle, to check slicing)."""
    spec = ActionSpec(2) if continuous else ActionSpec(0, (3, 2))
    return BehaviorSignature(
        "Mixed", (ObservationSpec((4,)), ObservationSpec(kind_shape), ObservationSpec((3,))), spec
    )


# --- multiple observation inputs ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sig", "upstream"), [(PUSHBLOCK, "models/PushBlock.onnx"), (BIGWALLJUMP, "models/BigWallJump.onnx")]
)
def test_multi_input_signature_equals_upstream_model(tmp_path, sig, upstream):
    """Several vector sensors export as obs_0..obs_n with upstream's names, shapes, dtypes and outputs."""
    torch.manual_seed(0)
    actor = Actor(sig, 32, 2, normalize=True)
    path = export_policy(actor, sig, tmp_path / f"{sig.name}.onnx")
    assert _signature(path) == _signature(anchor(upstream))


def test_multi_input_behavior_trains_and_normalizes_each_sensor(tmp_path):
    """A PushBlock-shaped behavior (two vector sensors): one normalizer over all 210 columns, fused path."""
    settings = ppo_options("PushBlock", results_dir=str(tmp_path)).behaviors["PushBlock"]
    trainer = PPOTrainer(PUSHBLOCK, settings, 2, seed=0)
    assert trainer.actor.normalizer.size == 210
    assert FusedPPO.supports(trainer.actor, trainer.critic)  # vector-only keeps the fused path


# --- encoder architectures --------------------------------------------------------------------------------
def test_conv_output_sizes_match_hand_computation():
    """floor((d + 2p - k) / s) + 1 on GridWorld's 64x84 camera for each upstream convolution."""
    assert conv_output_hw((64, 84), 8, 4) == (15, 20)
    assert conv_output_hw((15, 20), 4, 2) == (6, 9)
    assert conv_output_hw((6, 9), 3, 1) == (4, 7)
    assert conv_output_hw((64, 84), 3, 2) == (31, 41)  # the resnet max-pool
    assert conv_output_hw((8, 8), 3, 1) == (6, 6)
    assert conv_output_hw((5, 5), 3, 1, padding=1) == (5, 5)


# Parameter counts for a (3, 64, 84) image and h = 32 outputs, computed by hand from the upstream layer lists:
# conv(c_in, c_out, k) has c_in*c_out*k*k + c_out parameters; the dense layer flat*h + h.
H = 32
EXPECTED_PARAMS = {
    # 16 8x8/4 -> 15x20, 32 4x4/2 -> 6x9: flat 6*9*32 = 1728
    "simple": (3 * 16 * 64 + 16) + (16 * 32 * 16 + 32) + (1728 * H + H),
    # + 64 3x3/1 -> 4x7: flat 4*7*64 = 1792
    "nature_cnn": (3 * 32 * 64 + 32) + (32 * 64 * 16 + 64) + (64 * 64 * 9 + 64) + (1792 * H + H),
    # stacks 16, 32, 32 (conv + 2 blocks of 2 convs, all 3x3); pools 64x84 -> 31x41 -> 15x20 -> 7x9: 32*7*9
    "resnet": (3 * 16 * 9 + 16)
    + 4 * (16 * 16 * 9 + 16)
    + (16 * 32 * 9 + 32)
    + 4 * (32 * 32 * 9 + 32)
    + (32 * 32 * 9 + 32)
    + 4 * (32 * 32 * 9 + 32)
    + (32 * 7 * 9 * H + H),
    # 35 3x3, 144 3x3: 64x84 -> 62x82 -> 60x80
    "match3": (3 * 35 * 9 + 35) + (35 * 144 * 9 + 144) + (60 * 80 * 144 * H + H),
    "fully_connected": 3 * 64 * 84 * H + H,
}


@pytest.mark.parametrize("kind", sorted(VISUAL_ENCODERS))
def test_encoder_parameter_count_and_output_shape_match_upstream_formulas(kind):
    """Each encoder has exactly upstream's layers (parameter count) and maps (b, 3, 64, 84) to (b, h)."""
    encoder = visual_encoder(kind, (3, 64, 84), H, name="obs_0")
    assert sum(p.numel() for p in encoder.parameters()) == EXPECTED_PARAMS[kind]
    assert encoder(torch.rand(2, 3, 64, 84)).shape == (2, H)


@pytest.mark.parametrize("kind", sorted(VISUAL_ENCODERS))
def test_too_small_image_is_a_config_error_naming_setting_and_minimum(kind):
    """One pixel under the minimum fails naming vis_encode_type, the input and the minimum; at it, works."""
    minimum = MIN_RESOLUTION[kind]
    if minimum > 1:
        with pytest.raises(
            ConfigError, match=rf"network_settings\.vis_encode_type.*obs_2.*'{kind}'.*side is {minimum}"
        ):
            visual_encoder(kind, (1, minimum - 1, 40), 8, name="obs_2")
    out = visual_encoder(kind, (1, minimum, minimum), 8, name="obs_0")(torch.rand(3, 1, minimum, minimum))
    assert out.shape == (3, 8)


def test_min_resolutions_are_upstreams():
    """The table equals ModelUtils.MIN_RESOLUTION_FOR_ENCODER of Release 22."""
    assert MIN_RESOLUTION == {"fully_connected": 1, "match3": 5, "simple": 20, "nature_cnn": 36, "resnet": 15}


def test_too_small_image_fails_when_the_trainer_builds_its_networks(tmp_path):
    """PPO on a 16x16 camera with the default simple encoder is a ConfigError before any step."""
    env = QuadrantImage(2, side=16)
    settings = ppo_options("Quadrant", results_dir=str(tmp_path)).behaviors["Quadrant"]
    with pytest.raises(ConfigError, match="vis_encode_type.*minimum side is 20"):
        make_networks(env.signature, settings)


def test_rank_four_observation_is_a_named_train_error():
    """An observation of rank 4 is refused naming the input and the ranks that are encoded."""
    sig = BehaviorSignature("Odd", (ObservationSpec((2, 3, 4, 5)),), ActionSpec(0, (3,)))
    with pytest.raises(TrainError, match=r"obs_0 has shape \(2, 3, 4, 5\).*variable-length"):
        Actor(sig, 16, 1, normalize=True)


# --- normalization and slicing ---------------------------------------------------------------------------
def test_normalizer_covers_vector_columns_only():
    """Vector sensors are normalized with statistics equal to a plain normalizer's; pixels pass unchanged."""
    sig = _mixed((1, 20, 20))
    norm = observation_normalizer(sig)
    assert isinstance(norm, VectorNormalizer) and norm.size == 7
    rows = torch.randn(50, 4 + 400 + 3) * 4 + 2
    norm.update(rows)
    plain = RunningNormalizer(7)
    plain.update(torch.cat([rows[:, :4], rows[:, 404:]], 1))
    out = norm(rows)
    torch.testing.assert_close(out[:, 4:404], rows[:, 4:404])
    torch.testing.assert_close(
        torch.cat([out[:, :4], out[:, 404:]], 1), plain(torch.cat([rows[:, :4], rows[:, 404:]], 1))
    )
    assert observation_normalizer(GRIDWORLD) is None  # images only: nothing to normalize, as upstream
    assert type(observation_normalizer(PUSHBLOCK)) is RunningNormalizer


def test_observation_encoder_slices_sensors_in_order():
    """Vector columns come out verbatim around the visual features, in sensor order."""
    enc = ObservationEncoder(_mixed((1, 20, 20)), 8, "simple")
    rows = torch.rand(5, 407)
    out = enc(rows)
    assert out.shape == (5, 4 + 8 + 3)
    torch.testing.assert_close(out[:, :4], rows[:, :4])
    torch.testing.assert_close(out[:, -3:], rows[:, -3:])
    image = rows[:, 4:404].reshape(5, 1, 20, 20)
    torch.testing.assert_close(out[:, 4:12], enc.visual[0](image))


@pytest.mark.parametrize("kind", sorted(VISUAL_ENCODERS))
def test_gradients_reach_every_parameter(kind):
    """A policy loss back-propagates into every visual encoder weight and the body."""
    torch.manual_seed(0)
    sig = _mixed()
    actor = Actor(sig, 16, 1, normalize=True, vis_encode_type=kind)
    critic = Critic(actor.obs_size, 16, 1, True, signature=sig, vis_encode_type=kind)
    obs = torch.rand(4, actor.obs_size)
    mean, _, _ = actor.heads(obs)
    (mean.pow(2).sum() + critic(obs).sum()).backward()
    for name, p in [*actor.named_parameters(), *critic.named_parameters()]:
        if name == "log_std":
            continue
        assert p.grad is not None and p.grad.abs().sum() > 0, name
    assert not FusedPPO.supports(actor, critic) and not FastGaussianActor.supports(actor)


# --- export ---------------------------------------------------------------------------------------------
def test_visual_export_signature_equals_gridworld_inputs(tmp_path):
    """obs_0 NCHW [batch, 3, 64, 84] and action_masks [batch, 5], as upstream GridWorldColab.onnx declares."""
    torch.manual_seed(0)
    path = export_policy(Actor(GRIDWORLD, 16, 1, normalize=True), GRIDWORLD, tmp_path / "g.onnx")
    ours, upstream = _signature(path), _signature(anchor("models/GridWorldColab.onnx"))
    assert ours[0] == upstream[0]
    # GridWorldColab was written by an older exporter (no deterministic_* outputs); every output it has, we
    # have with the same dtype and rank.
    ours_out = {name: (dtype, len(dims)) for name, dtype, dims in ours[1]}
    for name, dtype, dims in upstream[1]:
        assert ours_out[name] == (dtype, len(dims)), name


@pytest.mark.parametrize("kind", sorted(VISUAL_ENCODERS))
def test_onnxruntime_equals_torch_for_each_encoder(tmp_path, kind):
    """The exported graph (NCHW image between two vector inputs) computes torch's deterministic actions."""
    torch.manual_seed(1)
    sig = _mixed()
    actor = Actor(sig, 16, 2, normalize=True, vis_encode_type=kind)
    actor.normalizer.update(torch.rand(100, actor.obs_size) * 3 + 1)
    path = export_policy(actor, sig, tmp_path / f"{kind}.onnx")
    names = [i.name for i in onnx.load(str(path)).graph.input]
    assert names == ["obs_0", "obs_1", "obs_2"]
    rng = np.random.default_rng(0)
    feeds = {
        "obs_0": rng.normal(size=(6, 4)).astype(np.float32),
        "obs_1": rng.random((6, 2, 36, 40), dtype=np.float32),
        "obs_2": rng.normal(size=(6, 3)).astype(np.float32),
    }
    out = ort.InferenceSession(str(path)).run(["deterministic_continuous_actions"], feeds)[0]
    with torch.no_grad():
        expected = OnnxExportPolicy(actor, sig)(*(torch.from_numpy(v) for v in feeds.values()))[4]
    np.testing.assert_allclose(out, expected.numpy(), rtol=1e-4, atol=1e-5)


# --- trainers -------------------------------------------------------------------------------------------
def test_ppo_trains_and_exports_a_visual_behavior(tmp_path):
    """learn() on a visual + vector toy env runs PPO updates and writes obs_0 NCHW + obs_1 vector inputs."""
    opts = ppo_options(
        "Quadrant",
        results_dir=str(tmp_path),
        max_steps=300,
        summary_freq=300,
        checkpoint_interval=300,
        extra={"hyperparameters": {"buffer_size": 128, "batch_size": 32, "num_epoch": 1}},
    )
    result = learn(
        LearnOptions(opts, env_factory=lambda n, s: QuadrantImage(4, vector=True, seed=s), quiet=True)
    )
    model = onnx.load(str(result.behaviors["Quadrant"].onnx_path))
    dims = {
        i.name: [d.dim_value or d.dim_param for d in i.type.tensor_type.shape.dim] for i in model.graph.input
    }
    assert dims == {"obs_0": ["batch", 1, 20, 20], "obs_1": ["batch", 3], "action_masks": ["batch", 4]}


def test_sac_updates_a_visual_behavior(tmp_path):
    """SAC's Q and value networks get their own visual encoders and an update changes them."""
    env = QuadrantImage(4, vector=True)
    settings = sac_options("Quadrant", results_dir=str(tmp_path)).behaviors["Quadrant"]
    trainer = SACTrainer(env.signature, settings, 4, seed=0)
    assert isinstance(trainer.q1, QNetwork) and trainer.q1.observations is not None
    before = trainer.q1.observations.visual[0].conv[0].weight.detach().clone()
    batch = env.reset(seed=0)
    while trainer.update_count == 0:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    assert not torch.equal(before, trainer.q1.observations.visual[0].conv[0].weight)


@pytest.mark.slow
def test_ppo_learns_to_read_the_image(tmp_path):
    """PPO with the simple encoder picks the lit quadrant (random 0.25) in >= 80% of the last decisions."""
    opts = ppo_options(
        "Quadrant",
        results_dir=str(tmp_path),
        max_steps=6000,
        summary_freq=6000,
        checkpoint_interval=6000,
        extra={"hyperparameters": {"buffer_size": 512, "batch_size": 64, "learning_rate": 1.0e-3}},
    )
    recent: list[float] = []
    learn(
        LearnOptions(
            opts,
            env_factory=lambda n, s: QuadrantImage(16, seed=s),
            quiet=True,
            on_episodes=lambda behavior, step, rewards: recent.extend(rewards.tolist()),
        )
    )
    assert np.mean(recent[-400:]) >= 0.8


@pytest.mark.parametrize("trainer_cls", [PPOTrainer, SACTrainer], ids=["ppo", "sac"])
def test_curiosity_and_rnd_encode_images_with_visual_encoders(tmp_path, trainer_cls):
    """Curiosity and RND models get the visual encoder (not an MLP on pixels) and train on images."""
    env = QuadrantImage(4, vector=True)
    make = ppo_options if trainer_cls is PPOTrainer else sac_options
    signals = {
        "curiosity": {"gamma": 0.99, "strength": 0.02},
        "rnd": {"gamma": 0.99, "strength": 0.01, "network_settings": {"normalize": True}},
    }
    extra = {"reward_signals": {"extrinsic": {"gamma": 0.95, "strength": 1.0}, **signals}}
    if trainer_cls is PPOTrainer:
        extra["hyperparameters"] = {"buffer_size": 64, "batch_size": 32, "num_epoch": 1}
    settings = make("Quadrant", results_dir=str(tmp_path), extra=extra).behaviors["Quadrant"]
    trainer = trainer_cls(env.signature, settings, 4, seed=0)
    curiosity, rnd = trainer.signals
    assert curiosity.network.encoder.observations is not None
    assert rnd.predictor.encoder.observations is not None
    assert isinstance(rnd.predictor.normalizer, VectorNormalizer) and rnd.predictor.normalizer.size == 3
    before = curiosity.network.encoder.observations.visual[0].conv[0].weight.detach().clone()
    batch = env.reset(seed=0)
    while trainer.update_count < 2:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    assert not torch.equal(before, curiosity.network.encoder.observations.visual[0].conv[0].weight)
    stats = trainer.pop_stats()
    assert np.isfinite(stats["Losses/Curiosity Forward Loss"]).all() and "Losses/RND Loss" in stats


def test_visual_checkpoint_restores_encoders_and_vector_statistics(tmp_path):
    """A PPO checkpoint of a visual + vector behavior restores conv weights and the vector-only normalizer."""
    env = QuadrantImage(4, vector=True)
    settings = ppo_options("Quadrant", results_dir=str(tmp_path)).behaviors["Quadrant"]
    trainer = PPOTrainer(env.signature, settings, 4, seed=0)
    batch = env.reset(seed=0)
    while trainer.update_count < 1:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    other = PPOTrainer(env.signature, settings, 4, seed=5)
    other.load_state_dict(trainer.state_dict())
    torch.testing.assert_close(other.flat.param, trainer.flat.param)
    conv = trainer.actor.encoder.observations.visual[0].conv[0].weight
    torch.testing.assert_close(other.actor.encoder.observations.visual[0].conv[0].weight, conv)
    assert float(other.actor.normalizer.count) == float(trainer.actor.normalizer.count) > 1
    obs = torch.rand(3, trainer.obs_size)
    torch.testing.assert_close(other.actor.heads(obs)[2][0], trainer.actor.heads(obs)[2][0])


def test_simulator_onnx_policy_reads_a_visual_export(tmp_path):
    """sim.onnx_policy loads our NCHW export, recovers the behavior's shapes and acts on the toy env."""
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy

    env = QuadrantImage(3, vector=True)
    torch.manual_seed(0)
    path = export_policy(Actor(env.signature, 16, 1, normalize=True), env.signature, tmp_path / "q.onnx")
    policy = OnnxRuntimePolicy(path, env.signature)
    actions = policy(env.reset(seed=0))
    assert actions.discrete.shape == (3, 1) and set(actions.discrete[:, 0]) <= {0, 1, 2, 3}
