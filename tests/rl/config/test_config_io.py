"""Reading and writing configuration files: strict YAML, clear file errors, atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline.errors import ConfigError
from mlops_unity_pipeline.rl.config import (
    RunOptions,
    dump_run_options,
    dump_yaml,
    load_run_options,
    parse_yaml,
)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    """A missing path or a folder gives a ConfigError naming it."""
    with pytest.raises(ConfigError, match="nope.yaml: no such file"):
        load_run_options(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="is a folder"):
        load_run_options(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    """An empty file is refused with a hint of what is expected."""
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing\n")
    with pytest.raises(ConfigError, match="empty.yaml: the file is empty"):
        load_run_options(path)


def test_invalid_yaml_reports_line(tmp_path: Path) -> None:
    """A YAML syntax error names the file, line and column."""
    path = tmp_path / "broken.yaml"
    path.write_text("behaviors:\n  B:\n    max_steps: [1, 2\n")
    with pytest.raises(ConfigError, match=r"broken.yaml: invalid YAML at line \d+, column \d+"):
        load_run_options(path)


def test_duplicate_keys_are_refused() -> None:
    """PyYAML keeps the last duplicate silently; we refuse it with both lines."""
    with pytest.raises(ConfigError, match="duplicate key 'max_steps' at line 4 \\(first at line 3\\)"):
        parse_yaml("behaviors:\n  B:\n    max_steps: 10\n    max_steps: 20\n", "dup.yaml")


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    """A list at the top level is refused."""
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="list.yaml: configuration: expected a mapping"):
        load_run_options(path)


def test_python_tags_are_not_executed() -> None:
    """Only safe YAML: python object tags are refused."""
    with pytest.raises(ConfigError, match="invalid YAML"):
        parse_yaml("a: !!python/object/apply:os.system ['true']\n")


def test_unknown_key_error_starts_with_file_name(tmp_path: Path) -> None:
    """Errors from a file start with its path."""
    path = tmp_path / "bad.yaml"
    path.write_text("behaviors:\n  3DBall:\n    trainer_type: ppo\n    hyperparameters:\n      lr: 0.1\n")
    with pytest.raises(ConfigError) as info:
        load_run_options(path)
    assert str(info.value).startswith(f"{path}: unknown key 'lr' in behaviors.3DBall.hyperparameters")


def test_dump_is_atomic_and_round_trips(tmp_path: Path) -> None:
    """dump_run_options creates parents, leaves no temp file, and the file loads back equal."""
    options = RunOptions.from_dict(
        {
            "behaviors": {"B": {"trainer_type": "sac", "max_steps": 100}},
            "environment_parameters": {
                "c": 2.5,
                "m": {
                    "sampler_type": "multirangeuniform",
                    "sampler_parameters": {"intervals": [[0, 1], [2, 3]]},
                },
                "cur": {
                    "curriculum": [
                        {
                            "name": "a",
                            "value": {"sampler_type": "gaussian", "sampler_parameters": {"st_dev": 0.1}},
                            "completion_criteria": {"behavior": "B"},
                        },
                        {"name": "b", "value": 3},
                    ]
                },
            },
            "env_settings": {"env_args": ["-logFile", "-"]},
        }
    )
    path = dump_run_options(options, tmp_path / "deep" / "configuration.yaml")
    assert sorted(p.name for p in path.parent.iterdir()) == ["configuration.yaml"]
    assert load_run_options(path) == options
    written = yaml.safe_load(path.read_text())
    assert written["environment_parameters"]["c"] == {
        "sampler_type": "constant",
        "sampler_parameters": {"value": 2.5, "seed": -1},
    }
    assert written["environment_parameters"]["cur"]["curriculum"][1] == {
        "name": "b",
        "value": {"sampler_type": "constant", "sampler_parameters": {"value": 3.0, "seed": -1}},
    }
    assert written["env_settings"]["env_args"] == ["-logFile", "-"]
    assert dump_yaml(options) == path.read_text()
