"""Safe offline-to-online fine-tuning: critic warm-up, then a trust anchor that is released on evidence.

A policy pretrained offline (``offline/pretrain.py``) is often already good; plain online RL from it tends to
*unlearn* it first (the offline-to-online dip: a critic that does not yet fit the online returns, a shifted
state distribution, an imitation term annealed away on a clock; Nakamoto et al. 2023, "Cal-QL", §1;
Wolczyk et al. 2024, "Fine-tuning RL models is secretly a forgetting mitigation problem"). ``FineTuneGuard``
is what PPO and SAC run when they start from such a checkpoint; it has three phases:

1. **Critic warm-up** (``Phase.WARMUP``): the critic(s) train on online data while the actor's gradients are
   zeroed, so the policy that acts is exactly the pretrained one (PIRLNav, Ramrakhya et al. 2023, §4.2:
   critic-only learning before the actor moves); the actor's observation normalizer is held at the
   pretrained statistics too. The episodes meanwhile measure *the pretrained level* ``L``: the pretrained
   policy's own online return, the bar fine-tuning must not fall under. ``L`` is the mean of the first ``K``
   complete episodes of *every* agent (``K = ceil(min_episodes / agents)``), not of the first episodes to
   end: with a policy that sometimes fails, the failures end first, and the first-ended mean read 53.2 for an
   IQL policy whose return is 68.9 (docs/offline_rl.md, "The pretrained level").
2. **Anchored** (``Phase.ANCHORED``): every actor gradient step also descends
   ``weight * KL(pi_pretrained(.|s) || pi(.|s))`` on states of recent rollouts (a trust constraint towards
   the pretrained policy, as in kickstarting, Schmitt et al. 2018, and KL-regularized fine-tuning). The
   reference keeps its own frozen observation normalizer, so the KL also corrects the drift of the trained
   policy's normalizer. The weight moves on *evidence*, not on a clock: after every ``min_episodes`` fresh
   episodes their mean ``R`` is compared with ``L``: ``R > L + band`` halves the weight (the online policy
   does better than the pretrained one), ``R < L - band`` doubles it (up to ``max_weight``), anything else
   keeps it. ``band = max(tolerance * |L|, 2 * standard error of R)``.
3. **Released** (``Phase.RELEASED``): once the weight falls under ``min_weight`` the anchor is off and the
   trainer is plain PPO/SAC again.

A configured ``behavioral_cloning`` follows the same evidence (``bc_scale``): its annealed learning rate is
multiplied by 0 during the warm-up (the actor really is frozen), by ``min(1, weight / initial_weight)`` while
anchored and by 0 once released. Imitating weak demonstrations on a clock would otherwise keep pulling a
policy that already does better back to them (measured on ReachTarget, docs/offline_rl.md).

SAC needs more than PPO (measured, docs/offline_rl.md): its actor loss ``alpha * log pi - Q`` is in units of Q
and its entropy bonus widens the policy on every state, so SAC (``SACTrainer.fine_tune_config``) scales the
anchor by ``mean |Q|`` (TD3+BC's normalization, Fujimoto & Gu 2021), uses the reverse KL (which costs a wider
std quadratically) with the log std floored (a BC-pretrained std of ``e^-13`` made the plain KL reach
``10^13``), holds the actor's normalizer while anchored, holds its entropy coefficient during the warm-up and
then aims its entropy at most at the pretrained policy's (``reference_entropy``). With all that, a penalty of
any weight only slowed SAC's drift, so SAC also keeps its actor inside a trust region around the pretrained
policy (``FineTuneConfig.kl_bound``, ``FineTuneGuard.project``): after each round of updates the actor is
pulled back along the line to the pretrained weights until its KL is under a bound that the same evidence
widens (returns above the level) or narrows (below it). Narrowing the std is free inside that region
(``kl_free_narrowing``): IQL leaves SAC's std wide, and its mean action scores 100 on 3DBall where its samples
score ~66.

A policy that cannot improve on its pretrained level (3DBall's expert already scores the maximum) therefore
stays anchored; one pretrained on weak demonstrations is released as soon as the online returns beat them.
The guard's state (reference policy, level, weight, phase) is saved in the trainer checkpoint (``FineTune``),
so ``--resume`` continues it.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np
import torch

from ...errors import ConfigError
from .. import distributions as D
from ..networks import Actor

FINETUNE_KEY = "FineTune"
"""Key of the guard's state in a trainer checkpoint."""
OFFLINE_ALGORITHM_PREFIX = "offline-"
"""``pretrained.pt`` records ``algorithm: offline-bc`` / ``offline-iql``; loading one starts the guard."""
ANCHOR_WEIGHT = "Policy/Anchor Weight"
"""TensorBoard tag: the KL weight towards the pretrained policy (0 during warm-up and once released)."""
ANCHOR_KL = "Policy/Anchor KL"
"""TensorBoard tag: mean KL(pretrained || current) on the anchor's states."""
TRUST_REGION_PULL = "Policy/Trust Region Pull"
"""TensorBoard tag: how far ``project`` moved the actor back to the pretrained weights (0 = not at all, 1 =
all the way), averaged over the update rounds since the last record."""
PRETRAINED_LEVEL = "Policy/Pretrained Level"
"""TensorBoard tag: the pretrained policy's online mean return measured during the warm-up."""


class Phase(str, Enum):
    """Where a fine-tuning run stands."""

    WARMUP = "warmup"
    """Critic-only updates; the pretrained policy acts and its level is measured."""
    ANCHORED = "anchored"
    """Actor updates with the KL anchor towards the pretrained policy."""
    RELEASED = "released"
    """The anchor weight fell below ``min_weight``: plain online RL."""


@dataclass(frozen=True)
class FineTuneConfig:
    """Settings of ``FineTuneGuard`` (the defaults are the measured ones, docs/offline_rl.md)."""

    warmup_steps: int = 24_000
    """Environment steps of critic-only training at least (PPO: two 3DBall buffers of 12,000)."""
    max_warmup_steps: int = 200_000
    """Leave the warm-up after this many steps even if fewer than ``min_episodes`` episodes ended."""
    min_episodes: int = 24
    """Episodes that measure the pretrained level (at least ``ceil(min_episodes / agents)`` complete episodes
    of every agent), and fresh episodes behind each evidence check."""
    initial_weight: float = 1.0
    """KL weight when the actor starts to move."""
    max_weight: float = 8.0
    """The weight doubles on regression evidence up to this."""
    min_weight: float = 0.01
    """Below this the anchor is released for good."""
    tolerance: float = 0.05
    """Relative band around the pretrained level inside which the weight is kept."""
    anchor_batch: int = 256
    """States per anchor gradient term, one term per actor minibatch step. The term is an autograd pass next
    to PPO's fused one: the guard's main cost (docs/offline_rl.md). 64 states cost less and measured within
    noise on 3DBall, but one seed ended 0.7 below its pretrained level."""
    anchor_pool: int = 16_384
    """Most recent raw observations kept to draw anchor states from."""
    hold_normalizer: bool = False
    """Keep the actor's observation normalizer at the pretrained statistics while anchored too (not only
    during the warm-up). SAC sets it: its critics read the actor's normalizer, and a drifting one moves the
    policy on every state the anchor does not sample."""
    reverse_kl: bool = False
    """Anchor with ``KL(current || pretrained)`` (``policy_kl``'s ``reverse``); SAC sets it."""
    kl_min_log_std: float | None = None
    """Floor on both policies' log std inside the anchor's KL (``policy_kl``); None = no floor. SAC sets one:
    its BC-pretrained state-dependent std goes down to ``e^-13``."""
    kl_free_narrowing: bool = False
    """Inside the anchor's KL (penalty and trust region), raise the actor's log std to the reference's where
    it is lower: a policy *more certain* than the pretrained one costs nothing, only a shifted mean or a wider
    std does, and SAC's entropy target alone decides how far the policy narrows. SAC sets it: its
    IQL-pretrained policy is wide (log std about -0.8); acting with its mean scores 100 on 3DBall where
    sampling it scores ~66, and a region that also charged the narrowing held it at the noisy level
    (docs/offline_rl.md, "SAC: narrowing is free")."""
    kl_bound: float | None = None
    """Trust region while anchored: after each round of actor updates, if the anchor's KL on a fresh draw of
    states exceeds ``kl_bound * initial_weight / weight``, the actor is pulled back along the straight line to
    the pretrained weights until it does not (``FineTuneGuard.project``). The evidence rule therefore widens
    the region when online returns beat the pretrained level and narrows it when they fall below. None = no
    region (PPO: its clipped updates are conservative already). SAC sets one."""

    def __post_init__(self) -> None:
        for name in ("warmup_steps", "max_warmup_steps"):
            if int(getattr(self, name)) < 0:
                raise ConfigError(f"finetune.{name}: must be >= 0, got {getattr(self, name)!r}")
        for name in ("min_episodes", "anchor_batch", "anchor_pool"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"finetune.{name}: must be >= 1, got {getattr(self, name)!r}")
        if not 0 < self.min_weight <= self.initial_weight <= self.max_weight:
            raise ConfigError(
                "finetune: expected 0 < min_weight <= initial_weight <= max_weight, got "
                f"{self.min_weight}, {self.initial_weight}, {self.max_weight}"
            )
        if self.kl_bound is not None and not self.kl_bound > 0:
            raise ConfigError(f"finetune.kl_bound: must be > 0 or None, got {self.kl_bound!r}")
        if not 0 <= self.tolerance < 1:
            raise ConfigError(f"finetune.tolerance: must be in [0, 1), got {self.tolerance!r}")


def policy_kl(
    reference: Actor,
    actor: Actor,
    obs: torch.Tensor,
    mask: torch.Tensor | None = None,
    min_log_std: float | None = None,
    reverse: bool = False,
    free_narrowing: bool = False,
) -> torch.Tensor:
    """Mean ``KL(reference(.|s) || actor(.|s))`` over a batch of raw observations (gradients to ``actor``).

    Continuous dimensions use the closed form for diagonal Gaussians (before SAC's tanh, which is a bijection
    and leaves the KL unchanged); discrete branches the categorical KL under the same mask. Each network
    normalizes ``obs`` with its own normalizer.

    Args:
        reference: the frozen pretrained policy.
        actor: the policy being trained.
        obs: ``(batch, obs_size)`` raw observations.
        mask: ``(batch, sum(branches))`` action masks, or None.
        min_log_std: both Gaussians' log stds are floored here first (None: no floor). A near-deterministic
            reference makes the plain KL ill-conditioned: a mean shift of 0.01 at a std of ``e^-13`` costs
            ``~10^7`` nats (measured with SAC after BC, docs/offline_rl.md).
        reverse: compute ``KL(actor || reference)`` instead. It costs a std wider than the reference's
            quadratically (``sigma^2 / 2 sigma_ref^2``) where the forward KL costs it only ``log``: what holds
            SAC, whose entropy bonus widens the std on every state the anchor does not sample.
        free_narrowing: the actor's log std is raised to the reference's where it is lower (after the floor),
            so a narrower policy with the same mean has KL 0 and narrowing gets no gradient.

    Returns:
        The scalar KL, summed over action dimensions and branches, averaged over the batch.

    """
    with torch.no_grad():
        mean0, log_std0, lp0 = reference.heads(obs, mask)
    mean, log_std, lp = actor.heads(obs, mask)
    kl = obs.new_zeros(obs.shape[0])
    if mean is not None and log_std is not None and mean0 is not None and log_std0 is not None:
        if min_log_std is not None:
            log_std0, log_std = log_std0.clamp(min=min_log_std), log_std.clamp(min=min_log_std)
        if free_narrowing:
            log_std = torch.maximum(log_std, log_std0)
        var0, var = torch.exp(2 * log_std0), torch.exp(2 * log_std)
        if reverse:
            per_dim = log_std0 - log_std + (var + (mean - mean0) ** 2) / (2 * var0) - 0.5
        else:
            per_dim = log_std - log_std0 + (var0 + (mean0 - mean) ** 2) / (2 * var) - 0.5
        kl = kl + per_dim.sum(-1)
    for ref_lp, cur_lp in zip(lp0, lp, strict=True):
        p, log_p, log_q = (cur_lp.exp(), cur_lp, ref_lp) if reverse else (ref_lp.exp(), ref_lp, cur_lp)
        # Masked actions have probability 0 under both: their terms are 0 (where() keeps NaN-free gradients).
        kl = kl + torch.where(p > 0, p * (log_p - log_q), torch.zeros_like(p)).sum(-1)
    return kl.mean()


class FineTuneGuard:
    """Critic warm-up and an evidence-released KL anchor for a trainer started from a pretrained policy.

    Args:
        actor: the trainer's policy, already holding the pretrained weights (copied as the reference).
        config: the settings.
        generator: torch generator for drawing anchor states.

    """

    def __init__(self, actor: Actor, config: FineTuneConfig, generator: torch.Generator) -> None:
        self.actor = actor
        self.reference = copy.deepcopy(actor).requires_grad_(False)
        self.config = config
        self.generator = generator
        self.phase = Phase.WARMUP
        self.weight = 0.0
        self.level: float | None = None
        self.steps = 0
        self._returns = np.zeros(0, np.float64)  # per agent, sized at the first decision
        self._episodes: list[float] = []
        self._agent_episodes: list[list[float]] = []  # warm-up: every agent's complete episodes, in order
        # A ring of the latest raw observations (and masks) the anchor draws its states from.
        self._pool = torch.zeros((config.anchor_pool, actor.obs_size))
        self._pool_masks = torch.ones((config.anchor_pool, sum(actor.branches)))
        self._pool_size = 0
        self._pool_next = 0
        self._kl: list[float] = []
        self._params = [p for p in actor.parameters() if p.requires_grad]
        self._reference_params = [
            r for p, r in zip(actor.parameters(), self.reference.parameters(), strict=True) if p.requires_grad
        ]
        self._pulls: list[float] = []
        self.entropy_target: torch.Tensor | None = None
        """SAC's target entropy once the actor moves (set by ``SACTrainer``, kept for ``--resume``)."""

    # --- what the trainer reports ---
    def observe(
        self, obs: np.ndarray, mask: np.ndarray | None, rewards: np.ndarray, done: np.ndarray
    ) -> None:
        """Record one decision: the raw observations acted on, the rewards and which episodes ended.

        Args:
            obs: ``(n, obs_size)`` raw observations of the decision.
            mask: ``(n, sum(branches))`` action masks, or None.
            rewards: ``(n,)`` rewards received (extrinsic, before ``strength``).
            done: ``(n,)`` episodes that ended (terminated or truncated).

        """
        self.steps += len(obs)
        if len(self._returns) != len(rewards):
            self._returns = np.zeros(len(rewards), np.float64)
        if len(self._agent_episodes) != len(rewards):  # first decision, or the agents changed: count anew
            self._agent_episodes = [[] for _ in rewards]
        self._returns += rewards
        if done.any():
            self._episodes.extend(self._returns[done].tolist())
            if self.phase is Phase.WARMUP:
                for agent in np.flatnonzero(done):
                    self._agent_episodes[agent].append(float(self._returns[agent]))
            self._returns[done] = 0.0
        if self.phase is Phase.RELEASED:
            return
        capacity = self.config.anchor_pool
        rows = torch.from_numpy(np.asarray(obs, np.float32))[-capacity:]
        idx = (self._pool_next + torch.arange(len(rows))) % capacity
        self._pool[idx] = rows
        if mask is not None:
            self._pool_masks[idx] = torch.from_numpy(np.asarray(mask, np.float32))[-capacity:]
        self._pool_next = int((self._pool_next + len(rows)) % capacity)
        self._pool_size = min(capacity, self._pool_size + len(rows))

    # --- decisions, once per policy update round ---
    def before_update(self) -> dict[str, float]:
        """Move between phases and adjust the anchor weight on the episodes seen since the last check.

        Returns:
            Statistics to record (anchor weight, pretrained level, mean anchor KL), keyed by tag.

        """
        cfg = self.config
        if self.phase is Phase.WARMUP:
            self._hold_normalizer()
            level = self._unbiased_level()
            if (level is not None and self.steps >= cfg.warmup_steps) or self.steps >= cfg.max_warmup_steps:
                if level is None and self._episodes:  # out of time: every episode that did end
                    level = float(np.mean(self._episodes))
                self.level = level
                self._episodes, self._agent_episodes = [], [[] for _ in self._agent_episodes]
                self.phase, self.weight = Phase.ANCHORED, cfg.initial_weight
        elif self.phase is Phase.ANCHORED:
            if cfg.hold_normalizer:
                self._hold_normalizer()
            if len(self._episodes) >= cfg.min_episodes:
                self._judge(np.asarray(self._episodes))
                self._episodes = []
        stats = {ANCHOR_WEIGHT: self.weight}
        if self.level is not None:
            stats[PRETRAINED_LEVEL] = self.level
        if self._kl:
            stats[ANCHOR_KL] = float(np.mean(self._kl))
            self._kl = []
        if self._pulls:
            stats[TRUST_REGION_PULL] = float(np.mean(self._pulls))
            self._pulls = []
        return stats

    def _unbiased_level(self) -> float | None:
        """Mean of the first ``K`` complete episodes of every agent, or None until each agent has ``K``.

        The first episodes to *end* are the short ones, and on a task where failing ends an episode early they
        are the failures: their mean is biased low (53.2 for the IQL-pretrained 3DBall policy whose return is
        68.9, docs/offline_rl.md). Each agent's episodes are independent draws of the policy's return
        whatever their length, so taking the same number from every agent, in order, has no length bias.
        """
        if not self._agent_episodes:
            return None
        per_agent = math.ceil(self.config.min_episodes / len(self._agent_episodes))
        if any(len(episodes) < per_agent for episodes in self._agent_episodes):
            return None
        return float(np.mean([r for episodes in self._agent_episodes for r in episodes[:per_agent]]))

    def _hold_normalizer(self) -> None:
        # The trainer folds every rollout into the actor's running normalizer: without this, the "frozen"
        # pretrained policy would act on shifted inputs during the warm-up. Measured on ReachTarget with weak
        # demonstrations: its level fell from ~1.0 to 0.28 while no weight moved (docs/offline_rl.md).
        actor_norm, reference_norm = self.actor.normalizer, self.reference.normalizer
        if actor_norm is not None and reference_norm is not None:
            actor_norm.load_state_dict(reference_norm.state_dict())

    def _judge(self, recent: np.ndarray) -> None:
        if self.level is None:  # no episode ended during the warm-up: measure the level now
            self.level = float(recent.mean())
            return
        cfg = self.config
        stderr = float(recent.std(ddof=1) / math.sqrt(len(recent))) if len(recent) > 1 else 0.0
        band = max(cfg.tolerance * abs(self.level), 2.0 * stderr)
        mean = float(recent.mean())
        if mean > self.level + band:  # better than the pretrained policy: loosen the anchor
            self.weight *= 0.5
            if self.weight < cfg.min_weight:
                self.phase, self.weight = Phase.RELEASED, 0.0
        elif mean < self.level - band:  # worse: tighten it
            self.weight = min(cfg.max_weight, self.weight * 2.0)

    @property
    def bc_scale(self) -> float:
        """Factor on ``behavioral_cloning``'s learning rate (0 in warm-up and once released).

        While anchored it is the weight relative to its start, at most 1: imitation of the demonstrations
        decays on the same evidence as the anchor.
        """
        if self.phase is not Phase.ANCHORED:
            return 0.0
        return min(1.0, self.weight / self.config.initial_weight)

    @torch.no_grad()
    def reference_entropy(self, samples: int = 16) -> torch.Tensor | None:
        """Entropy of the pretrained policy on the anchor's states, as SAC's entropy coefficients count it.

        Continuous actions: one value, ``-E[log pi(a|s)]`` of the tanh-squashed Gaussian summed over the
        action dimensions (a Monte-Carlo estimate with ``samples`` draws per state). Discrete actions: one
        value per branch, the masked categorical entropy. None while no state was observed.

        Args:
            samples: draws per state for the continuous estimate.

        Returns:
            ``(1,)`` for continuous actions, ``(branches,)`` for discrete ones, or None.

        """
        if self._pool_size == 0:
            return None
        obs = self._pool[: self._pool_size]
        mask = self._pool_masks[: self._pool_size] if self.actor.branches else None
        mean, log_std, branch_lp = self.reference.heads(obs, mask)
        if mean is not None and log_std is not None:
            log_std = log_std.expand_as(mean)
            raw = mean + torch.randn((samples, *mean.shape), generator=self.generator) * log_std.exp()
            log_prob = D.tanh_squash_log_prob(raw, mean.expand_as(raw), log_std.expand_as(raw))
            return -log_prob.sum(-1).mean().reshape(1)
        return torch.stack(
            [
                -(lp.exp() * torch.where(lp.exp() > 0, lp, torch.zeros_like(lp))).sum(-1).mean()
                for lp in branch_lp
            ]
        )

    # --- the gradient hook, after the trainer computed its actor gradients, before its optimizer step ---
    @property
    def actor_frozen(self) -> bool:
        """True during the critic warm-up."""
        return self.phase is Phase.WARMUP

    def adjust_actor_gradients(self, scale: float = 1.0) -> None:
        """Zero the actor's gradients (warm-up) or add the anchor's ``scale * weight * KL`` gradients to them.

        Args:
            scale: the size of the trainer's own actor loss. PPO's loss is in units of normalized advantages
                (1); SAC's is in units of Q and passes ``mean |Q|``, so that the anchor keeps the same
                strength relative to the actor loss at any return scale (TD3+BC's ``lambda = alpha / mean|Q|``
                normalization, Fujimoto & Gu 2021, §5, applied to the anchor instead of to Q).

        """
        if self.phase is Phase.WARMUP:
            for p in self._params:
                if p.grad is not None:
                    p.grad.zero_()
            return
        if self.phase is Phase.RELEASED:
            return
        if self._pool_size == 0:
            return
        # Recent states, where the policy acts now (anchoring on SAC's replay minibatch measured worse).
        cfg = self.config
        obs, mask = self._anchor_states()
        kl = policy_kl(
            self.reference, self.actor, obs, mask, cfg.kl_min_log_std, cfg.reverse_kl, cfg.kl_free_narrowing
        )
        grads = torch.autograd.grad(scale * self.weight * kl, self._params, allow_unused=True)
        for p, g in zip(self._params, grads, strict=True):
            if g is not None and p.grad is not None:
                p.grad.add_(g)  # in place: PPO's gradients are views into one flat buffer (rl/fused.py)
        self._kl.append(float(kl.detach()))

    def _anchor_states(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        idx = torch.randint(
            self._pool_size, (min(self.config.anchor_batch, self._pool_size),), generator=self.generator
        )
        return self._pool[idx], self._pool_masks[idx] if self.actor.branches else None

    @torch.no_grad()
    def project(self) -> float:
        """Keep the actor inside the trust region around the pretrained policy (``FineTuneConfig.kl_bound``).

        Called after a round of actor updates (SAC's gradient steps and its BC step). When the KL of the
        actor from the pretrained policy on a fresh draw of anchor states exceeds the bound, the parameters
        move to ``reference + c * (actor - reference)``: first ``c = sqrt(bound / KL)`` (the KL grows about
        quadratically along that line near the reference), halved until the bound holds, else ``c = 0``.
        A hard constraint like TRPO's (Schulman et al. 2015), but towards the pretrained policy rather than
        the previous one: SAC's actor follows the gradient of a critic fitted to a near-deterministic
        policy's narrow action range, and a KL penalty of any fixed weight only slowed that drift
        (docs/offline_rl.md, "SAC fine-tuning").

        Returns:
            How far the actor was pulled back: ``1 - c`` (0 when it was inside the region or not anchored).

        """
        cfg = self.config
        if self.phase is not Phase.ANCHORED or cfg.kl_bound is None or self._pool_size == 0:
            return 0.0
        bound = cfg.kl_bound * cfg.initial_weight / self.weight
        obs, mask = self._anchor_states()

        def kl() -> float:
            return float(
                policy_kl(
                    self.reference,
                    self.actor,
                    obs,
                    mask,
                    cfg.kl_min_log_std,
                    cfg.reverse_kl,
                    cfg.kl_free_narrowing,
                )
            )

        current = kl()
        if current <= bound:
            self._pulls.append(0.0)
            return 0.0
        moved = [p.detach().clone() for p in self._params]
        scale = math.sqrt(bound / current)
        for _ in range(8):
            for p, r, m in zip(self._params, self._reference_params, moved, strict=True):
                p.copy_(r + scale * (m - r))  # in place: the actor's parameters are views (rl/fused.py)
            if kl() <= bound:
                break
            scale *= 0.5
        else:
            scale = 0.0
            for p, r in zip(self._params, self._reference_params, strict=True):
                p.copy_(r)
        self._pulls.append(1.0 - scale)
        return 1.0 - scale

    # --- checkpoint ---
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue after ``--resume``."""
        return {
            "reference": self.reference.state_dict(),
            "phase": self.phase.value,
            "weight": self.weight,
            "level": self.level,
            "steps": self.steps,
            "episodes": list(self._episodes),
            "agent_episodes": [list(episodes) for episodes in self._agent_episodes],
            "entropy_target": None if self.entropy_target is None else self.entropy_target.tolist(),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore ``state_dict``'s output."""
        self.reference.load_state_dict(state["reference"])
        self.phase = Phase(state["phase"])
        self.weight = float(state["weight"])
        self.level = None if state["level"] is None else float(state["level"])
        self.steps = int(state["steps"])
        self._episodes = [float(x) for x in state["episodes"]]
        self._agent_episodes = [[float(x) for x in episodes] for episodes in state.get("agent_episodes", [])]
        target = state.get("entropy_target")
        self.entropy_target = None if target is None else torch.tensor(target)
