"""Demonstrations kept in SAC's replay while fine-tuning: RLPD's symmetric sampling.

Ball, Smith, Kostrikov & Levine 2023, "Efficient Online Reinforcement Learning with Offline Data" (RLPD),
§3.1: every minibatch draws half of its rows from the offline data and half from the online replay, so the
critic keeps learning from the demonstrations' *transitions* (their rewards and next states), not only
imitating their actions. From weak demonstrations this is what lets the policy leave the demonstrator: the
critic knows where the demonstrator's states lead before the actor moves (docs/offline_rl.md, "Imperfect
demonstrations").

``pretrain(..., config=PretrainConfig(keep_demonstrations=True))`` stores the demonstration rows in
``pretrained.pt`` under ``DEMO_REPLAY_KEY``; a SAC trainer started from that file (``init_path``) keeps them
in ``DemoReplay`` for the whole run, and saves them in its own checkpoints so ``--resume`` keeps them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from ...errors import TrainError
from .data import Transitions

DEMO_REPLAY_KEY = "DemoReplay"
"""Key of the demonstration rows in ``pretrained.pt`` and in SAC checkpoints."""
DEMO_FRACTION = 0.5
"""Share of every SAC minibatch drawn from the demonstrations (RLPD's symmetric sampling, Ball et al.
§3.1)."""
FIELDS = ("obs", "next_obs", "continuous", "discrete", "masks", "rewards", "terminated")
"""The replay's row fields (``buffers.ReplayBuffer.sample``'s keys)."""


def demo_state(data: Transitions) -> dict[str, torch.Tensor]:
    """Return the demonstration rows in the replay's layout, for ``pretrained.pt``.

    Args:
        data: the demonstrations (``offline/data.py``); continuous actions in environment space, which is
            also what SAC's replay stores (tanh-squashed actions).

    Returns:
        Tensors keyed like ``ReplayBuffer.sample``'s batches, rewards unscaled.

    """
    return {
        "obs": data.obs.float().clone(),
        "next_obs": data.next_obs.float().clone(),
        "continuous": data.continuous.float().clamp(-1.0, 1.0).clone(),
        "discrete": data.discrete.long().clone(),
        "masks": data.masks.float().clone(),
        "rewards": data.rewards.float().clone(),
        "terminated": data.terminals.float().clone(),
    }


class DemoReplay:
    """Demonstration rows mixed into every SAC minibatch (half of it, RLPD).

    Args:
        rows: ``demo_state``'s tensors.
        reward_scale: the extrinsic signal's ``strength`` (online rewards are stored multiplied by it).
        obs_size: the behavior's concatenated observation size.
        continuous_size: its continuous actions.
        num_branches: its discrete branches.
        mask_size: the sum of its branch sizes.

    Raises:
        TrainError: the rows do not fit the behavior (another behavior's ``pretrained.pt``), or none.

    """

    def __init__(
        self,
        rows: dict[str, torch.Tensor],
        *,
        reward_scale: float,
        obs_size: int,
        continuous_size: int,
        num_branches: int,
        mask_size: int,
    ) -> None:
        try:
            self.rows = {name: torch.as_tensor(rows[name]) for name in FIELDS}
        except KeyError as exc:
            raise TrainError(f"{DEMO_REPLAY_KEY}: the demonstration rows lack field {exc}") from exc
        n = int(self.rows["rewards"].shape[0])
        expected = {
            "obs": (n, obs_size),
            "next_obs": (n, obs_size),
            "continuous": (n, continuous_size),
            "discrete": (n, num_branches),
            "masks": (n, mask_size),
            "terminated": (n,),
        }
        for name, shape in expected.items():
            if tuple(self.rows[name].shape) != shape:
                raise TrainError(
                    f"{DEMO_REPLAY_KEY}: field '{name}' has shape {tuple(self.rows[name].shape)}, this "
                    f"behavior expects {shape}"
                )
        if n == 0:
            raise TrainError(f"{DEMO_REPLAY_KEY}: no demonstration rows")
        self.reward_scale = float(reward_scale)
        self._scaled = self.rows["rewards"] * self.reward_scale

    def __len__(self) -> int:
        return int(self.rows["rewards"].shape[0])

    def sample(self, online: Any, batch_size: int, rng: np.random.Generator) -> dict[str, torch.Tensor]:
        """Draw a minibatch: ``round(DEMO_FRACTION * batch_size)`` demonstration rows, the rest online.

        Args:
            online: the trainer's ``ReplayBuffer``.
            batch_size: rows in the minibatch.
            rng: the trainer's random generator.

        Returns:
            The concatenated minibatch, online rows first, keyed like ``ReplayBuffer.sample``.

        """
        k = min(batch_size - 1, max(1, round(DEMO_FRACTION * batch_size)))
        batch = online.sample(batch_size - k, rng)
        idx = torch.from_numpy(rng.integers(0, len(self), size=k))
        for name in FIELDS:
            demo = self._scaled[idx] if name == "rewards" else self.rows[name][idx]
            batch[name] = torch.cat([batch[name], demo.to(batch[name].dtype)])
        return batch

    def state_dict(self) -> dict[str, torch.Tensor]:
        """Return the unscaled rows (for the trainer's checkpoint)."""
        return dict(self.rows)
