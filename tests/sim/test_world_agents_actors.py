"""Scripted actors with several agents per area: a chaser picks the nearest agent, near pays each member."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mlops_unity_pipeline.sim import accel, make_world
from mlops_unity_pipeline.sim.world_env import REST_SINK
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import world_from_dict

_needs_numba = pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
PATHS = [False, pytest.param(True, marks=_needs_numba)]

# Two agents per area (no groups) and one chaser; near pays for keeping within 2 of the chaser.
PAIR = {
    "name": "PairChase",
    "arena": {"size": [12, 12]},
    "entities": [
        {
            "name": "hunter",
            "kind": "actor",
            "tag": "hunter",
            "actor": {"behavior": "chaser", "speed": 2.0},
            "spawn": {"at": [0, 4]},
        }
    ],
    "agent": {
        "name": "Pair",
        "count": 2,
        "movement": {"motion": "set_velocity", "speed": 5.0},
        "spawn": {"area": [[-5, -5], [5, 0]]},
        "yaw": 0,
        "sensors": [
            {"kind": "ray_perception", "name": "Eyes", "detectable_tags": ["hunter", "agent", "wall"]},
        ],
        "actions": {"continuous": ["move_x", "move_z"]},
    },
    "rewards": [{"event": "near", "what": "hunter", "within": 2.0, "value": 1.0}],
    "max_step": 1000,
    "decision_period": 1,
}


def _env(compiled: bool, num_agents: int = 4, seed: int = 0):
    env = make_world(world_from_dict(copy.deepcopy(PAIR)), num_agents=num_agents, seed=seed)
    env.compiled = compiled and env.compiled
    return env


def _still(n: int) -> ActionTuple:
    return ActionTuple(np.zeros((n, 2), np.float32), np.zeros((n, 0), np.int32))


def _set_scene(env, hunter, agents) -> None:
    """Every area: the chaser at ``hunter`` (x, z), its two agents at ``agents``, all at rest."""
    for area in range(env.num_areas):
        env.entity_position[area, 0, [0, 2]] = hunter
        env.entity_velocity[area, 0] = 0.0
        for m, (x, z) in enumerate(agents):
            row = area * env.agents_per_area + m
            env.agent_position[row] = [x, env.agent_half - REST_SINK, z]
            env.agent_velocity[row] = 0.0


@pytest.mark.parametrize("compiled", PATHS)
@pytest.mark.parametrize("near_member", [0, 1])
def test_chaser_heads_for_the_nearest_agent_of_its_area(compiled, near_member):
    """With two agents in an area, the chaser closes on the nearer one, whichever member it is."""
    env = _env(compiled)
    env.reset()
    spots = [(4.0, -4.0), (-4.0, -4.0)]
    spots[near_member] = (0.0, 0.0)  # 4 from the chaser at (0, 4); the other is about 8.9 away
    _set_scene(env, (0.0, 4.0), spots)
    for _ in range(40):
        env.step(_still(env.num_agents))
    hunter = env.entity_position[:, 0, [0, 2]]
    np.testing.assert_allclose(hunter[:, 0], 0.0, atol=1e-9)  # straight down x = 0, towards (0, 0)
    np.testing.assert_allclose(hunter[:, 1], 4.0 - 40 * 2.0 * env.physics_dt)  # at its speed
    agents = env.agent_position.reshape(env.num_areas, 2, 3)[..., [0, 2]]
    gaps = np.linalg.norm(agents - hunter[:, None, :], axis=2)
    assert (gaps[:, near_member] < gaps[:, 1 - near_member]).all()


@pytest.mark.parametrize("compiled", PATHS)
def test_near_pays_only_the_member_within_the_distance(compiled):
    """near is judged agent by agent: the member beside the actor earns value / max_step, the other none."""
    env = _env(compiled)
    env.reset()
    _set_scene(env, (0.0, 4.0), [(-5.0, -5.0), (0.0, 2.5)])  # member 1 within 2 of the chaser
    batch = env.step(_still(env.num_agents))
    assert batch.reward.tolist() == pytest.approx([0.0, 1 / 1000] * env.num_areas, abs=1e-7)
    _set_scene(env, (0.0, 4.0), [(0.5, 3.0), (5.0, -5.0)])  # now member 0
    batch = env.step(_still(env.num_agents))
    assert batch.reward.tolist() == pytest.approx([1 / 1000, 0.0] * env.num_areas, abs=1e-7)


@_needs_numba
def test_compiled_and_numpy_paths_agree_with_actors_and_two_agents():
    """Random moves of two agents per area with a chaser and near: both paths give identical trajectories."""
    fast, slow = _env(True, num_agents=16, seed=5), _env(False, num_agents=16, seed=5)
    assert fast.compiled and not slow.compiled
    rng = np.random.default_rng(0)
    fast.reset(), slow.reset()
    for t in range(120):
        actions = ActionTuple(rng.uniform(-1, 1, (16, 2)).astype(np.float32), np.zeros((16, 0), np.int32))
        a, b = fast.step(actions), slow.step(actions)
        np.testing.assert_array_equal(a.obs[0], b.obs[0], err_msg=f"obs at {t}")
        np.testing.assert_array_equal(a.reward, b.reward, err_msg=f"reward at {t}")
    np.testing.assert_array_equal(fast.entity_position, slow.entity_position)
    np.testing.assert_array_equal(fast.agent_position, slow.agent_position)


def test_two_agents_per_area_in_a_maze_start_in_their_own_cells_and_paths_agree():
    """Layouts are drawn per area; both agents of an area stand at distinct free cell centres; paths agree."""
    from .test_world_maze import MAZE

    data = copy.deepcopy(MAZE)
    data["agent"]["count"] = 2
    world = world_from_dict(data)
    runs = [make_world(world, num_agents=8, seed=2) for _ in range(2)]
    runs[1].compiled = False
    for env in runs:
        env.reset()
    env = runs[0]
    assert env.num_areas == 4
    grid = env.layouts.grid
    cells = grid.cell_of(env.agent_position[:, [0, 2]]).reshape(4, 2)
    assert (cells[:, 0] != cells[:, 1]).all()
    np.testing.assert_allclose(env.agent_position[:, [0, 2]], grid.centres()[cells.reshape(-1)])
    rng = np.random.default_rng(1)
    for t in range(60):
        actions = ActionTuple(rng.uniform(-1, 1, (8, 2)).astype(np.float32), np.zeros((8, 0), np.int32))
        a, b = (e.step(actions) for e in runs)
        np.testing.assert_array_equal(a.reward, b.reward, err_msg=f"reward at {t}")
    np.testing.assert_array_equal(runs[0].agent_position, runs[1].agent_position)
