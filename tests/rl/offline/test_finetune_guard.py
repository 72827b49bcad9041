"""The fine-tuning guard: KL by hand, warm-up, evidence-driven anchor weight, checkpoints, trainer wiring."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from mlops_unity_pipeline.errors import ConfigError
from mlops_unity_pipeline.rl.networks import Actor
from mlops_unity_pipeline.rl.offline.finetune import (
    ANCHOR_WEIGHT,
    FINETUNE_KEY,
    PRETRAINED_LEVEL,
    FineTuneConfig,
    FineTuneGuard,
    Phase,
    policy_kl,
)
from mlops_unity_pipeline.rl.offline.pretrain import PretrainConfig, pretrain
from mlops_unity_pipeline.rl.ppo import PPOTrainer
from mlops_unity_pipeline.rl.sac import SACTrainer
from mlops_unity_pipeline.spaces import StepBatch

from .helpers import signature, trainer_settings, transitions


def _actor(continuous: int = 1, branches: tuple[int, ...] = (), tanh: bool = False) -> Actor:
    return Actor(signature(continuous, branches), 16, 1, normalize=True, tanh_squash=tanh)


def _guard(actor: Actor, **config) -> FineTuneGuard:
    defaults = {"warmup_steps": 4, "min_episodes": 4, "anchor_batch": 8}
    return FineTuneGuard(actor, FineTuneConfig(**{**defaults, **config}), torch.Generator().manual_seed(0))


def _episodes(guard: FineTuneGuard, returns: list[float]) -> None:
    """Each return is one one-step episode of one agent."""
    for r in returns:
        guard.observe(np.zeros((1, 2), np.float32), None, np.array([r]), np.array([True]))


# --- KL ---
def test_policy_kl_is_zero_against_itself_and_matches_the_gaussian_closed_form():
    """KL(p||p) = 0; for shifted means and scaled stds it equals the hand-computed diagonal-Gaussian KL."""
    torch.manual_seed(0)
    ref = _actor(continuous=2)
    obs = torch.randn(5, 2)
    assert float(policy_kl(ref, ref, obs).detach()) == pytest.approx(0.0, abs=1e-6)
    cur = _actor(continuous=2)
    cur.load_state_dict(ref.state_dict())
    with torch.no_grad():
        cur.mu.bias.add_(0.5)
        cur.log_std.fill_(math.log(2.0))
    # per dim: log(2/1) + (1 + 0.25) / (2 * 4) - 0.5, two dims
    expected = 2 * (math.log(2.0) + 1.25 / 8 - 0.5)
    assert float(policy_kl(ref, cur, obs)) == pytest.approx(expected, rel=1e-5)


def test_policy_kl_discrete_respects_the_mask():
    """Categorical KL by hand; a masked action contributes nothing (and the gradient stays finite)."""
    torch.manual_seed(0)
    ref, cur = _actor(0, (3,)), _actor(0, (3,))
    obs = torch.randn(4, 2)
    mask = torch.tensor([[1.0, 1.0, 0.0]]).expand(4, 3)
    kl = policy_kl(ref, cur, obs, mask)
    _, _, lp0 = ref.heads(obs, mask)
    _, _, lp1 = cur.heads(obs, mask)
    p0 = lp0[0].exp()[:, :2]
    by_hand = (p0 * (lp0[0][:, :2] - lp1[0][:, :2])).sum(-1).mean()
    assert float(kl) == pytest.approx(float(by_hand), rel=1e-5)
    kl.backward()
    assert all(torch.isfinite(p.grad).all() for p in cur.parameters() if p.grad is not None)


# --- phases and the anchor weight ---
def test_warmup_zeroes_actor_gradients_and_measures_the_pretrained_level():
    """During warm-up the actor's gradients are zeroed; the episodes seen give the pretrained level."""
    actor = _actor()
    guard = _guard(actor)
    for p in actor.parameters():
        p.grad = torch.ones_like(p)
    guard.adjust_actor_gradients()
    assert all(float(p.grad.abs().sum()) == 0.0 for p in actor.parameters())
    _episodes(guard, [1.0, 2.0, 3.0])
    assert guard.before_update()[ANCHOR_WEIGHT] == 0.0 and guard.phase is Phase.WARMUP  # 3 < min_episodes
    _episodes(guard, [4.0])
    stats = guard.before_update()
    assert guard.phase is Phase.ANCHORED and stats[ANCHOR_WEIGHT] == 1.0
    assert stats[PRETRAINED_LEVEL] == pytest.approx(2.5)


def test_pretrained_level_takes_the_same_number_of_episodes_from_every_agent():
    """Short failed episodes end first; the level waits for K episodes of every agent: no length bias."""
    guard = _guard(_actor(), warmup_steps=0)  # min_episodes 4, 2 agents: the first 2 episodes of each
    obs, fail, running = np.zeros((2, 2), np.float32), np.array([True, False]), np.array([0.0, 1.0])
    for _ in range(5):  # agent 0 fails five times (return 0) while agent 1's first episode runs
        guard.observe(obs, None, np.zeros(2), fail)
    assert guard.before_update()[ANCHOR_WEIGHT] == 0.0  # 5 ended episodes, but agent 1 has none yet
    guard.observe(obs, None, running * 9, np.array([False, True]))  # agent 1: return 9
    assert guard.phase is Phase.WARMUP and guard.before_update()[ANCHOR_WEIGHT] == 0.0
    guard.observe(obs, None, running * 10, np.array([False, True]))  # agent 1: return 10
    stats = guard.before_update()
    # The first-ended mean would be (0 * 5 + 9) / 6 = 1.5; agent 0's first two and agent 1's first two give:
    assert guard.phase is Phase.ANCHORED and stats[PRETRAINED_LEVEL] == pytest.approx((0 + 0 + 9 + 10) / 4)


def test_warmup_falls_back_to_every_ended_episode_when_time_runs_out():
    """At max_warmup_steps with an agent short of K episodes, the level is the mean of all that ended."""
    guard = _guard(_actor(), warmup_steps=0, max_warmup_steps=6)
    obs = np.zeros((2, 2), np.float32)
    for r in (2.0, 4.0, 6.0):  # agent 0 ends three episodes, agent 1 none: 6 steps
        guard.observe(obs, None, np.array([r, 1.0]), np.array([True, False]))
    assert guard.before_update()[PRETRAINED_LEVEL] == pytest.approx(4.0) and guard.phase is Phase.ANCHORED


def test_anchor_weight_moves_on_evidence_and_releases():
    """Returns above the level halve the weight, below it double it, inside the band keep it; < min -> off."""
    guard = _guard(_actor(), min_weight=0.2, max_weight=2.0)
    _episodes(guard, [10.0] * 4)
    guard.before_update()  # level 10
    _episodes(guard, [10.1, 9.9, 10.2, 9.8])  # inside the 5 % band
    guard.before_update()
    assert guard.weight == 1.0
    _episodes(guard, [5.0] * 4)
    guard.before_update()
    assert guard.weight == 2.0
    _episodes(guard, [5.0] * 4)
    guard.before_update()
    assert guard.weight == 2.0  # capped at max_weight
    for expected in (1.0, 0.5, 0.25):
        _episodes(guard, [20.0] * 4)
        guard.before_update()
        assert guard.weight == expected and guard.phase is Phase.ANCHORED
    _episodes(guard, [20.0] * 4)
    guard.before_update()
    assert guard.phase is Phase.RELEASED and guard.weight == 0.0
    guard.adjust_actor_gradients()  # released: nothing to do, no error


def test_noisy_returns_keep_the_weight():
    """A mean above the level but within two standard errors is no evidence: the weight stays."""
    guard = _guard(_actor())
    _episodes(guard, [10.0] * 4)
    guard.before_update()
    _episodes(guard, [0.0, 30.0, 0.0, 30.0])  # mean 15, standard error 7.5
    guard.before_update()
    assert guard.weight == 1.0


def test_anchor_gradient_pulls_the_actor_back_to_the_reference():
    """Plain gradient steps on the anchor alone bring a perturbed actor's KL to the reference down."""
    torch.manual_seed(0)
    actor = _actor(continuous=2)
    guard = _guard(actor)
    _episodes(guard, [1.0] * 4)
    guard.before_update()
    guard.observe(
        np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32),
        None,
        np.zeros(64),
        np.zeros(64, bool),
    )
    with torch.no_grad():
        actor.mu.bias.add_(1.0)
    obs = guard._pool[: guard._pool_size]
    before = float(policy_kl(guard.reference, actor, obs))
    optimizer = torch.optim.SGD(actor.parameters(), lr=0.1)
    for _ in range(50):
        optimizer.zero_grad()
        for p in actor.parameters():
            p.grad = torch.zeros_like(p)
        guard.adjust_actor_gradients()
        optimizer.step()
    assert float(policy_kl(guard.reference, actor, obs)) < 0.1 * before


def test_state_dict_round_trip():
    """Phase, level, weight, pending episodes and the reference policy survive a checkpoint."""
    torch.manual_seed(0)
    guard = _guard(_actor())
    warming = _guard(_actor())
    _episodes(warming, [5.0, 7.0])
    resumed = _guard(_actor())
    resumed.load_state_dict(warming.state_dict())
    _episodes(resumed, [9.0, 11.0])  # the warm-up's episodes per agent continue after --resume
    assert resumed.before_update()[PRETRAINED_LEVEL] == pytest.approx(8.0)
    _episodes(guard, [3.0] * 4)
    guard.before_update()
    _episodes(guard, [1.0, 2.0])
    other = _guard(_actor())
    other.load_state_dict(guard.state_dict())
    assert (other.phase, other.level, other.weight, other._episodes) == (Phase.ANCHORED, 3.0, 1.0, [1.0, 2.0])
    for a, b in zip(other.reference.parameters(), guard.reference.parameters(), strict=True):
        torch.testing.assert_close(a, b)


def test_config_errors_name_the_field():
    """Bad settings raise ConfigError naming the field."""
    with pytest.raises(ConfigError, match="min_episodes"):
        FineTuneConfig(min_episodes=0)
    with pytest.raises(ConfigError, match="min_weight <= initial_weight"):
        FineTuneConfig(initial_weight=10.0, max_weight=2.0)
    with pytest.raises(ConfigError, match="tolerance"):
        FineTuneConfig(tolerance=1.5)


# --- wiring into the trainers ---
def _pretrained(tmp_path, trainer_type: str):
    sig = signature(continuous=1)
    settings = trainer_settings(trainer_type)
    obs = torch.randn(64, 2)
    data = transitions(obs, continuous=torch.tanh(obs[:, :1]))
    result = pretrain(sig, settings, data, tmp_path, config=PretrainConfig(updates=5, critic_updates=5))
    return sig, settings, torch.load(result.checkpoint_path, weights_only=False)


def _batch(n: int, rng: np.random.Generator, done: bool) -> StepBatch:
    return StepBatch(
        obs=(rng.normal(size=(n, 2)).astype(np.float32),),
        reward=np.ones(n, np.float32),
        terminated=np.full(n, done),
        truncated=np.zeros(n, bool),
        final_obs=(rng.normal(size=(n, 2)).astype(np.float32),),
        action_mask=None,
        success=np.zeros(n, bool),
    )


@pytest.mark.parametrize("trainer_type", ["ppo", "sac"])
def test_trainer_from_pretrained_checkpoint_warms_up_with_a_frozen_actor(tmp_path, trainer_type):
    """An offline-pretrained init starts the guard; the actor does not move during warm-up, then it does."""
    sig, settings, state = _pretrained(tmp_path, trainer_type)
    cls = PPOTrainer if trainer_type == "ppo" else SACTrainer
    trainer = cls(sig, settings, num_agents=4, seed=0)
    trainer.load_state_dict(state, weights_only=True)
    assert trainer.finetune is not None and trainer.finetune.phase is Phase.WARMUP
    trainer.finetune.config = FineTuneConfig(warmup_steps=600, min_episodes=4)
    start = [p.detach().clone() for p in trainer.actor.parameters()]
    rng = np.random.default_rng(0)
    batch = _batch(4, rng, False)
    for i in range(140):  # 560 steps < warmup_steps; PPO updates every 128 rows, SAC every step
        trainer.act(batch)
        batch = _batch(4, rng, done=i % 5 == 4)
        trainer.observe(batch)
    assert trainer.update_count > 0
    for a, b in zip(start, trainer.actor.parameters(), strict=True):
        torch.testing.assert_close(a, b.detach())
    for _ in range(100):
        trainer.act(batch)
        trainer.observe(_batch(4, rng, False))
    assert trainer.finetune.phase is Phase.ANCHORED
    moved = sum(
        float((a - b.detach()).abs().sum()) for a, b in zip(start, trainer.actor.parameters(), strict=True)
    )
    assert moved > 0
    assert trainer.pop_stats()[ANCHOR_WEIGHT][-1] == 1.0
    saved = trainer.state_dict()
    assert FINETUNE_KEY in saved
    resumed = cls(sig, settings, num_agents=4, seed=0)
    resumed.load_state_dict(saved)
    assert resumed.finetune is not None and resumed.finetune.phase is Phase.ANCHORED


def test_plain_checkpoint_starts_no_guard(tmp_path):
    """A checkpoint of an online run (not offline-pretrained) initializes without the guard."""
    sig, settings, state = _pretrained(tmp_path, "ppo")
    state["algorithm"] = "ppo"
    trainer = PPOTrainer(sig, settings, num_agents=4, seed=0)
    trainer.load_state_dict(state, weights_only=True)
    assert trainer.finetune is None and FINETUNE_KEY not in trainer.state_dict()


def test_anchor_states_are_the_latest_observations():
    """The anchor's pool is a ring: after more rows than it holds, it holds exactly the latest ones."""
    guard = _guard(_actor(), anchor_pool=4)
    rows = np.arange(12, dtype=np.float32).reshape(6, 2)
    guard.observe(rows[:3], None, np.zeros(3), np.zeros(3, bool))
    guard.observe(rows[3:], None, np.zeros(3), np.zeros(3, bool))
    assert guard._pool_size == 4
    held = sorted(map(tuple, guard._pool.tolist()))
    assert held == sorted(map(tuple, rows[2:].tolist()))


def test_bc_scale_follows_the_evidence():
    """behavioral_cloning's factor: 0 in warm-up, weight / initial (at most 1) while anchored, 0 released."""
    guard = _guard(_actor(), min_weight=0.3)
    assert guard.bc_scale == 0.0
    _episodes(guard, [10.0] * 4)
    guard.before_update()
    assert guard.bc_scale == 1.0
    _episodes(guard, [1.0] * 4)  # regression: weight 2, the factor stays 1
    guard.before_update()
    assert guard.weight == 2.0 and guard.bc_scale == 1.0
    for _ in range(2):
        _episodes(guard, [20.0] * 4)
        guard.before_update()
    assert guard.bc_scale == 0.5
    _episodes(guard, [20.0] * 4)
    guard.before_update()
    assert guard.phase is Phase.RELEASED and guard.bc_scale == 0.0


def test_ppo_passes_the_guard_scale_to_behavioral_cloning(tmp_path):
    """PPO hands BC the guard's factor after each update: 0 throughout the warm-up (the actor stays put)."""
    sig, settings, state = _pretrained(tmp_path, "ppo")
    trainer = PPOTrainer(sig, settings, num_agents=4, seed=0)
    trainer.load_state_dict(state, weights_only=True)
    scales: list[float] = []
    trainer.imitation = SimpleNamespace(  # records what a BCModule would be given
        update=lambda step, bc_scale: scales.append(bc_scale) or {},
        process=lambda segments, valid, adv, lambd: (adv, {}),
    )
    trainer.finetune.config = FineTuneConfig(warmup_steps=10_000, min_episodes=4)
    rng = np.random.default_rng(0)
    batch = _batch(4, rng, False)
    for i in range(70):
        trainer.act(batch)
        batch = _batch(4, rng, done=i % 5 == 4)
        trainer.observe(batch)
    assert trainer.update_count >= 2 and scales == [0.0] * trainer.update_count


def test_warmup_holds_the_actor_normalizer_at_the_pretrained_statistics():
    """Online data folded into the actor's normalizer during warm-up is undone at the next update round."""
    actor = _actor()
    actor.normalizer.update(torch.randn(32, 2))
    guard = _guard(actor)
    pretrained = {k: v.clone() for k, v in actor.normalizer.state_dict().items()}
    actor.normalizer.update(torch.randn(64, 2) * 5 + 3)
    guard.before_update()
    for key, value in actor.normalizer.state_dict().items():
        torch.testing.assert_close(value, pretrained[key])
