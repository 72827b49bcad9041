"""Asymmetric self-play (rl/selfplay.py): one GhostController over two behaviors, each its own team."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.learn import LearnOptions, learn, make_trainer
from mlops_unity_pipeline.rl.selfplay import ELO_TAG, GhostController, GhostTrainer, expected_score
from mlops_unity_pipeline.sim.tasks.chase import CHASER, EVADER, ChaseEnv

from .test_learn_multi import chase_options


def _pair(tmp_path, env: ChaseEnv, self_play: dict) -> tuple[GhostTrainer, GhostTrainer, GhostController]:
    options = chase_options(tmp_path, chaser={"self_play": self_play}, evader={"self_play": self_play})
    controller = GhostController()
    trainers = []
    for name in (CHASER, EVADER):
        trainer = make_trainer(
            env.signatures[name],
            options.behavior_settings(name),
            env.num_agents[name],
            seed=0,
            num_teams=1,
            controller=controller,
        )
        assert isinstance(trainer, GhostTrainer)
        trainers.append(trainer)
    return trainers[0], trainers[1], controller


def _play(env: ChaseEnv, trainers: list[GhostTrainer], decisions: int) -> list[int]:
    """Drive the two trainers as rl.learn's loop does; return the decisions after which the env was reset."""
    batches = env.reset(seed=0)
    resets = []
    for decision in range(1, decisions + 1):
        batches = env.step({t.signature.name: t.act(batches[t.signature.name]) for t in trainers})
        for trainer in trainers:
            trainer.observe(batches[trainer.signature.name])
        if any([t.pop_reset_request() for t in trainers]):
            resets.append(decision)
            for trainer in trainers:
                trainer.reset_trajectories()
            batches = env.reset()
    return resets


def test_controller_rotates_subscribed_teams_and_retires_finished_ones():
    """First subscribed learns; change rotates and asks a reset; a team id claimed twice is an error."""
    controller = GhostController()
    a, b = object.__new__(GhostTrainer), object.__new__(GhostTrainer)
    a.signature = b.signature = ChaseEnv(1).signatures[CHASER]
    controller.subscribe(3, a)
    controller.subscribe(5, b)
    controller.subscribe(3, a)  # the same trainer again: nothing changes
    assert (controller.learning_team, list(controller.queue)) == (3, [5])
    assert controller.opponents() == [b]
    controller.change_training_team()
    assert (controller.learning_team, list(controller.queue)) == (5, [3])
    assert controller.pop_reset_request() and not controller.pop_reset_request()
    with pytest.raises(TrainError, match="both report team_id 5"):
        controller.subscribe(5, a)
    controller.retire(5)  # the learner finished: learning moves on at once, with a reset
    assert (controller.learning_team, list(controller.queue)) == (3, [])
    assert controller.pop_reset_request()
    controller.change_training_team()  # nobody left to hand over to
    assert controller.learning_team == 3 and not controller.pop_reset_request()


def test_only_the_learning_behavior_trains_and_the_schedule_follows_upstream(tmp_path, monkeypatch):
    """4 areas, save 5, swap 3, team_change 9: Chaser learns decisions 1-3, Evader 4-6; swaps by hand."""
    env = ChaseEnv(4, seed=0)
    sp = {"save_steps": 5, "swap_steps": 3, "team_change": 9, "window": 2}
    sp["play_against_latest_model_ratio"] = 0
    chaser, evader, controller = _pair(tmp_path, env, sp)
    acted: list[str] = []
    for trainer in (chaser, evader):
        original = trainer.inner.act

        def spy(batch, original=original, name=trainer.signature.name):
            acted.append(name)
            return original(batch)

        monkeypatch.setattr(trainer.inner, "act", spy)
    resets = _play(env, [chaser, evader], 6)
    assert acted == [CHASER] * 3 + [EVADER] * 3
    assert resets == [3, 6]  # Chaser's step 12 > 9, then Evader's step 12 > 9
    assert (chaser.step, evader.step) == (12, 12)
    assert (chaser.ghost_step, evader.ghost_step) == (12, 12)
    # Evader's agents are opponents while Chaser learns: its ghost steps 4, 8 swap; the hand-over at
    # decision 6 swaps it once more. Chaser swaps from the hand-over at decision 3 on.
    assert [(s.ghost_step, s.learning_team) for s in evader.swaps] == [(4, 0), (8, 0), (12, 0)]
    assert [(s.ghost_step, s.learning_team) for s in chaser.swaps] == [(0, 1), (4, 1), (8, 1), (12, 1)]
    assert chaser.saved_at == [0, 8] and evader.saved_at == [0, 8]  # step 8 > 5; 12 - 8 is not
    assert controller.learning_team == 0 and chaser.teams == (0,) and evader.teams == (1,)


def test_a_game_moves_the_learner_and_the_other_behaviors_snapshot_rating(tmp_path):
    """Chaser learns against Evader snapshot 0 rated 1100: Chaser +change, that snapshot -change."""
    env = ChaseEnv(2, seed=0)
    chaser, evader, _ = _pair(tmp_path, env, {})
    batches = env.reset(seed=0)
    chaser.act(batches[CHASER])
    evader.act(batches[EVADER])
    evader.policy_elos[0], evader.current_opponent = 1100.0, 0
    change = chaser.rate_game(1.0)
    assert change == pytest.approx(1.0 - expected_score(1200.0, 1100.0))
    assert chaser.current_elo == pytest.approx(1200.0 + change)
    assert evader.policy_elos[0] == pytest.approx(1100.0 - change)
    assert chaser.policy_elos[:-1] == [1200.0] * (len(chaser.policy_elos) - 1)  # its own snapshots stay
    assert chaser.pop_stats()[ELO_TAG] == pytest.approx([1200.0 + change])


def test_learn_checkpoints_the_rotation_and_resumes_it(tmp_path):
    """learn() on sim:Chase, self_play on both: the rotation is checkpointed; --resume trains both on."""
    sp = {"save_steps": 50, "swap_steps": 50, "team_change": 150}
    options = chase_options(
        tmp_path, chaser={"self_play": sp, "max_steps": 200}, evader={"self_play": sp, "max_steps": 200}
    )
    result = learn(LearnOptions(options, env="sim:Chase", quiet=True))
    assert result.behaviors[CHASER].steps == 200 and result.behaviors[EVADER].steps == 200
    import torch

    state = torch.load(tmp_path / "run" / CHASER / "checkpoint.pt", weights_only=False)
    assert state["self_play"]["teams"] == [0]
    data = options.to_dict()
    data["checkpoint_settings"]["resume"] = True
    for name in (CHASER, EVADER):
        data["behaviors"][name]["max_steps"] = 300
    result = learn(LearnOptions(RunOptions.from_dict(data), env="sim:Chase", quiet=True))
    assert result.behaviors[CHASER].steps == 300 and result.behaviors[EVADER].steps == 300


@pytest.mark.slow
def test_asymmetric_self_play_each_learner_gains_elo_in_its_phase(tmp_path):
    """sim:Chase, 16 areas, 8000 steps each: each learner's ELO climbs > 40 above its low in its phase.

    An untrained Chaser loses to an untrained Evader most games, so its rating first falls below the
    expected 50 % line and climbs once it catches more than that; the Evader, learning next against the
    Chaser's snapshots, does the same.
    """
    sp = {"save_steps": 500, "swap_steps": 500, "team_change": 8000, "window": 5}
    hp = {"buffer_size": 512, "batch_size": 128, "learning_rate": 3.0e-3}
    behavior = {"self_play": sp, "max_steps": 8000, "hyperparameters": hp}
    behavior["network_settings"] = {"normalize": False}
    options = chase_options(tmp_path, chaser=behavior, evader=behavior, summary_freq=1000)
    data = options.to_dict()
    data["env_settings"]["num_areas"] = 16
    elos: dict[str, list[float]] = {CHASER: [], EVADER: []}

    def progress(event):
        if event.elo is not None:
            elos[event.behavior].append(event.elo)

    run = LearnOptions(RunOptions.from_dict(data), env="sim:Chase", quiet=True, on_progress=progress)
    result = learn(run)
    assert result.behaviors[CHASER].steps == result.behaviors[EVADER].steps == 8000
    for name in (CHASER, EVADER):
        assert len(elos[name]) >= 5 and elos[name][-1] > min(elos[name]) + 40, (name, elos[name])
