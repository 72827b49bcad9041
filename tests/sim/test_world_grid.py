"""The grid sensor in worlds (``sim.world_grid``): ML-Agents' one-hot ``GridSensorComponent`` rules."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.sim.world_env import WorldEnv, unsupported
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import world_from_dict

GRID = {
    "kind": "grid",
    "name": "Grid",
    "detectable_tags": ["flag", "coin", "wall"],
    "cell_size": 1.0,
    "grid_size": [5, 5],
}
WORLD = {
    "name": "Gridded",
    "arena": {"size": [10, 10]},
    "entities": [
        {"name": "flag", "kind": "target", "tag": "flag", "size": [1, 1, 1], "spawn": {"at": [2, 0]}},
        {
            "name": "coin",
            "kind": "collectible",
            "tag": "coin",
            "shape": "sphere",
            "size": [0.5, 0.5, 0.5],
            "spawn": {"at": [0, -1]},
        },
        {"name": "rock", "kind": "obstacle", "tag": "rock", "size": [1, 1, 1], "spawn": {"at": [-1, 1]}},
    ],
    "agent": {
        "movement": {"motion": "set_velocity", "speed": 5.0},
        "spawn": {"at": [0, 0]},
        "yaw": 0,
        "sensors": [GRID],
        "actions": {"continuous": ["move_x", "move_z"]},
    },
    "rewards": [{"event": "reach", "what": "flag", "value": 1.0, "end": "terminated", "success": True}],
    "max_step": 100,
    "decision_period": 1,
}


def _world(**grid):
    """WORLD with the grid sensor's fields replaced by ``grid``."""
    spec = copy.deepcopy(WORLD)
    spec["agent"]["sensors"] = [{**GRID, **grid}]
    return world_from_dict(spec)


def _expected(cells: dict[tuple[int, int], int], size: int = 5, channels: int = 3) -> np.ndarray:
    """The observation ML-Agents writes for detections ``{(x index, z index): channel}``: cell (xi, zi) at row
    ``size - 1 - xi``, column ``zi`` (``GridSensorBase.Write``)."""
    out = np.zeros((channels, size, size), dtype=np.float32)
    for (xi, zi), ch in cells.items():
        out[ch, size - 1 - xi, zi] = 1.0
    return out


def test_grid_signature_is_mlagents_visual_spec_and_name():
    """A grid sensor is observed as (tags, gx, gz) named ``<name>-OneHot``, sorted among the other sensors."""
    spec = copy.deepcopy(WORLD)
    spec["agent"]["sensors"] = [GRID, {"kind": "vector", "name": "Grid2", "items": [{"item": "heading"}]}]
    env = WorldEnv(world_from_dict(spec), 2)
    specs = env.signature.observation_specs
    # "Grid-OneHot" sorts before "Grid2" ('-' < '2'), as ML-Agents sorts by the reported names
    assert [(s.name, s.shape) for s in specs] == [("Grid-OneHot", (3, 5, 5)), ("Grid2", (2,))]


def test_grid_marks_the_cells_objects_overlap_hand_computed():
    """Flag at (2, 0) is cell (4, 2); the sphere coin at (0, -1) is cell (2, 1); the rock's tag is not
    detected; touching a cell's side (the flag's face at x = 1.5) does not count (OverlapBox)."""
    env = WorldEnv(_world(), 1, seed=0)
    batch = env.reset()
    np.testing.assert_array_equal(batch.obs[0][0], _expected({(4, 2): 0, (2, 1): 1}))


def test_grid_turns_with_the_agent_or_not():
    """Facing +x (yaw 90), the flag at world (2, 0) is 2 ahead: local (0, 2), cell (2, 4); without
    ``rotate_with_agent`` the grid keeps the world's axes."""
    for rotate, cells in ((True, {(2, 4): 0, (3, 2): 1}), (False, {(4, 2): 0, (2, 1): 1})):
        env = WorldEnv(_world(rotate_with_agent=rotate), 1, seed=0)
        env.reset()
        env.agent_yaw[:] = 90.0
        # the coin at world (0, -1): local x = -(-1) * 1 = 1 (to the right when facing +x), z = 0
        np.testing.assert_array_equal(env._observe(None)[0][0], _expected(cells), err_msg=f"rotate={rotate}")


def test_grid_walls_fill_the_cells_past_the_arena_edge():
    """An 11 x 11 grid at the centre of a 10 x 10 arena reaches 0.5 past each wall's inner face: the outer
    ring of cells sees the walls (corners included), the flag and coin stay where they are."""
    env = WorldEnv(_world(grid_size=[11, 11]), 1, seed=0)
    env.reset()
    ring = {(i, j): 2 for i in range(11) for j in range(11) if i in (0, 10) or j in (0, 10)}
    np.testing.assert_array_equal(
        env._observe(None)[0][0], _expected({**ring, (7, 5): 0, (5, 4): 1}, size=11)
    )


def test_grid_keeps_the_collider_nearest_the_agent_in_a_shared_cell():
    """Two detectable colliders in one cell: the one whose bounds' point nearest the cell centre lies nearest
    the agent wins (``ProcessClosestColliders``), whatever the order of the colliders."""
    spec = copy.deepcopy(WORLD)
    # flag bounds x 2.15..2.45, z 0.2..0.5: its point nearest the cell centre (2, 0) is (2.15, 0.2)
    spec["entities"][0].update(size=[0.3, 1, 0.3], spawn={"at": [2.3, 0.35]})
    # coin (radius 0.4) bounds hold the cell centre: its point is (2, 0), nearer the agent at the origin
    spec["entities"][1].update(size=[0.8, 0.8, 0.8], spawn={"at": [2.0, -0.05]})
    env = WorldEnv(world_from_dict(spec), 1, seed=0)
    env.reset()
    np.testing.assert_array_equal(env._observe(None)[0][0], _expected({(4, 2): 1}))
    env.entity_position[0, 1, 0] = 2.6  # coin bounds from x 2.2: (2.2, 0) is farther than (2.15, 0.2)
    np.testing.assert_array_equal(env._observe(None)[0][0], _expected({(4, 2): 0}))


def test_grid_sees_other_agents_but_not_itself():
    """With two agents per area each grid shows the other agent (agent tag) and never its own body."""
    spec = copy.deepcopy(WORLD)
    spec["agent"]["count"] = 2
    spec["agent"]["spawn"] = {"area": [[-1, -1], [1, 1]]}
    spec["agent"]["sensors"] = [{**GRID, "detectable_tags": ["agent"], "rotate_with_agent": False}]
    env = WorldEnv(world_from_dict(spec), 2, seed=0)
    env.reset()
    env.agent_position[:, 0::2] = [[0.0, 0.0], [0.0, 2.0]]
    obs = env._observe(None)[0]
    np.testing.assert_array_equal(obs[0], _expected({(2, 4): 0}, channels=1))
    np.testing.assert_array_equal(obs[1], _expected({(2, 0): 0}, channels=1))


def test_grid_follows_the_scene_as_it_steps_both_paths():
    """Moving 0.5 to -x, the coin (radius 0.25 at (0, -1)) straddles two cells of the grid; the compiled and
    NumPy simulators give the same grids at every step."""
    grids = []
    for compiled in (True, False):
        env = make_world(_world(), num_agents=1, seed=0)
        env.compiled = compiled and env.compiled
        env.reset()
        seen = []
        for _ in range(5):  # set_velocity 5 units/s: 0.1 per physics step
            batch = env.step(ActionTuple(np.float32([[-1.0, 0.0]]), np.zeros((1, 0), np.int32)))
            seen.append(batch.obs[0][0].copy())
        grids.append(np.stack(seen))
    np.testing.assert_array_equal(grids[0], grids[1])
    np.testing.assert_array_equal(grids[0][0], _expected({(4, 2): 0, (2, 1): 1}))
    np.testing.assert_array_equal(grids[0][-1], _expected({(4, 2): 0, (2, 1): 1, (3, 1): 1}))


def test_grid_refusals_name_the_field():
    """A non-square or stacked grid is refused with its field path; a grid over too many cells is bad."""
    assert any("grid_size" in line for line in unsupported(_world(grid_size=[4, 6])))
    assert any("observation_stacks" in line for line in unsupported(_world(observation_stacks=2)))
    with pytest.raises(SpecError, match="grid_size"):
        _world(grid_size=[64, 65])
