"""Strict validation and ML-Agents quirks of the trainer configuration schema."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import pytest

from mlops_unity_pipeline.errors import ConfigError
from mlops_unity_pipeline.rl.config import (
    CheckpointSettings,
    GAILSettings,
    MemorySettings,
    NetworkSettings,
    POCASettings,
    PPOSettings,
    RewardSignalType,
    RunOptions,
    SACSettings,
    ScheduleType,
    SelfPlaySettings,
    TrainerSettings,
    TrainerType,
)


def _behavior(**settings: Any) -> dict[str, Any]:
    return {"behaviors": {"3DBall": settings}}


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as info:
        RunOptions.from_dict(data, source="test.yaml")
    return str(info.value)


# --- unknown keys -----------------------------------------------------------------------------------------


def test_unknown_hyperparameter_names_key_section_and_expected() -> None:
    """'lr' under hyperparameters names the key, the section path and the valid keys."""
    message = _error(_behavior(trainer_type="ppo", hyperparameters={"lr": 0.1}))
    assert message.startswith("test.yaml: unknown key 'lr' in behaviors.3DBall.hyperparameters")
    assert "expected one of: batch_size, buffer_size, learning_rate" in message


@pytest.mark.parametrize(
    ("data", "key", "section"),
    [
        ({"behaviors": {}, "checkpoint": {}}, "checkpoint", "at the top level"),
        (_behavior(lr=1), "lr", "in behaviors.3DBall"),
        (_behavior(network_settings={"hidden": 3}), "hidden", "in behaviors.3DBall.network_settings"),
        (
            _behavior(network_settings={"memory": {"size": 3}}),
            "size",
            "in behaviors.3DBall.network_settings.memory",
        ),
        (
            _behavior(reward_signals={"extrinsic": {"gama": 0.9}}),
            "gama",
            "in behaviors.3DBall.reward_signals.extrinsic",
        ),
        (_behavior(reward_signals={"intrinsic": {}}), "intrinsic", "in behaviors.3DBall.reward_signals"),
        (_behavior(self_play={"saves": 1}), "saves", "in behaviors.3DBall.self_play"),
        (_behavior(behavioral_cloning={"demo": "x"}), "demo", "in behaviors.3DBall.behavioral_cloning"),
        ({"env_settings": {"envs": 2}}, "envs", "in env_settings"),
        ({"engine_settings": {"fps": 2}}, "fps", "in engine_settings"),
        ({"checkpoint_settings": {"run": "x"}}, "run", "in checkpoint_settings"),
        ({"torch_settings": {"gpu": True}}, "gpu", "in torch_settings"),
        ({"default_settings": {"trainer": "ppo"}}, "trainer", "in default_settings"),
        (
            {"environment_parameters": {"m": {"sampler_type": "uniform", "sampler_parameters": {"min": 1}}}},
            "min",
            "in environment_parameters.m.sampler_parameters",
        ),
        ({"environment_parameters": {"m": {"sampler": "uniform"}}}, "sampler", "in environment_parameters.m"),
        (
            {"environment_parameters": {"m": {"curriculum": [{"name": "a", "value": 1, "criteria": {}}]}}},
            "criteria",
            "in environment_parameters.m.curriculum.0",
        ),
    ],
)
def test_unknown_keys_everywhere(data: dict[str, Any], key: str, section: str) -> None:
    """Every section refuses unknown keys and says where."""
    assert f"unknown key {key!r} {section}" in _error(data)


def test_ppo_only_key_under_sac() -> None:
    """'beta' is a PPO key: under trainer_type sac it is unknown, and SAC's keys are listed."""
    message = _error(_behavior(trainer_type="sac", hyperparameters={"beta": 0.01}))
    assert "unknown key 'beta' in behaviors.3DBall.hyperparameters" in message
    assert "tau" in message and "init_entcoef" in message


def test_shared_critic_is_not_a_poca_key() -> None:
    """POCA has PPO's keys but not shared_critic."""
    assert "unknown key 'shared_critic'" in _error(
        _behavior(trainer_type="poca", hyperparameters={"shared_critic": True})
    )


# --- bad values -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (
            _behavior(trainer_type="ppo", hyperparameters={"batch_size": -5}),
            "hyperparameters.batch_size",
            ">= 1",
        ),
        (
            _behavior(trainer_type="ppo", hyperparameters={"batch_size": 2.5}),
            "hyperparameters.batch_size",
            "whole",
        ),
        (
            _behavior(trainer_type="ppo", hyperparameters={"batch_size": 64, "buffer_size": 32}),
            "buffer_size",
            ">= batch_size",
        ),
        (_behavior(trainer_type="ppo", hyperparameters={"learning_rate": 0}), "learning_rate", "> 0"),
        (_behavior(trainer_type="ppo", hyperparameters={"lambd": 1.5}), "lambd", "[0.0, 1.0]"),
        (
            _behavior(trainer_type="ppo", hyperparameters={"learning_rate_schedule": "cosine"}),
            "learning_rate_schedule",
            "constant, linear",
        ),
        (_behavior(trainer_type="sac", hyperparameters={"tau": 0}), "hyperparameters.tau", "(0, 1]"),
        (_behavior(trainer_type="dqn"), "trainer_type", "expected one of ppo, sac, poca"),
        (_behavior(hyperparameters={"batch_size": 32}), "hyperparameters", "without trainer_type"),
        (_behavior(network_settings={"memory": {"memory_size": 3}}), "memory.memory_size", "positive even"),
        (_behavior(network_settings={"memory": {"memory_size": 0}}), "memory.memory_size", "positive even"),
        (_behavior(network_settings={"normalize": "yes"}), "network_settings.normalize", "true or false"),
        (_behavior(network_settings={"vis_encode_type": "vit"}), "vis_encode_type", "nature_cnn"),
        (
            _behavior(
                trainer_type="ppo",
                hyperparameters={"batch_size": 32},
                network_settings={"memory": {"sequence_length": 64}},
            ),
            "memory.sequence_length",
            "<= hyperparameters.batch_size (32)",
        ),
        (
            _behavior(reward_signals={"gail": {"strength": 0.1}}),
            "reward_signals.gail.demo_path",
            "is required",
        ),
        (_behavior(reward_signals={"extrinsic": {"gamma": 1.5}}), "extrinsic.gamma", "[0.0, 1.0]"),
        (_behavior(reward_signals={}), "reward_signals", "at least one"),
        (_behavior(behavioral_cloning={"strength": 0.5}), "behavioral_cloning.demo_path", "is required"),
        (_behavior(max_steps="lots"), "max_steps", "number of steps"),
        (_behavior(max_steps=".inf"), "max_steps", "number of steps"),
        (_behavior(max_steps=float("nan")), "max_steps", "number of steps"),
        (_behavior(max_steps=True), "max_steps", "number of steps"),
        (_behavior(max_steps=0), "max_steps", ">= 1"),
        (_behavior(time_horizon=0), "time_horizon", ">= 1"),
        (_behavior(even_checkpoints=True, keep_checkpoints=0), "keep_checkpoints", "even_checkpoints"),
        (
            _behavior(self_play={"play_against_latest_model_ratio": 2}),
            "play_against_latest_model_ratio",
            "[0.0, 1.0]",
        ),
        ({"behaviors": ["3DBall"]}, "behaviors", "mapping"),
        ({"behaviors": {"B": 3}}, "behaviors.B", "mapping"),
        ({"env_settings": {"num_envs": 0}}, "env_settings.num_envs", ">= 1"),
        ({"env_settings": {"num_areas": 0}}, "env_settings.num_areas", ">= 1"),
        ({"env_settings": {"base_port": 70000}}, "env_settings.base_port", "65535"),
        ({"env_settings": {"env_args": "-batchmode"}}, "env_settings.env_args", "list"),
        ({"engine_settings": {"time_scale": 0}}, "engine_settings.time_scale", "> 0"),
        ({"checkpoint_settings": {"run_id": "../escape"}}, "checkpoint_settings.run_id", "results_dir"),
        (
            {"checkpoint_settings": {"initialize_from": "a/b"}},
            "checkpoint_settings.initialize_from",
            "results_dir",
        ),
        ({"debug": "yes"}, "debug", "true or false"),
    ],
)
def test_bad_values_name_the_field(data: dict[str, Any], field: str, reason: str) -> None:
    """Wrong types and out-of-range values raise ConfigError naming the field and the expectation."""
    message = _error(data)
    assert field in message and reason in message, message


# --- environment parameters -------------------------------------------------------------------------------


def _curriculum(*lessons: dict[str, Any]) -> dict[str, Any]:
    return {"behaviors": {"B": {}}, "environment_parameters": {"p": {"curriculum": list(lessons)}}}


def test_non_final_lesson_without_criteria() -> None:
    """Only the last lesson may omit completion_criteria."""
    message = _error(_curriculum({"name": "a", "value": 1}, {"name": "b", "value": 2}))
    assert "environment_parameters.p.curriculum.0.completion_criteria: is required on lesson 'a'" in message


def test_progress_threshold_outside_unit_interval() -> None:
    """A progress threshold must lie in [0, 1]."""
    for threshold in (1.5, -0.1):
        lesson = {
            "name": "a",
            "value": 1,
            "completion_criteria": {"behavior": "B", "measure": "progress", "threshold": threshold},
        }
        message = _error(_curriculum(lesson, {"name": "b", "value": 2}))
        assert (
            "curriculum.0.completion_criteria.threshold: must be in [0, 1] when measure is progress"
            in message
        )


def test_reward_threshold_may_be_any_number() -> None:
    """A reward threshold is not limited to [0, 1]."""
    lesson = {"name": "a", "value": 1, "completion_criteria": {"behavior": "B", "threshold": 42.0}}
    options = RunOptions.from_dict(_curriculum(lesson, {"name": "b", "value": 2}))
    assert options.environment_parameters["p"].curriculum[0].completion_criteria.threshold == 42.0


def test_criteria_behavior_must_exist_without_default_settings() -> None:
    """A criterion watching an unconfigured behavior is an error naming the known behaviors."""
    lesson = {"name": "a", "value": 1, "completion_criteria": {"behavior": "Nope"}}
    message = _error(_curriculum(lesson, {"name": "b", "value": 2}))
    assert (
        "completion_criteria.behavior: 'Nope' is not a behavior of this configuration (known: B)" in message
    )


def test_lesson_needs_name_value_and_criteria_behavior() -> None:
    """name and value are required in a lesson; behavior is required in completion criteria."""
    assert "curriculum.0.name: is required" in _error(_curriculum({"value": 1}))
    assert "curriculum.0.value: is required" in _error(_curriculum({"name": "a"}))
    lesson = {"name": "a", "value": 1, "completion_criteria": {"threshold": 0.5}}
    assert "completion_criteria.behavior: is required" in _error(
        _curriculum(lesson, {"name": "b", "value": 2})
    )


def test_final_lesson_criteria_warns(caplog: pytest.LogCaptureFixture) -> None:
    """completion_criteria on the last lesson is accepted with a warning (ML-Agents ignores it)."""
    lesson = {"name": "a", "value": 1, "completion_criteria": {"behavior": "B"}}
    with caplog.at_level(logging.WARNING):
        RunOptions.from_dict(_curriculum(lesson))
    assert "last lesson is ignored" in caplog.text


def test_sampler_errors() -> None:
    """Unknown sampler types, min > max, and malformed intervals are refused."""

    def params(value: Any) -> dict[str, Any]:
        return {"environment_parameters": {"m": value}}

    assert "sampler_type: expected one of uniform" in _error(params({"sampler_type": "beta"}))
    assert "sampler_type: is required" in _error(params({"sampler_parameters": {}}))
    message = _error(params({"sampler_type": "uniform"}))
    assert (
        "environment_parameters.m.sampler_parameters: is required (keys: min_value, max_value, seed)"
        in message
    )
    message = _error(
        params({"sampler_type": "uniform", "sampler_parameters": {"min_value": 3, "max_value": 1}})
    )
    assert "environment_parameters.m.sampler_parameters.min_value: must be <= max_value" in message
    message = _error(
        params({"sampler_type": "multirangeuniform", "sampler_parameters": {"intervals": [[1, 2, 3]]}})
    )
    assert "intervals.0: expected a [min, max] pair" in message
    message = _error(params({"sampler_type": "gaussian", "sampler_parameters": {"st_dev": -1}}))
    assert "st_dev: must be >= 0.0" in message
    assert "expected a number or {sampler_type" in _error(params(True))


# --- ML-Agents quirks -------------------------------------------------------------------------------------


def test_max_steps_is_int_of_float() -> None:
    """max_steps accepts '5.0e5', 1.0e7 and truncates like int(float(v))."""
    for raw, expected in (("5.0e5", 500000), (1.0e7, 10_000_000), ("1e6", 1_000_000), (1234.9, 1234)):
        assert RunOptions.from_dict(_behavior(max_steps=raw)).behaviors["3DBall"].max_steps == expected


def test_numeric_strings_and_integral_floats() -> None:
    """'1e-4' (a string to PyYAML) is a float; 10.0 is accepted for an int field."""
    options = RunOptions.from_dict(
        _behavior(trainer_type="ppo", hyperparameters={"learning_rate": "1e-4", "num_epoch": 10.0})
    )
    hp = options.behaviors["3DBall"].hyperparameters
    assert hp.learning_rate == 1e-4 and hp.num_epoch == 10 and isinstance(hp.num_epoch, int)


def test_schedules_follow_learning_rate_schedule() -> None:
    """beta/epsilon schedules copy learning_rate_schedule when only that is given; explicit ones stay."""
    only_lr = RunOptions.from_dict(
        _behavior(trainer_type="ppo", hyperparameters={"learning_rate_schedule": "constant"})
    )
    hp = only_lr.behaviors["3DBall"].hyperparameters
    assert (hp.beta_schedule, hp.epsilon_schedule) == (ScheduleType.CONSTANT, ScheduleType.CONSTANT)
    explicit = RunOptions.from_dict(
        _behavior(
            trainer_type="poca",
            hyperparameters={"learning_rate_schedule": "constant", "beta_schedule": "linear"},
        )
    )
    hp = explicit.behaviors["3DBall"].hyperparameters
    assert (hp.beta_schedule, hp.epsilon_schedule) == (ScheduleType.LINEAR, ScheduleType.CONSTANT)
    assert PPOSettings().beta_schedule is ScheduleType.LINEAR
    assert PPOSettings(learning_rate_schedule=ScheduleType.CONSTANT).epsilon_schedule is ScheduleType.CONSTANT


def test_sac_reward_signal_steps_default_to_steps_per_update() -> None:
    """reward_signal_steps_per_update defaults to steps_per_update."""
    assert SACSettings(steps_per_update=10.0).reward_signal_steps_per_update == 10.0
    assert (
        SACSettings(steps_per_update=10.0, reward_signal_steps_per_update=2.0).reward_signal_steps_per_update
        == 2.0
    )


def test_self_play_team_change_defaults_to_five_save_steps() -> None:
    """team_change defaults to save_steps * 5."""
    assert SelfPlaySettings(save_steps=1000).team_change == 5000
    assert SelfPlaySettings().team_change == 100000


def test_deprecated_encoding_size(caplog: pytest.LogCaptureFixture) -> None:
    """encoding_size becomes network_settings.hidden_units only when network_settings is absent."""
    signals = {
        "curiosity": {"strength": 0.02, "encoding_size": 256},
        "rnd": {"encoding_size": 32, "network_settings": {"hidden_units": 64}},
    }
    with caplog.at_level(logging.WARNING):
        options = RunOptions.from_dict(_behavior(reward_signals=signals))
    rs = options.behaviors["3DBall"].reward_signals
    assert rs[RewardSignalType.CURIOSITY].network_settings.hidden_units == 256
    assert rs[RewardSignalType.RND].network_settings.hidden_units == 64
    assert "encoding_size is deprecated" in caplog.text
    assert RunOptions.from_dict(options.to_dict()) == options


def test_framework_is_accepted_and_ignored(caplog: pytest.LogCaptureFixture) -> None:
    """framework: pytorch is accepted with a warning and not written back."""
    with caplog.at_level(logging.WARNING):
        options = RunOptions.from_dict(_behavior(framework="pytorch"))
    assert "framework is ignored" in caplog.text
    assert "framework" not in options.to_dict()["behaviors"]["3DBall"]


def test_even_checkpoints_derive_the_interval() -> None:
    """even_checkpoints: checkpoint_every = int(max_steps / keep_checkpoints), else the interval."""
    even = TrainerSettings(even_checkpoints=True, max_steps=1000, keep_checkpoints=3)
    assert even.checkpoint_every == 333
    assert TrainerSettings(checkpoint_interval=7).checkpoint_every == 7


def test_resume_wins_over_initialize_from(caplog: pytest.LogCaptureFixture) -> None:
    """Both set in the file: the run resumes and initialize_from is dropped (prioritize_resume_init)."""
    with caplog.at_level(logging.WARNING):
        options = RunOptions.from_dict({"checkpoint_settings": {"resume": True, "initialize_from": "old"}})
    assert options.checkpoint_settings.resume is True
    assert options.checkpoint_settings.initialize_from is None
    assert "initialize_from is ignored" in caplog.text


def test_load_model_is_a_deprecated_resume() -> None:
    """load_model (--load) implies resume."""
    assert CheckpointSettings(load_model=True).resume is True


def test_trainer_type_selects_default_hyperparameters() -> None:
    """Each trainer_type gets its own hyperparameters class and defaults; a mismatch is refused."""
    assert isinstance(TrainerSettings().hyperparameters, PPOSettings)
    sac = TrainerSettings(trainer_type=TrainerType.SAC)
    assert isinstance(sac.hyperparameters, SACSettings) and sac.hyperparameters.batch_size == 128
    assert isinstance(TrainerSettings(trainer_type=TrainerType.POCA).hyperparameters, POCASettings)
    with pytest.raises(
        ConfigError, match="TrainerSettings.hyperparameters: trainer_type sac needs SACSettings"
    ):
        TrainerSettings(trainer_type=TrainerType.SAC, hyperparameters=PPOSettings())


# --- default_settings and behavior lookup -----------------------------------------------------------------


def test_default_settings_deep_merge() -> None:
    """Behaviors inherit default_settings key by key (nested sections merge, lists/scalars replace)."""
    data = {
        "default_settings": {
            "trainer_type": "ppo",
            "hyperparameters": {"batch_size": 256, "buffer_size": 4096, "beta": 0.01},
            "network_settings": {"hidden_units": 64, "normalize": True},
            "max_steps": 1000,
        },
        "behaviors": {
            "A": {"hyperparameters": {"batch_size": 128}, "network_settings": {"num_layers": 3}},
            "B": {},
        },
    }
    options = RunOptions.from_dict(data)
    a = options.behavior_settings("A")
    assert (a.hyperparameters.batch_size, a.hyperparameters.buffer_size, a.hyperparameters.beta) == (
        128,
        4096,
        0.01,
    )
    assert (a.network_settings.hidden_units, a.network_settings.num_layers, a.network_settings.normalize) == (
        64,
        3,
        True,
    )
    assert a.max_steps == 1000
    assert options.behavior_settings("B") == options.default_settings
    assert options.behavior_settings("C") == options.default_settings
    assert options.behavior_settings("A?team=1") == a
    assert RunOptions.from_dict(options.to_dict()) == options


def test_default_settings_of_other_trainer_type_do_not_leak_hyperparameters() -> None:
    """A sac behavior under ppo default_settings keeps SAC hyperparameters (PPO keys are not merged in)."""
    data = {
        "default_settings": {"trainer_type": "ppo", "hyperparameters": {"beta": 0.01}, "max_steps": 1000},
        "behaviors": {"S": {"trainer_type": "sac", "hyperparameters": {"tau": 0.01}}},
    }
    s = RunOptions.from_dict(data).behavior_settings("S")
    assert isinstance(s.hyperparameters, SACSettings) and s.hyperparameters.tau == 0.01
    assert s.max_steps == 1000


def test_missing_behavior_without_default_settings() -> None:
    """behavior_settings of an unknown name, without default_settings, names it and the known behaviors."""
    options = RunOptions.from_dict({"behaviors": {"A": {}, "B": {}}})
    with pytest.raises(
        ConfigError, match="behavior 'Walker' is not in the configuration.*configured behaviors: A, B"
    ):
        options.behavior_settings("Walker")


def test_init_path_resolution(tmp_path: Path) -> None:
    """init_path: none → <init run>/<behavior>/checkpoint.pt; bare name → inside it; a path → as is."""
    base = {"checkpoint_settings": {"initialize_from": "old", "results_dir": str(tmp_path)}}
    assert (
        RunOptions.from_dict({**base, "behaviors": {"A": {}}}).init_path_for("A")
        == tmp_path / "old" / "A" / "checkpoint.pt"
    )
    bare = RunOptions.from_dict({**base, "behaviors": {"A": {"init_path": "A-100.pt"}}})
    assert bare.init_path_for("A") == tmp_path / "old" / "A" / "A-100.pt"
    explicit = RunOptions.from_dict({**base, "behaviors": {"A": {"init_path": "/models/x.pt"}}})
    assert explicit.init_path_for("A") == Path("/models/x.pt")
    assert RunOptions.from_dict({"behaviors": {"A": {}}}).init_path_for("A") is None


# --- frozen dataclasses -----------------------------------------------------------------------------------


def test_settings_are_frozen_and_replace_revalidates() -> None:
    """Assignment is refused; dataclasses.replace makes validated variants."""
    settings = TrainerSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.max_steps = 10  # type: ignore[misc]  # the point of the test
    assert dataclasses.replace(settings, max_steps=2_000).max_steps == 2_000
    with pytest.raises(ConfigError, match="PPOSettings.batch_size: must be >= 1"):
        dataclasses.replace(PPOSettings(), batch_size=0)
    with pytest.raises(ConfigError, match="MemorySettings.memory_size"):
        MemorySettings(memory_size=7)
    with pytest.raises(ConfigError, match="GAILSettings.demo_path: is required"):
        GAILSettings()
    net = dataclasses.replace(NetworkSettings(), memory=MemorySettings(sequence_length=2048))
    with pytest.raises(ConfigError, match="sequence_length: must be <= hyperparameters.batch_size"):
        TrainerSettings(network_settings=net)


def test_run_options_are_replaceable() -> None:
    """dataclasses.replace works on RunOptions and keeps equality semantics."""
    options = RunOptions.from_dict(_behavior())
    other = dataclasses.replace(options, debug=True)
    assert other.debug and not options.debug
    assert RunOptions.from_dict(other.to_dict()) == other


def test_sampler_seed_below_minus_one_is_refused() -> None:
    """Sampler seeds are -1 (derive from the run seed) or >= 0."""
    data = {"environment_parameters": {"m": {"sampler_type": "uniform", "sampler_parameters": {"seed": -2}}}}
    assert "environment_parameters.m.sampler_parameters.seed: must be >= -1, got -2" in _error(data)


def test_options_pickle_and_deepcopy() -> None:
    """RunOptions survive pickle and deepcopy unchanged (they travel to worker processes)."""
    import copy
    import pickle

    data = {
        "behaviors": {"A": {"trainer_type": "sac"}, "B": {"self_play": {"save_steps": 10}}},
        "environment_parameters": {"p": {"sampler_type": "uniform", "sampler_parameters": {}}},
    }
    options = RunOptions.from_dict(data)
    assert pickle.loads(pickle.dumps(options)) == options
    assert copy.deepcopy(options) == options


@pytest.mark.parametrize(
    ("kind", "extra"),
    [("CuriositySettings", {}), ("RNDSettings", {}), ("GAILSettings", {"demo_path": "expert.demo"})],
)
@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ({"learning_rate": 0}, "learning_rate: must be > 0"),
        ({"encoding_size": 0}, "encoding_size: must be >= 1"),
    ],
)
def test_learned_signals_check_learning_rate_and_encoding_size(kind, extra, bad, expected) -> None:
    """Curiosity, RND and GAIL each reject a non-positive learning rate and an encoding size below 1."""
    import mlops_unity_pipeline.rl.config as config

    with pytest.raises(ConfigError, match=f"{kind}.{expected}"):
        getattr(config, kind)(**extra, **bad)
