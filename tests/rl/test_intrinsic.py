"""Curiosity and RND: rewards and losses against hand-computed values, wiring into PPO and SAC, decay."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch

from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.intrinsic import CuriositySignal, RNDSignal, flatten_actions
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.rl.ppo import PPOTrainer
from mlops_unity_pipeline.rl.sac import SACTrainer
from mlops_unity_pipeline.spaces import StepBatch

from .helpers import ppo_options, sac_options
from .toy_env import LineTarget


class _Settings:
    """A signal's settings (the fields ``rl.config`` gives it)."""

    def __init__(self, strength=1.0, gamma=0.99, lr=1e-3, hidden=8, layers=1, normalize=False):
        self.strength, self.gamma, self.learning_rate = strength, gamma, lr
        self.network_settings = type(
            "Net", (), {"hidden_units": hidden, "num_layers": layers, "normalize": normalize}
        )()


def _transitions(n=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    obs, nxt = torch.randn(n, 3, generator=g), torch.randn(n, 3, generator=g)
    cont = torch.randn(n, 1, generator=g)
    disc = torch.stack([torch.randint(0, 3, (n,), generator=g), torch.randint(0, 2, (n,), generator=g)], 1)
    return obs, nxt, cont, disc


def test_flatten_actions_is_continuous_then_one_hot_branches():
    """[0.5] and branches (3, 2) taking (2, 0) -> [0.5, 0, 0, 1, 1, 0] (ML-Agents ActionFlattener)."""
    got = flatten_actions(torch.tensor([[0.5]]), torch.tensor([[2, 0]]), (3, 2))
    torch.testing.assert_close(got, torch.tensor([[0.5, 0.0, 0.0, 1.0, 1.0, 0.0]]))


def test_curiosity_reward_is_zero_before_the_first_update_then_the_clipped_forward_error():
    """0 until trained once; then strength * min(0.5 * ||phi(s') - f(phi(s), a)||^2, 1 / strength)."""
    signal = CuriositySignal(3, 1, (3, 2), _Settings(strength=0.5))
    obs, nxt, cont, disc = _transitions()
    args = (obs.numpy(), nxt.numpy(), cont.numpy(), disc.numpy())
    np.testing.assert_array_equal(signal.rewards(*args), np.zeros(6, np.float32))
    signal.update(obs, nxt, cont, disc)
    net = signal.network
    with torch.no_grad():
        a = flatten_actions(cont, disc, (3, 2))
        predicted = net.forward_head(net.forward_body(torch.cat([net.encoder(obs), a], 1)))
        error = 0.5 * ((net.encoder(nxt) - predicted) ** 2).sum(1)
    expected = 0.5 * torch.clamp(error, max=2.0)
    np.testing.assert_allclose(signal.rewards(*args), expected.numpy(), rtol=1e-5)
    with torch.no_grad():
        net.forward_head.bias.fill_(100.0)  # a huge error is capped at 1 / strength before scaling
    np.testing.assert_allclose(signal.rewards(*args), np.ones(6), rtol=1e-6)


def test_curiosity_inverse_loss_hand_computed_for_zero_heads():
    """Zero inverse heads: continuous predicts 0 (loss a^2), each branch is uniform (log 3 + log 2)."""
    signal = CuriositySignal(3, 1, (3, 2), _Settings())
    net = signal.network
    with torch.no_grad():
        for head in (net.inverse_continuous, net.inverse_discrete):
            head.weight.zero_()
            head.bias.zero_()
    obs, nxt, cont, disc = _transitions()
    expected = (cont**2).sum(1).mean() + math.log(3.0) + math.log(2.0)
    with torch.no_grad():
        loss = float(net.inverse_loss(obs, nxt, cont, disc))
    assert loss == pytest.approx(float(expected), rel=1e-5)


def test_curiosity_update_descends_ten_times_point2_forward_plus_point8_inverse():
    """With SGD(lr=1) the step is minus the gradient of 10 * (0.2 * forward + 0.8 * inverse) (ML-Agents)."""
    signal = CuriositySignal(3, 1, (3, 2), _Settings())
    reference = copy.deepcopy(signal.network)
    signal.optimizer = torch.optim.SGD(signal.network.parameters(), lr=1.0)
    obs, nxt, cont, disc = _transitions()
    stats = signal.update(obs, nxt, cont, disc)
    forward = reference.prediction_error(obs, nxt, cont, disc).mean()
    inverse = reference.inverse_loss(obs, nxt, cont, disc)
    (10.0 * (0.2 * forward + 0.8 * inverse)).backward()
    for before, after in zip(reference.parameters(), signal.network.parameters(), strict=True):
        torch.testing.assert_close(after.detach(), before.detach() - before.grad, rtol=1e-5, atol=1e-6)
    assert stats["Losses/Curiosity Forward Loss"] == pytest.approx(float(forward.detach()), rel=1e-5)
    assert stats["Losses/Curiosity Inverse Loss"] == pytest.approx(float(inverse.detach()), rel=1e-5)


def test_rnd_reward_is_squared_distance_and_normalizer_folds_every_forward():
    """reward = strength * sum((predictor(s) - target(s))^2); with normalize every forward updates stats."""
    signal = RNDSignal(3, _Settings(strength=0.1, normalize=True))
    obs, nxt, cont, disc = _transitions()
    pred, target = copy.deepcopy(signal.predictor), copy.deepcopy(signal.target)
    with torch.no_grad():
        expected = 0.1 * ((pred(obs) - target(obs)) ** 2).sum(1)
    np.testing.assert_allclose(signal.rewards(obs.numpy(), nxt.numpy(), cont.numpy(), disc.numpy()), expected)
    assert float(signal.predictor.normalizer.count) == float(signal.target.normalizer.count) == 1 + 6


def test_rnd_reward_decays_on_visited_states_only():
    """Training on one set of states makes them less novel than states never seen."""
    torch.manual_seed(0)  # network init: independent of the tests that ran before
    signal = RNDSignal(3, _Settings(lr=1e-2, hidden=16, layers=2))
    visited, _, cont, disc = _transitions(64, seed=1)
    unseen = visited + 3.0
    args = (cont.numpy(), disc.numpy())
    before = signal.rewards(visited.numpy(), visited.numpy(), *args).mean()
    for _ in range(200):
        signal.update(visited, visited, cont, disc)
    after = signal.rewards(visited.numpy(), visited.numpy(), *args).mean()
    novel = signal.rewards(unseen.numpy(), unseen.numpy(), *args).mean()
    assert after < 0.05 * before and novel > 10 * after


def test_curiosity_reward_decays_on_learned_transitions():
    """The forward model learns transitions it trains on: their reward falls well below its first value."""
    torch.manual_seed(0)
    signal = CuriositySignal(3, 1, (3, 2), _Settings(strength=0.01, lr=3e-3, hidden=16))
    obs, _, cont, disc = _transitions(64, seed=2)
    nxt = obs + 0.5 * cont  # deterministic dynamics
    args = (obs.numpy(), nxt.numpy(), cont.numpy(), disc.numpy())
    signal.update(obs, nxt, cont, disc)
    first = signal.rewards(*args).mean()
    for _ in range(300):
        signal.update(obs, nxt, cont, disc)
    assert signal.rewards(*args).mean() < 0.2 * first


class _TwoHeadCritic(torch.nn.Module):
    """Values 0.5 (extrinsic) and 2.0 (intrinsic) everywhere."""

    normalizer = None

    def forward(self, obs, normalized=False):
        return torch.tensor([0.5, 2.0]).expand(obs.shape[0], 2)


def _batch(obs, reward, terminated):
    n = len(obs)
    zeros = np.zeros(n, bool)
    return StepBatch((obs,), reward.astype(np.float32), terminated, zeros, (obs,), None, zeros)


def _rnd_options(tmp_path, **signal):
    data = ppo_options(results_dir=str(tmp_path), extra={"time_horizon": 1}).to_dict()
    data["behaviors"]["Line"]["reward_signals"]["rnd"] = {"gamma": 0.9, "strength": 1.0, **signal}
    return RunOptions.from_dict(data)


def test_ppo_gae_per_signal_bootstraps_intrinsic_values_after_termination(tmp_path):
    """Terminated, r_ext=1, r_int=0.3: A_ext = 1 - 0.5, A_int = 0.3 + 0.9 * 2 - 2; buffer: their mean."""
    env = LineTarget(2)
    trainer = PPOTrainer(env.signature, _rnd_options(tmp_path).behaviors["Line"], 2, seed=0)
    trainer.critic = _TwoHeadCritic()
    trainer.signals[0].rewards = lambda *a, **k: np.full(len(a[0]), 0.3, np.float32)
    obs = np.zeros((2, 2), np.float32)
    trainer.act(_batch(obs, np.zeros(2), np.zeros(2, bool)))
    trainer.observe(_batch(obs, np.ones(2), np.ones(2, bool)))
    trainer._process(trainer._closed)
    size = trainer.buffer.size
    ext, intr = 1 - 0.5, 0.3 + 0.9 * 2.0 - 2.0
    np.testing.assert_allclose(trainer.buffer.advantages[:size].numpy(), [(ext + intr) / 2] * 2, rtol=1e-6)
    np.testing.assert_allclose(trainer.buffer.returns[:size].numpy(), [[1.0, intr + 2.0]] * 2, rtol=1e-6)
    np.testing.assert_allclose(trainer.buffer.values[:size].numpy(), [[0.5, 2.0]] * 2)
    stats = trainer.pop_stats()
    assert stats["Policy/Rnd Reward"] == [pytest.approx(0.3)] * 2  # one finished episode per agent
    assert stats["Policy/Rnd Value Estimate"] == [pytest.approx(2.0)]


def test_signal_reward_is_summed_over_each_episode_across_horizon_cuts(tmp_path):
    """time_horizon 1: a cut after step 1, the episode ends after step 2 -> one Policy/Rnd Reward of 0.6."""
    env = LineTarget(2)
    trainer = PPOTrainer(env.signature, _rnd_options(tmp_path).behaviors["Line"], 2, seed=0)
    trainer.critic = _TwoHeadCritic()
    trainer.signals[0].rewards = lambda *a, **k: np.full(len(a[0]), 0.3, np.float32)
    obs = np.zeros((2, 2), np.float32)
    for terminated in (np.zeros(2, bool), np.array([True, False])):
        trainer.act(_batch(obs, np.zeros(2), np.zeros(2, bool)))
        trainer.observe(_batch(obs, np.zeros(2), terminated))
    trainer._process(trainer._closed)
    assert trainer.pop_stats()["Policy/Rnd Reward"] == [pytest.approx(0.6)]  # agent 1 is still running


def test_gail_mixing_averages_every_signal_equally(tmp_path):
    """extrinsic + rnd + GAIL: the advantage is their plain mean (ML-Agents), not 0.5 * (mean2 + gail)."""
    env = LineTarget(2)
    trainer = PPOTrainer(env.signature, _rnd_options(tmp_path).behaviors["Line"], 2, seed=0)
    trainer.critic = _TwoHeadCritic()
    trainer.signals[0].rewards = lambda *a, **k: np.full(len(a[0]), 0.3, np.float32)

    class _Gail:
        def process(self, segments, valid, advantages, lambd):
            return 0.5 * (advantages + 7.0), {}  # rl/offline/components.py's mixing, with A_gail = 7

    trainer.imitation = _Gail()
    trainer.imitation.update = lambda step: {}
    obs = np.zeros((2, 2), np.float32)
    trainer.act(_batch(obs, np.zeros(2), np.zeros(2, bool)))
    trainer.observe(_batch(obs, np.ones(2), np.ones(2, bool)))
    trainer._process(trainer._closed)
    ext, intr = 1 - 0.5, 0.3 + 0.9 * 2.0 - 2.0
    np.testing.assert_allclose(
        trainer.buffer.advantages[: trainer.buffer.size].numpy(), [(ext + intr + 7.0) / 3] * 2, rtol=1e-6
    )


@pytest.mark.parametrize("algo", ["ppo", "sac"])
def test_learn_with_curiosity_and_rnd_logs_their_tags_and_checkpoints_them(tmp_path, algo):
    """A run with both signals trains, logs ML-Agents' tags, saves and resumes the signal models."""
    make = ppo_options if algo == "ppo" else sac_options
    data = make(results_dir=str(tmp_path), max_steps=600, summary_freq=300).to_dict()
    data["behaviors"]["Line"]["reward_signals"].update(
        curiosity={"strength": 0.02, "gamma": 0.99, "network_settings": {"hidden_units": 16}},
        rnd={"strength": 0.01, "network_settings": {"hidden_units": 16, "num_layers": 1}},
    )
    options = RunOptions.from_dict(data)

    def factory(num_agents, seed):
        return LineTarget(4, seed=seed)

    learn(LearnOptions(options, env_factory=factory, quiet=True))
    state = torch.load(tmp_path / "run" / "Line" / "checkpoint.pt", weights_only=False)
    assert {"Curiosity", "RNDPredictor", "RNDTarget"} <= set(state)
    assert {"Curiosity_optimizer", "RND_optimizer"} <= set(state)
    assert bool(state["Curiosity"]["updated_once"])
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(tmp_path / "run" / "Line"))
    events.Reload()
    tags = set(events.Tags()["scalars"])
    expected = {
        "Policy/Curiosity Reward",
        "Losses/Curiosity Forward Loss",
        "Losses/Curiosity Inverse Loss",
        "Policy/Rnd Reward",
        "Losses/RND Loss",
        "Policy/Entropy",
    }
    if algo == "ppo":
        expected |= {"Policy/Curiosity Value Estimate", "Policy/Rnd Value Estimate"}
    assert expected <= tags, expected - tags
    resumed = RunOptions.from_dict(
        {**data, "checkpoint_settings": {**data["checkpoint_settings"], "resume": True}}
    )
    trainer_cls = PPOTrainer if algo == "ppo" else SACTrainer
    other = trainer_cls(LineTarget(4).signature, resumed.behaviors["Line"], 4, seed=3)
    other.load_state_dict(state)
    curiosity = other.signals[0]
    assert bool(curiosity.network.updated_once)
    torch.testing.assert_close(
        curiosity.network.forward_head.weight, state["Curiosity"]["forward_head.weight"]
    )


def test_sac_backs_up_each_signal_with_its_gamma_and_ignores_done_for_intrinsic(tmp_path):
    """Terminal step, V_target = (1, 2): extrinsic target r; RND target r + gamma_rnd * 2 (ML-Agents)."""
    data = sac_options(results_dir=str(tmp_path)).to_dict()
    data["behaviors"]["Line"]["reward_signals"]["rnd"] = {"gamma": 0.9, "strength": 1.0}
    trainer = SACTrainer(LineTarget(4).signature, RunOptions.from_dict(data).behaviors["Line"], 4, seed=0)
    assert trainer.q1(torch.zeros(3, 2), torch.zeros(3, 1))[0].shape == (3, 2)
    rewards = torch.tensor([[0.5, 0.1], [0.5, 0.1]])
    got = trainer.q_backup(rewards, torch.tensor([1.0, 0.0]), torch.tensor([1.0, 2.0]).expand(2, 2))
    gamma = trainer.gamma
    expected = torch.tensor([[0.5, 0.1 + 0.9 * 2.0], [0.5 + gamma * 1.0, 0.1 + 0.9 * 2.0]])
    torch.testing.assert_close(got, expected)
