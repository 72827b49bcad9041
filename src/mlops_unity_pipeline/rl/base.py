"""What PPO and SAC share: the ``Trainer`` base class the training loop drives, and observation flattening."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from ..errors import ConfigError, TrainError
from ..spaces import ActionTuple, BehaviorSignature, StepBatch
from .buffers import TrajectoryBuffer
from .config import RewardSignalType, TrainerSettings
from .distributions import CONTINUOUS_CLIP
from .intrinsic import make_signals
from .networks import Actor, observation_size
from .offline.components import ImitationComponents
from .offline.finetune import FINETUNE_KEY, OFFLINE_ALGORITHM_PREFIX, FineTuneConfig, FineTuneGuard
from .schedules import clipped_objective_schedules
from .threaded import BackgroundUpdate, DeferredRecords


def extrinsic_reward(batch: StepBatch) -> np.ndarray:
    """Return the environment reward the extrinsic signal learns: the agent's own plus its group's, if any.

    Upstream's ``ExtrinsicRewardProvider.evaluate`` (``ml-agents/mlagents/trainers/torch_entities/
    components/reward_providers/extrinsic_reward_provider.py``) adds ``GROUP_REWARD`` whenever the
    environment sends one, so PPO and SAC agents of a ``SimpleMultiAgentGroup`` learn the group's rewards.

    Args:
        batch: one decision's step batch.

    Returns:
        ``(n,)`` float32 rewards.

    """
    return batch.reward if batch.group_reward is None else batch.reward + batch.group_reward


def flatten_obs(obs: tuple[np.ndarray, ...]) -> np.ndarray:
    """Concatenate every sensor's observations of a batch into ``(n, obs_size)`` float32, in sensor order.

    Args:
        obs: one ``(n, *shape)`` array per sensor.

    Returns:
        The concatenated observations.

    """
    if len(obs) == 1 and obs[0].ndim == 2:
        return np.asarray(obs[0], dtype=np.float32)
    n = obs[0].shape[0]
    return np.concatenate([np.asarray(o, np.float32).reshape(n, -1) for o in obs], axis=1)


def env_actions(continuous: np.ndarray, discrete: np.ndarray) -> ActionTuple:
    """Package actions for the environment (discrete as int32, as ``ActionTuple`` expects).

    Args:
        continuous: ``(n, n_cont)`` actions already in [-1, 1].
        discrete: ``(n, n_branches)`` indices.

    Returns:
        The ``ActionTuple``.

    """
    return ActionTuple(
        continuous=np.ascontiguousarray(continuous, dtype=np.float32),
        discrete=np.ascontiguousarray(discrete, dtype=np.int32),
    )


def clipped_env_actions(continuous: np.ndarray, discrete: np.ndarray) -> ActionTuple:
    """PPO's and POCA's action mapping: ``clamp(x, -3, 3) / 3`` of the Gaussian sample (as in the ONNX graph).

    Args:
        continuous: ``(n, n_cont)`` raw Gaussian samples.
        discrete: ``(n, n_branches)`` indices.

    Returns:
        The ``ActionTuple``.

    """
    # Two ufuncs instead of np.clip (same values; np.clip's dispatch costs more than the clamp here).
    clipped = np.maximum(np.minimum(continuous, CONTINUOUS_CLIP), -CONTINUOUS_CLIP)
    return env_actions(clipped / CONTINUOUS_CLIP, discrete)


class Trainer:
    """Base of the PPO and SAC trainers: acting, observing, statistics, checkpoint state, divergence checks.

    Subclasses implement ``act`` and ``observe``; the loop in ``rl.learn`` calls ``act(batch)`` before each
    ``env.step`` and ``observe(batch)`` with its result; ``observe`` closes trajectories and updates the
    networks when the algorithm's buffer is ready.

    Args:
        signature: the behavior trained.
        settings: the behavior's ``TrainerSettings``.
        seed: seeds torch and numpy generators of this trainer.

    """

    algorithm = "base"
    """The ``trainer_type`` value a subclass trains (also written into its checkpoints)."""

    def __init__(self, signature: BehaviorSignature, settings: TrainerSettings, seed: int) -> None:
        if settings.trainer_type.value != self.algorithm:  # rl.trainers.TRAINERS never mixes them up
            raise ConfigError(
                f"behavior '{signature.name}': {type(self).__name__} needs trainer_type {self.algorithm}, "
                f"got {settings.trainer_type.value}"
            )
        self.signature = signature
        self.settings = settings
        self.obs_size = observation_size(signature)
        self.action_spec = signature.action_spec
        self.step = 0
        """Agent steps (decisions) taken so far: ML-Agents' ``global_step`` for this behavior."""
        self.update_count = 0
        self.rng = np.random.default_rng(seed)
        self.generator = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        self._stats: dict[str, list[float]] = {}
        self._deferred = DeferredRecords()
        self.background: BackgroundUpdate | None = None
        """``threaded: true``: the worker running the policy update (``rl/threaded.py``); None otherwise."""
        extrinsic = settings.reward_signals.get(RewardSignalType.EXTRINSIC)
        if extrinsic is None:  # rl.support refuses this before a run; direct construction gets it here
            raise TrainError(
                f"behavior '{signature.name}': the built-in trainer needs an 'extrinsic' reward signal next "
                f"to {[k.value for k in settings.reward_signals]} (its value network learns the environment "
                "reward)"
            )
        self.gamma = float(extrinsic.gamma)
        self.strength = float(extrinsic.strength)
        self.hp = settings.hyperparameters
        """The ``hyperparameters`` of this trainer's type (``TrainerSettings`` checks their class)."""
        memory = settings.network_settings.memory
        self.memory_size = 0 if memory is None else int(memory.memory_size)
        """``network_settings.memory.memory_size``: the policy's LSTM memory length (0: feed-forward)."""
        self.sequence_length = 1 if memory is None else int(memory.sequence_length)
        """``network_settings.memory.sequence_length``: steps per training sequence (1: feed-forward)."""
        # curiosity / rnd (rl/intrinsic.py): each gets its own value (and Q) head after the extrinsic one,
        # as in ML-Agents.
        self.signals = make_signals(
            self.obs_size,
            self.action_spec.continuous_size,
            tuple(self.action_spec.discrete_branches),
            settings,
            signature=signature,
        )
        self.actor: Actor
        self.imitation: ImitationComponents | None = None
        """``behavioral_cloning`` and ``reward_signals.gail`` (``offline/components.py``), or None."""
        self.finetune: FineTuneGuard | None = None
        """Warm-up and anchor when started from an offline-pretrained policy (``offline/finetune.py``)."""

    # --- statistics -----------------------------------------------------------------------------------------
    def record(self, key: str, value: float) -> None:
        """Add one value of a TensorBoard statistic (averaged at the next summary).

        Args:
            key: ML-Agents tag name, e.g. ``"Losses/Policy Loss"``.
            value: the value.

        """
        pending = self._deferred.pending
        if pending is not None:  # inside the threaded update's worker: recorded at its join
            pending.append((key, float(value)))
            return
        self._stats.setdefault(key, []).append(float(value))

    def settle(self) -> None:
        """Wait for a running threaded update (``threaded: true``) and record its statistics; else nothing."""
        if self.background is not None:
            self.background.join()

    def record_all(self, stats: Mapping[str, float]) -> None:
        """Add one value of each statistic in ``stats`` (see ``record``).

        Args:
            stats: values by ML-Agents tag name.

        """
        for key, value in stats.items():
            self.record(key, value)

    def pop_stats(self) -> dict[str, list[float]]:
        """Return and forget the statistics recorded since the last call."""
        stats, self._stats = self._stats, {}
        return stats

    # --- acting ---------------------------------------------------------------------------------------------
    def act(self, batch: StepBatch) -> ActionTuple:
        """Choose the actions for a decision (and remember what is needed to learn from it).

        Args:
            batch: the environment's current decision.

        Returns:
            Actions for every agent.

        """
        raise NotImplementedError

    def observe(self, batch: StepBatch) -> None:
        """Learn from the outcome of the last actions (``env.step``'s result).

        Args:
            batch: the environment's decision after the actions.

        """
        raise NotImplementedError

    def reset_trajectories(self) -> None:
        """Forget open trajectories (the environment was reset)."""

    def drop_agents(self, rows: np.ndarray) -> None:
        """Forget what agents ``rows`` did since their open trajectories began (their environment restarted).

        Called between ``env.step`` and ``observe``. The default forgets every agent's pending decision and
        open trajectory, which loses a little more data than needed but never uses a broken fragment;
        trainers that can drop single agents override it.

        Args:
            rows: agent indices.

        """
        self.reset_trajectories()

    # --- state ----------------------------------------------------------------------------------------------
    def modules(self) -> dict[str, nn.Module]:
        """Return the networks saved in checkpoints, by key (``"Policy"`` is the actor, as in ML-Agents)."""
        raise NotImplementedError

    def optimizers(self) -> dict[str, Any]:
        """Return the optimizers saved in checkpoints, by key."""
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume exactly: networks (with normalizers), optimizers, step, RNG states."""
        self.settle()  # never half an update
        state: dict[str, Any] = {name: m.state_dict() for name, m in self.modules().items()}
        state.update({f"{name}_optimizer": o.state_dict() for name, o in self.optimizers().items()})
        state["global_step"] = self.step
        state["update_count"] = self.update_count
        state["algorithm"] = self.algorithm
        state["rng"] = self.rng.bit_generator.state
        state["torch_rng"] = self.generator.get_state()
        if self.finetune is not None:
            state[FINETUNE_KEY] = self.finetune.state_dict()
        return state

    def load_state_dict(self, state: dict[str, Any], *, weights_only: bool = False) -> None:
        """Restore a ``state_dict`` (or only network weights, for ``--initialize-from`` / ``init_path``).

        Args:
            state: a checkpoint's contents.
            weights_only: load the networks present in ``state`` and nothing else (step restarts at 0).

        Raises:
            TrainError: the checkpoint does not fit these networks (other behavior or hyperparameters).

        """
        self.settle()
        try:
            for name, module in self.modules().items():
                if name in state:
                    module.load_state_dict(state[name])
                elif not weights_only or name == "Policy":
                    raise KeyError(name)
            if weights_only:
                if str(state.get("algorithm", "")).startswith(OFFLINE_ALGORITHM_PREFIX):
                    self.finetune = FineTuneGuard(self.actor, self.fine_tune_config(), self.generator)
                return
            for name, opt in self.optimizers().items():
                opt.load_state_dict(state[f"{name}_optimizer"])
            self.step = int(state["global_step"])
            self.update_count = int(state.get("update_count", 0))
            if "rng" in state:
                self.rng.bit_generator.state = state["rng"]
            if "torch_rng" in state:
                self.generator.set_state(state["torch_rng"])
            if FINETUNE_KEY in state:
                self.finetune = FineTuneGuard(self.actor, self.fine_tune_config(), self.generator)
                self.finetune.load_state_dict(state[FINETUNE_KEY])
        except (KeyError, RuntimeError, ValueError) as exc:
            raise TrainError(
                f"checkpoint does not match behavior '{self.signature.name}' ({self.algorithm}, this network "
                f"layout): {exc}"
            ) from exc

    # --- on-policy set-up (PPO, POCA) ---------------------------------------------------------------------
    def start_on_policy(self, num_agents: int, seed: int) -> None:
        """Set up what PPO and POCA act with once ``self.actor`` exists.

        Sets ``deterministic``, the acting copy of the policy and the update worker (``threaded``), the
        imitation components, each agent's trajectory and policy memory.

        Args:
            num_agents: agents in the environment.
            seed: the trainer's seed (a threaded trainer's acting stream is seeded ``seed + 1``).

        """
        settings, spec = self.settings, self.action_spec
        # network_settings.deterministic (--deterministic): act with the mean / argmax while training, as
        # ML-Agents' ActionModel does; the exported model still samples (its deterministic_* outputs do not).
        self.deterministic = bool(settings.network_settings.deterministic)
        # threaded: true (rl/threaded.py): the agents act with a copy of the policy while the worker updates
        # the learner; the copy takes the learner's weights whenever the next update starts.
        self.acting_actor = self.actor
        self.act_generator = self.generator
        """The random stream of acting (the worker draws minibatch permutations from ``generator``)."""
        if settings.threaded:
            self.background = BackgroundUpdate(self._deferred, self.record)
            self.acting_actor = copy.deepcopy(self.actor)
            self.act_generator = torch.Generator().manual_seed(seed + 1)
        # behavioral_cloning and reward_signals.gail (rl/offline/components.py); None when neither is set.
        self.imitation = ImitationComponents.from_settings(
            self.signature, settings, self.actor, self.generator
        )
        self.trajectories = TrajectoryBuffer(
            num_agents,
            settings.time_horizon,
            self.obs_size,
            spec.continuous_size,
            spec.discrete_size,
            spec.mask_size,
            self.memory_size,
        )
        # Each agent's policy memory before its next decision, carried across time_horizon cuts and zeroed
        # when its episode ends; the memories the pending decision started from.
        self.memories = np.zeros((num_agents, self.memory_size), np.float32)
        self._pending_memories: np.ndarray | None = None
        self._dropped: np.ndarray | None = None

    def sample_actions(
        self, obs: np.ndarray, mask: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, torch.Tensor, float]:
        """Sample PPO's/POCA's acting policy for every agent (no autograd) and record its entropy.

        A recurrent policy steps from each agent's memory; the memory it started from is kept in
        ``_pending_memories`` (stored with the decision) and ``memories`` moves on.

        Args:
            obs: ``(n, obs_size)`` flat observations.
            mask: ``(n, mask_size)`` float action masks, or None.

        Returns:
            ``(continuous, discrete, log_prob, entropy)``: the raw Gaussian sample, the branch indices, the
            per-action log-probabilities and the mean entropy.

        """
        obs_t, mask_t = torch.from_numpy(obs), None if mask is None else torch.from_numpy(mask)
        if self.memory_size:
            self._pending_memories = self.memories.copy()
            sample, after = self.acting_actor.act_recurrent(
                obs_t, mask_t, torch.from_numpy(self._pending_memories), deterministic=self.deterministic
            )
            self.memories = after.numpy()
        else:
            sample = self.acting_actor.act(obs_t, mask_t, deterministic=self.deterministic)
        cont, disc, log_prob, entropies = sample
        return cont.numpy(), disc.numpy(), log_prob, float(entropies.mean())

    def scheduled(self, step: int | None = None) -> tuple[float, float, float]:
        """PPO and POCA: ``(learning_rate, beta, epsilon)`` of their schedules at ``step`` (default: now)."""
        return clipped_objective_schedules(
            self.hp, self.step if step is None else step, int(self.settings.max_steps)
        )

    # --- after an update -----------------------------------------------------------------------------------
    def finish_clipped_update(
        self, losses: Mapping[str, float], lr: float, beta: float, epsilon: float, step: int | None = None
    ) -> None:
        """Close one PPO/POCA update: count it, train the side models, record its statistics, check for NaN.

        Each intrinsic signal's model (curiosity, RND, ``rl/intrinsic.py``) then makes the update's
        ``num_epoch`` passes of ``batch_size`` over the same buffer, then come GAIL's discriminator steps and
        the annealed behavioral-cloning step (after the epochs, as in upstream ``trainers/trainer/
        on_policy_trainer.py`` ``_update_policy``); the tags are the ones ML-Agents' TensorBoard shows.

        Args:
            losses: the update's mean losses: ``policy_loss`` and ``value_loss`` at least (every value is
                checked for NaN/inf).
            lr: the learning rate used.
            beta: the entropy coefficient used.
            epsilon: the clipping range used.
            step: the step the update belongs to (threaded: the step it started at; default: now).

        Raises:
            TrainError: a loss or a parameter is no longer finite.

        """
        self.update_count += 1
        for signal in self.signals:
            self.record_all(signal.train(int(self.hp.num_epoch), int(self.hp.batch_size), self.generator))
        if self.imitation is not None:
            self.record_all(self.imitation.update(self.step if step is None else step, self.bc_scale()))
        self.record("Losses/Policy Loss", abs(losses["policy_loss"]))
        self.record("Losses/Value Loss", losses["value_loss"])
        self.record("Policy/Learning Rate", lr)
        self.record("Policy/Epsilon", epsilon)
        self.record("Policy/Beta", beta)
        self.check_finite(losses.values())

    def bc_scale(self) -> float:
        """Factor on ``behavioral_cloning``'s learning rate: the fine-tuning guard's evidence, else 1."""
        return self.finetune.bc_scale if self.finetune is not None else 1.0

    def fine_tune_config(self) -> FineTuneConfig:
        """Return the ``FineTuneConfig`` used when this trainer starts from an offline-pretrained policy."""
        return FineTuneConfig()

    def check_finite(self, losses: Iterable[float] = ()) -> None:
        """Raise when a loss or a parameter became NaN/inf (the caller adds the last good checkpoint).

        Args:
            losses: scalar losses of the last update.

        Raises:
            TrainError: something is not finite.

        """
        for value in losses:
            if not math.isfinite(value):
                raise TrainError(f"behavior '{self.signature.name}': loss became {value} at step {self.step}")
        flats = self.flat_parameters()
        if flats and all(bool(torch.isfinite(t).all()) for t in flats):
            return  # one check per flat tensor; the slow per-parameter scan only runs to name the culprit
        for name, module in self.modules().items():
            for pname, param in module.named_parameters():
                if not bool(torch.isfinite(param).all()):
                    raise TrainError(
                        f"behavior '{self.signature.name}': parameter {name}.{pname} became NaN/inf at step "
                        f"{self.step}"
                    )

    def flat_parameters(self) -> list[torch.Tensor]:
        """Return the flat parameter tensors (``optim.FlatParameters``) holding the trained weights."""
        return []


def load_checkpoint_file(path: Path) -> dict[str, Any]:
    """Read a ``.pt`` checkpoint of ours.

    Args:
        path: the file.

    Returns:
        Its state dictionary.

    Raises:
        TrainError: missing or unreadable.

    """
    if not path.is_file():
        raise TrainError(f"checkpoint {path} does not exist")
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means a corrupt file
        raise TrainError(f"checkpoint {path} is unreadable: {exc}") from exc
