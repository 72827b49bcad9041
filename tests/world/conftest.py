"""A small valid world as plain data, for tests to break one field at a time."""

from __future__ import annotations

import copy
from typing import Any

import pytest


def base_world() -> dict[str, Any]:
    """Return a minimal valid world: a walled arena, a target, an agent with rays and a vector sensor."""
    return {
        "name": "Fetch",
        "arena": {
            "size": [10, 10],
            "regions": [{"name": "pad", "kind": "goal", "tag": "pad", "center": [0, 4], "size": [2, 1]}],
        },
        "entities": [
            {"name": "goal", "kind": "target", "tag": "target", "shape": "sphere", "size": [1, 1, 1]},
            {"name": "coin", "kind": "collectible", "value": 1.0, "count": 3},
            {"name": "crate", "kind": "block", "body": {"mass": 2, "drag": 0.5}},
        ],
        "agent": {
            "sensors": [
                {"kind": "ray_perception", "name": "Rays", "detectable_tags": ["target", "wall"]},
                {
                    "kind": "vector",
                    "name": "Vec",
                    "items": [{"item": "velocity"}, {"item": "direction_to", "of": "target"}],
                },
            ],
        },
        "rewards": [
            {"event": "reach", "what": "target", "value": 1.0, "end": "terminated", "success": True},
            {"event": "time_penalty", "value": -1.0},
        ],
        "max_step": 1000,
    }


@pytest.fixture
def world_data() -> dict[str, Any]:
    """A fresh copy of ``base_world()``."""
    return copy.deepcopy(base_world())
