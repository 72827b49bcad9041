"""The ``offset`` vector item (WallJump's ``(position - ground.position) / 20``): simulator, checks, C#."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mlops_unity_pipeline.codegen.world import declared_layout, generate_world, render_world_project
from mlops_unity_pipeline.codegen.world.layout import refusals
from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.sim.world_env import REST_SINK, world_signature
from mlops_unity_pipeline.world import world_from_dict

GROUND = {
    "name": "Ground",
    "arena": {"size": [20, 20]},
    "entities": [{"name": "goal", "kind": "target", "tag": "goal", "spawn": {"at": [5, 5]}}],
    "agent": {
        "spawn": {"area": [[-8, -8], [8, 8]]},
        "sensors": [
            {
                "kind": "vector",
                "name": "VectorSensor_size4",
                "items": [
                    {"item": "offset", "origin": [1.0, -0.45, 2.0], "scale": 20.0},
                    {"item": "grounded"},
                ],
                "observation_stacks": 6,
            }
        ],
    },
    "rewards": [{"event": "reach", "what": "goal", "value": 1.0, "end": "terminated", "success": True}],
}


def test_offset_is_the_position_minus_origin_over_scale():
    """Each frame holds (x - 1, y + 0.45, z - 2) / 20 then grounded: WallJump's [4] x 6 stacks = [24]."""
    env = make_world(world_from_dict(GROUND), num_agents=8, seed=0)
    assert [s.shape for s in env.signature.observation_specs] == [(24,)]
    assert env.signature.observation_specs[0].name == "StackingSensor_size6_VectorSensor_size4"
    batch = env.reset()
    newest = batch.obs[0].reshape(8, 6, 4)[:, -1]
    p = env.agent_position
    expected = (p - [1.0, -0.45, 2.0]) / 20.0
    np.testing.assert_allclose(newest[:, :3], expected, atol=1e-6)
    np.testing.assert_allclose(newest[:, 1], (0.5 - REST_SINK + 0.45) / 20.0, atol=1e-6)
    np.testing.assert_array_equal(newest[:, 3], 1.0)
    assert np.ptp(newest[:, 0]) > 0.1  # the spawns differ, so does the item


@pytest.mark.parametrize("field", ["origin", "scale"])
def test_origin_and_scale_belong_to_offset_only(field):
    """origin or scale on another item is refused, naming the field."""
    data = copy.deepcopy(GROUND)
    data["agent"]["sensors"][0]["items"][1][field] = [0.0, 1.0, 0.0] if field == "origin" else 2.0
    with pytest.raises(SpecError, match=rf"agent\.sensors\[0\]\.items\[1\]\.{field}: only an offset item"):
        world_from_dict(data)


def test_codegen_writes_the_offset_item(tmp_path, mcs):
    """The C# adds the same three floats (local position minus origin over scale) and passes codegen check."""
    world = world_from_dict(GROUND)
    assert refusals(world) == []
    assert declared_layout(world) == world_signature(world)
    project = render_world_project(world)
    agent = project.files[f"Assets/Scripts/{project.class_name}.cs"]
    assert "(transform.localPosition.y - (-0.45f)) / 20.0f" in agent
    assert "(transform.localPosition.z - (2.0f)) / 20.0f" in agent
    result = generate_world(world, tmp_path)
    assert result.passed, [str(d) for c in result.checks for d in c.diagnostics]


def test_the_draft_bigwalljump_world_has_the_upstream_layout():
    """docs/worlds/BigWallJump.draft.yaml loads, runs, and declares what BigWallJump.onnx expects."""
    from pathlib import Path

    from mlops_unity_pipeline.sim import make
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
    from mlops_unity_pipeline.world import load_world
    from tests.conftest import anchor

    world = load_world(Path(__file__).parents[2] / "docs" / "worlds" / "BigWallJump.draft.yaml")
    env = make_world(world, num_agents=2, seed=0)
    assert env.signature == make("BigWallJump").signature  # [210], [210], [24]; branches 3, 3, 3, 2
    OnnxRuntimePolicy(anchor("models/BigWallJump.onnx"), env.signature)
    env.reset()
