"""IQL: expectile loss by hand, dataset log-likelihoods, and that recorded rewards beat plain imitation."""

from __future__ import annotations

import pytest
import torch

from mlops_unity_pipeline.errors import ConfigError
from mlops_unity_pipeline.rl import distributions as D
from mlops_unity_pipeline.rl.networks import Actor, Critic
from mlops_unity_pipeline.rl.offline.iql import IQL, IQLConfig, dataset_log_prob, expectile_loss

from .helpers import signature, transitions


def test_expectile_loss_hand_values():
    """diff = [2, -1], tau 0.7 -> (0.7 * 4 + 0.3 * 1) / 2 = 1.55; tau 0.5 is half the MSE."""
    diff = torch.tensor([2.0, -1.0])
    assert float(expectile_loss(diff, 0.7)) == pytest.approx(1.55)
    assert float(expectile_loss(diff, 0.5)) == pytest.approx(0.5 * float((diff**2).mean()))


def test_dataset_log_prob_inverts_the_environment_mapping():
    """PPO actor: Gaussian log density of 3 * a; discrete: log softmax of the taken index."""
    torch.manual_seed(0)
    actor = Actor(signature(1, (2,)), 8, 1, normalize=False)
    obs = torch.randn(4, 2)
    data = transitions(
        obs,
        continuous=torch.tensor([[0.5], [-1.0], [0.0], [0.2]]),
        discrete=torch.tensor([[0], [1], [1], [0]]),
        branches=(2,),
    )
    mean, log_std, branch_lp = actor.heads(obs, data.masks)
    expected = D.gaussian_log_prob(data.continuous * 3, mean, log_std).sum(-1)
    expected = expected + branch_lp[0].gather(1, data.discrete).squeeze(1)
    torch.testing.assert_close(dataset_log_prob(actor, data), expected)


def test_config_validation_names_the_field():
    """Out-of-range hyperparameters raise ConfigError naming the field."""
    with pytest.raises(ConfigError, match="iql.expectile"):
        IQLConfig(expectile=1.0)
    with pytest.raises(ConfigError, match="iql.temperature"):
        IQLConfig(temperature=-1.0)


def _fit(data, sig, temperature: float, updates: int = 300) -> Actor:
    torch.manual_seed(0)
    actor = Actor(sig, 32, 2, normalize=False)
    value = Critic(actor.obs_size, 32, 2, normalize=False)
    learner = IQL(
        actor,
        value,
        gamma=0.9,
        hidden_units=32,
        num_layers=2,
        config=IQLConfig(temperature=temperature, learning_rate=3e-3, batch_size=64),
    )
    learner.fit(data, updates, torch.Generator().manual_seed(0))
    return actor


def test_discrete_iql_prefers_the_rewarded_action_bc_does_not():
    """Half the data takes action 0 (reward 0), half action 1 (reward 1): IQL puts > 0.9 on action 1."""
    sig = signature(0, (2,))
    obs = torch.randn(256, 2)
    actions = torch.arange(256).remainder(2).reshape(-1, 1)
    data = transitions(obs, discrete=actions, rewards=actions.squeeze(1).float(), branches=(2,))
    iql = _fit(data, sig, temperature=5.0)
    bc = _fit(data, sig, temperature=0.0)
    with torch.no_grad():
        p_iql = iql.heads(obs, data.masks)[2][0].exp()[:, 1].mean()
        p_bc = bc.heads(obs, data.masks)[2][0].exp()[:, 1].mean()
    assert float(p_iql) > 0.9
    assert 0.35 < float(p_bc) < 0.65


def test_continuous_iql_moves_towards_the_rewarded_actions():
    """Actions -0.5 (reward 0) and +0.5 (reward 1): the IQL policy mean ends > 0.3, BC's stays near 0."""
    sig = signature(1)
    obs = torch.randn(256, 2)
    sign = torch.arange(256).remainder(2).float()
    data = transitions(obs, continuous=(sign - 0.5).reshape(-1, 1), rewards=sign)
    iql = _fit(data, sig, temperature=5.0)
    bc = _fit(data, sig, temperature=0.0)
    with torch.no_grad():
        iql_mean = float((iql.heads(obs)[0] / 3).mean())
        bc_mean = float((bc.heads(obs)[0] / 3).mean())
    assert iql_mean > 0.3
    assert abs(bc_mean) < 0.15


def test_value_learns_discounted_return_of_a_constant_reward():
    """Reward 1 forever (no terminals), gamma 0.9, expectile 0.5: V approaches 1 / (1 - 0.9) = 10."""
    torch.manual_seed(0)
    sig = signature(1)
    obs = torch.randn(128, 2)
    data = transitions(obs, continuous=torch.zeros(128, 1), rewards=torch.ones(128))
    data = type(data)(**{**data.__dict__, "terminals": torch.zeros(128)})
    actor = Actor(sig, 32, 2, normalize=False)
    value = Critic(2, 32, 2, normalize=False)
    learner = IQL(
        actor,
        value,
        gamma=0.9,
        hidden_units=32,
        num_layers=2,
        config=IQLConfig(expectile=0.5, learning_rate=3e-3, batch_size=64, tau=0.05),
    )
    learner.fit(data, 800, torch.Generator().manual_seed(0), policy=False)
    with torch.no_grad():
        assert float(value(obs).mean()) == pytest.approx(10.0, abs=1.0)
