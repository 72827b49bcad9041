"""Self-play (rl/selfplay.py): ELO, the save/swap/team-change schedule, team routing, learn() wiring."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch

from mlops_unity_pipeline.errors import ConfigError, TrainError
from mlops_unity_pipeline.rl.config import RunOptions, load_run_options
from mlops_unity_pipeline.rl.learn import LearnOptions, learn, make_trainer
from mlops_unity_pipeline.rl.poca import POCATrainer
from mlops_unity_pipeline.rl.ppo import PPOTrainer
from mlops_unity_pipeline.rl.selfplay import (
    ELO_TAG,
    STATE_KEY,
    GhostTrainer,
    elo_change,
    expected_score,
    game_result,
)
from mlops_unity_pipeline.rl.support import check_supported
from mlops_unity_pipeline.spaces import StepBatch
from tests.conftest import anchor

from .race_env import CueRace, race_options, win_rate


def _ghost(tmp_path, env: CueRace, **kwargs) -> GhostTrainer:
    settings = race_options(tmp_path, **kwargs).behavior_settings("CueRace")
    trainer = make_trainer(env.signature, settings, env.num_agents, seed=0)
    assert isinstance(trainer, GhostTrainer)
    return trainer


def _play(trainer: GhostTrainer, env: CueRace, decisions: int, batch: StepBatch | None = None) -> StepBatch:
    batch = env.reset(seed=0) if batch is None else batch
    for _ in range(decisions):
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
        if trainer.pop_reset_request():
            trainer.reset_trajectories()
            batch = env.reset()
    return batch


def test_expected_score_and_elo_change_follow_the_formula():
    """E = 1 / (1 + 10^((o - r) / 400)); change = result - E, no K factor (upstream's controller)."""
    assert expected_score(1200.0, 1200.0) == pytest.approx(0.5)
    e = 1.0 / (1.0 + 10.0 ** (-200.0 / 400.0))  # 0.7597...
    assert expected_score(1400.0, 1200.0) == pytest.approx(e)
    assert elo_change(1400.0, 1200.0, 0.0) == pytest.approx(-e)
    assert elo_change(1200.0, 1400.0, 1.0) == pytest.approx(e)
    assert elo_change(1200.0, 1200.0, 0.5) == pytest.approx(0.0)


def test_game_result_is_the_sign_of_the_final_reward():
    """Win/draw/loss from the last reward's sign, as upstream's _process_trajectory."""
    assert [game_result(r) for r in (2.5, 1e-6, 0.0, -0.1)] == [1.0, 1.0, 0.5, 0.0]


def test_rating_moves_both_against_a_snapshot_and_nothing_against_the_latest(tmp_path):
    """Against snapshot k both ratings move by the change; against the latest (-1) they cancel."""
    trainer = _ghost(tmp_path, CueRace(2))
    trainer.policy_elos[0] = 1100.0
    trainer.current_opponent = 0
    change = trainer.rate_game(1.0)
    assert change == pytest.approx(1.0 - expected_score(1200.0, 1100.0))
    assert trainer.current_elo == pytest.approx(1200.0 + change)
    assert trainer.policy_elos[0] == pytest.approx(1100.0 - change)
    before = trainer.current_elo
    trainer.current_opponent = -1
    trainer.rate_game(1.0)
    assert trainer.current_elo == pytest.approx(before)
    assert trainer.pop_stats()[ELO_TAG] == pytest.approx([1200.0 + change, before])


def test_save_swap_and_team_change_follow_the_hand_computed_schedule(tmp_path):
    """save 5, swap 3, team_change 9 with 2 agents per team: every event at the step upstream's '>' gives."""
    env = CueRace(2)  # 4 agents, 2 per team: each decision adds 2 to step and to ghost_step
    sp = {
        "save_steps": 5,
        "swap_steps": 3,
        "team_change": 9,
        "window": 2,
        "play_against_latest_model_ratio": 0,
    }
    trainer = _ghost(tmp_path, env, self_play=sp)
    resets = []
    batch = env.reset(seed=0)
    for decision in range(1, 11):
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
        if trainer.pop_reset_request():
            resets.append(decision)
            trainer.reset_trajectories()
            batch = env.reset()
    # save when step - last_save > 5: steps 6, 12, 18 (and the initial one at 0)
    assert trainer.saved_at == [0, 6, 12, 18]
    # team change when step - last_team_change > 9: steps 10 and 20 (decisions 5 and 10), each with a swap
    assert resets == [5, 10]
    swaps = [(s.ghost_step, s.learning_team) for s in trainer.swaps]
    assert swaps == [(4, 0), (8, 0), (10, 1), (14, 1), (18, 1), (20, 0)]
    assert (trainer.step, trainer.ghost_step) == (20, 20)
    # window 2: saves go to ring slots 0, 1, 0, 1; ratio 0 always plays a saved snapshot
    assert len(trainer.snapshots) == 2 and trainer.snapshot_counter == 0
    assert all(0 <= s.opponent < 2 for s in trainer.swaps)


@pytest.mark.parametrize(("ratio", "latest"), [(1.0, True), (0.0, False)])
def test_play_against_latest_model_ratio_decides_the_opponent(tmp_path, ratio, latest):
    """Ratio 1: every swap plays the latest weights (-1); ratio 0: always a saved snapshot."""
    env = CueRace(2)
    sp = {"save_steps": 3, "swap_steps": 1, "play_against_latest_model_ratio": ratio}
    trainer = _ghost(tmp_path, env, self_play=sp)
    _play(trainer, env, 20)
    assert len(trainer.swaps) >= 9
    assert all((s.opponent == -1) == latest for s in trainer.swaps)


def test_only_the_learning_team_reaches_the_wrapped_trainer(tmp_path, monkeypatch):
    """The wrapped PPO sees the learning team's rows only (act and observe), switching at team change."""
    env = CueRace(4)
    trainer = _ghost(tmp_path, env, self_play={"save_steps": 40, "team_change": 60})
    seen: list[tuple[str, np.ndarray]] = []
    inner = trainer.inner
    assert isinstance(inner, PPOTrainer)
    act, observe = inner.act, inner.observe

    def spy_act(batch):
        seen.append(("act", batch.team_id))
        return act(batch)

    def spy_observe(batch):
        seen.append(("observe", batch.team_id))
        observe(batch)

    monkeypatch.setattr(inner, "act", spy_act)
    monkeypatch.setattr(inner, "observe", spy_observe)
    _play(trainer, env, 40)  # 4 learners per decision: the team changes after step 64 (decision 16)
    teams = [int(np.unique(t)[0]) for _, t in seen]
    assert all(len(np.unique(t)) == 1 and len(t) == 4 for _, t in seen)
    assert teams[: 2 * 16] == [0] * 32 and teams[2 * 16 : 2 * 32] == [1] * 32
    assert inner.step == trainer.step == 160 and trainer.ghost_step == 160


def test_opponents_play_frozen_snapshots(tmp_path):
    """After updates the learner's weights move; the first snapshot and the opponent playing it do not."""
    env = CueRace(8)
    sp = {"save_steps": 100000, "swap_steps": 40, "play_against_latest_model_ratio": 0}
    trainer = _ghost(tmp_path, env, self_play=sp)
    initial = {k: v.clone() for k, v in trainer.actor.state_dict().items()}
    _play(trainer, env, 100)  # 800 learner steps: at least one update of buffer 512
    assert trainer.inner.update_count >= 1
    moved = trainer.actor.state_dict()
    assert any(not torch.equal(moved[k], initial[k]) for k in initial)
    assert len(trainer.snapshots) == 1
    for k, v in initial.items():
        assert torch.equal(trainer.snapshots[0][k], v) and torch.equal(trainer.opponent.state_dict()[k], v)


def test_initializing_from_weights_restarts_the_self_play_history(tmp_path):
    """init_path (weights only): the loaded policy is the only snapshot and the opponent; ratings restart."""
    env = CueRace(2)
    source = _ghost(tmp_path, env)
    with torch.no_grad():
        for p in source.actor.parameters():
            p.add_(0.5)
    trainer = _ghost(tmp_path, env)
    trainer.policy_elos[0] = 1500.0
    trainer.load_state_dict(source.state_dict(), weights_only=True)
    loaded = source.actor.state_dict()
    assert len(trainer.snapshots) == 1 and trainer.current_opponent == 0
    for k, v in loaded.items():
        assert torch.equal(trainer.snapshots[0][k], v) and torch.equal(trainer.opponent.state_dict()[k], v)
    assert trainer.policy_elos == [1200.0] * 11 and trainer.step == 0


def test_recurrent_opponents_carry_their_own_memories(tmp_path):
    """PPO + memory: the opponent steps its LSTM per agent, zeroes it at episode ends, and swaps reset it."""
    env = CueRace(2, max_length=6)
    memory = {"memory_size": 8, "sequence_length": 4}
    options = race_options(tmp_path, self_play={"swap_steps": 1000}).to_dict()
    options["behaviors"]["CueRace"]["network_settings"]["memory"] = memory
    settings = RunOptions.from_dict(options).behavior_settings("CueRace")
    trainer = make_trainer(env.signature, settings, env.num_agents, seed=0)
    assert isinstance(trainer, GhostTrainer) and trainer.opponent.memory_size == 8
    batch = env.reset(seed=0)
    opponents = np.flatnonzero(env.team == 1)
    for _ in range(3):
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    assert np.abs(trainer.opponent_memories[opponents]).sum() > 0
    assert not trainer.opponent_memories[env.team == 0].any()  # learners' memories live in the wrapped PPO
    while not (batch.terminated | batch.truncated).any():
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    ended = np.flatnonzero(batch.terminated | batch.truncated)
    assert not trainer.opponent_memories[ended].any()
    trainer._swap()
    assert not trainer.opponent_memories.any()


def test_poca_self_play_routes_group_teams_and_rates_group_results(tmp_path, monkeypatch):
    """POCA wrapped: learners' group ids (one group per team and match) reach it; group rewards rate games."""
    env = CueRace(4, team_size=2)
    trainer = _ghost(
        tmp_path, env, kind="poca", self_play={"save_steps": 100, "swap_steps": 50, "team_change": 5000}
    )
    assert isinstance(trainer.inner, POCATrainer)
    groups: list[np.ndarray] = []
    observe = trainer.inner.observe

    def spy(batch):
        groups.append(batch.group_id)
        observe(batch)

    monkeypatch.setattr(trainer.inner, "observe", spy)
    _play(trainer, env, 120)
    # team 0's groups are match * 2 + 1: 1, 3, 5, 7
    assert all(set(g.tolist()) == {1, 3, 5, 7} for g in groups)
    elos = trainer.pop_stats()[ELO_TAG]
    assert len(elos) >= len(env.outcomes)  # one rating per learner (2 per match) whose game ended
    assert any(e != 1200.0 for e in elos)


def test_batches_without_two_equal_teams_are_clear_train_errors(tmp_path):
    """No team_id, three teams or an odd agent count: a TrainError naming self_play, never a crash."""
    env = CueRace(2)
    trainer = _ghost(tmp_path, env)
    batch = env.reset(seed=0)
    with pytest.raises(TrainError, match="self_play needs team ids"):
        trainer.act(batch._replace(team_id=None))
    with pytest.raises(TrainError, match=r"exactly 2 teams.*\[0, 1, 2\]"):
        trainer.act(batch._replace(team_id=np.array([0, 1, 2, 2], np.int32)))
    trainer = _ghost(tmp_path, env)
    trainer.act(batch)
    with pytest.raises(TrainError, match=r"2 agents each, got agents per team \{0: 3, 1: 1\}"):
        trainer.act(batch._replace(team_id=np.array([0, 0, 0, 1], np.int32)))
    settings = race_options(tmp_path).behavior_settings("CueRace")
    with pytest.raises(TrainError, match="two teams of equal size, got 5 agents"):
        make_trainer(env.signature, settings, 5, seed=0)


@pytest.mark.parametrize("name", ["SoccerTwos", "StrikersVsGoalie"])
def test_upstream_self_play_configs_pass_and_build_a_ghost_trainer(name):
    """config/poca/SoccerTwos.yaml and StrikersVsGoalie.yaml: supported as written; the ghost wraps POCA."""
    options = load_run_options(anchor(f"config/poca/{name}.yaml"))
    behaviors = sorted(options.behaviors)
    for behavior in behaviors:
        check_supported(options, behavior)
        settings = options.behavior_settings(behavior)
        assert settings.self_play is not None
        trainer = make_trainer(CueRace(1, name=behavior).signature, settings, 4, 0)
        assert isinstance(trainer, GhostTrainer) and isinstance(trainer.inner, POCATrainer)
        assert trainer.sp == settings.self_play and len(trainer.policy_elos) == settings.self_play.window + 1


def test_sac_with_self_play_is_refused_naming_the_key(tmp_path):
    """The ghost wraps PPO and POCA; SAC + self_play is a ConfigError naming the key."""
    data = race_options(tmp_path).to_dict()
    behavior = data["behaviors"]["CueRace"]
    behavior["trainer_type"] = "sac"
    behavior["hyperparameters"] = {}
    with pytest.raises(ConfigError, match=r"behaviors\.CueRace\.self_play:.*ppo and poca, not 'sac'"):
        check_supported(RunOptions.from_dict(data), "CueRace")


def test_learn_logs_elo_checkpoints_the_ghost_and_resumes_it(tmp_path, capsys):
    """learn(): Self-play/ELO in TensorBoard and console, the ghost in checkpoint.pt, restored by --resume."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    sp = {"save_steps": 200, "swap_steps": 100, "team_change": 600}
    options = race_options(tmp_path, self_play=sp, max_steps=1200, summary_freq=400, checkpoint_interval=800)

    def factory(num_agents, seed):
        return CueRace(8, seed=seed)

    learn(LearnOptions(options, env_factory=factory))
    assert ". Training. ELO: " in capsys.readouterr().out
    acc = EventAccumulator(str(tmp_path / "run" / "CueRace"))
    acc.Reload()
    assert ELO_TAG in acc.Tags()["scalars"]
    state = torch.load(tmp_path / "run" / "CueRace" / "checkpoint.pt", weights_only=False)
    ghost = state[STATE_KEY]
    assert ghost["teams"] == [0, 1] and ghost["ghost_step"] >= 1200 and len(ghost["snapshots"]) >= 5
    assert ghost["learning_team"] == 1  # changed once after step 600
    data = options.to_dict()
    data["behaviors"]["CueRace"]["max_steps"] = 1280
    data["checkpoint_settings"]["resume"] = True
    resumed = {}
    original = GhostTrainer.act

    def act(self, batch):
        resumed.setdefault("ghost", (self.ghost_step, list(self.policy_elos), self.learning_team))
        return original(self, batch)

    GhostTrainer.act = act  # type: ignore[method-assign]
    try:
        learn(LearnOptions(RunOptions.from_dict(data), env_factory=factory, quiet=True))
    finally:
        GhostTrainer.act = original  # type: ignore[method-assign]
    assert resumed["ghost"] == (ghost["ghost_step"], ghost["policy_elos"], 1)


@pytest.mark.slow
def test_self_play_learns_elo_rises_and_beats_the_initial_policy(tmp_path):
    """PPO self-play on CueRace (12k steps): ELO ends > initial + 50; the policy beats its start > 60 %."""
    env = CueRace(16, seed=1)
    sp = {"save_steps": 1000, "swap_steps": 500, "team_change": 4000, "window": 10}
    trainer = _ghost(tmp_path, env, self_play=sp, max_steps=12000)
    initial = {k: v.clone() for k, v in trainer.actor.state_dict().items()}
    _play(trainer, env, 12000 // 16)
    elos = trainer.pop_stats()[ELO_TAG]
    assert math.isfinite(elos[-1]) and elos[-1] > 1200.0 + 50.0, elos[-1]
    start = copy.deepcopy(trainer.actor)
    start.load_state_dict(initial)
    rate = win_rate(CueRace(16, seed=7), trainer.actor, start, 200)
    assert rate > 0.6, rate


def test_ray_actor_batches_keep_their_team_ids():
    """concat_batches (Ray rollout actors) keeps team ids as they are; a batch without teams gives None."""
    from mlops_unity_pipeline.cluster.rollouts import concat_batches

    first, second = CueRace(1).reset(seed=0), CueRace(2).reset(seed=1)
    np.testing.assert_array_equal(concat_batches([first, second]).team_id, [0, 1, 0, 1, 0, 1])
    assert concat_batches([first, second._replace(team_id=None)]).team_id is None
