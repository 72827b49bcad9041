"""``behavioral_cloning`` and ``reward_signals.gail`` for the online PPO trainer: the hooks it calls.

``PPOTrainer`` builds ``ImitationComponents.from_settings(...)`` (None when neither setting is present), calls
``process`` on the closed trajectory segments right after their extrinsic GAE, and ``update`` after each PPO
update. What happens there, following ML-Agents' PPO with reward signals:

- GAIL rewards (times ``strength``) are computed for every step; a separate GAIL value network
  estimates their return with the signal's ``gamma``; GAE gives the GAIL advantages, and the advantage PPO
  optimizes is the mean of the extrinsic and GAIL advantages (ML-Agents ``_process_trajectory``). ML-Agents
  keeps one value head per signal on a shared critic body; a separate small critic is our simplification:
  it leaves PPO's critic (and its fused update) untouched and learns the same quantity.
- after the PPO update, for ``num_epoch`` passes over the update buffer in ``batch_size`` minibatches, the
  GAIL critic takes a value step and the discriminator a step against an equal expert minibatch (ML-Agents
  updates reward signals minibatch by minibatch); then ``BCModule.update`` runs with its annealed strength.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ...spaces import BehaviorSignature
from ..config import RewardSignalType
from ..distributions import CONTINUOUS_CLIP
from ..gae import compute_gae
from ..networks import Actor, Critic
from .bc import PRETRAINING_LOSS, BCModule
from .data import load_transitions
from .gail import GAILRewardSignal

GAIL_REWARD = "Policy/Gail Reward"
"""Mean GAIL reward (after ``strength``) summed over each closed trajectory segment."""
GAIL_VALUE = "Policy/Gail Value Estimate"
"""Mean value estimate of the GAIL signal."""


def gail_settings(settings: Any) -> Any | None:
    """Return the ``reward_signals.gail`` entry of a behavior's ``TrainerSettings``, or None.

    Args:
        settings: the ``TrainerSettings``.

    Returns:
        Its ``GAILSettings`` or None.

    """
    return settings.reward_signals.get(RewardSignalType.GAIL)


class ImitationComponents:
    """BC and GAIL attached to a PPO trainer's actor.

    Args:
        actor: the trainer's policy.
        bc: the behavioral cloning module, or None.
        gail: the GAIL reward signal, or None.
        settings: the behavior's ``TrainerSettings`` (network size, ``num_epoch``, ``batch_size``, lr).
        generator: torch generator for shuffles.

    """

    def __init__(
        self,
        actor: Actor,
        bc: BCModule | None,
        gail: GAILRewardSignal | None,
        settings: Any,
        generator: torch.Generator,
        *,
        value_network: bool = True,
    ) -> None:
        self.actor = actor
        self.bc = bc
        self.gail = gail
        hp = settings.hyperparameters
        self.num_epoch = int(getattr(hp, "num_epoch", 1))
        self.batch_size = int(hp.batch_size)
        self.generator = generator
        self.gail_critic: Critic | None = None
        self.gail_optimizer: torch.optim.Optimizer | None = None
        if gail is not None and value_network:
            net = settings.network_settings
            self.gail_critic = Critic(actor.obs_size, net.hidden_units, net.num_layers, net.normalize)
            self.gail_optimizer = torch.optim.Adam(self.gail_critic.parameters(), lr=float(hp.learning_rate))
        self._rows: list[tuple[np.ndarray, ...]] = []

    @classmethod
    def from_settings(
        cls,
        signature: BehaviorSignature,
        settings: Any,
        actor: Actor,
        generator: torch.Generator,
        *,
        value_network: bool = True,
    ) -> ImitationComponents | None:
        """Build what ``behavioral_cloning`` and ``reward_signals.gail`` ask for (None if neither is set).

        Args:
            signature: the behavior (demonstrations must match its specs).
            settings: its ``TrainerSettings``.
            actor: the trainer's policy.
            generator: torch generator.
            value_network: give GAIL its own value network (PPO); SAC's Q networks learn the summed reward.

        Returns:
            The components, or None.

        Raises:
            DemoFormatError: a demonstration path that does not exist, a corrupt file, or a spec mismatch.

        """
        bc_settings = getattr(settings, "behavioral_cloning", None)
        gail = gail_settings(settings)
        if bc_settings is None and gail is None:
            return None
        hp = settings.hyperparameters
        bc = None
        if bc_settings is not None:
            memory = settings.network_settings.memory
            bc = BCModule(
                actor,
                bc_settings,
                load_transitions(bc_settings.demo_path, signature),
                learning_rate=float(hp.learning_rate),
                default_batch_size=int(hp.batch_size),
                default_num_epoch=int(getattr(hp, "num_epoch", 1)),
                generator=generator,
                sequence_length=1 if memory is None else int(memory.sequence_length),
            )
        signal = None
        if gail is not None:
            spec = signature.action_spec
            signal = GAILRewardSignal(
                actor.obs_size,
                tuple(spec.discrete_branches),
                spec.continuous_size,
                gail,
                load_transitions(gail.demo_path, signature),
                generator,
            )
        return cls(actor, bc, signal, settings, generator, value_network=value_network)

    # --- checkpoint state ---
    def modules(self) -> dict[str, torch.nn.Module]:
        """Return the networks to save with the trainer's checkpoint."""
        out: dict[str, torch.nn.Module] = {}
        if self.gail is not None:
            out["GAIL"] = self.gail.discriminator
        if self.gail_critic is not None:
            out["GAILCritic"] = self.gail_critic
        return out

    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        """Return the optimizers to save with the trainer's checkpoint."""
        out: dict[str, torch.optim.Optimizer] = {}
        if self.bc is not None:
            out["BC"] = self.bc.optimizer
        if self.gail is not None:
            out["GAIL"] = self.gail.optimizer
        if self.gail_optimizer is not None:
            out["GAILCritic"] = self.gail_optimizer
        return out

    # --- trajectories ---
    def _env_continuous(self, raw: np.ndarray) -> np.ndarray:
        if self.actor.tanh_squash:
            return raw.astype(np.float32)
        return (np.clip(raw, -CONTINUOUS_CLIP, CONTINUOUS_CLIP) / CONTINUOUS_CLIP).astype(np.float32)

    def process(
        self, segments: list[Any], valid: np.ndarray, advantages: np.ndarray, lambd: float
    ) -> tuple[np.ndarray, dict[str, float]]:
        """Mix the GAIL advantages of closed trajectory segments into the extrinsic ones.

        Args:
            segments: the trainer's closed ``buffers.Segment`` objects, in the order of ``valid``'s rows.
            valid: ``(K, L)`` valid cells of all segments' rows, padded to a common length ``L``.
            advantages: ``(K, L)`` extrinsic GAE advantages on the same grid.
            lambd: GAE lambda.

        Returns:
            ``(advantages, stats)``: the mean of extrinsic and GAIL advantages (unchanged without GAIL) and
            the statistics to record.

        """
        if self.gail is None or self.gail_critic is None or not segments:
            return advantages, {}
        lengths = np.concatenate([seg.lengths for seg in segments])
        terminated = np.concatenate([seg.terminated for seg in segments])
        obs = np.concatenate([seg.obs[seg.valid()] for seg in segments])
        cont = self._env_continuous(np.concatenate([seg.continuous[seg.valid()] for seg in segments]))
        disc = np.concatenate([seg.discrete[seg.valid()] for seg in segments]).astype(np.int64)
        rows = valid.shape[0]
        dones = np.zeros(valid.shape, np.float32)
        dones[np.arange(rows), np.maximum(lengths - 1, 0)] = terminated.astype(np.float32)
        done_rows = dones[valid]
        step_rewards = (
            self.gail.rewards(
                torch.from_numpy(obs),
                torch.from_numpy(cont),
                torch.from_numpy(disc),
                torch.from_numpy(done_rows),
            )
            * self.gail.strength
        )
        rewards = np.zeros(valid.shape, np.float32)
        rewards[valid] = step_rewards
        critic = self.gail_critic
        if critic.normalizer is not None:
            critic.normalizer.update(torch.from_numpy(obs))
        with torch.no_grad():
            value_rows = critic(torch.from_numpy(obs)).numpy()
            bootstrap = critic(
                torch.from_numpy(np.concatenate([seg.bootstrap_obs for seg in segments]))
            ).numpy()
        values = np.zeros(valid.shape, np.float32)
        values[valid] = value_rows
        bootstrap = np.where(terminated, 0.0, bootstrap)
        gail_adv, gail_ret = compute_gae(rewards, values, bootstrap, lengths, self.gail.gamma, lambd)
        self._rows.append((obs, cont, disc, done_rows, gail_ret[valid]))
        stats = {GAIL_REWARD: float(rewards.sum(1).mean()), GAIL_VALUE: float(value_rows.mean())}
        # ML-Agents: the advantage is the mean over reward signals of each signal's advantage.
        return (0.5 * (advantages + gail_adv)).astype(np.float32), stats

    # --- update ---
    def update(self, step: int, bc_scale: float = 1.0) -> dict[str, float]:
        """GAIL critic and discriminator steps over the collected rows, then the BC update.

        Args:
            step: the behavior's step (BC annealing).
            bc_scale: multiplies BC's annealed learning rate (the fine-tuning guard's evidence; 1 otherwise).

        Returns:
            Statistics keyed by ML-Agents tag names (``Losses/Pretraining Loss``, ``Losses/GAIL Loss`` …).

        """
        stats: dict[str, list[float]] = {}
        if (
            self.gail is not None
            and self.gail_critic is not None
            and self.gail_optimizer is not None
            and self._rows
        ):
            obs, cont, disc, dones, returns = (
                torch.from_numpy(np.concatenate(part)) for part in zip(*self._rows, strict=True)
            )
            self._rows = []
            size = obs.shape[0]
            bs = max(1, min(self.batch_size, size))
            for _ in range(self.num_epoch):
                perm = torch.randperm(size, generator=self.generator)
                for i in range(size // bs):
                    idx = perm[i * bs : (i + 1) * bs]
                    value_loss = F.mse_loss(self.gail_critic(obs[idx]), returns[idx])
                    self.gail_optimizer.zero_grad(set_to_none=True)
                    value_loss.backward()
                    self.gail_optimizer.step()
                    for key, value in self.gail.update(obs[idx], cont[idx], disc[idx], dones[idx]).items():
                        stats.setdefault(key, []).append(value)
        out = {key: float(np.mean(values)) for key, values in stats.items()}
        if self.bc is not None:
            out[PRETRAINING_LOSS] = self.bc.update(step, bc_scale).loss
        return out

    # --- SAC ---
    def sac_rewards(self, mb: dict[str, torch.Tensor]) -> tuple[torch.Tensor, dict[str, float]]:
        """GAIL rewards of a SAC replay minibatch (times ``strength``), then one discriminator step on it.

        ML-Agents' SAC keeps one Q head per reward signal; here the GAIL reward is added to the extrinsic one
        in the sampled batch, so the Q networks learn their sum with the extrinsic ``gamma`` (a
        simplification).

        Args:
            mb: the replay sample (``obs``, ``continuous`` squashed actions, ``discrete``, ``terminated`` …).

        Returns:
            ``(rewards (batch,), stats)``; zeros and no statistics without GAIL.

        """
        if self.gail is None:
            return torch.zeros_like(mb["rewards"]), {}
        dones = mb["terminated"].to(torch.float32)
        discrete = mb["discrete"].to(torch.int64)
        rewards = self.gail.rewards(mb["obs"], mb["continuous"], discrete, dones) * self.gail.strength
        stats = self.gail.update(mb["obs"], mb["continuous"], discrete, dones)
        stats[GAIL_REWARD] = float(rewards.mean())
        return torch.from_numpy(rewards), stats
