"""``movement.strafe_replaces_forward`` (WallJump's ``MoveAgent``): simulator (both paths) and the C#."""

from __future__ import annotations

import copy

import numpy as np

from mlops_unity_pipeline.codegen.world import generate_world, render_world_project
from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import world_from_dict

FIELD = {
    "name": "Field",
    "arena": {"size": [40, 40]},
    "entities": [{"name": "goal", "kind": "target", "tag": "goal", "spawn": {"at": [15, 15]}}],
    "agent": {
        "body": {"mass": 1, "drag": 2},
        "movement": {"motion": "velocity_change", "speed": 0.5, "strafe_scale": 0.6},
        "spawn": {"at": [0, 0]},
        "yaw": 0,
        "sensors": [{"kind": "vector", "name": "Vec", "items": [{"item": "position"}]}],
        "actions": {
            "discrete": [
                {"choices": ["none", "forward", "back"]},
                {"choices": ["none", "strafe_left", "strafe_right"]},
            ]
        },
    },
    "rewards": [{"event": "reach", "what": "goal", "value": 1.0, "end": "terminated", "success": True}],
}


def _moved(data: dict, compiled: bool) -> np.ndarray:
    env = make_world(world_from_dict(data), num_agents=1, seed=0)
    env.compiled = compiled and env.compiled
    env.reset()
    for _ in range(5):  # forward and strafe right together
        env.step(ActionTuple(np.zeros((1, 0), np.float32), np.int32([[1, 2]])))
    return env.agent_position[0, 0::2].copy()


def test_a_strafe_replaces_the_forward_move_in_both_paths():
    """With the flag, forward + strafe right moves only right (x); without it, both (x and z)."""
    flagged = copy.deepcopy(FIELD)
    flagged["agent"]["movement"]["strafe_replaces_forward"] = True
    for compiled in (True, False):
        x, z = _moved(flagged, compiled)
        assert x > 0.5 and abs(z) < 1e-9
        x2, z2 = _moved(FIELD, compiled)
        assert x2 > 0.5 and z2 > 0.5
    np.testing.assert_allclose(_moved(flagged, True), _moved(flagged, False), atol=1e-9)


def test_codegen_writes_the_strafe_override_only_when_asked(tmp_path, mcs):
    """The C# zeroes the forward move while strafing exactly when the world asks; it passes codegen check."""
    flagged = copy.deepcopy(FIELD)
    flagged["agent"]["movement"]["strafe_replaces_forward"] = True
    line = "if (move[0] != 0f)"
    for data, present in ((flagged, True), (FIELD, False)):
        project = render_world_project(world_from_dict(data))
        assert (line in project.files[f"Assets/Scripts/{project.class_name}.cs"]) == present
    result = generate_world(world_from_dict(flagged), tmp_path)
    assert result.passed, [str(d) for c in result.checks for d in c.diagnostics]
