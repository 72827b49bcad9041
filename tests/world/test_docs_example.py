"""The IR example in docs/simulator.md ("one example per feature") is a valid world."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from mlops_unity_pipeline.world import world_from_dict

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulator.md"


def test_docs_example_world_validates():
    """The YAML block that starts with ``format: 1`` in the docs loads and passes every semantic check."""
    blocks = re.findall(r"```yaml\n(format: 1\n.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1
    world = world_from_dict(yaml.safe_load(blocks[0]), "docs/simulator.md")
    kinds = {e.kind.value for e in world.entities}
    assert kinds == {"target", "collectible", "hazard", "obstacle", "block", "switch", "door", "cue", "actor"}
    assert {s.KIND.value for s in world.agent.sensors} == {
        "ray_perception",
        "vector",
        "grid",
        "camera",
        "buffer",
    }
    assert {r.event.value for r in world.rewards} == {
        "reach",
        "collect",
        "touch",
        "push_into_zone",
        "wrong_choice",
        "fall",
        "time_penalty",
        "shaping",
        "near",
        "cleared",
    }
