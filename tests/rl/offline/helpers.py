"""Small hand-built demonstration sets and settings for offline-RL tests."""

from __future__ import annotations

from typing import Any

import torch

from mlops_unity_pipeline.rl.config import TrainerSettings
from mlops_unity_pipeline.rl.offline.data import Transitions
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec


def signature(continuous: int = 1, branches: tuple[int, ...] = (), obs: int = 2) -> BehaviorSignature:
    """A vector-observation behavior with the given action spec."""
    return BehaviorSignature("Toy", (ObservationSpec((obs,)),), ActionSpec(continuous, branches))


def transitions(
    obs: torch.Tensor,
    *,
    continuous: torch.Tensor | None = None,
    discrete: torch.Tensor | None = None,
    rewards: torch.Tensor | None = None,
    branches: tuple[int, ...] = (),
) -> Transitions:
    """Transitions with next_obs = obs, no terminals, all actions allowed."""
    n = obs.shape[0]
    return Transitions(
        obs=obs.float(),
        continuous=(continuous if continuous is not None else torch.zeros((n, 0))).float(),
        discrete=(discrete if discrete is not None else torch.zeros((n, 0), dtype=torch.long)).long(),
        masks=torch.ones((n, sum(branches))),
        rewards=(rewards if rewards is not None else torch.zeros(n)).float(),
        next_obs=obs.float(),
        terminals=torch.ones(n),
    )


def trainer_settings(trainer_type: str = "ppo", **extra: Any) -> TrainerSettings:
    """Small PPO/SAC settings (hidden 32 x 2, normalize) with optional extra keys."""
    data: dict[str, Any] = {
        "trainer_type": trainer_type,
        "network_settings": {"normalize": True, "hidden_units": 32, "num_layers": 2},
        "reward_signals": {"extrinsic": {"gamma": 0.9, "strength": 1.0}},
    }
    if trainer_type == "ppo":
        data["hyperparameters"] = {
            "batch_size": 32,
            "buffer_size": 128,
            "learning_rate": 1e-3,
            "num_epoch": 2,
        }
    else:
        data["hyperparameters"] = {"batch_size": 32, "buffer_size": 1000, "learning_rate": 1e-3}
    data.update(extra)
    return TrainerSettings.from_dict(data)
