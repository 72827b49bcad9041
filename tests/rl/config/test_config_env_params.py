"""EnvironmentParameterManager: samplers, lessons and completion criteria, hand-computed."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from mlops_unity_pipeline.errors import ConfigError
from mlops_unity_pipeline.rl.config import (
    EnvironmentParameterManager,
    GaussianSettings,
    MultiRangeUniformSettings,
    RunOptions,
    UniformSettings,
    load_run_options,
)
from tests.conftest import anchor


def _options(params: dict, behaviors: dict | None = None) -> RunOptions:
    return RunOptions.from_dict(
        {"behaviors": behaviors or {"B": {"max_steps": 1000}}, "environment_parameters": params}
    )


def _reward_curriculum(threshold: float = 0.5, smoothing: bool = True, **criteria: object) -> RunOptions:
    lesson0 = {
        "name": "easy",
        "value": 1.0,
        "completion_criteria": {
            "behavior": "B",
            "measure": "reward",
            "threshold": threshold,
            "signal_smoothing": smoothing,
            **criteria,
        },
    }
    return _options({"level": {"curriculum": [lesson0, {"name": "hard", "value": 2.0}]}})


# --- samplers ---------------------------------------------------------------------------------------------


def test_3dball_randomize_samples_within_ranges_and_reproducibly() -> None:
    """3DBall_randomize: mass in [0.5, 10], scale in [0.75, 3]; reproducible per seed."""
    options = load_run_options(anchor("config/ppo/3DBall_randomize.yaml"))
    first = EnvironmentParameterManager(options, seed=7)
    draws = [first.current_values() for _ in range(200)]
    assert all(0.5 <= d["mass"] <= 10.0 and 0.75 <= d["scale"] <= 3.0 for d in draws)
    again = EnvironmentParameterManager(options, seed=7)
    assert [again.current_values() for _ in range(200)] == draws
    other = EnvironmentParameterManager(options, seed=8)
    assert [other.current_values() for _ in range(200)] != draws
    # Unseeded samplers get run seed + k in file order (ML-Agents _set_sampler_seeds): mass 7, scale 8.
    assert draws[0]["mass"] == pytest.approx(np.random.default_rng(7).uniform(0.5, 10.0))
    assert draws[0]["scale"] == pytest.approx(np.random.default_rng(8).uniform(0.75, 3.0))
    assert first.lesson_numbers() == {"mass": 0, "scale": 0}


def test_seed_none_uses_env_settings_seed() -> None:
    """Without an explicit seed the manager uses env_settings.seed."""
    options = RunOptions.from_dict(
        {
            "env_settings": {"seed": 3},
            "environment_parameters": {"x": {"sampler_type": "uniform", "sampler_parameters": {}}},
        }
    )
    value = EnvironmentParameterManager(options).current_values()["x"]
    assert value == pytest.approx(np.random.default_rng(3).uniform(0.0, 1.0))


def test_explicit_sampler_seed_wins_over_run_seed() -> None:
    """A sampler with its own seed draws the same values whatever the run seed."""
    params = {
        "x": {"sampler_type": "gaussian", "sampler_parameters": {"mean": 2.0, "st_dev": 0.5, "seed": 42}}
    }
    a = EnvironmentParameterManager(_options(params), seed=1).current_values()
    b = EnvironmentParameterManager(_options(params), seed=999).current_values()
    assert a == b
    assert a["x"] == pytest.approx(np.random.default_rng(42).normal(2.0, 0.5))


def test_constant_number_and_constant_sampler() -> None:
    """A bare number and a constant sampler both give their value every time."""
    params = {"a": 3, "b": {"sampler_type": "constant", "sampler_parameters": {"value": -1.5}}}
    manager = EnvironmentParameterManager(_options(params), seed=0)
    assert [manager.current_values() for _ in range(3)] == [{"a": 3.0, "b": -1.5}] * 3


def test_multirange_uniform_weights_intervals_by_length() -> None:
    """[[0,1],[10,12]]: every draw is in an interval and about 2/3 fall in the longer one."""
    sampler = MultiRangeUniformSettings(intervals=((0.0, 1.0), (10.0, 12.0)))
    rng = np.random.default_rng(0)
    draws = np.array([sampler.sample(rng) for _ in range(6000)])
    assert np.all(((draws >= 0) & (draws <= 1)) | ((draws >= 10) & (draws <= 12)))
    assert np.mean(draws >= 10) == pytest.approx(2 / 3, abs=0.03)


def test_gaussian_and_uniform_moments() -> None:
    """Gaussian(1, 2) and Uniform(-1, 3) have the expected mean and spread."""
    rng = np.random.default_rng(1)
    gauss = np.array([GaussianSettings(mean=1.0, st_dev=2.0).sample(rng) for _ in range(20000)])
    assert gauss.mean() == pytest.approx(1.0, abs=0.05) and gauss.std() == pytest.approx(2.0, abs=0.05)
    uni = np.array([UniformSettings(min_value=-1.0, max_value=3.0).sample(rng) for _ in range(20000)])
    assert uni.min() >= -1.0 and uni.max() <= 3.0 and uni.mean() == pytest.approx(1.0, abs=0.05)


# --- curriculum: progress ---------------------------------------------------------------------------------


def test_walljump_curriculum_progress_thresholds() -> None:
    """WallJump_curriculum: BigWallJump (max 2e7) moves past 0.1/0.3/0.5 progress after 100 episodes each."""
    options = load_run_options(anchor("config/ppo/WallJump_curriculum.yaml"))
    manager = EnvironmentParameterManager(options, seed=0)
    rewards = {"BigWallJump": 0.0, "SmallWallJump": 0.0}
    assert manager.current_values()["small_wall_height"] == 1.5
    assert 0.0 <= manager.current_values()["big_wall_height"] <= 4.0
    # progress exactly 0.1 is not > 0.1
    assert not manager.update_lessons({"BigWallJump": 2_000_000}, rewards, {"BigWallJump": 500})
    # past the threshold but only 99 episodes
    assert not manager.update_lessons({"BigWallJump": 2_000_001}, rewards, {"BigWallJump": 99})
    assert manager.update_lessons({"BigWallJump": 2_000_001}, rewards, {"BigWallJump": 100})
    assert manager.lesson_numbers() == {"big_wall_height": 1, "small_wall_height": 0}
    assert 4.0 <= manager.current_values()["big_wall_height"] <= 7.0
    # Lesson 1 → 2 needs progress > 0.3 (step 6_000_001) and 100 episodes since the change (at 100).
    assert not manager.update_lessons({"BigWallJump": 6_000_001}, rewards, {"BigWallJump": 199})
    assert manager.update_lessons({"BigWallJump": 6_000_001}, rewards, {"BigWallJump": 200})
    # One lesson per update even when progress is already past the next threshold too.
    assert manager.update_lessons({"BigWallJump": 19_000_000}, rewards, {"BigWallJump": 400})
    assert manager.lesson_numbers()["big_wall_height"] == 3
    assert manager.current_values()["big_wall_height"] == 8.0
    # The last lesson never completes.
    assert not manager.update_lessons({"BigWallJump": 20_000_000}, rewards, {"BigWallJump": 10_000})
    # SmallWallJump (max 5e6): 0.1 progress = 500_000 steps.
    assert manager.update_lessons({"SmallWallJump": 500_001}, rewards, {"SmallWallJump": 100})
    assert manager.current_values()["small_wall_height"] == 2.0
    assert manager.reward_buffer_size("BigWallJump") == 100
    assert manager.reward_buffer_size("Other") == 1


def test_behavior_absent_from_steps_is_not_evaluated() -> None:
    """A criterion whose behavior has no step count yet is skipped (ML-Agents does the same)."""
    options = load_run_options(anchor("config/ppo/WallJump_curriculum.yaml"))
    manager = EnvironmentParameterManager(options, seed=0)
    assert not manager.update_lessons({"Other": 10**9}, {}, {"Other": 10**6})
    assert manager.lesson_numbers() == {"big_wall_height": 0, "small_wall_height": 0}


def test_missing_episode_counts_warn_and_skip_min_length(caplog: pytest.LogCaptureFixture) -> None:
    """Without episode counts min_lesson_length cannot be checked: a warning says so."""
    options = load_run_options(anchor("config/ppo/WallJump_curriculum.yaml"))
    manager = EnvironmentParameterManager(options, seed=0)
    with caplog.at_level(logging.WARNING):
        assert manager.update_lessons({"BigWallJump": 2_000_001}, {})
    assert "min_lesson_length is not checked" in caplog.text


# --- curriculum: reward -----------------------------------------------------------------------------------


def test_reward_with_smoothing_hand_computed() -> None:
    """Threshold 0.5, means 0.6 then 0.6: measures 0.45 (no) then 0.25*0.45+0.75*0.6 = 0.5625 (yes)."""
    manager = EnvironmentParameterManager(_reward_curriculum(0.5, smoothing=True), seed=0)
    assert not manager.update_lessons({"B": 10}, {"B": 0.6}, {"B": 1})
    assert manager._smoothed["level"] == pytest.approx(0.45)
    assert manager.update_lessons({"B": 20}, {"B": 0.6}, {"B": 2})
    assert manager.current_values() == {"level": 2.0}


def test_reward_without_smoothing_and_strict_threshold() -> None:
    """Without smoothing the mean itself is compared, strictly: 0.5 is not > 0.5, 0.51 is."""
    manager = EnvironmentParameterManager(_reward_curriculum(0.5, smoothing=False), seed=0)
    assert not manager.update_lessons({"B": 1}, {"B": 0.5}, {"B": 1})
    assert manager.update_lessons({"B": 2}, {"B": 0.51}, {"B": 2})


def test_reward_none_or_nan_changes_nothing() -> None:
    """No finished episode (None) or a NaN mean leaves lesson and smoothing untouched."""
    manager = EnvironmentParameterManager(_reward_curriculum(-1.0), seed=0)
    assert not manager.update_lessons({"B": 1}, {"B": None}, {"B": 0})
    assert not manager.update_lessons({"B": 1}, {"B": float("nan")}, {"B": 0})
    assert manager._smoothed["level"] == 0.0
    assert manager.lesson_numbers() == {"level": 0}


def test_require_reset_is_reported() -> None:
    """A completed lesson with require_reset sets reset_required; the next update clears it."""
    manager = EnvironmentParameterManager(
        _reward_curriculum(0.0, smoothing=False, require_reset=True), seed=0
    )
    assert manager.update_lessons({"B": 1}, {"B": 1.0}, {"B": 1})
    assert manager.reset_required is True
    manager.update_lessons({"B": 2}, {"B": 1.0}, {"B": 2})
    assert manager.reset_required is False


def test_min_lesson_length_counts_episodes_since_last_change() -> None:
    """min_lesson_length 3: needs 3 episodes of B since the start (or since the last lesson change)."""
    lessons = [
        {
            "name": f"L{i}",
            "value": float(i),
            "completion_criteria": {
                "behavior": "B",
                "threshold": 0.0,
                "signal_smoothing": False,
                "min_lesson_length": 3,
            },
        }
        for i in range(2)
    ] + [{"name": "L2", "value": 2.0}]
    manager = EnvironmentParameterManager(_options({"p": {"curriculum": lessons}}), seed=0)
    assert not manager.update_lessons({"B": 1}, {"B": 1.0}, {"B": 2})
    assert manager.update_lessons({"B": 1}, {"B": 1.0}, {"B": 3})
    assert not manager.update_lessons({"B": 2}, {"B": 1.0}, {"B": 5})  # 2 since the change at 3
    assert manager.update_lessons({"B": 2}, {"B": 1.0}, {"B": 6})
    assert manager.lesson_numbers() == {"p": 2}


# --- restore ----------------------------------------------------------------------------------------------


def test_restore_sets_clamps_and_ignores_unknown() -> None:
    """restore() resumes lesson numbers; out-of-range is clamped, unknown names ignored."""
    options = load_run_options(anchor("config/ppo/WallJump_curriculum.yaml"))
    manager = EnvironmentParameterManager(options, seed=0)
    manager.restore({"big_wall_height": 2, "small_wall_height": 9, "gone": 1})
    assert manager.lesson_numbers() == {"big_wall_height": 2, "small_wall_height": 3}
    assert 6.0 <= manager.current_values()["big_wall_height"] <= 8.0
    assert manager.current_lesson("small_wall_height").name == "Lesson3"


def test_unknown_parameter_lookup_is_a_config_error() -> None:
    """current_lesson() of an unknown parameter names the known ones."""
    manager = EnvironmentParameterManager(_options({"a": 1}), seed=0)
    with pytest.raises(ConfigError, match="unknown environment parameter 'b'.*known: a"):
        manager.current_lesson("b")


def test_no_environment_parameters() -> None:
    """A configuration without environment_parameters gives empty values and never updates."""
    manager = EnvironmentParameterManager(RunOptions.from_dict({"behaviors": {"B": {}}}), seed=0)
    assert manager.current_values() == {}
    assert manager.lesson_numbers() == {}
    assert not manager.update_lessons({"B": 10}, {"B": 1.0}, {"B": 10})
