"""Tests of the training defaults chosen from a world: grade, ML-Agents settings, heuristic demonstrations."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.behavior.explain import explain_lines
from mlops_unity_pipeline.behavior.world_rules import compose_world, interpret_world
from mlops_unity_pipeline.behavior.world_training import (
    DEMONSTRATION_EPISODES,
    FULL_CLONING_STEPS,
    MIN_DEMONSTRATION_EPISODES,
    MIN_PRETRAIN_UPDATES,
    PRETRAIN_UPDATES,
    Difficulty,
    HeuristicCloning,
    cloning_for_budget,
    record_heuristic_demo,
    training_defaults,
)
from mlops_unity_pipeline.demos.reader import read_demo
from mlops_unity_pipeline.specs import RLTrainingConfig

from .test_world_rules import CASES, _asset, dev_world


@pytest.fixture(autouse=True)
def _numpy_simulator(monkeypatch):
    """Record on the NumPy reference path (no numba compile in unit tests)."""
    monkeypatch.setenv("MLOPS_SIM_NUMBA", "0")


def test_worlds_are_graded_by_what_makes_them_hard():
    """LavaWalker is easy (quick-start budget); Parker steers (medium); GoalPusher pushes (hard, cloning)."""
    lava = training_defaults(dev_world("LavaWalker"))
    assert lava.difficulty is Difficulty.EASY and lava.max_steps == 100_000
    parker = training_defaults(dev_world("Parker"))
    assert parker.difficulty is Difficulty.MEDIUM and "steering by rotation" in parker.reasons
    assert parker.max_steps == 200_000
    pusher = training_defaults(dev_world("GoalPusher"))
    assert pusher.difficulty is Difficulty.HARD and pusher.hidden_units == 256 and pusher.max_steps == 300_000
    assert pusher.demonstration_episodes > 0 and "pushing a block into a zone" in pusher.reasons
    maze = training_defaults(dev_world("MazeRunner"))
    assert maze.difficulty is Difficulty.HARD and "a maze layout of 3 x 3 cells" in maze.reasons
    assert maze.demonstration_episodes > 0  # the heuristic plays mazes (sim.world_heuristic)


def test_switches_and_cues_are_hard_and_cloned_from_the_heuristic():
    """SwitchOpener and SignReader are hard; the heuristic plays them, so its episodes are cloned."""
    switch = training_defaults(dev_world("SwitchOpener"))
    assert switch.difficulty is Difficulty.HARD and "switches and doors" in switch.reasons
    cue = training_defaults(dev_world("SignReader"))
    assert cue.difficulty is Difficulty.HARD and "a cue to match" in cue.reasons
    assert switch.demonstration_episodes == cue.demonstration_episodes == DEMONSTRATION_EPISODES
    assert f"cloning from {DEMONSTRATION_EPISODES} heuristic episodes" in switch.line()


def test_cloning_shrinks_with_a_budget_below_the_quick_start_one():
    """20k steps and more clone it all; 10k half; tiny budgets the floor; a world not cloned stays so."""
    switch = training_defaults(dev_world("SwitchOpener"))
    full = HeuristicCloning(DEMONSTRATION_EPISODES, PRETRAIN_UPDATES)
    assert cloning_for_budget(switch, FULL_CLONING_STEPS) == cloning_for_budget(switch, 3_000_000) == full
    assert cloning_for_budget(switch, FULL_CLONING_STEPS // 2) == HeuristicCloning(50, 250)
    floor = HeuristicCloning(MIN_DEMONSTRATION_EPISODES, MIN_PRETRAIN_UPDATES)
    assert cloning_for_budget(switch, 1_000) == cloning_for_budget(switch, 0) == floor
    edges = compose_world(
        {"asset_id": "e", "name": "Edge", "description": "Reach the goal without falling off the edges."}
    )
    assert cloning_for_budget(training_defaults(edges), 100_000) is None  # the heuristic does not play it


def test_no_demonstrations_where_the_heuristic_does_not_play_the_world():
    """An open platform (unscripted) clones nothing; a maze, which the heuristic plays, is cloned."""
    from mlops_unity_pipeline.behavior.world_rules import compose_world

    edges = compose_world(
        {"asset_id": "e", "name": "Edge", "description": "Reach the goal without falling off the edges."}
    )
    assert training_defaults(edges).demonstration_episodes == 0
    assert training_defaults(dev_world("MazeRunner")).demonstration_episodes > 0


@pytest.mark.parametrize("name", ["Dodger", "Follower", "BuddyPushers", "Tagger"])
def test_fleeing_following_and_team_worlds_clone_the_heuristic(name):
    """The heuristic flees chasers, follows guides and plays teams: those worlds clone its episodes too."""
    assert training_defaults(dev_world(name)).demonstration_episodes == DEMONSTRATION_EPISODES


def test_a_jump_world_is_hard_and_cloned():
    """WallHopper: jumping makes it hard; the heuristic jumps the wall, so its episodes are cloned."""
    hop = training_defaults(dev_world("WallHopper"))
    assert hop.difficulty is Difficulty.HARD and "jumping" in hop.reasons
    assert hop.demonstration_episodes == DEMONSTRATION_EPISODES


def test_a_big_arena_or_many_hazards_make_a_world_medium():
    """A 30 x 30 arena doubles the budget and names the reason."""
    world = compose_world(_asset("Big", "Reach the goal in a 30 by 30 arena."))
    training = training_defaults(world)
    assert training.difficulty is Difficulty.MEDIUM and "arena 30 x 30" in training.reasons


def test_default_settings_are_valid_mlagents_settings_beneath_the_users(tmp_path):
    """The settings load through the strict trainer config, and the user's overrides win over them."""
    training = training_defaults(dev_world("GoalPusher"))
    overrides = {"default_settings": training.default_settings()}
    options = RLTrainingConfig(max_steps=1000, mlagents_overrides=overrides).to_run_options("GoalPusher")
    behavior = options.behavior_settings("GoalPusher")
    assert behavior.network_settings.hidden_units == 256 and behavior.hyperparameters.beta == 0.01
    assert behavior.behavioral_cloning is None  # cloning comes with the offline-RL demonstrations
    demo = tmp_path / "h.demo"
    demo.write_bytes(b"")
    config = RLTrainingConfig(
        max_steps=1000, mlagents_overrides=overrides, demonstrations_path=str(demo), use_offline_rl=True
    )
    cloning = config.to_run_options("GoalPusher").behavior_settings("GoalPusher").behavioral_cloning
    assert cloning is not None and cloning.steps == 1000
    from mlops_unity_pipeline._validate import deep_merge

    user = {"default_settings": {"network_settings": {"hidden_units": 32}}}
    merged = deep_merge(overrides, user)
    options = RLTrainingConfig(max_steps=1000, mlagents_overrides=merged).to_run_options("GoalPusher")
    assert options.behavior_settings("GoalPusher").network_settings.hidden_units == 32


def test_heuristic_demonstrations_are_recorded_in_mlagents_format(tmp_path):
    """The recorded .demo reads back with the world's observation layout and successful episodes."""
    world = dev_world("GoalPusher")
    path = record_heuristic_demo(world, tmp_path / "GoalPusher.demo", episodes=3, seed=0)
    demo = read_demo(path)
    assert demo.signature.observation_specs[0].shape == (6,)  # velocity, direction to box and to goal
    finals = [step for step in demo.steps if step.done]
    assert len(finals) == 3 and sum(step.reward > 1.0 for step in finals) >= 2  # the push's +5


def test_explain_ends_with_the_training_choice():
    """`codegen --explain` shows the grade, budget and network chosen for the world."""
    lines = explain_lines(interpret_world(_asset("LavaWalker", CASES["LavaWalker"][0])))
    assert lines[-1].strip().startswith("training: easy") and "100,000 steps" in lines[-1]
