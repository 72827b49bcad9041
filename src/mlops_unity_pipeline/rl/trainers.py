"""The built-in trainers by ``trainer_type``: the one place a trainer class is registered."""

from __future__ import annotations

from .base import Trainer
from .config import TrainerType
from .poca import POCATrainer
from .ppo import PPOTrainer
from .sac import SACTrainer

TRAINERS: dict[TrainerType, type[Trainer]] = {
    TrainerType.PPO: PPOTrainer,
    TrainerType.SAC: SACTrainer,
    TrainerType.POCA: POCATrainer,
}
"""Each built-in trainer class by the ``trainer_type`` it runs, built as
``cls(signature, settings, num_agents, seed)`` (``rl.learn.make_trainer``). ``rl.support`` refuses a
``trainer_type`` missing here (mlagents-learn runs it)."""
