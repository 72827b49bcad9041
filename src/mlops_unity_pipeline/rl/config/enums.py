"""Enumerations of the ML-Agents trainer configuration; each value is the lowercase string written in YAML."""

from __future__ import annotations

from enum import Enum


class TrainerType(str, Enum):
    """``trainer_type`` of a behavior (ML-Agents ``TrainerType``)."""

    PPO = "ppo"
    SAC = "sac"
    POCA = "poca"


class ScheduleType(str, Enum):
    """How a hyperparameter (learning rate, beta, epsilon) changes over ``max_steps``."""

    CONSTANT = "constant"
    LINEAR = "linear"


class RewardSignalType(str, Enum):
    """Keys allowed under ``reward_signals``."""

    EXTRINSIC = "extrinsic"
    CURIOSITY = "curiosity"
    GAIL = "gail"
    RND = "rnd"


class EncoderType(str, Enum):
    """``network_settings.vis_encode_type``: the encoder for visual observations."""

    SIMPLE = "simple"
    NATURE_CNN = "nature_cnn"
    RESNET = "resnet"
    MATCH3 = "match3"
    FULLY_CONNECTED = "fully_connected"


class ConditioningType(str, Enum):
    """``network_settings.goal_conditioning_type``: how goal observations condition the network."""

    HYPER = "hyper"
    NONE = "none"


class SamplerType(str, Enum):
    """``sampler_type`` of an environment parameter sampler."""

    UNIFORM = "uniform"
    GAUSSIAN = "gaussian"
    MULTIRANGEUNIFORM = "multirangeuniform"
    CONSTANT = "constant"


class MeasureType(str, Enum):
    """``completion_criteria.measure``: what a curriculum lesson's threshold is compared with."""

    REWARD = "reward"
    PROGRESS = "progress"
