"""Mazes and rooms in the generic simulator: per-area walls redrawn each episode, collisions, rays."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.behavior.world_checks import CheckStatus, sanity_check
from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import accel
from mlops_unity_pipeline.sim.world_env import WorldEnv
from mlops_unity_pipeline.sim.world_heuristic import heuristic_plan, world_heuristic
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import load_world, world_from_dict
from mlops_unity_pipeline.world.layouts import Grid, fixed_seed, generate
from mlops_unity_pipeline.world.model import LayoutKind

MAZE = {
    "name": "MazeRunner",
    "description": "Find the way out of a small maze to the exit tile.",
    "arena": {
        "size": [10, 10],
        "layout": {"kind": "maze", "cells": [5, 5]},
        "regions": [{"name": "exit", "kind": "goal", "tag": "exit", "center": [4, 4], "size": [1.2, 1.2]}],
    },
    "agent": {
        "size": 0.8,
        "yaw": 0,
        "movement": {"motion": "set_velocity", "speed": 4.0},
        "sensors": [
            {"kind": "ray_perception", "name": "Rays", "detectable_tags": ["exit", "wall"], "ray_length": 10},
            {"kind": "vector", "name": "Vec", "items": [{"item": "position"}]},
        ],
        "actions": {"continuous": ["move_x", "move_z"]},
    },
    "rewards": [
        {"event": "reach", "what": "exit", "value": 1.0, "end": "terminated", "success": True},
        {"event": "touch", "what": "wall", "value": -0.01},
        {"event": "time_penalty", "value": -1.0},
    ],
    "max_step": 400,
    "decision_period": 1,
}


def _world(kind: str = "maze", randomize: bool = True, max_step: int = 400, **arena):
    data = copy.deepcopy(MAZE)
    data["max_step"] = max_step
    data["arena"]["layout"].update(kind=kind, randomize=randomize, cells=[5, 5] if kind == "maze" else [3, 3])
    data["arena"].update(arena)
    return world_from_dict(data)


def _walls(env: WorldEnv, area: int) -> np.ndarray:
    """The active wall boxes (x0, z0, x1, z1) of one area, from the simulator's entity arrays."""
    cols = env.layouts.copies
    on = cols[env.entity_active[area, cols]]
    c, h = env.entity_position[area, on][:, 0::2], env.entity_half[area, on][:, 0::2]
    return np.concatenate([c - h, c + h], axis=1)


def _random_walk(env: WorldEnv, steps: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    n = env.num_agents
    batches = []
    for t in range(steps):
        if t % 10 == 0:
            heading = rng.uniform(-1.0, 1.0, (n, 2)).astype(np.float32)
        batches.append(env.step(ActionTuple(heading, np.zeros((n, 0), np.int32))))
    return batches


def test_each_area_runs_its_own_layout_and_redraws_it():
    """Areas hold different mazes (the drawn boxes), and an area's maze changes at its next episode."""
    env = WorldEnv(_world(), 8, seed=1)
    env.reset()
    for a in range(8):
        np.testing.assert_allclose(_walls(env, a), env.layouts.current[a].walls)
    assert len({env.layouts.current[a].walls.tobytes() for a in range(8)}) == 8
    before = env.layouts.current[0]
    env._begin_episodes(np.array([0]))
    assert env.layouts.current[0] is not before
    np.testing.assert_allclose(_walls(env, 0), env.layouts.current[0].walls)


def test_fixed_layout_is_the_worlds_own():
    """``randomize: false``: every area and episode runs the one layout drawn from the world's name."""
    world = _world(randomize=False)
    env = WorldEnv(world, 4, seed=5)
    env.reset()
    expected = generate(world.arena.layout, Grid.of(world), fixed_seed(world)).walls
    for a in range(4):
        np.testing.assert_allclose(_walls(env, a), expected)


def test_same_seed_same_mazes():
    """Two environments with one seed draw the same mazes and placements."""
    a, b = WorldEnv(_world(), 6, seed=9), WorldEnv(_world(), 6, seed=9)
    a.reset(), b.reset()
    np.testing.assert_array_equal(a.entity_position, b.entity_position)
    np.testing.assert_array_equal(a.agent_position, b.agent_position)


@pytest.mark.parametrize("kind", ["maze", "rooms"])
def test_agents_never_cross_walls(kind):
    """Random walks: an agent's square never overlaps an inner wall, and it never leaves its cell except
    through an open edge (it stays in the cells its maze connects)."""
    env = WorldEnv(_world(kind), 16, seed=2)
    env.compiled = False  # the reference path; the compiled one is compared to it below
    env.reset()
    grid = env.layouts.grid
    half = env.agent_half
    cell = grid.cell_of(env.agent_position[:, 0::2])
    for batch in _random_walk(env, 150):
        p = env.agent_position[:, 0::2]
        now = grid.cell_of(p)
        for a in range(env.num_agents):
            w = _walls(env, a)
            inside = (p[a, 0] + half > w[:, 0] + 1e-6) & (p[a, 0] - half < w[:, 2] - 1e-6)
            assert not (inside & (p[a, 1] + half > w[:, 1] + 1e-6) & (p[a, 1] - half < w[:, 3] - 1e-6)).any()
            if now[a] != cell[a] and not batch.terminated[a]:
                layout = env.layouts.current[a]
                steps = [d for d in range(4) if grid.neighbour(int(cell[a]), d) == now[a]]
                assert steps and layout.open[cell[a], steps[0]], f"area {a} crossed a closed edge"
        cell = now


def test_rays_see_inner_walls_with_the_wall_tag():
    """The centre ray hits the maze wall in front of the agent at its distance, tagged wall."""
    env = WorldEnv(_world(randomize=False), 1, seed=0)
    env.reset()
    layout = env.layouts.current[0]
    grid = env.layouts.grid
    # put the agent at a cell whose north edge is closed, facing north (yaw 0 faces +z)
    cell = next(c for c in range(grid.cells) if grid.neighbour(c, 0) >= 0 and not layout.open[c, 0])
    x, z = grid.centres()[cell]
    env.agent_position[0] = [x, env.agent_half - 0.01, z]
    env.agent_yaw[0] = 0.0
    obs = env._observe(None)
    rays = obs[0][0]  # sensors sorted by name: Rays, Vec
    tags = 2  # exit, wall
    centre = rays[: tags + 2]  # alternating order: the centre ray first
    assert centre[1] == 1.0  # the wall slot
    wall_face = z + grid.depth / 2 - grid.thickness / 2
    expected = (wall_face - z - 0.5) / 10.0  # sphere cast radius 0.5, ray length 10
    assert centre[-1] == pytest.approx(expected, abs=1e-4)


def test_touching_an_inner_wall_fires_the_wall_event():
    """``touch wall`` pays when the agent presses against an inner wall, not only the outer ones."""
    env = WorldEnv(_world(randomize=False), 1, seed=0)
    env.reset()
    layout, grid = env.layouts.current[0], env.layouts.grid
    cell = next(c for c in range(grid.cells) if grid.neighbour(c, 0) >= 0 and not layout.open[c, 0])
    x, z = grid.centres()[cell]
    env.agent_position[0] = [x, env.agent_half - 0.01, z]
    rewards = []
    for _ in range(15):
        rewards.append(
            float(env.step(ActionTuple(np.float32([[0.0, 1.0]]), np.zeros((1, 0), np.int32))).reward[0])
        )
    assert env.agent_position[0, 2] == pytest.approx(z + grid.depth / 2 - grid.thickness / 2 - env.agent_half)
    assert min(rewards) < -0.009


@pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
@pytest.mark.parametrize("kind", ["maze", "rooms"])
def test_compiled_and_numpy_paths_agree_in_mazes(kind):
    """Random walks through per-area mazes redrawn at each episode: compiled and NumPy batches agree."""
    world = _world(kind, max_step=120)  # episodes end, so areas redraw their mazes mid-run
    fast, slow = WorldEnv(world, 16, seed=3), WorldEnv(world, 16, seed=3)
    slow.compiled = False
    fast.reset(), slow.reset()
    ended = 0
    for t, (a, b) in enumerate(zip(_random_walk(fast, 300), _random_walk(slow, 300), strict=True)):
        for i in range(len(a.obs)):
            np.testing.assert_allclose(a.obs[i], b.obs[i], atol=1e-5, err_msg=f"obs at {t}")
        np.testing.assert_allclose(a.reward, b.reward, atol=1e-6)
        np.testing.assert_array_equal(a.terminated, b.terminated)
        np.testing.assert_array_equal(a.truncated, b.truncated)
        ended += int(a.terminated.sum() + a.truncated.sum())
    np.testing.assert_allclose(fast.agent_position, slow.agent_position, atol=1e-6)
    np.testing.assert_array_equal(fast.entity_active, slow.entity_active)
    assert ended >= 16


def _heuristic_wins(world, *, aware: bool, areas: int = 6, decisions: int = 120) -> tuple[int, int]:
    """Successes and episode ends of the world's heuristic (layout-aware or ignoring the walls)."""
    env = WorldEnv(world, areas, seed=0)  # the compiled path where numba is (its kernels are cached)
    policy = world_heuristic(env)
    if not aware:  # the negative control: steer straight at the goal as if there were no inner walls
        policy.layouts = None
    batch = env.reset()
    wins = ends = 0
    for _ in range(decisions):
        batch = env.step(policy(batch))
        wins += int(batch.terminated.sum())
        ends += int(batch.terminated.sum() + batch.truncated.sum())
    return wins, ends


@pytest.mark.parametrize("kind", ["maze", "rooms"])
def test_heuristic_solves_layouts_and_ignoring_walls_does_worse(kind):
    """Following the breadth-first path wins every episode; heading straight for the exit rarely does."""
    data = copy.deepcopy(MAZE)
    data["arena"]["layout"].update(kind=kind, cells=[5, 5] if kind == "maze" else [3, 3])
    data.update(max_step=1000, decision_period=5)
    world = world_from_dict(data)
    assert not heuristic_plan(world).unscripted
    wins, ends = _heuristic_wins(world, aware=True)
    blind, blind_ends = _heuristic_wins(world, aware=False)
    assert ends >= 6 and wins == ends
    assert blind < wins / 4


def test_heuristic_reach_check_runs_for_mazes():
    """The sanity check judges a maze world by its heuristic instead of skipping it."""
    data = copy.deepcopy(MAZE)
    data.update(max_step=1000, decision_period=5)
    check = sanity_check(world_from_dict(data), decisions=150, areas=8).by_name("heuristic_reach")
    assert check.status is CheckStatus.PASSED, check


def test_docs_example_maze_loads_runs_and_is_solved():
    """docs/worlds/MazeRunner.yaml validates, runs, and its heuristic reaches the exit in every episode."""
    world = load_world(Path(__file__).resolve().parents[2] / "docs" / "worlds" / "MazeRunner.yaml")
    assert world.arena.layout.kind is LayoutKind.MAZE
    wins, ends = _heuristic_wins(world, aware=True, areas=4, decisions=100)
    assert ends >= 4 and wins == ends


def test_respawning_collectibles_in_a_layout_are_refused():
    """A respawn draws anywhere, not at a free cell centre: refused by name, never run wrong."""
    data = copy.deepcopy(MAZE)
    data["entities"] = [
        {"name": "coin", "kind": "collectible", "tag": "coin", "size": [0.4, 0.4, 0.4], "respawn": True}
    ]
    data["rewards"].append({"event": "collect", "what": "coin", "value": 0.1})
    with pytest.raises(SpecError, match=r"entities\[0\]\.respawn with arena\.layout"):
        WorldEnv(world_from_dict(data), 2)


ACTION_STYLES = {
    "compass": {
        "actions": {"discrete": [{"choices": ["none", "north", "south", "east", "west"]}]},
        "movement": {"motion": "set_velocity", "speed": 4.0},
    },
    "forward_rotate": {
        "actions": {"continuous": ["forward", "rotate"]},
        "movement": {"motion": "set_velocity", "speed": 3.0, "turn_degrees": 6},
    },
    "discrete_turns": {
        "actions": {"discrete": [{"choices": ["none", "forward", "back", "turn_right", "turn_left"]}]},
        "movement": {"motion": "velocity_change", "speed": 0.5, "turn_degrees": 6},
        "body": {"drag": 4},
    },
}


@pytest.mark.parametrize("style", list(ACTION_STYLES))
def test_heuristic_solves_mazes_with_every_action_style(style):
    """Axis-only moves (sideways onto a crossing's line first), driving and discrete turns all get out."""
    data = copy.deepcopy(MAZE)
    data.update(max_step=2000, decision_period=5)
    data["agent"].update(ACTION_STYLES[style], size=0.7)
    wins, ends = _heuristic_wins(world_from_dict(data), aware=True, areas=4, decisions=200)
    assert ends >= 4 and wins == ends


def test_heuristic_steers_each_agent_by_its_own_areas_maze():
    """Two agents per area: each follows the path through its area's maze and every episode is won."""
    data = copy.deepcopy(MAZE)
    data["agent"]["count"] = 2
    data.update(max_step=1000, decision_period=5)
    wins, ends = _heuristic_wins(world_from_dict(data), aware=True, areas=12)
    assert ends >= 12 and wins == ends
