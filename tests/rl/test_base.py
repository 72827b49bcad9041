"""The ``Trainer`` base class: what every trainer shares after an update."""

from __future__ import annotations

import math

import pytest

from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.rl.ppo import PPOTrainer

from .helpers import ppo_options
from .toy_env import LineTarget


def _trainer(tmp_path, **extra):
    env = LineTarget(2)
    settings = ppo_options(results_dir=str(tmp_path), extra=extra).behaviors["Line"]
    return PPOTrainer(env.signature, settings, 2, seed=0)


def test_finish_clipped_update_counts_trains_curiosity_and_records_ml_agents_tags(tmp_path, monkeypatch):
    """One call counts the update, trains the curiosity model and records the loss and schedule tags."""
    curiosity = {"strength": 0.02, "gamma": 0.99, "network_settings": {"hidden_units": 8}}
    trainer = _trainer(
        tmp_path, reward_signals={"extrinsic": {"gamma": 0.95, "strength": 1.0}, "curiosity": curiosity}
    )
    calls = []

    def train(num_epoch, batch_size, generator):
        calls.append((num_epoch, batch_size))
        return {"Losses/Curiosity Forward Loss": 0.125}

    monkeypatch.setattr(trainer.signals[0], "train", train)
    trainer.finish_clipped_update({"policy_loss": -0.25, "value_loss": 0.5}, 1e-3, 2e-3, 0.2)
    stats = trainer.pop_stats()
    assert trainer.update_count == 1
    assert stats["Losses/Policy Loss"] == [0.25]  # ML-Agents logs the policy loss's magnitude
    assert stats["Losses/Value Loss"] == [0.5]
    assert stats["Policy/Learning Rate"] == [1e-3]
    assert stats["Policy/Beta"] == [2e-3]
    assert stats["Policy/Epsilon"] == [0.2]
    assert calls == [(3, 64)]  # the trainer's num_epoch and batch_size (tests/rl/helpers.py)
    assert stats["Losses/Curiosity Forward Loss"] == [0.125]


def test_finish_clipped_update_refuses_a_nan_loss(tmp_path):
    """A NaN among the losses raises TrainError naming the behavior."""
    trainer = _trainer(tmp_path)
    with pytest.raises(TrainError, match="'Line'.*nan"):
        trainer.finish_clipped_update({"policy_loss": 0.0, "value_loss": math.nan}, 1e-3, 1e-3, 0.2)


def test_record_all_adds_one_value_per_tag(tmp_path):
    """record_all appends each value under its tag, as record does."""
    trainer = _trainer(tmp_path)
    trainer.record_all({"a": 1.0, "b": 2})
    trainer.record_all({"a": 3.0})
    assert trainer.pop_stats() == {"a": [1.0, 3.0], "b": [2.0]}
