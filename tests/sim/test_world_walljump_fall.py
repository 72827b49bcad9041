"""Blocks on an open platform fall off its edges and their fall is an event (WallJump's block; both paths)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mlops_unity_pipeline.codegen.world.layout import refusals
from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import accel, make_world
from mlops_unity_pipeline.sim.world_env import WorldEnv, unsupported
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import world_from_dict

# An open 8 x 8 platform: the block 2 north of the agent, the north edge at z = 4.
LEDGE = {
    "name": "Ledge",
    "arena": {"size": [8, 8], "walls": None, "fall_height": -1.0},
    "entities": [
        {
            "name": "crate",
            "kind": "block",
            "tag": "block",
            "size": [2, 1, 2],
            "body": {"mass": 1, "drag": 0.5},
            "spawn": {"at": [0, 1.5]},
        }
    ],
    "agent": {
        "body": {"mass": 10, "drag": 2},
        "movement": {"motion": "velocity_change", "speed": 0.5},
        "spawn": {"at": [0, -1]},
        "yaw": 0,
        "sensors": [{"kind": "vector", "name": "Vec", "items": [{"item": "position"}]}],
        "actions": {"discrete": [{"choices": ["none", "north", "south", "east", "west"]}]},
    },
    "rewards": [
        {"event": "fall", "what": "block", "value": -1.0, "end": "terminated"},
        {"event": "fall", "value": -1.0, "end": "terminated"},
    ],
    "max_step": 2000,
    "decision_period": 5,
}
NORTH = 1


def _act(env: WorldEnv, move: int | np.ndarray) -> ActionTuple:
    n = env.num_agents
    return ActionTuple(np.zeros((n, 0), np.float32), np.broadcast_to(move, (n,))[:, None].astype(np.int32))


def test_a_block_pushed_off_the_edge_falls_and_ends_the_episode():
    """Pushed north past z = 4 the block drops; below fall_height its fall event gives -1 and ends it."""
    env = make_world(world_from_dict(LEDGE), num_agents=1, seed=0)
    assert unsupported(env.world) == []
    env.reset()
    dropped = False
    for _ in range(60):
        batch = env.step(_act(env, NORTH))
        dropped |= bool(env.entity_position[0, 0, 1] < 0.0)
        if batch.terminated[0]:
            break
    assert dropped and batch.terminated[0] and not batch.success[0]
    assert batch.reward[0] == pytest.approx(-1.0)


def test_without_the_block_event_the_block_falls_and_the_episode_goes_on():
    """Negative control: with only the agent's fall event, the fallen block ends nothing while the agent
    stays on the platform."""
    data = copy.deepcopy(LEDGE)
    data["rewards"] = [LEDGE["rewards"][1]]
    env = make_world(world_from_dict(data), num_agents=1, seed=0)
    env.reset()
    for _ in range(25):
        batch = env.step(_act(env, NORTH))
        assert not batch.terminated[0]
        if env.entity_position[0, 0, 2] > 4.0:  # the block's centre is past the edge: stop the agent
            env.agent_velocity[0, 0::2] = 0.0
            break
    for _ in range(20):
        batch = env.step(_act(env, 0))
        assert not batch.terminated[0]
    assert env.entity_position[0, 0, 1] < -1.0


def test_a_fall_of_a_tag_that_is_no_block_is_refused_by_name():
    """fall's ``what`` must tag a block; the generator refuses block falls (not written yet) by field."""
    data = copy.deepcopy(LEDGE)
    data["rewards"][0]["what"] = "agent"
    with pytest.raises(SpecError, match=r"rewards\[0\]\.what: no block is tagged 'agent'"):
        world_from_dict(data)
    assert refusals(world_from_dict(LEDGE)) == ["rewards[0]: fall of a block (what: block; not written yet)"]


@pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
def test_compiled_and_numpy_paths_agree_on_falling_blocks():
    """Random pushes on the open platform (blocks and agents falling off): both paths agree."""
    data = copy.deepcopy(LEDGE)
    data["entities"][0]["spawn"] = {"area": [[-3, -3], [3, 3]]}
    data["agent"]["spawn"] = {"area": [[-3, -3], [3, 3]]}
    world = world_from_dict(data)
    fast, slow = WorldEnv(world, 16, seed=3), WorldEnv(world, 16, seed=3)
    slow.compiled = False
    fast.reset(), slow.reset()
    rng = np.random.default_rng(0)
    ended = 0
    for t in range(200):
        actions = _act(fast, rng.choice(5, 16, p=[0.1, 0.6, 0.1, 0.1, 0.1]))
        a, b = fast.step(actions), slow.step(actions)
        np.testing.assert_allclose(a.obs[0], b.obs[0], atol=1e-5, err_msg=f"obs at {t}")
        np.testing.assert_allclose(a.reward, b.reward, atol=1e-6)
        np.testing.assert_array_equal(a.terminated, b.terminated)
        ended += int(a.terminated.sum())
    np.testing.assert_allclose(fast.entity_position, slow.entity_position, atol=1e-6)
    assert ended >= 10


def test_codegen_writes_a_block_on_an_open_platform(tmp_path, mcs):
    """Without the block-fall event the world is written (Unity's Rigidbody falls off the edge by itself)
    and passes ``codegen check`` with the simulator's layout."""
    from mlops_unity_pipeline.codegen.world import declared_layout, generate_world
    from mlops_unity_pipeline.sim.world_env import world_signature

    data = copy.deepcopy(LEDGE)
    data["rewards"] = [LEDGE["rewards"][1]]
    world = world_from_dict(data)
    assert refusals(world) == []
    result = generate_world(world, tmp_path)
    assert result.passed, [str(d) for c in result.checks for d in c.diagnostics]
    assert declared_layout(world) == world_signature(world)
