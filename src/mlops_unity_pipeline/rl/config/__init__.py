"""ML-Agents Release 22 trainer configuration: strict schema, YAML loading/dumping, environment parameters.

Class and field names are those of ML-Agents' ``settings.py`` and its YAML keys, so an upstream
configuration file reads the same here; see ``docs/configuration.md``.
"""

from __future__ import annotations

from .enums import (
    ConditioningType,
    EncoderType,
    MeasureType,
    RewardSignalType,
    SamplerType,
    ScheduleType,
    TrainerType,
)
from .env_params import EnvironmentParameterManager
from .environment import (
    CompletionCriteriaSettings,
    ConstantSettings,
    EnvironmentParameterSettings,
    GaussianSettings,
    Lesson,
    MultiRangeUniformSettings,
    Sampler,
    UniformSettings,
)
from .hyperparameters import HYPERPARAMETERS, HyperparamSettings, POCASettings, PPOSettings, SACSettings
from .io import dump_run_options, dump_yaml, load_run_options, parse_yaml
from .network import MemorySettings, NetworkSettings
from .reward_signals import CuriositySettings, GAILSettings, RewardSignalSettings, RNDSettings
from .run import (
    RUN_OPTIONS_KEYS,
    CheckpointSettings,
    EngineSettings,
    EnvironmentSettings,
    RunOptions,
    TorchSettings,
)
from .trainer import BehavioralCloningSettings, SelfPlaySettings, TrainerSettings

__all__ = [
    "HYPERPARAMETERS",
    "RUN_OPTIONS_KEYS",
    "BehavioralCloningSettings",
    "CheckpointSettings",
    "CompletionCriteriaSettings",
    "ConditioningType",
    "ConstantSettings",
    "CuriositySettings",
    "EncoderType",
    "EngineSettings",
    "EnvironmentParameterManager",
    "EnvironmentParameterSettings",
    "EnvironmentSettings",
    "GAILSettings",
    "GaussianSettings",
    "HyperparamSettings",
    "Lesson",
    "MeasureType",
    "MemorySettings",
    "MultiRangeUniformSettings",
    "NetworkSettings",
    "POCASettings",
    "PPOSettings",
    "RNDSettings",
    "RewardSignalSettings",
    "RewardSignalType",
    "RunOptions",
    "SACSettings",
    "Sampler",
    "SamplerType",
    "ScheduleType",
    "SelfPlaySettings",
    "TorchSettings",
    "TrainerSettings",
    "TrainerType",
    "UniformSettings",
    "dump_run_options",
    "dump_yaml",
    "load_run_options",
    "parse_yaml",
]
