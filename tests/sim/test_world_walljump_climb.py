"""Agents stand on blocks and jump from them (WallJump's climb) in worlds (``sim.world_env``, both paths)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mlops_unity_pipeline.sim import accel, make_world
from mlops_unity_pipeline.sim.world_env import REST_SINK, WorldEnv, unsupported
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import world_from_dict

# A 1.6-high wall across the arena at z = 2, too high to jump from the floor (a jump rises about 1.3); a
# heavy 1-high block against its south face to climb; the flag behind the wall.
CLIMB = {
    "name": "Climb",
    "arena": {"size": [12, 12], "gravity": 9.81},
    "entities": [
        {
            "name": "wall",
            "kind": "obstacle",
            "tag": "wall_high",
            "size": [12, 1.6, 1],
            "spawn": {"at": [0, 2]},
        },
        {
            "name": "crate",
            "kind": "block",
            "tag": "block",
            "size": [3, 1, 2],
            "body": {"mass": 1000, "drag": 50},
            "spawn": {"at": [0, 0.5]},
        },
        {"name": "flag", "kind": "target", "tag": "flag", "size": [12, 1, 1], "spawn": {"at": [0, 4.5]}},
    ],
    "agent": {
        "body": {"mass": 1, "drag": 0.5},
        "movement": {"motion": "velocity_change", "speed": 0.3, "jump_speed": 5.0},
        "spawn": {"at": [0, -4]},
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
    "max_step": 4000,
    "decision_period": 5,
}
NO_CRATE = copy.deepcopy(CLIMB)
NO_CRATE["name"] = "NoCrate"
NO_CRATE["entities"] = [CLIMB["entities"][0], CLIMB["entities"][2]]
NORTH, SOUTH = 1, 2
ON_BLOCK = (1.0 - REST_SINK) + 0.5 - REST_SINK
"""The agent's centre standing on the 1-high block, which itself rests REST_SINK into the floor."""


def _act(env: WorldEnv, move: int, jump: bool = False) -> ActionTuple:
    n = env.num_agents
    return ActionTuple(np.zeros((n, 0), np.float32), np.tile(np.int32([move, int(jump)]), (n, 1)))


def _run_north_jumping(env: WorldEnv, decisions: int) -> tuple[bool, float]:
    """Head north jumping whenever grounded; return whether the flag was reached and the highest bottom."""
    highest = 0.0
    for _ in range(decisions):
        batch = env.step(_act(env, NORTH, jump=True))
        highest = max(highest, float(env.agent_position[0, 1]) - 0.5)
        if batch.terminated[0]:
            return bool(batch.success[0]), highest
    return False, highest


def test_the_agent_climbs_the_block_and_jumps_over_the_wall_from_it():
    """Jumping north: onto the block, then from its top over the 1.6 wall to the flag."""
    env = make_world(world_from_dict(CLIMB), num_agents=1, seed=0)
    assert unsupported(env.world) == []
    env.reset()
    reached, highest = _run_north_jumping(env, 80)
    assert reached and highest > 1.6


def test_without_the_block_the_wall_is_too_high():
    """Negative control: the same jumps from the floor never clear the wall (the flag is never reached)."""
    env = make_world(world_from_dict(NO_CRATE), num_agents=1, seed=0)
    env.reset()
    reached, highest = _run_north_jumping(env, 80)
    assert not reached and 1.0 < highest < 1.6
    assert env.agent_position[0, 2] < 2.0 - 0.5 - 0.5 + 1e-6  # stopped at the wall's south face


def test_the_agent_rests_on_the_block_top_and_is_grounded_there():
    """On the block (sunk REST_SINK into the floor) the agent rests at its top + 0.5 - REST_SINK, grounded."""
    env = make_world(world_from_dict(CLIMB), num_agents=1, seed=0)
    env.reset()
    for _ in range(30):  # north, jumping, until over the block (z -0.5 .. 1.5)
        env.step(_act(env, NORTH, jump=True))
        if env.agent_position[0, 2] > 0.0:
            env.agent_velocity[0, 0::2] = 0.0  # stop over the block (onward it would land on the wall)
            break
    for _ in range(10):
        batch = env.step(_act(env, 0))
    assert env.agent_position[0, 1] == pytest.approx(ON_BLOCK, abs=1e-6)
    assert batch.obs[0][0, 0] == 1.0
    assert abs(env.entity_position[0, 1, 2] - 0.5) < 0.05
    for _ in range(20):  # walking south off the block's edge drops back to the floor
        env.step(_act(env, SOUTH))
    assert env.agent_position[0, 1] == pytest.approx(0.5 - REST_SINK, abs=1e-6)


@pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
def test_compiled_and_numpy_paths_agree_on_climbing_blocks():
    """Random moves and jumps on, off and against a light block: both paths give equal trajectories."""
    data = copy.deepcopy(CLIMB)
    data["entities"][1]["body"] = {"mass": 20, "drag": 1}  # pushes and climbs both happen
    data["entities"][1]["spawn"] = {"area": [[-3, -2], [3, 0]]}
    world = world_from_dict(data)
    fast, slow = WorldEnv(world, 16, seed=3), WorldEnv(world, 16, seed=3)
    slow.compiled = False
    fast.reset(), slow.reset()
    rng = np.random.default_rng(0)
    on_block = 0
    for t in range(300):
        actions = ActionTuple(
            np.zeros((16, 0), np.float32),
            np.stack([rng.choice(5, 16, p=[0.1, 0.5, 0.1, 0.15, 0.15]), rng.integers(0, 2, 16)], 1).astype(
                np.int32
            ),
        )
        a, b = fast.step(actions), slow.step(actions)
        np.testing.assert_allclose(a.obs[0], b.obs[0], atol=1e-5, err_msg=f"obs at {t}")
        np.testing.assert_allclose(a.reward, b.reward, atol=1e-6)
        np.testing.assert_array_equal(a.terminated, b.terminated)
        on_block += int((np.abs(fast.agent_position[:, 1] - ON_BLOCK) < 1e-6).sum())
    np.testing.assert_allclose(fast.agent_position, slow.agent_position, atol=1e-6)
    np.testing.assert_allclose(fast.entity_position, slow.entity_position, atol=1e-6)
    assert on_block > 20 and np.abs(fast.entity_position[:, 1, 0::2] - [0, -1]).max() > 0.5  # climbed, pushed
