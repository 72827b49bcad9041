"""Jumping, raised platforms and falling off an open arena in worlds (``sim.world_env``)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mlops_unity_pipeline.sim import accel, make_world
from mlops_unity_pipeline.sim.world_env import REST_SINK, WorldEnv, unsupported
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import world_from_dict

# A 1-high wall across the arena at z = 2, the flag behind it; a 1-high ledge (platform) in the south-west.
HOP = {
    "name": "Hop",
    "arena": {
        "size": [12, 12],
        "regions": [
            {
                "name": "ledge",
                "kind": "platform",
                "tag": "ledge",
                "center": [-4, -4],
                "size": [3, 3],
                "height": 1.0,
            }
        ],
    },
    "entities": [
        {
            "name": "wall_to_jump",
            "kind": "obstacle",
            "tag": "hurdle",
            "size": [12, 1, 1],
            "spawn": {"at": [0, 2]},
        },
        {"name": "flag", "kind": "target", "tag": "flag", "size": [1, 1, 1], "spawn": {"at": [0, 5]}},
    ],
    "agent": {
        "body": {"mass": 1, "drag": 2},
        "movement": {"motion": "velocity_change", "speed": 0.5, "jump_speed": 8.0},
        "spawn": {"at": [0, -1]},
        "yaw": 0,
        "sensors": [{"kind": "vector", "name": "Vec", "items": [{"item": "grounded"}, {"item": "position"}]}],
        "actions": {
            "discrete": [
                {"choices": ["none", "north", "south", "east", "west"]},
                {"choices": ["none", "jump"]},
            ]
        },
    },
    "rewards": [{"event": "reach", "what": "flag", "value": 1.0, "end": "terminated", "success": True}],
    "max_step": 2000,
    "decision_period": 5,
}

# An open platform (no walls): walking off its edge falls below fall_height.
EDGE = copy.deepcopy(HOP)
EDGE["name"] = "Edge"
EDGE["arena"] = {"size": [6, 6], "walls": None, "fall_height": -1.0}
EDGE["entities"] = [EDGE["entities"][1]]
EDGE["entities"][0]["spawn"] = {"at": [0, 2.5]}
EDGE["agent"]["spawn"] = {"at": [0, 0]}
EDGE["rewards"] = [
    {"event": "fall", "value": -1.0, "end": "terminated"},
    {"event": "reach", "what": "flag", "value": 1.0, "end": "terminated", "success": True},
]

NORTH, SOUTH, EAST, WEST = 1, 2, 3, 4


def _act(env: WorldEnv, move: int, jump: bool = False) -> ActionTuple:
    n = env.num_agents
    return ActionTuple(np.zeros((n, 0), np.float32), np.tile(np.int32([move, int(jump)]), (n, 1)))


def test_a_wall_stops_the_agent_until_it_jumps_over():
    """Walking north stops at the 1-high wall; a jump (8 u/s up; gravity and drag 2 slow it) carries it over
    to the flag behind; the grounded item is 1 on the floor and 0 in the air."""
    env = make_world(world_from_dict(HOP), num_agents=1, seed=0)
    assert unsupported(env.world) == []
    batch = env.reset()
    assert batch.obs[0][0, 0] == 1.0
    for _ in range(30):
        batch = env.step(_act(env, NORTH))
    assert env.agent_position[0, 2] == pytest.approx(2.0 - 0.5 - 0.5, abs=1e-6)
    airborne = False
    for _ in range(60):
        batch = env.step(_act(env, NORTH, jump=True))
        airborne |= batch.obs[0][0, 0] == 0.0
        if batch.terminated[0]:
            break
    assert airborne and batch.terminated[0] and batch.success[0]


def test_the_agent_stands_on_a_platform_and_drops_off_its_edge():
    """Jumping onto the 1-high ledge, the agent rests on its top (y = 1 + 0.5 - REST_SINK); walking off the
    edge it falls back to the floor."""
    env = make_world(world_from_dict(HOP), num_agents=1, seed=0)
    env.reset()
    for _ in range(40):  # west, then south onto the ledge at (-4, -4)
        env.step(_act(env, WEST))
    for _ in range(12):
        env.step(_act(env, SOUTH, jump=True))
    for _ in range(10):
        batch = env.step(_act(env, 0))
    x, y, z = env.agent_position[0]
    assert -5.5 - 0.5 < x < -2.5 + 0.5 and -5.5 - 0.5 < z < -2.5 + 0.5, (x, z)
    assert y == pytest.approx(1.0 + 0.5 - REST_SINK, abs=1e-6) and batch.obs[0][0, 0] == 1.0
    for _ in range(20):
        env.step(_act(env, NORTH))
    assert env.agent_position[0, 2] > -2.5 + 0.5
    assert env.agent_position[0, 1] == pytest.approx(0.5 - REST_SINK, abs=1e-6)


def test_walking_off_an_open_arena_falls():
    """No walls: past the edge nothing holds the agent; below fall_height the fall event ends the episode
    (terminated, -1, no success); inside the edge it never fires."""
    env = make_world(world_from_dict(EDGE), num_agents=1, seed=0)
    env.reset()
    fell, left = None, None
    for t in range(100):
        batch = env.step(_act(env, SOUTH))
        if left is None and env.agent_position[0, 2] < -3.0:
            left = t
        if batch.terminated[0]:
            fell = t
            break
    assert left is not None and fell is not None and fell > left
    assert not batch.success[0] and batch.reward[0] == pytest.approx(-1.0)


def test_jump_refusals_name_their_field():
    """A kinematic agent cannot jump (refused by name); a block on an open platform is supported."""
    data = copy.deepcopy(HOP)
    data["agent"]["movement"]["motion"] = "set_velocity"
    assert any(
        "jump with movement.motion set_velocity" in line for line in unsupported(world_from_dict(data))
    )
    data = copy.deepcopy(EDGE)
    data["entities"].append({"name": "crate", "kind": "block", "body": {"mass": 1}, "spawn": {"at": [2, -2]}})
    assert unsupported(world_from_dict(data)) == []  # a block on an open platform falls off its edges


@pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
@pytest.mark.parametrize("data", [HOP, EDGE], ids=["hop", "edge"])
def test_compiled_and_numpy_paths_agree_on_jumps_and_falls(data):
    """Random moves and jumps over the wall, onto the ledge and off the edge: both paths agree."""
    world = world_from_dict(data)
    fast, slow = WorldEnv(world, 16, seed=3), WorldEnv(world, 16, seed=3)
    slow.compiled = False
    fast.reset(), slow.reset()
    rng = np.random.default_rng(0)
    ended = 0
    for t in range(200):
        actions = ActionTuple(
            np.zeros((16, 0), np.float32),
            np.stack([rng.integers(0, 5, 16), rng.integers(0, 2, 16)], axis=1).astype(np.int32),
        )
        a, b = fast.step(actions), slow.step(actions)
        np.testing.assert_allclose(a.obs[0], b.obs[0], atol=1e-5, err_msg=f"obs at {t}")
        np.testing.assert_allclose(a.reward, b.reward, atol=1e-6)
        np.testing.assert_array_equal(a.terminated, b.terminated)
        ended += int(a.terminated.sum())
    np.testing.assert_allclose(fast.agent_position, slow.agent_position, atol=1e-6)
    assert (fast.agent_position[:, 1] > 0.6).any() or ended  # something jumped or ended


def test_codegen_writes_jumps_platforms_and_falls_with_the_simulators_layout():
    """The C# generator writes jumps, platforms, open arenas, falls and the grounded item (no refusal)."""
    from mlops_unity_pipeline.codegen.world import declared_layout
    from mlops_unity_pipeline.codegen.world.layout import refusals
    from mlops_unity_pipeline.sim.world_env import world_signature

    for data in (HOP, EDGE):
        world = world_from_dict(data)
        assert refusals(world) == []
        assert declared_layout(world) == world_signature(world)
