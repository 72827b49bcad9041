"""Every upstream ML-Agents Release 22 configuration loads, and what we write loads back equal."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline.rl.config import (
    RunOptions,
    TrainerType,
    dump_run_options,
    dump_yaml,
    load_run_options,
)
from tests.conftest import ANCHORS_DIR

CONFIG_DIR = ANCHORS_DIR / "config"
ANCHOR_FILES = sorted(CONFIG_DIR.rglob("*.yaml")) if CONFIG_DIR.is_dir() else []
NO_ANCHORS = "the upstream configs ../shared/anchors/mlagents/config are not on this machine"
IDS = [str(p.relative_to(CONFIG_DIR)) for p in ANCHOR_FILES]
PARAMS = ANCHOR_FILES or [
    pytest.param(None, marks=pytest.mark.skip(reason="../shared/anchors/mlagents is absent"))
]


def _keys(tree: object, prefix: str = "") -> set[str]:
    """Every dotted key path of a nested mapping, with behavior and parameter names replaced by '*'."""
    out: set[str] = set()
    if isinstance(tree, dict):
        for key, value in tree.items():
            name = "*" if prefix in ("behaviors", "environment_parameters") else str(key)
            path = f"{prefix}.{name}" if prefix else name
            out.add(path)
            out |= _keys(value, path)
    elif isinstance(tree, list):
        for item in tree:
            out |= _keys(item, prefix + "[]")
    return out


def test_all_39_anchor_configs_are_present(anchors_dir: Path) -> None:
    """The anchors folder holds the 39 upstream configs (ppo, sac, poca, imitation)."""
    assert len(ANCHOR_FILES) == 39
    assert {p.parent.name for p in ANCHOR_FILES} == {"ppo", "sac", "poca", "imitation"}


@pytest.mark.parametrize("path", PARAMS, ids=IDS or None)
def test_anchor_loads_and_round_trips(path: Path, tmp_path: Path) -> None:
    """The file loads; to_dict → YAML file → load gives an equal RunOptions."""
    options = load_run_options(path)
    raw = yaml.safe_load(path.read_text())
    assert set(options.behaviors) == set(raw.get("behaviors", {}))
    written = dump_run_options(options, tmp_path / "configuration.yaml")
    again = load_run_options(written)
    assert again == options
    assert again.to_dict() == options.to_dict()


@pytest.mark.parametrize("path", PARAMS, ids=IDS or None)
def test_written_yaml_uses_only_upstream_keys(path: Path) -> None:
    """The written YAML keeps every key of the upstream file and adds only keys of the R22 schema."""
    options = load_run_options(path)
    written = yaml.safe_load(dump_yaml(options))
    original_keys = _keys(yaml.safe_load(path.read_text()))
    written_keys = _keys(written)
    # Every key the user wrote survives (default_settings is merged into behaviors, so compare those too).
    missing = {k for k in original_keys - written_keys if not k.startswith("default_settings")}
    assert not missing
    # Enum values are lowercase strings, never Python reprs.
    for settings in written["behaviors"].values():
        assert settings["trainer_type"] in {t.value for t in TrainerType}
        assert settings["network_settings"]["vis_encode_type"].islower()
    assert "!!python" not in dump_yaml(options)


def test_3dball_values_match_the_reference_table() -> None:
    """ppo/3DBall.yaml gives the upstream figures (batch 64, buffer 12000, 128x2, normalize, beta 0.001)."""
    options = (
        load_run_options(CONFIG_DIR / "ppo" / "3DBall.yaml") if ANCHOR_FILES else pytest.skip(NO_ANCHORS)
    )
    ball = options.behavior_settings("3DBall")
    hp = ball.hyperparameters
    assert ball.trainer_type is TrainerType.PPO
    assert (hp.batch_size, hp.buffer_size, hp.beta, hp.lambd) == (64, 12000, 0.001, 0.99)
    assert (ball.network_settings.hidden_units, ball.network_settings.num_layers) == (128, 2)
    assert ball.network_settings.normalize is True
    assert (ball.max_steps, ball.time_horizon, ball.summary_freq) == (500000, 1000, 12000)


def test_sac_pyramids_float_steps_and_gail() -> None:
    """sac/Pyramids.yaml: steps_per_update 10.0 stays a float; GAIL keeps its demo_path and use_actions."""
    if not ANCHOR_FILES:
        pytest.skip(NO_ANCHORS)
    options = load_run_options(CONFIG_DIR / "sac" / "Pyramids.yaml")
    pyramids = options.behaviors["Pyramids"]
    assert pyramids.hyperparameters.steps_per_update == 10.0
    assert pyramids.hyperparameters.reward_signal_steps_per_update == 10.0
    gail = pyramids.reward_signals[next(k for k in pyramids.reward_signals if k.value == "gail")]
    assert gail.use_actions is True
    assert gail.demo_path.endswith("ExpertPyramid.demo")


def test_imitation_pyramids_max_steps_string_is_parsed() -> None:
    """imitation/Pyramids.yaml writes max_steps 1.0e7, which PyYAML reads as a string: int(float(v))."""
    if not ANCHOR_FILES:
        pytest.skip(NO_ANCHORS)
    path = CONFIG_DIR / "imitation" / "Pyramids.yaml"
    assert yaml.safe_load(path.read_text())["behaviors"]["Pyramids"]["max_steps"] == "1.0e7"
    options = load_run_options(path)
    assert options.behaviors["Pyramids"].max_steps == 10_000_000
    assert options.behaviors["Pyramids"].behavioral_cloning.steps == 150000


def test_match3_default_settings_are_merged() -> None:
    """ppo/Match3.yaml: behaviors inherit default_settings (lambd 0.99, match3 encoder, time_horizon 128)."""
    if not ANCHOR_FILES:
        pytest.skip(NO_ANCHORS)
    options = load_run_options(CONFIG_DIR / "ppo" / "Match3.yaml")
    simple = options.behavior_settings("Match3SimpleHeuristic")
    assert simple.hyperparameters.lambd == 0.99
    assert simple.hyperparameters.batch_size == 16
    assert simple.network_settings.vis_encode_type.value == "match3"
    assert simple.network_settings.hidden_units == 4
    assert simple.time_horizon == 128
    assert simple.hyperparameters.learning_rate_schedule.value == "constant"
    # A behavior not listed falls back to default_settings.
    assert options.behavior_settings("SomethingElse") == options.default_settings


def test_soccer_self_play_values() -> None:
    """poca/SoccerTwos.yaml: POCA with self-play save_steps 50000 and team_change 200000."""
    if not ANCHOR_FILES:
        pytest.skip(NO_ANCHORS)
    soccer = load_run_options(CONFIG_DIR / "poca" / "SoccerTwos.yaml").behaviors["SoccerTwos"]
    assert soccer.trainer_type is TrainerType.POCA
    assert soccer.self_play is not None
    assert (soccer.self_play.save_steps, soccer.self_play.team_change) == (50000, 200000)


def test_hallway_memory() -> None:
    """ppo/Hallway.yaml: an LSTM with memory_size 128 and sequence_length 64."""
    if not ANCHOR_FILES:
        pytest.skip(NO_ANCHORS)
    hallway = load_run_options(CONFIG_DIR / "ppo" / "Hallway.yaml").behaviors["Hallway"]
    assert hallway.network_settings.memory is not None
    assert (hallway.network_settings.memory.memory_size, hallway.network_settings.memory.sequence_length) == (
        128,
        64,
    )


def test_from_dict_of_to_dict_is_identity_for_defaults() -> None:
    """An empty configuration resolves to the documented defaults and round-trips."""
    options = RunOptions.from_dict({})
    assert options.env_settings.base_port == 5005
    assert options.engine_settings.width == 84
    assert options.checkpoint_settings.run_id == "ppo"
    assert RunOptions.from_dict(options.to_dict()) == options
