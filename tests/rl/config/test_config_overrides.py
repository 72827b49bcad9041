"""RunOptions.with_cli_overrides: only given flags override (ML-Agents DetectDefault)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import ConfigError
from mlops_unity_pipeline.rl.config import RunOptions

BASE = {
    "behaviors": {"3DBall": {"trainer_type": "ppo", "max_steps": 1000}},
    "env_settings": {"num_envs": 3, "seed": 11},
    "engine_settings": {"time_scale": 5},
    "checkpoint_settings": {"run_id": "from_file", "results_dir": "out"},
}


def test_none_means_not_given() -> None:
    """Flags left at None keep the file's values."""
    options = RunOptions.from_dict(BASE)
    same = options.with_cli_overrides(run_id=None, num_envs=None, seed=None, resume=None, time_scale=None)
    assert same == options


def test_given_values_override_their_sections() -> None:
    """Each flag lands in its section (env, engine, checkpoint, torch)."""
    options = RunOptions.from_dict(BASE).with_cli_overrides(
        run_id="cli_run",
        num_envs=8,
        seed=0,
        force=True,
        results_dir=Path("results2"),
        time_scale=20.0,
        torch_device="cpu",
        env_path="sim:3DBall",
        env_args=("-logFile", "-"),
        no_graphics=True,
        base_port=6000,
    )
    assert options.checkpoint_settings.run_id == "cli_run"
    assert options.checkpoint_settings.force is True
    assert options.checkpoint_settings.results_dir == "results2"
    assert (options.env_settings.num_envs, options.env_settings.seed, options.env_settings.base_port) == (
        8,
        0,
        6000,
    )
    assert options.env_settings.env_path == "sim:3DBall"
    assert options.env_settings.env_args == ("-logFile", "-")
    assert options.engine_settings.time_scale == 20.0 and options.engine_settings.no_graphics is True
    assert options.torch_settings.device == "cpu"
    # untouched values stay
    assert options.behaviors["3DBall"].max_steps == 1000


def test_false_is_an_explicit_value() -> None:
    """An explicit False overrides a True from the file (only None means 'not given')."""
    options = RunOptions.from_dict({**BASE, "engine_settings": {"no_graphics": True}})
    assert options.with_cli_overrides(no_graphics=False).engine_settings.no_graphics is False


def test_cli_resume_wins_over_file_initialize_from() -> None:
    """--resume drops an initialize_from from the file."""
    options = RunOptions.from_dict({**BASE, "checkpoint_settings": {"initialize_from": "old"}})
    resumed = options.with_cli_overrides(resume=True)
    assert resumed.checkpoint_settings.resume is True and resumed.checkpoint_settings.initialize_from is None


def test_cli_resume_wins_over_cli_initialize_from() -> None:
    """Both flags given: resume wins."""
    options = RunOptions.from_dict(BASE).with_cli_overrides(resume=True, initialize_from="old")
    assert options.checkpoint_settings.resume is True and options.checkpoint_settings.initialize_from is None


def test_cli_initialize_from_wins_over_file_resume() -> None:
    """--initialize-from (without --resume) beats resume: true from the file."""
    options = RunOptions.from_dict({**BASE, "checkpoint_settings": {"resume": True}})
    started = options.with_cli_overrides(initialize_from="old")
    assert (
        started.checkpoint_settings.initialize_from == "old" and started.checkpoint_settings.resume is False
    )


def test_deterministic_and_debug() -> None:
    """--deterministic sets network_settings.deterministic on every behavior and default_settings."""
    data = {**BASE, "default_settings": {"max_steps": 10}}
    options = RunOptions.from_dict(data).with_cli_overrides(deterministic=True, debug=True)
    assert options.behaviors["3DBall"].network_settings.deterministic is True
    assert (
        options.default_settings is not None
        and options.default_settings.network_settings.deterministic is True
    )
    assert options.debug is True


def test_bad_override_values_and_names() -> None:
    """Overrides are validated like the file: a bad value or an unknown flag is a ConfigError."""
    options = RunOptions.from_dict(BASE)
    with pytest.raises(ConfigError, match="command-line overrides: env_settings.num_envs: must be >= 1"):
        options.with_cli_overrides(num_envs=0)
    with pytest.raises(ConfigError, match="checkpoint_settings.run_id"):
        options.with_cli_overrides(run_id="../../etc")
    with pytest.raises(ConfigError, match="unknown override 'num_env'"):
        options.with_cli_overrides(num_env=2)


def test_run_dir_properties() -> None:
    """run_dir and init_dir join results_dir with the run ids."""
    options = RunOptions.from_dict(BASE).with_cli_overrides(initialize_from="old")
    assert options.checkpoint_settings.run_dir == Path("out") / "from_file"
    assert options.checkpoint_settings.init_dir == Path("out") / "old"


def test_from_dict_of_pipeline_overrides() -> None:
    """The pipeline builds options from a plain dict of overrides (RLTrainingConfig.mlagents_overrides)."""
    options = RunOptions.from_dict(
        {
            "behaviors": {
                "Nav": {"trainer_type": "sac", "hyperparameters": {"batch_size": 256, "buffer_size": 100000}}
            }
        },
        source="job.yaml mlagents_overrides",
    )
    assert options.behavior_settings("Nav").hyperparameters.batch_size == 256
    with pytest.raises(ConfigError, match="^job.yaml mlagents_overrides: unknown key"):
        RunOptions.from_dict({"behaviors": {"Nav": {"bogus": 1}}}, source="job.yaml mlagents_overrides")
