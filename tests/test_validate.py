"""Hostile input: every user file is bounded, ids are matched in full, errors echo only a short prefix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_unity_pipeline import _validate
from mlops_unity_pipeline.errors import ConfigError, SpecError
from mlops_unity_pipeline.rl.config import RunOptions, load_run_options, parse_yaml
from mlops_unity_pipeline.rl.results import validate_run_id
from mlops_unity_pipeline.specs import TrainingJob, UnityAssetSpec, load_job, validate_id

# Nine levels of ten aliases each: 10**9 leaves once expanded, 1 kB on disk.
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)


def _job_yaml(job_id: str = "j1") -> str:
    return f"job_id: {job_id}\nasset_spec: {{asset_id: a1, name: Agent}}\n"


def test_billion_laughs_job_file_is_refused_fast(tmp_path: Path) -> None:
    """A billion-laughs job file is refused from its node graph (never expanded), with a short message."""
    path = tmp_path / "job.yaml"
    path.write_text(
        _job_yaml()
        + "rl_config:\n  mlagents_overrides:\n"
        + "".join("    " + line + "\n" for line in BILLION_LAUGHS.splitlines())
    )
    with pytest.raises(SpecError, match="expands to more than") as info:
        load_job(path)
    assert len(str(info.value)) < 300


def test_billion_laughs_trainer_config_error_is_short() -> None:
    """The trainer config loader refuses aliases expanding past the bound (its error was built from them)."""
    with pytest.raises(ConfigError, match="expands to more than") as info:
        parse_yaml("behaviors:\n  x:\n" + "".join(f"    {line}\n" for line in BILLION_LAUGHS.splitlines()))
    assert len(str(info.value)) < 300


def test_small_aliases_still_load() -> None:
    """Anchors and aliases that expand to a small document are fine (ML-Agents configs use them)."""
    data = parse_yaml("base: &b {batch_size: 64}\nother: *b\n")
    assert data == {"base": {"batch_size": 64}, "other": {"batch_size": 64}}


def test_recursive_alias_is_refused() -> None:
    """An alias to its own anchor is a clear error, not an endless walk."""
    with pytest.raises(SpecError, match="refers to itself"):
        _validate.parse_yaml("a: &a [1, *a]\n", "x.yaml")


def test_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    """A file over the size limit is refused by its size, naming the file and the limit."""
    path = tmp_path / "big.yaml"
    with open(path, "wb") as handle:
        handle.truncate(_validate.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(SpecError, match=r"big.yaml: \d+ bytes, more than the 1000000"):
        load_job(path)
    with pytest.raises(ConfigError, match="more than the 1000000"):
        load_run_options(path)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_deep_nesting_is_an_error_not_a_traceback(tmp_path: Path, suffix: str) -> None:
    """Deep nesting gives a SpecError naming the file (it was a RecursionError traceback)."""
    path = tmp_path / f"deep{suffix}"
    path.write_text('{"job_id": ' + "[" * 5000 + "]" * 5000 + "}")
    with pytest.raises(SpecError, match=rf"deep\{suffix}: nested more than"):
        load_job(path)
    shallow = tmp_path / f"shallow{suffix}"
    shallow.write_text('{"job_id": ' + "[" * 100 + "]" * 100 + "}")
    with pytest.raises(SpecError, match="nested more than 64 levels"):
        load_job(shallow)


def test_duplicate_keys_are_refused_in_job_files(tmp_path: Path) -> None:
    """A duplicate key in a job file is named with its line (PyYAML kept the last one silently)."""
    path = tmp_path / "job.yaml"
    path.write_text(_job_yaml() + "job_id: j2\n")
    with pytest.raises(SpecError, match="duplicate key 'job_id' at line 3"):
        load_job(path)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("network_settings", {"hidden_units": 100_000_000}),
        ("network_settings", {"num_layers": 10_000}),
        ("hyperparameters", {"buffer_size": 10**12, "batch_size": 64}),
        ("network_settings", {"memory": {"memory_size": 10**9}}),
        ("time_horizon", 10**9),
    ],
)
def test_sizes_that_allocate_memory_are_bounded(field: str, value: object) -> None:
    """``hidden_units: 1e8`` and friends fail ``config check`` naming the field (they crashed ``learn``)."""
    with pytest.raises(ConfigError, match=r"must be <= \d+") as info:
        RunOptions.from_dict({"behaviors": {"B": {"trainer_type": "ppo", field: value}}})
    assert "behaviors.B." in str(info.value)


def test_num_envs_is_bounded() -> None:
    """``env_settings.num_envs`` cannot ask for a million environments."""
    with pytest.raises(ConfigError, match=r"env_settings.num_envs: must be <= 1024"):
        RunOptions.from_dict({"behaviors": {"B": {}}, "env_settings": {"num_envs": 10**6}})


def test_upstream_sizes_stay_accepted() -> None:
    """The largest sizes in ML-Agents' own configs are within the bounds."""
    RunOptions.from_dict(
        {
            "behaviors": {
                "B": {
                    "trainer_type": "sac",
                    "hyperparameters": {"buffer_size": 2_000_000, "batch_size": 2048},
                    "network_settings": {"hidden_units": 512, "num_layers": 4},
                    "time_horizon": 1000,
                }
            }
        }
    )


@pytest.mark.parametrize("bad", ["job\n", "job\r", "\njob", "a/b", "..", "a..b", ".hidden", "x" * 129, ""])
def test_ids_are_matched_in_full(bad: str) -> None:
    """Ids with a trailing newline (accepted by ``re.match`` + ``$``) and other unsafe ids are refused."""
    with pytest.raises(SpecError):
        validate_id(bad, "job_id")
    with pytest.raises(ConfigError):
        validate_run_id(bad)
    with pytest.raises(ConfigError):
        RunOptions.from_dict({"behaviors": {"B": {}}, "checkpoint_settings": {"run_id": bad}})
    with pytest.raises(SpecError):
        TrainingJob(job_id=bad, asset_spec=UnityAssetSpec(asset_id="a", name="A"))


def test_trailing_newline_in_asset_name_is_refused() -> None:
    """The asset name becomes a C# class name: a trailing newline is refused too."""
    with pytest.raises(SpecError, match="asset_spec.name"):
        UnityAssetSpec(asset_id="a", name="Agent\n")


def test_long_id_is_not_echoed_in_full(tmp_path: Path) -> None:
    """A 10k-character id is named by a short prefix only."""
    with pytest.raises(SpecError) as info:
        validate_id("x" * 10_000, "job_id")
    assert len(str(info.value)) < 300
    path = tmp_path / "job.json"
    path.write_text(json.dumps({"job_id": "y" * 10_000, "asset_spec": {"asset_id": "a", "name": "A"}}))
    with pytest.raises(SpecError) as info:
        load_job(path)
    assert len(str(info.value)) < 400 + len(str(path))


def test_short_cuts_long_values() -> None:
    """``short`` keeps short values intact and cuts long ones, saying so."""
    assert _validate.short("abc") == "'abc'"
    assert _validate.short("z" * 10_000).endswith("…(longer)")
    assert len(_validate.short("z" * 10_000)) < 80
    assert _validate.short(list(range(1000))) == "<list of 1000 items>"


def test_deep_merge_does_not_share_state() -> None:
    """The one ``deep_merge`` merges nested mappings and copies, so later edits do not leak back."""
    base = {"a": {"b": 1, "c": [1]}, "d": 1}
    merged = _validate.deep_merge(base, {"a": {"b": 2}, "e": 3})
    assert merged == {"a": {"b": 2, "c": [1]}, "d": 1, "e": 3}
    merged["a"]["c"].append(2)
    assert base["a"]["c"] == [1]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"observation_space": {"raycast": 10**9}}, "asset_spec.observation_space.raycast: must be <= 65536"),
        ({"action_space": {"type": "continuous", "size": 10**7}}, "asset_spec.action_space.size: must be <="),
        ({"action_space": {"type": "discrete", "branches": [5, 10**7]}}, r"branches\[1\]: must be <= 1024"),
        ({"action_space": {"type": "discrete", "branches": [2] * 5000}}, "at most 1024 branch sizes"),
    ],
)
def test_asset_spec_sizes_are_bounded(changes: dict, field: str) -> None:
    """Observation and action sizes in an asset spec have upper bounds named in the error."""
    with pytest.raises(SpecError, match=field):
        UnityAssetSpec(asset_id="a", name="A", **changes)
