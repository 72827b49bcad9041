"""The C# generator writes mazes and rooms: the generated ``ArenaLayout`` (compiled with mcs, run under Mono)
draws the same walls, open edges and path lengths as ``world.layouts`` for the same seeds."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.codegen.world.generate import generate_world
from mlops_unity_pipeline.codegen.world.render import render_world_project
from mlops_unity_pipeline.errors import CodegenError
from mlops_unity_pipeline.world import world_from_dict
from mlops_unity_pipeline.world.layouts import Grid, fixed_seed, generate
from tests.sim.test_world_maze import MAZE

HARNESS = Path(__file__).parent / "mono" / "LayoutHarness.cs"
SEEDS = [0, 1, 7, 123456789, 2**63 - 1, 9_876_543_210_123]


def _world(kind: str, cells: tuple[int, int], randomize: bool = True):
    data = copy.deepcopy(MAZE)
    data["arena"]["layout"].update(kind=kind, cells=list(cells), randomize=randomize)
    return world_from_dict(data)


def test_generated_project_builds_the_layout(tmp_path):
    """The project has the layout class and the bootstrap draws it each episode; the checks pass."""
    world = _world("maze", (5, 5), randomize=False)
    result = generate_world(world, tmp_path)
    assert result.passed
    layout = (tmp_path / "Assets/Scripts/ArenaLayout.cs").read_text()
    arena = (tmp_path / "Assets/Scripts/ArenaBootstrap.cs").read_text()
    assert f"k_FixedSeed = {fixed_seed(world)}UL" in layout
    assert "k_Randomize = false" in layout and "k_MaxWalls = 16" in layout
    assert "DrawLayout();" in arena and "m_CellPoints = PlaceInCells();" in arena
    assert "k_GoalCells = { 24 }" in arena  # the exit at (4, 4): the last cell of 5 x 5


def test_worlds_without_layout_have_no_layout_class():
    """A world without a layout writes no ArenaLayout and no layout code in the bootstrap."""
    data = copy.deepcopy(MAZE)
    del data["arena"]["layout"]
    files = render_world_project(world_from_dict(data)).files
    assert not any(name.endswith("ArenaLayout.cs") for name in files)
    assert "DrawLayout" not in files["Assets/Scripts/ArenaBootstrap.cs"]


@pytest.mark.slow
@pytest.mark.usefixtures("mono_runtime")  # skips without Mono; fails under MLOPS_REQUIRE_MCS=1
@pytest.mark.parametrize(
    ("kind", "cells"), [("maze", (5, 5)), ("maze", (7, 3)), ("rooms", (3, 3)), ("rooms", (2, 3))]
)
def test_csharp_layout_equals_the_simulators(kind, cells, tmp_path):
    """For fixed seeds, the C# walls (float), open edges and breadth-first distances equal the simulator's."""
    world = _world(kind, cells)
    files = render_world_project(world).files
    source = tmp_path / "ArenaLayout.cs"
    source.write_text(files["Assets/Scripts/ArenaLayout.cs"])
    exe = tmp_path / "layout.exe"
    subprocess.run(
        ["mcs", "-warn:0", f"-out:{exe}", str(source), str(HARNESS)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    lines = subprocess.run(
        ["mono", str(exe), *map(str, SEEDS)], check=True, capture_output=True, text=True, timeout=120
    ).stdout.splitlines()
    assert len(lines) == len(SEEDS)
    grid = Grid.of(world)
    for seed, line in zip(SEEDS, lines, strict=True):
        walls, bits, distances = line.split("|")
        expected = generate(world.arena.layout, grid, seed)
        got = np.array([float(v) for v in walls.split()]).reshape(-1, 4)
        np.testing.assert_allclose(got, expected.walls, atol=1e-4, err_msg=f"seed {seed}")
        assert [b == "1" for b in bits] == expected.open.ravel().tolist()
        assert [int(v) for v in distances.split()] == expected.distances(0).tolist()


@pytest.mark.slow
@pytest.mark.usefixtures("mono_runtime")
def test_csharp_negative_control_other_seed_differs(tmp_path):
    """The comparison can fail: the C# layout of seed 1 is not the simulator's layout of seed 2."""
    world = _world("maze", (5, 5))
    source = tmp_path / "ArenaLayout.cs"
    source.write_text(render_world_project(world).files["Assets/Scripts/ArenaLayout.cs"])
    exe = tmp_path / "layout.exe"
    subprocess.run(["mcs", "-warn:0", f"-out:{exe}", str(source), str(HARNESS)], check=True, timeout=120)
    line = subprocess.run(["mono", str(exe), "1"], check=True, capture_output=True, text=True).stdout
    other = generate(world.arena.layout, Grid.of(world), 2)
    assert [c == "1" for c in line.split("|")[1]] != other.open.ravel().tolist()


def test_several_agents_in_a_layout_are_refused_by_name():
    """The C# places one agent per area in a layout's cells: agent.count 2 with a layout is refused."""
    data = copy.deepcopy(MAZE)
    data["agent"]["count"] = 2
    data["groups"] = {"size": 2}
    with pytest.raises(CodegenError, match="arena.layout: with agent.count 2"):
        generate_world(world_from_dict(data), "unused_out")
