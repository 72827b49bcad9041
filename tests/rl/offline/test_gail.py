"""GAIL: the discriminator separates expert from policy data; rewards, VAIL and gradient penalty stats."""

from __future__ import annotations

import math

import torch

from mlops_unity_pipeline.rl.config import RewardSignalType, TrainerSettings
from mlops_unity_pipeline.rl.offline.gail import GAILRewardSignal

from .helpers import transitions


def _gail(*, use_actions: bool, use_vail: bool = False, branches: tuple[int, ...] = ()) -> GAILRewardSignal:
    settings = TrainerSettings.from_dict(
        {
            "reward_signals": {
                "extrinsic": {},
                "gail": {
                    "demo_path": "x.demo",
                    "use_actions": use_actions,
                    "use_vail": use_vail,
                    "learning_rate": 3e-3,
                    "strength": 0.5,
                    "network_settings": {"hidden_units": 32, "num_layers": 2, "normalize": True},
                },
            }
        }
    )
    gail = settings.reward_signals[RewardSignalType.GAIL]
    torch.manual_seed(0)
    obs = torch.randn(256, 2) * 0.3 + torch.tensor([1.0, 0.0])  # the expert lives around x0 = 1
    n_cont = 0 if branches else 1
    cont = torch.full((256, n_cont), 0.5)
    disc = torch.zeros((256, len(branches)), dtype=torch.long)
    data = transitions(obs, continuous=cont, discrete=disc, branches=branches)
    return GAILRewardSignal(2, branches, n_cont, gail, data, torch.Generator().manual_seed(0))


def _policy_batch(n: int = 64, shift: float = -1.0):
    obs = torch.randn(n, 2) * 0.3 + torch.tensor([shift, 0.0])
    return obs, torch.full((n, 1), 0.5), torch.zeros((n, 0), dtype=torch.long), torch.zeros(n)


def test_discriminator_learns_to_tell_expert_from_policy():
    """After training, D(expert) > 0.6 > 0.4 > D(policy) and the reward favours expert-like states."""
    gail = _gail(use_actions=False)
    obs, cont, disc, dones = _policy_batch()
    for _ in range(150):
        stats = gail.update(obs, cont, disc, dones)
    assert stats["Policy/GAIL Expert Estimate"] > 0.6 > 0.4 > stats["Policy/GAIL Policy Estimate"]
    assert {"Losses/GAIL Loss", "Policy/GAIL Grad Mag Loss"} <= set(stats)
    expert_like = gail.rewards(gail.data.obs[:64], cont, disc, dones)
    policy_like = gail.rewards(obs, cont, disc, dones)
    assert expert_like.mean() > policy_like.mean() > 0.0
    # reward = -log(1 - D) with D from the discriminator (no VAIL noise)
    with torch.no_grad():
        d, _ = gail.discriminator.estimate(gail.discriminator.inputs(obs[:1], None), noise=False)
    assert math.isclose(float(policy_like[0]), -math.log(1 - float(d) * (1 - 1e-7)), rel_tol=1e-4)


def test_use_actions_separates_on_actions_alone():
    """Same states, different actions: only a discriminator that sees actions can separate them."""
    gail = _gail(use_actions=True)
    obs = gail.data.obs[:64].clone()
    cont = torch.full((64, 1), -0.5)  # the expert always did +0.5
    for _ in range(150):
        stats = gail.update(obs, cont, torch.zeros((64, 0), dtype=torch.long), torch.zeros(64))
    assert stats["Policy/GAIL Expert Estimate"] - stats["Policy/GAIL Policy Estimate"] > 0.5
    assert gail.discriminator.body.layers[0].in_features == 2 + 1 + 1  # obs + action + done flag


def test_discrete_actions_are_one_hot():
    """Discrete branches enter as one-hot vectors."""
    gail = _gail(use_actions=True, branches=(3,))
    assert gail.discriminator.body.layers[0].in_features == 2 + 3 + 1
    obs, _, _, dones = _policy_batch(8)
    rewards = gail.rewards(obs, torch.zeros((8, 0)), torch.full((8, 1), 2, dtype=torch.long), dones)
    assert rewards.shape == (8,)


def test_vail_reports_beta_and_kl_and_beta_stays_non_negative():
    """With use_vail the KL and the dual variable beta are reported; beta >= 0 and grows while KL > 0.5."""
    gail = _gail(use_actions=False, use_vail=True)
    obs, cont, disc, dones = _policy_batch()
    betas = []
    for _ in range(20):
        stats = gail.update(obs, cont, disc, dones)
        betas.append(stats["Policy/GAIL Beta"])
        assert math.isfinite(stats["Losses/GAIL KL Loss"])
    assert min(betas) >= 0.0
    assert betas[-1] > 0.0
