"""Soft Actor-Critic as ML-Agents runs it, for continuous (tanh-squashed) or discrete actions.

Flow: networks (actor, twin Q, value + target value) -> acting (``SACTrainer.act``) -> replay
(``observe``) -> ``update`` every ``steps_per_update`` agent steps once ``buffer_init_steps`` are collected.

Like ML-Agents' SAC (upstream ``ml-agents/mlagents/trainers/sac/optimizer_torch.py``): a state-dependent log
std with tanh squashing for continuous actions, a masked categorical per discrete branch; Q targets bootstrap
from a value network whose target copy is soft-updated with ``tau``; the entropy coefficient starts at
``init_entcoef`` and is tuned automatically towards a target entropy (``-n`` for ``n`` continuous actions,
``0.2 * log(size)`` per discrete branch); episodes that end on their own do not bootstrap, interrupted ones
do. With curiosity / RND (``rl/intrinsic.py``) the Q and value networks have one head per reward signal, as
ML-Agents' ``stream_names``.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..errors import ConfigError, TrainError
from ..spaces import ActionTuple, BehaviorSignature, StepBatch
from . import distributions as D
from .base import Trainer, env_actions, extrinsic_reward, flatten_obs, load_checkpoint_file
from .buffers import ReplayBuffer
from .checkpoint import atomic_torch_save
from .config import TrainerSettings
from .networks import Actor, Critic, QNetwork
from .offline.components import ImitationComponents
from .offline.finetune import FineTuneConfig
from .offline.rlpd import DEMO_REPLAY_KEY, DemoReplay
from .optim import FlatAdam, FlatParameters
from .sac_memory import FlatBatch, SequenceBatch, SequenceCollector, SequenceReplay
from .schedules import MIN_LEARNING_RATE, decayed_value
from .stats import ENTROPY
from .threaded import BackgroundUpdate

REPLAY_FILE = "last_replay_buffer.pt"
"""``save_replay_buffer``: the replay written at the end of a run, read back by ``--resume`` (ML-Agents writes
``<Behavior>/last_replay_buffer.hdf5`` the same way, at the final save only)."""
DISCRETE_TARGET_ENTROPY_SCALE = 0.2
CONTINUOUS_TARGET_ENTROPY_SCALE = 1.0
FINE_TUNE_MIN_LOG_STD = math.log(0.05)
"""Log-std floor of the fine-tuning anchor's KL (``offline/finetune.py``): below a pre-tanh std of 0.05 a
pretrained policy's noise is not anchored, only its mean (measured choice, docs/offline_rl.md)."""
FINE_TUNE_KL_BOUND = 0.02
"""Fine-tuning's trust region (``FineTuneConfig.kl_bound``), in nats of the floored reverse KL averaged over
recent states. Measured on BC-pretrained 3DBall, 3 seeds, 120,000 steps: 0.02 kept every run at the pretrained
policy's own figures (dips 0 / 0 / 0.17 %), 0.2 let them slip 1-2 points (docs/offline_rl.md)."""


# --- networks -----------------------------------------------------------------------------------------------
def make_networks(
    signature: BehaviorSignature, settings: TrainerSettings, num_heads: int = 1
) -> tuple[Actor, QNetwork, QNetwork, Critic]:
    """Actor (normalizing observations), twin Q networks and the value network of a SAC behavior.

    The critics read observations normalized by the actor's normalizer, so one set of statistics serves all.

    Args:
        signature: the behavior.
        settings: its ``TrainerSettings``.
        num_heads: reward signals with their own Q and value heads (extrinsic first, then curiosity/rnd).

    Returns:
        ``(actor, q1, q2, value)``.

    Raises:
        ConfigError: a hybrid (continuous + discrete) action space.

    """
    spec = signature.action_spec
    if spec.is_continuous and spec.is_discrete:
        raise ConfigError(
            f"behavior '{signature.name}': the built-in SAC trains continuous or discrete actions, "
            "not both at once (use PPO)"
        )
    net = settings.network_settings
    # The critics read rows the actor's normalizer already normalized (see ``SACTrainer``); visual sensors get
    # their own encoders in every network, as upstream's SAC builds one ``NetworkBody`` per network.
    width, depth, vis = net.hidden_units, net.num_layers, net.vis_encode_type
    # With memory every network gets an LSTM of memory_size (sac_memory.py: upstream's recurrent SAC).
    shared = {
        "vis_encode_type": vis,
        "goal_conditioning": net.goal_conditioning_type,
        "memory_size": 0 if net.memory is None else int(net.memory.memory_size),
    }
    actor = Actor(signature, width, depth, net.normalize, tanh_squash=True, **shared)
    q1, q2 = (QNetwork(signature, width, depth, False, num_heads=num_heads, **shared) for _ in range(2))
    value = Critic(
        actor.obs_size, width, depth, normalize=False, num_heads=num_heads, signature=signature, **shared
    )
    return actor, q1, q2, value


class SACTrainer(Trainer):
    """SAC for one behavior.

    Args:
        signature: the behavior trained.
        settings: its ``TrainerSettings`` (``hyperparameters`` is a ``SACSettings``).
        num_agents: agents in the environment.
        seed: random seed.

    """

    algorithm = "sac"

    def __init__(
        self, signature: BehaviorSignature, settings: TrainerSettings, num_agents: int, seed: int
    ) -> None:
        super().__init__(signature, settings, seed)
        hp, spec = self.hp, self.action_spec
        heads = 1 + len(self.signals)
        self.actor, self.q1, self.q2, self.value = make_networks(signature, settings, heads)
        self.deterministic = bool(settings.network_settings.deterministic)
        self.gammas = torch.tensor([self.gamma] + [sig.gamma for sig in self.signals])
        """``(heads,)`` discount of each signal."""
        self.bootstrap_done = torch.tensor([1.0] + [0.0 if sig.ignore_done else 1.0 for sig in self.signals])
        """``(heads,)`` 1 where a terminal step stops the bootstrap; intrinsic signals ignore episode ends."""
        self.target_value = copy.deepcopy(self.value).requires_grad_(False)
        self.branches = tuple(spec.discrete_branches)
        n_alpha = spec.continuous_size and 1 or len(self.branches)
        self.log_alpha = torch.nn.Parameter(torch.full((n_alpha,), math.log(float(hp.init_entcoef))))
        if spec.is_continuous:
            self.target_entropy = torch.tensor([-CONTINUOUS_TARGET_ENTROPY_SCALE * spec.continuous_size])
        else:
            self.target_entropy = torch.tensor(
                [DISCRETE_TARGET_ENTROPY_SCALE * math.log(b) for b in self.branches]
            )
        lr = float(hp.learning_rate)
        # Flat parameters: each Adam step is one fused kernel over one tensor (see fused.py).
        self.policy_flat = FlatParameters([self.actor])
        self.critic_flat = FlatParameters([self.q1, self.q2, self.value])
        self.policy_optimizer = FlatAdam(self.policy_flat.param, lr)
        self.value_optimizer = FlatAdam(self.critic_flat.param, lr)
        self.entropy_optimizer = FlatAdam(self.log_alpha, lr)
        sizes = (self.obs_size, spec.continuous_size, len(self.branches), spec.mask_size)
        memory = settings.network_settings.memory
        self.sequence_length = 1 if memory is None else int(memory.sequence_length)
        self.replay: ReplayBuffer | SequenceReplay = ReplayBuffer(int(hp.buffer_size), *sizes)
        self.sequences: SequenceCollector | None = None
        """Recurrent SAC's per-agent trajectories and memories (``sac_memory.py``); None without memory."""
        if memory is not None:
            m = self.actor.memory_size
            self.replay = SequenceReplay(int(hp.buffer_size), self.sequence_length, *sizes, m)
            self.sequences = SequenceCollector(
                num_agents, int(settings.time_horizon), self.sequence_length, *sizes, m
            )
        self.demo_replay: DemoReplay | None = None
        """Demonstrations kept in replay while fine-tuning (``offline/rlpd.py``); None: online rows only."""
        self._pending: tuple[np.ndarray, ...] | None = None
        self._launched = 0
        """Updates started so far (``update_count`` once they ran; threaded ones may still be running)."""
        # threaded: true (rl/threaded.py): the agents act with copies of the actor (and, with memory, of the
        # value network that computes critic memories) while the worker updates; observations for the
        # normalizer wait for the next hand-over, so the worker's networks never change under it.
        self.acting_actor, self.acting_value = self.actor, self.value
        self._norm_rows: list[np.ndarray] = []
        if settings.threaded:
            self.background = BackgroundUpdate(self._deferred, self.record)
            self.acting_actor = copy.deepcopy(self.actor)
            self.acting_value = copy.deepcopy(self.value)
        # behavioral_cloning and reward_signals.gail (rl/offline/components.py); None when neither is set.
        self.imitation = ImitationComponents.from_settings(
            signature, settings, self.actor, self.generator, value_network=False
        )

    def modules(self) -> dict[str, torch.nn.Module]:
        """Actor as ``"Policy"``, the critics, and the entropy coefficients."""
        alpha = torch.nn.ParameterList([self.log_alpha])
        return {
            "Policy": self.actor,
            "Q1": self.q1,
            "Q2": self.q2,
            "Value": self.value,
            "TargetValue": self.target_value,
            "LogEntropyCoef": alpha,
            **(self.imitation.modules() if self.imitation is not None else {}),
            **{key: m for signal in self.signals for key, m in signal.modules().items()},
        }

    def flat_parameters(self) -> list[torch.Tensor]:
        """Actor and critic flat tensors plus the entropy coefficients."""
        return [self.policy_flat.param, self.critic_flat.param, self.log_alpha]

    def optimizers(self) -> dict[str, Any]:
        """Policy, value and entropy optimizers."""
        return {
            "Policy": self.policy_optimizer,
            "Value": self.value_optimizer,
            "Entropy": self.entropy_optimizer,
            **(self.imitation.optimizers() if self.imitation is not None else {}),
            **{key: o for signal in self.signals for key, o in signal.optimizers().items()},
        }

    # --- replay persistence (save_replay_buffer) ---
    def save_replay(self, path: Path) -> None:
        """Write the replay buffer atomically (``save_replay_buffer: true``, at the end of a run).

        Args:
            path: ``<run>/<Behavior>/last_replay_buffer.pt``.

        """
        atomic_torch_save(self.replay.state_dict(), path)

    def load_replay(self, path: Path) -> None:
        """Read a replay buffer written by ``save_replay`` (``--resume`` with ``save_replay_buffer: true``).

        Args:
            path: the file.

        Raises:
            TrainError: unreadable, or it does not fit this behavior's buffer.

        """
        try:
            self.replay.load_state_dict(load_checkpoint_file(path))
        except (KeyError, ValueError) as exc:
            raise TrainError(
                f"replay buffer {path} does not fit behavior '{self.signature.name}': {exc}"
            ) from exc

    # --- acting ---
    def act(self, batch: StepBatch) -> ActionTuple:
        """Sample actions (tanh-squashed for continuous) and remember the observation.

        Args:
            batch: the current decision.

        Returns:
            Actions for every agent.

        """
        obs = flatten_obs(batch.obs)
        mask = None if batch.action_mask is None else batch.action_mask.astype(np.float32)
        obs_t, mask_t = torch.from_numpy(obs), None if mask is None else torch.from_numpy(mask)
        # network_settings.deterministic: the mean / argmax, as ML-Agents' ActionModel.
        before: np.ndarray | None = None
        if self.sequences is not None:  # recurrent: one step from each agent's memory, which is kept
            before = self.sequences.memories.copy()
            sample, after = self.acting_actor.act_recurrent(
                obs_t, mask_t, torch.from_numpy(before), deterministic=self.deterministic
            )
            self.sequences.memories = after.numpy()
        else:
            sample = self.acting_actor.act(obs_t, mask_t, deterministic=self.deterministic)
        cont_np, disc_np = sample.continuous.numpy(), sample.discrete.numpy()
        # At every decision, as ML-Agents' AgentProcessor does.
        self.record(ENTROPY, float(sample.entropy.mean()))
        self._pending = (
            (obs, cont_np, disc_np, mask) if before is None else (obs, cont_np, disc_np, mask, before)
        )
        return env_actions(cont_np, disc_np)

    def drop_agents(self, rows: np.ndarray) -> None:
        """Skip storing this decision's transitions and, with memory, those agents' open trajectories."""
        self._pending = None
        if self.sequences is not None:
            self.sequences.drop(np.asarray(rows, np.int64))

    def reset_trajectories(self) -> None:
        """Forget the pending decision and, with memory, every open trajectory and memory (env reset)."""
        self._pending = None
        if self.sequences is not None:
            self.sequences.reset()

    def observe(self, batch: StepBatch) -> None:
        """Store the transitions, update the normalizer and run the updates that are due.

        Args:
            batch: the decision that followed the last ``act``.

        """
        if self._pending is None:
            return
        obs, cont, disc, mask = self._pending[:4]
        done = batch.terminated | batch.truncated
        reward = extrinsic_reward(batch) * self.strength
        if self.sequences is not None:
            assert isinstance(self.replay, SequenceReplay)  # internal invariant: built together
            rows = self.sequences.add(
                obs,
                cont,
                disc,
                mask,
                reward,
                self._pending[4],
                batch.terminated,
                batch.truncated,
                flatten_obs(batch.obs),
                flatten_obs(batch.final_obs),
                self.acting_value,
                self.acting_actor.normalizer,
            )
            if rows is not None:
                self.replay.add_rows(**rows)
        else:
            assert isinstance(self.replay, ReplayBuffer)
            next_obs = flatten_obs(batch.obs)
            if done.any():
                next_obs = np.where(done[:, None], flatten_obs(batch.final_obs), next_obs)
            self.replay.add(obs, cont, disc, reward, next_obs, batch.terminated, mask)
        self._pending = None
        if self.finetune is not None:
            self.finetune.observe(obs, mask, batch.reward, done)
        if self.actor.normalizer is not None:
            if self.background is not None:  # threaded: applied at the next hand-over
                self._norm_rows.append(obs)
            else:
                self.actor.normalizer.update(torch.from_numpy(obs))
        self.step += len(obs)
        hp = self.hp
        due = int((self.step - int(hp.buffer_init_steps)) / float(hp.steps_per_update)) - self._launched
        if due > 0 and self.replay.size >= int(hp.batch_size):
            if self.finetune is not None:  # critic warm-up / anchor weight from the latest episodes
                for key, value in self.finetune.before_update().items():
                    self.record(key, value)
                if not self.finetune.actor_frozen:
                    self._fine_tune_entropy_target()
            self._launched += due
            if self.background is not None:
                self.settle()  # the previous updates end here, at a fixed step; then the hand-over
                # The worker gets its minibatches now: the replay keeps filling while it runs.
                batches = [self._sample() for _ in range(due)]
                step = self.step
                self.background.start(lambda: self._run_updates(step, batches))
            else:
                self._run_updates(self.step, [None] * due)

    def _run_updates(self, step: int, batches: list[dict[str, torch.Tensor] | None]) -> None:
        """Run one SAC update per minibatch (None: sample it then), record their mean losses, then BC."""
        losses = [self.update(step, mb) for mb in batches]
        for key in losses[-1]:
            self.record(key, float(np.mean([entry[key] for entry in losses])))
        self.check_finite(losses[-1].values())
        if self.imitation is not None:  # the annealed BC update after the SAC updates (ML-Agents)
            for key, value in self.imitation.update(step, self.bc_scale()).items():
                self.record(key, value)
        if self.finetune is not None:  # the trust region around the pretrained policy (finetune.py)
            self.finetune.project()

    def settle(self) -> None:
        """Threaded: wait for the running updates, then hand the learner over to the acting copies."""
        super().settle()
        if self.background is None:
            return
        if self._norm_rows and self.actor.normalizer is not None:
            self.actor.normalizer.update(torch.from_numpy(np.concatenate(self._norm_rows)))
        self._norm_rows = []
        self.acting_actor.load_state_dict(self.actor.state_dict())
        self.acting_value.load_state_dict(self.value.state_dict())

    def load_state_dict(self, state: dict[str, Any], *, weights_only: bool = False) -> None:
        """Restore a checkpoint (``Trainer.load_state_dict``); the acting copies follow (threaded).

        Raises:
            TrainError: the checkpoint does not fit, threaded updates from an offline-pretrained policy, or
                demonstrations kept in replay with a recurrent SAC.

        """
        super().load_state_dict(state, weights_only=weights_only)
        self._launched = self.update_count
        if DEMO_REPLAY_KEY in state:  # pretrain(keep_demonstrations=True), or a checkpoint of such a run
            if self.sequences is not None:
                raise TrainError(
                    f"behavior '{self.signature.name}': demonstrations kept in replay (RLPD) are not "
                    "implemented for a recurrent SAC (network_settings.memory)"
                )
            spec = self.action_spec
            self.demo_replay = DemoReplay(
                state[DEMO_REPLAY_KEY],
                reward_scale=self.strength,
                obs_size=self.obs_size,
                continuous_size=spec.continuous_size,
                num_branches=len(self.branches),
                mask_size=spec.mask_size,
            )
        if self.background is not None:
            if self.finetune is not None:
                raise TrainError(
                    f"behavior '{self.signature.name}': threaded: true while fine-tuning an offline-"
                    "pretrained policy is not implemented (set threaded: false)"
                )
            self.settle()

    def state_dict(self) -> dict[str, Any]:
        """``Trainer.state_dict`` plus the demonstrations kept in replay, if any."""
        state = super().state_dict()
        if self.demo_replay is not None:
            state[DEMO_REPLAY_KEY] = self.demo_replay.state_dict()
        return state

    def _sample(self) -> dict[str, torch.Tensor]:
        """One replay minibatch; half of it demonstrations when they are kept (RLPD, ``offline/rlpd.py``)."""
        if self.demo_replay is not None:
            return self.demo_replay.sample(self.replay, int(self.hp.batch_size), self.rng)
        return self.replay.sample(int(self.hp.batch_size), self.rng)

    # --- update ---
    def update(self, step: int | None = None, mb: dict[str, torch.Tensor] | None = None) -> dict[str, float]:
        """One gradient step of the actor, the critics and the entropy coefficients, then the target update.

        Args:
            step: the step the update belongs to (the learning-rate schedule's; default: now).
            mb: the replay minibatch (threaded: drawn when the update was due); None samples one now.

        Returns:
            The losses and coefficients, keyed by ML-Agents tag names.

        """
        hp = self.hp
        lr = decayed_value(
            hp.learning_rate_schedule,
            hp.learning_rate,
            MIN_LEARNING_RATE,
            self.step if step is None else step,
            int(self.settings.max_steps),
        )
        for opt in (self.policy_optimizer, self.value_optimizer, self.entropy_optimizer):
            for group in opt.param_groups:
                group["lr"] = lr
        if mb is None:
            mb = self._sample()
        # How the networks read the batch: row by row, or chunks from stored memories with masked means.
        view = FlatBatch() if self.sequences is None else SequenceBatch.of(mb, self.sequence_length)
        real = None if self.sequences is None else mb["loss_masks"] > 0
        if self.imitation is not None:  # GAIL reward added to the sampled rewards (rl/offline/components.py)
            gail_rewards, gail_stats = self.imitation.sac_rewards(mb if real is None else _rows(mb, real))
            if real is not None:  # padding rows get none (their losses are masked out)
                gail_rewards = torch.zeros_like(mb["rewards"]).masked_scatter(real, gail_rewards)
            mb["rewards"] = mb["rewards"] + gail_rewards
            for key, value in gail_stats.items():
                self.record(key, value)
        rewards, signal_stats = self._signal_rewards(mb, real)
        norm = self.actor.normalizer
        with torch.no_grad():
            obs = norm(mb["obs"]) if norm is not None else mb["obs"]
            next_obs = norm(mb["next_obs"]) if norm is not None else mb["next_obs"]
            target = view.target_values(self.value, self.target_value, obs, next_obs)
            q_backup = self.q_backup(rewards, mb["terminated"], target)
        alpha = self.log_alpha.exp().detach()
        if self.action_spec.is_continuous:
            policy_loss, v_backup, alpha_loss, q1_taken, q2_taken = self._continuous_terms(
                obs, mb, alpha, view
            )
        else:
            policy_loss, v_backup, alpha_loss, q1_taken, q2_taken = self._discrete_terms(obs, mb, alpha, view)
        self.policy_flat.zero_grad()
        policy_loss.backward()
        if self.finetune is not None:  # frozen actor during the critic warm-up, else the KL anchor
            # Scaled by the actor loss's unit |Q| (TD3+BC's scaling, finetune.py).
            self.finetune.adjust_actor_gradients(scale=float(q1_taken.detach().abs().mean()))
        self.policy_optimizer.step()
        q1_loss = 0.5 * view.mean((q1_taken - q_backup) ** 2)
        q2_loss = 0.5 * view.mean((q2_taken - q_backup) ** 2)
        # Mean over signals of each head's loss (ML-Agents averages its per-stream losses).
        value_loss = 0.5 * view.mean((view.values(self.value, obs).view_as(v_backup) - v_backup) ** 2)
        self.critic_flat.zero_grad()  # also drops what policy_loss.backward() left on the Q networks
        (q1_loss + q2_loss + value_loss).backward()
        self.value_optimizer.step()
        if self.finetune is None or not self.finetune.actor_frozen:
            # Frozen actor: its entropy cannot answer the coefficient, which would only wind up (finetune.py).
            self.log_alpha.grad = None
            alpha_loss.backward()
            self.entropy_optimizer.step()
        with torch.no_grad():  # Polyak averaging of the target value network
            torch._foreach_lerp_(
                list(self.target_value.parameters()), list(self.value.parameters()), float(hp.tau)
            )
        self.update_count += 1
        coef = (
            "Policy/Continuous Entropy Coeff"
            if self.action_spec.is_continuous
            else "Policy/Discrete Entropy Coeff"
        )
        keys = (
            "Losses/Policy Loss",
            "Losses/Value Loss",
            "Losses/Q1 Loss",
            "Losses/Q2 Loss",
            coef,
            "Policy/Extrinsic Value",
        )
        values = torch.stack(
            [
                policy_loss.detach(),
                value_loss.detach(),
                q1_loss.detach(),
                q2_loss.detach(),
                alpha.mean(),
                view.mean(q1_taken.detach()[:, 0]),  # the extrinsic head
            ]
        ).tolist()  # one sync for all stats
        stats = dict(zip(keys, values, strict=True))
        stats["Policy/Learning Rate"] = lr
        stats.update(signal_stats)
        return stats

    def fine_tune_config(self) -> FineTuneConfig:
        """Return the guard's SAC settings (docs/offline_rl.md, "SAC").

        The anchor is the reverse KL with the log std floored at ``FINE_TUNE_MIN_LOG_STD``, the actor's
        normalizer (which the critics read too) stays at the pretrained statistics while anchored, and the
        actor is kept inside a trust region of ``FINE_TUNE_KL_BOUND`` nats around the pretrained policy, in
        which narrowing the std is free (the entropy target decides it).
        """
        return FineTuneConfig(
            kl_min_log_std=FINE_TUNE_MIN_LOG_STD,
            hold_normalizer=True,
            reverse_kl=True,
            kl_free_narrowing=True,
            kl_bound=FINE_TUNE_KL_BOUND,
        )

    def _fine_tune_entropy_target(self) -> None:
        """When fine-tuning's actor starts to move, aim the entropy at most at the pretrained policy's own.

        SAC's default target (``-n`` continuous, ``0.2 log(size)`` per branch) is a prior for a policy learned
        from scratch. A pretrained policy is usually far more certain (BC on Expert3DBall: log std about
        -4); that default would make the coefficient grow and drive the policy towards randomness, the
        measured cause of SAC's fine-tuning collapse (docs/offline_rl.md).
        """
        guard = self.finetune
        assert guard is not None  # internal invariant: called only while fine-tuning
        if guard.entropy_target is None:  # first update after the warm-up: estimate it once
            reference = guard.reference_entropy()
            if reference is None:
                return
            guard.entropy_target = torch.minimum(self.target_entropy, reference)
        self.target_entropy = guard.entropy_target  # also after --resume (the guard's checkpoint keeps it)

    def q_backup(self, rewards: torch.Tensor, terminated: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Q targets, one per signal: ``r_h + gamma_h * (1 - done_h) * V_target_h(s')``.

        Intrinsic signals ignore episode ends (ML-Agents ``_ignore_done``): their ``done_h`` is always 0.

        Args:
            rewards: ``(batch, heads)`` rewards, extrinsic first.
            terminated: ``(batch,)`` 1 where the episode ended on its own.
            target: the target value network's ``V_target(s')``, ``(batch,)`` or ``(batch, heads)``.

        Returns:
            ``(batch, heads)`` targets (no gradient).

        """
        with torch.no_grad():
            done = terminated.unsqueeze(1) * self.bootstrap_done
            return rewards + self.gammas * (1.0 - done) * target.view(len(rewards), -1)

    def _signal_rewards(
        self, mb: dict[str, torch.Tensor], real: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, dict[str, float]]:
        """Rewards of every signal for the minibatch, ``(batch, heads)``; then one update of each signal.

        The extrinsic column is the stored reward (GAIL's already added by ``rl/offline/components.py``);
        curiosity / RND rewards (times ``strength``) come from their current models, as ML-Agents' SAC
        evaluates them on each sampled batch. The models train with every SAC update (``rl.support`` rejects
        another ``reward_signal_steps_per_update``).

        Args:
            mb: the replay sample.
            real: recurrent SAC's ``(rows,)`` real steps: the models see only those, padding gets no reward.

        Returns:
            ``(rewards, stats)`` with losses and mean rewards keyed by ML-Agents tag names.

        """
        columns = [mb["rewards"]]
        stats: dict[str, float] = {}
        if self.signals:
            rows = mb if real is None else _rows(mb, real)
            obs, next_obs = rows["obs"].numpy(), rows["next_obs"].numpy()
            cont, disc = rows["continuous"].numpy(), rows["discrete"].numpy()
            for signal in self.signals:
                rewards = torch.from_numpy(signal.rewards(obs, next_obs, cont, disc))
                stats[signal.reward_tag] = float(rewards.mean())
                if real is not None:
                    rewards = torch.zeros_like(mb["rewards"]).masked_scatter(real, rewards)
                columns.append(rewards)
                stats.update(
                    signal.update(rows["obs"], rows["next_obs"], rows["continuous"], rows["discrete"].long())
                )
        return torch.stack(columns, dim=1), stats

    def _continuous_terms(
        self, obs: torch.Tensor, mb: dict[str, torch.Tensor], alpha: torch.Tensor, view: FlatBatch
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        mean, log_std, _ = view.heads(self.actor, obs, None)
        assert mean is not None and log_std is not None  # internal invariant: continuous actor
        raw = mean + torch.randn_like(mean) * log_std.exp()  # reparameterized sample
        log_prob = D.tanh_squash_log_prob(raw, mean, log_std).sum(-1)
        action = torch.tanh(raw)
        q1_pi, _ = view.q(self.q1, obs, action)
        q2_pi, _ = view.q(self.q2, obs, action)
        assert q1_pi is not None and q2_pi is not None
        # The policy climbs the mean over signals of Q1 (ML-Agents' mean_q1); each value head has its backup.
        policy_loss = view.mean(alpha * log_prob - q1_pi.mean(1))
        v_backup = (torch.min(q1_pi, q2_pi) - (alpha * log_prob).unsqueeze(1)).detach()
        alpha_loss = -(self.log_alpha * view.mean(log_prob.detach() + self.target_entropy)).sum()
        q1_taken, _ = view.q(self.q1, obs, mb["continuous"])
        q2_taken, _ = view.q(self.q2, obs, mb["continuous"])
        assert q1_taken is not None and q2_taken is not None
        return policy_loss, v_backup, alpha_loss, q1_taken, q2_taken

    def _discrete_terms(
        self, obs: torch.Tensor, mb: dict[str, torch.Tensor], alpha: torch.Tensor, view: FlatBatch
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        _, _, branch_lp = view.heads(self.actor, obs, mb["masks"])
        _, q1_all = view.q(self.q1, obs, None)
        _, q2_all = view.q(self.q2, obs, None)
        assert q1_all is not None and q2_all is not None
        # q*_b[i]: (batch, heads, branch size); the policy uses the mean over signals of Q1 (ML-Agents).
        q1_b = torch.split(q1_all, list(self.branches), dim=2)
        q2_b = torch.split(q2_all, list(self.branches), dim=2)
        heads = q1_all.shape[1]
        policy_terms, v_terms, ent_sums, q1_taken, q2_taken = [], [], [], [], []
        for i, lp in enumerate(branch_lp):
            p = lp.exp()
            a_i = alpha[i]
            policy_terms.append((p * (a_i * lp - q1_b[i].detach().mean(1))).sum(-1))
            v_terms.append((p.unsqueeze(1) * (torch.min(q1_b[i], q2_b[i]) - a_i * lp.unsqueeze(1))).sum(-1))
            ent_sums.append((p * lp).sum(-1))
            idx = mb["discrete"][:, i : i + 1].unsqueeze(1).expand(-1, heads, 1)
            q1_taken.append(q1_b[i].gather(2, idx).squeeze(2))
            q2_taken.append(q2_b[i].gather(2, idx).squeeze(2))
        policy_loss = view.mean(torch.stack(policy_terms, 1).sum(1))
        v_backup = torch.stack(v_terms, 1).mean(1).detach()
        neg_entropy = torch.stack(ent_sums, 1).detach()
        # Per branch: the (masked) mean over rows.
        gap = neg_entropy + self.target_entropy
        alpha_loss = -(
            self.log_alpha * torch.stack([view.mean(gap[:, i]) for i in range(gap.shape[1])])
        ).sum()
        return (
            policy_loss,
            v_backup,
            alpha_loss,
            torch.stack(q1_taken, 1).mean(1),
            torch.stack(q2_taken, 1).mean(1),
        )


def _rows(mb: dict[str, torch.Tensor], real: torch.Tensor) -> dict[str, torch.Tensor]:
    """Keep the real rows of a recurrent minibatch (per-row fields; the per-chunk memories are left out)."""
    return {key: value[real] for key, value in mb.items() if key not in ("memories", "critic_memories")}
