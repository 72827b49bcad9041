"""World files: YAML and JSON read the same; file problems are one clear SpecError naming the file."""

from __future__ import annotations

import json

import pytest
import yaml

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.world import library_worlds, load_world, world_from_dict

from .conftest import base_world


def test_yaml_and_json_give_the_same_world(tmp_path):
    """The same document as YAML and as JSON loads to equal worlds."""
    (tmp_path / "w.yaml").write_text(yaml.safe_dump(base_world()))
    (tmp_path / "w.json").write_text(json.dumps(base_world()))
    assert load_world(tmp_path / "w.yaml") == load_world(tmp_path / "w.json") == world_from_dict(base_world())


def test_error_names_the_file(tmp_path):
    """A bad field is reported with the file's path in front of the field path."""
    data = base_world()
    data["decision_period"] = 0
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(SpecError, match=r"bad\.yaml: decision_period: must be in \[1, 100\]"):
        load_world(path)


def test_missing_and_oversized_files(tmp_path):
    """A missing file and a file over the input bound are refused before parsing."""
    with pytest.raises(SpecError, match="nope.yaml"):
        load_world(tmp_path / "nope.yaml")
    big = tmp_path / "big.yaml"
    big.write_text("name: x\n" + "#" * 1_100_000)
    with pytest.raises(SpecError, match="more than the 1000000 accepted"):
        load_world(big)


def test_top_level_must_be_a_mapping(tmp_path):
    """A list at the top level is refused."""
    with pytest.raises(SpecError, match="expected a mapping at the top level"):
        load_world("w.yaml", text="- 1\n- 2\n")


def test_library_pushblock_loads():
    """The shipped PushBlock world loads and has ML-Agents' PushBlock behavior (names, sizes, actions)."""
    world = load_world(library_worlds()["PushBlock"])
    assert world.behavior_name == "PushBlock"
    assert [s.name for s in world.agent.sensors] == ["OffsetRayPerceptionSensor", "RayPerceptionSensor"]
    assert [s.observation_size for s in world.agent.sensors] == [105, 105]
    assert len(world.agent.actions.discrete[0].choices) == 7
    assert (world.max_step, world.decision_period) == (5000, 5)
