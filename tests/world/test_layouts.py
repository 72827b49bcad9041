"""Generated mazes and rooms (``world.layouts``): seeded, connected, walls on cell edges only, placement."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.world import world_from_dict
from mlops_unity_pipeline.world.layouts import (
    EAST,
    NORTH,
    Grid,
    LayoutRandom,
    doorway,
    generate,
    place_in_cells,
)
from mlops_unity_pipeline.world.model import Layout, LayoutKind
from mlops_unity_pipeline.world.spawn import blocked_rects, placeables

GRIDS = [(2, 2), (5, 5), (7, 3), (3, 8)]


def maze_world(kind: str = "maze", cells=(5, 5), **extra) -> dict:
    """Return a small maze world as data: an exit region in a corner, a target, an agent with rays."""
    data = {
        "name": "MazeRunner",
        "arena": {
            "size": [10, 10],
            "layout": {"kind": kind, "cells": list(cells)},
            "regions": [{"name": "exit", "kind": "goal", "tag": "exit", "center": [4, 4], "size": [1, 1]}],
        },
        "entities": [{"name": "flag", "kind": "target", "tag": "flag", "size": [0.5, 0.5, 0.5]}],
        "agent": {
            "size": 0.8,
            "sensors": [{"kind": "ray_perception", "name": "Rays", "detectable_tags": ["exit", "wall"]}],
        },
        "rewards": [
            {"event": "reach", "what": "exit", "value": 1.0, "end": "terminated", "success": True},
            {"event": "time_penalty", "value": -1.0},
        ],
        "max_step": 1000,
    }
    data.update(extra)
    return data


def _grid(cols: int, rows: int) -> Grid:
    return Grid(cols, rows, cols * 1.0, rows * 1.25, 0.3)


def _covered(walls: np.ndarray, x: float, z: float) -> bool:
    return bool(((walls[:, 0] < x) & (x < walls[:, 2]) & (walls[:, 1] < z) & (z < walls[:, 3])).any())


def test_splitmix_reference_value():
    """The generator is SplitMix64: its first output from seed 0 is the published 0xE220A8397B1DCDAF."""
    rng = LayoutRandom(0)
    assert rng.next() == 0xE220A8397B1DCDAF
    assert rng.next() == 0x6E789E6AA1B965F4


@pytest.mark.parametrize("kind", list(LayoutKind))
def test_same_seed_same_layout(kind):
    """A seed draws one layout; another seed draws another."""
    grid = _grid(5, 5)
    a, b = generate(Layout(kind, (5, 5)), grid, 7), generate(Layout(kind, (5, 5)), grid, 7)
    c = generate(Layout(kind, (5, 5)), grid, 8)
    np.testing.assert_array_equal(a.walls, b.walls)
    np.testing.assert_array_equal(a.open, b.open)
    assert a.walls.shape != c.walls.shape or not np.array_equal(a.walls, c.walls)


@pytest.mark.parametrize("kind", list(LayoutKind))
@pytest.mark.parametrize("cells", GRIDS)
def test_every_cell_reachable(kind, cells):
    """Every cell is reachable from every other, for every seed tried; a maze is a tree (a perfect maze)."""
    grid = _grid(*cells)
    for seed in range(40):
        drawn = generate(Layout(kind, cells), grid, seed)
        assert (drawn.distances(0) >= 0).all()
        edges = int(drawn.open.sum()) // 2
        if kind is LayoutKind.MAZE:
            assert edges == grid.cells - 1
        assert len(drawn.walls) <= grid.max_walls(kind)


@pytest.mark.parametrize("kind", list(LayoutKind))
def test_walls_stand_on_closed_edges_only(kind):
    """A closed edge's middle is in a wall, a crossing point is not, no wall enters a cell's interior."""
    grid = _grid(6, 4)
    room_x, room_z = (h - 1e-9 for h in grid.interior())  # touching the interior's border is allowed
    for seed in range(20):
        drawn = generate(Layout(kind, (6, 4)), grid, seed)
        centres = grid.centres()
        for cx, cz in centres:  # a cell interior overlaps no wall
            w = drawn.walls
            inside = (w[:, 0] < cx + room_x) & (w[:, 2] > cx - room_x) & (w[:, 1] < cz + room_z)
            assert not (inside & (w[:, 3] > cz - room_z)).any()
        for cell in range(grid.cells):
            for d in (EAST, NORTH):
                if grid.neighbour(cell, d) < 0:
                    continue
                cx, cz = centres[cell]
                mid = (cx + grid.width / 2, cz) if d == EAST else (cx, cz + grid.depth / 2)
                if drawn.open[cell, d]:
                    assert not _covered(drawn.walls, *drawn.portals[cell, d])
                    if kind is LayoutKind.ROOMS:  # the doorway's full free width is clear
                        half = doorway(grid, kind) / 2 - 1e-6
                        px, pz = drawn.portals[cell, d]
                        ends = (
                            [(px, pz - half), (px, pz + half)]
                            if d == EAST
                            else [(px - half, pz), (px + half, pz)]
                        )
                        assert not any(_covered(drawn.walls, *end) for end in ends)
                else:
                    assert kind is LayoutKind.MAZE and _covered(drawn.walls, *mid)


def test_maze_walls_merge_collinear_edges():
    """A maze's walls are fewer boxes than closed edges: collinear neighbours are one box."""
    grid = _grid(8, 8)
    counts = [len(generate(Layout(LayoutKind.MAZE, (8, 8)), grid, s).walls) for s in range(10)]
    assert max(counts) < (8 - 1) * (8 - 1)


def test_placement_at_free_cell_centres_far_apart():
    """Items stand at distinct free cell centres; the agent is farthest from the exit, the flag from it."""
    world = world_from_dict(maze_world())
    grid = Grid.of(world)
    items = placeables(world)
    rng = np.random.default_rng(3)
    drawn = [generate(world.arena.layout, grid, s) for s in range(30)]
    points, failed = place_in_cells(world, items, drawn, blocked_rects(world), rng)
    assert not failed.any()
    centres = grid.centres()
    exit_cell = int(grid.cell_of(np.array([4.0, 4.0])))
    for a, layout in enumerate(drawn):
        cells = grid.cell_of(points[a])
        np.testing.assert_allclose(points[a], centres[cells])
        assert len(set(cells.tolist())) == len(items)
        assert exit_cell not in cells.tolist()
        from_exit = layout.distances(exit_cell)
        agent_cell, flag_cell = int(cells[-1]), int(cells[0])
        assert from_exit[agent_cell] == from_exit[np.arange(grid.cells) != exit_cell].max()
        from_agent = layout.distances(agent_cell)
        free = np.ones(grid.cells, dtype=bool)
        free[[agent_cell, exit_cell]] = False
        assert from_agent[flag_cell] == from_agent[free].max()


def test_layout_needs_walls():
    """A layout on an open platform is refused: inner walls take the outer walls' height and tag."""
    data = maze_world()
    data["arena"]["walls"] = None
    data["agent"]["sensors"][0]["detectable_tags"] = ["exit"]
    with pytest.raises(SpecError, match=r"arena\.layout: needs arena\.walls"):
        world_from_dict(data)


def test_thick_walls_refused():
    """Walls as thick as half a cell are refused, naming the field."""
    data = maze_world()
    data["arena"]["layout"]["wall_thickness"] = 1.0
    with pytest.raises(SpecError, match=r"arena\.layout\.wall_thickness: 1\.0 must be less than half a cell"):
        world_from_dict(data)


@pytest.mark.parametrize("kind", ["maze", "rooms"])
def test_narrow_paths_refused(kind):
    """Passages or doorways the agent cannot pass are refused with both widths."""
    data = maze_world(kind, cells=(8, 8) if kind == "maze" else (5, 5))
    data["agent"]["size"] = 1.0
    with pytest.raises(
        SpecError, match=r"arena\.layout\.cells: a (passage|doorway) is .* wide, the agent needs"
    ):
        world_from_dict(data)


def test_big_item_refused():
    """An entity that does not fit a cell's interior is refused, naming it."""
    data = maze_world()
    data["entities"][0]["size"] = [1.8, 1, 1.8]
    with pytest.raises(SpecError, match=r"spawn of flag\[0\]: its body .* does not fit a cell's interior"):
        world_from_dict(data)


def test_fixed_point_across_walls_refused():
    """A fixed spawn point on a cell edge is refused (fixed points lie inside one cell's interior)."""
    data = maze_world()
    data["entities"][0]["spawn"] = {"at": [0.0, 1.0]}
    with pytest.raises(
        SpecError, match=r"spawn of flag\[0\]: the fixed point .* across its cell's inner walls"
    ):
        world_from_dict(data)


def test_too_many_items_refused():
    """More items than free cells is refused (each item takes one cell)."""
    data = maze_world(cells=(2, 2))
    data["entities"][0]["count"] = 4
    with pytest.raises(SpecError, match=r"spawn of flag\[\d\]: no free cell left"):
        world_from_dict(data)


def test_spawn_area_without_cell_centre_refused():
    """A spawn area holding no cell centre is refused."""
    data = maze_world()
    data["entities"][0]["spawn"] = {"area": [[0.1, 0.1], [0.9, 0.9]]}
    with pytest.raises(SpecError, match=r"spawn of flag\[0\]: no cell centre lies in its spawn area"):
        world_from_dict(data)
