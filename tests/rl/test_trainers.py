"""One mapping from trainer_type to trainer class; trainers refuse settings of another type."""

from __future__ import annotations

import dataclasses

import pytest

from mlops_unity_pipeline.errors import ConfigError, TrainError
from mlops_unity_pipeline.rl.config import RewardSignalType, RunOptions, TrainerType
from mlops_unity_pipeline.rl.learn import make_trainer
from mlops_unity_pipeline.rl.ppo import PPOTrainer
from mlops_unity_pipeline.rl.sac import SACTrainer
from mlops_unity_pipeline.rl.trainers import TRAINERS
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec

from .helpers import ppo_options, sac_options

SIGNATURE = BehaviorSignature("Line", (ObservationSpec((2,)),), ActionSpec(1))


@pytest.mark.parametrize(("options", "cls"), [(ppo_options, PPOTrainer), (sac_options, SACTrainer)])
def test_make_trainer_builds_the_mapped_class(tmp_path, options, cls):
    """make_trainer returns TRAINERS[trainer_type] built for the behavior."""
    settings = options(results_dir=str(tmp_path)).behavior_settings("Line")
    assert TRAINERS[settings.trainer_type] is cls
    trainer = make_trainer(SIGNATURE, settings, num_agents=2, seed=0)
    assert type(trainer) is cls and trainer.signature is SIGNATURE


def test_every_trainer_type_is_built_in():
    """ppo, sac and poca each have a trainer class: no ML-Agents trainer_type needs mlagents-learn."""
    assert set(TRAINERS) == set(TrainerType)


def test_trainer_types_missing_from_the_mapping_are_refused_by_name(tmp_path, monkeypatch):
    """A trainer_type without a built-in trainer is a ConfigError listing the mapping's types."""
    monkeypatch.delitem(TRAINERS, TrainerType.POCA)  # as if POCA were not built in
    missing = [t for t in TrainerType if t not in TRAINERS]
    data = ppo_options(results_dir=str(tmp_path)).to_dict()
    data["behaviors"]["Line"].update(trainer_type=missing[0].value, hyperparameters={})
    settings = RunOptions.from_dict(data).behavior_settings("Line")
    built_in = ", ".join(t.value for t in TRAINERS)
    with pytest.raises(ConfigError, match=rf"trainer_type: '{missing[0].value}'.*\({built_in}\)"):
        make_trainer(SIGNATURE, settings, num_agents=2, seed=0)


@pytest.mark.parametrize(("cls", "options"), [(PPOTrainer, sac_options), (SACTrainer, ppo_options)])
def test_a_trainer_refuses_another_trainer_types_settings(tmp_path, cls, options):
    """PPOTrainer with SAC settings (and the reverse) is a ConfigError, not an AttributeError later."""
    settings = options(results_dir=str(tmp_path)).behavior_settings("Line")
    with pytest.raises(ConfigError, match=f"needs trainer_type {cls.algorithm}"):
        cls(SIGNATURE, settings, 2, 0)


def test_direct_construction_without_extrinsic_signal_is_a_train_error(tmp_path):
    """The extrinsic signal is looked up by enum; without it the trainer names what it needs."""
    settings = ppo_options(results_dir=str(tmp_path)).behavior_settings("Line")
    extrinsic = settings.reward_signals[RewardSignalType.EXTRINSIC]
    curiosity_only = dataclasses.replace(settings, reward_signals={RewardSignalType.RND: extrinsic})
    with pytest.raises(TrainError, match="needs an 'extrinsic' reward signal next to \\['rnd'\\]"):
        PPOTrainer(SIGNATURE, curiosity_only, 2, 0)
