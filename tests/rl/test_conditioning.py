"""Goal conditioning: hypernetwork math by hand, where goals sit in the encoding, export, and learning."""

from __future__ import annotations

import math

import numpy as np
import onnxruntime as ort
import pytest
import torch

from mlops_unity_pipeline.errors import ConfigError, SpecError
from mlops_unity_pipeline.rl.attention import layer_norm
from mlops_unity_pipeline.rl.conditioning import ConditionalBody, HyperNetwork, goal_columns
from mlops_unity_pipeline.rl.config import ConditioningType, RunOptions
from mlops_unity_pipeline.rl.export import export_policy
from mlops_unity_pipeline.rl.fused import FastGaussianActor, FusedPPO
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.rl.networks import MLP, Actor, Critic, QNetwork
from mlops_unity_pipeline.spaces import (
    ActionSpec,
    BehaviorSignature,
    ObservationSpec,
    ObservationType,
    observation_type_of,
)

from .goal_env import GoalReach

GOAL = ObservationType.GOAL_SIGNAL


def _sig(*specs: ObservationSpec, actions: ActionSpec | None = None) -> BehaviorSignature:
    return BehaviorSignature("G", specs, actions or ActionSpec(2))


def test_observation_type_is_typed_and_read_from_protos():
    """ObservationSpec keeps a typed ObservationType; a bad value is a SpecError; protos map 1 to a goal."""
    assert ObservationSpec((2,), "g", 1).observation_type is GOAL
    assert ObservationSpec((2,)).observation_type is ObservationType.DEFAULT
    with pytest.raises(SpecError, match="observation_type"):
        ObservationSpec((2,), "g", 7)

    class Proto:
        observation_type = 1

    assert observation_type_of(Proto()) is GOAL
    assert observation_type_of(object()) is ObservationType.DEFAULT


def test_goal_columns_follow_the_encoding_layout():
    """Vector goals keep their width, visual ones hidden_units, entities are pooled last and skipped."""
    sig = _sig(
        ObservationSpec((3,)),
        ObservationSpec((3, 20, 20), "cam", GOAL),
        ObservationSpec((4, 5), "buffer"),
        ObservationSpec((2,), "goal", GOAL),
    )
    assert goal_columns(sig, 8) == (3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
    assert goal_columns(_sig(ObservationSpec((3,))), 8) == ()
    with pytest.raises(ConfigError, match="goal_conditioning_type"):
        goal_columns(_sig(ObservationSpec((3,)), ObservationSpec((4, 5), "b", GOAL)), 8)


def test_hypernetwork_equals_its_formula_and_upstream_init():
    """out = x @ W(goal) + bias, W = flat(layer_norm(swish(swish(goal A1) A2))) reshaped (in, out)."""
    torch.manual_seed(0)
    net = HyperNetwork(3, 4, 2, 5)
    bound = math.sqrt(1 / (5 * 3))
    assert net.weights.weight.abs().max() <= bound and net.weights.weight.abs().max() > 0.5 * bound
    assert not net.bias.any() and not net.weights.bias.any()
    x, goal = torch.randn(6, 3), torch.randn(6, 2)
    with torch.no_grad():
        net.bias.uniform_(-1, 1)
        a1, a2 = net.hidden[0], net.hidden[2]
        h = torch.nn.functional.silu(
            torch.nn.functional.silu(goal @ a1.weight.T + a1.bias) @ a2.weight.T + a2.bias
        )
        h = (h - h.mean(1, keepdim=True)) / torch.sqrt(h.var(1, unbiased=False, keepdim=True) + 1e-5)
        flat = h @ net.weights.weight.T + net.weights.bias
        expected = torch.stack([x[i] @ flat[i].reshape(3, 4) for i in range(6)]) + net.bias
        assert torch.allclose(net(x, goal), expected, atol=1e-5)
    assert torch.allclose(layer_norm(torch.tensor([[1.0, 3.0]])), torch.tensor([[-1.0, 1.0]]), atol=1e-4)


def test_conditional_body_generates_only_its_last_layer():
    """num_layers 3: two Linear + Swish, then the goal's generated layer; the goal changes the output."""
    body = ConditionalBody(4, 6, 3, (2, 3))
    kinds = [type(layer).__name__ for layer in body.layers]
    assert kinds == ["Linear", "Linear", "HyperNetwork"] and body.out_size == 6
    x = torch.randn(5, 4)
    with torch.no_grad():
        expected = x
        for layer in body.layers[:2]:
            expected = torch.nn.functional.silu(layer(expected))
        expected = torch.nn.functional.silu(body.layers[2](expected, x[:, 2:4]))
        assert torch.allclose(body(x), expected, atol=1e-6)
        other = x.clone()
        other[:, 2:4] += 1.0
        assert not torch.allclose(body(other), body(x))


def test_every_network_is_conditioned_with_hyper_and_plain_with_none():
    """Actor, critic and Q networks get the conditional body (hyper, default); none keeps the MLP."""
    sig = _sig(ObservationSpec((3,)), ObservationSpec((2,), "goal", GOAL))
    actor = Actor(sig, 8, 2, True)
    critic = Critic(5, 8, 2, True, signature=sig)
    q = QNetwork(sig, 8, 2, False)
    assert all(isinstance(n.body, ConditionalBody) for n in (actor.encoder, critic.encoder, q))
    assert not FusedPPO.supports(actor, critic) and not FastGaussianActor.supports(actor)
    plain = Actor(sig, 8, 2, True, goal_conditioning=ConditioningType.NONE)
    assert isinstance(plain.encoder.body, MLP)
    assert isinstance(Actor(_sig(ObservationSpec((3,))), 8, 2, True).encoder.body, MLP)
    mean, _, _ = actor.heads(torch.randn(4, 5))
    assert mean is not None and mean.shape == (4, 2)
    q_cont, _ = q(torch.randn(4, 5), torch.zeros(4, 2))
    assert q_cont is not None and q_cont.shape == (4, 1)


def test_export_keeps_upstream_input_names_and_equals_torch(tmp_path):
    """The goal sensor stays its own input obs_1; onnxruntime == torch on the deterministic actions."""
    sig = _sig(ObservationSpec((3,)), ObservationSpec((2,), "goal", GOAL), actions=ActionSpec(0, (3,)))
    torch.manual_seed(1)
    actor = Actor(sig, 8, 2, True)
    path = export_policy(actor, sig, tmp_path / "goal.onnx")
    session = ort.InferenceSession(str(path))
    assert [i.name for i in session.get_inputs()] == ["obs_0", "obs_1", "action_masks"]
    obs0 = np.random.default_rng(0).normal(size=(6, 3)).astype(np.float32)
    goal = np.eye(2, dtype=np.float32)[[0, 1, 0, 1, 1, 0]]
    (out,) = session.run(
        ["deterministic_discrete_actions"],
        {"obs_0": obs0, "obs_1": goal, "action_masks": np.ones((6, 3), np.float32)},
    )
    _, _, branch = actor.heads(torch.from_numpy(np.concatenate([obs0, goal], 1)))
    assert np.array_equal(out[:, 0], branch[0].argmax(-1).numpy())


def _goal_run(tmp_path, conditioning: str) -> float:
    """PPO on GoalReach (16 agents) for 10k steps with the given conditioning; the last summary's mean."""
    behavior = {
        "trainer_type": "ppo",
        "hyperparameters": {"batch_size": 64, "buffer_size": 512, "learning_rate": 3e-3, "beta": 5e-3},
        "network_settings": {"hidden_units": 32, "num_layers": 2, "goal_conditioning_type": conditioning},
        "reward_signals": {"extrinsic": {"gamma": 0.95, "strength": 1.0}},
        "max_steps": 10000,
        "time_horizon": 16,
        "summary_freq": 2000,
    }
    options = RunOptions.from_dict(
        {
            "behaviors": {"Goal": behavior},
            "env_settings": {"seed": 0},
            "checkpoint_settings": {"run_id": conditioning, "results_dir": str(tmp_path)},
        }
    )
    result = learn(LearnOptions(options, env_factory=lambda n, seed: GoalReach(16, seed=seed), quiet=True))
    return result.behaviors["Goal"].history[-1][1]


@pytest.mark.slow
@pytest.mark.parametrize("conditioning", ["hyper", "none"])
def test_goal_conditioned_ppo_reaches_the_goal_it_is_given(tmp_path, conditioning):
    """GoalReach (goal A or B from a one-hot goal signal): PPO reaches the asked target (mean >= 0.8)."""
    assert _goal_run(tmp_path, conditioning) >= 0.8


def test_goal_signals_reach_players_and_demos_as_goal_observations():
    """The simulator player and the .demo writer send a goal sensor as ObservationTypeProto GOAL_SIGNAL."""
    from mlops_unity_pipeline.bridge.convert import encode_observation
    from mlops_unity_pipeline.bridge.player import agent_infos

    proto = encode_observation(np.zeros(2, np.float32), "goal", observation_type=int(GOAL))
    assert observation_type_of(proto) is GOAL
    env = GoalReach(2)
    batch = env.reset(seed=0)
    infos = agent_infos(batch, np.arange(2), np.arange(2), env.signature)
    types = [observation_type_of(o) for o in infos[0].observations]
    assert types == [ObservationType.DEFAULT, GOAL]
